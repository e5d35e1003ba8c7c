using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Lamina.Lambda.Events;

namespace Lamina.Lambda.Tests.Events;

/// <summary>Sample loading and structural JSON comparison for the event tests.</summary>
internal static class EventJson
{
    public static string Sample(string fileName) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SampleEvents", fileName));

    public static T Read<T>(string json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new InvalidOperationException("deserialized to null");

    /// <summary>
    /// Deserializes <paramref name="json"/>, serializes the result back and asserts that both are the same JSON
    /// once null-valued object properties are dropped from both (the library omits nulls when writing; AWS
    /// sends explicit nulls for absent values). Property order does not matter.
    /// </summary>
    public static T AssertRoundTrips<T>(string json, JsonTypeInfo<T> typeInfo)
    {
        var value = Read(json, typeInfo);
        var written = JsonSerializer.Serialize(value, typeInfo);
        var expected = DropNulls(JsonNode.Parse(json));
        var actual = DropNulls(JsonNode.Parse(written));
        Assert.True(JsonNode.DeepEquals(expected, actual),
            $"Round trip changed the JSON.\nexpected:\n{expected?.ToJsonString()}\nactual:\n{actual?.ToJsonString()}");
        return value;
    }

    /// <summary>Removes, recursively, every object property whose value is JSON null.</summary>
    public static JsonNode? DropNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(name);
                }
                foreach (var (_, child) in obj)
                {
                    DropNulls(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    DropNulls(child);
                }
                break;
        }
        return node;
    }

    /// <summary>
    /// Asserts that every JSON field of the deserialized graph landed in a typed property: no
    /// <see cref="LambdaEventObject.AdditionalProperties"/> anywhere. This catches misspelled JSON names, which
    /// a round trip alone would not (unknown fields round-trip through the extension data).
    /// </summary>
    public static void AssertAllFieldsModelled(object root) => Walk(root, "$");

    private static void Walk(object? value, string path)
    {
        switch (value)
        {
            case null or string or JsonElement or JsonNode:
                return;
            case LambdaEventObject eventObject when eventObject.AdditionalProperties is { Count: > 0 } extra:
                Assert.Fail($"{path} has unmodelled fields: {string.Join(", ", extra.Keys)}");
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Walk(entry.Value, $"{path}.{entry.Key}");
                }
                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    Walk(item, $"{path}[{index++}]");
                }
                return;
        }
        var type = value.GetType();
        if (type.Namespace != typeof(LambdaEventObject).Namespace)
        {
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != nameof(LambdaEventObject.AdditionalProperties))
            {
                Walk(property.GetValue(value), $"{path}.{property.Name}");
            }
        }
    }
}
