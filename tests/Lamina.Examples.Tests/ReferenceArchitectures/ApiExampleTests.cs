using System.Text;
using System.Text.Json.Nodes;
using Lamina.Examples.Handlers.Api;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Testing;
using Microsoft.Extensions.Time.Testing;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

public class ApiExampleTests
{
    [Fact]
    public void The_example_program_passes_the_checker_with_no_broad_wildcards() => ExampleApps.AssertProgramPassesTheChecker("api");

    private static (ApiExample Example, Template Template) Build()
    {
        var stack = ExampleApps.Stack("api");
        var example = ApiExample.Define(stack);
        return (example, ExampleApps.SynthesizedTemplate(stack));
    }

    [Fact]
    public void Http_api_routes_go_to_their_functions_with_the_payload_format_each_handler_takes()
    {
        var (example, t) = Build();
        t.ResourceCountIs("aws:apigatewayv2:Route", 3);
        foreach (var (routeKey, integration) in new[] { ("POST /orders", "PlaceOrder"), ("GET /orders/{id}", "GetOrder"), ("GET /echo", "Echo-v1") })
        {
            t.HasResourceProperties("aws:apigatewayv2:Route", new D
            {
                ["apiId"] = "${OrdersApi.id}",
                ["routeKey"] = routeKey,
                ["target"] = $"integrations/${{OrdersApi-Integrations-{integration}.id}}",
            });
        }
        t.HasResourceProperties("aws:apigatewayv2:Integration", new D { ["integrationUri"] = "${PlaceOrder.invokeArn}", ["payloadFormatVersion"] = "2.0" });
        t.HasResourceProperties("aws:apigatewayv2:Integration", new D { ["integrationUri"] = "${GetOrder.invokeArn}", ["payloadFormatVersion"] = "2.0" });
        t.HasResourceProperties("aws:apigatewayv2:Integration", new D { ["integrationUri"] = "${Echo.invokeArn}", ["payloadFormatVersion"] = "1.0" });
        Assert.Same(example.PlaceOrder, example.HttpApi.Function("POST /orders"));
        t.HasOutput("OrdersApiUrl", "${OrdersApi-Stage.invokeUrl}");
        t.HasOutput("EchoApiUrl", "${EchoApi-Stage.invokeUrl}");
    }

    [Fact]
    public void The_rest_api_sends_the_root_and_every_other_path_to_echo()
    {
        var (_, t) = Build();
        t.ResourceCountIs("aws:apigateway:Method", 2);
        t.HasResourceProperties("aws:apigateway:Method", new D { ["httpMethod"] = "GET", ["resourceId"] = "${EchoApi.rootResourceId}" });
        t.HasResourceProperties("aws:apigateway:Method", new D { ["httpMethod"] = "ANY" });
        t.AllResourcesProperties("aws:apigateway:Integration", new D { ["type"] = "AWS_PROXY", ["uri"] = "${Echo.invokeArn}" });
        t.HasResourceProperties("aws:apigateway:Resource", new D { ["pathPart"] = "{proxy+}" });
    }

    [Fact]
    public void Every_permission_admits_api_gateway_from_one_api_method_and_path_only()
    {
        var (_, t) = Build();
        var expected = new Dictionary<string, string>
        {
            ["${OrdersApi.executionArn}/*/POST/orders"] = "${PlaceOrder.name}",
            ["${OrdersApi.executionArn}/*/GET/orders/{id}"] = "${GetOrder.name}",
            ["${OrdersApi.executionArn}/*/GET/echo"] = "${Echo.name}",
            ["${EchoApi.executionArn}/*/GET/"] = "${Echo.name}",
            ["${EchoApi.executionArn}/*/*/{proxy+}"] = "${Echo.name}",
        };
        var permissions = t.FindResources("aws:lambda:Permission").Values.Select(r => r["properties"]!).ToList();
        Assert.Equal(expected.Count, permissions.Count);
        foreach (var p in permissions)
        {
            Assert.Equal("apigateway.amazonaws.com", (string?)p["principal"]);
            Assert.Equal("lambda:InvokeFunction", (string?)p["action"]);
            var source = (string)p["sourceArn"]!;
            Assert.True(expected.TryGetValue(source, out var function), $"unexpected source ARN {source}");
            Assert.Equal(function, (string?)p["function"]);
        }
        Assert.Equal(expected.Keys.Order(), permissions.Select(p => (string)p["sourceArn"]!).Order());
    }

