using CsCheck;
using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

/// <summary>
/// The fast, field-jumping occurrence search against naive references driven by an independent model of each
/// generated expression: minute stepping (with the time-zone rules) over windows of a few days, and day stepping
/// over windows of years in UTC.
/// </summary>
public sealed class CronPropertyTests
{
    private static readonly TimeZoneInfo[] Zones =
    [
        TimeZoneInfo.Utc,
        TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe"),
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu"),
        TimeZoneInfo.FindSystemTimeZoneById("America/Santiago"),
        TimeZoneInfo.FindSystemTimeZoneById("Pacific/Chatham"),
        TimeZoneInfo.FindSystemTimeZoneById("Pacific/Apia"),
    ];

    /// <summary>Instants (2011-2031) at which each zone's UTC offset changes, to aim windows at DST transitions.</summary>
    private static readonly DateTime[][] Transitions = [.. Zones.Select(FindTransitions)];

    private static readonly Gen<DateTime> Instants = Gen.Select(
        Gen.Int[2011, 2031],
        Gen.Int[1, 12],
        Gen.Frequency((3, Gen.Int[1, 31]), (1, Gen.Int[26, 31])),
        Gen.Int[0, (24 * 60) - 1],
        Gen.Frequency((3, Gen.Const(0)), (1, Gen.Int[0, 59])),
        (y, m, d, minute, second) => new DateTime(y, m, Math.Min(d, DateTime.DaysInMonth(y, m)), 0, 0, second, DateTimeKind.Utc).AddMinutes(minute));

    [Fact]
    public void Model_and_parser_agree_on_which_minutes_match()
    {
        Gen.Select(CronModelGen.Case, Instants).Sample((c, t) =>
        {
            var cron = Assert.IsType<CronExpression>(ScheduleExpression.Parse(c.Text));
            var local = DateTime.SpecifyKind(t, DateTimeKind.Unspecified);
            for (var i = 0; i < 200; i++, local = local.AddMinutes(37))
            {
                Assert.True(c.Matches(local) == cron.Matches(local), $"{c.Text} at {local:yyyy-MM-dd HH:mm} ({local.DayOfWeek})");
            }
        }, iter: 2000);
    }

    [Fact]
    public void Occurrences_equal_minute_stepping_over_windows_of_days_in_any_zone()
    {
        var cases = 0;
        var nonEmpty = 0;
        var nearTransition = 0;
        Gen.Select(CronModelGen.Case, Instants, Gen.Int[60, 4 * 24 * 60], Gen.Int[0, Zones.Length - 1], Gen.Int[0, 9], Gen.Int[0, 10_000], Gen.Int[-30 * 60, 60])
            .Sample((c, start, minutes, zoneIndex, bias, pick, shift) =>
            {
                var zone = Zones[zoneIndex];
                var transitions = Transitions[zoneIndex];
                // 40%: around a UTC-offset change of the zone; 40%: shortly before a day the model says matches;
                // 20%: anywhere.
                var from = new DateTimeOffset(start, TimeSpan.Zero);
                if (bias < 4 && transitions.Length > 0)
                {
                    from = new DateTimeOffset(transitions[pick % transitions.Length].AddMinutes(shift), TimeSpan.Zero);
                }
                else if (bias < 8 && FirstMatchingDay(c, start.Date) is { } day)
                {
                    from = new DateTimeOffset(day.AddMinutes(-(pick % (30 * 60))), TimeSpan.Zero);
                }

                var to = from.AddMinutes(minutes);

                var expected = MinuteStepping(c, from, to, zone);
                var actual = ScheduleExpression.Parse(c.Text).Occurrences(from, zone).TakeWhile(t => t <= to).ToList();
                Assert.Equal(expected, actual);

                Interlocked.Increment(ref cases);
                if (expected.Count > 0)
                {
                    Interlocked.Increment(ref nonEmpty);
                }

                if (transitions.Any(x => x >= from.UtcDateTime && x <= to.UtcDateTime))
                {
                    Interlocked.Increment(ref nearTransition);
                }
            }, iter: 300);

        // The generators must produce windows that actually contain occurrences and DST changes.
        Assert.True(nonEmpty > cases / 3, $"only {nonEmpty} of {cases} windows had occurrences");
        Assert.True(nearTransition > cases / 10, $"only {nearTransition} of {cases} windows spanned a UTC-offset change");
    }

