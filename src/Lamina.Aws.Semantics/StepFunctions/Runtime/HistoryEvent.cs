using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>Event types of an execution history, named as GetExecutionHistory names them.</summary>
public enum HistoryEventType
{
    /// <summary>The execution started.</summary>
    ExecutionStarted,

    /// <summary>The execution succeeded.</summary>
    ExecutionSucceeded,

    /// <summary>The execution failed.</summary>
    ExecutionFailed,

    /// <summary>The execution exceeded its TimeoutSeconds.</summary>
    ExecutionTimedOut,

    /// <summary>The execution was stopped.</summary>
    ExecutionAborted,

    /// <summary>A Pass state was entered.</summary>
    PassStateEntered,

    /// <summary>A Pass state was exited.</summary>
    PassStateExited,

    /// <summary>A Task state was entered.</summary>
    TaskStateEntered,

    /// <summary>A Task state was exited.</summary>
    TaskStateExited,

    /// <summary>A Choice state was entered.</summary>
    ChoiceStateEntered,

    /// <summary>A Choice state was exited.</summary>
    ChoiceStateExited,

    /// <summary>A Wait state was entered.</summary>
    WaitStateEntered,

    /// <summary>A Wait state was exited.</summary>
    WaitStateExited,

    /// <summary>A Succeed state was entered.</summary>
    SucceedStateEntered,

    /// <summary>A Succeed state was exited.</summary>
    SucceedStateExited,

    /// <summary>A Fail state was entered.</summary>
    FailStateEntered,

    /// <summary>A Parallel state was entered.</summary>
    ParallelStateEntered,

    /// <summary>A Parallel state started its branches.</summary>
    ParallelStateStarted,

    /// <summary>All branches of a Parallel state succeeded.</summary>
    ParallelStateSucceeded,

    /// <summary>A branch of a Parallel state failed.</summary>
    ParallelStateFailed,

    /// <summary>A Parallel state was exited.</summary>
    ParallelStateExited,

    /// <summary>A Map state was entered.</summary>
    MapStateEntered,

    /// <summary>A Map state started its iterations.</summary>
    MapStateStarted,

    /// <summary>All iterations of a Map state succeeded.</summary>
    MapStateSucceeded,

    /// <summary>An iteration of a Map state failed.</summary>
    MapStateFailed,

    /// <summary>A Map state was exited.</summary>
    MapStateExited,

    /// <summary>A Map iteration started.</summary>
    MapIterationStarted,

    /// <summary>A Map iteration succeeded.</summary>
    MapIterationSucceeded,

    /// <summary>A Map iteration failed.</summary>
    MapIterationFailed,

    /// <summary>A Map iteration was stopped because another one failed.</summary>
    MapIterationAborted,

    /// <summary>A Map state was stopped because a sibling branch or iteration failed.</summary>
    MapStateAborted,

    /// <summary>A distributed Map state started its Map Run (its child workflow executions).</summary>
    MapRunStarted,

    /// <summary>A Map Run finished within its tolerated failure threshold.</summary>
    MapRunSucceeded,

    /// <summary>A Map Run exceeded its tolerated failure threshold.</summary>
    MapRunFailed,

    /// <summary>A Map Run was stopped because a sibling branch or iteration failed.</summary>
    MapRunAborted,

    /// <summary>A Parallel state was stopped because a sibling branch or iteration failed.</summary>
    ParallelStateAborted,

    /// <summary>A Task state was stopped because a sibling branch or iteration failed.</summary>
    TaskStateAborted,

    /// <summary>A Wait state was stopped because a sibling branch or iteration failed.</summary>
    WaitStateAborted,

    /// <summary>A Lambda function (plain ARN resource) was scheduled.</summary>
    LambdaFunctionScheduled,

    /// <summary>A Lambda function started.</summary>
    LambdaFunctionStarted,

    /// <summary>A Lambda function succeeded.</summary>
    LambdaFunctionSucceeded,

    /// <summary>A Lambda function failed.</summary>
    LambdaFunctionFailed,

    /// <summary>A Lambda function timed out.</summary>
    LambdaFunctionTimedOut,

    /// <summary>A service integration task was scheduled.</summary>
    TaskScheduled,

    /// <summary>A service integration task started.</summary>
    TaskStarted,

    /// <summary>A service integration task succeeded.</summary>
    TaskSucceeded,

    /// <summary>A service integration task failed.</summary>
    TaskFailed,

    /// <summary>A service integration task timed out.</summary>
    TaskTimedOut,

