using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;
using Lamina.Local.Api;
using Lamina.Local.Lambda;
using Lamina.Local.Tests.Lambda;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

/// <summary>The gateway in front of a real <see cref="LocalLambdaHost"/> with in-process handlers.</summary>
public sealed class EndToEndTests
{
    private static LocalFunctionConfig HttpFunction(string name, Func<HttpApiRequest, ILambdaContext, Task<HttpApiResponse>> handle,
        int? reserved = null, TimeSpan? timeout = null) => new()
    {
        Name = name,
        ReservedConcurrency = reserved,
        Timeout = timeout ?? TimeSpan.FromSeconds(3),
        Handler = LocalFunctionHandler.InProcess(name + ".Handler", _ => new FuncHandler<HttpApiRequest, HttpApiResponse>(handle),
            LambdaEventsJsonContext.Default.HttpApiRequest, LambdaEventsJsonContext.Default.HttpApiResponse),
    };

    private static LocalFunctionConfig RestFunction(string name, Func<RestApiRequest, ILambdaContext, Task<RestApiResponse>> handle,
        TimeSpan? timeout = null) => new()
    {
        Name = name,
        Timeout = timeout ?? TimeSpan.FromSeconds(3),
        Handler = LocalFunctionHandler.InProcess(name + ".Handler", _ => new FuncHandler<RestApiRequest, RestApiResponse>(handle),
            LambdaEventsJsonContext.Default.RestApiRequest, LambdaEventsJsonContext.Default.RestApiResponse),
    };

    [Fact]
    public async Task Http_api_request_runs_a_typed_handler_and_returns_its_response()
    {
        var clock = Clock();
        await using var host = new LocalLambdaHost(HostTest.Options(clock));
        host.AddFunction(HttpFunction("getOrder", (request, context) =>
        {
            var response = HttpApiResponse.Json($$"""{"id":"{{request.PathParameters!["id"]}}","body":"{{request.GetBodyText()}}","requestId":"{{context.AwsRequestId}}"}""", 201);
            response.Cookies = ["session=abc; HttpOnly"];
            return Task.FromResult(response);
        }));
        await using var gateway = await LocalApiGateway.StartAsync(
            [Http("shop/Api", Route("POST /orders/{id}", "getOrder"))], LocalApiGateway.InvokerFor(host), new LocalApiGatewayOptions { TimeProvider = clock });
        using var client = gateway.CreateClient("shop/Api");
        var (status, body, response) = await SendAsync(client, Request(HttpMethod.Post, "orders/o-1", "hello", "text/plain"));
        Assert.Equal(201, status);
        Assert.StartsWith("{\"id\":\"o-1\",\"body\":\"hello\",\"requestId\":\"", body);
        Assert.Equal("application/json", Header(response, "Content-Type"));
        Assert.Equal("session=abc; HttpOnly", Header(response, "Set-Cookie"));
        Assert.Single(host.GetInvocations("getOrder"));
    }

