using Lamina.Local.Api;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

public sealed class CorsTests
{
    private static readonly LocalCorsConfig Config = new()
    {
        AllowOrigins = ["https://app.example.com", "https://*.preview.example.com"],
        AllowMethods = ["GET", "POST"],
        AllowHeaders = ["content-type", "authorization"],
        ExposeHeaders = ["x-total"],
        MaxAge = TimeSpan.FromMinutes(10),
        AllowCredentials = true,
    };

    private static HttpRequestMessage Preflight(string origin, string path = "orders")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type");
        return request;
    }

    [Fact]
    public async Task The_gateway_answers_preflight_requests_itself()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("POST /orders", "f"), Route("$default", "d")) with { Cors = Config });
        using var client = gateway.CreateClient("h");
        var (status, body, response) = await SendAsync(client, Preflight("https://app.example.com"));
        Assert.Equal(204, status);
        Assert.Equal("", body);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
        Assert.Equal("GET,POST", Header(response, "access-control-allow-methods"));
        Assert.Equal("content-type,authorization", Header(response, "access-control-allow-headers"));
        Assert.Equal("600", Header(response, "access-control-max-age"));
        Assert.Equal("true", Header(response, "access-control-allow-credentials"));
        Assert.Empty(functions.Calls);
        Assert.Equal(LocalApiOutcome.CorsPreflight, gateway.Requests.Single().Outcome);

        // A preflight for a path without routes is answered too (the $default route is not invoked).
        (status, _, response) = await SendAsync(client, Preflight("https://pr-7.preview.example.com", "anything/else"));
        Assert.Equal(204, status);
        Assert.Equal("https://pr-7.preview.example.com", Header(response, "access-control-allow-origin"));
        Assert.Empty(functions.Calls);
    }

    [Fact]
    public async Task Preflight_from_an_origin_not_allowed_gets_no_cors_headers()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("POST /orders", "f")) with { Cors = Config });
        using var client = gateway.CreateClient("h");
        var (status, _, response) = await SendAsync(client, Preflight("https://evil.example.net"));
        Assert.Equal(204, status);
        Assert.Equal("", Header(response, "access-control-allow-origin"));
        Assert.Equal("", Header(response, "access-control-allow-methods"));
        Assert.Empty(functions.Calls);
    }

    [Fact]
    public async Task Responses_carry_cors_headers_and_the_functions_own_are_dropped()
    {
        var functions = new FakeFunctions();
        functions.Answer("f", """{"statusCode":200,"headers":{"Access-Control-Allow-Origin":"*","access-control-max-age":"1","x-total":"3"},"body":"[]"}""");
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("GET /orders", "f")) with { Cors = Config });
        using var client = gateway.CreateClient("h");
        var request = new HttpRequestMessage(HttpMethod.Get, "orders");
        request.Headers.TryAddWithoutValidation("Origin", "https://app.example.com");
        var (status, body, response) = await SendAsync(client, request);
        Assert.Equal(200, status);
        Assert.Equal("[]", body);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
        Assert.Equal("x-total", Header(response, "access-control-expose-headers"));
        Assert.Equal("true", Header(response, "access-control-allow-credentials"));
        Assert.Equal("", Header(response, "access-control-max-age"));
        Assert.Equal("3", Header(response, "x-total"));

        // Gateway errors carry them too; requests without Origin get none.
        request = new HttpRequestMessage(HttpMethod.Get, "missing");
        request.Headers.TryAddWithoutValidation("Origin", "https://app.example.com");
        (status, _, response) = await SendAsync(client, request);
        Assert.Equal(404, status);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));

        (_, _, response) = await GetAsync(client, "orders");
        Assert.Equal("", Header(response, "access-control-allow-origin"));
    }

    [Fact]
    public async Task Any_origin_without_credentials_is_a_star()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(),
            Http("h", Route("GET /orders", "f")) with { Cors = new LocalCorsConfig { AllowOrigins = ["*"] } });
        using var client = gateway.CreateClient("h");
        var request = new HttpRequestMessage(HttpMethod.Get, "orders");
        request.Headers.TryAddWithoutValidation("Origin", "https://anywhere.example");
        var (_, _, response) = await SendAsync(client, request);
        Assert.Equal("*", Header(response, "access-control-allow-origin"));
        Assert.Equal("", Header(response, "access-control-allow-credentials"));
    }

    [Fact]
    public async Task Without_cors_configuration_options_requests_reach_the_routes_and_function_headers_stay()
    {
        var functions = new FakeFunctions();
        functions.Answer("d", """{"statusCode":200,"headers":{"access-control-allow-origin":"https://mine"},"body":"options handled"}""");
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("$default", "d")));
        using var client = gateway.CreateClient("h");
        var (status, body, response) = await SendAsync(client, Preflight("https://app.example.com"));
        Assert.Equal(200, status);
        Assert.Equal("options handled", body);
        Assert.Equal("https://mine", Header(response, "access-control-allow-origin"));
        Assert.Single(functions.Calls);
    }
}
