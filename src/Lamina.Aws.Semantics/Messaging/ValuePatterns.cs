namespace Lamina.Aws.Semantics.Messaging;

/// <summary>A compiled match expression (an object inside a key's array of match values).</summary>
internal abstract class ValuePattern
{
    public abstract bool Matches(in FilterValue value);
}

internal sealed class PrefixPattern(string prefix) : ValuePattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind == FilterValueKind.String && value.Text!.StartsWith(prefix, StringComparison.Ordinal);
}

internal sealed class SuffixPattern(string suffix) : ValuePattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind == FilterValueKind.String && value.Text!.EndsWith(suffix, StringComparison.Ordinal);
}

internal sealed class EqualsIgnoreCasePattern(string expected) : ValuePattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind == FilterValueKind.String && string.Equals(value.Text, expected, StringComparison.OrdinalIgnoreCase);
}

/// <summary><c>numeric</c>: one comparison or a lower/upper range, on the five-decimal grid.</summary>
internal sealed class NumericRangePattern(long? lower, bool lowerInclusive, long? upper, bool upperInclusive)
    : ValuePattern
{
    public override bool Matches(in FilterValue value)
    {
        if (value.Kind != FilterValueKind.Number || !FilterNumber.TryQuantize(value.Number, out var n))
        {
            return false;
        }

        if (lower is { } lo && (lowerInclusive ? n < lo : n <= lo))
        {
            return false;
        }

        return upper is not { } hi || (upperInclusive ? n <= hi : n < hi);
    }
}

internal sealed class CidrPattern(IpCidr cidr) : ValuePattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind == FilterValueKind.String && cidr.Contains(value.Text!);
}

/// <summary>
/// <c>anything-but</c>: a present, non-null value that is not excluded. Values of another type than the excluded
/// ones are never equal to them, so they pass.
/// </summary>
internal abstract class AnythingButPattern : ValuePattern
{
}

internal sealed class AnythingButStringsPattern(HashSet<string> excluded) : AnythingButPattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind switch
        {
            FilterValueKind.Null => false,
            FilterValueKind.String => !excluded.Contains(value.Text!),
            _ => true,
        };
}

internal sealed class AnythingButNumbersPattern(HashSet<long> excluded) : AnythingButPattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind switch
        {
            FilterValueKind.Null => false,
            FilterValueKind.Number => !FilterNumber.TryQuantize(value.Number, out var n) || !excluded.Contains(n),
            _ => true,
        };
}

internal sealed class AnythingButPrefixPattern(string prefix) : AnythingButPattern
{
    public override bool Matches(in FilterValue value) =>
        value.Kind switch
        {
            FilterValueKind.Null => false,
            FilterValueKind.String => !value.Text!.StartsWith(prefix, StringComparison.Ordinal),
            _ => true,
        };
}
