using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Messaging;

/// <summary>
/// An SNS subscription filter policy, built from small helpers or given as JSON text. Helpers combine with
/// <see cref="And(Filter)"/> (keys are AND-ed) and <see cref="Or(Filter[])"/> (<c>$or</c>); the values given to one helper
/// are OR-ed. <see cref="Any"/> means no filter policy (every message is delivered). Policies are checked at synthesis
/// with <c>Lamina.Aws.Semantics.Messaging.FilterPolicy.Validate</c> for the subscription's scope: every error names its
/// JSON path inside the policy.
/// </summary>
/// <example>
/// <code>
/// var created = Filter.Attribute("type", "created", "updated");                   // {"type":["created","updated"]}
/// var bigEu = Filter.Numeric("amount", ">=", 100).And(Filter.Prefix("region", "eu-"));
/// var raw = Filter.FromJson("""{"store":[{"anything-but":["test"]}]}""");
/// orders.Subscribe(billing, new() { Filter = created });
/// </code>
/// </example>
public sealed class Filter
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    private readonly string? _json;

    private Filter(string? json) => _json = json;

    /// <summary>No filter policy: the subscription receives every message.</summary>
    public static Filter Any { get; } = new(null);

    /// <summary>Whether this is <see cref="Any"/> (no policy).</summary>
    public bool IsAny => _json is null;

    /// <summary>The policy JSON, or null for <see cref="Any"/>.</summary>
    public string? Json => _json;

    /// <summary>A policy given as JSON text (checked at synthesis, not here).</summary>
    public static Filter FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new Filter(json);
    }

    /// <summary>The attribute (or body property) <paramref name="name"/> equals one of <paramref name="values"/> (exact string match).</summary>
    public static Filter Attribute(string name, params string[] values) =>
        Key(name, new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));

    /// <summary>The attribute <paramref name="name"/> is one of the numbers <paramref name="values"/> (numeric match).</summary>
    public static Filter Number(string name, params double[] values) =>
        Key(name, new JsonArray(values.Select(v => (JsonNode?)Obj("numeric", new JsonArray("=", v))).ToArray()));

    /// <summary>The attribute <paramref name="name"/> starts with <paramref name="prefix"/>.</summary>
    public static Filter Prefix(string name, string prefix) => Key(name, new JsonArray(Obj("prefix", JsonValue.Create(prefix))));

    /// <summary>The attribute <paramref name="name"/> ends with <paramref name="suffix"/>.</summary>
    public static Filter Suffix(string name, string suffix) => Key(name, new JsonArray(Obj("suffix", JsonValue.Create(suffix))));

    /// <summary>The attribute <paramref name="name"/> equals <paramref name="value"/> ignoring case.</summary>
    public static Filter EqualsIgnoreCase(string name, string value) => Key(name, new JsonArray(Obj("equals-ignore-case", JsonValue.Create(value))));

    /// <summary>The attribute <paramref name="name"/> is none of <paramref name="values"/> (it must be present, unless combined with <see cref="Exists"/>).</summary>
    public static Filter AnythingBut(string name, params string[] values) =>
        Key(name, new JsonArray(Obj("anything-but", new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()))));

    /// <summary>The attribute <paramref name="name"/> is present (or, with <paramref name="exists"/> false, absent).</summary>
    public static Filter Exists(string name, bool exists = true) => Key(name, new JsonArray(Obj("exists", JsonValue.Create(exists))));

    /// <summary>
    /// A numeric comparison: <paramref name="op"/> is one of <c>=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>
    /// (SNS compares numbers with five decimal places, within ±10^9).
    /// </summary>
    public static Filter Numeric(string name, string op, double value) => Key(name, new JsonArray(Obj("numeric", new JsonArray(op, value))));

    /// <summary>A numeric range such as <c>Numeric("price", "&gt;=", 10, "&lt;", 20)</c>.</summary>
    public static Filter Numeric(string name, string lowerOp, double lower, string upperOp, double upper) =>
        Key(name, new JsonArray(Obj("numeric", new JsonArray(lowerOp, lower, upperOp, upper))));

    /// <summary>A number between <paramref name="lower"/> and <paramref name="upper"/>, both included.</summary>
    public static Filter Between(string name, double lower, double upper) => Numeric(name, ">=", lower, "<=", upper);

    /// <summary>
    /// A nested property of the message body (<see cref="Lamina.Aws.Semantics.Messaging.FilterPolicyScope.MessageBody"/>
    /// scope only): <c>Within("order", Filter.Attribute("status", "paid"))</c> gives <c>{"order":{"status":["paid"]}}</c>.
    /// </summary>
    public static Filter Within(string key, Filter inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return Key(key, inner.IsAny ? new JsonObject() : ParseObject(inner, nameof(inner)));
    }

    /// <summary>Messages matching any of <paramref name="alternatives"/> (<c>{"$or":[...]}</c>).</summary>
    public static Filter Or(params Filter[] alternatives)
    {
        if (alternatives.Any(a => a.IsAny))
        {
            return Any;
        }
        return Key("$or", new JsonArray(alternatives.Select(a => (JsonNode?)ParseObject(a, nameof(alternatives))).ToArray()));
    }

    /// <summary>Messages matching this filter and <paramref name="other"/>: the keys of both (a key may appear in only one).</summary>
    /// <exception cref="ArgumentException">Both filters constrain the same key.</exception>
    public Filter And(Filter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (IsAny)
        {
            return other;
        }
        if (other.IsAny)
        {
            return this;
        }
        var merged = ParseObject(this, "this");
        foreach (var (key, value) in ParseObject(other, nameof(other)))
        {
            if (merged.ContainsKey(key))
            {
                throw new ArgumentException($"both filters constrain '{key}'; combine its values in one helper (such as Filter.Attribute(\"{key}\", \"a\", \"b\")) or use Filter.Or", nameof(other));
            }
            merged[key] = value?.DeepClone();
        }
        return new Filter(merged.ToJsonString(Compact));
    }

    /// <inheritdoc />
    public override string ToString() => _json ?? "(any message)";

    private static Filter Key(string name, JsonNode value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new Filter(new JsonObject { [name] = value }.ToJsonString(Compact));
    }

    private static JsonObject Obj(string key, JsonNode? value) => new() { [key] = value };

    private static JsonObject ParseObject(Filter f, string parameter)
    {
        try
        {
            return JsonNode.Parse(f._json!) as JsonObject
                ?? throw new ArgumentException($"filter {f._json} is not a JSON object; filter policies are objects", parameter);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"filter {f._json} is not valid JSON ({e.Message})", parameter, e);
        }
    }
}
