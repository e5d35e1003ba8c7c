using System.Text.Json;
using Lamina.Lambda;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Local.RuntimeApi;

namespace Lamina.Local.Tests.RuntimeApi;

/// <summary><see cref="LambdaRuntime"/> run in-process against <see cref="LocalRuntimeApiServer"/> over real HTTP.</summary>
public sealed class RuntimeLoopTests
{
    private static void Register(LambdaHandlerRegistry handlers) => handlers
        .Add<Greeter, GreetRequest, GreetResponse>("Greeter", TestJson.Default.GreetRequest, TestJson.Default.GreetResponse)
        .Add<Thrower, GreetRequest, GreetResponse>("Thrower", TestJson.Default.GreetRequest, TestJson.Default.GreetResponse);

    [Fact]
    public async Task Serves_an_invocation_with_the_context_built_from_environment_and_headers()
    {
        await using var test = await RuntimeUnderTest.StartAsync(Register, "Greeter");
        const string trace = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";

        var result = await test.InvokeAsync("""{"name":"Ada"}""", new InvocationOptions
        {
            Timeout = TimeSpan.FromSeconds(30),
            FunctionArn = "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live",
            TraceId = trace,
            ClientContext = """{"client":{"app_title":"shop"}}""",
            CognitoIdentity = """{"cognitoIdentityId":"eu-west-1:abc"}""",
        });

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        Assert.Null(result.FunctionError);
        var response = JsonSerializer.Deserialize(result.Payload.Span, TestJson.Default.GreetResponse)!;
        Assert.Equal("Hello, Ada!", response.Message);
        Assert.Equal(result.RequestId, response.RequestId);
        Assert.Equal("orders-api", response.FunctionName);
        Assert.Equal("7", response.FunctionVersion);
        Assert.Equal(512, response.MemoryLimitInMB);
        Assert.Equal("/aws/lambda/orders-api", response.LogGroupName);
        Assert.Equal("arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live", response.InvokedFunctionArn);
        Assert.Equal(trace, response.TraceId);
        Assert.Equal("""{"client":{"app_title":"shop"}}""", response.ClientContext);
        Assert.Equal("""{"cognitoIdentityId":"eu-west-1:abc"}""", response.CognitoIdentity);
        Assert.Equal(30.0, response.RemainingSeconds);
        Assert.Equal(RuntimeUnderTest.Start.AddSeconds(30).ToUnixTimeMilliseconds(), response.DeadlineMs);
        Assert.Equal(trace, test.Environment.Get("_X_AMZN_TRACE_ID"));
    }

