using System.Net;
using System.Text;
using Lamina.Lambda.Invoke;
using Lamina.Local.Lambda;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Lambda;

/// <summary>The host's local Invoke API, reached with Lamina.Lambda's <see cref="LambdaInvokeClient"/>.</summary>
public sealed class InvokeEndpointTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(HostTest.Start);
    private readonly HttpClient _http = new() { Timeout = HostTest.Patience };
    private LocalLambdaHost _host = null!;

    public async Task InitializeAsync() => _host = await LocalLambdaHost.StartAsync(HostTest.Options(_clock));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _http.Dispose();
    }

    private LambdaInvokeClient Client() =>
        new(_http, new LambdaInvokeClientOptions { Endpoint = _host.InvokeEndpoint!, Region = "us-east-1" });

    [Fact]
    public async Task A_function_invokes_another_synchronously_and_asynchronously_through_AWS_ENDPOINT_URL_LAMBDA()
    {
        _host.AddFunction(HostTest.Function("billing", HostTest.Answer));
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "orders",
            Timeout = TimeSpan.FromSeconds(30),
            Environment = new Dictionary<string, string> { ["BILLING_FUNCTION"] = "billing" },
            Handler = LocalFunctionHandler.InProcess("Orders", init =>
            {
                // What a Lamina handler does with the target name its construct passes; the in-process instance's
                // environment carries AWS_ENDPOINT_URL_LAMBDA, the region and the (fake) credentials.
                var billing = LambdaInvokeClient.FromEnvironment("BILLING_FUNCTION", environment: init.Environment, timeProvider: init.TimeProvider);
                return new FuncHandler<Ping, string>(async (ping, context) =>
                {
                    var sync = await billing.InvokeTargetAsync(new Ping("order " + ping.Name), HostJson.Default.Ping, HostJson.Default.Pong,
                        context.CancellationToken);
                    var queued = await billing.InvokeTargetAsync(new Ping("async " + ping.Name), HostJson.Default.Ping, InvocationType.Event,
                        context.CancellationToken);
                    return string.Join("|", (int)sync.StatusCode, sync.Result!.Message, sync.ExecutedVersion, sync.RequestId,
                        (int)queued.StatusCode, queued.RequestId, billing.Options.Credentials?.AccessKeyId);
                });
            }, HostJson.Default.Ping, HostJson.Default.String),
        });

        var result = await _host.InvokeAsync("orders", HostTest.PingJson("42")).Within();

        Assert.Null(result.Error?.ErrorMessage);
        var parts = System.Text.Json.JsonSerializer.Deserialize(result.Payload.Span, HostJson.Default.String)!.Split('|');
        Assert.Equal(["200", "Hello, order 42!", "$LATEST"], parts[..3]);
        Assert.Equal("202", parts[4]);
        Assert.Equal("ASIALOCALLAMINA00000", parts[6]);
        var asyncInvocation = _host.GetAsyncInvocation(parts[5])!;
        Assert.Equal(LocalAsyncInvocationState.Succeeded, await asyncInvocation.Settled.Within());

        var billingRecords = _host.GetInvocations("billing");
        Assert.Equal(2, billingRecords.Count);
        var syncRecord = Assert.Single(billingRecords, r => r.InvocationType == InvocationType.RequestResponse);
        Assert.Equal(parts[3], syncRecord.RequestId);
        Assert.Equal(parts[5], Assert.Single(billingRecords, r => r.InvocationType == InvocationType.Event).RequestId);
    }

    [Fact]
    public async Task Service_errors_come_back_as_LambdaServiceException_with_Lambdas_codes()
    {
        _host.AddFunction(HostTest.Function("off", HostTest.Answer, reserved: 0));
        var client = Client();

        var missing = await Assert.ThrowsAsync<LambdaServiceException>(() => client.InvokeAsync("ghost", "{}"));
        var throttled = await Assert.ThrowsAsync<LambdaServiceException>(() => client.InvokeAsync("off", "{}"));
        var badJson = await Assert.ThrowsAsync<LambdaServiceException>(() => client.InvokeAsync("off", "{oops"));

        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost"),
            (missing.StatusCode, missing.ErrorCode, missing.ServiceMessage));
        Assert.Matches("^[0-9a-f-]{36}$", missing.RequestId);
        Assert.Equal((HttpStatusCode.TooManyRequests, "TooManyRequestsException", "Rate Exceeded."),
            (throttled.StatusCode, throttled.ErrorCode, throttled.ServiceMessage));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequestContentException"), (badJson.StatusCode, badJson.ErrorCode));
    }

    [Fact]
    public async Task Function_errors_dry_runs_and_events_answer_with_Lambdas_statuses_and_headers()
    {
        _host.AddFunction(HostTest.Function("picky", (ping, context) =>
            ping.Mode == "fail" ? throw new ArgumentException("bad name") : HostTest.Answer(ping, context)));
        var client = Client();

        var failed = await client.InvokeAsync("picky", """{"name":"x","mode":"fail"}""");
        var dryRun = await client.InvokeAsync("picky", """{"name":"x"}""", InvocationType.DryRun);
        var queued = await client.InvokeAsync("picky", """{"name":"x"}""", InvocationType.Event);
        var byArn = await client.InvokeAsync("arn:aws:lambda:us-east-1:000000000000:function:picky", """{"name":"arn"}""");

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal(("ArgumentException", "bad name"), (failed.Error!.ErrorType, failed.Error.ErrorMessage));
        Assert.Equal(HttpStatusCode.NoContent, dryRun.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.True(queued.Payload.IsEmpty);
        Assert.Equal(LocalAsyncInvocationState.Succeeded, await _host.GetAsyncInvocation(queued.RequestId!)!.Settled.Within());
        Assert.Equal("Hello, arn!", System.Text.Json.JsonSerializer.Deserialize(byArn.Payload.Span, HostJson.Default.Pong)!.Message);
    }

    [Fact]
    public async Task The_log_tail_and_bad_invocation_types_are_handled_on_the_wire()
    {
        _host.AddFunction(HostTest.Function("logger", (ping, context) =>
        {
            context.Logger.LogInformation($"tail me {ping.Name}");
            return HostTest.Answer(ping, context);
        }));
        var url = new Uri(_host.InvokeEndpoint!, "/2015-03-31/functions/logger/invocations");

        using var tailRequest = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("""{"name":"Ada"}""", Encoding.UTF8, "application/json") };
        tailRequest.Headers.Add("X-Amz-Log-Type", "Tail");
        using var tail = await _http.SendAsync(tailRequest);
        using var badRequest = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{}") };
        badRequest.Headers.Add("X-Amz-Invocation-Type", "Later");
        using var bad = await _http.SendAsync(badRequest);

        Assert.Equal(HttpStatusCode.OK, tail.StatusCode);
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(string.Join("", tail.Headers.GetValues("X-Amz-Log-Result"))));
        Assert.Contains("\"message\":\"tail me Ada\"", log, StringComparison.Ordinal);
        Assert.Equal("$LATEST", string.Join("", tail.Headers.GetValues("X-Amz-Executed-Version")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("ValidationException", string.Join("", bad.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Contains("Member must satisfy enum value set: [Event, RequestResponse, DryRun]", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
