using System.Globalization;
using Lamina.Aws.Semantics.Scheduling;
using static Lamina.Aws.Semantics.Tests.Scheduling.CronOccurrenceTests;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

/// <summary>EventBridge Scheduler evaluates cron and at in a time zone: gaps are skipped, overlaps fire once.</summary>
public sealed class TimeZoneOccurrenceTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static string[] NextUtc(string expression, DateTimeOffset from, int count, TimeZoneInfo zone)
        => [.. ScheduleExpression.Parse(expression).Occurrences(from, zone).Take(count)
            .Select(t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture))];

    private static string[] NextLocal(string expression, DateTimeOffset from, int count, TimeZoneInfo zone)
        => [.. ScheduleExpression.Parse(expression).Occurrences(from, zone).Take(count)
            .Select(t => t.ToString("yyyy-MM-dd'T'HH:mmzzz", CultureInfo.InvariantCulture))];

    [Fact]
    public void Cron_fields_are_read_in_the_zone_and_results_carry_its_offset()
    {
        Assert.Equal(["2024-01-15T09:00-05:00", "2024-01-16T09:00-05:00"], NextLocal("cron(0 9 * * ? *)", Utc("2024-01-15"), 2, NewYork));
        Assert.Equal(["2024-07-15T09:00-04:00"], NextLocal("cron(0 9 * * ? *)", Utc("2024-07-15"), 1, NewYork));
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        Assert.Equal(["2024-01-15T03:30Z"], NextUtc("cron(0 9 * * ? *)", Utc("2024-01-15"), 1, kolkata));
        var kathmandu = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu");
        Assert.Equal(["2024-01-15T03:15Z"], NextUtc("cron(0 9 * * ? *)", Utc("2024-01-15"), 1, kathmandu));
        // Null and UTC are the same thing.
        Assert.Equal(NextUtc("cron(0 9 * * ? *)", Utc("2024-01-15"), 3, TimeZoneInfo.Utc), Next("cron(0 9 * * ? *)", "2024-01-15", 3).Select(s => s + "Z"));
    }

    [Fact]
    public void Day_fields_use_the_local_date()
    {
        // 23:30 local on Mondays in New York is 04:30 UTC on Tuesdays.
        Assert.Equal(["2024-06-04T03:30Z", "2024-06-11T03:30Z"], NextUtc("cron(30 23 ? * MON *)", Utc("2024-06-01"), 2, NewYork));
        // The last day of the month, local: 2024-02-29 20:00 EST is 2024-03-01 01:00 UTC.
        Assert.Equal(["2024-03-01T01:00Z"], NextUtc("cron(0 20 L * ? *)", Utc("2024-02-15"), 1, NewYork));
    }

    [Fact]
    public void Spring_forward_skips_local_times_that_do_not_exist()
    {
        // 2024-03-10: New York clocks jump from 02:00 EST to 03:00 EDT; 02:30 that day does not exist.
        Assert.Equal(["2024-03-09T02:30-05:00", "2024-03-11T02:30-04:00"], NextLocal("cron(30 2 * * ? *)", Utc("2024-03-09"), 2, NewYork));
        Assert.Equal(
            ["2024-03-10T01:00-05:00", "2024-03-10T01:30-05:00", "2024-03-10T03:00-04:00", "2024-03-10T03:30-04:00"],
            NextLocal("cron(0/30 * * * ? *)", Utc("2024-03-10T05:59"), 4, NewYork));
        // In UTC the two occurrences either side of the gap are 30 minutes apart.
        Assert.Equal(["2024-03-10T06:30Z", "2024-03-10T07:00Z"], NextUtc("cron(0/30 * * * ? *)", Utc("2024-03-10T06:00"), 2, NewYork));
    }

    [Fact]
    public void Fall_back_fires_a_repeated_local_time_once_at_its_first_instant()
    {
        // 2024-11-03: New York clocks fall back from 02:00 EDT to 01:00 EST; 01:30 happens twice.
        Assert.Equal(["2024-11-02T05:30Z", "2024-11-03T05:30Z", "2024-11-04T06:30Z"], NextUtc("cron(30 1 * * ? *)", Utc("2024-11-02"), 3, NewYork));
        // Every 15 minutes: 01:00-01:45 EDT fire, the repeated hour in EST does not, then 02:00 EST.
        Assert.Equal(
            ["2024-11-03T00:45-04:00", "2024-11-03T01:00-04:00", "2024-11-03T01:15-04:00", "2024-11-03T01:30-04:00", "2024-11-03T01:45-04:00", "2024-11-03T02:00-05:00"],
            NextLocal("cron(*/15 * * * ? *)", Utc("2024-11-03T04:30"), 6, NewYork));
    }

    [Fact]
    public void A_search_starting_inside_the_repeated_hour_does_not_refire_it()
    {
        // 06:20 UTC is 01:20 EST, the second pass; 01:30 and 01:45 already fired during the first pass.
        Assert.Equal(["2024-11-03T07:00Z"], NextUtc("cron(*/15 * * * ? *)", Utc("2024-11-03T06:20"), 1, NewYork));
        // 05:20 UTC is 01:20 EDT, the first pass: the rest of the first pass still fires.
        Assert.Equal(["2024-11-03T05:30Z", "2024-11-03T05:45Z", "2024-11-03T07:00Z"], NextUtc("cron(*/15 * * * ? *)", Utc("2024-11-03T05:20"), 3, NewYork));
    }

    [Fact]
    public void Half_hour_daylight_saving_in_Lord_Howe()
    {
        var lordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");
        // 2024-10-06 02:00 → 02:30 (+10:30 → +11:00): 02:15 does not exist that day.
        Assert.Equal(["2024-10-05T02:15+10:30", "2024-10-07T02:15+11:00"], NextLocal("cron(15 2 * * ? *)", Utc("2024-10-04T12:00"), 2, lordHowe));
        // 2024-04-07 02:00 → 01:30 (+11:00 → +10:30): 01:45 happens twice, fires once (first, +11:00).
        Assert.Equal(["2024-04-06T14:45Z", "2024-04-07T15:15Z"], NextUtc("cron(45 1 * * ? *)", Utc("2024-04-06T12:00"), 2, lordHowe));
    }

    [Fact]
    public void Midnight_transitions_and_a_skipped_day()
    {
        // Santiago: 2024-09-08 00:00 does not exist (23:59 → 01:00), so a midnight schedule skips that day.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        Assert.Equal(["2024-09-07T00:00-04:00", "2024-09-09T00:00-03:00"], NextLocal("cron(0 0 * * ? *)", Utc("2024-09-06T12:00"), 2, santiago));
        // Apia skipped all of 2011-12-30 when it moved across the date line.
        var apia = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Apia");
        Assert.Equal(["2011-12-29T12:00-10:00", "2011-12-31T12:00+14:00"], NextLocal("cron(0 12 * * ? *)", Utc("2011-12-29T12:00"), 2, apia));
    }

    [Fact]
    public void At_is_read_in_the_zone()
    {
        var at = ScheduleExpression.Parse("at(2030-01-31T09:30:00)");
        Assert.Equal(new DateTimeOffset(2030, 1, 31, 9, 30, 0, TimeSpan.Zero), at.NextOccurrence(Utc("2030-01-01")));
        Assert.Equal(new DateTimeOffset(2030, 1, 31, 14, 30, 0, TimeSpan.Zero), at.NextOccurrence(Utc("2030-01-01"), NewYork));
        Assert.Equal(TimeSpan.FromHours(-5), at.NextOccurrence(Utc("2030-01-01"), NewYork)!.Value.Offset);
        Assert.Single(at.Occurrences(Utc("2030-01-01")));
        Assert.Null(at.NextOccurrence(Utc("2030-01-31T09:30")));
        Assert.Empty(at.Occurrences(Utc("2031-01-01")));
        // In the spring-forward gap: no occurrence. In the fall-back overlap: the first instant (EDT).
        Assert.Null(ScheduleExpression.Parse("at(2024-03-10T02:30:00)").NextOccurrence(Utc("2024-01-01"), NewYork));
        Assert.Equal(new DateTimeOffset(2024, 11, 3, 5, 30, 0, TimeSpan.Zero), ScheduleExpression.Parse("at(2024-11-03T01:30:00)").NextOccurrence(Utc("2024-01-01"), NewYork));
        // Seconds are kept.
        Assert.Equal(new DateTimeOffset(2030, 1, 31, 9, 30, 15, TimeSpan.Zero), ScheduleExpression.Parse("at(2030-01-31T09:30:15)").NextOccurrence(Utc("2030-01-01")));
    }
}
