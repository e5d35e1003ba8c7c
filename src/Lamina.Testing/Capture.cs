using System.Text.Json.Nodes;

namespace Lamina.Testing;

/// <summary>
/// A matcher that records the values it matches, as the AWS CDK's <c>Capture</c>: put it where a value is expected,
/// run the assertion, then read the value. Values are recorded only from successful matches (one per matching
/// resource or output, in logical-name order); <see cref="Next"/> moves to the next one.
/// </summary>
/// <example>
/// <code>
/// var role = new Capture();
/// template.HasResourceProperties("aws:lambda:Function", new Dictionary&lt;string, object?&gt; { ["role"] = role });
/// Assert.Equal("${FnRole.arn}", role.AsString());
/// </code>
/// </example>
public sealed class Capture : Matcher
{
    private readonly Matcher? _pattern;
    private readonly List<JsonNode?> _values = new();
    private int _index;

    /// <summary>Creates a capture; with <paramref name="pattern"/>, only values that also match it are captured.</summary>
    public Capture(object? pattern = null)
    {
        _pattern = pattern is null ? null : From(pattern, partial: true);
    }

    /// <inheritdoc />
    public override string Name => "capture";

    /// <inheritdoc />
    public override string Describe() => _pattern is null ? "capture()" : $"capture({_pattern.Describe()})";

    /// <summary>Every value captured so far.</summary>
    public IReadOnlyList<JsonNode?> Values => _values;

    /// <summary>The number of values captured.</summary>
    public int Count => _values.Count;

    /// <summary>The current value (the first, until <see cref="Next"/> is called).</summary>
    /// <exception cref="InvalidOperationException">Nothing was captured.</exception>
    public JsonNode Value
    {
        get
        {
            if (_values.Count == 0)
            {
                throw new InvalidOperationException("Capture: no value was captured (did the assertion run, and did it match?).");
            }
            return _values[_index]!;
        }
    }

    /// <summary>Moves to the next captured value; false when there is none (the current value stays).</summary>
    public bool Next()
    {
        if (_index + 1 >= _values.Count)
        {
            return false;
        }
        _index++;
        return true;
    }

    /// <summary>The current value as a string (references read <c>"${Queue.arn}"</c>).</summary>
    /// <exception cref="InvalidOperationException">Nothing was captured, or the value is not a string.</exception>
    public string AsString() => JsonText.AsString(Value) ?? throw WrongKind("a string");

    /// <summary>The current value as a number.</summary>
    /// <exception cref="InvalidOperationException">Nothing was captured, or the value is not a number.</exception>
    public double AsNumber() => JsonText.AsNumber(Value) ?? throw WrongKind("a number");

    /// <summary>The current value as a boolean.</summary>
    /// <exception cref="InvalidOperationException">Nothing was captured, or the value is not a boolean.</exception>
    public bool AsBoolean() => Value is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw WrongKind("a boolean");

    /// <summary>The current value as an array.</summary>
    /// <exception cref="InvalidOperationException">Nothing was captured, or the value is not an array.</exception>
    public JsonArray AsArray() => Value as JsonArray ?? throw WrongKind("an array");

    /// <summary>The current value as an object.</summary>
    /// <exception cref="InvalidOperationException">Nothing was captured, or the value is not an object.</exception>
    public JsonObject AsObject() => Value as JsonObject ?? throw WrongKind("an object");

    /// <inheritdoc />
    public override MatchResult Test(JsonNode? actual, string path)
    {
        if (actual is null)
        {
            return MatchResult.Failure(path, "cannot capture null");
        }
        var result = _pattern?.Test(actual, path) ?? MatchResult.Success();
        if (result.IsSuccess)
        {
            result.RecordCapture(this, actual.DeepClone());
        }
        return result;
    }

    internal void Add(JsonNode? value) => _values.Add(value);

    private InvalidOperationException WrongKind(string wanted) =>
        new($"Capture: the captured value is {JsonText.Kind(Value)} {JsonText.Short(Value)}, not {wanted}.");
}
