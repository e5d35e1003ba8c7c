using System.Net;
using System.Text;
using Lamina.Lambda.Client;
using Lamina.Local.RuntimeApi;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.RuntimeApi;

/// <summary>The local Runtime API driven by a bare HTTP client playing the runtime.</summary>
public sealed class LocalRuntimeApiServerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(RuntimeUnderTest.Start);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private LocalRuntimeApiServer _server = null!;
    private int _ids;

    public async Task InitializeAsync() =>
        _server = await LocalRuntimeApiServer.StartAsync(new LocalRuntimeApiOptions
        {
            TimeProvider = _clock,
            MaxResponseBytes = 64,
            RequestIdFactory = () => $"req-{Interlocked.Increment(ref _ids)}",
        });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private Uri Url(string path) => new(_server.BaseAddress, "/2018-06-01/runtime" + path);

    private Task<HttpResponseMessage> NextAsync() => _http.GetAsync(Url("/invocation/next"));

    private Task<HttpResponseMessage> PostAsync(string path, string body, string? errorType = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(path)) { Content = new StringContent(body) };
        if (errorType is not null)
        {
            request.Headers.Add(RuntimeApiHeaders.FunctionErrorType, errorType);
        }

        return _http.SendAsync(request);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, "condition not reached");
            await Task.Delay(5);
        }
    }

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));

    [Fact]
    public async Task Binds_an_ephemeral_port_on_the_loopback_address()
    {
        Assert.Equal("127.0.0.1", _server.BaseAddress.Host);
        Assert.NotEqual(0, _server.BaseAddress.Port);
        Assert.Equal($"127.0.0.1:{_server.BaseAddress.Port}", _server.RuntimeApiAddress);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Next_hands_out_the_payload_with_the_invocation_headers_in_queue_order()
    {
        var first = _server.InvokeAsync("""{"n":1}"""u8.ToArray(), new InvocationOptions { Timeout = TimeSpan.FromSeconds(10), TraceId = "Root=1-abc" });
        var second = _server.InvokeAsync("""{"n":2}"""u8.ToArray(), new InvocationOptions
        {
            Deadline = RuntimeUnderTest.Start.AddMinutes(1), FunctionArn = "arn:aws:lambda:eu-west-1:1:function:f:prod",
        });

        using var one = await NextAsync();
        using var two = await NextAsync();

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("""{"n":1}""", await one.Content.ReadAsStringAsync());
        Assert.Equal("req-1", Header(one, RuntimeApiHeaders.AwsRequestId));
        Assert.Equal(RuntimeUnderTest.Start.AddSeconds(10).ToUnixTimeMilliseconds().ToString(), Header(one, RuntimeApiHeaders.DeadlineMs));
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:local", Header(one, RuntimeApiHeaders.InvokedFunctionArn));
        Assert.Equal("Root=1-abc", Header(one, RuntimeApiHeaders.TraceId));
        Assert.False(one.Headers.Contains(RuntimeApiHeaders.ClientContext));
        Assert.Equal("application/json", one.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"n":2}""", await two.Content.ReadAsStringAsync());
        Assert.Equal(RuntimeUnderTest.Start.AddMinutes(1).ToUnixTimeMilliseconds().ToString(), Header(two, RuntimeApiHeaders.DeadlineMs));
        Assert.Equal("arn:aws:lambda:eu-west-1:1:function:f:prod", Header(two, RuntimeApiHeaders.InvokedFunctionArn));

        using var answer = await PostAsync("/invocation/req-2/response", "\"two\"");
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("\"two\"", (await second.WaitAsync(TimeSpan.FromSeconds(20))).PayloadText);
        Assert.False(first.IsCompleted);
    }

    [Fact]
    public async Task With_no_answer_by_the_deadline_the_invocation_times_out_with_lambdas_message()
    {
        var invocation = _server.InvokeAsync("{}"u8.ToArray(), new InvocationOptions { Timeout = TimeSpan.FromMilliseconds(2500) });
        using var next = await NextAsync();

        _clock.Advance(TimeSpan.FromMilliseconds(2499));
        Assert.False(invocation.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await invocation.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(InvocationOutcome.TimedOut, result.Outcome);
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("RequestId: req-1 Error: Task timed out after 2.50 seconds", result.Error!.ErrorMessage);
        using var late = await PostAsync("/invocation/req-1/response", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("InvalidRequestID", await late.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_timeout_clock_starts_when_the_runtime_takes_the_invocation()
    {
        var invocation = _server.InvokeAsync("{}"u8.ToArray(), new InvocationOptions { Timeout = TimeSpan.FromSeconds(1) });
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(invocation.IsCompleted);

        using var next = await NextAsync();

        Assert.Equal(RuntimeUnderTest.Start.AddMinutes(5).AddSeconds(1).ToUnixTimeMilliseconds().ToString(), Header(next, RuntimeApiHeaders.DeadlineMs));
    }

    [Fact]
    public async Task Posting_for_an_unknown_request_id_is_rejected()
    {
        using var response = await PostAsync("/invocation/nope/response", "{}");
        using var error = await PostAsync("/invocation/nope/error", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task An_error_body_that_is_not_json_keeps_the_header_type_and_the_raw_text()
    {
        var invocation = _server.InvokeAsync("{}"u8.ToArray());
        using var next = await NextAsync();

        using var posted = await PostAsync("/invocation/req-1/error", "segfault", "Runtime.ExitError");
        var result = await invocation.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal("Runtime.ExitError", result.Error!.ErrorType);
        Assert.Equal("segfault", result.Error.ErrorMessage);
    }

    [Fact]
    public async Task A_response_over_the_limit_is_refused_and_fails_the_invocation()
    {
        var invocation = _server.InvokeAsync("{}"u8.ToArray());
        using var next = await NextAsync();

        using var posted = await PostAsync("/invocation/req-1/response", "\"" + new string('x', 80) + "\"");
        var result = await invocation.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, posted.StatusCode);
        Assert.Equal(InvocationOutcome.ResponseTooLarge, result.Outcome);
        Assert.Equal("Function.ResponseSizeTooLarge", result.Error!.ErrorType);
    }

    [Fact]
    public async Task A_cancelled_invocation_is_never_handed_out()
    {
        using var cancel = new CancellationTokenSource();
        var abandoned = _server.InvokeAsync("""{"n":1}"""u8.ToArray(), cancellationToken: cancel.Token);
        var kept = _server.InvokeAsync("""{"n":2}"""u8.ToArray());

        await cancel.CancelAsync();
        using var next = await NextAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal("req-2", Header(next, RuntimeApiHeaders.AwsRequestId));
        Assert.Equal(1, _server.PendingCount);
        Assert.False(kept.IsCompleted);
    }

    [Fact]
    public async Task An_init_error_fails_pending_invocations_until_reset()
    {
        var pending = _server.InvokeAsync("{}"u8.ToArray());

        using var posted = await PostAsync("/init/error", """{"errorType":"Runtime.HandlerNotFound","errorMessage":"x"}""", "Runtime.HandlerNotFound");
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(InvocationOutcome.InitError, result.Outcome);
        Assert.Equal("Runtime.HandlerNotFound", _server.InitError!.ErrorType);
        Assert.Equal(InvocationOutcome.InitError, (await _server.InvokeAsync("{}"u8.ToArray())).Outcome);

        _server.ResetInitError();
        var fresh = _server.InvokeAsync("{}"u8.ToArray());
        using var next = await NextAsync();
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.False(fresh.IsCompleted);
        Assert.Null(_server.InitError);
    }

    [Fact]
    public async Task Disposing_cancels_pending_invocations_and_releases_waiting_runtimes()
    {
        var pending = _server.InvokeAsync("{}"u8.ToArray(), new InvocationOptions { Timeout = TimeSpan.FromSeconds(1) });
        using var first = await NextAsync();
        var waiting = NextAsync();
        await WaitUntil(() => _server.WaitingPollCount == 1);

        await _server.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        using var released = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, released.StatusCode);
        Assert.Throws<ObjectDisposedException>(() => { _ = _server.InvokeAsync("{}"u8.ToArray()); });
    }
}
