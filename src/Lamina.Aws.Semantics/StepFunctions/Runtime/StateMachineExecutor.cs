using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>Settings of a <see cref="StateMachineExecutor"/>.</summary>
public sealed record StateMachineExecutorOptions
{
    /// <summary>The clock for Wait states, retry back-off, task and execution time-outs and event timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Source of randomness for retry jitter, States.UUID, unseeded States.MathRandom, task tokens, request ids and
    /// generated execution names; inject a seeded instance for deterministic runs. When null a shared generator is used.
    /// </summary>
    public Random? Random { get; init; }

    /// <summary>The state machine ARN; its region, account and name make up execution ARNs and the context object.</summary>
    public string StateMachineArn { get; init; } = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachine";

    /// <summary>The execution role ARN reported in ExecutionStarted and <c>$$.Execution.RoleArn</c>.</summary>
    public string? RoleArn { get; init; } = "arn:aws:iam::123456789012:role/StateMachineRole";

    /// <summary>Whether to record the execution history (on by default).</summary>
    public bool RecordHistory { get; init; } = true;
}

/// <summary>How an execution ended.</summary>
public enum ExecutionStatus
{
    /// <summary>The execution reached a Succeed state or an End.</summary>
    Succeeded,

    /// <summary>An error was not caught, or a Fail state was reached.</summary>
    Failed,

    /// <summary>The execution ran longer than the definition's TimeoutSeconds.</summary>
    TimedOut,

    /// <summary>The caller cancelled the execution.</summary>
    Aborted,
}

/// <summary>The outcome of one execution, like DescribeExecution plus GetExecutionHistory.</summary>
public sealed class ExecutionResult
{
    internal ExecutionResult(ExecutionRun run, ExecutionStatus status, JsonNode? output, string? error, string? cause, DateTimeOffset stopDate)
    {
        ExecutionArn = run.ExecutionArn;
        Name = run.Name;
        Status = status;
        Output = output;
        Error = error;
        Cause = cause;
        StartDate = run.StartTime;
        StopDate = stopDate;
        History = run.History;
        StateTransitions = run.Transitions;
    }

    /// <summary>The execution ARN.</summary>
    public string ExecutionArn { get; }

    /// <summary>The execution name.</summary>
    public string Name { get; }

    /// <summary>How the execution ended.</summary>
    public ExecutionStatus Status { get; }

    /// <summary>The output when the execution succeeded.</summary>
    public JsonNode? Output { get; }

    /// <summary>The output as JSON text when the execution succeeded, otherwise null.</summary>
    public string? OutputJson => Status == ExecutionStatus.Succeeded ? AslJson.ToJson(Output) : null;

    /// <summary>The error name when the execution failed or timed out.</summary>
    public string? Error { get; }

    /// <summary>The cause when the execution failed.</summary>
    public string? Cause { get; }

    /// <summary>When the execution started.</summary>
    public DateTimeOffset StartDate { get; }

    /// <summary>When the execution stopped.</summary>
    public DateTimeOffset StopDate { get; }

    /// <summary>The execution history (empty when history recording is off).</summary>
    public IReadOnlyList<HistoryEvent> History { get; }

    /// <summary>How many states were entered.</summary>
    public long StateTransitions { get; }

    /// <summary>Renders the history as a GetExecutionHistory response: <c>{"events":[...]}</c>.</summary>
    /// <returns>The response object.</returns>
    public JsonObject HistoryToJson()
    {
        var events = new JsonArray();
        foreach (var e in History)
        {
            events.Add((JsonNode)e.ToJson());
        }

        return new JsonObject { ["events"] = events };
    }
}

/// <summary>
/// Runs executions of a compiled <see cref="StateMachineDefinition"/> in process: every state type, paths and
/// payload templates, intrinsic functions, Retry/Catch, Wait and time-outs on an injected <see cref="TimeProvider"/>,
/// and Task states through an <see cref="ITaskInvoker"/>; records a GetExecutionHistory-shaped history.
/// </summary>
public sealed class StateMachineExecutor
{
    /// <summary>Creates an executor.</summary>
    /// <param name="definition">The compiled definition.</param>
    /// <param name="taskInvoker">Performs Task states.</param>
    /// <param name="options">Clock, randomness, ARNs and history settings.</param>
    public StateMachineExecutor(StateMachineDefinition definition, ITaskInvoker taskInvoker, StateMachineExecutorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(taskInvoker);
        Definition = definition;
        TaskInvoker = taskInvoker;
        Options = options ?? new StateMachineExecutorOptions();
    }

    /// <summary>The definition this executor runs.</summary>
    public StateMachineDefinition Definition { get; }

    /// <summary>The task invoker.</summary>
    public ITaskInvoker TaskInvoker { get; }

    /// <summary>The settings.</summary>
    public StateMachineExecutorOptions Options { get; }

    /// <summary>Runs one execution to completion.</summary>
    /// <param name="input">The execution input (copied; the caller's node is not modified). Null means <c>{}</c>.</param>
    /// <param name="executionName">The execution name; generated when null.</param>
    /// <param name="cancellationToken">Stops the execution (it then ends as <see cref="ExecutionStatus.Aborted"/>).</param>
    /// <returns>The outcome and history.</returns>
    public async Task<ExecutionResult> ExecuteAsync(JsonNode? input, string? executionName = null, CancellationToken cancellationToken = default)
    {
        var time = Options.TimeProvider;
        var name = executionName ?? NewExecutionName();
        var executionInput = input is null ? new JsonObject() : input.DeepClone();
        var run = new ExecutionRun(this, executionInput, name, time.GetUtcNow());

        using var timeout = Definition.TimeoutSeconds is { } seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked?.Token ?? cancellationToken;
        run.Token = token;

        long lastEventId = 0;
        run.Record(new HistoryEvent(HistoryEventType.ExecutionStarted, run.StartTime) { InputNode = executionInput, RoleArn = Options.RoleArn }, ref lastEventId);
        var frame = new Frame(run, token, lastEventId);
        try
        {
            var output = await Definition.Root.RunAsync(AslJson.Clone(executionInput), frame).ConfigureAwait(false);
            var stop = time.GetUtcNow();
            frame.Record(new HistoryEvent(HistoryEventType.ExecutionSucceeded, stop) { OutputNode = output });
            return new ExecutionResult(run, ExecutionStatus.Succeeded, output, null, null, stop);
        }
        catch (StatesError error)
        {
            var stop = time.GetUtcNow();
            var errorName = error.Error.Length == 0 ? null : error.Error;
            frame.Record(new HistoryEvent(HistoryEventType.ExecutionFailed, stop) { Error = errorName, Cause = error.Cause });
            return new ExecutionResult(run, ExecutionStatus.Failed, null, errorName, error.Cause, stop);
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            var stop = time.GetUtcNow();
            frame.Record(new HistoryEvent(HistoryEventType.ExecutionTimedOut, stop) { Error = StatesErrorNames.Timeout, Cause = $"The execution ran longer than its TimeoutSeconds ({Definition.TimeoutSeconds})." });
            return new ExecutionResult(run, ExecutionStatus.TimedOut, null, StatesErrorNames.Timeout, null, stop);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var stop = time.GetUtcNow();
            frame.Record(new HistoryEvent(HistoryEventType.ExecutionAborted, stop));
            return new ExecutionResult(run, ExecutionStatus.Aborted, null, null, null, stop);
        }
    }

    private string NewExecutionName()
    {
        var random = Options.Random;
        if (random is null)
        {
            return Guid.NewGuid().ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        lock (random)
        {
            random.NextBytes(bytes);
        }

        return new Guid(bytes).ToString();
    }
}
