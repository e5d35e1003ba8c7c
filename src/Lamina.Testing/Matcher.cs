using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Testing;

/// <summary>
/// A pattern that a value of the template's JSON view (see <see cref="TemplateJson"/>) is tested against. Create
/// matchers with <see cref="Match"/>; derive from this class for custom ones.
/// </summary>
public abstract class Matcher
{
    /// <summary>A short name, such as <c>objectLike</c> or <c>arrayWith</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Tests a value that is present (it may be JSON null). <paramref name="path"/> locates it in messages.</summary>
    public abstract MatchResult Test(JsonNode? actual, string path);

    /// <summary>
    /// Tests a key that is missing from its object. By default a missing value does not match; <see cref="Match.Absent"/>
    /// and <see cref="Match.Not"/> override this.
    /// </summary>
    public virtual MatchResult TestMissing(string path) => MatchResult.Failure(path, $"missing; expected {Describe()}");

    /// <summary>A readable description of what the matcher accepts, for messages.</summary>
    public virtual string Describe() => Name;

    /// <inheritdoc />
    public override string ToString() => Describe();

    /// <summary>
    /// Turns an expected value into a matcher: a <see cref="Matcher"/> is kept; dictionaries (and anonymous objects)
    /// become object matchers, lists and arrays exact-length array matchers, scalars exact values, Lamina values
    /// (<c>Output&lt;T&gt;</c>, <c>Expr</c>, resources) their view (<c>"${Queue.arn}"</c>), <see cref="JsonNode"/>s their
    /// content. With <paramref name="partial"/>, objects at any depth may hold more keys than expected.
    /// </summary>
    /// <exception cref="ArgumentException">A value of an unsupported type.</exception>
    public static Matcher From(object? expected, bool partial = true)
    {
        switch (expected)
        {
            case null:
                return new LiteralMatcher(null);
            case Matcher m:
                return m;
            case JsonNode node:
                return FromNode(node, partial);
            case string or bool or int or long or double or float or decimal or short or byte or sbyte or ushort or uint or ulong:
                return new LiteralMatcher(ScalarNode(expected));
        }
        if (TemplateJson.TryFromLaminaValue(expected, out var lamina))
        {
            return FromNode(lamina, partial);
        }
        if (TryEntries(expected, out var entries))
        {
            return new ObjectMatcher(entries.Select(e => new KeyValuePair<string, Matcher>(e.Key, From(e.Value, partial))).ToList(), partial);
        }
        if (expected is IEnumerable seq)
        {
            return new ArrayMatcher(seq.Cast<object?>().Select(i => From(i, partial)).ToList(), subsequence: false, partial ? "arrayLike" : "arrayEquals");
        }
        throw new ArgumentException(
            $"Cannot match against a value of type {expected.GetType().Name}: use dictionaries, lists, strings, numbers, booleans, null, Lamina values, JsonNodes or Match.* matchers.",
            nameof(expected));
    }

    /// <summary>Turns an expected object (a dictionary, an anonymous object, a JSON object, a Lamina object value) into entries.</summary>
    internal static bool TryEntries(object expected, out List<KeyValuePair<string, object?>> entries)
    {
        entries = new();
        switch (expected)
        {
            case IDictionary dict:
                foreach (DictionaryEntry e in dict)
                {
                    entries.Add(new(e.Key as string ?? throw new ArgumentException($"Dictionary keys must be strings, not {e.Key.GetType().Name}."), e.Value));
                }
                return true;
            case IEnumerable<KeyValuePair<string, object?>> kvs:
                entries.AddRange(kvs);
                return true;
            case IEnumerable<KeyValuePair<string, string>> skvs:
                entries.AddRange(skvs.Select(kv => new KeyValuePair<string, object?>(kv.Key, kv.Value)));
                return true;
        }
        var type = expected.GetType();
        if (type.IsDefined(typeof(CompilerGeneratedAttribute), false) && type.Name.Contains("AnonymousType", StringComparison.Ordinal))
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                entries.Add(new(p.Name, p.GetValue(expected)));
            }
            return true;
        }
        return false;
    }

    private static Matcher FromNode(JsonNode? node, bool partial) => node switch
    {
        null => new LiteralMatcher(null),
        JsonObject o => new ObjectMatcher(o.Select(kv => new KeyValuePair<string, Matcher>(kv.Key, FromNode(kv.Value, partial))).ToList(), partial),
        JsonArray a => new ArrayMatcher(a.Select(i => FromNode(i, partial)).ToList(), subsequence: false, partial ? "arrayLike" : "arrayEquals"),
        _ => new LiteralMatcher(node.DeepClone()),
    };

    private static JsonNode ScalarNode(object value) => value switch
    {
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or short or byte or sbyte or ushort or uint => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        decimal m => JsonValue.Create(m),
        float f => JsonValue.Create((double)f),
        _ => JsonValue.Create((double)value),
    };
}

