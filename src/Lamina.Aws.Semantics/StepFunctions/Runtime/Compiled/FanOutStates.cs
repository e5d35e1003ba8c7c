using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>Runs child threads (branches, iterations) with a concurrency limit, stopping at the first failure.</summary>
internal static class FanOut
{
    /// <summary>
    /// Starts <paramref name="count"/> children (at most <paramref name="maxConcurrency"/> at a time, 0 = no limit).
    /// Children that complete synchronously run one after another in order, which keeps histories deterministic.
    /// Returns the first failure, after the remaining children were cancelled and have finished.
    /// </summary>
    /// <param name="count">How many children to run.</param>
    /// <param name="maxConcurrency">The most children running at once (0 = no limit).</param>
    /// <param name="start">Starts child number i.</param>
    /// <param name="parent">The parent thread's token.</param>
    /// <param name="tolerate">
    /// Called with each child failure; returning true absorbs it (the other children keep running), false makes it
    /// the fan-out's failure. Null means no failure is tolerated.
    /// </param>
    internal static async Task<Exception?> RunAsync(int count, int maxConcurrency, Func<int, CancellationToken, Task> start, CancellationToken parent, Func<Exception, bool>? tolerate = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(parent);
        var running = new List<Task>();
        Exception? failure = null;
        var next = 0;

        void Observe(Task task)
        {
            if (!task.IsFaulted)
            {
                return;
            }

            var exception = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception;
            if (failure is null && tolerate is not null && tolerate(exception))
            {
                return;
            }

            if (failure is null)
            {
                failure = exception;
                cts.Cancel();
            }
        }

        while (true)
        {
            while (failure is null && next < count && (maxConcurrency <= 0 || running.Count < maxConcurrency) && !cts.IsCancellationRequested)
            {
                Task task;
                try
                {
                    task = start(next++, cts.Token);
                }
                catch (Exception e)
                {
                    task = Task.FromException(e);
                }

                if (task.IsCompleted)
                {
                    Observe(task);
                }
                else
                {
                    running.Add(task);
                }
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running).ConfigureAwait(false);
            running.Remove(done);
            Observe(done);
        }

        return failure;
    }
}

internal sealed class ParallelState : ExecutionState
{
    private readonly PayloadTemplate? _parameters;
    private readonly CompiledScope[] _branches;

    internal ParallelState(string name, JsonObject definition, CompiledScope[] branches)
        : base(name, definition, HistoryEventType.ParallelStateEntered, HistoryEventType.ParallelStateExited, HistoryEventType.ParallelStateAborted)
    {
        _parameters = definition.TryGetPropertyValue("Parameters", out var p) ? PayloadTemplate.Compile(p) : null;
        _branches = branches;
    }

    protected override async ValueTask<JsonNode?> RunAttemptAsync(Frame frame, JsonNode? effectiveInput)
    {
        var input = _parameters is null ? effectiveInput : _parameters.Evaluate(effectiveInput, frame);
        frame.Record(new HistoryEvent(HistoryEventType.ParallelStateStarted, frame.Now));
        var results = new JsonNode?[_branches.Length];
        var failure = await FanOut.RunAsync(_branches.Length, 0, (i, token) => RunBranchAsync(frame.CreateChild(token), i, AslJson.Clone(input), results), frame.Token)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            // Stopped from outside (the execution, or a failing sibling of this state): an abort, not a failure.
            frame.Token.ThrowIfCancellationRequested();
            frame.Record(new HistoryEvent(HistoryEventType.ParallelStateFailed, frame.Now));
            ExceptionDispatchInfo.Throw(failure);
        }

        frame.Token.ThrowIfCancellationRequested();
        frame.Record(new HistoryEvent(HistoryEventType.ParallelStateSucceeded, frame.Now));
        var array = new JsonArray();
        foreach (var result in results)
        {
            array.Add(AslJson.Detach(result));
        }

        return array;
    }

    private async Task RunBranchAsync(Frame branchFrame, int index, JsonNode? input, JsonNode?[] results) =>
        results[index] = await _branches[index].RunAsync(input, branchFrame).ConfigureAwait(false);
}

