using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lamina.Lambda.Serialization;

/// <summary>
/// Reads a JSON object of string values into a <see cref="Dictionary{TKey,TValue}"/> of strings, leniently:
/// AWS sends strings, but hand-written or third-party events sometimes carry other JSON values
/// (for example <c>"queryStringParameters": {"postcode": 12345}</c>). A number is kept as its JSON text
/// (<c>"12345"</c>), <c>true</c>/<c>false</c> become <c>"true"</c>/<c>"false"</c>, an object or array becomes its
/// raw JSON text, and an entry whose value is <c>null</c> is dropped. Writing always produces string values.
/// Keys compare ordinally (case-sensitive), as query strings, path parameters and stage variables do.
/// </summary>
public class LenientStringDictionaryConverter : JsonConverter<Dictionary<string, string>>
{
    /// <summary>The key comparer of the dictionaries this converter creates.</summary>
    protected virtual IEqualityComparer<string> KeyComparer => StringComparer.Ordinal;

    /// <inheritdoc />
    public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object of string values but found {reader.TokenType}.");
        }
        var result = new Dictionary<string, string>(KeyComparer);
        while (true)
        {
            LenientJson.ReadNext(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return result;
            }
            var name = reader.GetString()!;
            LenientJson.ReadNext(ref reader);
            var value = LenientJson.ReadAsString(ref reader);
            if (value is not null)
            {
                result[name] = value;
            }
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, item) in value)
        {
            writer.WritePropertyName(name);
            if (item is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(item);
            }
        }
        writer.WriteEndObject();
    }
}

/// <summary>
/// The lenient string dictionary converter (see <see cref="LenientStringDictionaryConverter"/>) for HTTP
/// headers: the dictionaries it creates look keys up case-insensitively, so <c>Headers["Content-Type"]</c> finds
/// <c>content-type</c>.
/// </summary>
public sealed class LenientHeaderDictionaryConverter : LenientStringDictionaryConverter
{
    /// <inheritdoc />
    protected override IEqualityComparer<string> KeyComparer => StringComparer.OrdinalIgnoreCase;
}