    [Fact]
    public void The_functions_roles_may_only_write_their_own_logs()
    {
        var (_, t) = Build();
        foreach (var fn in new[] { "PlaceOrder", "GetOrder", "Echo" })
        {
            var statement = Assert.Single(ExampleApps.Statements(t, fn + "-Role-Policy"))!;
            Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], ExampleApps.List(statement["Action"]));
            Assert.Equal([$"${{{fn}-LogGroup.arn}}:*"], ExampleApps.List(statement["Resource"]));
        }
    }

    // Handler behaviour --------------------------------------------------------------------------------------------

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    private static HttpApiRequest Post(string? body, bool base64 = false) => new()
    {
        RouteKey = "POST /orders",
        RawPath = "/orders",
        Body = base64 && body is not null ? Convert.ToBase64String(Encoding.UTF8.GetBytes(body)) : body,
        IsBase64Encoded = base64,
    };

    [Fact]
    public async Task PlaceOrder_answers_201_with_the_stored_order_and_its_location()
    {
        var store = new InMemoryOrderStore();
        var handler = new PlaceOrder(store, new FakeTimeProvider(Now), () => "ord_00112233445566aa");
        var context = new TestContext();

        var response = await handler.HandleAsync(Post("""{"customerId":"c-42","items":[{"sku":"BOOK-1","quantity":2},{"sku":"PEN-7","quantity":1}]}""", base64: true), context);

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("/orders/ord_00112233445566aa", response.Headers!["location"]);
        Assert.Equal("application/json", response.Headers["content-type"]);
        var body = JsonNode.Parse(response.Body!)!;
        Assert.Equal("ord_00112233445566aa", (string?)body["id"]);
        Assert.Equal("placed", (string?)body["status"]);
        Assert.Equal(2, body["items"]!.AsArray().Count);
        Assert.Equal(Now, DateTimeOffset.Parse((string)body["placedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        var stored = await store.FindAsync("ord_00112233445566aa", CancellationToken.None);
        Assert.Equal("c-42", stored!.CustomerId);
        Assert.Contains(context.Messages(LambdaLogLevel.Info), m => m.Contains("placed order ord_00112233445566aa", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "the request body is missing")]
    [InlineData("{\"customerId\":", "the request body is not a JSON order")]
    [InlineData("null", "the request body is JSON null")]
    [InlineData("{\"customerId\":\"c-1\",\"items\":[{\"sku\":\"X\",\"quantity\":\"two\"}]}", "the request body is not a JSON order")]
    public async Task PlaceOrder_answers_400_to_a_body_that_is_not_an_order(string? body, string problem)
    {
        var store = new InMemoryOrderStore();
        var response = await new PlaceOrder(store, new FakeTimeProvider(Now), () => "ord_00112233445566aa").HandleAsync(Post(body), new TestContext());
        Assert.Equal(400, response.StatusCode);
        var error = Assert.Single(JsonNode.Parse(response.Body!)!["errors"]!.AsArray());
        Assert.StartsWith(problem, (string)error!, StringComparison.Ordinal);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task PlaceOrder_lists_every_problem_of_an_invalid_order()
    {
        var store = new InMemoryOrderStore();
        var response = await new PlaceOrder(store, new FakeTimeProvider(Now), () => "ord_00112233445566aa")
            .HandleAsync(Post("""{"customerId":" ","items":[{"sku":"book 1","quantity":0},{"sku":"OK-1","quantity":101}]}"""), new TestContext());
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(
            ["customerId is required", "items[0].sku must be 1-32 upper-case letters, digits and '-'", "items[0].quantity must be between 1 and 100", "items[1].quantity must be between 1 and 100"],
            JsonNode.Parse(response.Body!)!["errors"]!.AsArray().Select(e => (string)e!).ToList());
        Assert.Equal(0, store.Count);

        var empty = await new PlaceOrder(store, new FakeTimeProvider(Now), () => "x").HandleAsync(Post("""{"customerId":"c-1","items":[]}"""), new TestContext());
        Assert.Equal(["items must hold at least one line"], JsonNode.Parse(empty.Body!)!["errors"]!.AsArray().Select(e => (string)e!).ToList());
    }

    [Fact]
    public async Task GetOrder_answers_200_404_or_400()
    {
        var store = new InMemoryOrderStore();
        await new PlaceOrder(store, new FakeTimeProvider(Now), () => "ord_0123456789abcdef")
            .HandleAsync(Post("""{"customerId":"c-7","items":[{"sku":"MUG-2","quantity":3}]}"""), new TestContext());
        var get = new GetOrder(store);

        HttpApiRequest Get(string? id) => new() { RouteKey = "GET /orders/{id}", PathParameters = id is null ? null : new() { ["id"] = id } };

        var found = await get.HandleAsync(Get("ord_0123456789abcdef"), new TestContext());
        Assert.Equal(200, found.StatusCode);
        Assert.Equal("c-7", (string?)JsonNode.Parse(found.Body!)!["customerId"]);
        Assert.Equal(3, (int)JsonNode.Parse(found.Body!)!["items"]![0]!["quantity"]!);

        var missing = await get.HandleAsync(Get("ord_ffffffffffffffff"), new TestContext());
        Assert.Equal(404, missing.StatusCode);
        Assert.Contains("order ord_ffffffffffffffff was not found", missing.Body, StringComparison.Ordinal);

        Assert.Equal(400, (await get.HandleAsync(Get("../etc/passwd"), new TestContext())).StatusCode);
        Assert.Equal(400, (await get.HandleAsync(Get(null), new TestContext())).StatusCode);
    }

    [Fact]
    public async Task Echo_answers_with_the_rest_api_event_as_its_body()
    {
        var request = System.Text.Json.JsonSerializer.Deserialize(
            """{"resource":"/","path":"/","httpMethod":"GET","queryStringParameters":{"postcode":12345},"isBase64Encoded":false,"custom":"kept"}""",
            Lamina.Lambda.Serialization.LambdaEventsJsonContext.Default.RestApiRequest)!;
        var response = await new Echo().HandleAsync(request, new TestContext());
        Assert.Equal(200, response.StatusCode);
        var body = JsonNode.Parse(response.Body!)!;
        Assert.Equal("GET", (string?)body["httpMethod"]);
        Assert.Equal("12345", (string?)body["queryStringParameters"]!["postcode"]);
        Assert.Equal("kept", (string?)body["custom"]);
    }
}
