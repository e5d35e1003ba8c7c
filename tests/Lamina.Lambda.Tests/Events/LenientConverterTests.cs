using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class LenientConverterTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void String_dictionaries_accept_numbers_booleans_and_nested_json()
    {
        var e = EventJson.Read("""
            {"queryStringParameters":{"n":12345,"f":-1.5e3,"t":true,"no":false,"s":"x","gone":null,"o":{"a":[1, 2]},"arr":["p","q"]},
             "pathParameters":{"id":7},"stageVariables":{"on":true},"headers":{"X-Count":3}}
            """, Json.RestApiRequest);

        var q = e.QueryStringParameters!;
        Assert.Equal("12345", q["n"]);
        Assert.Equal("-1.5e3", q["f"]);
        Assert.Equal("true", q["t"]);
        Assert.Equal("false", q["no"]);
        Assert.Equal("x", q["s"]);
        Assert.False(q.ContainsKey("gone"));
        Assert.Equal("""{"a":[1, 2]}""", q["o"]);
        Assert.Equal("""["p","q"]""", q["arr"]);
        Assert.Equal("7", e.PathParameters!["id"]);
        Assert.Equal("true", e.StageVariables!["on"]);
        Assert.Equal("3", e.Headers!["x-count"]);
    }

    [Fact]
    public void Multi_value_dictionaries_accept_numbers_and_single_values()
    {
        var e = EventJson.Read("""
            {"multiValueQueryStringParameters":{"postcode":[12345, "67890", null],"single":42,"flag":[true],"gone":null},
             "multiValueHeaders":{"Accept":["text/html"]}}
            """, Json.RestApiRequest);

        var q = e.MultiValueQueryStringParameters!;
        Assert.Equal(["12345", "67890"], q["postcode"]);
        Assert.Equal(["42"], q["single"]);
        Assert.Equal(["true"], q["flag"]);
        Assert.False(q.ContainsKey("gone"));
        Assert.Equal(["text/html"], e.MultiValueHeaders!["accept"]);
    }

    [Fact]
    public void Http_api_dictionaries_and_jwt_claims_are_lenient()
    {
        var e = EventJson.Read("""
            {"queryStringParameters":{"page":2},"requestContext":{"authorizer":{"jwt":{"claims":{"exp":1735689600,"admin":true,"groups":["a","b"]},"scopes":null}}}}
            """, Json.HttpApiRequest);

        Assert.Equal("2", e.QueryStringParameters!["page"]);
        var claims = e.RequestContext!.Authorizer!.Jwt!.Claims!;
        Assert.Equal("1735689600", claims["exp"]);
        Assert.Equal("true", claims["admin"]);
        Assert.Equal("""["a","b"]""", claims["groups"]);
        Assert.Null(e.RequestContext.Authorizer.Jwt.Scopes);
    }

    [Fact]
    public void Dictionaries_that_are_not_objects_fail_with_a_json_error()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"headers":["a"]}""", Json.RestApiRequest));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"multiValueHeaders":"a"}""", Json.RestApiRequest));
    }

    [Fact]
    public void Lenient_values_are_written_back_as_strings()
    {
        var e = EventJson.Read("""{"queryStringParameters":{"n":1,"b":false},"multiValueQueryStringParameters":{"n":[1,2]}}""", Json.RestApiRequest);
        var written = JsonSerializer.Serialize(e, Json.RestApiRequest);
        Assert.Contains("\"queryStringParameters\":{\"n\":\"1\",\"b\":\"false\"}", written);
        Assert.Contains("\"multiValueQueryStringParameters\":{\"n\":[\"1\",\"2\"]}", written);
    }

    [Fact]
    public void Query_parameters_stay_case_sensitive_while_headers_do_not()
    {
        var e = EventJson.Read("""{"headers":{"Content-Type":"a"},"queryStringParameters":{"Key":"1","key":"2"}}""", Json.RestApiRequest);
        Assert.Equal("a", e.Headers!["CONTENT-TYPE"]);
        Assert.Equal("1", e.QueryStringParameters!["Key"]);
        Assert.Equal("2", e.QueryStringParameters["key"]);
    }
}