    /// <summary>An activity task was scheduled.</summary>
    ActivityScheduled,

    /// <summary>An activity worker started the task.</summary>
    ActivityStarted,

    /// <summary>An activity task succeeded.</summary>
    ActivitySucceeded,

    /// <summary>An activity task failed.</summary>
    ActivityFailed,

    /// <summary>An activity task timed out.</summary>
    ActivityTimedOut,
}

/// <summary>One event of an execution history, shaped like an item of GetExecutionHistory's <c>events</c>.</summary>
public sealed class HistoryEvent
{
    // Most events are state entered/exited events; the fields other events need live in a separate object to keep
    // the common event small.
    private JsonNode? _data;
    private string? _dataText;
    private byte _dataKind; // 0 none, 1 input, 2 output
    private Extra? _extra;

    internal HistoryEvent(HistoryEventType type, DateTimeOffset timestamp)
    {
        Type = type;
        Timestamp = timestamp;
    }

    /// <summary>The event id, starting at 1 and increasing by one per event.</summary>
    public long Id { get; internal set; }

    /// <summary>The id of the event that preceded this one in the same thread of execution (0 for the first).</summary>
    public long PreviousEventId { get; internal set; }

    /// <summary>The event type.</summary>
    public HistoryEventType Type { get; }

    /// <summary>When the event happened, from the executor's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The state name (state and Map iteration events).</summary>
    public string? StateName { get; internal init; }

    /// <summary>The input as JSON text (ExecutionStarted, *StateEntered, LambdaFunctionScheduled, ActivityScheduled).</summary>
    public string? Input => _dataKind == 1 ? _dataText ??= AslJson.ToJson(_data) : null;

    /// <summary>The output as JSON text (ExecutionSucceeded, *StateExited, *Succeeded task events).</summary>
    public string? Output => _dataKind == 2 ? _dataText ??= AslJson.ToJson(_data) : null;

    /// <summary>The parameters as JSON text (TaskScheduled).</summary>
    public string? Parameters => _extra is { HasParameters: true } extra ? extra.ParametersText ??= AslJson.ToJson(extra.ParametersNode) : null;

    /// <summary>The error name (failure and time-out events).</summary>
    public string? Error
    {
        get => _extra?.Error;
        internal init => (_extra ??= new Extra()).Error = value;
    }

    /// <summary>The cause (failure and time-out events).</summary>
    public string? Cause
    {
        get => _extra?.Cause;
        internal init => (_extra ??= new Extra()).Cause = value;
    }

    /// <summary>The resource: a function or activity ARN, or the action of a service integration (e.g. <c>invoke</c>).</summary>
    public string? Resource
    {
        get => _extra?.Resource;
        internal init => (_extra ??= new Extra()).Resource = value;
    }

    /// <summary>The service of a service integration (e.g. <c>lambda</c>).</summary>
    public string? ResourceType
    {
        get => _extra?.ResourceType;
        internal init => (_extra ??= new Extra()).ResourceType = value;
    }

    /// <summary>The region of a service integration (TaskScheduled).</summary>
    public string? Region
    {
        get => _extra?.Region;
        internal init => (_extra ??= new Extra()).Region = value;
    }

    /// <summary>The role ARN (ExecutionStarted).</summary>
    public string? RoleArn
    {
        get => _extra?.RoleArn;
        internal init => (_extra ??= new Extra()).RoleArn = value;
    }

    /// <summary>The task time-out in seconds, when one applies (LambdaFunctionScheduled, TaskScheduled, ActivityScheduled).</summary>
    public long? TimeoutInSeconds
    {
        get => _extra?.TimeoutInSeconds;
        internal init => (_extra ??= new Extra()).TimeoutInSeconds = value;
    }

    /// <summary>The heartbeat time-out in seconds, when one applies (TaskScheduled, ActivityScheduled).</summary>
    public long? HeartbeatInSeconds
    {
        get => _extra?.HeartbeatInSeconds;
        internal init => (_extra ??= new Extra()).HeartbeatInSeconds = value;
    }

    /// <summary>The Map Run ARN (MapRunStarted).</summary>
    public string? MapRunArn
    {
        get => _extra?.MapRunArn;
        internal init => (_extra ??= new Extra()).MapRunArn = value;
    }

    /// <summary>The Map iteration index (MapIteration* events).</summary>
    public int? Index
    {
        get => _extra?.Index;
        internal init => (_extra ??= new Extra()).Index = value;
    }

