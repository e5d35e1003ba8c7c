using System.Net;
using System.Net.Sockets;
using System.Net.NetworkInformation;
using System.Text;
using Lamina.Local.Api;
using Lamina.Local.Lambda;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

public sealed class ErrorMappingTests
{
    public static TheoryData<string, int, string, string?, LocalApiOutcome> LambdaFailures() => new()
    {
        { "function-error", 500, "{\"message\":\"Internal Server Error\"}", null, LocalApiOutcome.FunctionError },
        { "throttled", 503, "{\"message\":\"Service Unavailable\"}", null, LocalApiOutcome.LambdaServiceError },
        { "unknown", 500, "{\"message\":\"Internal Server Error\"}", null, LocalApiOutcome.LambdaServiceError },
        { "too-large", 413, "{\"message\":\"Request Entity Too Large\"}", null, LocalApiOutcome.LambdaServiceError },
        { "throws", 500, "{\"message\":\"Internal Server Error\"}", null, LocalApiOutcome.GatewayError },
    };

    public static TheoryData<string, int, string, string?, LocalApiOutcome> RestLambdaFailures() => new()
    {
        { "function-error", 502, "{\"message\": \"Internal server error\"}", "InternalServerErrorException", LocalApiOutcome.FunctionError },
        { "throttled", 500, "{\"message\": \"Internal server error\"}", "InternalServerErrorException", LocalApiOutcome.LambdaServiceError },
        { "unknown", 500, "{\"message\": \"Internal server error\"}", "InternalServerErrorException", LocalApiOutcome.LambdaServiceError },
        { "throws", 500, "{\"message\": \"Internal server error\"}", "InternalServerErrorException", LocalApiOutcome.GatewayError },
    };

    private static FakeFunctions Failing()
    {
        var functions = new FakeFunctions();
        functions.Answer("function-error", _ => Task.FromResult(Failed("InvalidOperationException", "boom")));
        functions.Answer("throttled", _ => Task.FromResult(ServiceError(429, "TooManyRequestsException", "Rate Exceeded.")));
        functions.Answer("unknown", _ => Task.FromResult(ServiceError(404, "ResourceNotFoundException", "Function not found")));
        functions.Answer("too-large", _ => Task.FromResult(ServiceError(413, "RequestTooLargeException", "Request must be smaller")));
        functions.Answer("throws", _ => throw new InvalidOperationException("invoker broke"));
        return functions;
    }

    [Theory]
    [MemberData(nameof(LambdaFailures))]
    public async Task Http_api_maps_lambda_failures(string function, int status, string body, string? errorType, LocalApiOutcome outcome)
    {
        await AssertMappingAsync(LocalApiKind.HttpApi, function, status, body, errorType, outcome);
    }

    [Theory]
    [MemberData(nameof(RestLambdaFailures))]
    public async Task Rest_api_maps_lambda_failures(string function, int status, string body, string? errorType, LocalApiOutcome outcome)
    {
        await AssertMappingAsync(LocalApiKind.RestApi, function, status, body, errorType, outcome);
    }

    private static async Task AssertMappingAsync(LocalApiKind kind, string function, int status, string body, string? errorType, LocalApiOutcome outcome)
    {
        var functions = Failing();
        var api = new LocalApiDefinition { Name = "api", Kind = kind, Routes = [Route("GET /x", function)] };
        await using var gateway = await StartAsync(functions, Clock(), api);
        using var client = gateway.CreateClient("api");
        var (actualStatus, actualBody, response) = await GetAsync(client, "x");
        Assert.Equal(status, actualStatus);
        Assert.Equal(body, actualBody);
        Assert.Equal("application/json", Header(response, "Content-Type"));
        if (errorType is not null)
        {
            Assert.Equal(errorType, Header(response, "x-amzn-ErrorType"));
        }

        var record = Assert.Single(gateway.Requests);
        Assert.Equal(outcome, record.Outcome);
        Assert.Equal(status, record.StatusCode);
        Assert.Equal("GET /x", record.RouteKey);
        if (function == "function-error")
        {
            Assert.Equal("InvalidOperationException: boom", record.Detail);
            Assert.Equal(function, record.FunctionName);
        }
    }

