using System.Collections.Concurrent;
using System.Text.Json;
using Lamina.Lambda.Invoke;
using Lamina.Local.Lambda;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Lambda;

/// <summary>Runtime processes speaking the Runtime API: the Python and Node.js shims.</summary>
/// <remarks>The fake clock starts at the real time, because the runtimes measure the remaining time against the
/// deadline header with their own (real) clock.</remarks>
public sealed class OutOfProcessTests : IAsyncLifetime
{
    private const string PythonModule = """
        import logging
        import os
        import sys
        import time

        logger = logging.getLogger()
        logger.setLevel(logging.INFO)
        print("initializing module")


        def handler(event, context):
            print("print from", event.get("name"))
            logger.info("logging from %s", event.get("name"))
            mode = event.get("mode")
            if mode == "fail":
                raise ValueError("bad input " + event.get("name"))
            if mode == "exit":
                sys.exit(1)
            if mode == "sleep":
                print("sleeping")
                time.sleep(60)
            names = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_REGION",
                     "AWS_DEFAULT_REGION", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "_HANDLER", "AWS_EXECUTION_ENV",
                     "AWS_LAMBDA_RUNTIME_API", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "LAMBDA_TASK_ROOT",
                     "AWS_ENDPOINT_URL_LAMBDA", "GREETING", "TZ", "_X_AMZN_TRACE_ID", "HOST_SECRET"]
            return {
                "requestId": context.aws_request_id,
                "functionName": context.function_name,
                "functionVersion": context.function_version,
                "memory": context.memory_limit_in_mb,
                "arn": context.invoked_function_arn,
                "logGroup": context.log_group_name,
                "logStream": context.log_stream_name,
                "remaining": context.get_remaining_time_in_millis(),
                "env": {name: os.environ.get(name) for name in names},
            }
        """;

    private const string NodeModule = """
        console.log('node module loading');

        export const handler = async (event, context) => {
          console.log('node says', event.name);
          console.warn('careful');
          if (event.mode === 'fail') {
            throw new TypeError(`node broke on ${event.name}`);
          }
          if (event.mode === 'exit') {
            process.exit(3);
          }
          return {
            greeting: `hi ${event.name}`,
            requestId: context.awsRequestId,
            functionName: context.functionName,
            memory: context.memoryLimitInMB,
            logGroup: context.logGroupName,
            remainingPositive: context.getRemainingTimeInMillis() > 0,
            executionEnv: process.env.AWS_EXECUTION_ENV,
            handler: process.env._HANDLER,
            runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API,
          };
        };
        """;

    private const string NodeCallbackModule = """
        exports.handler = function (event, context, callback) {
          setTimeout(() => callback(null, { via: 'callback', n: event.n * 2 }), 5);
        };
        exports.nested = { inner: async (event) => ({ via: 'nested', n: event.n }) };
        exports.refuses = function (event, context, callback) { callback(new RangeError('too big: ' + event.n)); };
        """;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
    private readonly ConcurrentQueue<LocalLogEntry> _logs = new();
    private LocalLambdaHost _host = null!;

