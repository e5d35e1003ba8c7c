using System.Text.Json;
using Lamina.Local.Api;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

public sealed class RoutingFixture : IAsyncLifetime
{
    public FakeFunctions Functions { get; } = new();

    public LocalApiGateway Gateway { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public HttpClient Rest { get; private set; } = null!;

    public HttpClient RestNoProxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Functions.Default = (name, _) => Task.FromResult(Ok($$"""{"statusCode":200,"body":"{{name}}"}"""));
        Gateway = await StartAsync(Functions, Clock(),
            Http("http",
                Route("GET /pets/dog/1", "exact"),
                Route("GET /pets/dog/{id}", "dogParam"),
                Route("GET /pets/{proxy+}", "petsGreedyGet"),
                Route("ANY /{proxy+}", "anyGreedy"),
                Route("ANY /pets/cat", "anyCat"),
                Route("POST /pets/cat", "postCat"),
                Route("GET /", "root"),
                Route("GET /a/{x}/c", "axc"),
                Route("GET /a/b/d", "abd"),
                Route("GET /files/{folder}/{name}", "file"),
                Route("$default", "default")),
            Rest("rest",
                Route("GET /items", "items"),
                Route("GET /items/{id}", "item"),
                Route("ANY /items/{id}", "itemAny"),
                Route("GET /items/special", "special"),
                Route("ANY /{proxy+}", "restProxy"),
                Route("GET /", "restRoot")),
            Rest("restNoProxy", Route("GET /items", "items2")),
            Http("httpNoDefault", Route("GET /only", "only")));
        Http = Gateway.CreateClient("http");
        Rest = Gateway.CreateClient("rest");
        RestNoProxy = Gateway.CreateClient("restNoProxy");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Rest.Dispose();
        RestNoProxy.Dispose();
        await Gateway.DisposeAsync();
    }
}

public sealed class RoutingTests(RoutingFixture fixture) : IClassFixture<RoutingFixture>
{
    [Theory]
    [InlineData("GET", "/pets/dog/1", "exact", "GET /pets/dog/1", null)]
    [InlineData("GET", "/pets/dog/2", "dogParam", "GET /pets/dog/{id}", "id=2")]
    [InlineData("GET", "/pets/dog/a%2Fb", "dogParam", "GET /pets/dog/{id}", "id=a/b")]
    [InlineData("GET", "/pets/cat/1", "petsGreedyGet", "GET /pets/{proxy+}", "proxy=cat/1")]
    [InlineData("GET", "/pets/dog%201/x", "petsGreedyGet", "GET /pets/{proxy+}", "proxy=dog 1/x")]
    [InlineData("GET", "/pets/dog/", "petsGreedyGet", "GET /pets/{proxy+}", "proxy=dog/")]
    [InlineData("POST", "/pets/cat/1", "anyGreedy", "ANY /{proxy+}", "proxy=pets/cat/1")]
    [InlineData("POST", "/pets/cat", "postCat", "POST /pets/cat", null)]
    [InlineData("DELETE", "/pets/cat", "anyCat", "ANY /pets/cat", null)]
    [InlineData("GET", "/pets/cat", "anyCat", "ANY /pets/cat", null)]
    [InlineData("GET", "/", "root", "GET /", null)]
    [InlineData("POST", "/", "default", "$default", null)]
    [InlineData("GET", "/a/b/c", "axc", "GET /a/{x}/c", "x=b")]
    [InlineData("GET", "/a/b/d", "abd", "GET /a/b/d", null)]
    [InlineData("GET", "/files/docs/read%20me.txt", "file", "GET /files/{folder}/{name}", "folder=docs,name=read me.txt")]
    [InlineData("PUT", "/files/docs/x", "anyGreedy", "ANY /{proxy+}", "proxy=files/docs/x")]
    public async Task Http_api_routes_by_precedence(string method, string path, string function, string routeKey, string? parameters)
    {
        var (status, body, _) = await SendAsync(fixture.Http, new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/')));
        Assert.Equal(200, status);
        Assert.Equal(function, body);
        var e = FindEvent(function, path);
        Assert.Equal(routeKey, e.Str("routeKey"));
        AssertParameters(e, parameters, v2: true);
    }

    [Theory]
    [InlineData("GET", "items", "items", "/items", null)]
    [InlineData("GET", "items/special", "special", "/items/special", null)]
    [InlineData("GET", "items/7", "item", "/items/{id}", "id=7")]
    [InlineData("PUT", "items/7", "itemAny", "/items/{id}", "id=7")]
    [InlineData("PUT", "items", "restProxy", "/{proxy+}", "proxy=items")]
    [InlineData("GET", "a/b/c", "restProxy", "/{proxy+}", "proxy=a/b/c")]
    [InlineData("GET", "", "restRoot", "/", null)]
    public async Task Rest_api_walks_the_resource_tree(string method, string relative, string function, string resource, string? parameters)
    {
        var (status, body, _) = await SendAsync(fixture.Rest, new HttpRequestMessage(new HttpMethod(method), relative));
        Assert.Equal(200, status);
        Assert.Equal(function, body);
        var e = FindEvent(function, "/Prod/" + relative);
        Assert.Equal(resource, e.Str("resource"));
        AssertParameters(e, parameters, v2: false);
    }

    [Fact]
    public async Task Rest_stage_root_without_slash_reaches_the_root_resource()
    {
        var baseUrl = fixture.Gateway.GetBaseUrl("rest");
        using var client = new HttpClient();
        var (status, body, _) = await GetAsync(client, baseUrl.GetLeftPart(UriPartial.Authority) + "/Prod");
        Assert.Equal(200, status);
        Assert.Equal("restRoot", body);
    }

    [Fact]
    public async Task Unmatched_requests_get_the_api_kinds_answer()
    {
        var (status, body, response) = await SendAsync(fixture.RestNoProxy, new HttpRequestMessage(HttpMethod.Post, "items"));
        Assert.Equal(403, status);
        Assert.Equal("{\"message\":\"Missing Authentication Token\"}", body);
        Assert.Equal("MissingAuthenticationTokenException", Header(response, "x-amzn-ErrorType"));
        Assert.Equal("application/json", Header(response, "Content-Type"));

        var outside = fixture.Gateway.GetBaseUrl("restNoProxy").GetLeftPart(UriPartial.Authority);
        using var plain = new HttpClient();
        (status, body, _) = await GetAsync(plain, outside + "/Dev/items");
        Assert.Equal(403, status);
        Assert.Equal("{\"message\":\"Forbidden\"}", body);

        using var http = fixture.Gateway.CreateClient("httpNoDefault");
        (status, body, response) = await GetAsync(http, "nothing/here");
        Assert.Equal(404, status);
        Assert.Equal("{\"message\":\"Not Found\"}", body);
        Assert.NotEmpty(Header(response, "apigw-requestid"));

        (status, _, _) = await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, "only"));
        Assert.Equal(404, status);
    }

    private JsonElement FindEvent(string function, string path)
    {
        var call = fixture.Functions.Calls.Last(c => c.Function == function && (c.Payload.Contains($"\"rawPath\":\"{path}\"") || c.Payload.Contains($"\"path\":\"{path}\"")));
        return JsonDocument.Parse(call.Payload).RootElement.Clone();
    }

    private static void AssertParameters(JsonElement e, string? expected, bool v2)
    {
        if (expected is null)
        {
            if (v2)
            {
                Assert.False(e.Has("pathParameters"));
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, e.GetProperty("pathParameters").ValueKind);
            }

            return;
        }

        var actual = e.GetProperty("pathParameters").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}");
        Assert.Equal(expected, string.Join(",", actual));
    }
}
