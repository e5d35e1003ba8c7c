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
}

/// <summary>One thread of an execution: the top-level machine, a Parallel branch or a Map iteration.</summary>
internal sealed class Frame : IEvaluationEnvironment
{
    private long _lastEventId;

    internal Frame(ExecutionRun run, CancellationToken token, long lastEventId)
    {
        Run = run;
        Token = token;
        _lastEventId = lastEventId;
    }

    internal ExecutionRun Run { get; }

    internal CancellationToken Token { get; }

    internal long LastEventId => _lastEventId;

    internal string StateName { get; set; } = "";

    internal DateTimeOffset StateEnteredTime { get; set; }

    internal int RetryCount { get; set; }

    internal string? TaskToken { get; set; }

    internal Frame CreateChild(CancellationToken token) => new(Run, token, _lastEventId);

    internal HistoryEvent Record(HistoryEvent e) => Run.Record(e, ref _lastEventId);

    internal DateTimeOffset Now => Run.Time.GetUtcNow();

    public JsonNode? GetContextObject() => BuildContextObject(null, null);

    internal JsonObject BuildContextObject(int? mapIndex, JsonNode? mapValue)
    {
        var execution = new JsonObject
        {
            ["Id"] = Run.ExecutionArn,
            ["Input"] = Run.CloneInput(),
            ["Name"] = Run.Name,
            ["RoleArn"] = Run.Options.RoleArn,
            ["StartTime"] = Run.StartTimeText,
            ["RedriveCount"] = 0,
        };
        var context = new JsonObject
        {
            ["Execution"] = execution,
            ["State"] = new JsonObject
            {
                ["EnteredTime"] = AslTimestamp.Format(StateEnteredTime),
                ["Name"] = StateName,
                ["RetryCount"] = RetryCount,
            },
            ["StateMachine"] = new JsonObject
            {
                ["Id"] = Run.Options.StateMachineArn,
                ["Name"] = Run.StateMachineName,
            },
        };
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

    public double NextDouble() => frame.NextDouble();

    public void NextBytes(Span<byte> buffer) => frame.NextBytes(buffer);
}
