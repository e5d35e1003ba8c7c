using System.Globalization;

namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>
/// A validated <c>rate(value unit)</c> expression: a positive integer and one of
/// <c>minute | minutes | hour | hours | day | days</c>, singular exactly when the value is 1.
/// </summary>
/// <remarks>
/// Occurrences are <c>anchor + k × <see cref="Interval"/></c>. Units are fixed durations: EventBridge Scheduler
/// documents that a day is always 24 hours, even when a daylight-saving change makes the local day 23 or 25 hours.
/// </remarks>
public sealed class RateExpression : ScheduleExpression
{
    internal RateExpression(int value, RateUnit unit)
    {
        Value = value;
        Unit = unit;
    }

    /// <inheritdoc />
    public override ScheduleKind Kind => ScheduleKind.Rate;

    /// <summary>The number of units (positive).</summary>
    public int Value { get; }

    /// <summary>The unit.</summary>
    public RateUnit Unit { get; }

    /// <summary>The interval between occurrences.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Value * UnitTicks(Unit));

    /// <inheritdoc />
    public override string ToString()
    {
        var unit = Unit switch
        {
            RateUnit.Minute => "minute",
            RateUnit.Hour => "hour",
            _ => "day",
        };
        return string.Create(CultureInfo.InvariantCulture, $"rate({Value} {unit}{(Value == 1 ? string.Empty : "s")})");
    }

    internal static bool Fits(long value, RateUnit unit) => value <= TimeSpan.MaxValue.Ticks / UnitTicks(unit);

    internal static RateExpression? TryCreate(string text, List<string> errors)
    {
        if (!text.EndsWith(')'))
        {
            errors.Add("rate: missing closing ')'; expected rate(value unit), e.g. rate(5 minutes)");
            return null;
        }

        var parts = text["rate(".Length..^1].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"rate: expected two fields 'value unit' separated by white space (e.g. rate(5 minutes)), found {parts.Length}"));
            return null;
        }

        var valueText = parts[0];
        var unitText = parts[1];
        long value = 0;
        var valueOk = valueText.All(char.IsAsciiDigit)
            && long.TryParse(valueText, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value > 0;
        if (!valueOk)
        {
            errors.Add($"rate: value '{valueText}' must be a positive integer");
        }

        RateUnit? unit = unitText switch
        {
            "minute" or "minutes" => RateUnit.Minute,
            "hour" or "hours" => RateUnit.Hour,
            "day" or "days" => RateUnit.Day,
            _ => null,
        };
        if (unit is null)
        {
            errors.Add($"rate: unit '{unitText}' is not one of minute, minutes, hour, hours, day, days");
            return null;
        }

        if (!valueOk)
        {
            return null;
        }

        var plural = unitText.EndsWith('s');
        if (value == 1 && plural)
        {
            errors.Add($"rate: a value of 1 requires the singular unit '{unitText[..^1]}', not '{unitText}'");
            return null;
        }

        if (value > 1 && !plural)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"rate: a value of {value} requires the plural unit '{unitText}s', not '{unitText}'"));
            return null;
        }

        if (value > int.MaxValue || !Fits(value, unit.Value))
        {
            errors.Add($"rate: value {valueText} {unitText} is too large");
            return null;
        }

        return new RateExpression((int)value, unit.Value);
    }

    private protected override DateTimeOffset? NextCore(DateTimeOffset fromExclusive, TimeZoneInfo zone, DateTimeOffset rateAnchor)
    {
        if (rateAnchor > fromExclusive)
        {
            return InZone(rateAnchor, zone);
        }

        var interval = Value * UnitTicks(Unit);
        var elapsed = fromExclusive.UtcTicks - rateAnchor.UtcTicks;
        var steps = (elapsed / interval) + 1;
        var remaining = DateTimeOffset.MaxValue.UtcTicks - rateAnchor.UtcTicks;
        if (steps > remaining / interval)
        {
            return null;
        }

        return InZone(new DateTimeOffset(rateAnchor.UtcTicks + (steps * interval), TimeSpan.Zero), zone);
    }

    private static long UnitTicks(RateUnit unit) => unit switch
    {
        RateUnit.Minute => TimeSpan.TicksPerMinute,
        RateUnit.Hour => TimeSpan.TicksPerHour,
        _ => TimeSpan.TicksPerDay,
    };
}
