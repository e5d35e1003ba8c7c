using System.Numerics;

namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>
/// A validated <c>cron(minutes hours day-of-month month day-of-week year)</c> expression.
/// </summary>
/// <remarks>
/// Semantics (EventBridge's cron is the Quartz dialect without a seconds field):
/// <list type="bullet">
/// <item><c>a/n</c> means a, a+n, … up to the field's maximum; <c>*/n</c> starts at the field's minimum.</item>
/// <item>A range whose end is below its start wraps (hours <c>20-2</c> = 20…23,0…2, as in the EventBridge
/// documentation's own example); year ranges cannot wrap.</item>
/// <item>Day-of-month 29-31 simply do not match in shorter months (no clamping).</item>
/// <item>Day-of-month <c>L</c> = last day; <c>LW</c> = last weekday (Mon-Fri); <c>nW</c> = the weekday nearest day n
/// without leaving the month (1W on a Saturday → Monday 3rd; 31W on a Sunday → Friday 29th); when day n does not exist
/// in the month, <c>nW</c> does not match that month.</item>
/// <item>Day-of-week 1-7 = SUN-SAT; <c>L</c> alone = SAT; <c>nL</c> = last day n of the month; <c>n#k</c> = k-th day n
/// of the month (no match in months without a k-th one).</item>
/// </list>
/// </remarks>
public sealed class CronExpression : ScheduleExpression
{
    private readonly CronSpec _spec;
    private readonly string _text;

    private CronExpression(CronSpec spec, string[] fields)
    {
        _spec = spec;
        Minutes = fields[0];
        Hours = fields[1];
        DayOfMonth = fields[2];
        Month = fields[3];
        DayOfWeek = fields[4];
        Year = fields[5];
        _text = "cron(" + string.Join(' ', fields) + ")";
    }

    /// <inheritdoc />
    public override ScheduleKind Kind => ScheduleKind.Cron;

    /// <summary>The minutes field text (upper-cased).</summary>
    public string Minutes { get; }

    /// <summary>The hours field text.</summary>
    public string Hours { get; }

    /// <summary>The day-of-month field text.</summary>
    public string DayOfMonth { get; }

    /// <summary>The month field text (upper-cased).</summary>
    public string Month { get; }

    /// <summary>The day-of-week field text (upper-cased).</summary>
    public string DayOfWeek { get; }

    /// <summary>The year field text.</summary>
    public string Year { get; }

    /// <inheritdoc />
    public override string ToString() => _text;

    /// <summary>Whether the wall-clock minute containing <paramref name="wallClock"/> matches every field (seconds are ignored).</summary>
    /// <param name="wallClock">A wall-clock date and time in the schedule's time zone; its kind is ignored.</param>
    /// <returns>Whether the expression fires at that wall-clock minute (before any time-zone gap/overlap rule).</returns>
    public bool Matches(DateTime wallClock)
    {
        var s = _spec;
        return wallClock.Year is >= 1970 and <= 2199
            && (s.Years[(wallClock.Year - 1970) >> 6] & (1UL << ((wallClock.Year - 1970) & 63))) != 0
            && (s.Months & (1UL << wallClock.Month)) != 0
            && (s.Hours & (1UL << wallClock.Hour)) != 0
            && (s.Minutes & (1UL << wallClock.Minute)) != 0
            && (DayMask(wallClock.Year, wallClock.Month) & (1UL << wallClock.Day)) != 0;
    }

    internal static CronExpression? TryCreate(string text, List<string> errors)
    {
        var spec = CronParser.Parse(text, errors, out var fields);
        return spec is null ? null : new CronExpression(spec, fields);
    }

