using System.Text;
using System.Text.Json.Serialization;
using Lamina.Lambda;
using Lamina.Local.RuntimeApi;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.RuntimeApi;

public sealed record GreetRequest(string Name);

public sealed record GreetResponse(
    string Message,
    string RequestId,
    string FunctionName,
    string FunctionVersion,
    int MemoryLimitInMB,
    string InvokedFunctionArn,
    string? TraceId,
    string? ClientContext,
    string? CognitoIdentity,
    string LogGroupName,
    double RemainingSeconds,
    long DeadlineMs);

[JsonSerializable(typeof(GreetRequest))]
[JsonSerializable(typeof(GreetResponse))]
[JsonSerializable(typeof(string))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class TestJson : JsonSerializerContext;

/// <summary>Greets, reporting what the context says.</summary>
public sealed class Greeter : ILambdaHandler<GreetRequest, GreetResponse>
{
    public Task<GreetResponse> HandleAsync(GreetRequest input, ILambdaContext context)
    {
        context.Logger.LogInformation($"greeting {input.Name}");
        context.Logger.LogDebug($"debug detail for {input.Name}");
        return Task.FromResult(new GreetResponse(
            $"Hello, {input.Name}!", context.AwsRequestId, context.FunctionName, context.FunctionVersion, context.MemoryLimitInMB,
            context.InvokedFunctionArn, context.TraceId, context.ClientContext, context.CognitoIdentity, context.LogGroupName,
            context.RemainingTime.TotalSeconds, context.Deadline.ToUnixTimeMilliseconds()));
    }
}

/// <summary>Always fails.</summary>
public sealed class Thrower : ILambdaHandler<GreetRequest, GreetResponse>
{
    public Task<GreetResponse> HandleAsync(GreetRequest input, ILambdaContext context) =>
        throw new InvalidOperationException($"no greeting for {input.Name}");
}

/// <summary>For the name "slow", waits until cancelled (or, when stubborn, forever); otherwise answers at once.</summary>
public sealed class Sleeper(TaskCompletionSource started, TaskCompletionSource cancelled, bool stubborn) : ILambdaHandler<GreetRequest, string>
{
    public async Task<string> HandleAsync(GreetRequest input, ILambdaContext context)
    {
        if (input.Name != "slow")
        {
            return "quick " + input.Name;
        }

        started.TrySetResult();
        if (stubborn)
        {
            await new TaskCompletionSource().Task;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled.TrySetResult();
            throw;
        }

        return "never";
    }
}

/// <summary>A thread-safe text writer collecting lines.</summary>
public sealed class LineCollector : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public string[] Lines
    {
        get
        {
            lock (_text)
            {
                return _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }
}

/// <summary>A local Runtime API server and <see cref="LambdaRuntime"/> running in-process against it.</summary>
public sealed class RuntimeUnderTest : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource _stop = new();

    private RuntimeUnderTest(LocalRuntimeApiServer server, FakeTimeProvider serverClock, FakeTimeProvider runtimeClock, InMemoryEnvironmentVariables environment)
    {
        Server = server;
        ServerClock = serverClock;
        RuntimeClock = runtimeClock;
        Environment = environment;
    }

    public LocalRuntimeApiServer Server { get; }

    public FakeTimeProvider ServerClock { get; }

    public FakeTimeProvider RuntimeClock { get; }

    public InMemoryEnvironmentVariables Environment { get; }

    public LineCollector Log { get; } = new();

    public Task<int> Run { get; private set; } = null!;

    public static async Task<RuntimeUnderTest> StartServerAsync(bool separateRuntimeClock = false, LocalRuntimeApiOptions? options = null)
    {
        var serverClock = new FakeTimeProvider(Start);
        var runtimeClock = separateRuntimeClock ? new FakeTimeProvider(Start) : serverClock;
        var server = await LocalRuntimeApiServer.StartAsync((options ?? new LocalRuntimeApiOptions()) with { TimeProvider = serverClock });
        var environment = new InMemoryEnvironmentVariables(new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = server.RuntimeApiAddress,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "orders-api",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "7",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/orders-api",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = "2026/11/27/[7]abc",
            ["AWS_REGION"] = "eu-west-1",
        });
        return new RuntimeUnderTest(server, serverClock, runtimeClock, environment);
    }

    public static async Task<RuntimeUnderTest> StartAsync(
        Action<LambdaHandlerRegistry> configure, string? handler, bool separateRuntimeClock = false, string[]? args = null,
        params (string Name, string Value)[] environment)
    {
        var test = await StartServerAsync(separateRuntimeClock);
        test.Environment.Set("_HANDLER", handler);
        foreach (var (name, value) in environment)
        {
            test.Environment.Set(name, value);
        }

        test.StartRuntime(configure, args ?? []);
        return test;
    }

    public void StartRuntime(Action<LambdaHandlerRegistry> configure, string[] args)
    {
        var options = new LambdaRuntimeOptions { Environment = Environment, TimeProvider = RuntimeClock, LogOutput = Log };
        Run = Task.Run(() => LambdaRuntime.RunAsync(args, configure, options, _stop.Token));
    }

    public Task<InvocationResult> InvokeAsync(string json, InvocationOptions? options = null) =>
        Server.InvokeAsync(Encoding.UTF8.GetBytes(json), options).WaitAsync(Patience);

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Patience);

    public static Task Within(Task task) => task.WaitAsync(Patience);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Run is not null)
        {
            await Run.WaitAsync(Patience);
        }

        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
