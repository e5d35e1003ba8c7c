using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>A duplicate key found while reading raw JSON text.</summary>
/// <param name="ObjectPath">Path of the object holding the key, in the validator's notation ("" for the root).</param>
/// <param name="Key">The repeated property name.</param>
internal readonly record struct DuplicateKey(string ObjectPath, string Key);

/// <summary>
/// Builds a <see cref="JsonNode"/> tree from JSON text with <see cref="Utf8JsonReader"/>, keeping the first
/// occurrence of a repeated property and reporting every repetition (which <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> cannot represent).
/// </summary>
internal static class DuplicateAwareJsonReader
{
    internal static JsonNode? Read(string json, List<DuplicateKey> duplicates)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        if (!reader.Read())
        {
            throw new JsonException("The JSON text is empty.");
        }

        var node = ReadValue(ref reader, "", duplicates);
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the end of the JSON value.");
        }

        return node;
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader, string path, List<DuplicateKey> duplicates)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                {
                    var obj = new JsonObject();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var key = reader.GetString()!;
                        reader.Read();
                        var childPath = path.Length == 0 ? key : path + "." + key;
                        var value = ReadValue(ref reader, childPath, duplicates);
                        if (obj.ContainsKey(key))
                        {
                            duplicates.Add(new DuplicateKey(path, key));
                        }
                        else
                        {
                            obj[key] = value;
                        }
                    }

                    return obj;
                }

            case JsonTokenType.StartArray:
                {
                    var array = new JsonArray();
                    var index = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        array.Add(ReadValue(ref reader, path + "[" + index + "]", duplicates));
                        index++;
                    }

                    return array;
                }

            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.String:
                return JsonValue.Create(reader.GetString()!);
            case JsonTokenType.Number:
                return JsonValue.Create(JsonElement.ParseValue(ref reader));
            default:
                throw new JsonException($"Unexpected token {reader.TokenType}.");
        }
    }
}
