using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Primitives;

namespace Lamina.Local.Api;

/// <summary>Writes the Lambda event of a request, payload format 2.0 or 1.0, straight to UTF-8 JSON.</summary>
internal static class PayloadWriter
{
    public static void Write(Utf8JsonWriter writer, ApiRuntime api, Exchange exchange)
    {
        if (exchange.Route!.Format == LocalPayloadFormat.V2)
        {
            WriteV2(writer, api, exchange);
        }
        else
        {
            WriteV1(writer, api, exchange);
        }

        writer.Flush();
    }

    private static void WriteV2(Utf8JsonWriter w, ApiRuntime api, Exchange x)
    {
        var route = x.Route!;
        w.WriteStartObject();
        w.WriteString("version"u8, "2.0"u8);
        w.WriteString("routeKey"u8, route.RouteKeyJson);
        w.WriteString("rawPath"u8, x.RawPath);
        w.WriteString("rawQueryString"u8, x.RawQuery);

        var cookieCount = 0;
        foreach (var header in x.Request.Headers)
        {
            if (!header.Key.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var line in header.Value)
            {
                foreach (var range in (line ?? "").AsSpan().Split(';'))
                {
                    var cookie = (line ?? "").AsSpan()[range].Trim();
                    if (cookie.IsEmpty)
                    {
                        continue;
                    }

                    if (cookieCount++ == 0)
                    {
                        w.WriteStartArray("cookies"u8);
                    }

                    w.WriteStringValue(cookie);
                }
            }
        }

        if (cookieCount > 0)
        {
            w.WriteEndArray();
        }

        w.WriteStartObject("headers"u8);
        WriteHeaders(w, api, x, multiValue: false, v2: true);
        w.WriteEndObject();

        var query = x.Query;
        if (query is { Count: > 0 })
        {
            w.WriteStartObject("queryStringParameters"u8);
            foreach (var (name, values) in query)
            {
                w.WritePropertyName(name);
                w.WriteStringValue(values.Count == 1 ? values[0] : string.Join(',', values));
            }

            w.WriteEndObject();
        }

        w.WriteStartObject("requestContext"u8);
        w.WriteString("accountId"u8, api.AccountIdJson);
        w.WriteString("apiId"u8, api.ApiIdJson);
        if (x.Jwt is { } jwt)
        {
            w.WriteStartObject("authorizer"u8);
            w.WriteStartObject("jwt"u8);
            WriteClaims(w, jwt, route);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        else if (x.IamAccessKey is { } accessKey)
        {
            w.WriteStartObject("authorizer"u8);
            w.WriteStartObject("iam"u8);
            w.WriteString("accessKey"u8, accessKey);
            w.WriteString("accountId"u8, api.AccountIdJson);
            w.WriteNull("callerId"u8);
            w.WriteNull("cognitoIdentity"u8);
            w.WriteNull("principalOrgId"u8);
            w.WriteNull("userArn"u8);
            w.WriteNull("userId"u8);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteString("domainName"u8, x.Host);
        w.WriteString("domainPrefix"u8, api.DomainPrefix(x.Host));
        w.WriteStartObject("http"u8);
        w.WriteString("method"u8, x.Method);
        w.WriteString("path"u8, x.RawPath);
        w.WriteString("protocol"u8, x.Request.Protocol);
        w.WriteString("sourceIp"u8, x.SourceIp);
        w.WriteString("userAgent"u8, x.UserAgent);
        w.WriteEndObject();
        w.WriteString("requestId"u8, x.RequestId);
        w.WriteString("routeKey"u8, route.RouteKeyJson);
        w.WriteString("stage"u8, api.StageJson);
        w.WriteString("time"u8, GatewayIds.RequestTime(x.Now));
        w.WriteNumber("timeEpoch"u8, x.Now.ToUnixTimeMilliseconds());
        w.WriteEndObject();

        if (x.PathParameters is { } parameters)
        {
            w.WriteStartObject("pathParameters"u8);
            foreach (var (name, value) in parameters)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        if (api.Definition.StageVariables is { Count: > 0 } variables)
        {
            w.WriteStartObject("stageVariables"u8);
            foreach (var (name, value) in variables)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        var base64 = false;
        if (x.HasBody)
        {
            base64 = WriteBody(w, api, x);
        }

        w.WriteBoolean("isBase64Encoded"u8, base64);
        w.WriteEndObject();
    }

    private static void WriteV1(Utf8JsonWriter w, ApiRuntime api, Exchange x)
    {
        var route = x.Route!;
        var rest = api.IsRest;
        w.WriteStartObject();
        if (!rest)
        {
            w.WriteString("version"u8, "1.0"u8);
        }

        w.WriteString("resource"u8, route.ResourceJson);
        w.WriteString("path"u8, rest ? x.RoutePath : x.RawPath);
        w.WriteString("httpMethod"u8, x.Method);

        w.WriteStartObject("headers"u8);
        WriteHeaders(w, api, x, multiValue: false, v2: false);
        w.WriteEndObject();
        w.WriteStartObject("multiValueHeaders"u8);
        WriteHeaders(w, api, x, multiValue: true, v2: false);
        w.WriteEndObject();

        var query = x.Query;
        if (query is { Count: > 0 })
        {
            w.WriteStartObject("queryStringParameters"u8);
            foreach (var (name, values) in query)
            {
                w.WriteString(name, values[^1]);
            }

            w.WriteEndObject();
            w.WriteStartObject("multiValueQueryStringParameters"u8);
            foreach (var (name, values) in query)
            {
                w.WriteStartArray(name);
                foreach (var value in values)
                {
                    w.WriteStringValue(value);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("queryStringParameters"u8);
            w.WriteNull("multiValueQueryStringParameters"u8);
        }

        w.WriteStartObject("requestContext"u8);
        w.WriteString("accountId"u8, api.AccountIdJson);
        w.WriteString("apiId"u8, api.ApiIdJson);
        if (x.Jwt is { } jwt)
        {
            w.WriteStartObject("authorizer"u8);
            WriteClaims(w, jwt, route);
            w.WriteEndObject();
        }

        if (rest)
        {
            w.WriteString("deploymentId"u8, api.DeploymentIdJson);
        }

        w.WriteString("domainName"u8, x.Host);
        w.WriteString("domainPrefix"u8, api.DomainPrefix(x.Host));
        w.WriteString("extendedRequestId"u8, x.ExtendedRequestId);
        w.WriteString("httpMethod"u8, x.Method);
        w.WriteStartObject("identity"u8);
        if (x.IamAccessKey is { } accessKey)
        {
            w.WriteString("accessKey"u8, accessKey);
            w.WriteString("accountId"u8, api.AccountIdJson);
        }
        else
        {
            w.WriteNull("accessKey"u8);
            w.WriteNull("accountId"u8);
        }

        w.WriteNull("caller"u8);
        w.WriteNull("cognitoAuthenticationProvider"u8);
        w.WriteNull("cognitoAuthenticationType"u8);
        w.WriteNull("cognitoIdentityId"u8);
        w.WriteNull("cognitoIdentityPoolId"u8);
        w.WriteNull("principalOrgId"u8);
        w.WriteString("sourceIp"u8, x.SourceIp);
        w.WriteNull("user"u8);
        w.WriteString("userAgent"u8, x.UserAgent);
        w.WriteNull("userArn"u8);
        w.WriteEndObject();
        w.WriteString("path"u8, x.RawPath);
        w.WriteString("protocol"u8, x.Request.Protocol);
        w.WriteString("requestId"u8, x.RequestId);
        w.WriteString("requestTime"u8, GatewayIds.RequestTime(x.Now));
        w.WriteNumber("requestTimeEpoch"u8, x.Now.ToUnixTimeMilliseconds());
        if (rest)
        {
            w.WriteString("resourceId"u8, route.ResourceId);
        }
        else
        {
            w.WriteNull("resourceId"u8);
        }

        w.WriteString("resourcePath"u8, route.ResourceJson);
        w.WriteString("stage"u8, api.StageJson);
        w.WriteEndObject();

        if (x.PathParameters is { } parameters)
        {
            w.WriteStartObject("pathParameters"u8);
            foreach (var (name, value) in parameters)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("pathParameters"u8);
        }

        if (api.Definition.StageVariables is { Count: > 0 } variables)
        {
            w.WriteStartObject("stageVariables"u8);
            foreach (var (name, value) in variables)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("stageVariables"u8);
        }

        var base64 = false;
        if (x.HasBody)
        {
            base64 = WriteBody(w, api, x);
        }
        else
        {
            w.WriteNull("body"u8);
        }

        w.WriteBoolean("isBase64Encoded"u8, base64);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>body</c>; returns whether it is base64-encoded.</summary>
    private static bool WriteBody(Utf8JsonWriter w, ApiRuntime api, Exchange x)
    {
        var body = x.RequestBody.Span;
        var headers = x.Request.Headers;
        string? contentType = headers.ContentType;
        bool base64;
        if (api.IsRest)
        {
            // Without a matching binaryMediaTypes entry AWS passes the body as text; bytes that are not UTF-8
            // (which AWS would garble) are base64-encoded here instead.
            base64 = MediaTypes.MatchesAny(contentType, api.Definition.BinaryMediaTypes) || !Utf8.IsValid(body);
        }
        else
        {
            var encoding = headers.ContentEncoding.ToString();
            base64 = !MediaTypes.IsText(contentType)
                || (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                || !Utf8.IsValid(body);
        }

        if (base64)
        {
            w.WriteBase64String("body"u8, body);
        }
        else
        {
            w.WriteString("body"u8, body);
        }

        return base64;
    }

    private static void WriteClaims(Utf8JsonWriter w, JwtPrincipal jwt, CompiledRoute route)
    {
        w.WriteStartObject("claims"u8);
        foreach (var (name, value) in jwt.Claims)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        if (route.ScopeSet is null)
        {
            w.WriteNull("scopes"u8);
        }
        else
        {
            w.WriteStartArray("scopes"u8);
            foreach (var scope in jwt.Scopes)
            {
                w.WriteStringValue(scope);
            }

            w.WriteEndArray();
        }
    }

    /// <summary>Writes the request headers (HTTP APIs: lower-case names) plus the headers API Gateway adds:
    /// <c>X-Forwarded-For</c> (the client's list with the source IP appended), <c>X-Forwarded-Port</c>,
    /// <c>X-Forwarded-Proto</c> and <c>X-Amzn-Trace-Id</c>. Format 2.0 joins repeated values with commas and leaves
    /// out <c>Cookie</c>; format 1.0 writes the last value (<c>headers</c>) or all of them
    /// (<c>multiValueHeaders</c>).</summary>
    private static void WriteHeaders(Utf8JsonWriter w, ApiRuntime api, Exchange x, bool multiValue, bool v2)
    {
        var lower = !api.IsRest;
        string? forwardedFor = null;
        string? traceId = null;
        Span<char> nameBuffer = stackalloc char[128];
        foreach (var (name, values) in x.Request.Headers)
        {
            if (v2 && name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Length >= 15 && (name[0] is 'x' or 'X'))
            {
                if (name.Equals("x-forwarded-for", StringComparison.OrdinalIgnoreCase))
                {
                    forwardedFor = string.Join(", ", values.ToArray());
                    continue;
                }

                if (name.Equals("x-amzn-trace-id", StringComparison.OrdinalIgnoreCase))
                {
                    traceId = values.ToString();
                    continue;
                }

                if (name.Equals("x-forwarded-port", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("x-forwarded-proto", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
            }

            if (lower && name.Length <= nameBuffer.Length)
            {
                var length = name.AsSpan().ToLowerInvariant(nameBuffer);
                w.WritePropertyName(nameBuffer[..length]);
            }
            else
            {
                w.WritePropertyName(lower ? name.ToLowerInvariant() : name);
            }

            WriteValues(w, values, multiValue, v2);
        }

        var forwarded = forwardedFor is null ? x.SourceIp : forwardedFor + ", " + x.SourceIp;
        WriteOne(w, lower ? "x-forwarded-for" : "X-Forwarded-For", forwarded, multiValue);
        WriteOne(w, lower ? "x-forwarded-port" : "X-Forwarded-Port", api.PortText, multiValue);
        WriteOne(w, lower ? "x-forwarded-proto" : "X-Forwarded-Proto", "http", multiValue);
        WriteOne(w, lower ? "x-amzn-trace-id" : "X-Amzn-Trace-Id", traceId ?? x.TraceId, multiValue);
    }

    private static void WriteValues(Utf8JsonWriter w, StringValues values, bool multiValue, bool v2)
    {
        if (multiValue)
        {
            w.WriteStartArray();
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }
        else if (values.Count == 1)
        {
            w.WriteStringValue(values[0]);
        }
        else if (v2)
        {
            w.WriteStringValue(string.Join(',', values.ToArray()));
        }
        else
        {
            w.WriteStringValue(values.Count == 0 ? "" : values[values.Count - 1]);
        }
    }

    private static void WriteOne(Utf8JsonWriter w, string name, string value, bool multiValue)
    {
        w.WritePropertyName(name);
        if (multiValue)
        {
            w.WriteStartArray();
            w.WriteStringValue(value);
            w.WriteEndArray();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }
}
