using System.Globalization;

namespace Lamina.Aws.Semantics.Messaging;

internal enum FilterValueKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>One scalar value of a message (an attribute value, an array element or a body leaf).</summary>
internal readonly struct FilterValue
{
    private FilterValue(FilterValueKind kind, string? text, double number)
    {
        Kind = kind;
        Text = text;
        Number = number;
    }

    public FilterValueKind Kind { get; }

    /// <summary>The string, for <see cref="FilterValueKind.String"/>.</summary>
    public string? Text { get; }

    /// <summary>The number, for <see cref="FilterValueKind.Number"/> (NaN when not representable).</summary>
    public double Number { get; }

    public bool IsNull => Kind == FilterValueKind.Null;

    public static FilterValue OfString(string text) => new(FilterValueKind.String, text, 0);

    public static FilterValue OfNumber(double number) => new(FilterValueKind.Number, null, number);

    public static FilterValue OfBoolean(bool value) => new(value ? FilterValueKind.True : FilterValueKind.False, null, 0);

    public static readonly FilterValue Null = new(FilterValueKind.Null, null, 0);
}

/// <summary>SNS's numeric model: numbers within ±10^9 compared with five decimal places of accuracy.</summary>
internal static class FilterNumber
{
    private const double Scale = 100_000d;

    /// <summary>Rounds to the five-decimal grid SNS compares on; fails outside ±10^9 or for NaN/infinity.</summary>
    public static bool TryQuantize(double value, out long scaled)
    {
        if (!double.IsFinite(value) || value < -FilterPolicyLimits.MaxNumericMagnitude ||
            value > FilterPolicyLimits.MaxNumericMagnitude)
        {
            scaled = 0;
            return false;
        }

        scaled = (long)Math.Round(value * Scale, MidpointRounding.AwayFromZero);
        return true;
    }

    public static bool TryParse(string? text, out double value)
    {
        if (text is not null &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) &&
            double.IsFinite(value))
        {
            return true;
        }

        value = double.NaN;
        return false;
    }

    public static bool InRange(double value) =>
        double.IsFinite(value) && Math.Abs(value) <= FilterPolicyLimits.MaxNumericMagnitude;

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
