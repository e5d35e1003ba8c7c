using System.Text.Json;
using Lamina.Examples.Handlers.Cron;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;
using Microsoft.Extensions.Time.Testing;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

public class CronExampleTests
{
    [Fact]
    public void The_example_program_passes_the_checker_with_no_broad_wildcards() => ExampleApps.AssertProgramPassesTheChecker("cron");

    [Fact]
    public void An_eventbridge_rule_runs_the_report_at_two_utc_and_only_that_rule_may_invoke_it()
    {
        var stack = ExampleApps.Stack("cron");
        var example = CronExample.Define(stack);
        var t = ExampleApps.SynthesizedTemplate(stack);

        t.ResourceCountIs("aws:cloudwatch:EventRule", 1);
        t.HasResourceProperties("aws:cloudwatch:EventRule", new D { ["scheduleExpression"] = "cron(0 2 * * ? *)", ["state"] = "ENABLED" });
        t.ResourceCountIs("aws:cloudwatch:EventTarget", 1);
        t.HasResourceProperties("aws:cloudwatch:EventTarget", new D { ["rule"] = "${NightlyReport.name}", ["arn"] = "${BuildReport.arn}", ["input"] = Testing.Match.Absent() });
        var permission = Assert.Single(t.FindResources("aws:lambda:Permission")).Value["properties"]!;
        Assert.Equal("events.amazonaws.com", (string?)permission["principal"]);
        Assert.Equal("${NightlyReport.arn}", (string?)permission["sourceArn"]);
        Assert.Equal("${BuildReport.name}", (string?)permission["function"]);
        t.HasResourceProperties("aws:lambda:Function", new D { ["name"] = "shop-dev-BuildReport", ["timeout"] = 300, ["handler"] = "Lamina.Examples.Handlers.Cron.BuildReport" });
        Assert.Same(example.BuildReport, Assert.Single(example.Schedule.Targets).Function);
    }

    [Fact]
    public void The_schedule_fires_at_two_utc_every_day()
    {
        var stack = ExampleApps.Stack("cron");
        var example = CronExample.Define(stack);
        var next = example.Schedule.NextOccurrences(new DateTimeOffset(2026, 11, 27, 1, 59, 0, TimeSpan.Zero), 3);
        Assert.Equal(
            [new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero), new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero), new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero)],
            next);
        Assert.Null(example.Schedule.TimeZone);
    }

    private static ScheduledEvent Event(string? time) => JsonSerializer.Deserialize(
        """
        {"version":"0","id":"89d1a02d-5ec7-412e-82f5-13505f849b41","detail-type":"Scheduled Event","source":"aws.events",
         "account":"123456789012",TIME"region":"us-east-1",
         "resources":["arn:aws:events:us-east-1:123456789012:rule/shop-dev-NightlyReport"],"detail":{}}
        """.Replace("TIME", time is null ? "" : $"\"time\":\"{time}\",", StringComparison.Ordinal), LambdaEventsJsonContext.Default.ScheduledEvent)!;

    [Fact]
    public async Task BuildReport_reports_on_the_utc_day_before_the_scheduled_time()
    {
        var context = new TestContext();
        await new BuildReport(new FakeTimeProvider(DateTimeOffset.UnixEpoch)).HandleAsync(Event("2026-11-27T02:00:00Z"), context);
        var line = Assert.Single(context.Messages(LambdaLogLevel.Info));
        Assert.Equal("nightly report for 2026-11-26: window 2026-11-26T00:00:00Z to 2026-11-27T00:00:00Z " +
            "(run by arn:aws:events:us-east-1:123456789012:rule/shop-dev-NightlyReport, event 89d1a02d-5ec7-412e-82f5-13505f849b41)", line);

        // A month boundary, and a time given with an offset.
        Assert.Equal((new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            BuildReport.ReportWindow(new DateTimeOffset(2026, 3, 1, 3, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public async Task BuildReport_uses_its_clock_when_the_event_has_no_time_and_rejects_a_malformed_one()
    {
        var context = new TestContext();
        await new BuildReport(new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 2, 0, 5, TimeSpan.Zero))).HandleAsync(Event(null), context);
        Assert.Single(context.Messages(LambdaLogLevel.Warn));
        Assert.StartsWith("nightly report for 2026-05-09:", Assert.Single(context.Messages(LambdaLogLevel.Info)), StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<FormatException>(() => new BuildReport().HandleAsync(Event("yesterday"), new TestContext()));
        Assert.Contains("'yesterday'", e.Message, StringComparison.Ordinal);
    }
}
