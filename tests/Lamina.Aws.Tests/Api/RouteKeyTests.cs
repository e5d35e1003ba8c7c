using Lamina.Aws.Semantics.Api;
using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Testing;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Aws.Tests.Api;

public class RouteKeyTests
{
    [Theory]
    [InlineData("GET /orders/{id}")]
    [InlineData("ANY /{proxy+}")]
    [InlineData("$default")]
    [InlineData("GET /")]
    [InlineData("POST /orders")]
    [InlineData("PUT /files/{path+}")]
    [InlineData("DELETE /orders/{orderId}/items/{itemId}")]
    [InlineData("PATCH /v1.2/some_thing-else")]
    [InlineData("HEAD /health")]
    [InlineData("OPTIONS /{proxy+}")]
    [InlineData("ANY /")]
    public void Valid_route_keys_are_accepted(string routeKey)
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api").AddRoute(routeKey, new Function<GetItem>(stack, "Fn"));
        Template.From(stack).HasResourceProperties("aws:apigatewayv2:Route", new D { ["routeKey"] = routeKey });
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("GET", "is neither '$default' nor 'METHOD /path'")]
    [InlineData("get /x", "method 'get' is not one of")]
    [InlineData("FETCH /x", "method 'FETCH' is not one of")]
    [InlineData("GET x", "does not start with '/'")]
    [InlineData("GET  /x", "does not start with '/'")]
    [InlineData("GET /x/", "ends with '/'")]
    [InlineData("GET //x", "empty segment")]
    [InlineData("GET /{proxy+}/x", "greedy parameter '{proxy+}' is not the last segment")]
    [InlineData("GET /{id}/a/{id}", "parameter 'id' appears twice")]
    [InlineData("GET /file.{ext}", "segment 'file.{ext}'")]
    [InlineData("GET /{}", "segment '{}'")]
    [InlineData("GET /a b", "segment 'a b'")]
    [InlineData("GET /{a+b}", "segment '{a+b}'")]
    [InlineData("$DEFAULT", "is neither '$default' nor 'METHOD /path'")]
    public void Invalid_route_keys_are_errors_naming_the_key_and_the_rules(string routeKey, string reason)
    {
        var stack = TestStacks.Create();
        new HttpApi(stack, "Api").AddRoute(routeKey, new Function<GetItem>(stack, "Fn"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Api", error.Path);
        Assert.Equal("routeKey", error.Property);
        Assert.Contains($"route key '{routeKey}' is invalid", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY", error.Message);
    }

    [Fact]
    public void Parsing_gives_method_and_segments()
    {
        Assert.Null(ApiRoutes.TryParseRouteKey("GET /orders/{id}/{rest+}", out var method, out var segments));
        Assert.Equal("GET", method);
        Assert.Equal(
            [new ApiPathSegment("orders", null, false), new ApiPathSegment("{id}", "id", false), new ApiPathSegment("{rest+}", "rest", true)],
            segments);
        Assert.Equal("GET /orders/{}/{+}", ApiRoutes.Shape(method, segments));
        Assert.Equal("*/GET/orders/{id}/{rest+}", ApiRoutes.SourceArnSuffix(method, segments));
        Assert.Null(ApiRoutes.TryParseRouteKey("$default", out method, out segments));
        Assert.Equal("*/$default", ApiRoutes.SourceArnSuffix(method, segments));
    }
}