internal sealed class MapState : ExecutionState
{
    private readonly PayloadTemplate? _itemSelector;
    private readonly JsonPath? _itemsPath;
    private readonly IntegerSource? _maxConcurrency;
    private readonly CompiledScope _processor;
    private readonly bool _distributed;
    private readonly NumberSource? _toleratedPercentage;
    private readonly NumberSource? _toleratedCount;
    private readonly string _label;

    internal MapState(string name, JsonObject definition, CompiledScope processor, bool distributed)
        : base(name, definition, HistoryEventType.MapStateEntered, HistoryEventType.MapStateExited, HistoryEventType.MapStateAborted)
    {
        var selector = definition.TryGetPropertyValue("ItemSelector", out var s) ? s : definition.TryGetPropertyValue("Parameters", out var p) ? p : null;
        _itemSelector = selector is null ? null : PayloadTemplate.Compile(selector);
        _itemsPath = definition.TryGetPropertyValue("ItemsPath", out var itemsPath) && itemsPath is not null ? JsonPath.Parse(itemsPath.GetValue<string>()) : null;
        _maxConcurrency = IntegerSource.From(definition, "MaxConcurrency");
        _processor = processor;
        _distributed = distributed;
        _toleratedPercentage = NumberSource.From(definition, "ToleratedFailurePercentage");
        _toleratedCount = NumberSource.From(definition, "ToleratedFailureCount");
        _label = definition.TryGetPropertyValue("Label", out var label) && AslJson.IsString(label, out var text) ? text : name;
    }

    protected override async ValueTask<JsonNode?> RunAttemptAsync(Frame frame, JsonNode? effectiveInput)
    {
        if (_distributed)
        {
            return await RunMapRunAsync(frame, effectiveInput).ConfigureAwait(false);
        }

        var inputs = SelectItems(frame, effectiveInput);
        var maxConcurrency = (int)Math.Min(int.MaxValue, _maxConcurrency?.Resolve(effectiveInput, frame, 0) ?? 0);
        frame.Record(new HistoryEvent(HistoryEventType.MapStateStarted, frame.Now) { Length = inputs.Length });
        var results = new JsonNode?[inputs.Length];
        var failure = await FanOut.RunAsync(inputs.Length, maxConcurrency, (i, token) => RunIterationAsync(frame.CreateChild(token), i, inputs[i], results), frame.Token)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            // Stopped from outside (the execution, or a failing sibling of this state): an abort, not a failure.
            frame.Token.ThrowIfCancellationRequested();
            frame.Record(new HistoryEvent(HistoryEventType.MapStateFailed, frame.Now));
            ExceptionDispatchInfo.Throw(failure);
        }

        frame.Token.ThrowIfCancellationRequested();
        frame.Record(new HistoryEvent(HistoryEventType.MapStateSucceeded, frame.Now));
        var array = new JsonArray();
        foreach (var result in results)
        {
            array.Add(AslJson.Detach(result));
        }

