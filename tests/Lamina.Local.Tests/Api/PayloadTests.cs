using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;
using Lamina.Local.Api;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

public sealed class PayloadTests
{
    private const string RepeatedHeaders =
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Multi: one\r\nX-Multi: two\r\nCookie: c1=v1; c2=v2\r\nCookie: c3=v3\r\n" +
        "User-Agent: tests/1.0\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Payload_2_0_has_every_field()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("shop/Api", Route("GET /orders/{id}", "getOrder")));
        var baseUrl = gateway.GetBaseUrl("shop/Api");
        var answer = await RawHttp.SendAsync(baseUrl, RepeatedHeaders.Replace("{path}", "/orders/42?b=2&a=1&a=x%20y&flag"));
        Assert.StartsWith("HTTP/1.1 200", answer);

        var (_, text) = functions.Calls.Single();
        var e = JsonDocument.Parse(text).RootElement;
        Assert.Equal("2.0", e.Str("version"));
        Assert.Equal("GET /orders/{id}", e.Str("routeKey"));
        Assert.Equal("/orders/42", e.Str("rawPath"));
        Assert.Equal("b=2&a=1&a=x%20y&flag", e.Str("rawQueryString"));
        Assert.Equal(["c1=v1", "c2=v2", "c3=v3"], e.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()!).ToArray());

        var headers = e.GetProperty("headers");
        Assert.All(headers.EnumerateObject(), h => Assert.Equal(h.Name.ToLowerInvariant(), h.Name));
        Assert.False(headers.Has("cookie"));
        Assert.Equal("one,two", headers.Str("x-multi"));
        Assert.Equal("tests/1.0", headers.Str("user-agent"));
        Assert.Equal($"127.0.0.1:{baseUrl.Port}", headers.Str("host"));
        Assert.Equal("203.0.113.9, 127.0.0.1", headers.Str("x-forwarded-for"));
        Assert.Equal(baseUrl.Port.ToString(), headers.Str("x-forwarded-port"));
        Assert.Equal("http", headers.Str("x-forwarded-proto"));
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", headers.Str("x-amzn-trace-id"));

        var query = e.GetProperty("queryStringParameters");
        Assert.Equal(["b", "a", "flag"], query.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("2", query.Str("b"));
        Assert.Equal("1,x y", query.Str("a"));
        Assert.Equal("", query.Str("flag"));
        Assert.Equal("42", e.Str("pathParameters", "id"));
        Assert.False(e.Has("stageVariables"));
        Assert.False(e.Has("body"));
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());

        var context = e.GetProperty("requestContext");
        var apiId = LocalApiDefinition.DeriveApiId("shop/Api");
        Assert.Matches("^[a-z0-9]{10}$", apiId);
        Assert.Equal("123456789012", context.Str("accountId"));
        Assert.Equal(apiId, context.Str("apiId"));
        Assert.Equal($"127.0.0.1:{baseUrl.Port}", context.Str("domainName"));
        Assert.Equal(apiId, context.Str("domainPrefix"));
        Assert.Equal("GET", context.Str("http", "method"));
        Assert.Equal("/orders/42", context.Str("http", "path"));
        Assert.Equal("HTTP/1.1", context.Str("http", "protocol"));
        Assert.Equal("127.0.0.1", context.Str("http", "sourceIp"));
        Assert.Equal("tests/1.0", context.Str("http", "userAgent"));
        Assert.Matches("^[A-Za-z0-9+/]{15}=$", context.Str("requestId"));
        Assert.Contains($"apigw-requestid: {context.Str("requestId")}", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("GET /orders/{id}", context.Str("routeKey"));
        Assert.Equal("$default", context.Str("stage"));
        Assert.Equal("27/Nov/2026:10:00:00 +0000", context.Str("time"));
        Assert.Equal(Start.ToUnixTimeMilliseconds(), context.GetProperty("timeEpoch").GetInt64());
        Assert.False(context.Has("authorizer"));

        // The typed event of Lamina.Lambda reads it.
        var typed = JsonSerializer.Deserialize(text, LambdaEventsJsonContext.Default.HttpApiRequest)!;
        Assert.Equal("42", typed.PathParameters!["id"]);
        Assert.Equal("one,two", typed.Headers!["X-Multi"]);
        Assert.Equal(3, typed.Cookies!.Count);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), typed.RequestContext!.TimeEpoch);
    }

    [Fact]
    public async Task Payload_1_0_of_a_rest_api_has_every_field()
    {
        var functions = new FakeFunctions();
        functions.Default = (_, _) => Task.FromResult(Ok("""{"statusCode":200,"body":"ok"}"""));
        await using var gateway = await StartAsync(functions, Clock(), Rest("shop/Rest", Route("GET /items/{id}", "getItem")));
        var baseUrl = gateway.GetBaseUrl("shop/Rest");
        Assert.EndsWith("/Prod/", baseUrl.ToString());
        var answer = await RawHttp.SendAsync(baseUrl, RepeatedHeaders.Replace("{path}", "/Prod/items/7?tag=a&tag=b&one=1"));
        Assert.StartsWith("HTTP/1.1 200", answer);

        var (_, text) = functions.Calls.Single();
        var e = JsonDocument.Parse(text).RootElement;
        Assert.False(e.Has("version"));
        Assert.Equal("/items/{id}", e.Str("resource"));
        Assert.Equal("/items/7", e.Str("path"));
        Assert.Equal("GET", e.Str("httpMethod"));
        Assert.Equal("two", e.Str("headers", "X-Multi"));
        Assert.Equal("c3=v3", e.Str("headers", "Cookie"));
        Assert.Equal(["one", "two"], e.GetProperty("multiValueHeaders").GetProperty("X-Multi").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal("203.0.113.9, 127.0.0.1", e.Str("headers", "X-Forwarded-For"));
        Assert.Equal(baseUrl.Port.ToString(), e.Str("headers", "X-Forwarded-Port"));
        Assert.Equal("b", e.Str("queryStringParameters", "tag"));
        Assert.Equal("1", e.Str("queryStringParameters", "one"));
        Assert.Equal(["a", "b"], e.GetProperty("multiValueQueryStringParameters").GetProperty("tag").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal("7", e.Str("pathParameters", "id"));
        Assert.Equal(JsonValueKind.Null, e.GetProperty("stageVariables").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("body").ValueKind);
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());

        var context = e.GetProperty("requestContext");
        Assert.Equal("123456789012", context.Str("accountId"));
        Assert.Equal(LocalApiDefinition.DeriveApiId("shop/Rest"), context.Str("apiId"));
        Assert.Equal("/items/{id}", context.Str("resourcePath"));
        Assert.Matches("^[a-z0-9]{6}$", context.Str("resourceId"));
        Assert.Matches("^[a-z0-9]{6}$", context.Str("deploymentId"));
        Assert.Equal("GET", context.Str("httpMethod"));
        Assert.Equal("/Prod/items/7", context.Str("path"));
        Assert.Equal("Prod", context.Str("stage"));
        Assert.Equal("HTTP/1.1", context.Str("protocol"));
        Assert.True(Guid.TryParse(context.Str("requestId"), out _));
        Assert.Contains($"x-amzn-RequestId: {context.Str("requestId")}", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"x-amz-apigw-id: {context.Str("extendedRequestId")}", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("27/Nov/2026:10:00:00 +0000", context.Str("requestTime"));
        Assert.Equal(Start.ToUnixTimeMilliseconds(), context.GetProperty("requestTimeEpoch").GetInt64());
        Assert.Equal("127.0.0.1", context.Str("identity", "sourceIp"));
        Assert.Equal("tests/1.0", context.Str("identity", "userAgent"));
        Assert.Equal(JsonValueKind.Null, context.GetProperty("identity").GetProperty("accessKey").ValueKind);
        Assert.False(context.Has("authorizer"));

        var typed = JsonSerializer.Deserialize(text, LambdaEventsJsonContext.Default.RestApiRequest)!;
        Assert.Equal("7", typed.PathParameters!["id"]);
        Assert.Equal(["a", "b"], typed.MultiValueQueryStringParameters!["tag"]);
        Assert.Equal("/Prod/items/7", typed.RequestContext!.Path);
    }

    [Fact]
    public async Task Payload_1_0_without_query_or_parameters_sends_nulls()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Rest("r", Route("POST /items", "f")));
        using var client = gateway.CreateClient("r");
        var (status, _, _) = await SendAsync(client, Request(HttpMethod.Post, "items", "{\"a\":\"<b>&é\"}", "application/json"));
        Assert.Equal(200, status);
        var e = functions.LastEvent();
        Assert.Equal(JsonValueKind.Null, e.GetProperty("queryStringParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("multiValueQueryStringParameters").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("pathParameters").ValueKind);
        Assert.Equal("{\"a\":\"<b>&é\"}", e.Str("body"));
        Assert.False(e.GetProperty("isBase64Encoded").GetBoolean());

        // AWS writes such characters unescaped.
        Assert.Contains("<b>&é", functions.Calls.Last().Payload);
    }

    [Fact]
    public async Task Http_api_route_with_payload_1_0()
    {
        var functions = new FakeFunctions();
        functions.Default = (_, _) => Task.FromResult(Ok("""{"statusCode":200,"body":"v1"}"""));
        await using var gateway = await StartAsync(functions, Clock(),
            Http("h", Route("GET /legacy/{id}", "legacy", LocalPayloadFormat.V1)) with { StageVariables = new Dictionary<string, string> { ["env"] = "dev" } });
        using var client = gateway.CreateClient("h");
        var request = new HttpRequestMessage(HttpMethod.Get, "legacy/9?x=1");
        request.Headers.Add("X-Custom", "v");
        var (status, body, _) = await SendAsync(client, request);
        Assert.Equal(200, status);
        Assert.Equal("v1", body);

        var e = functions.LastEvent();
        Assert.Equal("1.0", e.Str("version"));
        Assert.Equal("/legacy/{id}", e.Str("resource"));
        Assert.Equal("/legacy/9", e.Str("path"));
        Assert.Equal("v", e.Str("headers", "x-custom"));
        Assert.Equal("v", e.GetProperty("multiValueHeaders").GetProperty("x-custom")[0].GetString());
        Assert.Equal("9", e.Str("pathParameters", "id"));
        Assert.Equal("dev", e.Str("stageVariables", "env"));
        Assert.Equal("$default", e.Str("requestContext", "stage"));
        Assert.Equal("/legacy/9", e.Str("requestContext", "path"));
        Assert.Equal(JsonValueKind.Null, e.GetProperty("requestContext").GetProperty("resourceId").ValueKind);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", false)]
    [InlineData("application/json", false)]
    [InlineData("application/vnd.api+json", false)]
    [InlineData("application/xml", false)]
    [InlineData("application/octet-stream", true)]
    [InlineData("image/png", true)]
    [InlineData("application/x-www-form-urlencoded", true)]
    [InlineData(null, true)]
    public async Task Http_api_bodies_are_base64_unless_textual(string? contentType, bool base64)
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("POST /upload", "f")));
        using var client = gateway.CreateClient("h");
        var bytes = Encoding.UTF8.GetBytes("héllo <b>");
        var request = new HttpRequestMessage(HttpMethod.Post, "upload") { Content = new ByteArrayContent(bytes) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var (status, _, _) = await SendAsync(client, request);
        Assert.Equal(200, status);
        var e = functions.LastEvent();
        Assert.Equal(base64, e.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(base64 ? Convert.ToBase64String(bytes) : "héllo <b>", e.Str("body"));
    }

    [Fact]
    public async Task Binary_bodies_round_trip_as_base64()
    {
        var functions = new FakeFunctions();
        byte[] bytes = [0, 1, 2, 255, 254, 0x80];
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("POST /bin", "f")), Rest("r", Route("POST /bin", "g")));
        foreach (var api in new[] { "h", "r" })
        {
            using var client = gateway.CreateClient(api);
            var request = new HttpRequestMessage(HttpMethod.Post, "bin") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            var (status, _, _) = await SendAsync(client, request);
            Assert.Equal(200, status);
            var e = functions.LastEvent();
            Assert.True(e.GetProperty("isBase64Encoded").GetBoolean(), api);
            Assert.Equal(bytes, Convert.FromBase64String(e.Str("body")));
        }
    }

    [Fact]
    public async Task Rest_bodies_matching_binary_media_types_are_base64()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(),
            Rest("r", Route("POST /img", "f")) with { BinaryMediaTypes = ["image/*"] });
        using var client = gateway.CreateClient("r");
        var (status, _, _) = await SendAsync(client, Request(HttpMethod.Post, "img", "PNGDATA", "image/png"));
        Assert.Equal(200, status);
        Assert.True(functions.LastEvent().GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("PNGDATA", Encoding.UTF8.GetString(Convert.FromBase64String(functions.LastEvent().Str("body"))));

        (status, _, _) = await SendAsync(client, Request(HttpMethod.Post, "img", "plain", "text/plain"));
        Assert.Equal(200, status);
        Assert.False(functions.LastEvent().GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("plain", functions.LastEvent().Str("body"));
    }

    [Fact]
    public async Task Named_http_api_stage_is_part_of_the_url_and_raw_path()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("GET /ping", "f")) with { StageName = "beta" });
        Assert.EndsWith("/beta/", gateway.GetBaseUrl("h").ToString());
        using var client = gateway.CreateClient("h");
        var (status, _, _) = await GetAsync(client, "ping");
        Assert.Equal(200, status);
        var e = functions.LastEvent();
        Assert.Equal("/beta/ping", e.Str("rawPath"));
        Assert.Equal("beta", e.Str("requestContext", "stage"));

        using var plain = new HttpClient();
        (status, _, _) = await GetAsync(plain, gateway.GetBaseUrl("h").GetLeftPart(UriPartial.Authority) + "/ping");
        Assert.Equal(404, status);
    }
}
