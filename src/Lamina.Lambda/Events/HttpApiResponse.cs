using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Lamina.Lambda.Events;

/// <summary>
/// The response an HTTP API (payload format 2.0) or a function URL expects from a Lambda integration.
/// Format 2.0 has no <c>multiValueHeaders</c>: join repeated header values with commas in <see cref="Headers"/>,
/// and put each <c>Set-Cookie</c> value in <see cref="Cookies"/>.
/// </summary>
/// <example>
/// <code>
/// return HttpApiResponse.Json("""{"ok":true}""");
/// return HttpApiResponse.Text(404, "not found");
/// </code>
/// </example>
public sealed class HttpApiResponse
{
    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; } = 200;

    /// <summary>The response headers (repeated values joined with commas), or null.</summary>
    [JsonPropertyName("headers")]
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Cookies to set: each entry becomes one <c>Set-Cookie</c> header. Null for none.</summary>
    [JsonPropertyName("cookies")]
    public List<string>? Cookies { get; set; }

    /// <summary>The response body, base64-encoded when <see cref="IsBase64Encoded"/> is true; null for none.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>True when <see cref="Body"/> is base64-encoded binary that API Gateway must decode.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    /// <summary>A plain-text response (<c>content-type: text/plain; charset=utf-8</c>).</summary>
    public static HttpApiResponse Text(int status, string body) => new()
    {
        StatusCode = status,
        Headers = ApiGatewayBody.Headers(ApiGatewayBody.TextContentType),
        Body = body,
    };

    /// <summary>A JSON response whose body is <paramref name="json"/> as given (<c>content-type: application/json</c>).</summary>
    public static HttpApiResponse Json(string json, int status = 200) => new()
    {
        StatusCode = status,
        Headers = ApiGatewayBody.Headers(ApiGatewayBody.JsonContentType),
        Body = json,
    };

    /// <summary>A JSON response whose body is <paramref name="value"/> serialized with the source-generated <paramref name="typeInfo"/>.</summary>
    public static HttpApiResponse Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = 200) =>
        Json(JsonSerializer.Serialize(value, typeInfo), status);

    /// <summary>A JSON response whose body is <paramref name="node"/> (<c>null</c> writes the JSON literal <c>null</c>).</summary>
    public static HttpApiResponse Json(JsonNode? node, int status = 200) =>
        Json(node?.ToJsonString() ?? "null", status);
}
