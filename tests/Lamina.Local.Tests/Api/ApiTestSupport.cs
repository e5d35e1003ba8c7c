using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Invoke;
using Lamina.Local.Api;
using Lamina.Local.Lambda;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Api;

/// <summary>A fake Lambda: records every event and answers with what the test says.</summary>
public sealed class FakeFunctions
{
    private readonly ConcurrentDictionary<string, Func<JsonElement, Task<LocalInvokeResult>>> _answers = new();

    public ConcurrentQueue<(string Function, string Payload)> Calls { get; } = new();

    /// <summary>The answer of functions without their own: a 2.0 response echoing nothing.</summary>
    public Func<string, JsonElement, Task<LocalInvokeResult>> Default { get; set; } =
        (_, _) => Task.FromResult(ApiTest.Ok("""{"statusCode":200,"body":"ok"}"""));

    public void Answer(string function, Func<JsonElement, Task<LocalInvokeResult>> answer) => _answers[function] = answer;

    public void Answer(string function, string json) => _answers[function] = _ => Task.FromResult(ApiTest.Ok(json));

    public LocalApiInvoker Invoker => (name, payload, _) =>
    {
        var text = Encoding.UTF8.GetString(payload.Span);
        Calls.Enqueue((name, text));
        var element = JsonDocument.Parse(text).RootElement.Clone();
        return _answers.TryGetValue(name, out var answer) ? answer(element) : Default(name, element);
    };

    public JsonElement LastEvent() => JsonDocument.Parse(Calls.Last().Payload).RootElement.Clone();
}

/// <summary>Starts gateways on a fake clock for the tests.</summary>
public static class ApiTest
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static LocalInvokeResult Ok(string json) => new()
    {
        StatusCode = 200,
        RequestId = "lambda-request",
        InvocationType = InvocationType.RequestResponse,
        Payload = Encoding.UTF8.GetBytes(json),
    };

    public static LocalInvokeResult Failed(string errorType, string message)
    {
        var error = LambdaErrorPayload.Create(errorType, message);
        return new LocalInvokeResult
        {
            StatusCode = 200,
            RequestId = "lambda-request",
            InvocationType = InvocationType.RequestResponse,
            Payload = error.ToUtf8Json(),
            FunctionError = "Unhandled",
            Error = error,
        };
    }

    public static LocalInvokeResult ServiceError(int status, string type, string message) => new()
    {
        StatusCode = status,
        RequestId = "lambda-request",
        InvocationType = InvocationType.RequestResponse,
        ServiceError = new LocalServiceError(status, type, message),
    };

    public static LocalApiDefinition Http(string name, params LocalApiRoute[] routes) =>
        new() { Name = name, Kind = LocalApiKind.HttpApi, Routes = routes };

    public static LocalApiDefinition Rest(string name, params LocalApiRoute[] routes) =>
        new() { Name = name, Kind = LocalApiKind.RestApi, Routes = routes };

    public static LocalApiRoute Route(string key, string function, LocalPayloadFormat format = LocalPayloadFormat.V2,
        LocalRouteAuthorization authorization = LocalRouteAuthorization.None, params string[] scopes) =>
        new() { RouteKey = key, FunctionName = function, PayloadFormat = format, Authorization = authorization, Scopes = scopes };

    public static Task<LocalApiGateway> StartAsync(FakeFunctions functions, FakeTimeProvider clock, params LocalApiDefinition[] apis) =>
        LocalApiGateway.StartAsync(apis, functions.Invoker, new LocalApiGatewayOptions { TimeProvider = clock });

    public static FakeTimeProvider Clock() => new(Start);

    public static async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(30));
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body, response);
    }

    public static Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string uri) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Get, uri));

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : "";

    public static HttpRequestMessage Request(HttpMethod method, string uri, string? body = null, string? contentType = null)
    {
        var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        }

        return request;
    }

    public static string Str(this JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
    }

    public static bool Has(this JsonElement element, string name) => element.TryGetProperty(name, out _);
}

/// <summary>Makes JWTs signed with a test RSA key.</summary>
public sealed class TestTokens : IDisposable
{
    public const string Issuer = "https://issuer.example.com/pool";
    public const string Audience = "client-123";

    public TestTokens(string keyId = "key-1")
    {
        KeyId = keyId;
        Key = RSA.Create(2048);
    }

    public string KeyId { get; }

    public RSA Key { get; }

    public LocalJwtSigningKey PublicKey => new(KeyId, Key.ExportParameters(false));

    public string Jwks
    {
        get
        {
            var p = Key.ExportParameters(false);
            return $$"""{"keys":[{"kty":"RSA","kid":"{{KeyId}}","use":"sig","alg":"RS256","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"}]}""";
        }
    }

    /// <summary>A token; claims default to a valid one for <see cref="ApiTest.Start"/>.</summary>
    public string Make(DateTimeOffset now, string? audience = Audience, string? scope = "orders/read", TimeSpan? lifetime = null,
        string issuer = Issuer, string? extraClaims = null, string alg = "RS256", bool sign = true, string? kid = null)
    {
        var header = $$"""{"alg":"{{alg}}","typ":"JWT","kid":"{{kid ?? KeyId}}"}""";
        var exp = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds();
        var claims = new List<string>
        {
            "\"sub\":\"user-42\"",
            $"\"iss\":\"{issuer}\"",
            $"\"iat\":{now.ToUnixTimeSeconds() - 60}",
            $"\"exp\":{exp}",
        };
        if (audience is not null)
        {
            claims.Add($"\"aud\":\"{audience}\"");
        }

        if (scope is not null)
        {
            claims.Add($"\"scope\":\"{scope}\"");
        }

        if (extraClaims is not null)
        {
            claims.Add(extraClaims);
        }

        var payload = "{" + string.Join(",", claims) + "}";
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var signature = sign ? Key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) : [1, 2, 3];
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose() => Key.Dispose();
}

/// <summary>Sends hand-written HTTP/1.1 over a socket (repeated header lines, malformed requests).</summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(Uri baseUrl, string request, byte[]? body = null)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, baseUrl.Port).WaitAsync(TimeSpan.FromSeconds(10));
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Replace("{host}", $"127.0.0.1:{baseUrl.Port}")));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).WaitAsync(TimeSpan.FromSeconds(30));
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
