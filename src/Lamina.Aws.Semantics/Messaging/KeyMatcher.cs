using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// A body property path, precompiled for lookups. SNS compares paths after joining segments with '.', on both the
/// policy and the body side, so the policy path <c>a.b.c</c> reaches <c>{"a":{"b":{"c":..}}}</c>,
/// <c>{"a.b":{"c":..}}</c> and <c>{"a.b.c":..}</c> alike. For every position the remaining path can start at, this
/// holds the property names to try there.
/// </summary>
internal sealed class BodyPath
{
    private BodyPath(string full, Step[][] steps)
    {
        Full = full;
        Steps = steps;
    }

    public string Full { get; }

    /// <summary>Candidates by start position; <see cref="Step.Next"/> is -1 when the candidate ends the path.</summary>
    public Step[][] Steps { get; }

    public static BodyPath Create(string full)
    {
        var dots = new List<int>();
        for (var i = 0; i < full.Length; i++)
        {
            if (full[i] == '.')
            {
                dots.Add(i);
            }
        }

        var steps = new Step[dots.Count + 1][];
        for (var index = 0; index <= dots.Count; index++)
        {
            var start = index == 0 ? 0 : dots[index - 1] + 1;
            var candidates = new List<Step>();
            var rest = full[start..];
            candidates.Add(new Step(rest, Encoding.UTF8.GetBytes(rest), -1));
            for (var d = index; d < dots.Count; d++)
            {
                var name = full[start..dots[d]];
                candidates.Add(new Step(name, Encoding.UTF8.GetBytes(name), d + 1));
            }

            steps[index] = [.. candidates];
        }

        return new BodyPath(full, steps);
    }

    internal readonly record struct Step(string Name, byte[] Utf8, int Next);
}

/// <summary>Whether some values were seen for a key, and whether one of them matched.</summary>
internal struct KeyState
{
    public bool Present;
    public bool Matched;
}

/// <summary>
/// The compiled conditions on one key (an attribute name or a body path): the array of match values, OR-ed.
/// </summary>
internal sealed class KeyMatcher
{
    private readonly HashSet<string>? _exactStrings;
    private readonly HashSet<long>? _exactNumbers;
    private readonly double[] _exactUnscaledNumbers;
    private readonly bool _matchTrue;
    private readonly bool _matchFalse;
    private readonly bool _matchNull;
    private readonly ValuePattern[] _patterns;
    private readonly AnythingButPattern[] _anythingButs;
    private readonly bool _existsTrue;
    private readonly bool _existsFalse;

    public KeyMatcher(string name, BodyPath? path, KeyMatcherBuilder builder)
    {
        Name = name;
        Path = path;
        _exactStrings = builder.ExactStrings.Count > 0 ? new HashSet<string>(builder.ExactStrings, StringComparer.Ordinal) : null;
        _exactNumbers = builder.ExactNumbers.Count > 0 ? [.. builder.ExactNumbers] : null;
        _exactUnscaledNumbers = [.. builder.ExactUnscaledNumbers];
        _matchTrue = builder.MatchTrue;
        _matchFalse = builder.MatchFalse;
        _matchNull = builder.MatchNull;
        _patterns = [.. builder.Patterns.Where(p => p is not AnythingButPattern)];
        _anythingButs = [.. builder.Patterns.OfType<AnythingButPattern>()];
        _existsTrue = builder.ExistsTrue;
        _existsFalse = builder.ExistsFalse;
    }

    public string Name { get; }

    public BodyPath? Path { get; }