    [Theory]
    [InlineData(LocalApiKind.HttpApi, 503, "{\"message\":\"Service Unavailable\"}")]
    [InlineData(LocalApiKind.RestApi, 504, "{\"message\": \"Endpoint request timed out\"}")]
    public async Task A_function_that_never_answers_hits_the_integration_timeout_and_the_gateway_keeps_serving(LocalApiKind kind, int status, string body)
    {
        var clock = Clock();
        var functions = new FakeFunctions();
        var never = new TaskCompletionSource<LocalInvokeResult>();
        functions.Answer("hang", _ => never.Task);
        functions.Answer("fast", """{"statusCode":200,"body":"fast"}""");
        var api = new LocalApiDefinition
        {
            Name = "api",
            Kind = kind,
            Routes = [Route("GET /hang", "hang"), Route("GET /fast", "fast")],
            IntegrationTimeout = TimeSpan.FromSeconds(5),
        };
        await using var gateway = await StartAsync(functions, clock, api);
        using var client = gateway.CreateClient("api");
        var pending = GetAsync(client, "hang");
        await HostTestWait.UntilAsync(() => functions.Calls.Any(c => c.Function == "hang"));

        // While one request waits, others are served.
        var (fastStatus, fastBody, _) = await GetAsync(client, "fast");
        Assert.Equal(200, fastStatus);
        Assert.Equal("fast", fastBody);
        Assert.False(pending.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var (actualStatus, actualBody, _) = await pending;
        Assert.Equal(status, actualStatus);
        Assert.Equal(body, actualBody);
        Assert.Contains(gateway.Requests, r => r.Outcome == LocalApiOutcome.IntegrationTimeout && r.FunctionName == "hang");

        (fastStatus, _, _) = await GetAsync(client, "fast");
        Assert.Equal(200, fastStatus);
    }

    [Fact]
    public async Task Bodies_over_10_MB_get_413_and_10_MB_pass()
    {
        var functions = new FakeFunctions();
        functions.Default = (_, e) => Task.FromResult(Ok($$"""{"statusCode":200,"body":"{{e.Str("body").Length}}"}"""));
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("POST /up", "f")), Rest("r", Route("POST /up", "g")));
        const int limit = 10 * 1024 * 1024;
        foreach (var (api, tooLong) in new[] { ("h", "{\"message\":\"Request Too Long\"}"), ("r", "{\"message\":\"Request Too Long\"}") })
        {
            using var client = gateway.CreateClient(api);
            var exact = new ByteArrayContent(Encoding.ASCII.GetBytes(new string('a', limit)));
            exact.Headers.ContentType = new("text/plain");
            var (status, body, _) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "up") { Content = exact });
            Assert.Equal(200, status);
            Assert.Equal(limit.ToString(), body);

            var over = new ByteArrayContent(new byte[limit + 1]);
            (status, body, _) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "up") { Content = over });
            Assert.Equal(413, status);
            Assert.Equal(tooLong, body);
        }

        Assert.Equal(2, functions.Calls.Count);
    }

    [Fact]
    public async Task Chunked_bodies_over_the_limit_get_413()
    {
        var functions = new FakeFunctions();
        await using var gateway = await LocalApiGateway.StartAsync([Http("h", Route("POST /up", "f"))], functions.Invoker,
            new LocalApiGatewayOptions { TimeProvider = Clock(), MaxRequestBodyBytes = 1000 });
        using var client = gateway.CreateClient("h");
        var small = new StreamContent(new MemoryStream(new byte[1000]));
        var (status, _, _) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, "up") { Content = small });
        Assert.Equal(200, status);

        var request = new HttpRequestMessage(HttpMethod.Post, "up") { Content = new StreamContent(new MemoryStream(new byte[5000])) };
        request.Headers.TransferEncodingChunked = true;
        string body;
        (status, body, _) = await SendAsync(client, request);
        Assert.Equal(413, status);
        Assert.Equal("{\"message\":\"Request Too Long\"}", body);
        Assert.Single(functions.Calls);
    }

    [Fact]
    public async Task Stage_throttling_answers_429_beyond_the_bucket()
    {
        var clock = Clock();
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, clock,
            Http("h", Route("GET /x", "f")) with { ThrottlingRateLimit = 1, ThrottlingBurstLimit = 2 },
            Rest("r", Route("GET /x", "f")) with { ThrottlingRateLimit = 1, ThrottlingBurstLimit = 1 });
        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await GetAsync(client, "x")).Status);
        Assert.Equal(200, (await GetAsync(client, "x")).Status);
        var (status, body, _) = await GetAsync(client, "x");
        Assert.Equal(429, status);
        Assert.Equal("{\"message\":\"Too Many Requests\"}", body);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await GetAsync(client, "x")).Status);

        using var rest = gateway.CreateClient("r");
        Assert.Equal(200, (await GetAsync(rest, "x")).Status);
        var (restStatus, _, response) = await GetAsync(rest, "x");
        Assert.Equal(429, restStatus);
        Assert.Equal("TooManyRequestsException", Header(response, "x-amzn-ErrorType"));
        Assert.Contains(gateway.Requests, r => r.Outcome == LocalApiOutcome.Throttled);
    }

    [Theory]
    [InlineData(LocalApiKind.HttpApi, "{\"message\":\"Forbidden\"}")]
    [InlineData(LocalApiKind.RestApi, "{\"message\":\"Missing Authentication Token\"}")]
    public async Task Iam_routes_refuse_unsigned_requests_and_accept_signed_ones_unverified(LocalApiKind kind, string refused)
    {
        var functions = new FakeFunctions();
        var api = new LocalApiDefinition { Name = "api", Kind = kind, Routes = [Route("GET /private", "f", authorization: LocalRouteAuthorization.Iam)] };
        await using var gateway = await StartAsync(functions, Clock(), api);
        using var client = gateway.CreateClient("api");
        var (status, body, _) = await GetAsync(client, "private");
        Assert.Equal(403, status);
        Assert.Equal(refused, body);
        Assert.Empty(functions.Calls);

        var signed = new HttpRequestMessage(HttpMethod.Get, "private");
        signed.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd");
        (status, _, _) = await SendAsync(client, signed);
        Assert.Equal(200, status);
        var e = functions.LastEvent();
        if (kind == LocalApiKind.HttpApi)
        {
            Assert.Equal("AKIDEXAMPLE", e.Str("requestContext", "authorizer", "iam", "accessKey"));
            Assert.Equal("123456789012", e.Str("requestContext", "authorizer", "iam", "accountId"));
        }
        else
        {
            Assert.Equal("AKIDEXAMPLE", e.Str("requestContext", "identity", "accessKey"));
        }

        (status, _, _) = await GetAsync(client, "private?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQUERY%2F20261127%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Signature=ab");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Malformed_http_gets_400_from_kestrel_and_the_server_keeps_serving()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("GET /ok", "f")));
        var baseUrl = gateway.GetBaseUrl("h");
        var answer = await RawHttp.SendAsync(baseUrl, "GET /ok HTTP/1.1\r\nHost: {host}\r\nThis header has no colon\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", answer);
        answer = await RawHttp.SendAsync(baseUrl, "THIS IS NOT HTTP\r\n\r\n");
        Assert.Matches("^HTTP/1.1 (400|505) ", answer);
        answer = await RawHttp.SendAsync(baseUrl, "GET /ok HTTP/1.1\r\nHost: {host}\r\nContent-Length: abc\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", answer);

        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await GetAsync(client, "ok")).Status);
    }

    [Fact]
    public async Task Listeners_are_bound_to_loopback_only()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("a", Route("GET /x", "f")), Rest("b", Route("GET /x", "f")));
        Assert.Equal(2, gateway.Endpoints.Count);
        foreach (var endpoint in gateway.Endpoints)
        {
            Assert.Equal("127.0.0.1", endpoint.BaseUrl.Host);
            var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Where(l => l.Port == endpoint.BaseUrl.Port).ToList();
            Assert.NotEmpty(listeners);
            Assert.All(listeners, l => Assert.Equal(IPAddress.Loopback, l.Address));
        }

        Assert.NotEqual(gateway.Endpoints[0].BaseUrl.Port, gateway.Endpoints[1].BaseUrl.Port);
        Assert.Equal("http://127.0.0.1:" + gateway.Endpoints[0].BaseUrl.Port + "/", gateway.GetBaseUrl("a").ToString());
        Assert.Equal("http://127.0.0.1:" + gateway.Endpoints[1].BaseUrl.Port + "/Prod/", gateway.GetBaseUrl("b").ToString());
    }

    [Fact]
    public async Task First_port_option_assigns_consecutive_ports()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var functions = new FakeFunctions();
        LocalApiGateway gateway;
        try
        {
            gateway = await LocalApiGateway.StartAsync([Http("a", Route("GET /x", "f"))], functions.Invoker,
                new LocalApiGatewayOptions { TimeProvider = Clock(), FirstPort = port });
        }
        catch (IOException)
        {
            return; // another process took the port between the probe and the start
        }

        await using (gateway)
        {
            Assert.Equal(port, gateway.GetBaseUrl("a").Port);
        }
    }

    [Fact]
    public async Task Records_and_the_completion_event_describe_each_request()
    {
        var functions = new FakeFunctions();
        await using var gateway = await StartAsync(functions, Clock(), Http("h", Route("GET /orders/{id}", "getOrder")));
        var seen = new List<LocalApiRequestRecord>();
        gateway.RequestCompleted += record =>
        {
            lock (seen)
            {
                seen.Add(record);
            }
        };
        gateway.RequestCompleted += _ => throw new InvalidOperationException("a broken log handler");
        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await GetAsync(client, "orders/1?full=true")).Status);
        Assert.Equal(404, (await GetAsync(client, "nope")).Status);

        var records = gateway.Requests;
        Assert.Equal(2, records.Count);
        Assert.Equal(records, seen);
        Assert.Equal("h", records[0].ApiName);
        Assert.Equal("GET", records[0].Method);
        Assert.Equal("/orders/1", records[0].Path);
        Assert.Equal("full=true", records[0].QueryString);
        Assert.Equal("GET /orders/{id}", records[0].RouteKey);
        Assert.Equal("getOrder", records[0].FunctionName);
        Assert.Equal(LocalApiOutcome.Integration, records[0].Outcome);
        Assert.Equal(Start, records[0].StartTime);
        Assert.Equal(LocalApiOutcome.NoRoute, records[1].Outcome);
        Assert.Null(records[1].RouteKey);
        Assert.Null(records[1].FunctionName);
        Assert.Equal(404, records[1].StatusCode);
    }

    [Fact]
    public async Task Invalid_definitions_are_refused_at_start()
    {
        var functions = new FakeFunctions();
        async Task Refused(string expected, params LocalApiDefinition[] apis)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => LocalApiGateway.StartAsync(apis, functions.Invoker));
            Assert.Contains(expected, error.Message);
        }

        await Refused("matches the same requests", Http("h", Route("GET /a/{id}", "f"), Route("GET /a/{key}", "g")));
        await Refused("no JwtAuthorizer", Http("h", Route("GET /a", "f", authorization: LocalRouteAuthorization.Jwt)));
        await Refused("no '$default' route", Rest("r", Route("$default", "f")));
        await Refused("is invalid", Http("h", Route("FETCH /a", "f")));
        await Refused("is invalid", Http("h", Route("GET /{proxy+}/x", "f")));
        await Refused("is invalid", Http("h", Route("GET a", "f")));
        await Refused("Two APIs are named 'h'", Http("h", Route("GET /a", "f")), Http("h", Route("GET /b", "f")));
        await Refused("REST APIs support None and Iam", Rest("r", Route("GET /a", "f", authorization: LocalRouteAuthorization.Jwt)) with
        {
            JwtAuthorizer = new LocalJwtAuthorizer { Issuer = "https://i", Audiences = ["a"] },
        });

        await using var empty = await LocalApiGateway.StartAsync([], functions.Invoker);
        Assert.Empty(empty.Endpoints);
        Assert.Throws<ArgumentException>(() => empty.GetBaseUrl("x"));
    }
}

/// <summary>Waits in real time for another thread.</summary>
public static class HostTestWait
{
    public static async Task UntilAsync(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "timed out waiting");
            await Task.Delay(5);
        }
    }
}