        return array;
    }

    /// <summary>The items (after ItemsPath) and each iteration's input (after ItemSelector).</summary>
    private JsonNode?[] SelectItems(Frame frame, JsonNode? effectiveInput)
    {
        var itemsNode = effectiveInput;
        if (_itemsPath is not null)
        {
            _itemsPath.TrySelect(effectiveInput, frame, out itemsNode);
        }

        if (itemsNode is not JsonArray items)
        {
            throw new StatesError(StatesErrorNames.Runtime,
                $"Map state '{Name}': the items path '{_itemsPath?.Text ?? "$"}' must select a JSON array, but selected {AslJson.ToJson(itemsNode)}.");
        }

        var inputs = new JsonNode?[items.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = _itemSelector is null
                ? AslJson.Clone(items[i])
                : AslJson.Detach(_itemSelector.Evaluate(effectiveInput, new MapItemEnvironment(frame, i, items[i])));
        }

        return inputs;
    }

    /// <summary>
    /// A distributed Map: every item runs as a child workflow execution (whose own history is not kept here), failed
    /// items are tolerated up to ToleratedFailureCount / ToleratedFailurePercentage, and the result holds the outputs
    /// of the successful items in item order.
    /// </summary>
    private async Task<JsonNode?> RunMapRunAsync(Frame frame, JsonNode? effectiveInput)
    {
        var inputs = SelectItems(frame, effectiveInput);
        var maxConcurrency = (int)Math.Min(int.MaxValue, _maxConcurrency?.Resolve(effectiveInput, frame, 0) ?? 0);
        double? percentage = _toleratedPercentage?.Resolve(effectiveInput, frame, 0, 100);
        double? count = _toleratedCount?.Resolve(effectiveInput, frame, 0, int.MaxValue);
        var run = frame.Run;
        Span<byte> id = stackalloc byte[16];
        frame.NextBytes(id);
        var arnParts = run.Options.StateMachineArn.Split(':');
        var mapRunArn = arnParts.Length > 6
            ? string.Join(':', arnParts[0], arnParts[1], arnParts[2], arnParts[3], arnParts[4], "mapRun", run.StateMachineName + "/" + _label, new Guid(id).ToString())
            : run.Options.StateMachineArn + "/" + _label;
        frame.Record(new HistoryEvent(HistoryEventType.MapRunStarted, frame.Now) { MapRunArn = mapRunArn });

        var results = new JsonNode?[inputs.Length];
        var failed = new bool[inputs.Length];
        var failures = 0;
        bool Exceeded() =>
            (percentage is null && count is null && failures > 0)
            || (count is { } c && failures > c)
            || (percentage is { } p && inputs.Length > 0 && failures * 100.0 / inputs.Length > p);

        bool Tolerate(Exception e)
        {
            if (e is not StatesError)
            {
                return false;
            }

            failures++;
            return !Exceeded();
        }

        var failure = await FanOut.RunAsync(inputs.Length, maxConcurrency, (i, token) => RunChildAsync(frame.CreateSilentChild(token), i, inputs[i], results, failed), frame.Token, Tolerate)
            .ConfigureAwait(false);
        if (frame.Token.IsCancellationRequested)
        {
            if (!run.Token.IsCancellationRequested)
            {
                frame.Record(new HistoryEvent(HistoryEventType.MapRunAborted, frame.Now));
            }

            frame.Token.ThrowIfCancellationRequested();
        }

        if (failure is StatesError)
        {
            const string cause = "The specified tolerated failure threshold was exceeded";
            frame.Record(new HistoryEvent(HistoryEventType.MapRunFailed, frame.Now) { Error = StatesErrorNames.ExceedToleratedFailureThreshold, Cause = cause });
            throw new StatesError(StatesErrorNames.ExceedToleratedFailureThreshold, cause);
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        frame.Record(new HistoryEvent(HistoryEventType.MapRunSucceeded, frame.Now));
        var array = new JsonArray();
        for (var i = 0; i < results.Length; i++)
        {
            if (!failed[i])
            {
                array.Add(AslJson.Detach(results[i]));
            }
        }

        return array;
    }

    private async Task RunChildAsync(Frame childFrame, int index, JsonNode? input, JsonNode?[] results, bool[] failed)
    {
        try
        {
            results[index] = await _processor.RunAsync(input, childFrame).ConfigureAwait(false);
        }
        catch (StatesError)
        {
            failed[index] = true;
            throw;
        }
    }

    private async Task RunIterationAsync(Frame iterationFrame, int index, JsonNode? input, JsonNode?[] results)
    {
        var recording = iterationFrame.Recording;
        if (recording)
        {
            iterationFrame.Record(new HistoryEvent(HistoryEventType.MapIterationStarted, iterationFrame.Now) { StateName = Name, Index = index });
        }

        try
        {
            results[index] = await _processor.RunAsync(input, iterationFrame).ConfigureAwait(false);
        }
        catch (StatesError)
        {
            iterationFrame.Record(new HistoryEvent(HistoryEventType.MapIterationFailed, iterationFrame.Now) { StateName = Name, Index = index });
            throw;
        }
        catch (OperationCanceledException)
        {
            iterationFrame.Record(new HistoryEvent(HistoryEventType.MapIterationAborted, iterationFrame.Now) { StateName = Name, Index = index });
            throw;
        }

        if (recording)
        {
            iterationFrame.Record(new HistoryEvent(HistoryEventType.MapIterationSucceeded, iterationFrame.Now) { StateName = Name, Index = index });
        }
    }
}