    [Fact]
    public async Task A_handler_exception_becomes_an_invocation_error_and_the_runtime_keeps_serving()
    {
        await using var test = await RuntimeUnderTest.StartAsync(Register, "Thrower");

        var first = await test.InvokeAsync("""{"name":"Bob"}""");
        var second = await test.InvokeAsync("""{"name":"Eve"}""");

        Assert.Equal(InvocationOutcome.FunctionError, first.Outcome);
        Assert.Equal("Unhandled", first.FunctionError);
        Assert.Equal("InvalidOperationException", first.Error!.ErrorType);
        Assert.Equal("no greeting for Bob", first.Error.ErrorMessage);
        Assert.Contains(first.Error.StackTrace, frame => frame.Contains("Thrower.HandleAsync", StringComparison.Ordinal));
        Assert.Equal("InvalidOperationException", first.RuntimeErrorTypeHeader);
        using (var document = JsonDocument.Parse(first.Payload))
        {
            Assert.Equal(["errorType", "errorMessage", "stackTrace"], document.RootElement.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal("no greeting for Eve", second.Error!.ErrorMessage);
        Assert.Contains(test.Log.Lines, line => line.Contains("\"level\":\"ERROR\"") && line.Contains("no greeting for Bob"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"name":42}""")]
    [InlineData("")]
    public async Task A_payload_that_is_not_the_event_type_is_a_serialization_error(string payload)
    {
        await using var test = await RuntimeUnderTest.StartAsync(Register, "Greeter");

        var result = await test.InvokeAsync(payload);
        var after = await test.InvokeAsync("""{"name":"Ada"}""");

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal(LambdaErrorTypes.Serialization, result.Error!.ErrorType);
        Assert.Equal("JsonSerializerException", result.Error.ErrorType);
        Assert.StartsWith(
            $"Error converting the Lambda event JSON payload to type {typeof(GreetRequest).FullName}: ",
            result.Error.ErrorMessage);
        Assert.True(after.IsSuccess);
    }

    [Fact]
    public async Task An_unknown_HANDLER_is_an_init_error_listing_the_registered_handlers()
    {
        await using var test = await RuntimeUnderTest.StartServerAsync();
        test.Environment.Set("_HANDLER", "Nope");
        var queuedBeforeStart = test.InvokeAsync("""{"name":"Ada"}""");

        test.StartRuntime(Register, []);
        var initError = await RuntimeUnderTest.Within(test.Server.InitErrorReported);

        Assert.Equal(LambdaErrorTypes.HandlerNotFound, initError.ErrorType);
        Assert.Contains("'Nope'", initError.ErrorMessage);
        Assert.Contains("Greeter, Thrower", initError.ErrorMessage);
        Assert.Equal(LambdaRuntime.ExitCodeInitError, await RuntimeUnderTest.Within(test.Run));
        var queued = await queuedBeforeStart;
        Assert.Equal(InvocationOutcome.InitError, queued.Outcome);
        Assert.Equal(LambdaErrorTypes.HandlerNotFound, queued.Error!.ErrorType);
        var later = await test.InvokeAsync("{}");
        Assert.Equal(InvocationOutcome.InitError, later.Outcome);
        Assert.Contains(test.Log.Lines, line => line.Contains("\"level\":\"FATAL\"") && line.Contains("Runtime.HandlerNotFound"));
    }

    [Fact]
    public async Task A_handler_factory_that_throws_is_an_init_error_named_after_the_exception()
    {
        await using var test = await RuntimeUnderTest.StartAsync(
            handlers => handlers.Add<GreetRequest, GreetResponse>("Broken",
                () => throw new FileNotFoundException("settings.json missing"),
                TestJson.Default.GreetRequest, TestJson.Default.GreetResponse),
            "Broken");

        var initError = await RuntimeUnderTest.Within(test.Server.InitErrorReported);

        Assert.Equal("FileNotFoundException", initError.ErrorType);
        Assert.Equal("settings.json missing", initError.ErrorMessage);
        Assert.Equal(LambdaRuntime.ExitCodeInitError, await RuntimeUnderTest.Within(test.Run));
    }

    [Fact]
    public async Task At_the_deadline_the_handler_is_cancelled_the_invocation_times_out_and_the_runtime_keeps_serving()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var test = await RuntimeUnderTest.StartAsync(
            handlers => handlers.Add("Sleeper", () => new Sleeper(started, cancelled, stubborn: false),
                TestJson.Default.GreetRequest, TestJson.Default.String),
            "Sleeper");

        var slow = test.InvokeAsync("""{"name":"slow"}""", new InvocationOptions { Timeout = TimeSpan.FromSeconds(3) });
        await RuntimeUnderTest.Within(started.Task);
        test.ServerClock.Advance(TimeSpan.FromSeconds(3));
        var result = await slow;
        await RuntimeUnderTest.Within(cancelled.Task);
        var next = await test.InvokeAsync("""{"name":"Ada"}""");

        Assert.Equal(InvocationOutcome.TimedOut, result.Outcome);
        Assert.Equal("Sandbox.Timedout", result.Error!.ErrorType);
        Assert.Equal($"RequestId: {result.RequestId} Error: Task timed out after 3.00 seconds", result.Error.ErrorMessage);
        Assert.Equal($$"""{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: {{result.RequestId}} Error: Task timed out after 3.00 seconds"}""",
            result.PayloadText);
        Assert.True(next.IsSuccess);
        Assert.Equal("\"quick Ada\"", next.PayloadText);
    }

    [Fact]
    public async Task The_runtime_itself_reports_the_timeout_even_when_the_handler_ignores_cancellation()
    {
        // Separate clocks: only the runtime's clock passes the deadline, so the error comes from the runtime,
        // not from the server's own timeout.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var test = await RuntimeUnderTest.StartAsync(
            handlers => handlers.Add("Sleeper", () => new Sleeper(started, new TaskCompletionSource(), stubborn: true),
                TestJson.Default.GreetRequest, TestJson.Default.String),
            "Sleeper", separateRuntimeClock: true);

        var slow = test.InvokeAsync("""{"name":"slow"}""", new InvocationOptions { Timeout = TimeSpan.FromSeconds(2) });
        await RuntimeUnderTest.Within(started.Task);
        test.RuntimeClock.Advance(TimeSpan.FromSeconds(2));
        var result = await slow;
        var next = await test.InvokeAsync("""{"name":"Ada"}""");

        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal(LambdaErrorTypes.Timeout, result.Error!.ErrorType);
        Assert.Equal(LambdaErrorTypes.Timeout, result.RuntimeErrorTypeHeader);
        Assert.Equal($"RequestId: {result.RequestId} Error: Task timed out after 2.00 seconds", result.Error.ErrorMessage);
        Assert.True(next.IsSuccess);
        Assert.Contains(test.Log.Lines, line => line.Contains("Task timed out after 2.00 seconds") && line.Contains(result.RequestId));
    }

    [Fact]
    public async Task Handler_logs_are_lambda_json_lines_stamped_with_the_request_id()
    {
        await using var test = await RuntimeUnderTest.StartAsync(Register, "Greeter");

        var result = await test.InvokeAsync("""{"name":"Ada"}""");

        var line = Assert.Single(test.Log.Lines, l => l.Contains("greeting Ada"));
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        Assert.Equal(["timestamp", "level", "requestId", "message"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-27T10:00:00.000Z", root.GetProperty("timestamp").GetString());
        Assert.Equal("INFO", root.GetProperty("level").GetString());
        Assert.Equal(result.RequestId, root.GetProperty("requestId").GetString());
        Assert.Equal("greeting Ada", root.GetProperty("message").GetString());
        Assert.DoesNotContain(test.Log.Lines, l => l.Contains("debug detail"));
    }

    [Fact]
    public async Task AWS_LAMBDA_LOG_LEVEL_lowers_the_minimum_level()
    {
        await using var test = await RuntimeUnderTest.StartAsync(Register, "Greeter", environment: ("AWS_LAMBDA_LOG_LEVEL", "DEBUG"));

        await test.InvokeAsync("""{"name":"Ada"}""");

        Assert.Contains(test.Log.Lines, l => l.Contains("\"level\":\"DEBUG\"") && l.Contains("debug detail for Ada"));
    }

    [Fact]
    public async Task One_bootstrap_serves_the_handler_named_by_HANDLER_and_creates_only_that_one()
    {
        var created = new List<string>();
        void TwoHandlers(LambdaHandlerRegistry handlers) => handlers
            .Add("First", () => { created.Add("First"); return new Thrower(); }, TestJson.Default.GreetRequest, TestJson.Default.GreetResponse)
            .Add("Second", () => { created.Add("Second"); return new Greeter(); }, TestJson.Default.GreetRequest, TestJson.Default.GreetResponse);

        await using (var test = await RuntimeUnderTest.StartAsync(TwoHandlers, "Second"))
        {
            var result = await test.InvokeAsync("""{"name":"Ada"}""");
            var again = await test.InvokeAsync("""{"name":"Bob"}""");

            Assert.True(result.IsSuccess);
            Assert.True(again.IsSuccess);
            Assert.Equal(["Second"], created);
        }

        await using (var test = await RuntimeUnderTest.StartAsync(TwoHandlers, "First"))
        {
            var result = await test.InvokeAsync("""{"name":"Ada"}""");

            Assert.Equal("InvalidOperationException", result.Error!.ErrorType);
            Assert.Equal(["Second", "First"], created);
        }
    }

    [Fact]
    public async Task The_first_argument_overrides_HANDLER()
    {
        await using var test = await RuntimeUnderTest.StartAsync(Register, "Thrower", args: ["Greeter"]);

        var result = await test.InvokeAsync("""{"name":"Ada"}""");

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Cancelling_the_token_stops_the_runtime_while_it_waits_for_an_invocation()
    {
        var test = await RuntimeUnderTest.StartAsync(Register, "Greeter");
        await test.InvokeAsync("""{"name":"Ada"}""");

        await test.DisposeAsync();

        Assert.Equal(LambdaRuntime.ExitCodeStopped, await test.Run);
    }

    [Fact]
    public async Task List_handlers_prints_the_registered_names()
    {
        var output = new LineCollector();

        var exitCode = await LambdaRuntime.RunAsync([LambdaRuntime.ListHandlersArgument], Register,
            new LambdaRuntimeOptions { Environment = new InMemoryEnvironmentVariables(), LogOutput = output });

        Assert.Equal(0, exitCode);
        Assert.Equal(["Greeter", "Thrower"], output.Lines);
    }

    [Fact]
    public async Task Without_AWS_LAMBDA_RUNTIME_API_the_runtime_refuses_to_start()
    {
        var output = new LineCollector();

        var exitCode = await LambdaRuntime.RunAsync([], Register,
            new LambdaRuntimeOptions { Environment = new InMemoryEnvironmentVariables(), LogOutput = output });

        Assert.Equal(LambdaRuntime.ExitCodeNoRuntimeApi, exitCode);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API", Assert.Single(output.Lines));
    }
}
