using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

/// <summary>A task invoker driven by per-resource handlers; records every call.</summary>
internal sealed class FakeInvoker : ITaskInvoker
{
    private readonly Dictionary<string, Func<JsonNode?, TaskContext, CancellationToken, Task<JsonNode?>>> _handlers = new(StringComparer.Ordinal);

    public List<(string Resource, string Input, TaskContext Context)> Calls { get; } = [];

    public FakeInvoker On(string resource, Func<JsonNode?, JsonNode?> handler) =>
        OnAsync(resource, (input, _, _) => Task.FromResult(handler(input)));

    public FakeInvoker On(string resource, Func<JsonNode?, TaskContext, JsonNode?> handler) =>
        OnAsync(resource, (input, context, _) => Task.FromResult(handler(input, context)));

    public FakeInvoker OnAsync(string resource, Func<JsonNode?, TaskContext, CancellationToken, Task<JsonNode?>> handler)
    {
        _handlers[resource] = handler;
        return this;
    }

    public Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((resource, input?.ToJsonString() ?? "null", context));
        }

        if (!_handlers.TryGetValue(resource, out var handler))
        {
            throw new InvalidOperationException("No handler for " + resource);
        }

        return handler(input, context, cancellationToken);
    }
}

internal static class Sfn
{
    /// <summary>2000-01-01T00:00:00Z, the FakeTimeProvider's default start.</summary>
    public static readonly DateTimeOffset T0 = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(T0);

    public static StateMachineExecutor Executor(string definition, ITaskInvoker? invoker = null, TimeProvider? time = null, Random? random = null) =>
        new(StateMachineDefinition.Parse(definition), invoker ?? new FakeInvoker(), new StateMachineExecutorOptions
        {
            TimeProvider = time ?? Clock(),
            Random = random ?? new Random(42),
            StateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Test",
        });

    /// <summary>
    /// Removes the test framework's SynchronizationContext from the current thread until disposed. Without one,
    /// continuations of timers fired by <see cref="FakeTimeProvider.Advance"/> and of tasks completed by the test
    /// run inline, so the executor has reached its next wait (or finished) when Advance returns.
    /// </summary>
    public static IDisposable WithoutSyncContext()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        return new Restore(previous);
    }

    /// <summary>Runs an execution that must finish without the clock moving.</summary>
    public static ExecutionResult Run(StateMachineExecutor executor, string input = "{}")
    {
        using var _ = WithoutSyncContext();
        var task = executor.ExecuteAsync(JsonNode.Parse(input), "exec");
        Assert.True(task.IsCompleted, "The execution waited although no time passed.");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Starts an execution, then advances the fake clock in steps until it finishes.</summary>
    public static ExecutionResult RunWithClock(StateMachineExecutor executor, FakeTimeProvider clock, string input = "{}", TimeSpan? step = null, int maxSteps = 10_000)
    {
        using var _ = WithoutSyncContext();
        var task = executor.ExecuteAsync(JsonNode.Parse(input), "exec");
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            clock.Advance(step ?? TimeSpan.FromSeconds(1));
        }

        Assert.True(task.IsCompleted, "The execution did not finish.");
        return task.GetAwaiter().GetResult();
    }

    private sealed class Restore(SynchronizationContext? previous) : IDisposable
    {
        public void Dispose() => SynchronizationContext.SetSynchronizationContext(previous);
    }

    /// <summary>
    /// A task body that finishes after <paramref name="delay"/> on the fake clock, or cancels (running
    /// <paramref name="onCancel"/> synchronously) when the executor cancels it.
    /// </summary>
    public static Task<JsonNode?> Sleep(TimeProvider clock, TimeSpan delay, CancellationToken token, Func<JsonNode?> result, Action? onCancel = null)
    {
        var tcs = new TaskCompletionSource<JsonNode?>();
        ITimer? timer = null;
        var registration = token.Register(() =>
        {
            onCancel?.Invoke();
            tcs.TrySetCanceled(token);
            timer?.Dispose();
        });
        timer = clock.CreateTimer(_ =>
        {
            registration.Unregister();
            tcs.TrySetResult(result());
        }, null, delay, Timeout.InfiniteTimeSpan);
        return tcs.Task;
    }

    public static void Succeeded(ExecutionResult result)
    {
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"Expected success but got {result.Status}: {result.Error} {result.Cause}");
    }

    public static IEnumerable<HistoryEvent> Of(this ExecutionResult result, HistoryEventType type) => result.History.Where(e => e.Type == type);

    public static string[] Types(this ExecutionResult result) => [.. result.History.Select(e => e.Type.ToString())];
}

internal static class JsonAssert
{
    /// <summary>Compares JSON structurally, ignoring object key order.</summary>
    public static void Equal(string expected, JsonNode? actual) => Equal(JsonNode.Parse(expected), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        var e = Normalize(expected);
        var a = Normalize(actual);
        Assert.True(e == a, $"Expected:\n{e}\nActual:\n{a}");
    }

    public static void Equal(string expected, string? actualJson) => Equal(JsonNode.Parse(expected), actualJson is null ? null : JsonNode.Parse(actualJson));

    private static string Normalize(JsonNode? node) => Sort(node)?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sort)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        _ => node?.DeepClone(),
    };
}
