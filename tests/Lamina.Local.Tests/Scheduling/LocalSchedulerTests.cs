using System.Collections.Concurrent;
using Lamina.Aws.Semantics.Scheduling;
using Lamina.Local.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Scheduling;

public sealed class LocalSchedulerTests
{
    // A Monday.
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Harness
    {
        internal Harness(DateTimeOffset? start = null)
        {
            Clock = new FakeTimeProvider(start ?? Start);
            Engine = new LocalScheduler(Clock);
        }

        internal FakeTimeProvider Clock { get; }

        internal LocalScheduler Engine { get; }

        internal ConcurrentQueue<LocalScheduleOccurrence> Received { get; } = new();

        internal void Add(string name, string expression, string? zone = null, DateTimeOffset? startDate = null,
            DateTimeOffset? endDate = null, bool enabled = true, Func<LocalScheduleOccurrence, Task>? target = null) =>
            Engine.Add(new LocalScheduleDefinition
            {
                Name = name,
                Expression = ScheduleExpression.Parse(expression),
                TimeZone = zone,
                StartDate = startDate,
                EndDate = endDate,
                Enabled = enabled,
                Target = (occurrence, _) =>
                {
                    Received.Enqueue(occurrence);
                    return target?.Invoke(occurrence) ?? Task.CompletedTask;
                },
            });

        internal async Task<List<LocalScheduleOccurrence>> AdvanceAsync(TimeSpan by)
        {
            var before = Received.Count;
            Clock.Advance(by);
            Engine.ProcessDue();
            await Engine.RunUntilIdleAsync();
            return [.. Received.Skip(before)];
        }
    }

    [Fact]
    public async Task A_rate_of_one_hour_fires_24_times_in_a_day_each_with_its_own_scheduled_time()
    {
        var h = new Harness(Start.AddMinutes(7));
        h.Add("hourly", "rate(1 hour)");
        Assert.Equal(Start.AddMinutes(67), h.Engine.NextDueTime);

        var fired = await h.AdvanceAsync(TimeSpan.FromDays(1));

        Assert.Equal(24, fired.Count);
        Assert.Equal(Enumerable.Range(1, 24).Select(i => Start.AddMinutes(7).AddHours(i)), fired.Select(o => o.ScheduledTime));
        Assert.All(fired, o => Assert.Equal(Start.AddMinutes(7).AddDays(1), o.FiredAt));
        Assert.All(fired, o => Assert.False(o.Manual));
        Assert.Equal(Start.AddMinutes(7).AddHours(25), h.Engine.NextDueTime);
        var status = Assert.Single(h.Engine.Schedules);
        Assert.Equal(new LocalScheduleStatus("hourly", "rate(1 hour)", null, true, Start.AddMinutes(7).AddHours(25), 24, 0,
            Start.AddMinutes(7).AddHours(24)), status);

        // Nothing more is due at the same time.
        Assert.Equal(0, h.Engine.ProcessDue());
    }

    [Fact]
    public async Task Weekday_cron_fires_five_times_in_a_week()
    {
        var h = new Harness();
        h.Add("weekdays", "cron(0 9 ? * MON-FRI *)");

        var fired = await h.AdvanceAsync(TimeSpan.FromDays(7));

        Assert.Equal(
            [Utc("2026-03-02T09:00"), Utc("2026-03-03T09:00"), Utc("2026-03-04T09:00"), Utc("2026-03-05T09:00"), Utc("2026-03-06T09:00")],
            fired.Select(o => o.ScheduledTime));
        Assert.Equal(Utc("2026-03-09T09:00"), h.Engine.NextDueTime);
    }

    [Fact]
    public async Task The_first_occurrence_is_strictly_after_the_time_the_schedule_is_added()
    {
        var h = new Harness(Utc("2026-03-02T10:00"));
        h.Add("top-of-hour", "cron(0 * * * ? *)");
        Assert.Equal(Utc("2026-03-02T11:00"), h.Engine.NextDueTime);
        Assert.Empty(await h.AdvanceAsync(TimeSpan.Zero));
        Assert.Equal([Utc("2026-03-02T11:00")], (await h.AdvanceAsync(TimeSpan.FromHours(1))).Select(o => o.ScheduledTime));
    }

    [Fact]
    public async Task An_at_schedule_fires_once()
    {
        var h = new Harness();
        h.Add("once", "at(2026-03-03T12:30:00)");
        h.Add("past", "at(2026-03-01T12:30:00)");
        Assert.Null(h.Engine.Schedules.Single(s => s.Name == "past").NextOccurrence);

        Assert.Empty(await h.AdvanceAsync(TimeSpan.FromDays(1)));
        var fired = await h.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal([Utc("2026-03-03T12:30")], fired.Select(o => o.ScheduledTime));
        Assert.Null(h.Engine.NextDueTime);
        Assert.Empty(await h.AdvanceAsync(TimeSpan.FromDays(365)));
    }

