using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Lamina.Lambda.Serialization;

/// <summary>Reads any JSON value as a string, the way the lenient dictionary converters accept values.</summary>
internal static class LenientJson
{
    /// <summary>
    /// Returns the value at the reader as a string: a string as itself, a number as its JSON text
    /// (<c>12345</c> becomes <c>"12345"</c>), <c>true</c>/<c>false</c> as <c>"true"</c>/<c>"false"</c>, an
    /// object or array as its raw JSON text, and null as null. Leaves the reader on the value's last token.
    /// </summary>
    public static string? ReadAsString(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.HasValueSequence
                    ? Encoding.UTF8.GetString(reader.ValueSequence.ToArray())
                    : Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return document.RootElement.GetRawText();
                }
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType} where a string value was expected.");
        }
    }

    /// <summary>Reads the next token and fails with a clear message at the end of the input.</summary>
    public static void ReadNext(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of JSON inside an object.");
        }
    }
}