    /// <summary>The number of Map iterations (MapStateStarted).</summary>
    public int? Length
    {
        get => _extra?.Length;
        internal init => (_extra ??= new Extra()).Length = value;
    }

    /// <summary>The input value; its text is rendered only when <see cref="Input"/> is read.</summary>
    internal JsonNode? InputNode
    {
        get => _dataKind == 1 ? _data : null;
        init
        {
            _data = value;
            _dataKind = 1;
        }
    }

    /// <summary>The output value; its text is rendered only when <see cref="Output"/> is read.</summary>
    internal JsonNode? OutputNode
    {
        get => _dataKind == 2 ? _data : null;
        init
        {
            _data = value;
            _dataKind = 2;
        }
    }

    /// <summary>The parameters value; its text is rendered only when <see cref="Parameters"/> is read.</summary>
    internal JsonNode? ParametersNode
    {
        get => _extra?.ParametersNode;
        init
        {
            var extra = _extra ??= new Extra();
            extra.ParametersNode = value;
            extra.HasParameters = true;
        }
    }

    /// <summary>Renders the event as GetExecutionHistory would (timestamps as ISO 8601 text).</summary>
    /// <returns>The event object, e.g. <c>{"id":2,"previousEventId":1,"timestamp":"...","type":"PassStateEntered","stateEnteredEventDetails":{...}}</c>.</returns>
    public JsonObject ToJson()
    {
        var obj = new JsonObject
        {
            ["id"] = Id,
            ["previousEventId"] = PreviousEventId,
            ["timestamp"] = AslTimestamp.Format(Timestamp),
            ["type"] = Type.ToString(),
        };
        var (name, details) = Details();
        if (name is not null)
        {
            obj[name] = details;
        }

        return obj;
    }