    [Fact]
    public async Task An_at_schedule_in_a_time_zone_fires_at_the_local_wall_clock_time()
    {
        var h = new Harness();
        h.Add("once", "at(2026-03-02T09:00:00)", zone: "America/New_York");
        var fired = Assert.Single(await h.AdvanceAsync(TimeSpan.FromDays(1)));
        Assert.Equal(Utc("2026-03-02T14:00"), fired.ScheduledTime);
        Assert.Equal(TimeSpan.FromHours(-5), fired.ScheduledTime.Offset);
    }

    [Fact]
    public async Task Daylight_saving_in_New_York_fires_as_the_semantics_library_says()
    {
        // 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist that day.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var start = Utc("2026-03-06T12:00");
        var h = new Harness(start);
        h.Add("daily-0230", "cron(30 2 * * ? *)", zone: "America/New_York");
        h.Add("half-hourly", "cron(0/30 * * * ? *)", zone: "America/New_York");
        h.Add("rate", "rate(6 hours)", zone: "America/New_York");

        var fired = await h.AdvanceAsync(TimeSpan.FromDays(4));

        var daily = fired.Where(o => o.ScheduleName == "daily-0230").Select(o => o.ScheduledTime).ToList();
        Assert.Equal([Utc("2026-03-07T07:30"), Utc("2026-03-09T06:30"), Utc("2026-03-10T06:30")], daily);
        var end = start.AddDays(4);
        foreach (var name in new[] { "daily-0230", "half-hourly", "rate" })
        {
            var expression = ScheduleExpression.Parse(h.Engine.Schedules.Single(s => s.Name == name).Expression);
            var expected = expression.Occurrences(start, zone, rateStart: start).TakeWhile(t => t <= end).ToList();
            Assert.Equal(expected, fired.Where(o => o.ScheduleName == name).Select(o => o.ScheduledTime));
        }

        // Every real half hour still fires (96 hours, 192 times); no local time of the missing hour is reported.
        var halfHourly = fired.Where(o => o.ScheduleName == "half-hourly").Select(o => o.ScheduledTime).ToList();
        Assert.Equal(192, halfHourly.Count);
        Assert.DoesNotContain(halfHourly, t => t.Date == new DateTime(2026, 3, 8) && t.Hour == 2);
        Assert.Contains(halfHourly, t => t == new DateTimeOffset(2026, 3, 8, 1, 30, 0, TimeSpan.FromHours(-5)));
        Assert.Contains(halfHourly, t => t == new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.FromHours(-4)));
        var beforeGap = halfHourly.IndexOf(Utc("2026-03-08T06:30"));
        Assert.Equal(Utc("2026-03-08T07:00"), halfHourly[beforeGap + 1]);
        Assert.Equal(16, fired.Count(o => o.ScheduleName == "rate"));
    }

    [Fact]
    public async Task Occurrences_of_all_schedules_fire_in_time_order_with_ties_by_name()
    {
        var h = new Harness();
        h.Add("b-quarter", "cron(0/15 * * * ? *)");
        h.Add("a-hour", "cron(0 * * * ? *)");
        h.Add("c-rate", "rate(20 minutes)");

        var fired = await h.AdvanceAsync(TimeSpan.FromHours(2));

        var order = fired.Select(o => (o.ScheduledTime, o.ScheduleName)).ToList();
        Assert.Equal(order.OrderBy(x => x.ScheduledTime).ThenBy(x => x.ScheduleName, StringComparer.Ordinal), order);
        Assert.Equal(["a-hour", "b-quarter", "c-rate"], fired.Where(o => o.ScheduledTime == Start.AddHours(1)).Select(o => o.ScheduleName));
        Assert.Equal(2 + 8 + 6, fired.Count);
        Assert.Equal(fired, h.Engine.Fired);
    }

    [Fact]
    public async Task A_failing_target_is_recorded_and_does_not_stop_the_engine()
    {
        var h = new Harness();
        var calls = 0;
        h.Add("flaky", "rate(1 hour)", target: o =>
        {
            var n = Interlocked.Increment(ref calls);
            return n switch
            {
                1 => throw new InvalidOperationException("sync failure"),
                2 => Task.FromException(new TimeoutException("async failure")),
                3 => FailLaterAsync(),
                _ => Task.CompletedTask,
            };
        });
        h.Add("steady", "rate(1 hour)");

        var fired = await h.AdvanceAsync(TimeSpan.FromHours(5));

        Assert.Equal(10, fired.Count);
        var failures = h.Engine.Failures;
        Assert.Equal(3, failures.Count);
        Assert.Equal(["sync failure", "async failure", "later failure"], failures.Select(f => f.Item2.Message));
        Assert.Equal([Start.AddHours(1), Start.AddHours(2), Start.AddHours(3)], failures.Select(f => f.Item1.ScheduledTime));
        Assert.Equal(0, h.Engine.Pending);

        static async Task FailLaterAsync()
        {
            await Task.Yield();
            throw new ArgumentException("later failure");
        }
    }

    [Fact]
    public async Task RunUntilIdle_waits_for_running_targets()
    {
        var h = new Harness();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Add("slow", "rate(1 hour)", target: _ => gate.Task);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, h.Engine.ProcessDue());
        Assert.Equal(1, h.Engine.Pending);

        var idle = h.Engine.RunUntilIdleAsync();
        await Task.Delay(20);
        Assert.False(idle.IsCompleted);
        gate.SetResult();
        await idle.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, h.Engine.Pending);
    }

    [Fact]
    public async Task Start_and_end_dates_bound_a_schedule()
    {
        var h = new Harness();
        // A rate is anchored at its start date, which is itself an occurrence.
        h.Add("rate", "rate(2 hours)", startDate: Start.AddHours(5), endDate: Start.AddHours(11));
        // A cron occurrence exactly at the start date fires; one after the end date does not.
        h.Add("cron", "cron(0 * * * ? *)", startDate: Start.AddHours(3), endDate: Start.AddHours(5).AddMinutes(30));
        Assert.Equal(Start.AddHours(3), h.Engine.NextDueTime);

        var fired = await h.AdvanceAsync(TimeSpan.FromDays(1));

        Assert.Equal([Start.AddHours(5), Start.AddHours(7), Start.AddHours(9), Start.AddHours(11)],
            fired.Where(o => o.ScheduleName == "rate").Select(o => o.ScheduledTime));
        Assert.Equal([Start.AddHours(3), Start.AddHours(4), Start.AddHours(5)],
            fired.Where(o => o.ScheduleName == "cron").Select(o => o.ScheduledTime));
        Assert.Null(h.Engine.NextDueTime);
    }

    [Fact]
    public async Task A_start_date_in_the_past_still_anchors_a_rate()
    {
        var h = new Harness(Start.AddMinutes(50));
        h.Add("rate", "rate(1 hour)", startDate: Start.AddMinutes(-30));
        Assert.Equal(Start.AddMinutes(90), h.Engine.NextDueTime);
        Assert.Equal([Start.AddMinutes(90), Start.AddMinutes(150)], (await h.AdvanceAsync(TimeSpan.FromHours(2))).Select(o => o.ScheduledTime));
    }

    [Fact]
    public async Task Disabled_schedules_do_not_fire_but_can_be_triggered_and_enabled()
    {
        var h = new Harness();
        h.Add("nightly", "cron(0 2 * * ? *)", enabled: false);
        Assert.Null(h.Engine.NextDueTime);
        Assert.Empty(await h.AdvanceAsync(TimeSpan.FromDays(2)));

        await h.Engine.TriggerAsync("nightly");
        var manual = Assert.Single(h.Received);
        Assert.Equal(new LocalScheduleOccurrence("nightly", Start.AddDays(2), Start.AddDays(2), true), manual);

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Engine.SetEnabled("nightly", true);
        Assert.Equal(Start.AddDays(2).AddHours(2), h.Engine.NextDueTime);
        var fired = await h.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.Equal([Start.AddDays(2).AddHours(2)], fired.Select(o => o.ScheduledTime));
        var status = Assert.Single(h.Engine.Schedules);
        Assert.Equal((1, 1, true), (status.FireCount, status.ManualFireCount, status.Enabled));

        h.Engine.SetEnabled("nightly", false);
        Assert.Empty(await h.AdvanceAsync(TimeSpan.FromDays(3)));
        Assert.True(h.Engine.Remove("nightly"));
        Assert.False(h.Engine.Remove("nightly"));
        Assert.Empty(h.Engine.Schedules);
    }

    [Fact]
    public async Task A_manual_trigger_that_fails_is_recorded_and_rethrown()
    {
        var h = new Harness();
        h.Add("job", "rate(1 day)", target: _ => Task.FromException(new InvalidOperationException("boom")));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.TriggerAsync("job"));
        Assert.Equal("boom", error.Message);
        var failure = Assert.Single(h.Engine.Failures);
        Assert.True(failure.Item1.Manual);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Engine.TriggerAsync("missing"));
        // The manual trigger did not move the schedule.
        Assert.Equal(Start.AddDays(1), h.Engine.NextDueTime);
    }

    [Fact]
    public void Invalid_definitions_are_rejected()
    {
        var h = new Harness();
        h.Add("job", "rate(1 day)");
        Assert.Throws<ArgumentException>(() => h.Add("job", "rate(2 days)"));
        Assert.Throws<ArgumentException>(() => h.Add("zone", "cron(0 9 * * ? *)", zone: "Mars/Olympus_Mons"));
        Assert.Throws<ArgumentException>(() => h.Add("dates", "rate(1 day)", startDate: Start.AddDays(2), endDate: Start.AddDays(1)));
        Assert.Throws<ArgumentException>(() => h.Add(" ", "rate(1 day)"));
        Assert.Single(h.Engine.Schedules);
    }

    [Fact]
    public async Task A_timer_on_the_clock_fires_each_occurrence_as_Advance_passes_it_and_ProcessDue_does_not_fire_again()
    {
        var h = new Harness();
        h.Add("hourly", "rate(1 hour)");
        h.Add("weekdays", "cron(30 9 ? * MON-FRI *)");
        h.Engine.StartTimer();

        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, h.Engine.ProcessDue());
        await h.Engine.RunUntilIdleAsync();

        var fired = h.Received.ToList();
        Assert.Equal(25, fired.Count);
        var expected = Enumerable.Range(1, 24).Select(i => (Start.AddHours(i), "hourly"))
            .Append((Start.AddHours(9.5), "weekdays"))
            .OrderBy(x => x.Item1).ToList();
        Assert.Equal(expected, fired.Select(o => (o.ScheduledTime, o.ScheduleName)));
        Assert.All(fired, o => Assert.True(o.FiredAt >= o.ScheduledTime));

        // Adding a schedule re-arms the timer.
        h.Add("soon", "rate(5 minutes)");
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("soon", h.Received.Last().ScheduleName);

        h.Engine.StopTimer();
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(26, h.Received.Count);
        Assert.Equal(13, h.Engine.ProcessDue());
    }

    [Fact]
    public async Task Timer_and_ProcessDue_racing_on_two_threads_fire_each_occurrence_once_in_order()
    {
        var h = new Harness();
        h.Add("minutely", "rate(1 minute)");
        h.Add("quarter", "cron(0/15 * * * ? *)");
        h.Engine.StartTimer();

        using var stop = new CancellationTokenSource();
        var poller = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                h.Engine.ProcessDue();
            }
        });
        for (var i = 0; i < 200; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(37));
        }

        stop.Cancel();
        await poller;
        h.Engine.ProcessDue();
        await h.Engine.RunUntilIdleAsync();

        var end = Start.AddSeconds(37 * 200);
        var fired = h.Received.Select(o => (o.ScheduledTime, o.ScheduleName)).ToList();
        var expected = ScheduleExpression.Parse("rate(1 minute)").Occurrences(Start, rateStart: Start).TakeWhile(t => t <= end).Select(t => (t, "minutely"))
            .Concat(ScheduleExpression.Parse("cron(0/15 * * * ? *)").Occurrences(Start).TakeWhile(t => t <= end).Select(t => (t, "quarter")))
            .OrderBy(x => x.t).ThenBy(x => x.Item2, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, fired);
    }

    [Fact]
    public async Task RunAsync_waits_on_the_clock_and_fires_when_due()
    {
        var h = new Harness();
        var seen = new SemaphoreSlim(0);
        h.Add("hourly", "rate(1 hour)", target: _ =>
        {
            seen.Release();
            return Task.CompletedTask;
        });
        using var cts = new CancellationTokenSource();
        var loop = h.Engine.RunAsync(cts.Token);

        for (var i = 1; i <= 3; i++)
        {
            // The loop arms its timer asynchronously: advance in small steps until the occurrence fires.
            await AdvanceUntilAsync(h.Clock, () => seen.CurrentCount > 0 || h.Received.Count >= i, TimeSpan.FromMinutes(10));
            Assert.True(await seen.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal([Start.AddHours(1), Start.AddHours(2), Start.AddHours(3)], h.Received.Select(o => o.ScheduledTime));

        // A schedule added while the loop waits wakes it.
        h.Add("soon", "rate(1 minute)");
        await AdvanceUntilAsync(h.Clock, () => h.Received.Any(o => o.ScheduleName == "soon"), TimeSpan.FromSeconds(20));

        cts.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition, TimeSpan step)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            clock.Advance(step);
            await Task.Delay(5);
        }
    }
}
