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
    internal static async Task<Exception?> RunAsync(int count, int maxConcurrency, Func<int, CancellationToken, Task> start, CancellationToken parent)
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
        : base(name, definition, HistoryEventType.ParallelStateEntered, HistoryEventType.ParallelStateExited)
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
            frame.Record(new HistoryEvent(HistoryEventType.ParallelStateFailed, frame.Now));
            if (failure is OperationCanceledException)
            {
                frame.Token.ThrowIfCancellationRequested();
            }

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

    internal MapState(string name, JsonObject definition, CompiledScope processor)
        : base(name, definition, HistoryEventType.MapStateEntered, HistoryEventType.MapStateExited)
    {
        var selector = definition.TryGetPropertyValue("ItemSelector", out var s) ? s : definition.TryGetPropertyValue("Parameters", out var p) ? p : null;
        _itemSelector = selector is null ? null : PayloadTemplate.Compile(selector);
        _itemsPath = definition.TryGetPropertyValue("ItemsPath", out var itemsPath) && itemsPath is not null ? JsonPath.Parse(itemsPath.GetValue<string>()) : null;
        _maxConcurrency = IntegerSource.From(definition, "MaxConcurrency");
        _processor = processor;
    }

    protected override async ValueTask<JsonNode?> RunAttemptAsync(Frame frame, JsonNode? effectiveInput)
    {
        var itemsNode = effectiveInput;
        if (_itemsPath is not null)
        {
            var root = _itemsPath.IsContextPath ? frame.GetContextObject() : effectiveInput;
            _itemsPath.TrySelect(root, out itemsNode);
        }

        if (itemsNode is not JsonArray items)
        {
            throw new StatesError(StatesErrorNames.Runtime,
                $"Map state '{Name}': the items path '{_itemsPath?.Text ?? "$"}' must select a JSON array, but selected {AslJson.ToJson(itemsNode)}.");
        }

        var maxConcurrency = (int)Math.Min(int.MaxValue, _maxConcurrency?.Resolve(effectiveInput, frame, 0) ?? 0);
        var inputs = new JsonNode?[items.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = _itemSelector is null
                ? AslJson.Clone(items[i])
                : AslJson.Detach(_itemSelector.Evaluate(effectiveInput, new MapItemEnvironment(frame, i, items[i])));
        }

        frame.Record(new HistoryEvent(HistoryEventType.MapStateStarted, frame.Now) { Length = inputs.Length });
        var results = new JsonNode?[inputs.Length];
        var failure = await FanOut.RunAsync(inputs.Length, maxConcurrency, (i, token) => RunIterationAsync(frame.CreateChild(token), i, inputs[i], results), frame.Token)
            .ConfigureAwait(false);
        if (failure is not null)
        {
            frame.Record(new HistoryEvent(HistoryEventType.MapStateFailed, frame.Now));
            if (failure is OperationCanceledException)
            {
                frame.Token.ThrowIfCancellationRequested();
            }

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

    private async Task RunIterationAsync(Frame iterationFrame, int index, JsonNode? input, JsonNode?[] results)
    {
        iterationFrame.Record(new HistoryEvent(HistoryEventType.MapIterationStarted, iterationFrame.Now) { StateName = Name, Index = index });
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

        iterationFrame.Record(new HistoryEvent(HistoryEventType.MapIterationSucceeded, iterationFrame.Now) { StateName = Name, Index = index });
    }
}
