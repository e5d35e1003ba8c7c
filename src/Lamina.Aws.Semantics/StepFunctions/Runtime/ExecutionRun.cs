using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>State shared by every thread (branch, iteration) of one execution.</summary>
internal sealed class ExecutionRun
{
    private readonly List<HistoryEvent> _history = [];
    private readonly object _historyLock = new();
    private readonly JsonNode? _input;
    private long _transitions;

    internal ExecutionRun(StateMachineExecutor executor, JsonNode? input, string name, DateTimeOffset startTime)
    {
        Executor = executor;
        Options = executor.Options;
        Time = Options.TimeProvider;
        _input = input;
        Name = name;
        StartTime = startTime;
        StartTimeText = AslTimestamp.Format(startTime);
        var arn = Options.StateMachineArn;
        var parts = arn.Split(':');
        Region = parts.Length > 3 ? parts[3] : "us-east-1";
        StateMachineName = parts.Length > 6 ? parts[6] : arn;
        ExecutionArn = parts.Length > 6
            ? string.Join(':', parts[0], parts[1], parts[2], parts[3], parts[4], "execution", parts[6], name)
            : arn + ":" + name;
    }

    internal StateMachineExecutor Executor { get; }

    internal StateMachineExecutorOptions Options { get; }

    internal TimeProvider Time { get; }

    internal string Name { get; }

    internal string ExecutionArn { get; }

    internal string StateMachineName { get; }

    internal string Region { get; }

    internal DateTimeOffset StartTime { get; }

    internal string StartTimeText { get; }

    internal long Transitions => Interlocked.Read(ref _transitions);

    /// <summary>The execution's own stop token (the caller's token, linked with the execution time-out).</summary>
    internal CancellationToken Token { get; set; }

    internal IReadOnlyList<HistoryEvent> History
    {
        get
        {
            lock (_historyLock)
            {
                return [.. _history];
            }
        }
    }

    internal void CountTransition() => Interlocked.Increment(ref _transitions);

    /// <summary>Appends an event, assigning its id and linking it to the thread's previous event.</summary>
    internal HistoryEvent Record(HistoryEvent e, ref long lastEventId)
    {
        if (!Options.RecordHistory)
        {
            return e;
        }

        lock (_historyLock)
        {
            e.Id = _history.Count + 1;
            e.PreviousEventId = lastEventId;
            _history.Add(e);
        }

        lastEventId = e.Id;
        return e;
    }

    internal double NextDouble()
    {
        var random = Options.Random;
        if (random is null)
        {
            return Random.Shared.NextDouble();
        }

        lock (random)
        {
            return random.NextDouble();
        }
    }

    internal void NextBytes(Span<byte> buffer)
    {
        var random = Options.Random;
        if (random is null)
        {
            Random.Shared.NextBytes(buffer);
            return;
        }

        lock (random)
        {
            random.NextBytes(buffer);
        }
    }

    internal JsonNode? CloneInput()
    {
        lock (_historyLock)
        {
            return AslJson.Clone(_input);
        }
    }

    private JsonObject? _staticContext;

    /// <summary>
    /// The parts of the context object that do not change during the execution (<c>Execution</c> and
    /// <c>StateMachine</c>), built once and fully materialized so that concurrent branches can read it. Paths return
    /// nodes of this shared tree; like every selected node they are copied (<see cref="AslJson.Detach"/>) before
    /// being attached anywhere, and never modified.
    /// </summary>
    internal JsonObject StaticContext
    {
        get
        {
            var context = Volatile.Read(ref _staticContext);
            if (context is not null)
            {
                return context;
            }

            lock (_historyLock)
            {
                if (_staticContext is null)
                {
                    var input = AslJson.Clone(_input);
                    AslJson.Materialize(input);
                    var built = new JsonObject
                    {
                        ["Execution"] = new JsonObject
                        {
                            ["Id"] = ExecutionArn,
                            ["Input"] = input,
                            ["Name"] = Name,
                            ["RoleArn"] = Options.RoleArn,
                            ["StartTime"] = StartTimeText,
                            ["RedriveCount"] = 0,
                        },
                        ["StateMachine"] = new JsonObject { ["Id"] = Options.StateMachineArn, ["Name"] = StateMachineName },
                    };
                    AslJson.Materialize(built);
                    Volatile.Write(ref _staticContext, built);
                }

                return _staticContext;
            }
        }
    }
}

/// <summary>One thread of an execution: the top-level machine, a Parallel branch or a Map iteration.</summary>
internal sealed class Frame : IEvaluationEnvironment
{
    private long _lastEventId;

    internal Frame(ExecutionRun run, CancellationToken token, long lastEventId, bool silent = false)
    {
        Run = run;
        Token = token;
        _lastEventId = lastEventId;
        Silent = silent;
    }