    public async Task InitializeAsync() => _host = await LocalLambdaHost.StartAsync(HostTest.Options(_clock, _logs) with { Region = "eu-central-1" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JsonElement Read(LocalInvokeResult result)
    {
        Assert.True(result.Error is null, $"{result.Error?.ErrorType}: {result.Error?.ErrorMessage}");
        using var document = JsonDocument.Parse(result.Payload);
        return document.RootElement.Clone();
    }

    [PythonFact]
    public async Task The_seed_notes_Python_lambda_handler_runs_locally()
    {
        var root = HostTest.RepositoryRoot();
        var seed = root is null ? null : Path.Combine(root, "examples", "hello", "python");
        if (seed is null || !File.Exists(Path.Combine(seed, "lambda_function.py")))
        {
            // The seed note's handler, as corrected in examples/hello/python.
            seed = HostTest.CodeDirectory(("lambda_function.py", """
                import json


                def lambda_handler(event, context):
                    # TODO implement
                    return {
                        'statusCode': 200,
                        'body': json.dumps(event)
                    }
                """));
        }

        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "hello-python",
            Handler = LocalFunctionHandler.Python(seed, "lambda_function.lambda_handler"),
        });

        var first = await _host.InvokeAsync("hello-python", HostTest.Json("""{"key1":"value1","key2":"value2"}""")).Within();
        var second = await _host.InvokeAsync("hello-python", HostTest.Json("""{"key1":"again"}""")).Within();

        Assert.Equal(200, first.StatusCode);
        Assert.Null(first.FunctionError);
        Assert.Equal("""{"statusCode": 200, "body": "{\"key1\": \"value1\", \"key2\": \"value2\"}"}""", first.PayloadText);
        Assert.Equal("""{"statusCode": 200, "body": "{\"key1\": \"again\"}"}""", second.PayloadText);
        Assert.Equal((true, false), (first.Record!.Cold, second.Record!.Cold));
        Assert.Equal(first.Record.InstanceId, second.Record.InstanceId);
        Assert.Equal(1, _host.GetInstanceCount("hello-python"));
    }

