using System.Text;

namespace Lamina.Lambda.Events;

/// <summary>Body and content-type helpers shared by the API Gateway request and response types.</summary>
internal static class ApiGatewayBody
{
    public const string ContentTypeHeader = "content-type";
    public const string JsonContentType = "application/json";
    public const string TextContentType = "text/plain; charset=utf-8";

    public static string? Decode(string? body, bool isBase64Encoded) =>
        body is null ? null
        : isBase64Encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(body))
        : body;

    public static Dictionary<string, string> Headers(string contentType) =>
        new(StringComparer.OrdinalIgnoreCase) { [ContentTypeHeader] = contentType };
}