    /// <summary>
    /// True for the child workflow executions of a distributed Map: their events belong to their own histories,
    /// which are not kept, so nothing they do is recorded in the parent's history.
    /// </summary>
    internal bool Silent { get; }

    internal ExecutionRun Run { get; }

    internal CancellationToken Token { get; }

    internal long LastEventId => _lastEventId;

    internal string StateName { get; set; } = "";

    internal DateTimeOffset StateEnteredTime { get; set; }

    internal int RetryCount { get; set; }

    internal string? TaskToken { get; set; }

    internal Frame CreateChild(CancellationToken token) => new(Run, token, _lastEventId, Silent);

    internal Frame CreateSilentChild(CancellationToken token) => new(Run, token, _lastEventId, silent: true);

    internal HistoryEvent Record(HistoryEvent e) => Silent ? e : Run.Record(e, ref _lastEventId);

    /// <summary>False when events would be dropped; lets hot paths skip building them.</summary>
    internal bool Recording => !Silent && Run.Options.RecordHistory;

    internal DateTimeOffset Now => Run.Time.GetUtcNow();

    public JsonNode? GetContextObject() => BuildContextObject(null, null);

    /// <summary>
    /// Evaluates a <c>$$</c> path, reading <c>Execution</c> and <c>StateMachine</c> from the run's shared, immutable
    /// part and building only the small per-state part (State, Task) for the others.
    /// </summary>
    public bool TrySelectContext(JsonPath path, out JsonNode? value) => path.FirstName switch
    {
        "Execution" or "StateMachine" => path.TrySelect(Run.StaticContext, out value),
        "State" or "Task" => path.TrySelect(BuildContextObject(null, null, full: false), out value),
        _ => path.TrySelect(BuildContextObject(null, null), out value),
    };

    /// <summary>Builds the context object: all of it, or (<paramref name="full"/> false) only State, Task and Map.</summary>
    internal JsonObject BuildContextObject(int? mapIndex, JsonNode? mapValue, bool full = true)
    {
        var context = new JsonObject();
        if (full)
        {
            context["Execution"] = new JsonObject
            {
                ["Id"] = Run.ExecutionArn,
                ["Input"] = Run.CloneInput(),
                ["Name"] = Run.Name,
                ["RoleArn"] = Run.Options.RoleArn,
                ["StartTime"] = Run.StartTimeText,
                ["RedriveCount"] = 0,
            };
        }

        context["State"] = new JsonObject
        {
            ["EnteredTime"] = AslTimestamp.Format(StateEnteredTime),
            ["Name"] = StateName,
            ["RetryCount"] = RetryCount,
        };
        if (full)
        {
            context["StateMachine"] = new JsonObject
            {
                ["Id"] = Run.Options.StateMachineArn,
                ["Name"] = Run.StateMachineName,
            };
        }

        if (TaskToken is not null)
        {
            context["Task"] = new JsonObject { ["Token"] = TaskToken };
        }

        if (mapIndex is not null)
        {
            context["Map"] = new JsonObject
            {
                ["Item"] = new JsonObject { ["Index"] = mapIndex.Value, ["Value"] = AslJson.Clone(mapValue) },
            };
        }

        return context;
    }

    public double NextDouble() => Run.NextDouble();

    public void NextBytes(Span<byte> buffer) => Run.NextBytes(buffer);
}

/// <summary>The environment of a Map state's ItemSelector: the context object also holds <c>Map.Item</c>.</summary>
internal sealed class MapItemEnvironment(Frame frame, int index, JsonNode? value) : IEvaluationEnvironment
{
    public JsonNode? GetContextObject() => frame.BuildContextObject(index, value);

    /// <summary><c>$$.Map.Item.Value...</c> reads the item itself and <c>$$.Map.Item.Index</c> the index, without building a context object.</summary>
    public bool TrySelectContext(JsonPath path, out JsonNode? result)
    {
        switch (path.FirstName)
        {
            case "Map":
                var segments = path.Segments;
                if (segments.Length >= 3 && segments[1] is NameSegment { Name: "Item" } && segments[2] is NameSegment item)
                {
                    if (item.Name == "Value")
                    {
                        return path.TrySelectFrom(3, value, out result);
                    }

                    if (item.Name == "Index" && segments.Length == 3)
                    {
                        result = JsonValue.Create(index);
                        return true;
                    }
                }

                return path.TrySelect(frame.BuildContextObject(index, value, full: false), out result);
            case "Execution" or "StateMachine" or "State" or "Task":
                return frame.TrySelectContext(path, out result);
            default:
                return path.TrySelect(GetContextObject(), out result);
        }
    }

    public double NextDouble() => frame.NextDouble();

    public void NextBytes(Span<byte> buffer) => frame.NextBytes(buffer);
}
