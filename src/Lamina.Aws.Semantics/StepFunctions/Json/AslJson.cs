using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>Helpers over <see cref="JsonNode"/> shared by the validator, the path evaluator and the interpreter.</summary>
internal static class AslJson
{
    /// <summary>Compact output without HTML-style escaping, like the JSON text Step Functions reports.</summary>
    internal static readonly JsonSerializerOptions CompactOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    internal static readonly JsonWriterOptions CompactWriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    internal static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(CompactOptions);

    internal static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    /// <summary>Returns the node itself when it has no parent, otherwise a deep copy, so that it can be attached to a new parent.</summary>
    internal static JsonNode? Detach(JsonNode? node) => node is null ? null : node.Parent is null ? node : node.DeepClone();

    internal static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>
    /// Forces a tree read from JSON text (whose objects and arrays fill themselves on first access) to build every
    /// container now, so that afterwards several threads may read it at once.
    /// </summary>
    internal static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Materialize(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Materialize(item);
                }

                break;
        }
    }

    internal static bool IsString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? s))
        {
            value = s;
            return true;
        }

        value = "";
        return false;
    }

    internal static bool IsBoolean(JsonNode? node, out bool value)
    {
        value = false;
        if (node is not JsonValue v)
        {
            return false;
        }

        var kind = v.GetValueKind();
        if (kind == JsonValueKind.True)
        {
            value = true;
            return true;
        }

        return kind == JsonValueKind.False;
    }

    internal static bool IsNumber(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number;

    /// <summary>Reads any JSON number as a double, whatever CLR type backs the <see cref="JsonValue"/>.</summary>
    internal static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue(out JsonElement e))
        {
            return e.TryGetDouble(out value);
        }

        if (v.TryGetValue(out double d)) { value = d; return true; }
        if (v.TryGetValue(out long l)) { value = l; return true; }
        if (v.TryGetValue(out int i)) { value = i; return true; }
        if (v.TryGetValue(out decimal m)) { value = (double)m; return true; }
        if (v.TryGetValue(out float f)) { value = f; return true; }
        if (v.TryGetValue(out ulong ul)) { value = ul; return true; }
        if (v.TryGetValue(out uint ui)) { value = ui; return true; }
        if (v.TryGetValue(out short sh)) { value = sh; return true; }
        if (v.TryGetValue(out ushort us)) { value = us; return true; }
        if (v.TryGetValue(out byte b)) { value = b; return true; }
        if (v.TryGetValue(out sbyte sb)) { value = sb; return true; }

        // Last resort: the serialized form of the number.
        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True when the node is a number with no fractional part that fits a 64-bit integer.</summary>
    internal static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            if (v.TryGetValue(out JsonElement e) && e.TryGetInt64(out value))
            {
                return true;
            }

            if (v.TryGetValue(out long l)) { value = l; return true; }
            if (v.TryGetValue(out int i)) { value = i; return true; }
        }

        if (!TryGetNumber(node, out var d) || Math.Floor(d) != d || d > long.MaxValue || d < long.MinValue)
        {
            return false;
        }

        value = (long)d;
        return true;
    }

    /// <summary>Structural equality where numbers compare by value (1 equals 1.0).</summary>
    internal static bool DeepEquals(JsonNode? a, JsonNode? b)
    {
        var ka = Kind(a);
        var kb = Kind(b);
        if (ka != kb)
        {
            return false;
        }

        switch (ka)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                TryGetNumber(a, out var da);
                TryGetNumber(b, out var db);
                return da.Equals(db);
            case JsonValueKind.String:
                IsString(a, out var sa);
                IsString(b, out var sb);
                return string.Equals(sa, sb, StringComparison.Ordinal);
            case JsonValueKind.Array:
                {
                    var xa = (JsonArray)a!;
                    var xb = (JsonArray)b!;
                    if (xa.Count != xb.Count)
                    {
                        return false;
                    }

                    for (var i = 0; i < xa.Count; i++)
                    {
                        if (!DeepEquals(xa[i], xb[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.Object:
                {
                    var oa = (JsonObject)a!;
                    var ob = (JsonObject)b!;
                    if (oa.Count != ob.Count)
                    {
                        return false;
                    }

                    foreach (var (key, value) in oa)
                    {
                        if (!ob.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    internal static JsonNode Number(long value) => JsonValue.Create(value);

    internal static JsonNode Number(double value) =>
        Math.Floor(value) == value && Math.Abs(value) < 9.0e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

    /// <summary>Describes a JSON kind the way error messages in this library name it.</summary>
    internal static string KindName(JsonNode? node) => Kind(node) switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
