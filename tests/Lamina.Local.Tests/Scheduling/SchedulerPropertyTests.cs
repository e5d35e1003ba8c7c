using CsCheck;
using Lamina.Aws.Semantics.Scheduling;
using Lamina.Local.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Scheduling;

/// <summary>
/// For random rate and cron expressions (in UTC and in zones with daylight saving), random clock steps and a random
/// choice of driving the engine by <c>ProcessDue</c>, by its timer, or both, the fired scheduled times are exactly the
/// sequence <see cref="ScheduleExpression.Occurrences"/> gives, in order, never repeated.
/// </summary>
public sealed class SchedulerPropertyTests
{
    private static readonly string?[] Zones = [null, "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"];

    private static readonly Gen<string> Rates = Gen.Select(Gen.Int[1, 180], Gen.Int[0, 2], (n, unit) => unit switch
    {
        0 => n == 1 ? "rate(1 minute)" : $"rate({n} minutes)",
        1 => n % 48 == 0 ? "rate(1 hour)" : $"rate({(n % 48) + 1} hours)",
        _ => n % 3 == 0 ? "rate(1 day)" : $"rate({(n % 3) + 1} days)",
    });

    private static readonly Gen<string> Crons = Gen.Select(
        Gen.OneOf("*", "0", "30", "*/7", "0/15", "5,35,50", "10-20", "59"),
        Gen.OneOf("*", "0", "2", "9", "*/5", "1-3", "22,23"),
        Gen.OneOf(("*", "?"), ("?", "MON-FRI"), ("?", "SUN"), ("1,15", "?"), ("L", "?"), ("?", "2#1")),
        (minute, hour, days) => $"cron({minute} {hour} {days.Item1} * {days.Item2} *)");

    private static readonly Gen<DateTimeOffset> Starts = Gen.Select(Gen.Int[0, 365 * 3], Gen.Int[0, (24 * 60) - 1], Gen.Int[0, 59],
        (day, minute, second) => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddMinutes(minute).AddSeconds(second));

    // Steps from a second to three days, biased towards small ones.
    private static readonly Gen<TimeSpan> Steps = Gen.Frequency(
        (3, Gen.Int[1, 3600].Select(s => TimeSpan.FromSeconds(s))),
        (2, Gen.Int[1, 48].Select(h => TimeSpan.FromHours(h))),
        (1, Gen.Int[1, 3].Select(d => TimeSpan.FromDays(d))));

    private sealed record Case(string[] Expressions, string? Zone, DateTimeOffset Start, TimeSpan[] Advances, int Mode);

    private static readonly Gen<Case> Cases = Gen.Select(
        Gen.Frequency((1, Rates), (2, Crons)).Array[1, 3],
        Gen.OneOf(Zones),
        Starts,
        Steps.Array[1, 12],
        Gen.Int[0, 2],
        (expressions, zone, start, advances, mode) => new Case(expressions, zone, start, advances, mode));

    [Fact]
    public void Fired_times_are_the_occurrence_sequence_without_repeats()
    {
        Cases.Sample(c =>
        {
            var clock = new FakeTimeProvider(c.Start);
            var engine = new LocalScheduler(clock);
            var fired = new List<LocalScheduleOccurrence>();
            var zone = c.Zone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(c.Zone);
            for (var i = 0; i < c.Expressions.Length; i++)
            {
                engine.Add(new LocalScheduleDefinition
                {
                    Name = $"s{i}",
                    Expression = ScheduleExpression.Parse(c.Expressions[i]),
                    TimeZone = c.Zone,
                    Target = (o, _) =>
                    {
                        fired.Add(o);
                        return Task.CompletedTask;
                    },
                });
            }

            // Mode 0: ProcessDue after each step; 1: the timer only; 2: both.
            if (c.Mode != 0)
            {
                engine.StartTimer();
            }

            foreach (var step in c.Advances)
            {
                clock.Advance(step);
                if (c.Mode != 1)
                {
                    engine.ProcessDue();
                }
            }

            var end = clock.GetUtcNow();
            for (var i = 0; i < c.Expressions.Length; i++)
            {
                var expected = ScheduleExpression.Parse(c.Expressions[i]).Occurrences(c.Start, zone, rateStart: c.Start)
                    .TakeWhile(t => t <= end).ToList();
                var actual = fired.Where(o => o.ScheduleName == $"s{i}").Select(o => o.ScheduledTime).ToList();
                if (!expected.SequenceEqual(actual))
                {
                    throw new Xunit.Sdk.XunitException(
                        $"{c.Expressions[i]} in {c.Zone ?? "UTC"}: expected {expected.Count} occurrences, fired {actual.Count}; first difference at " +
                        expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count());
                }
            }

            // Globally in time order (ties by name), each occurrence once, never fired before it was due.
            for (var i = 1; i < fired.Count; i++)
            {
                var (a, b) = (fired[i - 1], fired[i]);
                Assert.True(a.ScheduledTime < b.ScheduledTime
                    || (a.ScheduledTime == b.ScheduledTime && string.CompareOrdinal(a.ScheduleName, b.ScheduleName) < 0),
                    $"out of order: {a} then {b}");
            }

            Assert.All(fired, o => Assert.True(o.FiredAt >= o.ScheduledTime));
        }, iter: 300);
    }
}
