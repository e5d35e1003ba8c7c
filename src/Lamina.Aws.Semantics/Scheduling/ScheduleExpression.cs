using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>
/// A validated EventBridge schedule expression: <see cref="CronExpression"/> (<c>cron(...)</c>),
/// <see cref="RateExpression"/> (<c>rate(...)</c>) or <see cref="AtExpression"/> (<c>at(...)</c>, Scheduler only).
/// </summary>
/// <remarks>
/// <para>
/// Parsing follows the EventBridge "cron expressions reference" / "rate expressions reference" and the
/// EventBridge Scheduler "schedule types" documentation. Errors are returned as values by
/// <see cref="TryParse(string?, out ScheduleExpression?, out IReadOnlyList{string})"/>; each message names the field
/// and what it allows.
/// </para>
/// <para>
/// Occurrences are computed by <see cref="NextOccurrence"/> / <see cref="Occurrences"/>, a pure function of its
/// arguments (no clock is read). Time-zone rules (EventBridge Scheduler): a local time that does not exist because
/// clocks jump forward is <b>skipped</b>; a local time that happens twice because clocks fall back fires
/// <b>once</b>, at its first (earlier) instant. Scheduled rules always evaluate in UTC (pass <see langword="null"/>
/// or <see cref="TimeZoneInfo.Utc"/>).
/// </para>
/// </remarks>
public abstract class ScheduleExpression : IEquatable<ScheduleExpression>
{
    private protected ScheduleExpression()
    {
    }

    /// <summary>Which form of expression this is.</summary>
    public abstract ScheduleKind Kind { get; }

    /// <summary>
    /// Whether an EventBridge scheduled rule (<c>AWS::Events::Rule</c> <c>ScheduleExpression</c>) accepts this
    /// expression. Rules accept <c>cron</c> and <c>rate</c>; only EventBridge Scheduler accepts <c>at</c>.
    /// </summary>
    public bool IsSupportedByEventBridgeRules => Kind != ScheduleKind.At;

    /// <summary>The canonical text: <c>cron(...)</c> with single spaces and upper-case names, <c>rate(n unit)</c> or <c>at(...)</c>.</summary>
    public abstract override string ToString();

    /// <summary>
    /// Parses and validates a schedule expression exactly as written in CloudFormation / the EventBridge APIs.
    /// </summary>
    /// <param name="text">The expression, e.g. <c>cron(0 12 ? * MON-FRI *)</c>, <c>rate(5 minutes)</c>, <c>at(2030-01-01T09:00:00)</c>.</param>
    /// <param name="expression">The parsed expression when valid; otherwise <see langword="null"/>.</param>
    /// <param name="errors">Empty when valid; otherwise every problem found, each naming the field and what is allowed.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid expression.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ScheduleExpression? expression, out IReadOnlyList<string> errors)
    {
        var list = new List<string>();
        expression = ParseCore(text, list);
        if (list.Count > 0)
        {
            expression = null;
        }

        errors = list;
        return expression is not null;
    }

    /// <summary>Parses a schedule expression, throwing when it is invalid.</summary>
    /// <param name="text">The expression text.</param>
    /// <returns>The parsed expression.</returns>
    /// <exception cref="FormatException">The expression is invalid; the message lists every error.</exception>
    public static ScheduleExpression Parse(string text)
    {
        if (TryParse(text, out var expression, out var errors))
        {
            return expression;
        }

        throw new FormatException(FormatErrors(text, errors));
    }