    [Fact]
    public async Task Rest_api_request_runs_a_typed_handler()
    {
        var clock = Clock();
        await using var host = new LocalLambdaHost(HostTest.Options(clock));
        host.AddFunction(RestFunction("items", (request, _) =>
            Task.FromResult(RestApiResponse.Text(200, $"{request.HttpMethod} {request.Resource} {request.PathParameters!["proxy"]} {request.RequestContext!.Stage}"))));
        await using var gateway = await LocalApiGateway.StartAsync(
            [Rest("rest", Route("ANY /items/{proxy+}", "items"))], LocalApiGateway.InvokerFor(host), new LocalApiGatewayOptions { TimeProvider = clock });
        using var client = gateway.CreateClient("rest");
        var (status, body, response) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, "items/a/b"));
        Assert.Equal(200, status);
        Assert.Equal("DELETE /items/{proxy+} a/b Prod", body);
        Assert.Equal("text/plain; charset=utf-8", Header(response, "Content-Type"));
    }

    [Fact]
    public async Task Function_errors_timeouts_and_throttles_map_to_gateway_errors()
    {
        var clock = Clock();
        await using var host = new LocalLambdaHost(HostTest.Options(clock));
        host.AddFunction(HttpFunction("fails", (_, _) => throw new InvalidOperationException("kaput")));
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.AddFunction(HttpFunction("slow", async (_, context) =>
        {
            slowStarted.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
            return HttpApiResponse.Text(200, "never");
        }, timeout: TimeSpan.FromSeconds(3)));
        host.AddFunction(HttpFunction("closed", (_, _) => Task.FromResult(HttpApiResponse.Text(200, "never")), reserved: 0));
        host.AddFunction(RestFunction("restFails", (_, _) => throw new InvalidOperationException("kaput")));
        await using var gateway = await LocalApiGateway.StartAsync(
            [
                Http("h", Route("GET /fails", "fails"), Route("GET /slow", "slow"), Route("GET /closed", "closed"), Route("GET /ghost", "no-such-function")),
                Rest("r", Route("GET /fails", "restFails")),
            ],
            LocalApiGateway.InvokerFor(host), new LocalApiGatewayOptions { TimeProvider = clock });
        using var client = gateway.CreateClient("h");

        var (status, body, _) = await GetAsync(client, "fails");
        Assert.Equal(500, status);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", body);
        Assert.Contains("kaput", gateway.Requests[^1].Detail);

        // The function's own timeout (3 s) comes before the integration timeout (30 s): a function error.
        var slow = GetAsync(client, "slow");
        await slowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(3));
        (status, body, _) = await slow;
        Assert.Equal(500, status);
        Assert.Equal("{\"message\":\"Internal Server Error\"}", body);
        Assert.Contains("Sandbox.Timedout", gateway.Requests[^1].Detail);

        (status, body, _) = await GetAsync(client, "closed");
        Assert.Equal(503, status);
        Assert.Equal("{\"message\":\"Service Unavailable\"}", body);
        Assert.Contains("TooManyRequestsException", gateway.Requests[^1].Detail);

        (status, _, _) = await GetAsync(client, "ghost");
        Assert.Equal(500, status);
        Assert.Contains("ResourceNotFoundException", gateway.Requests[^1].Detail);

        using var rest = gateway.CreateClient("r");
        (status, body, _) = await GetAsync(rest, "fails");
        Assert.Equal(502, status);
        Assert.Equal("{\"message\": \"Internal server error\"}", body);
    }

    [Fact]
    public async Task Raw_handler_echoing_the_event_sees_exactly_what_the_gateway_sent()
    {
        var clock = Clock();
        await using var host = new LocalLambdaHost(HostTest.Options(clock));
        host.AddFunction(new LocalFunctionConfig
        {
            Name = "echo",
            Handler = LocalFunctionHandler.InProcessRaw("echo.Handler", _ => new RawHandler((payload, _) => Task.FromResult(payload))),
        });
        await using var gateway = await LocalApiGateway.StartAsync([Http("h", Route("ANY /{proxy+}", "echo"))],
            LocalApiGateway.InvokerFor(host), new LocalApiGatewayOptions { TimeProvider = clock });
        using var client = gateway.CreateClient("h");

        // The event has no statusCode, so API Gateway infers a 200 JSON response whose body is the event.
        for (var i = 0; i < 3; i++)
        {
            var (status, body, _) = await GetAsync(client, $"echo/{i}?n={i}");
            Assert.Equal(200, status);
            var e = System.Text.Json.JsonDocument.Parse(body).RootElement;
            Assert.Equal($"echo/{i}", e.Str("pathParameters", "proxy"));
            Assert.Equal(i.ToString(), e.Str("queryStringParameters", "n"));
        }

        Assert.Equal(3, host.GetInvocations("echo").Count);
        Assert.DoesNotContain(gateway.Requests, r => r.Outcome != LocalApiOutcome.Integration);
    }
}