    /// <summary>Every match value except <c>anything-but</c> (which String.Array attributes treat specially).</summary>
    private bool MatchesPositive(in FilterValue value)
    {
        switch (value.Kind)
        {
            case FilterValueKind.String:
                if (_exactStrings is not null && _exactStrings.Contains(value.Text!))
                {
                    return true;
                }

                break;
            case FilterValueKind.Number:
                if (_exactNumbers is not null && FilterNumber.TryQuantize(value.Number, out var scaled) &&
                    _exactNumbers.Contains(scaled))
                {
                    return true;
                }

                foreach (var n in _exactUnscaledNumbers)
                {
                    if (n == value.Number)
                    {
                        return true;
                    }
                }

                break;
            case FilterValueKind.True:
                return _matchTrue;
            case FilterValueKind.False:
                return _matchFalse;
            case FilterValueKind.Null:
                return _matchNull;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(value))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesValue(in FilterValue value)
    {
        if (MatchesPositive(value))
        {
            return true;
        }

        foreach (var pattern in _anythingButs)
        {
            if (pattern.Matches(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Records one value seen at this key (a body leaf or a scalar attribute).</summary>
    private void Observe(in FilterValue value, ref KeyState state)
    {
        if (!value.IsNull)
        {
            state.Present = true;
        }

        if (!state.Matched && MatchesValue(value))
        {
            state.Matched = true;
        }
    }

    /// <summary>
    /// Final verdict for the key. <c>exists: true</c> needs a non-null value; <c>exists: false</c> needs none, and
    /// (as SNS documents) only matches when the message has at least one attribute / body property at all.
    /// </summary>
    private bool Resolve(in KeyState state, bool messageHasFields) =>
        state.Matched || (_existsTrue && state.Present) || (_existsFalse && !state.Present && messageHasFields);

    // ---------------------------------------------------------------- attributes

    public bool MatchAttributes(IReadOnlyDictionary<string, MessageAttributeValue> attributes, bool messageHasFields)
    {
        var state = default(KeyState);
        if (attributes.TryGetValue(Name, out var attribute) && attribute is not null)
        {
            switch (AttributeTypes.Classify(attribute.DataType))
            {
                case AttributeKind.Binary:
                    break;
                case AttributeKind.StringArray:
                    MatchStringArray(attribute.StringValue, ref state);
                    break;
                case AttributeKind.Number when attribute.StringValue is not null:
                    Observe(
                        FilterNumber.TryParse(attribute.StringValue, out var number)
                            ? FilterValue.OfNumber(number)
                            : FilterValue.OfString(attribute.StringValue),
                        ref state);
                    break;
                default:
                    if (attribute.StringValue is not null)
                    {
                        Observe(FilterValue.OfString(attribute.StringValue), ref state);
                    }

                    break;
            }
        }

        return Resolve(state, messageHasFields);
    }

    /// <summary>
    /// A <c>String.Array</c> attribute: every element is matched on its own for exact, prefix, suffix,
    /// equals-ignore-case, numeric and cidr; <c>anything-but</c> matches only when no element is excluded.
    /// </summary>
    private void MatchStringArray(string? json, ref KeyState state)
    {
        if (json is null)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // SNS rejects such a publish; locally the attribute exists but has no elements to match.
            state.Present = true;
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                state.Present = true;
                return;
            }

            var elementCount = 0;
            ScanArray(root, ref state, ref elementCount);
            if (state.Matched || elementCount == 0)
            {
                return;
            }

            foreach (var pattern in _anythingButs)
            {
                if (AllElementsPass(root, pattern))
                {
                    state.Matched = true;
                    return;
                }
            }
        }
    }

    private void ScanArray(JsonElement array, ref KeyState state, ref int count)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                ScanArray(element, ref state, ref count);
                continue;
            }

            if (!JsonValues.TryGetScalar(element, out var value))
            {
                continue;
            }

            count++;
            if (!value.IsNull)
            {
                state.Present = true;
            }

            if (!state.Matched && MatchesPositive(value))
            {
                state.Matched = true;
            }
        }
    }

    private static bool AllElementsPass(JsonElement array, AnythingButPattern pattern)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                if (!AllElementsPass(element, pattern))
                {
                    return false;
                }

                continue;
            }

            if (JsonValues.TryGetScalar(element, out var value) && !pattern.Matches(value))
            {
                return false;
            }
        }

        return true;
    }

    // ---------------------------------------------------------------- body as JsonElement

    public bool MatchBody(JsonElement root, bool messageHasFields)
    {
        var state = default(KeyState);
        WalkObject(root, 0, ref state);
        return Resolve(state, messageHasFields);
    }

    private void WalkObject(JsonElement obj, int position, ref KeyState state)
    {
        foreach (var step in Path!.Steps[position])
        {
            if (!obj.TryGetProperty(step.Utf8, out var child))
            {
                continue;
            }

            if (step.Next < 0)
            {
                VisitLeaf(child, ref state);
            }
            else
            {
                Descend(child, step.Next, ref state);
            }

            if (state.Matched)
            {
                return;
            }
        }
    }

    private void Descend(JsonElement value, int position, ref KeyState state)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            WalkObject(value, position, ref state);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                Descend(element, position, ref state);
                if (state.Matched)
                {
                    return;
                }
            }
        }
    }

    private void VisitLeaf(JsonElement value, ref KeyState state)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                VisitLeaf(element, ref state);
                if (state.Matched)
                {
                    return;
                }
            }
        }
        else if (JsonValues.TryGetScalar(value, out var scalar))
        {
            Observe(scalar, ref state);
        }
    }

    // ---------------------------------------------------------------- body as JsonNode

    public bool MatchBody(JsonObject root, bool messageHasFields)
    {
        var state = default(KeyState);
        WalkObject(root, 0, ref state);
        return Resolve(state, messageHasFields);
    }

    private void WalkObject(JsonObject obj, int position, ref KeyState state)
    {
        foreach (var step in Path!.Steps[position])
        {
            if (!obj.TryGetPropertyValue(step.Name, out var child))
            {
                continue;
            }

            if (step.Next < 0)
            {
                VisitLeaf(child, ref state);
            }
            else
            {
                Descend(child, step.Next, ref state);
            }

            if (state.Matched)
            {
                return;
            }
        }
    }

    private void Descend(JsonNode? value, int position, ref KeyState state)
    {
        if (value is JsonObject obj)
        {
            WalkObject(obj, position, ref state);
        }
        else if (value is JsonArray array)
        {
            foreach (var element in array)
            {
                Descend(element, position, ref state);
                if (state.Matched)
                {
                    return;
                }
            }
        }
    }

    private void VisitLeaf(JsonNode? value, ref KeyState state)
    {
        switch (value)
        {
            case null:
                Observe(FilterValue.Null, ref state);
                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    VisitLeaf(element, ref state);
                    if (state.Matched)
                    {
                        return;
                    }
                }

                break;
            case JsonValue scalar:
                if (JsonValues.TryGetScalar(scalar, out var filterValue))
                {
                    Observe(filterValue, ref state);
                }

                break;
        }
    }
}

