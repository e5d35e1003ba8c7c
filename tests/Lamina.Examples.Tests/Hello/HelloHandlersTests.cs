using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hello.Handlers;
using Lamina.Lambda;
using Lamina.Local.RuntimeApi;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Examples.Tests.Hello;

/// <summary>The hello handlers in process (the same registration as the bootstrap), and the Python handler under python3.</summary>
public class HelloHandlersTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static async Task<(InvocationResult Result, string Log)> InvokeInProcessAsync(string handler, string payload)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var server = await LocalRuntimeApiServer.StartAsync(new LocalRuntimeApiOptions { TimeProvider = clock });
        var environment = new InMemoryEnvironmentVariables(new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = server.RuntimeApiAddress,
            ["_HANDLER"] = handler,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "hello-dev-HelloDotnet",
        });
        using var stop = new CancellationTokenSource();
        var log = new StringWriter();
        var run = Task.Run(() => LambdaRuntime.RunAsync([], HelloHandlers.Register,
            new LambdaRuntimeOptions { Environment = environment, TimeProvider = clock, LogOutput = log }, stop.Token));
        var result = await server.InvokeAsync(Encoding.UTF8.GetBytes(payload)).WaitAsync(Patience);
        await stop.CancelAsync();
        Assert.Equal(LambdaRuntime.ExitCodeStopped, await run.WaitAsync(Patience));
        return (result, log.ToString());
    }

    [Fact]
    public async Task HelloHandler_answers_200_with_the_event_as_the_body()
    {
        var (result, _) = await InvokeInProcessAsync(typeof(HelloHandler).FullName!, SeedEvent.Json);
        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        var response = JsonNode.Parse(result.PayloadText)!.AsObject();
        Assert.Equal(200, (int)response["statusCode"]!);
        var body = JsonNode.Parse((string)response["body"]!)!;
        Assert.Equal("/", (string?)body["path"]);
        Assert.Equal("GET", (string?)body["httpMethod"]);
        Assert.Equal("12345", (string?)body["queryStringParameters"]!["postcode"]); // the number, read as the string API Gateway sends
        Assert.Equal("Mozilla/5.0", (string?)body["headers"]!["User-Agent"]);
        Assert.Equal("/Prod/", (string?)body["requestContext"]!["path"]);
        Assert.Equal("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", (string?)body["requestContext"]!["requestId"]);
    }

    [Fact]
    public async Task Failing_reports_an_invocation_error_with_its_type_and_message()
    {
        var (result, log) = await InvokeInProcessAsync(typeof(Failing).FullName!, SeedEvent.Json);
        Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
        Assert.Equal("InvalidOperationException", result.Error!.ErrorType);
        Assert.Equal(Failing.Message, result.Error.ErrorMessage);
        Assert.Contains(Failing.Message, log);
    }

    [Fact]
    public void The_registry_extensions_name_handlers_by_their_full_class_name()
    {
        var registry = new LambdaHandlerRegistry();
        HelloHandlers.Register(registry);
        Assert.Equal(["Hello.Handlers.HelloHandler", "Hello.Handlers.Failing"], registry.Names);
        registry.AddRestApi<HelloHandler>("custom-name");
        Assert.True(registry.Contains("custom-name"));
        Assert.Throws<ArgumentException>(() => registry.AddRestApi<HelloHandler>());
    }

    [Fact]
    public void The_python_handler_returns_200_with_the_event_as_json()
    {
        // Runs examples/hello/python/lambda_function.py with python3, as Lambda's python3.13 runtime would call it.
        var dir = Path.Combine(Repo.Root, "examples", "hello", "python");
        var psi = new ProcessStartInfo("python3", ["-c", "import json,sys,lambda_function\nprint(json.dumps(lambda_function.lambda_handler(json.load(sys.stdin), None)))"])
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(SeedEvent.Json);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr);
        var response = JsonNode.Parse(stdout)!;
        Assert.Equal(200, (int)response["statusCode"]!);
        var body = JsonNode.Parse((string)response["body"]!)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SeedEvent.Json), body), (string)response["body"]!);
    }
}
