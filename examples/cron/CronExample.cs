using Lamina.Aws.Lambda;
using Lamina.Aws.Scheduling;
using Lamina.Examples.Handlers.Cron;

namespace Lamina.Examples;

/// <summary>
/// examples/cron: the seed note's serverless cron job. An EventBridge rule fires at 02:00 UTC every day
/// (<c>cron(0 2 * * ? *)</c>) and invokes <see cref="BuildReport"/> with the scheduled event; the function's permission
/// admits <c>events.amazonaws.com</c> from that rule's ARN only.
/// </summary>
/// <param name="Schedule">The nightly schedule.</param>
/// <param name="BuildReport">The function it runs (5-minute timeout).</param>
public sealed record CronExample(Schedule Schedule, Function<BuildReport> BuildReport)
{
    /// <summary>The schedule's cron fields: minute 0 of hour 2 (UTC), every day of every month and year.</summary>
    public const string NightlyAtTwoUtc = "0 2 * * ? *";

    /// <summary>Defines the example's resources in <paramref name="scope"/>.</summary>
    /// <example>
    /// <code>
    /// return LaminaApp.Run(args, app => CronExample.Define(new Stack(app, "cron")));
    /// </code>
    /// </example>
    public static CronExample Define(Construct scope)
    {
        var report = new Function<BuildReport>(scope, "BuildReport", new()
        {
            Timeout = TimeSpan.FromMinutes(5),
            MemorySize = 256,
            Description = "Builds yesterday's report, every night at 02:00 UTC",
        });
        var nightly = new Schedule(scope, "NightlyReport", new()
        {
            Expression = Schedule.Cron(NightlyAtTwoUtc),
            Description = "Runs BuildReport at 02:00 UTC every day",
        }).Invoke(report);
        return new CronExample(nightly, report);
    }
}
