using System.Diagnostics;
using System.Globalization;
using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

/// <summary>Calendar behaviour of cron occurrences, in UTC (how EventBridge scheduled rules evaluate them).</summary>
public sealed class CronOccurrenceTests
{
    internal static DateTimeOffset Utc(string text)
        => DateTimeOffset.ParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    internal static string[] Next(string expression, string from, int count, TimeZoneInfo? zone = null)
        => [.. ScheduleExpression.Parse(expression).Occurrences(Utc(from), zone).Take(count)
            .Select(t => t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture))];

    [Fact]
    public void Daily_at_a_time()
    {
        Assert.Equal(["2024-01-01T10:00", "2024-01-02T10:00", "2024-01-03T10:00"], Next("cron(0 10 * * ? *)", "2024-01-01", 3));
        Assert.Equal(["2024-01-02T10:00"], Next("cron(0 10 * * ? *)", "2024-01-01T10:00", 1)); // strictly after
        Assert.Equal(["2024-01-01T10:00"], Next("cron(0 10 * * ? *)", "2024-01-01T09:59", 1));
    }

    [Fact]
    public void The_search_starts_strictly_after_a_non_minute_aligned_instant()
    {
        var cron = ScheduleExpression.Parse("cron(* * * * ? *)");
        var from = new DateTimeOffset(2024, 1, 1, 10, 0, 30, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 1, 0, TimeSpan.Zero), cron.NextOccurrence(from));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 1, 0, TimeSpan.Zero), cron.NextOccurrence(from.AddSeconds(-30)));
        // The input's offset does not matter, only the instant.
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 1, 0, TimeSpan.Zero), cron.NextOccurrence(from.ToOffset(TimeSpan.FromHours(-7))));
    }

    [Fact]
    public void Increments_in_minutes()
    {
        Assert.Equal(["2024-01-01T10:00", "2024-01-01T10:15", "2024-01-01T10:30", "2024-01-01T10:45", "2024-01-01T11:00"],
            Next("cron(0/15 * * * ? *)", "2024-01-01T09:59", 5));
        Assert.Equal(["2024-01-01T10:05", "2024-01-01T10:15", "2024-01-01T10:25", "2024-01-01T10:35", "2024-01-01T10:45", "2024-01-01T10:55", "2024-01-01T11:05"],
            Next("cron(5/10 * * * ? *)", "2024-01-01T10:00", 7));
        Assert.Equal(["2024-01-01T10:20", "2024-01-01T10:40", "2024-01-01T11:00"], Next("cron(*/20 * * * ? *)", "2024-01-01T10:00", 3));
        // The documentation's example: 1/10 is the 1st, 11th, 21st... minute.
        Assert.Equal(["2024-01-01T10:01", "2024-01-01T10:11", "2024-01-01T10:21"], Next("cron(1/10 * * * ? *)", "2024-01-01T10:00", 3));
        Assert.Equal(["2024-01-01T10:10", "2024-01-01T10:20", "2024-01-01T10:30", "2024-01-01T11:10"], Next("cron(10-30/10 * * * ? *)", "2024-01-01T10:00", 4));
    }

    [Fact]
    public void Ranges_wrap_past_the_end_of_a_field()
    {
        // The documentation's example cron(0/30 20-2 ? * MON-FRI *), evaluated minute by minute as cron does:
        // Friday 20:00-23:30 fire, Saturday 00:00-02:30 does not (Saturday is not MON-FRI), Monday 00:00 does.
        Assert.Equal(
            ["2024-06-07T20:00", "2024-06-07T20:30", "2024-06-07T21:00", "2024-06-07T21:30", "2024-06-07T22:00", "2024-06-07T22:30",
             "2024-06-07T23:00", "2024-06-07T23:30", "2024-06-10T00:00", "2024-06-10T00:30", "2024-06-10T01:00", "2024-06-10T01:30",
             "2024-06-10T02:00", "2024-06-10T02:30", "2024-06-10T20:00"],
            Next("cron(0/30 20-2 ? * MON-FRI *)", "2024-06-07T19:00", 15));
        Assert.Equal(["2024-11-01T00:00", "2024-12-01T00:00", "2025-01-01T00:00", "2025-02-01T00:00", "2025-11-01T00:00"],
            Next("cron(0 0 1 NOV-FEB ? *)", "2024-06-01", 5));
        Assert.Equal(["2024-06-07T00:00", "2024-06-08T00:00", "2024-06-09T00:00", "2024-06-10T00:00", "2024-06-14T00:00"],
            Next("cron(0 0 ? * FRI-MON *)", "2024-06-06", 5));
        // 22-2/2 = 22, 0, 2.
        Assert.Equal(["2024-01-01T22:00", "2024-01-02T00:00", "2024-01-02T02:00", "2024-01-02T22:00"], Next("cron(0 22-2/2 * * ? *)", "2024-01-01T12:00", 4));
        // Day-of-month 30-2 wraps through 31 and skips days a month lacks.
        Assert.Equal(["2024-04-30T00:00", "2024-05-01T00:00", "2024-05-02T00:00", "2024-05-30T00:00", "2024-05-31T00:00", "2024-06-01T00:00"],
            Next("cron(0 0 30-2 * ? *)", "2024-04-03", 6));
    }

    [Fact]
    public void Day_31_skips_shorter_months()
    {
        Assert.Equal(
            ["2024-01-31T00:00", "2024-03-31T00:00", "2024-05-31T00:00", "2024-07-31T00:00", "2024-08-31T00:00", "2024-10-31T00:00", "2024-12-31T00:00", "2025-01-31T00:00"],
            Next("cron(0 0 31 * ? *)", "2024-01-01", 8));
        Assert.Equal(["2024-01-30T12:00", "2024-03-30T12:00", "2024-04-30T12:00"], Next("cron(0 12 30 * ? *)", "2024-01-01", 3));
    }

    [Fact]
    public void February_29_only_in_leap_years_and_2100_is_not_one()
    {
        Assert.Equal(["2028-02-29T12:00", "2032-02-29T12:00", "2036-02-29T12:00"], Next("cron(0 12 29 2 ? *)", "2024-03-01", 3));
        Assert.Equal(["2096-02-29T12:00", "2104-02-29T12:00"], Next("cron(0 12 29 2 ? *)", "2095-01-01", 2));
        Assert.Equal(["2000-02-29T12:00"], Next("cron(0 12 29 2 ? 2000)", "1999-01-01", 5));
    }

    [Fact]
    public void Days_that_never_exist_produce_no_occurrence()
    {
        var cron = ScheduleExpression.Parse("cron(0 0 30 2 ? *)");
        var watch = Stopwatch.StartNew();
        Assert.Null(cron.NextOccurrence(Utc("1970-01-01")));
        Assert.Empty(ScheduleExpression.Parse("cron(0 0 31 APR,JUN,SEP,NOV ? *)").Occurrences(Utc("1970-01-01")));
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void L_is_the_last_day_of_the_month()
    {
        Assert.Equal(["2027-02-28T00:00", "2028-02-29T00:00", "2029-02-28T00:00"], Next("cron(0 0 L 2 ? *)", "2027-01-01", 3));
        Assert.Equal(["2100-02-28T00:00", "2101-02-28T00:00", "2102-02-28T00:00", "2103-02-28T00:00", "2104-02-29T00:00"], Next("cron(0 0 L 2 ? 2100-2199)", "2024-01-01", 5));
        Assert.Equal(["2024-01-31T05:00", "2024-02-29T05:00", "2024-03-31T05:00", "2024-04-30T05:00"], Next("cron(0 5 L * ? *)", "2024-01-01", 4));
    }

    [Fact]
    public void W_is_the_nearest_weekday_without_leaving_the_month()
    {
        // 2025-02-01 and 2025-03-01 are Saturdays: 1W moves forward to Monday the 3rd, not back into the previous month.
        Assert.Equal(["2025-02-03T00:00", "2025-03-03T00:00", "2025-04-01T00:00"], Next("cron(0 0 1W * ? *)", "2025-01-15", 3));
        // 2024-09-01 is a Sunday: Monday the 2nd.
        Assert.Equal(["2024-09-02T00:00"], Next("cron(0 0 1W * ? *)", "2024-08-15", 1));
        // 15W: 2024-06-15 is a Saturday (→ Friday 14th), 2024-09-15 a Sunday (→ Monday 16th), 2024-07-15 a Monday.
        Assert.Equal(["2024-06-14T00:00", "2024-07-15T00:00", "2024-08-15T00:00", "2024-09-16T00:00"], Next("cron(0 0 15W * ? *)", "2024-06-01", 4));
        // 31W: 2024-03-31 is a Sunday (→ Friday 29th, not Monday April 1st); April and June have no 31st;
        // 2024-08-31 is a Saturday (→ Friday 30th).
        Assert.Equal(["2024-03-29T00:00", "2024-05-31T00:00", "2024-07-31T00:00", "2024-08-30T00:00", "2024-10-31T00:00"],
            Next("cron(0 0 31W * ? *)", "2024-03-01", 5));
        // 30W: 2024-06-30 is a Sunday and the last day (→ Friday 28th); February has no 30th.
        Assert.Equal(["2024-06-28T00:00"], Next("cron(0 0 30W 2,6 ? 2024)", "2024-01-01", 5));
    }

    [Fact]
    public void LW_is_the_last_weekday_of_the_month()
    {
        // 2024: Mar 31 Sunday → 29; Apr 30 Tuesday; May 31 Friday; Jun 30 Sunday → 28; Aug 31 Saturday → 30; Nov 30 Saturday → 29.
        Assert.Equal(
            ["2024-03-29T18:00", "2024-04-30T18:00", "2024-05-31T18:00", "2024-06-28T18:00", "2024-07-31T18:00", "2024-08-30T18:00",
             "2024-09-30T18:00", "2024-10-31T18:00", "2024-11-29T18:00"],
            Next("cron(0 18 LW * ? *)", "2024-03-01", 9));
        // 2026-02-28 is a Saturday.
        Assert.Equal(["2026-02-27T18:00"], Next("cron(0 18 LW 2 ? *)", "2026-01-01", 1));
    }

    [Fact]
    public void Day_of_week_1_is_Sunday_and_7_is_Saturday()
    {
        // 2024-06-01 is a Saturday.
        Assert.Equal(["2024-06-02T00:00", "2024-06-09T00:00"], Next("cron(0 0 ? * 1 *)", "2024-06-01", 2));
        Assert.Equal(["2024-06-02T00:00"], Next("cron(0 0 ? * SUN *)", "2024-06-01", 1));
        Assert.Equal(["2024-06-08T00:00"], Next("cron(0 0 ? * 7 *)", "2024-06-01", 1));
        Assert.Equal(["2024-06-08T00:00"], Next("cron(0 0 ? * L *)", "2024-06-01", 1)); // L alone = last day of the week
        Assert.Equal(["2024-06-03T00:00", "2024-06-04T00:00", "2024-06-05T00:00", "2024-06-06T00:00", "2024-06-07T00:00", "2024-06-10T00:00"],
            Next("cron(0 0 ? * 2-6 *)", "2024-06-01", 6));
        Assert.Equal(Next("cron(0 0 ? * 2-6 *)", "2024-06-01", 20), Next("cron(0 0 ? * mon-fri *)", "2024-06-01", 20));
    }

    [Fact]
    public void Hash_is_the_nth_weekday_and_skips_months_without_one()
    {
        // Second Tuesday.
        Assert.Equal(["2024-01-09T09:00", "2024-02-13T09:00", "2024-03-12T09:00"], Next("cron(0 9 ? * 3#2 *)", "2024-01-01", 3));
        // First Monday (documentation example).
        Assert.Equal(["2024-01-01T09:00", "2024-02-05T09:00", "2024-03-04T09:00"], Next("cron(0 9 ? * 2#1 *)", "2023-12-31", 3));
        // Fifth Friday exists only in some months.
        Assert.Equal(["2024-03-29T00:00", "2024-05-31T00:00", "2024-08-30T00:00", "2024-11-29T00:00", "2025-01-31T00:00", "2025-05-30T00:00"],
            Next("cron(0 0 ? * 6#5 *)", "2024-01-01", 6));
        Assert.Equal(Next("cron(0 0 ? * 6#5 *)", "2024-01-01", 6), Next("cron(0 0 ? * fri#5 *)", "2024-01-01", 6));
    }

    [Fact]
    public void nL_is_the_last_given_weekday_of_the_month()
    {
        Assert.Equal(["2024-01-26T10:15", "2024-02-23T10:15", "2024-03-29T10:15", "2024-04-26T10:15", "2024-05-31T10:15"],
            Next("cron(15 10 ? * 6L 2019-2024)", "2024-01-01", 5));
        // The documentation's example ends with its year range.
        Assert.Equal(["2022-11-25T10:15", "2022-12-30T10:15"], Next("cron(15 10 ? * 6L 2019-2022)", "2022-11-01", 10));
        // Last Sunday of March (the EU daylight-saving change).
        Assert.Equal(["2024-03-31T01:00", "2025-03-30T01:00", "2026-03-29T01:00"], Next("cron(0 1 ? 3 1L *)", "2024-01-01", 3));
    }

    [Fact]
    public void The_year_field_ends_the_sequence()
    {
        Assert.Equal(["2030-01-01T00:00"], Next("cron(0 0 1 1 ? 2030)", "2024-01-01", 5));
        Assert.Empty(Next("cron(0 0 1 1 ? 2030)", "2030-01-01", 5));
        Assert.Equal(["2199-12-31T23:58", "2199-12-31T23:59"], Next("cron(* * * * ? *)", "2199-12-31T23:57", 5));
        Assert.Empty(Next("cron(* * * * ? *)", "2199-12-31T23:59", 5));
        Assert.Empty(Next("cron(0 0 * * ? *)", "2250-01-01", 5));
        Assert.Equal(["2024-01-01T00:00", "2026-01-01T00:00", "2028-01-01T00:00"], Next("cron(0 0 1 1 ? 2020/2)", "2023-06-01", 3));
        Assert.Equal(["2025-01-01T00:00", "2027-01-01T00:00", "2030-01-01T00:00"], Next("cron(0 0 1 1 ? 2025,2027,2030)", "2020-01-01", 5));
    }

    [Fact]
    public void Searches_from_before_1970_start_at_the_first_valid_year()
    {
        Assert.Equal(["1970-01-01T00:00"], Next("cron(0 0 1 1 ? *)", "1900-01-01", 1));
        Assert.Equal(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), ScheduleExpression.Parse("cron(0 0 1 1 ? *)").NextOccurrence(DateTimeOffset.MinValue));
        Assert.Null(ScheduleExpression.Parse("cron(0 0 1 1 ? *)").NextOccurrence(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Names_are_case_insensitive_and_equal_to_numbers()
    {
        Assert.Equal(Next("cron(0 9 ? 1,7 2 *)", "2024-01-01", 12), Next("cron(0 9 ? jan,Jul mon *)", "2024-01-01", 12));
        Assert.Equal(Next("cron(0 0 1 2-4 ? *)", "2024-01-01", 6), Next("cron(0 0 1 feb-APR ? *)", "2024-01-01", 6));
    }

    [Fact]
    public void Month_and_hour_ranges_combine_across_fields()
    {
        Assert.Equal(
            ["2024-06-03T08:00", "2024-06-03T08:30", "2024-06-03T09:00", "2024-06-03T09:30", "2024-06-04T08:00"],
            Next("cron(0,30 8-9 ? JUN-AUG MON-FRI 2024)", "2024-05-31", 5));
        Assert.Equal(["2024-08-30T09:30"], Next("cron(0,30 8-9 ? JUN-AUG MON-FRI 2024)", "2024-08-30T09:00", 5));
    }

    [Fact]
    public void Enumerating_far_ahead_is_fast()
    {
        var watch = Stopwatch.StartNew();
        // Every 5th Friday to the end of the year field: a sparse day rule over ~175 years.
        var fifthFridays = ScheduleExpression.Parse("cron(0 0 ? * 6#5 *)").Occurrences(Utc("2024-01-01")).ToList();
        // Naive count: months from 2024 to 2199 whose 29th-31st include a Friday.
        var expected = 0;
        for (var y = 2024; y <= 2199; y++)
        {
            for (var m = 1; m <= 12; m++)
            {
                for (var d = 29; d <= DateTime.DaysInMonth(y, m); d++)
                {
                    if (new DateTime(y, m, d).DayOfWeek == DayOfWeek.Friday)
                    {
                        expected++;
                    }
                }
            }
        }

        Assert.Equal(expected, fifthFridays.Count);
        Assert.All(fifthFridays, t => Assert.True(t.DayOfWeek == DayOfWeek.Friday && t.Day >= 29));

        // A dense expression: one year of every minute in one call chain.
        var minutes = ScheduleExpression.Parse("cron(* * * * ? 2030)").Occurrences(Utc("2029-12-31T23:59")).Count();
        Assert.Equal(365 * 24 * 60, minutes);
        Assert.True(watch.ElapsedMilliseconds < 5000, $"took {watch.ElapsedMilliseconds} ms");
    }
}
