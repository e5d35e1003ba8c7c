using System.Globalization;

namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>
/// A validated one-time <c>at(yyyy-mm-ddThh:mm:ss)</c> expression (EventBridge Scheduler only; scheduled rules reject it).
/// </summary>
/// <remarks>
/// The wall-clock time is read in the schedule's time zone (UTC by default). A wall-clock time that falls in a
/// daylight-saving gap has no occurrence (the same rule Scheduler documents for cron); one that falls in an overlap
/// occurs once, at the first instant.
/// </remarks>
public sealed class AtExpression : ScheduleExpression
{
    internal AtExpression(DateTime wallClock) => WallClock = wallClock;

    /// <inheritdoc />
    public override ScheduleKind Kind => ScheduleKind.At;

    /// <summary>The wall-clock date and time (kind <see cref="DateTimeKind.Unspecified"/>).</summary>
    public DateTime WallClock { get; }

    /// <inheritdoc />
    public override string ToString()
        => "at(" + WallClock.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture) + ")";

    internal static AtExpression? TryCreate(string text, List<string> errors)
    {
        const string Format = "at: expected at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-31T09:30:00)";
        var inner = text.EndsWith(')') ? text["at(".Length..^1] : null;
        if (inner is null || inner.Length != 19 || inner[4] != '-' || inner[7] != '-' || inner[10] != 'T' || inner[13] != ':' || inner[16] != ':')
        {
            errors.Add(Format + $"; got '{text}'");
            return null;
        }

        foreach (var i in (ReadOnlySpan<int>)[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
        {
            if (!char.IsAsciiDigit(inner[i]))
            {
                errors.Add(Format + $"; got '{text}'");
                return null;
            }
        }

        if (!DateTime.TryParseExact(inner, "yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var wallClock))
        {
            errors.Add($"at: '{inner}' is not a valid calendar date and time (month 01-12, day within the month, hours 00-23, minutes and seconds 00-59)");
            return null;
        }

        return new AtExpression(DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified));
    }

    private protected override DateTimeOffset? NextCore(DateTimeOffset fromExclusive, TimeZoneInfo zone, DateTimeOffset rateAnchor)
        => ToInstant(WallClock, zone) is { } instant && instant > fromExclusive ? instant : null;
}