/// <summary>The match values of one key, collected while the policy is compiled.</summary>
internal sealed class KeyMatcherBuilder
{
    public List<string> ExactStrings { get; } = [];

    public List<long> ExactNumbers { get; } = [];

    public List<double> ExactUnscaledNumbers { get; } = [];

    public bool MatchTrue { get; set; }

    public bool MatchFalse { get; set; }

    public bool MatchNull { get; set; }

    public List<ValuePattern> Patterns { get; } = [];

    public bool ExistsTrue { get; set; }

    public bool ExistsFalse { get; set; }
}

internal enum AttributeKind
{
    String,
    StringArray,
    Number,
    Binary,
}

internal static class AttributeTypes
{
    /// <summary>
    /// <c>String.Array</c> exactly; otherwise the base type before an optional custom label
    /// (<c>Number.float</c> is a Number). Unknown types are compared as strings.
    /// </summary>
    public static AttributeKind Classify(string? dataType)
    {
        if (dataType is null)
        {
            return AttributeKind.String;
        }

        if (dataType == "String.Array")
        {
            return AttributeKind.StringArray;
        }

        if (HasBase(dataType, "Number"))
        {
            return AttributeKind.Number;
        }

        return HasBase(dataType, "Binary") ? AttributeKind.Binary : AttributeKind.String;
    }

    private static bool HasBase(string dataType, string baseType) =>
        dataType.StartsWith(baseType, StringComparison.Ordinal) &&
        (dataType.Length == baseType.Length || dataType[baseType.Length] == '.');
}

internal static class JsonValues
{
    /// <summary>A JSON scalar as a filter value; objects and arrays are not scalars.</summary>
    public static bool TryGetScalar(JsonElement element, out FilterValue value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = FilterValue.OfString(element.GetString()!);
                return true;
            case JsonValueKind.Number:
                value = FilterValue.OfNumber(element.TryGetDouble(out var d) && double.IsFinite(d) ? d : double.NaN);
                return true;
            case JsonValueKind.True:
                value = FilterValue.OfBoolean(true);
                return true;
            case JsonValueKind.False:
                value = FilterValue.OfBoolean(false);
                return true;
            case JsonValueKind.Null:
                value = FilterValue.Null;
                return true;
            default:
                value = default;
                return false;
        }
    }

    public static bool TryGetScalar(JsonValue node, out FilterValue value)
    {
        switch (node.GetValueKind())
        {
            case JsonValueKind.String:
                if (!node.TryGetValue<string>(out var text))
                {
                    // A CLR value (Guid, DateTime, char...) that serializes as a JSON string.
                    using var document = JsonDocument.Parse(node.ToJsonString());
                    text = document.RootElement.GetString()!;
                }

                value = FilterValue.OfString(text);
                return true;
            case JsonValueKind.Number:
                if (!node.TryGetValue<double>(out var number) && !FilterNumber.TryParse(node.ToJsonString(), out number))
                {
                    number = double.NaN;
                }

                value = FilterValue.OfNumber(number);
                return true;
            case JsonValueKind.True:
                value = FilterValue.OfBoolean(true);
                return true;
            case JsonValueKind.False:
                value = FilterValue.OfBoolean(false);
                return true;
            case JsonValueKind.Null:
                value = FilterValue.Null;
                return true;
            default:
                value = default;
                return false;
        }
    }
}
