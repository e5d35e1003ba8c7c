using System.Globalization;
using System.Text.Json.Nodes;
using Lamina.Aws.Lambda;
using Lamina.Aws.Scheduling;
using Lamina.Aws.Semantics.Scheduling;
using Lamina.Aws.Tests.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Aws.Tests.Scheduling;

public class ScheduleTests
{
    private static Function<NightlyCleanup> Cleanup(Stack stack, string id = "Cleanup") => new(stack, id);

    private static Function PythonFn(Stack stack, EventSources handles, string id = "Py") =>
        new(stack, id, new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "job.handler", Handles = handles });

    private static void AssertDeployable(Stack stack)
    {
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void A_cron_schedule_is_an_EventBridge_rule_with_a_target_and_a_permission_scoped_to_the_rule()
    {
        var stack = TestStacks.Create();
        var fn = Cleanup(stack);
        var schedule = new Schedule(stack, "Nightly", new() { Expression = Schedule.Cron("0 2 * * ? *"), Description = "nightly cleanup" }).Invoke(fn);

        var t = Template.From(stack);
        t.ResourceCountIs("aws:cloudwatch:EventRule", 1);
        t.ResourceCountIs("aws:cloudwatch:EventTarget", 1);
        t.ResourceCountIs("aws:lambda:Permission", 1);
        t.ResourceCountIs("aws:scheduler:Schedule", 0);
        t.ResourceCountIs("aws:iam:Role", 1); // the function's own role only
        t.HasResourceProperties("aws:cloudwatch:EventRule", Match.ObjectEquals(new D
        {
            ["description"] = "nightly cleanup",
            ["scheduleExpression"] = "cron(0 2 * * ? *)",
            ["state"] = "ENABLED",
        }));
        var targets = t.FindResources("aws:cloudwatch:EventTarget");
        var target = Assert.Single(targets);
        Assert.Equal("Nightly-Cleanup", target.Key);
        t.HasResourceProperties("aws:cloudwatch:EventTarget", Match.ObjectEquals(new D { ["arn"] = "${Cleanup.arn}", ["rule"] = "${Nightly.name}" }));
        t.HasResourceProperties("aws:lambda:Permission", Match.ObjectEquals(new D
        {
            ["action"] = "lambda:InvokeFunction",
            ["function"] = "${Cleanup.name}",
            ["principal"] = "events.amazonaws.com",
            ["sourceArn"] = "${Nightly.arn}",
        }));
        t.HasResource("aws:cloudwatch:EventTarget", new D { ["options"] = new D { ["dependsOn"] = Match.ArrayWith("${Nightly-Cleanup-Permission}") } });

        Assert.Equal(ScheduleEngine.EventBridgeRule, schedule.Engine);
        Assert.NotNull(schedule.Rule);
        Assert.Null(schedule.Role);
        Assert.Empty(schedule.SchedulerSchedules);
        Assert.Null(schedule.SchedulerSchedule);
        Assert.Same(fn, Assert.Single(schedule.Targets).Function);
        AssertDeployable(stack);
    }

    [Fact]
    public void A_constant_input_is_rendered_through_toJSON_with_the_handlers_json_names()
    {
        var stack = TestStacks.Create();
        var report = new Function<SendReport>(stack, "Report");
        var count = new Function<CountReport>(stack, "Count");
        var py = PythonFn(stack, EventSources.Direct);
        new Schedule(stack, "Weekly", new() { Expression = "rate(7 days)" })
            .Invoke(report, new ReportRequest("weekly", 7), ScheduleTestJson.Default.ReportRequest)
            .Invoke<CountReport, ReportRequest, int>(count, new ReportRequest("count", 1), ScheduleTestJson.Default.ReportRequest)
            .Invoke(py, new JsonObject { ["job"] = "purge", ["limits"] = new JsonArray(1, 2.5), ["dry"] = false, ["note"] = null });

        var t = Template.From(stack);
        t.ResourceCountIs("aws:cloudwatch:EventTarget", 3);
        t.HasResourceProperties("aws:cloudwatch:EventTarget", new D
        {
            ["arn"] = "${Report.arn}",
            ["input"] = new D { ["fn::toJSON"] = Match.ObjectEquals(new D { ["kind"] = "weekly", ["days"] = 7 }) },
        });
        t.HasResourceProperties("aws:cloudwatch:EventTarget", new D
        {
            ["arn"] = "${Count.arn}",
            ["input"] = Match.Json(Match.ObjectEquals(new D { ["kind"] = "count", ["days"] = 1 })),
        });
        t.HasResourceProperties("aws:cloudwatch:EventTarget", new D
        {
            ["arn"] = "${Py.arn}",
            ["input"] = new D
            {
                ["fn::toJSON"] = Match.ObjectEquals(new D { ["job"] = "purge", ["limits"] = new object[] { 1, 2.5 }, ["dry"] = false, ["note"] = null }),
            },
        });
        t.HasResourceProperties("aws:cloudwatch:EventRule", new D { ["scheduleExpression"] = "rate(7 days)" });
    }

    [Fact]
    public void Expression_helpers_give_canonical_text_and_Enabled_false_disables_the_rule()
    {
        var stack = TestStacks.Create();
        var fn = Cleanup(stack);
        var a = new Schedule(stack, "A", new() { Expression = Schedule.Rate(TimeSpan.FromHours(24)), Enabled = false }).Invoke(fn);
        var b = new Schedule(stack, "B", new() { Expression = Schedule.Rate(TimeSpan.FromMinutes(90)) }).Invoke(fn);
        var c = new Schedule(stack, "C", new() { Expression = ScheduleExpression.WeeklyOn(DayOfWeek.Monday, 9, 30) }).Invoke(fn);
        var d = new Schedule(stack, "D", new() { Expression = Schedule.Expression("cron(0 12 ? jan,feb mon-fri *)") }).Invoke(fn);
        var e = new Schedule(stack, "E", new() { Expression = Schedule.Cron("cron(0/15 * * * ? *)") }).Invoke(fn);

        Assert.Equal("rate(1 day)", a.ExpressionText);
        Assert.Equal("rate(90 minutes)", b.ExpressionText);
        Assert.Equal("cron(30 9 ? * MON *)", c.ExpressionText);
        Assert.Equal(ScheduleExpression.Parse("cron(0 12 ? JAN,FEB MON-FRI *)"), d.ScheduleExpression);
        Assert.Equal("cron(0/15 * * * ? *)", e.ExpressionText);
        var t = Template.From(stack);
        t.HasResourceProperties("aws:cloudwatch:EventRule", new D { ["scheduleExpression"] = "rate(1 day)", ["state"] = "DISABLED" });
        t.HasResourceProperties("aws:cloudwatch:EventRule", new D { ["scheduleExpression"] = "rate(90 minutes)", ["state"] = "ENABLED" });
        t.HasResourceProperties("aws:cloudwatch:EventRule", new D { ["scheduleExpression"] = d.ExpressionText });
        Assert.DoesNotContain("description", t.FindResources("aws:cloudwatch:EventRule")["A"]["properties"]!.AsObject().Select(p => p.Key));
        // The same function in five rules gets five permissions, each scoped to its own rule.
        foreach (var rule in new[] { "A", "B", "C", "D", "E" })
        {
            t.HasResourceProperties("aws:lambda:Permission", new D { ["function"] = "${Cleanup.name}", ["sourceArn"] = $"${{{rule}.arn}}" });
        }
    }

    [Fact]
    public void Scheduler_variant_has_its_own_role_allowed_exactly_InvokeFunction_on_its_targets()
    {
        var stack = TestStacks.Create();
        var cleanup = Cleanup(stack);
        var report = new Function<SendReport>(stack, "Report");
        var schedule = new Schedule(stack, "Morning", new()
        {
            Expression = ScheduleExpression.DailyAt(9, 0),
            TimeZone = "Europe/Paris",
            Description = "9:00 in Paris",
        })
            .Invoke(cleanup)
            .Invoke(report, new ReportRequest("daily", 1), ScheduleTestJson.Default.ReportRequest);

        Assert.Equal(ScheduleEngine.Scheduler, schedule.Engine);
        var t = Template.From(stack);
        t.ResourceCountIs("aws:scheduler:Schedule", 2);
        t.ResourceCountIs("aws:cloudwatch:EventRule", 0);
        t.ResourceCountIs("aws:lambda:Permission", 0);
        t.HasResourceProperties("aws:scheduler:Schedule", Match.ObjectEquals(new D
        {
            ["description"] = "9:00 in Paris",
            ["flexibleTimeWindow"] = new D { ["mode"] = "OFF" },
            ["scheduleExpression"] = "cron(0 9 * * ? *)",
            ["scheduleExpressionTimezone"] = "Europe/Paris",
            ["state"] = "ENABLED",
            ["target"] = Match.ObjectEquals(new D
            {
                ["arn"] = "${Cleanup.arn}",
                ["input"] = new D
                {
                    // Scheduler sends its input as is: Lamina writes the scheduled-event envelope a ScheduledEvent handler reads.
                    ["fn::toJSON"] = Match.ObjectEquals(new D
                    {
                        ["version"] = "0",
                        ["id"] = "<aws.scheduler.execution-id>",
                        ["detail-type"] = "Scheduled Event",
                        ["source"] = "aws.scheduler",
                        ["account"] = "${awsCallerIdentity.accountId}",
                        ["time"] = "<aws.scheduler.scheduled-time>",
                        ["region"] = "us-east-1",
                        ["resources"] = new[] { "<aws.scheduler.schedule-arn>" },
                        ["detail"] = new D(),
                    }),
                },
                ["roleArn"] = "${Morning-Role.arn}",
            }),
        }));
        t.HasResourceProperties("aws:scheduler:Schedule", new D
        {
            ["target"] = new D { ["arn"] = "${Report.arn}", ["input"] = Match.Json(Match.ObjectEquals(new D { ["kind"] = "daily", ["days"] = 1 })) },
        });
        t.HasResource("aws:scheduler:Schedule", new D { ["options"] = new D { ["dependsOn"] = Match.ArrayWith("${Morning-Role-Policy}") } });
        t.HasResourceProperties("aws:iam:Role", new D
        {
            ["assumeRolePolicy"] = Match.Json(Match.ObjectLike(new D
            {
                ["Statement"] = new object[] { new D { ["Principal"] = new D { ["Service"] = "scheduler.amazonaws.com" } } },
            })),
        });
        var policy = t.FindResources("aws:iam:RolePolicy")["Morning-Role-Policy"];
        Assert.Equal("${Morning-Role.id}", policy["properties"]!["role"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"fn::toJSON": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "${Cleanup.arn}"},
              {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "${Report.arn}"}]}}
            """), policy["properties"]!["policy"]), policy.ToJsonString());
        // The functions' own roles gain nothing.
        Assert.DoesNotContain("lambda:InvokeFunction", t.FindResources("aws:iam:RolePolicy")["Cleanup-Role-Policy"].ToJsonString());

        Assert.NotNull(schedule.Role);
        Assert.Equal(2, schedule.SchedulerSchedules.Count);
        Assert.Same(schedule.Targets[0].SchedulerSchedule, schedule.SchedulerSchedule);
        Assert.Null(schedule.Rule);
        AssertDeployable(stack);
    }

    [Fact]
    public void Flexible_windows_at_expressions_and_UseScheduler_select_Scheduler()
    {
        var stack = TestStacks.Create();
        var fn = Cleanup(stack);
        var flexible = new Schedule(stack, "Flexible", new() { Expression = "rate(1 hour)", FlexibleWindow = TimeSpan.FromMinutes(15), Enabled = false }).Invoke(fn);
        var once = new Schedule(stack, "Once", new() { Expression = ScheduleExpression.At(new DateTime(2030, 1, 31, 9, 30, 0)) }).Invoke(fn);
        var forced = new Schedule(stack, "Forced", new() { Expression = "rate(5 minutes)", UseScheduler = true }).Invoke(fn);
        var plain = new Schedule(stack, "Plain", new() { Expression = "rate(5 minutes)" }).Invoke(fn);

        Assert.Equal([ScheduleEngine.Scheduler, ScheduleEngine.Scheduler, ScheduleEngine.Scheduler, ScheduleEngine.EventBridgeRule],
            new[] { flexible, once, forced, plain }.Select(s => s.Engine));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:scheduler:Schedule", new D
        {
            ["scheduleExpression"] = "rate(1 hour)",
            ["flexibleTimeWindow"] = Match.ObjectEquals(new D { ["maximumWindowInMinutes"] = 15, ["mode"] = "FLEXIBLE" }),
            ["state"] = "DISABLED",
            ["scheduleExpressionTimezone"] = Match.Absent(),
        });
        t.HasResourceProperties("aws:scheduler:Schedule", new D { ["scheduleExpression"] = "at(2030-01-31T09:30:00)" });
        t.HasResourceProperties("aws:scheduler:Schedule", new D { ["scheduleExpression"] = "rate(5 minutes)", ["flexibleTimeWindow"] = new D { ["mode"] = "OFF" } });
        t.ResourceCountIs("aws:cloudwatch:EventRule", 1);
        AssertDeployable(stack);
    }

    [Fact]
    public void Scheduler_only_features_on_a_forced_rule_name_their_property()
    {
        var stack = TestStacks.Create();
        new Schedule(new Construct(stack, "Jobs"), "Nightly", new()
        {
            Expression = "at(2030-01-01T00:00:00)",
            TimeZone = "Europe/Paris",
            FlexibleWindow = TimeSpan.FromMinutes(5),
            UseScheduler = false,
        }).Invoke(Cleanup(stack));
        var e = TestStacks.SynthFails(stack);
        Assert.Equal(3, e.Errors.Count);
        Assert.All(e.Errors, x =>
        {
            Assert.Equal("shop/Jobs/Nightly", x.Path);
            Assert.Contains("needs EventBridge Scheduler", x.Message);
            Assert.Contains("UseScheduler = true", x.Message);
        });
        Assert.Equal(["Expression", "FlexibleWindow", "TimeZone"], e.Errors.Select(x => x.Property).Order());
        Assert.Contains(e.Errors, x => x.Property == "Expression" && x.Message.Contains("at(2030-01-01T00:00:00)") && x.Message.Contains("cron(...) and rate(...)"));
    }

    [Theory]
    [InlineData("Mars/Base", "is not an IANA time zone id")]
    [InlineData("Pacific Standard Time", "is not an IANA time zone id")]
    [InlineData("localtime", "is not an IANA time zone id")]
    [InlineData("", "is not an IANA time zone id")]
    [InlineData("europe/paris", "exactly as its IANA id 'Europe/Paris'")]
    public void Time_zones_must_be_IANA_ids(string zone, string message)
    {
        var stack = TestStacks.Create();
        new Schedule(stack, "Nightly", new() { Expression = "cron(0 2 * * ? *)", TimeZone = zone }).Invoke(Cleanup(stack));
        var e = TestStacks.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop/Nightly", error.Path);
        Assert.Equal("TimeZone", error.Property);
        Assert.Contains(message, error.Message);
        if (!message.StartsWith("exactly", StringComparison.Ordinal))
        {
            Assert.Contains("such as 'Europe/Paris'", error.Message);
        }
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("UTC")]
    public void Valid_time_zones_are_resolved(string zone)
    {
        var stack = TestStacks.Create();
        var s = new Schedule(stack, "Nightly", new() { Expression = "cron(0 2 * * ? *)", TimeZone = zone }).Invoke(Cleanup(stack));
        Template.From(stack).HasResourceProperties("aws:scheduler:Schedule", new D { ["scheduleExpressionTimezone"] = zone });
        Assert.Equal(zone, s.TimeZone!.Id);
        Assert.Equal(zone, s.TimeZoneId);
    }

    public static TheoryData<string, ScheduleSpec, string[]> BadExpressions => new()
    {
        { "both day fields", "cron(0 10 * * * *)", ["exactly one of day-of-month and day-of-week must be '?'"] },
        { "two bad fields", "cron(60 24 * * ? *)", ["minutes: value 60 is out of range 0-59", "hours: value 24 is out of range 0-23"] },
        { "singular unit", "rate(5 minute)", ["plural unit 'minutes'"] },
        { "zero rate", "rate(0 minutes)", ["must be a positive integer"] },
        { "no prefix", "every day at 2", ["must start with 'cron(', 'rate(' or 'at('"] },
        { "empty", "", ["schedule expression is empty"] },
        { "five cron fields", Schedule.Cron("0 2 * * ?"), ["found 5; the year field is required"] },
        { "hour 25", Schedule.Cron("0 25 * * ? *"), ["hours: value 25 is out of range 0-23"] },
        { "seconds rate", Schedule.Rate(TimeSpan.FromSeconds(30)), ["positive whole number of minutes, hours or days"] },
        { "negative rate", Schedule.Rate(TimeSpan.FromMinutes(-5)), ["positive whole number of minutes"] },
        { "blank cron", Schedule.Cron(" "), ["the six fields are missing"] },
        { "bad at", "at(2030-02-30T00:00:00)", ["is not a valid calendar date and time"] },
    };

    [Theory]
    [MemberData(nameof(BadExpressions))]
    public void Bad_expressions_report_every_error_on_Expression_with_the_schedule_path(string _, ScheduleSpec expression, string[] messages)
    {
        var stack = TestStacks.Create();
        new Schedule(new Construct(stack, "Jobs"), "Nightly", new() { Expression = expression }).Invoke(Cleanup(stack));
        var e = TestStacks.SynthFails(stack);
        Assert.Equal(messages.Length, e.Errors.Count);
        Assert.All(e.Errors, x =>
        {
            Assert.Equal("shop/Jobs/Nightly", x.Path);
            Assert.Equal("Expression", x.Property);
        });
        foreach (var m in messages)
        {
            Assert.Contains(e.Errors, x => x.Message.Contains(m, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void An_invalid_expression_has_no_occurrences()
    {
        var stack = TestStacks.Create();
        var s = new Schedule(stack, "Bad", new() { Expression = "rate(soon)" });
        Assert.Null(s.ScheduleExpression);
        var ex = Assert.Throws<InvalidOperationException>(() => s.NextOccurrences(DateTimeOffset.UnixEpoch, 1));
        Assert.Contains("shop/Bad", ex.Message);
    }

    [Fact]
    public void A_rule_takes_at_most_five_targets_but_Scheduler_takes_one_schedule_per_target()
    {
        var stack = TestStacks.Create();
        var fns = Enumerable.Range(1, 6).Select(i => Cleanup(stack, $"Job{i}")).ToList();
        var rule = new Schedule(stack, "Rule", new() { Expression = "rate(1 hour)" });
        var scheduler = new Schedule(stack, "Sched", new() { Expression = "rate(1 hour)", UseScheduler = true });
        foreach (var fn in fns)
        {
            rule.Invoke(fn);
            scheduler.Invoke(fn);
        }
        var e = TestStacks.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop/Rule", error.Path);
        Assert.Equal("Targets", error.Property);
        Assert.Contains("6 targets", error.Message);
        Assert.Contains("at most 5", error.Message);
        Assert.Equal(6, scheduler.SchedulerSchedules.Count);
    }

    [Fact]
    public void Five_targets_and_a_repeated_function_are_fine()
    {
        var stack = TestStacks.Create();
        var fn = Cleanup(stack);
        var report = new Function<SendReport>(stack, "Report");
        var s = new Schedule(stack, "Rule", new() { Expression = "rate(1 hour)" })
            .Invoke(fn).Invoke(fn)
            .Invoke(report, new ReportRequest("a", 1), ScheduleTestJson.Default.ReportRequest)
            .Invoke(report, new ReportRequest("b", 2), ScheduleTestJson.Default.ReportRequest)
            .Invoke(report, new ReportRequest("c", 3), ScheduleTestJson.Default.ReportRequest);
        Assert.Equal(["Cleanup", "Cleanup2", "Report", "Report2", "Report3"], s.Targets.Select(x => x.Id));
        var t = Template.From(stack);
        t.ResourceCountIs("aws:cloudwatch:EventTarget", 5);
        t.ResourceCountIs("aws:lambda:Permission", 5);
        Assert.Contains("Rule-Report3-Permission", t.FindResources("aws:lambda:Permission").Keys);
    }

    [Fact]
    public void Description_and_flexible_window_ranges_are_checked()
    {
        var stack = TestStacks.Create();
        new Schedule(stack, "A", new() { Expression = "rate(1 hour)", Description = new string('d', 513) }).Invoke(Cleanup(stack));
        new Schedule(stack, "B", new() { Expression = "rate(1 hour)", FlexibleWindow = TimeSpan.FromMinutes(1441) });
        new Schedule(stack, "C", new() { Expression = "rate(1 hour)", FlexibleWindow = TimeSpan.FromSeconds(90) });
        new Schedule(stack, "D", new() { Expression = "rate(1 hour)", FlexibleWindow = TimeSpan.Zero });
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/A" && x.Property == "Description" && x.Message.Contains("513 characters") && x.Message.Contains("at most 512"));
        foreach (var path in new[] { "shop/B", "shop/C", "shop/D" })
        {
            Assert.Contains(e.Errors, x => x.Path == path && x.Property == "FlexibleWindow" && x.Message.Contains("whole minutes, 1-1,440"));
        }
        Assert.Equal(4, e.Errors.Count);
    }

    [Fact]
    public void A_schedule_without_targets_warns()
    {
        var stack = TestStacks.Create();
        new Schedule(stack, "Idle", new() { Expression = "rate(1 hour)" });
        var t = Template.From(stack);
        Assert.Contains(t.Warnings, w => w.Path == "shop/Idle" && w.Property == "Targets" && w.Message.Contains("nothing runs"));
    }

    [Fact]
    public void Rule_inputs_over_8192_characters_and_fn_keys_are_rejected()
    {
        var stack = TestStacks.Create();
        var py = PythonFn(stack, EventSources.Direct);
        new Schedule(stack, "Big", new() { Expression = "rate(1 hour)" }).Invoke(py, new JsonObject { ["blob"] = new string('x', 8200) });
        new Schedule(stack, "Fn", new() { Expression = "rate(1 hour)" }).Invoke(py, new JsonObject { ["a"] = new JsonObject { ["fn::secret"] = "x" } });
        new Schedule(stack, "Huge", new() { Expression = "rate(1 hour)" }).Invoke(py, new JsonObject { ["n"] = 9_007_199_254_740_993 });
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Big" && x.Property == "input" && x.Message.Contains("shop/Py") && x.Message.Contains("at most 8192"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Fn" && x.Property == "input" && x.Message.Contains("'fn::secret' at $.a"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Huge" && x.Property == "input" && x.Message.Contains("2^53"));
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void Declared_functions_must_handle_schedule_events_or_direct_json()
    {
        var stack = TestStacks.Create();
        var direct = PythonFn(stack, EventSources.Direct, "DirectOnly");
        var scheduled = PythonFn(stack, EventSources.Schedule, "ScheduleOnly");
        new Schedule(stack, "Ok", new() { Expression = "rate(1 hour)" }).Invoke(scheduled).Invoke(direct, new JsonObject { ["a"] = 1 });
        new Schedule(stack, "NoInput", new() { Expression = "rate(1 hour)" }).Invoke(direct);
        new Schedule(stack, "WithInput", new() { Expression = "rate(1 hour)" }).Invoke(scheduled, new JsonObject { ["a"] = 1 });
        var e = TestStacks.SynthFails(stack);
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Path == "shop/NoInput" && x.Message.Contains("shop/DirectOnly") && x.Message.Contains("Handles = EventSources.Schedule"));
        Assert.Contains(e.Errors, x => x.Path == "shop/WithInput" && x.Message.Contains("shop/ScheduleOnly") && x.Message.Contains("Handles = EventSources.Direct"));
    }

    [Fact]
    public void Transforms_apply_and_transformed_names_and_expressions_are_checked()
    {
        var stack = TestStacks.Create();
        var fn = Cleanup(stack);
        new Schedule(stack, "Ok", new()
        {
            Expression = "rate(1 hour)",
            Transform = new() { Rule = a => a.Name = "shop.nightly-rule_1", Target = a => a.RetryPolicy = new() { MaximumRetryAttempts = 2 } },
        }).Invoke(fn);
        new Schedule(stack, "OkSched", new()
        {
            Expression = "rate(1 hour)",
            UseScheduler = true,
            Transform = new() { SchedulerSchedule = a => a.GroupName = "jobs", Role = a => a.MaxSessionDuration = 7200 },
        }).Invoke(fn);
        var t = Template.From(stack);
        t.HasResourceProperties("aws:cloudwatch:EventRule", new D { ["name"] = "shop.nightly-rule_1" });
        t.HasResourceProperties("aws:cloudwatch:EventTarget", new D { ["retryPolicy"] = new D { ["maximumRetryAttempts"] = 2 } });
        t.HasResourceProperties("aws:scheduler:Schedule", new D { ["groupName"] = "jobs" });
        t.HasResourceProperties("aws:iam:Role", new D { ["maxSessionDuration"] = 7200 });

        var bad = TestStacks.Create();
        var f = Cleanup(bad);
        new Schedule(bad, "Long", new() { Expression = "rate(1 hour)", Transform = new() { Rule = a => a.Name = new string('r', 65) } }).Invoke(f);
        new Schedule(bad, "Chars", new() { Expression = "rate(1 hour)", Transform = new() { Rule = a => a.Name = "nightly rule!" } }).Invoke(f);
        new Schedule(bad, "SchedName", new() { Expression = "rate(1 hour)", UseScheduler = true, Transform = new() { SchedulerSchedule = a => a.Name = new string('s', 65) } }).Invoke(f);
        new Schedule(bad, "AtOnRule", new() { Expression = "rate(1 hour)", Transform = new() { Rule = a => a.ScheduleExpression = "at(2030-01-01T00:00:00)" } }).Invoke(f);
        new Schedule(bad, "BadText", new() { Expression = "rate(1 hour)", Transform = new() { Rule = a => a.ScheduleExpression = "rate(1 hours)" } }).Invoke(f);
        var logical = new Schedule(bad, "Renamed", new() { Expression = "rate(1 hour)" }).Invoke(f);
        logical.Rule!.OverrideLogicalName(new string('n', 60));
        var e = TestStacks.SynthFails(bad);
        Assert.Contains(e.Errors, x => x.Path == "shop/Long" && x.Property == "Name" && x.Message.Contains("65 characters") && x.Message.Contains("1-64"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Chars" && x.Property == "Name" && x.Message.Contains("letters, digits, '.', '-' and '_'"));
        Assert.Contains(e.Errors, x => x.Path == "shop/SchedName" && x.Property == "Name" && x.Message.Contains("Scheduler schedule name"));
        Assert.Contains(e.Errors, x => x.Path == "shop/AtOnRule" && x.Property == "Expression" && x.Message.Contains("only EventBridge Scheduler accepts"));
        Assert.Contains(e.Errors, x => x.Path == "shop/BadText" && x.Property == "Expression" && x.Message.Contains("singular unit 'hour'"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Renamed" && x.Property == "Name" && x.Message.Contains("68 characters"));
        Assert.Equal(6, e.Errors.Count);
    }

    [Fact]
    public void Long_construct_ids_still_give_rule_and_schedule_names_that_fit()
    {
        var stack = TestStacks.Create();
        var group = new Construct(stack, new string('g', 40));
        var fn = Cleanup(stack, new string('f', 40));
        var rule = new Schedule(group, new string('r', 40), new() { Expression = "rate(1 hour)" }).Invoke(fn);
        var sched = new Schedule(group, new string('s', 40), new() { Expression = "rate(1 hour)", UseScheduler = true }).Invoke(fn);
        Assert.True(rule.Rule!.LogicalName.Length + 8 <= 64, rule.Rule.LogicalName);
        Assert.True(sched.SchedulerSchedule!.LogicalName.Length + 8 <= 64, sched.SchedulerSchedule.LogicalName);
        Template.From(stack).ResourceCountIs("aws:scheduler:Schedule", 1);
    }

    [Fact]
    public void The_construct_tree_describes_every_schedule_for_local_runs()
    {
        var stack = TestStacks.Create();
        var cleanup = Cleanup(stack);
        var py = PythonFn(stack, EventSources.Direct);
        new Schedule(stack, "Nightly", new() { Expression = "cron(0 2 * * ? *)" }).Invoke(cleanup).Invoke(py, new JsonObject { ["job"] = "purge" });
        new Schedule(new Construct(stack, "Eu"), "Monday", new() { Expression = ScheduleExpression.WeeklyOn(DayOfWeek.Monday, 9, 0), TimeZone = "Europe/Paris" }).Invoke(cleanup);
        new Schedule(stack, "Every", new() { Expression = Schedule.Rate(TimeSpan.FromMinutes(45)) }).Invoke(cleanup);

        var all = Schedule.FindAll(stack.App);
        Assert.Equal(["shop/Nightly", "shop/Eu/Monday", "shop/Every"], all.Select(s => s.Path));
        var nightly = all[0];
        Assert.Equal([cleanup, (FunctionBase)py], nightly.Targets.Select(x => x.Function));
        Assert.True(nightly.Targets[0].DeliversScheduledEvent);
        Assert.Null(nightly.Targets[0].Input);
        Assert.Equal("""{"job":"purge"}""", nightly.Targets[1].InputJson);
        Assert.Equal("purge", nightly.Targets[1].Input!["job"]!.GetValue<string>());

        var from = new DateTimeOffset(2024, 3, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(["2024-03-30T02:00Z", "2024-03-31T02:00Z", "2024-04-01T02:00Z"], Utc(nightly.NextOccurrences(from, 3)));
        // Europe/Paris: 09:00 is 08:00Z in winter, 07:00Z after the switch to summer time on 2024-03-31.
        Assert.Equal(["2024-03-25T08:00Z", "2024-04-01T07:00Z"], Utc(all[1].NextOccurrences(new DateTimeOffset(2024, 3, 20, 0, 0, 0, TimeSpan.Zero), 2)));
        Assert.Equal(TimeSpan.FromHours(2), all[1].NextOccurrences(from, 1)[0].Offset);
        // A rate counts from the anchor given (or from 'from').
        Assert.Equal(["2024-03-29T12:45Z", "2024-03-29T13:30Z"], Utc(all[2].NextOccurrences(from, 2)));
        Assert.Equal(["2024-03-29T12:30Z"], Utc(all[2].NextOccurrences(from, 1, rateStart: from.AddMinutes(-15))));
        Assert.Empty(all[2].NextOccurrences(from, 0));

        var time = new DateTimeOffset(2024, 3, 30, 2, 0, 0, TimeSpan.Zero);
        var payload = JsonNode.Parse(nightly.Targets[0].PayloadAt(time, "e-1", "123456789012", "us-east-1"))!;
        Assert.Equal("Scheduled Event", payload["detail-type"]!.GetValue<string>());
        Assert.Equal("aws.events", payload["source"]!.GetValue<string>());
        Assert.Equal("2024-03-30T02:00:00Z", payload["time"]!.GetValue<string>());
        Assert.Equal("arn:aws:events:us-east-1:123456789012:rule/Nightly", payload["resources"]![0]!.GetValue<string>());
        Assert.Equal("""{"job":"purge"}""", nightly.Targets[1].PayloadAt(time, "e-2", "123456789012", "us-east-1"));
        var schedulerPayload = JsonNode.Parse(all[1].Targets[0].PayloadAt(time, "e-3", "123456789012", "eu-west-3"))!;
        Assert.Equal("aws.scheduler", schedulerPayload["source"]!.GetValue<string>());
        Assert.Equal("arn:aws:scheduler:eu-west-3:123456789012:schedule/default/Eu-Monday-Cleanup", schedulerPayload["resources"]![0]!.GetValue<string>());
        // The envelope reads as the handler's event type.
        var ev = System.Text.Json.JsonSerializer.Deserialize(payload.ToJsonString(), Lamina.Lambda.Serialization.LambdaEventsJsonContext.Default.ScheduledEvent)!;
        Assert.Equal("e-1", ev.Id);
        Assert.Equal("123456789012", ev.Account);
    }

    private static string[] Utc(IEnumerable<DateTimeOffset> times) =>
        times.Select(x => x.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture)).ToArray();

    private const string SnippetHandlers = """
        using System.Text.Json.Nodes;
        using System.Text.Json.Serialization.Metadata;
        using Lamina.Aws.Scheduling;

        public sealed record Job(string Name);

        public sealed class Nightly : IScheduledHandler
        {
            public Task<LambdaVoid> HandleAsync(ScheduledEvent input, ILambdaContext context) => LambdaVoid.Completed;
        }

        public sealed class RunJob : ILambdaHandler<Job, LambdaVoid>
        {
            public Task<LambdaVoid> HandleAsync(Job input, ILambdaContext context) => LambdaVoid.Completed;
        }

        public sealed class CountJob : ILambdaHandler<Job, int>
        {
            public Task<int> HandleAsync(Job input, ILambdaContext context) => Task.FromResult(1);
        }

        public sealed class Http : IHttpApiHandler
        {
            public Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context) => Task.FromResult(HttpApiResponse.Text(200, "ok"));
        }

        """;

    private static string Snippet(string body) => SnippetHandlers + $$"""
        public static class Program
        {
            public static void Wire(Stack stack, JsonTypeInfo<Job> jobJson, JsonTypeInfo<ScheduledEvent> eventJson)
            {
                var s = new Schedule(stack, "S", new() { Expression = Schedule.Cron("0 2 * * ? *") });
                {{body}}
            }
        }
        """;

    [Fact]
    public void Typed_wiring_compiles_for_matching_handlers()
    {
        CompileCheck.Compiles(Snippet("""
            s.Invoke(new Function<Nightly>(stack, "A"))
             .Invoke(new Function<RunJob>(stack, "B"), new Job("x"), jobJson)
             .Invoke<CountJob, Job, int>(new Function<CountJob>(stack, "C"), new Job("x"), jobJson)
             .Invoke(new Function(stack, "D", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b", Handles = EventSources.Schedule }))
             .Invoke(new Function(stack, "E", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b" }), new JsonObject { ["a"] = 1 });
            """));
    }

    // CS0311: the handler has no implicit reference conversion to the constraint; CS1503: an argument of the wrong type;
    // CS0411: type arguments cannot be inferred (a result type to name).
    [Theory]
    [InlineData("s.Invoke(new Function<Http>(stack, \"A\"));", "CS0311")]                                     // an HTTP handler cannot run on a schedule
    [InlineData("s.Invoke(new Function<RunJob>(stack, \"A\"));", "CS0311")]                                   // a Job handler does not receive the scheduled event
    [InlineData("s.Invoke(new Function<Nightly>(stack, \"A\"), new Job(\"x\"), jobJson);", "CS0311")]         // a scheduled-event handler does not receive a Job
    [InlineData("s.Invoke(new Function<CountJob>(stack, \"A\"), new Job(\"x\"), jobJson);", "CS0311", "CS0411")] // a value-returning handler: name the three types
    [InlineData("s.Invoke(new Function<RunJob>(stack, \"A\"), new Job(\"x\"), eventJson);", "CS0411", "CS1503")] // the JSON metadata must be for the input's type
    public void Typed_wiring_rejects_handlers_of_another_event(string body, params string[] ids)
    {
        var errors = CompileCheck.FailsWith(Snippet(body), ids);
        Assert.All(errors, e => Assert.Contains(e.Id, ids));
    }
}
