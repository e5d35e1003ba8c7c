using Lamina.Aws.Semantics.Scheduling;
using static Lamina.Aws.Semantics.Tests.Scheduling.CronOccurrenceTests;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

public sealed class RateOccurrenceTests
{
    private static readonly ScheduleExpression FiveMinutes = ScheduleExpression.Parse("rate(5 minutes)");

    [Fact]
    public void Occurrences_are_anchor_plus_whole_intervals()
    {
        var anchor = Utc("2024-01-01T10:00");
        Assert.Equal(Utc("2024-01-01T10:05"), FiveMinutes.NextOccurrence(Utc("2024-01-01T10:00"), rateStart: anchor));
        Assert.Equal(Utc("2024-01-01T10:05"), FiveMinutes.NextOccurrence(Utc("2024-01-01T10:03"), rateStart: anchor));
        Assert.Equal(Utc("2024-01-01T10:10"), FiveMinutes.NextOccurrence(Utc("2024-01-01T10:05"), rateStart: anchor));
        Assert.Equal(Utc("2024-01-02T10:00"), FiveMinutes.NextOccurrence(Utc("2024-01-02T09:59"), rateStart: anchor));
        // An anchor in the future is itself the first occurrence (a Scheduler StartDate).
        Assert.Equal(anchor, FiveMinutes.NextOccurrence(Utc("2023-12-31"), rateStart: anchor));
        Assert.Equal(
            [Utc("2024-01-01T10:00"), Utc("2024-01-01T10:05"), Utc("2024-01-01T10:10")],
            FiveMinutes.Occurrences(Utc("2023-12-31"), rateStart: anchor).Take(3));
    }

    [Fact]
    public void Without_an_anchor_the_search_start_is_the_anchor()
    {
        Assert.Equal(
            [Utc("2024-01-01T10:05"), Utc("2024-01-01T10:10"), Utc("2024-01-01T10:15")],
            FiveMinutes.Occurrences(Utc("2024-01-01T10:00")).Take(3));
        var from = new DateTimeOffset(2024, 1, 1, 10, 0, 17, TimeSpan.Zero);
        Assert.Equal(from.AddHours(2), ScheduleExpression.Parse("rate(2 hours)").NextOccurrence(from));
    }

    [Fact]
    public void Days_are_24_hours_even_across_daylight_saving_changes()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var anchor = new DateTimeOffset(2024, 3, 9, 9, 0, 0, TimeSpan.FromHours(-5));
        var next = ScheduleExpression.Parse("rate(1 day)").Occurrences(anchor, newYork, anchor).Take(2).ToList();
        Assert.Equal(anchor.AddHours(24), next[0]);
        Assert.Equal(anchor.AddHours(48), next[1]);
        // The local clock reading moves by an hour after the spring-forward change; results carry the zone's offset.
        Assert.Equal(new TimeSpan(10, 0, 0), next[0].TimeOfDay);
        Assert.Equal(TimeSpan.FromHours(-4), next[0].Offset);
    }

    [Fact]
    public void The_sequence_ends_at_the_end_of_representable_time()
    {
        var anchor = DateTimeOffset.MaxValue.AddDays(-3);
        var all = ScheduleExpression.Parse("rate(1 day)").Occurrences(anchor, rateStart: anchor).ToList();
        Assert.Equal(3, all.Count);
        Assert.Equal(DateTimeOffset.MaxValue, all[^1]);
        Assert.Null(ScheduleExpression.Parse("rate(7 days)").NextOccurrence(anchor, rateStart: anchor));
    }

    [Fact]
    public void Long_gaps_are_computed_not_iterated()
    {
        var anchor = Utc("1970-01-01");
        var from = Utc("2150-06-15T12:34");
        var next = ScheduleExpression.Parse("rate(1 minute)").NextOccurrence(from, rateStart: anchor);
        Assert.Equal(Utc("2150-06-15T12:35"), next);
    }
}
