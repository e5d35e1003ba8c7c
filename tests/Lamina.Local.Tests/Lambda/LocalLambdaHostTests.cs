using System.Collections.Concurrent;
using System.Text.Json;
using Lamina.Lambda;
using Lamina.Lambda.Invoke;
using Lamina.Local.Lambda;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Lambda;

/// <summary>The local Lambda host with in-process functions, on a fake clock.</summary>
public sealed class LocalLambdaHostTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(HostTest.Start);
    private readonly ConcurrentQueue<LocalLogEntry> _logs = new();
    private LocalLambdaHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new LocalLambdaHost(HostTest.Options(_clock, _logs));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_synchronous_invocation_returns_the_result_with_the_context_Lambda_gives_and_a_record()
    {
        _host.AddFunction(HostTest.Function("greeter", HostTest.Answer) with { MemoryMB = 512, Timeout = TimeSpan.FromSeconds(10) });

        var result = await _host.InvokeAsync("greeter", HostTest.PingJson("Ada"));

        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.FunctionError);
        Assert.Equal("$LATEST", result.ExecutedVersion);
        var pong = HostTest.ReadPong(result);
        Assert.Equal("Hello, Ada!", pong.Message);
        Assert.Equal(result.RequestId, pong.RequestId);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", result.RequestId);
        Assert.Equal("greeter", pong.FunctionName);
        Assert.Equal(512, pong.MemoryLimitInMB);
        Assert.Equal(10.0, pong.RemainingSeconds);
        Assert.Matches(@"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$", pong.TraceId);

        var record = Assert.Single(_host.Invocations);
        Assert.Same(record, result.Record);
        Assert.Equal(("greeter", result.RequestId, InvocationType.RequestResponse, 1), (record.FunctionName, record.RequestId, record.InvocationType, record.Attempt));
        Assert.Equal(LocalInvocationOutcome.Success, record.Outcome);
        Assert.True(record.Cold);
        Assert.Equal(HostTest.Start, record.Start);
        Assert.Equal(HostTest.Start, record.End);
        Assert.Equal(TimeSpan.Zero, record.InitDuration);
        Assert.Equal(pong.LogStreamName, record.LogStreamName);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:greeter", _host.GetFunctionArn("greeter"));
    }

    [Fact]
    public async Task The_first_invocation_is_cold_and_later_ones_reuse_the_warm_instance()
    {
        var factoryRuns = 0;
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "counter",
            Handler = LocalFunctionHandler.InProcess("Counter", _ =>
            {
                Interlocked.Increment(ref factoryRuns);
                var calls = 0;
                return new FuncHandler<Ping, string>((_, _) => Task.FromResult($"call {++calls}"));
            }, HostJson.Default.Ping, HostJson.Default.String),
        });

        var first = await _host.InvokeAsync("counter", HostTest.PingJson("a"));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _host.InvokeAsync("counter", HostTest.PingJson("b"));
        var third = await _host.InvokeAsync("counter", HostTest.PingJson("c"));

        Assert.Equal("\"call 1\"", first.PayloadText);
        Assert.Equal("\"call 2\"", second.PayloadText);
        Assert.Equal("\"call 3\"", third.PayloadText);
        Assert.Equal([true, false, false], _host.Invocations.Select(r => r.Cold));
        Assert.Equal([1, 1, 1], _host.Invocations.Select(r => r.InstanceId));
        Assert.Equal(1, factoryRuns);
        Assert.Equal(1, _host.GetInstanceCount("counter"));
        Assert.Null(_host.Invocations[1].InitDuration);
    }

    [Fact]
    public async Task An_instance_idle_longer_than_the_idle_timeout_is_replaced_by_a_cold_one()
    {
        await using var host = new LocalLambdaHost(HostTest.Options(_clock) with { IdleInstanceTimeout = TimeSpan.FromMinutes(10) });
        host.AddFunction(HostTest.Function("idle", HostTest.Answer));

        await host.InvokeAsync("idle", HostTest.PingJson("a"));
        _clock.Advance(TimeSpan.FromMinutes(10));
        await host.InvokeAsync("idle", HostTest.PingJson("b"));
        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(1));
        await host.InvokeAsync("idle", HostTest.PingJson("c"));

        Assert.Equal([true, false, true], host.Invocations.Select(r => r.Cold));
        Assert.Equal([1, 1, 2], host.Invocations.Select(r => r.InstanceId));
    }

    [Fact]
    public async Task A_function_past_its_timeout_fails_with_Lambdas_timeout_error_and_its_instance_is_discarded()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _host.AddFunction(HostTest.Function("slow", async (ping, context) =>
        {
            if (ping.Mode != "slow")
            {
                return await HostTest.Answer(ping, context);
            }

            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                cancelled.SetResult();
                throw;
            }

            return null!;
        }, timeout: TimeSpan.FromSeconds(5)));

        var invocation = _host.InvokeAsync("slow", HostTest.PingJson("x", "slow"));
        await started.Task.Within();
        _clock.Advance(TimeSpan.FromSeconds(4.999));
        Assert.False(invocation.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var result = await invocation.Within();
        await cancelled.Task.Within();

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Sandbox.Timedout", result.Error!.ErrorType);
        Assert.Equal($"RequestId: {result.RequestId} Error: Task timed out after 5.00 seconds", result.Error.ErrorMessage);
        using (var document = JsonDocument.Parse(result.Payload))
        {
            Assert.Equal("Sandbox.Timedout", document.RootElement.GetProperty("errorType").GetString());
        }

        Assert.Equal(LocalInvocationOutcome.TimedOut, result.Record!.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Record.Duration);
        Assert.Contains(result.Record.Logs, log => log.Level == "ERROR" && log.Message.Contains("Task timed out after 5.00 seconds", StringComparison.Ordinal));

        var next = await _host.InvokeAsync("slow", HostTest.PingJson("y"));
        Assert.Null(next.FunctionError);
        Assert.True(next.Record!.Cold);
        Assert.Equal(2, next.Record.InstanceId);
    }

    [Fact]
    public async Task A_handler_exception_is_an_unhandled_function_error_and_the_instance_stays_warm()
    {
        _host.AddFunction(HostTest.Function("thrower", (ping, _) =>
            ping.Mode == "fail" ? throw new InvalidOperationException($"no greeting for {ping.Name}") : Task.FromResult(new Pong("ok", "", "", 0, 0, "", null))));

        var failed = await _host.InvokeAsync("thrower", HostTest.PingJson("Bob", "fail"));
        var after = await _host.InvokeAsync("thrower", HostTest.PingJson("Eve"));

        Assert.Equal(200, failed.StatusCode);
        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.True(failed.HasFunctionError);
        Assert.Equal("InvalidOperationException", failed.Error!.ErrorType);
        Assert.Equal("no greeting for Bob", failed.Error.ErrorMessage);
        Assert.NotEmpty(failed.Error.StackTrace);
        Assert.Equal(LocalInvocationOutcome.FunctionError, failed.Record!.Outcome);
        Assert.Contains(failed.Record.Logs, log => log.Level == "ERROR" && log.Message.Contains("no greeting for Bob", StringComparison.Ordinal));
        Assert.Null(after.FunctionError);
        Assert.False(after.Record!.Cold);
    }

    [Fact]
    public async Task A_payload_that_is_not_the_event_type_is_the_runtimes_serialization_error()
    {
        _host.AddFunction(HostTest.Function("typed", HostTest.Answer));

        var result = await _host.InvokeAsync("typed", HostTest.Json("""{"name":42}"""));

        Assert.Equal("JsonSerializerException", result.Error!.ErrorType);
        Assert.StartsWith("Error converting the Lambda event JSON payload to type Lamina.Local.Tests.Lambda.Ping:", result.Error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synchronous_invocations_beyond_the_reserved_concurrency_are_throttled_and_instances_scale_up_to_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        _host.AddFunction(HostTest.Function("limited", async (ping, context) =>
        {
            Interlocked.Increment(ref running);
            if (ping.Mode == "wait")
            {
                await gate.Task;
            }

            return await HostTest.Answer(ping, context);
        }, reserved: 2));

        var first = Task.Run(() => _host.InvokeAsync("limited", HostTest.PingJson("1", "wait")));
        var second = Task.Run(() => _host.InvokeAsync("limited", HostTest.PingJson("2", "wait")));
        await HostTest.Eventually(() => Volatile.Read(ref running) == 2, "two invocations running");

        var throttled = await _host.InvokeAsync("limited", HostTest.PingJson("3"));
        Assert.Equal(429, throttled.StatusCode);
        Assert.True(throttled.IsThrottled);
        Assert.Equal(new LocalServiceError(429, "TooManyRequestsException", "Rate Exceeded.", "ReservedFunctionConcurrentInvocationLimitExceeded"), throttled.ServiceError);
        Assert.Equal("""{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}""",
            System.Text.Encoding.UTF8.GetString(throttled.ServiceError!.ToUtf8Json()));
        Assert.Null(throttled.Record);
        Assert.Equal(2, _host.GetInstanceCount("limited"));

        // An asynchronous event is not throttled: it waits for a slot.
        var queued = await _host.InvokeAsync("limited", HostTest.PingJson("4"), InvocationType.Event);
        Assert.Equal(202, queued.StatusCode);
        var waiting = _host.GetAsyncInvocation(queued.RequestId)!;
        Assert.Equal(LocalAsyncInvocationState.Queued, waiting.State);

        gate.SetResult();
        var results = await Task.WhenAll(first, second).Within();
        Assert.All(results, r => Assert.True(r.Record!.Cold));
        Assert.Equal(LocalAsyncInvocationState.Succeeded, await waiting.Settled.Within());
        Assert.False(waiting.Attempts.Single().Cold);

        var warm = await _host.InvokeAsync("limited", HostTest.PingJson("5"));
        Assert.Equal(200, warm.StatusCode);
        Assert.False(warm.Record!.Cold);
        Assert.Equal(2, _host.GetInstanceCount("limited"));
        Assert.Equal(4, _host.GetInvocations("limited").Count);
    }

    [Fact]
    public async Task Functions_without_a_reservation_share_what_the_reservations_leave_of_the_account_limit()
    {
        await using var host = new LocalLambdaHost(HostTest.Options(_clock) with { AccountConcurrencyLimit = 3 });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        Func<Ping, ILambdaContext, Task<Pong>> wait = async (ping, context) =>
        {
            Interlocked.Increment(ref running);
            await gate.Task;
            return await HostTest.Answer(ping, context);
        };
        host.AddFunction(HostTest.Function("reserved", wait, reserved: 2));
        host.AddFunction(HostTest.Function("shared-a", wait));
        host.AddFunction(HostTest.Function("shared-b", wait));
        Assert.Throws<ArgumentException>(() => host.AddFunction(HostTest.Function("too-much", wait, reserved: 2)));

        var runningA = Task.Run(() => host.InvokeAsync("shared-a", HostTest.PingJson("a")));
        await HostTest.Eventually(() => Volatile.Read(ref running) == 1, "shared-a running");

        var throttled = await host.InvokeAsync("shared-b", HostTest.PingJson("b"));
        gate.SetResult();
        await runningA.Within();

        Assert.Equal(429, throttled.StatusCode);
        Assert.Equal("ConcurrentInvocationLimitExceeded", throttled.ServiceError!.Reason);
    }

    [Fact]
    public async Task Reserved_concurrency_zero_throttles_everything_and_queued_events_expire_to_the_dead_letter_callback()
    {
        var letters = new ConcurrentQueue<LocalDeadLetter>();
        _host.AddFunction(HostTest.Function("disabled", HostTest.Answer, reserved: 0, deadLetter: letter =>
        {
            letters.Enqueue(letter);
            return Task.CompletedTask;
        }) with { MaximumEventAge = TimeSpan.FromMinutes(2) });

        var sync = await _host.InvokeAsync("disabled", HostTest.PingJson("a"));
        var async = await _host.InvokeAsync("disabled", HostTest.PingJson("b"), InvocationType.Event);
        var invocation = _host.GetAsyncInvocation(async.RequestId)!;
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(429, sync.StatusCode);
        Assert.Equal(LocalAsyncInvocationState.DeadLettered, await invocation.Settled.Within());
        var letter = Assert.Single(letters);
        Assert.Equal("EventAgeExceeded", letter.Condition);
        Assert.Equal(0, letter.ApproximateInvokeCount);
        Assert.Null(letter.Error);
        Assert.Empty(_host.Invocations);
    }

    [Fact]
    public async Task Each_instance_gets_Lambdas_environment_variables_and_the_functions_own()
    {
        await using var host = await LocalLambdaHost.StartAsync(HostTest.Options(_clock) with { Region = "eu-west-1" });
        IReadOnlyDictionary<string, string>? seen = null;
        IEnvironmentVariables? fromContext = null;
        host.AddFunction(new LocalFunctionConfig
        {
            Name = "env-dump",
            MemoryMB = 1024,
            Environment = new Dictionary<string, string> { ["TABLE_NAME"] = "orders", ["LANG"] = "fr_FR.UTF-8" },
            Handler = LocalFunctionHandler.InProcess("Env.Dump", init =>
            {
                seen = ((InMemoryEnvironmentVariables)init.Environment).Snapshot();
                Assert.Equal("env-dump", init.FunctionName);
                return new FuncHandler<Ping, string>((_, context) =>
                {
                    fromContext = ((LocalLambdaContext)context).Environment;
                    return Task.FromResult("ok");
                });
            }, HostJson.Default.Ping, HostJson.Default.String),
        });

        var result = await host.InvokeAsync("env-dump", HostTest.PingJson("x"));

        Assert.Null(result.FunctionError);
        var env = seen!;
        Assert.Equal("env-dump", env["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("1024", env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("$LATEST", env["AWS_LAMBDA_FUNCTION_VERSION"]);
        Assert.Equal("eu-west-1", env["AWS_REGION"]);
        Assert.Equal("eu-west-1", env["AWS_DEFAULT_REGION"]);
        Assert.Equal("/aws/lambda/env-dump", env["AWS_LAMBDA_LOG_GROUP_NAME"]);
        Assert.Matches(@"^2026/11/27/\[\$LATEST\][0-9a-f]{32}$", env["AWS_LAMBDA_LOG_STREAM_NAME"]);
        Assert.Equal(result.Record!.LogStreamName, env["AWS_LAMBDA_LOG_STREAM_NAME"]);
        Assert.Equal("Env.Dump", env["_HANDLER"]);
        Assert.Equal("on-demand", env["AWS_LAMBDA_INITIALIZATION_TYPE"]);
        Assert.Equal("ASIALOCALLAMINA00000", env["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("local-lamina-secret-access-key", env["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("local-lamina-session-token", env["AWS_SESSION_TOKEN"]);
        Assert.Equal(host.InvokeEndpoint!.ToString().TrimEnd('/'), env["AWS_ENDPOINT_URL_LAMBDA"]);
        Assert.StartsWith("http://127.0.0.1:", env["AWS_ENDPOINT_URL_LAMBDA"], StringComparison.Ordinal);
        Assert.Equal(":UTC", env["TZ"]);
        Assert.Equal("orders", env["TABLE_NAME"]);
        Assert.Equal("fr_FR.UTF-8", env["LANG"]);
        // OS-only (provided) runtimes have no AWS_EXECUTION_ENV; in-process functions have no Runtime API.
        Assert.False(env.ContainsKey("AWS_EXECUTION_ENV"));
        Assert.False(env.ContainsKey("AWS_LAMBDA_RUNTIME_API"));
        Assert.NotNull(fromContext!.Get("_X_AMZN_TRACE_ID"));
        Assert.Equal("orders", fromContext.Get("TABLE_NAME"));
    }

    [Fact]
    public void A_configuration_setting_a_reserved_variable_or_out_of_range_values_is_rejected()
    {
        var config = HostTest.Function("bad", HostTest.Answer, environment: new Dictionary<string, string> { ["AWS_REGION"] = "x", ["_HANDLER"] = "y" })
            with { MemoryMB = 64, Timeout = TimeSpan.FromMinutes(20), MaximumRetryAttempts = 3 };

        var problems = config.Validate();
        var exception = Assert.Throws<ArgumentException>(() => _host.AddFunction(config));

        Assert.Contains(problems, p => p == "Environment sets reserved keys that Lambda does not allow to modify: AWS_REGION, _HANDLER.");
        Assert.Contains(problems, p => p == "MemoryMB 64 must be between 128 and 10240.");
        Assert.Contains(problems, p => p == "Timeout 1200 s must be between 1 and 900 seconds.");
        Assert.Contains(problems, p => p == "MaximumRetryAttempts 3 must be 0, 1 or 2.");
        Assert.Contains("AWS_REGION", exception.Message, StringComparison.Ordinal);
        Assert.Single(HostTest.Function("bad name!", HostTest.Answer).Validate());
        Assert.Empty(HostTest.Function("good_name-1", HostTest.Answer).Validate());
    }

    [Fact]
    public async Task An_async_event_that_keeps_failing_is_retried_after_one_then_two_minutes_then_dead_lettered()
    {
        var letters = new ConcurrentQueue<LocalDeadLetter>();
        var attempts = 0;
        _host.AddFunction(HostTest.Function("flaky", (ping, _) =>
                throw new InvalidOperationException($"attempt {Interlocked.Increment(ref attempts)} failed for {ping.Name}"),
            deadLetter: letter =>
            {
                letters.Enqueue(letter);
                return Task.CompletedTask;
            }));
        var payload = HostTest.PingJson("order-7");

        var accepted = await _host.InvokeAsync("flaky", payload, InvocationType.Event);
        Assert.Equal(202, accepted.StatusCode);
        Assert.True(accepted.Payload.IsEmpty);
        Assert.Null(accepted.Record);
        var invocation = _host.GetAsyncInvocation(accepted.RequestId)!;

        await invocation.WhenAttemptsCompletedAsync(1).Within();
        Assert.Equal(LocalAsyncInvocationState.WaitingForRetry, invocation.State);
        Assert.Equal(HostTest.Start.AddMinutes(1), invocation.NextAttemptAt);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(invocation.Attempts);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await invocation.WhenAttemptsCompletedAsync(2).Within();
        Assert.Equal(HostTest.Start.AddMinutes(3), invocation.NextAttemptAt);
        _clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(2, invocation.Attempts.Count);
        Assert.Empty(letters);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LocalAsyncInvocationState.DeadLettered, await invocation.Settled.Within());

        var records = invocation.Attempts;
        Assert.Equal([1, 2, 3], records.Select(r => r.Attempt));
        Assert.Equal([HostTest.Start, HostTest.Start.AddMinutes(1), HostTest.Start.AddMinutes(3)], records.Select(r => r.Start));
        Assert.All(records, r => Assert.Equal((accepted.RequestId, InvocationType.Event, LocalInvocationOutcome.FunctionError),
            (r.RequestId, r.InvocationType, r.Outcome)));
        Assert.Equal([true, false, false], records.Select(r => r.Cold));
        var letter = Assert.Single(letters);
        Assert.Same(letter, invocation.DeadLetter);
        Assert.Equal("RetriesExhausted", letter.Condition);
        Assert.Equal(3, letter.ApproximateInvokeCount);
        Assert.Equal(accepted.RequestId, letter.RequestId);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:flaky", letter.FunctionArn);
        Assert.Equal(payload, letter.Payload.ToArray());
        Assert.Equal("InvalidOperationException", letter.Error!.ErrorType);
        Assert.Equal("attempt 3 failed for order-7", letter.Error.ErrorMessage);
        Assert.Equal(HostTest.Start.AddMinutes(3), letter.Timestamp);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task An_async_event_that_succeeds_on_a_retry_is_not_dead_lettered()
    {
        var letters = 0;
        var attempts = 0;
        _host.AddFunction(HostTest.Function("second-time", (ping, context) =>
                Interlocked.Increment(ref attempts) == 1 ? throw new TimeoutException("database busy") : HostTest.Answer(ping, context),
            deadLetter: _ =>
            {
                Interlocked.Increment(ref letters);
                return Task.CompletedTask;
            }));

        var accepted = await _host.InvokeAsync("second-time", HostTest.PingJson("x"), InvocationType.Event);
        var invocation = _host.GetAsyncInvocation(accepted.RequestId)!;
        await invocation.WhenAttemptsCompletedAsync(1).Within();
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(LocalAsyncInvocationState.Succeeded, await invocation.Settled.Within());
        Assert.Equal([LocalInvocationOutcome.FunctionError, LocalInvocationOutcome.Success], invocation.Attempts.Select(a => a.Outcome));
        Assert.Equal(0, letters);
        Assert.Null(invocation.DeadLetter);
    }

    [Fact]
    public async Task With_no_retries_and_no_dead_letter_callback_a_failed_event_is_discarded_at_once()
    {
        _host.AddFunction(HostTest.Function("once", (_, _) => throw new InvalidOperationException("nope")) with { MaximumRetryAttempts = 0 });

        var accepted = await _host.InvokeAsync("once", HostTest.PingJson("x"), InvocationType.Event);
        var invocation = _host.GetAsyncInvocation(accepted.RequestId)!;

        Assert.Equal(LocalAsyncInvocationState.Discarded, await invocation.Settled.Within());
        Assert.Single(invocation.Attempts);
        Assert.Equal("RetriesExhausted", invocation.DeadLetter!.Condition);
    }

    [Fact]
    public async Task A_timed_out_async_attempt_counts_as_a_failure_and_is_retried()
    {
        var started = 0;
        _host.AddFunction(HostTest.Function("hangs", async (ping, context) =>
        {
            Interlocked.Increment(ref started);
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return null!;
        }, timeout: TimeSpan.FromSeconds(3)) with { MaximumRetryAttempts = 1 });

        var accepted = await _host.InvokeAsync("hangs", HostTest.PingJson("x"), InvocationType.Event);
        var invocation = _host.GetAsyncInvocation(accepted.RequestId)!;
        await HostTest.Eventually(() => Volatile.Read(ref started) == 1, "first attempt running");
        _clock.Advance(TimeSpan.FromSeconds(3));
        await invocation.WhenAttemptsCompletedAsync(1).Within();
        Assert.Equal(HostTest.Start.AddSeconds(3).AddMinutes(1), invocation.NextAttemptAt);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await HostTest.Eventually(() => Volatile.Read(ref started) == 2, "second attempt running");
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(LocalAsyncInvocationState.Discarded, await invocation.Settled.Within());
        Assert.Equal([LocalInvocationOutcome.TimedOut, LocalInvocationOutcome.TimedOut], invocation.Attempts.Select(a => a.Outcome));
        Assert.Equal([true, true], invocation.Attempts.Select(a => a.Cold));
        Assert.Equal("Sandbox.Timedout", invocation.DeadLetter!.Error!.ErrorType);
    }

    [Fact]
    public async Task Log_lines_are_captured_per_invocation_in_Lambdas_JSON_format_at_the_configured_level()
    {
        _host.AddFunction(HostTest.Function("chatty", (ping, context) =>
        {
            context.Logger.LogInformation($"handling {ping.Name}");
            context.Logger.LogDebug("debug detail");
            context.Logger.LogWarning("careful");
            return HostTest.Answer(ping, context);
        }));
        _host.AddFunction(HostTest.Function("verbose", (ping, context) =>
        {
            context.Logger.LogDebug("debug detail");
            return HostTest.Answer(ping, context);
        }, environment: new Dictionary<string, string> { ["AWS_LAMBDA_LOG_LEVEL"] = "DEBUG" }));

        var first = await _host.InvokeAsync("chatty", HostTest.PingJson("Ada"));
        var second = await _host.InvokeAsync("chatty", HostTest.PingJson("Bob"));
        var verbose = await _host.InvokeAsync("verbose", HostTest.PingJson("Cy"));

        var logs = first.Record!.Logs;
        Assert.Equal(["INFO", "WARN"], logs.Select(l => l.Level));
        Assert.Equal(["handling Ada", "careful"], logs.Select(l => l.Message));
        Assert.All(logs, l => Assert.Equal((first.RequestId, "chatty", true, HostTest.Start), (l.RequestId, l.FunctionName, l.IsJson, l.Timestamp)));
        Assert.Equal($$"""{"timestamp":"2026-11-27T10:00:00.000Z","level":"INFO","requestId":"{{first.RequestId}}","message":"handling Ada"}""", logs[0].Raw);
        Assert.Equal(["handling Bob", "careful"], second.Record!.Logs.Select(l => l.Message));
        Assert.Equal(["debug detail"], verbose.Record!.Logs.Select(l => l.Message));
        Assert.Equal(5, _logs.Count);
    }

    [Fact]
    public async Task An_init_error_fails_the_invocation_and_the_next_one_initializes_a_new_instance()
    {
        var registry = new LambdaHandlerRegistry().AddFunction<Ping, string>("Known", (_, _) => Task.FromResult("known"),
            HostJson.Default.Ping, HostJson.Default.String);
        _host.AddFunction(new LocalFunctionConfig { Name = "unknown", Handler = LocalFunctionHandler.FromRegistry(registry, "Missing") });
        _host.AddFunction(new LocalFunctionConfig { Name = "known", Handler = LocalFunctionHandler.FromRegistry(registry, "Known") });
        var factoryCalls = 0;
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "broken-init",
            Handler = LocalFunctionHandler.InProcessRaw("Broken", _ =>
            {
                Interlocked.Increment(ref factoryCalls);
                throw new InvalidOperationException("the database connection string is missing");
            }),
        });

        var unknown = await _host.InvokeAsync("unknown", HostTest.PingJson("x"));
        var known = await _host.InvokeAsync("known", HostTest.PingJson("x"));
        var broken1 = await _host.InvokeAsync("broken-init", HostTest.PingJson("x"));
        var broken2 = await _host.InvokeAsync("broken-init", HostTest.PingJson("x"));

        Assert.Equal("Runtime.HandlerNotFound", unknown.Error!.ErrorType);
        Assert.Equal("Handler 'Missing' is not registered in this bootstrap. Registered handlers: Known.", unknown.Error.ErrorMessage);
        Assert.Equal(LocalInvocationOutcome.InitError, unknown.Record!.Outcome);
        Assert.Equal("\"known\"", known.PayloadText);
        Assert.Equal("InvalidOperationException", broken1.Error!.ErrorType);
        Assert.Equal("Unhandled", broken2.FunctionError);
        Assert.Equal([1, 2], new[] { broken1, broken2 }.Select(r => r.Record!.InstanceId));
        Assert.All(new[] { broken1, broken2 }, r => Assert.True(r.Record!.Cold));
        Assert.Equal(2, factoryCalls);
        Assert.Equal(0, _host.GetInstanceCount("broken-init"));
        Assert.Contains(broken1.Record!.Logs, l => l.Level == "FATAL");
    }

    [Fact]
    public async Task Unknown_functions_qualifiers_bad_json_oversized_payloads_and_dry_runs_answer_as_Lambda()
    {
        _host.AddFunction(HostTest.Function("known", HostTest.Answer));
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "echo",
            Handler = LocalFunctionHandler.InProcessRaw("Echo", _ => new RawHandler((payload, _) => Task.FromResult(payload))),
        });

        var missing = await _host.InvokeAsync("nope", HostTest.PingJson("x"));
        var byArn = await _host.InvokeAsync("arn:aws:lambda:us-east-1:000000000000:function:known", HostTest.PingJson("x"));
        var latest = await _host.InvokeAsync("known:$LATEST", HostTest.PingJson("x"));
        var alias = await _host.InvokeAsync("known:live", HostTest.PingJson("x"));
        var badJson = await _host.InvokeAsync("known", HostTest.Json("{not json"));
        var dryRun = await _host.InvokeAsync("known", HostTest.PingJson("x"), InvocationType.DryRun);
        var tooBig = await _host.InvokeAsync("known", new byte[LocalLambdaHost.MaxAsyncPayloadBytes + 1], InvocationType.Event);
        var empty = await _host.InvokeAsync("echo", ReadOnlyMemory<byte>.Empty);

        Assert.Equal(new LocalServiceError(404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"), missing.ServiceError);
        Assert.Equal(200, byArn.StatusCode);
        Assert.Equal(200, latest.StatusCode);
        Assert.Equal(404, alias.StatusCode);
        Assert.Equal("Function not found: arn:aws:lambda:us-east-1:000000000000:function:known:live", alias.ServiceError!.Message);
        Assert.Equal(400, badJson.StatusCode);
        Assert.Equal("InvalidRequestContentException", badJson.ServiceError!.ErrorType);
        Assert.StartsWith("Could not parse request body into json: Could not parse payload into json:", badJson.ServiceError.Message, StringComparison.Ordinal);
        Assert.Equal(204, dryRun.StatusCode);
        Assert.Equal(413, tooBig.StatusCode);
        Assert.Equal("Request must be smaller than 1048576 bytes for the InvokeFunction operation", tooBig.ServiceError!.Message);
        // A function invoked without a payload receives an empty JSON object.
        Assert.Equal("{}", empty.PayloadText);
        Assert.Equal(3, _host.Invocations.Count);
    }

    [Fact]
    public async Task Records_are_capped_and_reported_as_they_complete()
    {
        var reported = new ConcurrentQueue<LocalInvocationRecord>();
        await using var host = new LocalLambdaHost(HostTest.Options(_clock) with { MaxInvocationRecords = 2, OnInvocation = reported.Enqueue });
        host.AddFunction(HostTest.Function("f", HostTest.Answer));

        for (var i = 0; i < 3; i++)
        {
            await host.InvokeAsync("f", HostTest.PingJson(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(3, reported.Count);
        Assert.Equal(reported.Skip(1).Select(r => r.RequestId), host.Invocations.Select(r => r.RequestId));
    }

    [Theory]
    [InlineData("[INFO]\t2026-11-27T10:00:01.250Z\treq-1\thello python", "INFO", "req-1", "hello python", false)]
    [InlineData("2026-11-27T10:00:01.250Z\treq-1\tWARN\thello node", "WARN", "req-1", "hello node", false)]
    [InlineData("""{"timestamp":"2026-11-27T10:00:01.250Z","level":"error","requestId":"req-1","message":"hello json"}""", "ERROR", "req-1", "hello json", true)]
    [InlineData("just a print", null, "attributed", "just a print", false)]
    [InlineData("{not json}", null, "attributed", "{not json}", false)]
    public void Log_lines_in_Lambdas_formats_are_parsed_and_plain_lines_kept(string line, string? level, string requestId, string message, bool isJson)
    {
        var captured = HostTest.Start.AddHours(1);

        var entry = LocalLogEntry.Parse("f", line, captured, "attributed");

        Assert.Equal((level, requestId, message, isJson, line), (entry.Level, entry.RequestId, entry.Message, entry.IsJson, entry.Raw));
        Assert.Equal(level is null ? captured : HostTest.Start.AddSeconds(1.25), entry.Timestamp);
    }

    [Fact]
    public async Task Disposing_the_host_cancels_pending_retries()
    {
        var attempts = 0;
        var host = new LocalLambdaHost(HostTest.Options(_clock));
        host.AddFunction(HostTest.Function("f", (_, _) => throw new InvalidOperationException($"fail {Interlocked.Increment(ref attempts)}")));
        var accepted = await host.InvokeAsync("f", HostTest.PingJson("x"), InvocationType.Event);
        await host.GetAsyncInvocation(accepted.RequestId)!.WhenAttemptsCompletedAsync(1).Within();

        await host.DisposeAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, attempts);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => host.InvokeAsync("f", HostTest.PingJson("x")));
    }

    [Fact]
    public async Task The_host_clock_drives_the_context_deadline()
    {
        DateTimeOffset? deadline = null;
        TimeSpan? before = null;
        _host.AddFunction(HostTest.Function("deadline", async (ping, context) =>
        {
            (deadline, before) = (context.Deadline, context.RemainingTime);
            _clock.Advance(TimeSpan.FromSeconds(1));
            return await HostTest.Answer(ping, context);
        }));

        var result = HostTest.ReadPong(await _host.InvokeAsync("deadline", HostTest.PingJson("x")));

        Assert.Equal(HostTest.Start.AddSeconds(3), deadline);
        Assert.Equal(TimeSpan.FromSeconds(3), before);
        Assert.Equal(2.0, result.RemainingSeconds);
    }
}