    private (string? Name, JsonObject? Details) Details()
    {
        JsonObject ErrorCause()
        {
            var d = new JsonObject();
            if (ResourceType is not null)
            {
                d["resourceType"] = ResourceType;
                d["resource"] = Resource;
            }

            if (Error is not null)
            {
                d["error"] = Error;
            }

            if (Cause is not null)
            {
                d["cause"] = Cause;
            }

            return d;
        }

        JsonObject Truncated() => new() { ["truncated"] = false };

        switch (Type)
        {
            case HistoryEventType.ExecutionStarted:
                {
                    var d = new JsonObject { ["input"] = Input, ["inputDetails"] = Truncated() };
                    if (RoleArn is not null)
                    {
                        d["roleArn"] = RoleArn;
                    }

                    return ("executionStartedEventDetails", d);
                }

            case HistoryEventType.ExecutionSucceeded:
                return ("executionSucceededEventDetails", new JsonObject { ["output"] = Output, ["outputDetails"] = Truncated() });
            case HistoryEventType.ExecutionFailed:
                return ("executionFailedEventDetails", ErrorCause());
            case HistoryEventType.ExecutionTimedOut:
                return ("executionTimedOutEventDetails", ErrorCause());
            case HistoryEventType.ExecutionAborted:
                return ("executionAbortedEventDetails", ErrorCause());
            case HistoryEventType.PassStateEntered:
            case HistoryEventType.TaskStateEntered:
            case HistoryEventType.ChoiceStateEntered:
            case HistoryEventType.WaitStateEntered:
            case HistoryEventType.SucceedStateEntered:
            case HistoryEventType.FailStateEntered:
            case HistoryEventType.ParallelStateEntered:
            case HistoryEventType.MapStateEntered:
                return ("stateEnteredEventDetails", new JsonObject { ["name"] = StateName, ["input"] = Input, ["inputDetails"] = Truncated() });
            case HistoryEventType.PassStateExited:
            case HistoryEventType.TaskStateExited:
            case HistoryEventType.ChoiceStateExited:
            case HistoryEventType.WaitStateExited:
            case HistoryEventType.SucceedStateExited:
            case HistoryEventType.ParallelStateExited:
            case HistoryEventType.MapStateExited:
                return ("stateExitedEventDetails", new JsonObject { ["name"] = StateName, ["output"] = Output, ["outputDetails"] = Truncated() });
            case HistoryEventType.MapStateStarted:
                return ("mapStateStartedEventDetails", new JsonObject { ["length"] = Length });
            case HistoryEventType.MapIterationStarted:
                return ("mapIterationStartedEventDetails", new JsonObject { ["name"] = StateName, ["index"] = Index });
            case HistoryEventType.MapIterationSucceeded:
                return ("mapIterationSucceededEventDetails", new JsonObject { ["name"] = StateName, ["index"] = Index });
            case HistoryEventType.MapIterationFailed:
                return ("mapIterationFailedEventDetails", new JsonObject { ["name"] = StateName, ["index"] = Index });
            case HistoryEventType.MapIterationAborted:
                return ("mapIterationAbortedEventDetails", new JsonObject { ["name"] = StateName, ["index"] = Index });
            case HistoryEventType.MapRunStarted:
                return ("mapRunStartedEventDetails", new JsonObject { ["mapRunArn"] = MapRunArn });
            case HistoryEventType.MapRunFailed:
                return ("mapRunFailedEventDetails", ErrorCause());
            case HistoryEventType.LambdaFunctionScheduled:
                {
                    var d = new JsonObject { ["resource"] = Resource, ["input"] = Input, ["inputDetails"] = Truncated() };
                    if (TimeoutInSeconds is not null)
                    {
                        d["timeoutInSeconds"] = TimeoutInSeconds;
                    }

                    return ("lambdaFunctionScheduledEventDetails", d);
                }

            case HistoryEventType.LambdaFunctionSucceeded:
                return ("lambdaFunctionSucceededEventDetails", new JsonObject { ["output"] = Output, ["outputDetails"] = Truncated() });
            case HistoryEventType.LambdaFunctionFailed:
                return ("lambdaFunctionFailedEventDetails", ErrorCause());
            case HistoryEventType.LambdaFunctionTimedOut:
                return ("lambdaFunctionTimedOutEventDetails", ErrorCause());
            case HistoryEventType.TaskScheduled:
                {
                    var d = new JsonObject { ["resourceType"] = ResourceType, ["resource"] = Resource, ["region"] = Region, ["parameters"] = Parameters };
                    if (TimeoutInSeconds is not null)
                    {
                        d["timeoutInSeconds"] = TimeoutInSeconds;
                    }

                    if (HeartbeatInSeconds is not null)
                    {
                        d["heartbeatInSeconds"] = HeartbeatInSeconds;
                    }

                    return ("taskScheduledEventDetails", d);
                }

            case HistoryEventType.TaskStarted:
                return ("taskStartedEventDetails", new JsonObject { ["resourceType"] = ResourceType, ["resource"] = Resource });
            case HistoryEventType.TaskSucceeded:
                return ("taskSucceededEventDetails", new JsonObject { ["resourceType"] = ResourceType, ["resource"] = Resource, ["output"] = Output, ["outputDetails"] = Truncated() });
            case HistoryEventType.TaskFailed:
                return ("taskFailedEventDetails", ErrorCause());
            case HistoryEventType.TaskTimedOut:
                return ("taskTimedOutEventDetails", ErrorCause());
            case HistoryEventType.ActivityScheduled:
                {
                    var d = new JsonObject { ["resource"] = Resource, ["input"] = Input, ["inputDetails"] = Truncated() };
                    if (TimeoutInSeconds is not null)
                    {
                        d["timeoutInSeconds"] = TimeoutInSeconds;
                    }

                    if (HeartbeatInSeconds is not null)
                    {
                        d["heartbeatInSeconds"] = HeartbeatInSeconds;
                    }

                    return ("activityScheduledEventDetails", d);
                }

            case HistoryEventType.ActivityStarted:
                return ("activityStartedEventDetails", new JsonObject { ["workerName"] = "lamina" });
            case HistoryEventType.ActivitySucceeded:
                return ("activitySucceededEventDetails", new JsonObject { ["output"] = Output, ["outputDetails"] = Truncated() });
            case HistoryEventType.ActivityFailed:
                return ("activityFailedEventDetails", ErrorCause());
            case HistoryEventType.ActivityTimedOut:
                return ("activityTimedOutEventDetails", ErrorCause());
            default:
                return (null, null);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Type}{(StateName is null ? "" : " " + StateName)}";

    private sealed class Extra
    {
        public string? Error { get; set; }

        public string? Cause { get; set; }

        public string? Resource { get; set; }

        public string? ResourceType { get; set; }

        public string? Region { get; set; }

        public string? RoleArn { get; set; }

        public long? TimeoutInSeconds { get; set; }

        public long? HeartbeatInSeconds { get; set; }

        public string? MapRunArn { get; set; }

        public int? Index { get; set; }

        public int? Length { get; set; }

        public JsonNode? ParametersNode { get; set; }

        public bool HasParameters { get; set; }

        public string? ParametersText { get; set; }
    }
}
