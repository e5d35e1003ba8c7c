using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Lamina.Lambda.Events;

/// <summary>
/// The response a REST API proxy integration (payload format 1.0) expects from Lambda. When a header appears
/// in both <see cref="Headers"/> and <see cref="MultiValueHeaders"/>, API Gateway merges the values.
/// </summary>
/// <example>
/// <code>
/// return RestApiResponse.Json("""{"ok":true}""");
/// return RestApiResponse.Text(404, "not found");
/// </code>
/// </example>
public sealed class RestApiResponse
{
    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; } = 200;

    /// <summary>Single-value response headers, or null.</summary>
    [JsonPropertyName("headers")]
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Multi-value response headers (for example several <c>Set-Cookie</c>), or null.</summary>
    [JsonPropertyName("multiValueHeaders")]
    public Dictionary<string, List<string>>? MultiValueHeaders { get; set; }

    /// <summary>The response body, base64-encoded when <see cref="IsBase64Encoded"/> is true; null for none.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>True when <see cref="Body"/> is base64-encoded binary (the API must list the content type as binary).</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    /// <summary>A plain-text response (<c>content-type: text/plain; charset=utf-8</c>).</summary>
    public static RestApiResponse Text(int status, string body) => new()
    {
        StatusCode = status,
        Headers = ApiGatewayBody.Headers(ApiGatewayBody.TextContentType),
        Body = body,
    };

    /// <summary>A JSON response whose body is <paramref name="json"/> as given (<c>content-type: application/json</c>).</summary>
    public static RestApiResponse Json(string json, int status = 200) => new()
    {
        StatusCode = status,
        Headers = ApiGatewayBody.Headers(ApiGatewayBody.JsonContentType),
        Body = json,
    };

    /// <summary>A JSON response whose body is <paramref name="value"/> serialized with the source-generated <paramref name="typeInfo"/>.</summary>
    public static RestApiResponse Json<T>(T value, JsonTypeInfo<T> typeInfo, int status = 200) =>
        Json(JsonSerializer.Serialize(value, typeInfo), status);

    /// <summary>A JSON response whose body is <paramref name="node"/> (<c>null</c> writes the JSON literal <c>null</c>).</summary>
    public static RestApiResponse Json(JsonNode? node, int status = 200) =>
        Json(node?.ToJsonString() ?? "null", status);
}