/// <summary>One difference found by a matcher.</summary>
/// <param name="Path">Where: <c>properties.policy.fn::toJSON.Statement[0].Condition</c>.</param>
/// <param name="Message">What: <c>expected key 'ArnEquals' but it is missing</c>.</param>
public sealed record MatchFailure(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>The outcome of testing a value: the failures (none on success) and the values <see cref="Capture"/>s saw.</summary>
public sealed class MatchResult
{
    private readonly List<MatchFailure> _failures = new();
    private List<(Capture Capture, JsonNode? Value)>? _captures;

    /// <summary>Whether the value matched.</summary>
    public bool IsSuccess => _failures.Count == 0;

    /// <summary>The differences found, each with its path.</summary>
    public IReadOnlyList<MatchFailure> Failures => _failures;

    /// <summary>A new successful result.</summary>
    public static MatchResult Success() => new();

    /// <summary>A new result with one failure.</summary>
    public static MatchResult Failure(string path, string message) => new MatchResult().AddFailure(path, message);

    /// <summary>Adds a failure; returns this result.</summary>
    public MatchResult AddFailure(string path, string message)
    {
        _failures.Add(new MatchFailure(path, message));
        return this;
    }

    /// <summary>Adds the failures and pending captures of <paramref name="other"/>; returns this result.</summary>
    public MatchResult Merge(MatchResult other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _failures.AddRange(other._failures);
        if (other._captures is not null)
        {
            (_captures ??= new()).AddRange(other._captures);
        }
        return this;
    }

    /// <summary>Records a value seen by <paramref name="capture"/>; it is kept only if the whole match succeeds (<see cref="CommitCaptures"/>).</summary>
    public void RecordCapture(Capture capture, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(capture);
        (_captures ??= new()).Add((capture, value));
    }

    /// <summary>When the match succeeded, hands the recorded values to their <see cref="Capture"/>s (the template assertions do this).</summary>
    public void CommitCaptures()
    {
        if (IsSuccess && _captures is not null)
        {
            foreach (var (capture, value) in _captures)
            {
                capture.Add(value);
            }
            _captures = null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? "match" : string.Join(Environment.NewLine, _failures);
}

/// <summary>Helpers shared by matchers and assertions: path building and short value descriptions.</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static string Key(string path, string key)
    {
        var simple = key.Length > 0 && key.All(c => c != '.' && c != '[' && c != ']' && c != '\'' && !char.IsWhiteSpace(c));
        if (path.Length == 0)
        {
            return simple ? key : $"['{key}']";
        }
        return simple ? $"{path}.{key}" : $"{path}['{key}']";
    }

    public static string Index(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>Compact JSON, cut at <paramref name="max"/> characters.</summary>
    public static string Short(JsonNode? node, int max = 120)
    {
        var text = node is null ? "null" : node.ToJsonString(Compact);
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    /// <summary>Indented JSON, at most <paramref name="maxLines"/> lines, each prefixed with <paramref name="indent"/>.</summary>
    public static string Block(JsonNode? node, string indent, int maxLines = 60)
    {
        var text = node is null ? "null" : node.ToJsonString(Indented);
        var lines = text.Split('\n');
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length && i < maxLines; i++)
        {
            sb.Append(indent).Append(lines[i].TrimEnd('\r')).Append('\n');
        }
        if (lines.Length > maxLines)
        {
            sb.Append(indent).Append("… (").Append(lines.Length - maxLines).Append(" more lines)\n");
        }
        return sb.ToString();
    }

    /// <summary>"a string", "a number", "an object", … for messages.</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
        _ => "a value",
    };

    /// <summary>The string held by <paramref name="node"/>, or null when it is not a string.</summary>
    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The number held by <paramref name="node"/>, or null when it is not a number.</summary>
    public static double? AsNumber(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