    [Fact]
    public void Occurrences_equal_day_stepping_over_windows_of_years_in_UTC()
    {
        var starts = Gen.Select(
            Gen.Frequency((4, Gen.Int[1970, 2195]), (1, Gen.Int[2190, 2199]), (2, Gen.Int[2015, 2035])),
            Gen.Int[1, 12],
            Gen.Int[1, 28],
            Gen.Int[0, (24 * 60) - 1],
            (y, m, d, minute) => new DateTimeOffset(y, m, d, 0, 0, 0, TimeSpan.Zero).AddMinutes(minute));
        var nonEmpty = 0;
        Gen.Select(CronModelGen.Case, starts, Gen.Int[1, 1500]).Sample((c, from, days) =>
        {
            const int Limit = 400;
            var to = from.AddDays(days);
            var expected = DayStepping(c, from, to, Limit);
            var actual = ScheduleExpression.Parse(c.Text).Occurrences(from).TakeWhile(t => t <= to).Take(Limit).ToList();
            Assert.Equal(expected, actual);
            if (expected.Count > 0)
            {
                Interlocked.Increment(ref nonEmpty);
            }
        }, iter: 400);
        Assert.True(nonEmpty > 100, $"only {nonEmpty} of 400 windows had occurrences");
    }

    /// <summary>
    /// Reference for the Scheduler time-zone rules: walk every UTC minute; a wall-clock minute fires at the first
    /// instant that shows it (so a repeated hour fires once) and never when no instant shows it (a skipped hour).
    /// </summary>
    private static List<DateTimeOffset> MinuteStepping(CronCase c, DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var result = new List<DateTimeOffset>();
        var seen = new HashSet<DateTime>();
        var u = from.UtcDateTime.AddHours(-26);
        u = new DateTime(u.Ticks - (u.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
        for (; u <= to.UtcDateTime; u = u.AddMinutes(1))
        {
            var wallClock = DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(u, zone), DateTimeKind.Unspecified);
            if (seen.Add(wallClock) && u > from.UtcDateTime && c.Matches(wallClock))
            {
                result.Add(new DateTimeOffset(u, TimeSpan.Zero));
            }
        }

        return result;
    }

    /// <summary>Reference in UTC: every day in the window, then every hour and minute of a matching day.</summary>
    private static List<DateTimeOffset> DayStepping(CronCase c, DateTimeOffset from, DateTimeOffset to, int limit)
    {
        var result = new List<DateTimeOffset>();
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime && result.Count < limit; day = day.AddDays(1))
        {
            if (!c.DayMatches(day))
            {
                continue;
            }

            for (var minute = 0; minute < 24 * 60 && result.Count < limit; minute++)
            {
                var t = day.AddMinutes(minute);
                if (t > from.UtcDateTime && t <= to.UtcDateTime && c.TimeMatches(t.Hour, t.Minute))
                {
                    result.Add(new DateTimeOffset(t, TimeSpan.Zero));
                }
            }
        }

        return result;
    }

    private static DateTime? FirstMatchingDay(CronCase c, DateTime start)
    {
        for (var day = start; day.Year < 2199; day = day.AddDays(1))
        {
            if (c.DayMatches(day))
            {
                return day;
            }

            if ((day - start).TotalDays > 3000)
            {
                return null;
            }
        }

        return null;
    }

    private static DateTime[] FindTransitions(TimeZoneInfo zone)
    {
        var found = new List<DateTime>();
        var day = new DateTime(2011, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var offset = zone.GetUtcOffset(day);
        for (; day.Year <= 2031; day = day.AddDays(1))
        {
            var next = zone.GetUtcOffset(day.AddDays(1));
            if (next == offset)
            {
                continue;
            }

            for (var u = day; u <= day.AddDays(1); u = u.AddMinutes(15))
            {
                if (zone.GetUtcOffset(u) != offset)
                {
                    found.Add(u);
                    break;
                }
            }

            offset = next;
        }

        return [.. found];
    }
}