    /// <summary>
    /// A <c>rate(...)</c> expression for a whole number of minutes, hours or days, using the largest unit that
    /// divides the interval exactly (90 minutes → <c>rate(90 minutes)</c>, 2 hours → <c>rate(2 hours)</c>,
    /// 24 hours → <c>rate(1 day)</c>).
    /// </summary>
    /// <param name="interval">A positive whole number of minutes.</param>
    /// <returns>The rate expression.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive or not a whole number of minutes.</exception>
    public static RateExpression Rate(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "rate: the interval must be positive.");
        }

        if (interval.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval,
                "rate: the interval must be a whole number of minutes, hours or days (EventBridge has no second-level rates).");
        }

        var (value, unit) =
            interval.Ticks % TimeSpan.TicksPerDay == 0 ? (interval.Ticks / TimeSpan.TicksPerDay, RateUnit.Day)
            : interval.Ticks % TimeSpan.TicksPerHour == 0 ? (interval.Ticks / TimeSpan.TicksPerHour, RateUnit.Hour)
            : (interval.Ticks / TimeSpan.TicksPerMinute, RateUnit.Minute);
        if (value > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "rate: the interval is too large.");
        }

        return new RateExpression((int)value, unit);
    }

    /// <summary>A <c>rate(value unit)</c> expression.</summary>
    /// <param name="value">A positive number of units.</param>
    /// <param name="unit">The unit.</param>
    /// <returns>The rate expression.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive or too large.</exception>
    public static RateExpression Rate(int value, RateUnit unit)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "rate: the value must be a positive integer.");
        }

        if (!RateExpression.Fits(value, unit))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "rate: the interval is too large.");
        }

        return new RateExpression(value, unit);
    }

    /// <summary>
    /// Builds a <c>cron(...)</c> expression from field texts, with the same defaults as the AWS CDK's
    /// <c>Schedule.cron({...})</c>: omitted minute, hour, month and year are <c>*</c>; day-of-week defaults to
    /// <c>?</c>; day-of-month defaults to <c>*</c>, or to <c>?</c> when <paramref name="weekDay"/> is given.
    /// </summary>
    /// <param name="minute">Minutes field (0-59).</param>
    /// <param name="hour">Hours field (0-23).</param>
    /// <param name="day">Day-of-month field (1-31, <c>L</c>, <c>LW</c>, <c>15W</c>...).</param>
    /// <param name="month">Month field (1-12 or JAN-DEC).</param>
    /// <param name="weekDay">Day-of-week field (1-7 or SUN-SAT, <c>6L</c>, <c>3#2</c>...).</param>
    /// <param name="year">Year field (1970-2199).</param>
    /// <returns>The validated expression.</returns>
    /// <exception cref="ArgumentException">Both <paramref name="day"/> and <paramref name="weekDay"/> were given, or a field is invalid (the message lists every error).</exception>
    public static CronExpression Cron(string? minute = null, string? hour = null, string? day = null, string? month = null,
        string? weekDay = null, string? year = null)
    {
        if (day is not null && weekDay is not null)
        {
            throw new ArgumentException("cron: supply at most one of 'day' and 'weekDay'; EventBridge requires the other to be '?'.", nameof(weekDay));
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"cron({minute ?? "*"} {hour ?? "*"} {day ?? (weekDay is null ? "*" : "?")} {month ?? "*"} {weekDay ?? "?"} {year ?? "*"})");
        var errors = new List<string>();
        var parsed = CronExpression.TryCreate(text, errors);
        if (parsed is null || errors.Count > 0)
        {
            throw new ArgumentException(FormatErrors(text, errors));
        }

        return parsed;
    }

    /// <summary>Every day at <paramref name="hour"/>:<paramref name="minute"/>: <c>cron(m h * * ? *)</c>.</summary>
    /// <param name="hour">0-23.</param>
    /// <param name="minute">0-59.</param>
    /// <returns>The cron expression.</returns>
    public static CronExpression DailyAt(int hour, int minute)
    {
        CheckTimeOfDay(hour, minute);
        return Cron(minute: minute.ToString(CultureInfo.InvariantCulture), hour: hour.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Every week on <paramref name="day"/> at <paramref name="hour"/>:<paramref name="minute"/>: <c>cron(m h ? * MON *)</c>.</summary>
    /// <param name="day">The day of the week.</param>
    /// <param name="hour">0-23.</param>
    /// <param name="minute">0-59.</param>
    /// <returns>The cron expression.</returns>
    public static CronExpression WeeklyOn(DayOfWeek day, int hour, int minute)
    {
        if (day < DayOfWeek.Sunday || day > DayOfWeek.Saturday)
        {
            throw new ArgumentOutOfRangeException(nameof(day), day, "Not a day of the week.");
        }

        CheckTimeOfDay(hour, minute);
        return Cron(
            minute: minute.ToString(CultureInfo.InvariantCulture),
            hour: hour.ToString(CultureInfo.InvariantCulture),
            weekDay: CronNames.DayNames[(int)day]);
    }

    /// <summary>A one-time <c>at(yyyy-mm-ddThh:mm:ss)</c> schedule at a wall-clock time (EventBridge Scheduler only).</summary>
    /// <param name="wallClock">The wall-clock time in the schedule's time zone; its <see cref="DateTime.Kind"/> is ignored. Must be a whole second.</param>
    /// <returns>The at expression.</returns>
    public static AtExpression At(DateTime wallClock)
    {
        if (wallClock.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(wallClock), wallClock, "at: the time must be a whole second (at(yyyy-mm-ddThh:mm:ss)).");
        }

        return new AtExpression(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified));
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="fromExclusive"/>, or <see langword="null"/> when there is none
    /// (the cron year field is exhausted, the <c>at</c> time has passed, or the value would leave
    /// <see cref="DateTimeOffset"/>'s range).
    /// </summary>
    /// <param name="fromExclusive">The instant after which to search.</param>
    /// <param name="zone">
    /// The time zone in which cron fields and <c>at</c> wall-clock times are read (EventBridge Scheduler's
    /// <c>ScheduleExpressionTimezone</c>); <see langword="null"/> means UTC, which is what scheduled rules always use.
    /// Rates ignore it: a rate's units are fixed durations (a day is always 24 hours).
    /// </param>
    /// <param name="rateStart">
    /// Rate expressions only: the anchor instant; occurrences are <c>rateStart + k × interval</c> for k ≥ 0.
    /// AWS anchors a rule's rate at its creation time and a Scheduler rate at its <c>StartDate</c> (or creation);
    /// we never guess, so the caller passes it. When <see langword="null"/>, <paramref name="fromExclusive"/> is the
    /// anchor, so the first occurrence is one interval later.
    /// </param>
    /// <returns>The next occurrence, expressed with the zone's UTC offset at that instant (offset zero for UTC).</returns>
    public DateTimeOffset? NextOccurrence(DateTimeOffset fromExclusive, TimeZoneInfo? zone = null, DateTimeOffset? rateStart = null)
        => NextCore(fromExclusive, zone ?? TimeZoneInfo.Utc, rateStart ?? fromExclusive);

    /// <summary>
    /// All occurrences strictly after <paramref name="fromExclusive"/>, in increasing order, lazily computed
    /// (each step jumps field by field; no minute-by-minute scanning). The sequence ends when the expression has no
    /// further occurrence; a cron expression with <c>*</c> years ends after 2199.
    /// </summary>
    /// <param name="fromExclusive">The instant after which to enumerate.</param>
    /// <param name="zone">See <see cref="NextOccurrence"/>; <see langword="null"/> means UTC.</param>
    /// <param name="rateStart">See <see cref="NextOccurrence"/>; fixed for the whole sequence.</param>
    /// <returns>The occurrences.</returns>
    public IEnumerable<DateTimeOffset> Occurrences(DateTimeOffset fromExclusive, TimeZoneInfo? zone = null, DateTimeOffset? rateStart = null)
        => Enumerate(fromExclusive, zone ?? TimeZoneInfo.Utc, rateStart ?? fromExclusive);

    private IEnumerable<DateTimeOffset> Enumerate(DateTimeOffset from, TimeZoneInfo zone, DateTimeOffset anchor)
    {
        var current = from;
        while (NextCore(current, zone, anchor) is { } next)
        {
            yield return next;
            current = next;
        }
    }

    private protected abstract DateTimeOffset? NextCore(DateTimeOffset fromExclusive, TimeZoneInfo zone, DateTimeOffset rateAnchor);

    /// <inheritdoc />
    public bool Equals(ScheduleExpression? other)
        => other is not null && other.Kind == Kind && string.Equals(other.ToString(), ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ScheduleExpression);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>Value equality on the canonical text.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>Whether both are equal (or both null).</returns>
    public static bool operator ==(ScheduleExpression? left, ScheduleExpression? right)
        => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality on the canonical text.</summary>
    /// <param name="left">Left operand.</param>
    /// <param name="right">Right operand.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(ScheduleExpression? left, ScheduleExpression? right) => !(left == right);

    private static ScheduleExpression? ParseCore(string? text, List<string> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add("schedule expression is empty; expected cron(...), rate(...) or at(...)");
            return null;
        }

        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            errors.Add("schedule expression has leading or trailing white space");
            return null;
        }

        if (text.StartsWith("cron(", StringComparison.Ordinal))
        {
            return CronExpression.TryCreate(text, errors);
        }

        if (text.StartsWith("rate(", StringComparison.Ordinal))
        {
            return RateExpression.TryCreate(text, errors);
        }

        if (text.StartsWith("at(", StringComparison.Ordinal))
        {
            return AtExpression.TryCreate(text, errors);
        }

        errors.Add("schedule expression must start with 'cron(', 'rate(' or 'at(' (lower case)");
        return null;
    }

    private static string FormatErrors(string? text, IReadOnlyList<string> errors)
        => $"Invalid schedule expression '{text}':{Environment.NewLine} - " + string.Join(Environment.NewLine + " - ", errors);

    private static void CheckTimeOfDay(int hour, int minute)
    {
        if (hour is < 0 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(hour), hour, "hours: value must be in range 0-23.");
        }

        if (minute is < 0 or > 59)
        {
            throw new ArgumentOutOfRangeException(nameof(minute), minute, "minutes: value must be in range 0-59.");
        }
    }

    /// <summary>Maps a wall-clock time in <paramref name="zone"/> to its instant using the Scheduler DST rules.</summary>
    /// <returns>The instant, or null when the wall-clock time does not exist (skipped by a forward jump).</returns>
    internal static DateTimeOffset? ToInstant(DateTime wallClock, TimeZoneInfo zone)
    {
        if (ReferenceEquals(zone, TimeZoneInfo.Utc))
        {
            return new DateTimeOffset(wallClock, TimeSpan.Zero);
        }

        if (zone.IsInvalidTime(wallClock))
        {
            return null;
        }

        TimeSpan offset;
        if (zone.IsAmbiguousTime(wallClock))
        {
            // Fall-back overlap: fire once, at the first instant, which is the one with the larger UTC offset.
            offset = TimeSpan.MinValue;
            foreach (var candidate in zone.GetAmbiguousTimeOffsets(wallClock))
            {
                if (candidate > offset)
                {
                    offset = candidate;
                }
            }
        }
        else
        {
            offset = zone.GetUtcOffset(wallClock);
        }

        var utcTicks = wallClock.Ticks - offset.Ticks;
        if (utcTicks < DateTimeOffset.MinValue.UtcTicks || utcTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return WithOffset(new DateTimeOffset(utcTicks, TimeSpan.Zero), offset);
    }

    /// <summary>Expresses an instant with the zone's offset at that instant.</summary>
    internal static DateTimeOffset InZone(DateTimeOffset instant, TimeZoneInfo zone)
        => ReferenceEquals(zone, TimeZoneInfo.Utc)
            ? instant.ToUniversalTime()
            : WithOffset(instant.ToUniversalTime(), zone.GetUtcOffset(instant));

    // DateTimeOffset only carries whole-minute offsets; a few historical zones used seconds (e.g. -00:44:30).
    private static DateTimeOffset WithOffset(DateTimeOffset utc, TimeSpan offset)
    {
        if (offset.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            return utc;
        }

        var local = utc.UtcTicks + offset.Ticks;
        return local < DateTime.MinValue.Ticks || local > DateTime.MaxValue.Ticks ? utc : utc.ToOffset(offset);
    }
}