    private protected override DateTimeOffset? NextCore(DateTimeOffset fromExclusive, TimeZoneInfo zone, DateTimeOffset rateAnchor)
    {
        // All matches lie in wall-clock years 1970-2199; clamp far-away inputs so time-zone conversion stays in range.
        var floor = new DateTimeOffset(1969, 6, 1, 0, 0, 0, TimeSpan.Zero);
        if (fromExclusive.UtcDateTime.Year > 2200)
        {
            return null;
        }

        var from = fromExclusive < floor ? floor : fromExclusive;
        var wall = ReferenceEquals(zone, TimeZoneInfo.Utc)
            ? from.UtcDateTime
            : TimeZoneInfo.ConvertTime(from, zone).DateTime;
        var candidate = new DateTime(wall.Ticks - (wall.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified).AddMinutes(1);

        while (NextWallClock(candidate) is { } next)
        {
            // A wall-clock time skipped by a forward jump yields null; one already passed (e.g. the first pass of a
            // fall-back overlap when searching from inside the second pass) is not repeated.
            if (ToInstant(next, zone) is { } instant && instant > fromExclusive)
            {
                return instant;
            }

            candidate = next.AddMinutes(1);
        }

        return null;
    }

    /// <summary>The first wall-clock minute at or after <paramref name="start"/> (minute-aligned) matching all fields.</summary>
    private DateTime? NextWallClock(DateTime start)
    {
        var s = _spec;
        int y = start.Year, mo = start.Month, d = start.Day, h = start.Hour, mi = start.Minute;
        while (true)
        {
            var ny = NextYear(y);
            if (ny < 0)
            {
                return null;
            }

            if (ny != y)
            {
                (y, mo, d, h, mi) = (ny, 1, 1, 0, 0);
            }

            var nmo = NextBit(s.Months, mo);
            if (nmo < 0)
            {
                (y, mo, d, h, mi) = (y + 1, 1, 1, 0, 0);
                continue;
            }

            if (nmo != mo)
            {
                (mo, d, h, mi) = (nmo, 1, 0, 0);
            }

            var nd = NextBit(DayMask(y, mo), d);
            if (nd < 0)
            {
                (mo, d, h, mi) = (mo + 1, 1, 0, 0);
                if (mo > 12)
                {
                    (y, mo) = (y + 1, 1);
                }

                continue;
            }

            if (nd != d)
            {
                (d, h, mi) = (nd, 0, 0);
            }

            var nh = NextBit(s.Hours, h);
            if (nh < 0)
            {
                // Day d + 1 may not exist; the day mask then has no bit there and the month advances.
                (d, h, mi) = (d + 1, 0, 0);
                continue;
            }

            if (nh != h)
            {
                (h, mi) = (nh, 0);
            }

            var nmi = NextBit(s.Minutes, mi);
            if (nmi < 0)
            {
                (h, mi) = (h + 1, 0);
                continue;
            }

            return new DateTime(y, mo, d, h, nmi, 0, DateTimeKind.Unspecified);
        }
    }

    private int NextYear(int year)
    {
        if (year < 1970)
        {
            year = 1970;
        }

        for (var index = year - 1970; index < 230;)
        {
            var word = _spec.Years[index >> 6] >> (index & 63);
            if (word != 0)
            {
                var found = index + BitOperations.TrailingZeroCount(word);
                return found < 230 ? 1970 + found : -1;
            }

            index = (index | 63) + 1;
        }

        return -1;
    }

    private static int NextBit(ulong mask, int from)
    {
        if (from > 63)
        {
            return -1;
        }

        var shifted = mask >> from;
        return shifted == 0 ? -1 : from + BitOperations.TrailingZeroCount(shifted);
    }

    /// <summary>Bit d set for each day d (1-based) of the month that the day-of-month / day-of-week rule selects.</summary>
    private ulong DayMask(int year, int month)
    {
        var s = _spec;
        var days = DateTime.DaysInMonth(year, month);
        var monthDays = ((1UL << (days + 1)) - 1) & ~1UL;

        // Cron weekday (1 = SUN … 7 = SAT) of the first of the month.
        var firstWeekday = (int)new DateTime(year, month, 1).DayOfWeek + 1;
        int WeekdayOf(int day) => ((firstWeekday - 1 + day - 1) % 7) + 1;

        switch (s.DomKind)
        {
            case DayOfMonthKind.Set:
                return s.DomSet & monthDays;
            case DayOfMonthKind.Last:
                return 1UL << days;
            case DayOfMonthKind.LastWeekday:
            {
                var day = WeekdayOf(days) switch
                {
                    7 => days - 1, // Saturday → Friday
                    1 => days - 2, // Sunday → Friday
                    _ => days,
                };
                return 1UL << day;
            }

            case DayOfMonthKind.NearestWeekday:
            {
                var n = s.DomDay;
                if (n > days)
                {
                    return 0;
                }

                var day = WeekdayOf(n) switch
                {
                    7 => n == 1 ? 3 : n - 1, // Saturday → Friday, or Monday the 3rd if that would leave the month
                    1 => n == days ? n - 2 : n + 1, // Sunday → Monday, or Friday if that would leave the month
                    _ => n,
                };
                return 1UL << day;
            }
        }

        switch (s.DowKind)
        {
            case DayOfWeekKind.Set:
            {
                ulong mask = 0;
                for (var day = 1; day <= days; day++)
                {
                    if ((s.DowSet & (1UL << WeekdayOf(day))) != 0)
                    {
                        mask |= 1UL << day;
                    }
                }

                return mask;
            }

            case DayOfWeekKind.LastOfMonth:
                return 1UL << (days - ((WeekdayOf(days) - s.DowDay + 7) % 7));
            case DayOfWeekKind.Nth:
            {
                var day = 1 + ((s.DowDay - firstWeekday + 7) % 7) + (7 * (s.DowNth - 1));
                return day <= days ? 1UL << day : 0;
            }

            default:
                return 0;
        }
    }
}
