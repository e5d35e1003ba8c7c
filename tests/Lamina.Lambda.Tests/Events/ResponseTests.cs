using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class ResponseTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Http_api_text_response_serializes_to_the_2_0_shape()
    {
        var response = HttpApiResponse.Text(404, "not found");
        Assert.Equal("""{"statusCode":404,"headers":{"content-type":"text/plain; charset=utf-8"},"body":"not found","isBase64Encoded":false}""",
            JsonSerializer.Serialize(response, Json.HttpApiResponse));
    }

    [Fact]
    public void Http_api_json_helpers()
    {
        var fromString = HttpApiResponse.Json("""{"ok":true}""");
        Assert.Equal(200, fromString.StatusCode);
        Assert.Equal("application/json", fromString.Headers!["Content-Type"]);
        Assert.Equal("""{"ok":true}""", fromString.Body);

        var fromNode = HttpApiResponse.Json(new JsonObject { ["id"] = 5, ["tags"] = new JsonArray("a") }, 201);
        Assert.Equal(201, fromNode.StatusCode);
        Assert.Equal("""{"id":5,"tags":["a"]}""", fromNode.Body);

        var fromTyped = HttpApiResponse.Json(new Dictionary<string, string> { ["k"] = "v" }, Json.DictionaryStringString, 202);
        Assert.Equal(202, fromTyped.StatusCode);
        Assert.Equal("""{"k":"v"}""", fromTyped.Body);
        Assert.Equal("application/json", fromTyped.Headers!["content-type"]);

        Assert.Equal("null", HttpApiResponse.Json((JsonNode?)null).Body);
    }

    [Fact]
    public void Http_api_response_with_cookies_round_trips()
    {
        var json = """{"statusCode":302,"headers":{"location":"/home"},"cookies":["a=1; Secure","b=2"],"body":"","isBase64Encoded":false}""";
        var response = EventJson.AssertRoundTrips(json, Json.HttpApiResponse);
        Assert.Equal(["a=1; Secure", "b=2"], response.Cookies!);
        Assert.Equal("/home", response.Headers!["location"]);
    }

    [Fact]
    public void Http_api_response_has_no_multi_value_headers()
    {
        var written = JsonSerializer.Serialize(new HttpApiResponse { Body = "x" }, Json.HttpApiResponse);
        Assert.Equal("""{"statusCode":200,"body":"x","isBase64Encoded":false}""", written);
    }

    [Fact]
    public void Rest_api_helpers_and_shape()
    {
        Assert.Equal("""{"statusCode":400,"headers":{"content-type":"text/plain; charset=utf-8"},"body":"bad","isBase64Encoded":false}""",
            JsonSerializer.Serialize(RestApiResponse.Text(400, "bad"), Json.RestApiResponse));
        Assert.Equal("""{"statusCode":200,"headers":{"content-type":"application/json"},"body":"[1]","isBase64Encoded":false}""",
            JsonSerializer.Serialize(RestApiResponse.Json("[1]"), Json.RestApiResponse));
        Assert.Equal("""{"a":"b"}""", RestApiResponse.Json(new Dictionary<string, string> { ["a"] = "b" }, Json.DictionaryStringString).Body);
        Assert.Equal("""{"n":1}""", RestApiResponse.Json(new JsonObject { ["n"] = 1 }, 500).Body);
        Assert.Equal(500, RestApiResponse.Json(new JsonObject(), 500).StatusCode);
    }

    [Fact]
    public void Rest_api_response_with_multi_value_headers_round_trips()
    {
        var json = """{"statusCode":200,"headers":{"content-type":"image/png"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"iVBORw0KGgo=","isBase64Encoded":true}""";
        var response = EventJson.AssertRoundTrips(json, Json.RestApiResponse);
        Assert.Equal(["a=1", "b=2"], response.MultiValueHeaders!["Set-Cookie"]);
        Assert.True(response.IsBase64Encoded);
    }

    [Fact]
    public void Lambda_void_serializes_as_null_and_reads_anything()
    {
        Assert.Equal("null", JsonSerializer.Serialize(LambdaVoid.Value, Json.LambdaVoid));
        Assert.Equal(LambdaVoid.Value, JsonSerializer.Deserialize("null", Json.LambdaVoid));
        Assert.Equal(LambdaVoid.Value, JsonSerializer.Deserialize("""{"a":[1,{"b":2}]}""", Json.LambdaVoid));
        Assert.Equal(LambdaVoid.Value, JsonSerializer.Deserialize("42", Json.LambdaVoid));
        Assert.True(LambdaVoid.Completed.IsCompletedSuccessfully);
    }

    [Fact]
    public void Request_body_helpers_decode_base64_as_utf8()
    {
        var text = "héllo ✓";
        var request = new HttpApiRequest { Body = Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), IsBase64Encoded = true };
        Assert.Equal(text, request.GetBodyText());
        var rest = new RestApiRequest { Body = "plain", IsBase64Encoded = false };
        Assert.Equal("plain", rest.GetBodyText());
    }

    [Fact]
    public void Context_covers_raw_json_types()
    {
        Assert.Equal("\"x\"", JsonSerializer.Serialize("x", Json.String));
        Assert.Equal("""{"a":1}""", JsonSerializer.Serialize(JsonNode.Parse("""{"a":1}"""), Json.JsonNode));
        var element = JsonSerializer.Deserialize("""[1,"b"]""", Json.JsonElement);
        Assert.Equal(JsonValueKind.Array, element.ValueKind);
        Assert.Equal("v", JsonSerializer.Deserialize("""{"k":"v"}""", Json.DictionaryStringString)!["k"]);
    }
}
