using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lamina.Lambda.Serialization;

/// <summary>
/// Reads a JSON object whose values are arrays of strings (REST API <c>multiValueHeaders</c> and
/// <c>multiValueQueryStringParameters</c>) leniently: each element is read as by
/// <see cref="LenientStringDictionaryConverter"/> (numbers and booleans become their JSON text, null elements are
/// dropped), a single value instead of an array becomes a one-element list, and an entry whose value is
/// <c>null</c> is dropped. Writing always produces arrays of strings. Keys compare ordinally.
/// </summary>
public class LenientStringListDictionaryConverter : JsonConverter<Dictionary<string, List<string>>>
{
    /// <summary>The key comparer of the dictionaries this converter creates.</summary>
    protected virtual IEqualityComparer<string> KeyComparer => StringComparer.Ordinal;

    /// <inheritdoc />
    public override Dictionary<string, List<string>>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object of string arrays but found {reader.TokenType}.");
        }
        var result = new Dictionary<string, List<string>>(KeyComparer);
        while (true)
        {
            LenientJson.ReadNext(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return result;
            }
            var name = reader.GetString()!;
            LenientJson.ReadNext(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            var values = new List<string>();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (true)
                {
                    LenientJson.ReadNext(ref reader);
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        break;
                    }
                    var element = LenientJson.ReadAsString(ref reader);
                    if (element is not null)
                    {
                        values.Add(element);
                    }
                }
            }
            else
            {
                values.Add(LenientJson.ReadAsString(ref reader)!);
            }
            result[name] = values;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, List<string>> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, items) in value)
        {
            writer.WritePropertyName(name);
            if (items is null)
            {
                writer.WriteNullValue();
                continue;
            }
            writer.WriteStartArray();
            foreach (var item in items)
            {
                writer.WriteStringValue(item);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }
}

/// <summary>
/// The lenient multi-value converter (see <see cref="LenientStringListDictionaryConverter"/>) for HTTP headers:
/// the dictionaries it creates look keys up case-insensitively.
/// </summary>
public sealed class LenientHeaderListDictionaryConverter : LenientStringListDictionaryConverter
{
    /// <inheritdoc />
    protected override IEqualityComparer<string> KeyComparer => StringComparer.OrdinalIgnoreCase;
}
