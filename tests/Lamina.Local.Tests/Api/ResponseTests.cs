using System.Text;
using Lamina.Local.Api;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

public sealed class ResponseTests
{
    private static async Task<(int Status, string Body, HttpResponseMessage Response, byte[] Bytes)> CallAsync(
        LocalApiKind kind, string functionResult, LocalPayloadFormat format = LocalPayloadFormat.V2, string? accept = null,
        IReadOnlyList<string>? binaryMediaTypes = null)
    {
        var functions = new FakeFunctions();
        functions.Answer("f", functionResult);
        var api = new LocalApiDefinition
        {
            Name = "api",
            Kind = kind,
            Routes = [Route("GET /thing", "f", format)],
            BinaryMediaTypes = binaryMediaTypes ?? [],
        };
        await using var gateway = await StartAsync(functions, Clock(), api);
        using var client = gateway.CreateClient("api");
        var request = new HttpRequestMessage(HttpMethod.Get, "thing");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, Encoding.UTF8.GetString(bytes), response, bytes);
    }

    [Theory]
    [InlineData("\"Hello from Lambda!\"", "Hello from Lambda!")]
    [InlineData("{ \"message\": \"Hello from Lambda!\" }", "{ \"message\": \"Hello from Lambda!\" }")]
    [InlineData("42", "42")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("true", "true")]
    [InlineData("\"tab\\tand \\u00e9\"", "tab\tand é")]
    public async Task Payload_2_0_infers_the_response_when_there_is_no_statusCode(string result, string body)
    {
        var (status, text, response, _) = await CallAsync(LocalApiKind.HttpApi, result);
        Assert.Equal(200, status);
        Assert.Equal(body, text);
        Assert.Equal("application/json", Header(response, "Content-Type"));
    }

    [Fact]
    public async Task Payload_2_0_response_sets_status_headers_cookies_and_body()
    {
        var (status, text, response, _) = await CallAsync(LocalApiKind.HttpApi,
            """{"statusCode":201,"headers":{"content-type":"text/plain","x-custom":"a,b","x-number":7},"multiValueHeaders":{"x-ignored":["z"]},"cookies":["a=1; Path=/","b=2"],"body":"line1\nline2 \u00e9","isBase64Encoded":false}""");
        Assert.Equal(201, status);
        Assert.Equal("line1\nline2 é", text);
        Assert.Equal("text/plain", Header(response, "Content-Type"));
        Assert.Equal("a,b", Header(response, "x-custom"));
        Assert.Equal("7", Header(response, "x-number"));
        Assert.Equal("", Header(response, "x-ignored"));
        Assert.Equal(["a=1; Path=/", "b=2"], response.Headers.GetValues("Set-Cookie").ToArray());
        Assert.Equal(Encoding.UTF8.GetByteCount("line1\nline2 é"), response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Payload_2_0_without_content_type_is_plain_text_and_base64_bodies_are_decoded()
    {
        var (status, text, response, _) = await CallAsync(LocalApiKind.HttpApi, """{"statusCode":200,"body":"hi"}""");
        Assert.Equal(200, status);
        Assert.Equal("hi", text);
        Assert.Equal("text/plain; charset=utf-8", Header(response, "Content-Type"));

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0, 255];
        var (_, _, binaryResponse, bytes) = await CallAsync(LocalApiKind.HttpApi,
            $$"""{"statusCode":200,"headers":{"content-type":"image/png"},"body":"{{Convert.ToBase64String(png)}}","isBase64Encoded":true}""");
        Assert.Equal(png, bytes);
        Assert.Equal("image/png", Header(binaryResponse, "Content-Type"));
    }

    [Fact]
    public async Task Status_204_sends_no_body()
    {
        var (status, text, _, _) = await CallAsync(LocalApiKind.HttpApi, """{"statusCode":204,"body":"ignored"}""");
        Assert.Equal(204, status);
        Assert.Equal("", text);
    }

    [Theory]
    [InlineData("""{"statusCode":"abc"}""")]
    [InlineData("""{"statusCode":700}""")]
    [InlineData("""{"statusCode":200,"body":{"a":1}}""")]
    [InlineData("""{"statusCode":200,"headers":"x"}""")]
    [InlineData("""{"statusCode":200,"body":"%%%","isBase64Encoded":true}""")]
    [InlineData("not json")]
    [InlineData("""{"statusCode":200,"headers":{"x-bad":"a\nb"}}""")]
    public async Task Invalid_2_0_responses_are_500(string result)
    {
        var (status, text, response, _) = await CallAsync(LocalApiKind.HttpApi, result);
        Assert.Equal(500, status);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", text);
        Assert.NotEmpty(Header(response, "apigw-requestid"));
    }

    [Fact]
    public async Task Payload_1_0_response_merges_headers_and_defaults_to_json()
    {
        var (status, text, response, _) = await CallAsync(LocalApiKind.RestApi,
            """{"statusCode":202,"headers":{"X-A":"1"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"],"X-A":["2"]},"body":"accepted","isBase64Encoded":false}""");
        Assert.Equal(202, status);
        Assert.Equal("accepted", text);
        Assert.Equal("application/json", Header(response, "Content-Type"));
        Assert.Equal(["1", "2"], response.Headers.GetValues("X-A").ToArray());
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie").ToArray());
        Assert.NotEmpty(Header(response, "x-amzn-RequestId"));
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("""{"message":"no status"}""")]
    [InlineData("""{"statusCode":200,"body":"x","extra":1}""")]
    [InlineData("""{"statusCode":200,"body":{"a":1}}""")]
    [InlineData("""{"statusCode":200,"multiValueHeaders":{"a":"not-a-list"}}""")]
    [InlineData("""{"statusCode":200,"cookies":["a=1"]}""")]
    public async Task Invalid_1_0_responses_are_502(string result)
    {
        var (status, text, response, _) = await CallAsync(LocalApiKind.RestApi, result);
        Assert.Equal(502, status);
        Assert.Equal("{\"message\": \"Internal server error\"}", text);
        Assert.Equal("InternalServerErrorException", Header(response, "x-amzn-ErrorType"));
    }

    [Fact]
    public async Task Http_api_1_0_route_with_an_invalid_response_is_500()
    {
        var (status, text, _, _) = await CallAsync(LocalApiKind.HttpApi, "\"just text\"", LocalPayloadFormat.V1);
        Assert.Equal(500, status);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", text);
    }

    [Fact]
    public async Task Rest_decodes_base64_only_for_binary_media_types()
    {
        var base64 = Convert.ToBase64String([1, 2, 3]);
        var result = $$"""{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"{{base64}}","isBase64Encoded":true}""";

        var (_, text, _, _) = await CallAsync(LocalApiKind.RestApi, result);
        Assert.Equal(base64, text);

        var (_, _, _, bytes) = await CallAsync(LocalApiKind.RestApi, result, binaryMediaTypes: ["image/png"]);
        Assert.Equal([1, 2, 3], bytes);

        (_, _, _, bytes) = await CallAsync(LocalApiKind.RestApi, result.Replace("image/png", "application/octet-stream"), accept: "image/png", binaryMediaTypes: ["image/*"]);
        Assert.Equal([1, 2, 3], bytes);
    }
}