    [PythonFact]
    public async Task The_Python_shim_gives_the_handler_Lambdas_context_environment_logs_and_error_document()
    {
        Environment.SetEnvironmentVariable("HOST_SECRET", "must-not-leak");
        var code = HostTest.CodeDirectory(("app.py", PythonModule));
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "py-app",
            MemoryMB = 256,
            Timeout = TimeSpan.FromSeconds(20),
            Environment = new Dictionary<string, string> { ["GREETING"] = "hej" },
            Handler = LocalFunctionHandler.Python(code, "app.handler"),
        });

        LocalInvokeResult ok, failed;
        try
        {
            ok = await _host.InvokeAsync("py-app", HostTest.Json("""{"name":"Ada"}""")).Within();
            failed = await _host.InvokeAsync("py-app", HostTest.Json("""{"name":"Bob","mode":"fail"}""")).Within();
        }
        finally
        {
            Environment.SetEnvironmentVariable("HOST_SECRET", null);
        }

        var body = Read(ok);
        Assert.Equal(ok.RequestId, body.GetProperty("requestId").GetString());
        Assert.Equal("py-app", body.GetProperty("functionName").GetString());
        Assert.Equal("$LATEST", body.GetProperty("functionVersion").GetString());
        Assert.Equal("256", body.GetProperty("memory").GetString());
        Assert.Equal("arn:aws:lambda:eu-central-1:000000000000:function:py-app", body.GetProperty("arn").GetString());
        Assert.Equal("/aws/lambda/py-app", body.GetProperty("logGroup").GetString());
        Assert.Equal(ok.Record!.LogStreamName, body.GetProperty("logStream").GetString());
        Assert.InRange(body.GetProperty("remaining").GetInt64(), 1, 20_000);
        var env = body.GetProperty("env");
        Assert.Equal("py-app", env.GetProperty("AWS_LAMBDA_FUNCTION_NAME").GetString());
        Assert.Equal("256", env.GetProperty("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").GetString());
        Assert.Equal("eu-central-1", env.GetProperty("AWS_REGION").GetString());
        Assert.Equal("eu-central-1", env.GetProperty("AWS_DEFAULT_REGION").GetString());
        Assert.Equal("app.handler", env.GetProperty("_HANDLER").GetString());
        Assert.Equal("AWS_Lambda_python3.12", env.GetProperty("AWS_EXECUTION_ENV").GetString());
        Assert.StartsWith("127.0.0.1:", env.GetProperty("AWS_LAMBDA_RUNTIME_API").GetString(), StringComparison.Ordinal);
        Assert.Equal("ASIALOCALLAMINA00000", env.GetProperty("AWS_ACCESS_KEY_ID").GetString());
        Assert.Equal("local-lamina-session-token", env.GetProperty("AWS_SESSION_TOKEN").GetString());
        Assert.Equal(code, env.GetProperty("LAMBDA_TASK_ROOT").GetString());
        Assert.Equal(_host.InvokeEndpoint!.ToString().TrimEnd('/'), env.GetProperty("AWS_ENDPOINT_URL_LAMBDA").GetString());
        Assert.Equal("hej", env.GetProperty("GREETING").GetString());
        Assert.Equal(":UTC", env.GetProperty("TZ").GetString());
        Assert.StartsWith("Root=1-", env.GetProperty("_X_AMZN_TRACE_ID").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, env.GetProperty("HOST_SECRET").ValueKind);

        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal(("ValueError", "bad input Bob"), (failed.Error!.ErrorType, failed.Error.ErrorMessage));
        var frame = Assert.Single(failed.Error.StackTrace);
        Assert.Contains("app.py\", line", frame, StringComparison.Ordinal);
        Assert.Contains("in handler", frame, StringComparison.Ordinal);
        Assert.False(failed.Record!.Cold);

        // Logs: the init line goes to the first invocation; print lines are kept plain; logging lines are parsed.
        var okLogs = ok.Record.Logs;
        Assert.Equal(["initializing module", "print from Ada", "logging from Ada"], okLogs.Select(l => l.Message));
        Assert.Equal([null, null, "INFO"], okLogs.Select(l => l.Level));
        Assert.All(okLogs, l => Assert.Equal(ok.RequestId, l.RequestId));
        Assert.Equal(["print from Bob", "logging from Bob"], failed.Record.Logs.Take(2).Select(l => l.Message));
        Assert.Contains(failed.Record.Logs, l => l.Raw.StartsWith("[ERROR] ValueError: bad input Bob", StringComparison.Ordinal));
        Assert.Contains(_logs, l => l.Message == "print from Bob" && l.FunctionName == "py-app");
    }

    [PythonFact]
    public async Task A_crashing_runtime_fails_with_Runtime_ExitError_and_the_next_invocation_starts_a_new_instance()
    {
        var code = HostTest.CodeDirectory(("app.py", PythonModule));
        _host.AddFunction(new LocalFunctionConfig { Name = "py-crash", Handler = LocalFunctionHandler.Python(code, "app.handler") });

        var warmUp = await _host.InvokeAsync("py-crash", HostTest.Json("""{"name":"a"}""")).Within();
        var crashed = await _host.InvokeAsync("py-crash", HostTest.Json("""{"name":"b","mode":"exit"}""")).Within();
        var recovered = await _host.InvokeAsync("py-crash", HostTest.Json("""{"name":"c"}""")).Within();

        Assert.Null(warmUp.FunctionError);
        Assert.Equal(200, crashed.StatusCode);
        Assert.Equal("Unhandled", crashed.FunctionError);
        Assert.Equal("Runtime.ExitError", crashed.Error!.ErrorType);
        Assert.Equal($"RequestId: {crashed.RequestId} Error: Runtime exited with error: exit status 1", crashed.Error.ErrorMessage);
        Assert.Equal(LocalInvocationOutcome.RuntimeExited, crashed.Record!.Outcome);
        Assert.Contains(crashed.Record.Logs, l => l.Message == "print from b");
        Assert.Null(recovered.FunctionError);
        Assert.Equal((true, 2), (recovered.Record!.Cold, recovered.Record.InstanceId));
        Assert.Equal(1, _host.GetInstanceCount("py-crash"));
    }

    [PythonFact]
    public async Task A_module_that_cannot_be_imported_is_an_init_error_with_Lambdas_type()
    {
        var code = HostTest.CodeDirectory(("app.py", PythonModule));
        _host.AddFunction(new LocalFunctionConfig { Name = "py-missing", Handler = LocalFunctionHandler.Python(code, "missing_module.handler") });
        _host.AddFunction(new LocalFunctionConfig { Name = "py-nohandler", Handler = LocalFunctionHandler.Python(code, "app.nothing") });

        var missing = await _host.InvokeAsync("py-missing", HostTest.Json("{}")).Within();
        var noHandler = await _host.InvokeAsync("py-nohandler", HostTest.Json("{}")).Within();

        Assert.Equal(("Runtime.ImportModuleError", "Unable to import module 'missing_module': No module named 'missing_module'"),
            (missing.Error!.ErrorType, missing.Error.ErrorMessage));
        Assert.Equal(LocalInvocationOutcome.InitError, missing.Record!.Outcome);
        Assert.Equal(("Runtime.HandlerNotFound", "Handler 'nothing' missing on module 'app'"), (noHandler.Error!.ErrorType, noHandler.Error.ErrorMessage));
    }

    [PythonFact]
    public async Task An_out_of_process_invocation_past_its_timeout_is_stopped_and_the_runtime_replaced()
    {
        var code = HostTest.CodeDirectory(("app.py", PythonModule));
        _host.AddFunction(new LocalFunctionConfig { Name = "py-slow", Timeout = TimeSpan.FromSeconds(4), Handler = LocalFunctionHandler.Python(code, "app.handler") });

        var invocation = _host.InvokeAsync("py-slow", HostTest.Json("""{"name":"z","mode":"sleep"}"""));
        await HostTest.Eventually(() => _logs.Any(l => l.FunctionName == "py-slow" && l.Message == "sleeping"), "the handler sleeping");
        _clock.Advance(TimeSpan.FromSeconds(4));
        var timedOut = await invocation.Within();
        var next = await _host.InvokeAsync("py-slow", HostTest.Json("""{"name":"after"}""")).Within();

        Assert.Equal("Sandbox.Timedout", timedOut.Error!.ErrorType);
        Assert.Equal($"RequestId: {timedOut.RequestId} Error: Task timed out after 4.00 seconds", timedOut.Error.ErrorMessage);
        Assert.Equal(LocalInvocationOutcome.TimedOut, timedOut.Record!.Outcome);
        Assert.Null(next.FunctionError);
        Assert.Equal((true, 2), (next.Record!.Cold, next.Record.InstanceId));
    }

    [NodeFact]
    public async Task The_Node_shim_runs_async_handlers_with_Lambdas_context_and_captures_console_logs()
    {
        var code = HostTest.CodeDirectory(("index.mjs", NodeModule));
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "node-app",
            MemoryMB = 384,
            Handler = LocalFunctionHandler.Node(code, "index.handler"),
        });

        var ok = await _host.InvokeAsync("node-app", HostTest.Json("""{"name":"Ada"}""")).Within();
        var failed = await _host.InvokeAsync("node-app", HostTest.Json("""{"name":"Bob","mode":"fail"}""")).Within();

        var body = Read(ok);
        Assert.Equal("hi Ada", body.GetProperty("greeting").GetString());
        Assert.Equal(ok.RequestId, body.GetProperty("requestId").GetString());
        Assert.Equal("node-app", body.GetProperty("functionName").GetString());
        Assert.Equal("384", body.GetProperty("memory").GetString());
        Assert.Equal("/aws/lambda/node-app", body.GetProperty("logGroup").GetString());
        Assert.True(body.GetProperty("remainingPositive").GetBoolean());
        Assert.Equal("AWS_Lambda_nodejs20.x", body.GetProperty("executionEnv").GetString());
        Assert.Equal("index.handler", body.GetProperty("handler").GetString());
        Assert.StartsWith("127.0.0.1:", body.GetProperty("runtimeApi").GetString(), StringComparison.Ordinal);

        Assert.Equal("Unhandled", failed.FunctionError);
        Assert.Equal(("TypeError", "node broke on Bob"), (failed.Error!.ErrorType, failed.Error.ErrorMessage));
        Assert.StartsWith("TypeError: node broke on Bob", failed.Error.StackTrace[0], StringComparison.Ordinal);
        Assert.Contains(failed.Error.StackTrace, frame => frame.Contains("index.mjs", StringComparison.Ordinal));

        var logs = ok.Record!.Logs;
        Assert.Equal(["node module loading", "node says Ada", "careful"], logs.Select(l => l.Message));
        Assert.Equal(["INFO", "INFO", "WARN"], logs.Select(l => l.Level));
        Assert.Equal([ok.RequestId, ok.RequestId], logs.Skip(1).Select(l => l.RequestId));
        Assert.Contains(failed.Record!.Logs, l => l.Level == "ERROR" && l.Message.Contains("Invoke Error", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs, l => l.Raw.Contains("LAMINA_INVOCATION_END", StringComparison.Ordinal));
    }

    [NodeFact]
    public async Task The_Node_shim_runs_callback_and_nested_CommonJS_handlers()
    {
        var code = HostTest.CodeDirectory(("legacy.js", NodeCallbackModule));
        _host.AddFunction(new LocalFunctionConfig { Name = "node-callback", Handler = LocalFunctionHandler.Node(code, "legacy.handler") });
        _host.AddFunction(new LocalFunctionConfig { Name = "node-nested", Handler = LocalFunctionHandler.Node(code, "legacy.nested.inner") });
        _host.AddFunction(new LocalFunctionConfig { Name = "node-refuses", Handler = LocalFunctionHandler.Node(code, "legacy.refuses") });
        _host.AddFunction(new LocalFunctionConfig { Name = "node-missing", Handler = LocalFunctionHandler.Node(code, "legacy.absent") });

        var callback = await _host.InvokeAsync("node-callback", HostTest.Json("""{"n":21}""")).Within();
        var nested = await _host.InvokeAsync("node-nested", HostTest.Json("""{"n":7}""")).Within();
        var refuses = await _host.InvokeAsync("node-refuses", HostTest.Json("""{"n":99}""")).Within();
        var missing = await _host.InvokeAsync("node-missing", HostTest.Json("{}")).Within();

        Assert.Equal("""{"via":"callback","n":42}""", callback.PayloadText);
        Assert.Equal("""{"via":"nested","n":7}""", nested.PayloadText);
        Assert.Equal(("RangeError", "too big: 99"), (refuses.Error!.ErrorType, refuses.Error.ErrorMessage));
        Assert.Equal(("Runtime.HandlerNotFound", "legacy.absent is undefined or not exported"), (missing.Error!.ErrorType, missing.Error.ErrorMessage));
        Assert.Equal(LocalInvocationOutcome.InitError, missing.Record!.Outcome);
    }

    [NodeFact]
    public async Task A_Node_runtime_that_exits_fails_the_invocation_and_is_replaced()
    {
        var code = HostTest.CodeDirectory(("index.mjs", NodeModule));
        _host.AddFunction(new LocalFunctionConfig { Name = "node-crash", Handler = LocalFunctionHandler.Node(code, "index.handler") });

        var crashed = await _host.InvokeAsync("node-crash", HostTest.Json("""{"name":"x","mode":"exit"}""")).Within();
        var recovered = await _host.InvokeAsync("node-crash", HostTest.Json("""{"name":"y"}""")).Within();

        Assert.Equal(("Runtime.ExitError", $"RequestId: {crashed.RequestId} Error: Runtime exited with error: exit status 3"),
            (crashed.Error!.ErrorType, crashed.Error.ErrorMessage));
        Assert.Equal("hi y", Read(recovered).GetProperty("greeting").GetString());
        Assert.Equal((true, 2), (recovered.Record!.Cold, recovered.Record.InstanceId));
    }

    [Fact]
    public async Task A_runtime_command_that_cannot_start_fails_with_Runtime_InvalidEntrypoint()
    {
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "no-bootstrap",
            Handler = LocalFunctionHandler.Bootstrap(Path.Combine(Path.GetTempPath(), "lamina-missing-" + Guid.NewGuid().ToString("N"), "bootstrap"), "Any"),
        });

        var result = await _host.InvokeAsync("no-bootstrap", HostTest.Json("{}")).Within();

        Assert.Equal("Runtime.InvalidEntrypoint", result.Error!.ErrorType);
        Assert.StartsWith($"RequestId: {result.RequestId} Error: fork/exec ", result.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(LocalInvocationOutcome.RuntimeExited, result.Record!.Outcome);
    }

    [PythonFact]
    public async Task Asynchronous_events_to_an_out_of_process_function_are_retried_then_dead_lettered()
    {
        var letters = new ConcurrentQueue<LocalDeadLetter>();
        var code = HostTest.CodeDirectory(("app.py", PythonModule));
        _host.AddFunction(new LocalFunctionConfig
        {
            Name = "py-async",
            MaximumRetryAttempts = 1,
            Handler = LocalFunctionHandler.Python(code, "app.handler"),
            DeadLetter = letter =>
            {
                letters.Enqueue(letter);
                return Task.CompletedTask;
            },
        });

        var accepted = await _host.InvokeAsync("py-async", HostTest.Json("""{"name":"Zed","mode":"fail"}"""), InvocationType.Event);
        var invocation = _host.GetAsyncInvocation(accepted.RequestId)!;
        await invocation.WhenAttemptsCompletedAsync(1).Within();
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(LocalAsyncInvocationState.DeadLettered, await invocation.Settled.Within());
        Assert.Equal([true, false], invocation.Attempts.Select(a => a.Cold));
        Assert.Equal(("ValueError", "bad input Zed", 2), (letters.Single().Error!.ErrorType, letters.Single().Error!.ErrorMessage, letters.Single().ApproximateInvokeCount));
    }

    [HelloBootstrapFact]
    public async Task A_published_dotnet_bootstrap_serves_its_handlers_out_of_process()
    {
        var dll = HostTest.HelloBootstrap()!;
        LocalFunctionConfig Function(string name, string handler) => new()
        {
            Name = name,
            Handler = LocalFunctionHandler.Bootstrap("dotnet", handler, arguments: [dll], codeDirectory: Path.GetDirectoryName(dll)),
        };
        _host.AddFunction(Function("hello-dotnet", "Hello.Handlers.HelloHandler"));
        _host.AddFunction(Function("failing-dotnet", "Hello.Handlers.Failing"));
        _host.AddFunction(Function("unknown-dotnet", "Hello.Handlers.Nope"));
        var restEvent = HostTest.Json("""{"resource":"/hello","path":"/hello","httpMethod":"GET","headers":{},"requestContext":{},"body":null,"isBase64Encoded":false}""");

        var hello = await _host.InvokeAsync("hello-dotnet", restEvent).Within();
        var again = await _host.InvokeAsync("hello-dotnet", restEvent).Within();
        var failing = await _host.InvokeAsync("failing-dotnet", restEvent).Within();
        var unknown = await _host.InvokeAsync("unknown-dotnet", restEvent).Within();

        var body = Read(hello);
        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Contains("\"path\":\"/hello\"", body.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal((true, false), (hello.Record!.Cold, again.Record!.Cold));
        Assert.Equal(("InvalidOperationException", "Failing always fails: this handler exists to show an invocation error."),
            (failing.Error!.ErrorType, failing.Error.ErrorMessage));
        await HostTest.Eventually(() => failing.Record!.Logs.Any(l => l.IsJson && l.Level == "ERROR"), "the runtime's JSON error line");
        Assert.Equal(failing.RequestId, failing.Record!.Logs.First(l => l.IsJson && l.Level == "ERROR").RequestId);
        Assert.Equal("Runtime.HandlerNotFound", unknown.Error!.ErrorType);
        Assert.StartsWith("Handler 'Hello.Handlers.Nope' is not registered in this bootstrap.", unknown.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(LocalInvocationOutcome.InitError, unknown.Record!.Outcome);
    }
}
