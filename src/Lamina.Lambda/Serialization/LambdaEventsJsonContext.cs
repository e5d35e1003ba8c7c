using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Lamina.Lambda.Events;

namespace Lamina.Lambda.Serialization;

/// <summary>
/// The source-generated (reflection-free, AOT-safe) System.Text.Json metadata for every Lambda event and
/// response type of <see cref="Lamina.Lambda.Events"/>, <see cref="LambdaVoid"/>, and the raw JSON types.
/// </summary>
/// <remarks>
/// Rules: property names match AWS's JSON exactly and case-sensitively; unknown fields are tolerated and kept in
/// <see cref="LambdaEventObject.AdditionalProperties"/>; null-valued properties are omitted when writing (so a
/// round trip reproduces the input up to its explicit <c>null</c> fields); numbers may also be read from JSON
/// strings; string dictionaries accept numbers and booleans (see <see cref="LenientStringDictionaryConverter"/>).
/// </remarks>
/// <example>
/// <code>
/// var evt = JsonSerializer.Deserialize(json, LambdaEventsJsonContext.Default.SqsEvent);
/// var text = JsonSerializer.Serialize(response, LambdaEventsJsonContext.Default.SqsBatchResponse);
/// </code>
/// </example>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(HttpApiRequest))]
[JsonSerializable(typeof(HttpApiResponse))]
[JsonSerializable(typeof(RestApiRequest))]
[JsonSerializable(typeof(RestApiResponse))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
[JsonSerializable(typeof(SnsEvent))]
[JsonSerializable(typeof(SnsEnvelope))]
[JsonSerializable(typeof(S3Event))]
[JsonSerializable(typeof(ScheduledEvent))]
[JsonSerializable(typeof(LambdaVoid))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class LambdaEventsJsonContext : JsonSerializerContext;
