using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

internal sealed class TaskState : ExecutionState
{
    private readonly PayloadTemplate? _parameters;
    private readonly IntegerSource? _timeout;
    private readonly IntegerSource? _heartbeat;
    private readonly string _resource;
    private readonly TaskResourceKind _kind;
    private readonly string? _service;
    private readonly string? _action;
    private readonly string? _eventResource;
    private readonly IntegrationPattern _pattern;

    internal TaskState(string name, JsonObject definition)
        : base(name, definition, HistoryEventType.TaskStateEntered, HistoryEventType.TaskStateExited, HistoryEventType.TaskStateAborted)
    {
        _resource = definition["Resource"]!.GetValue<string>();
        _parameters = definition.TryGetPropertyValue("Parameters", out var p) ? PayloadTemplate.Compile(p) : null;
        _timeout = IntegerSource.From(definition, "TimeoutSeconds");
        _heartbeat = IntegerSource.From(definition, "HeartbeatSeconds");
        (_kind, _service, _action, _pattern, _eventResource) = Classify(_resource);
    }

    internal static (TaskResourceKind Kind, string? Service, string? Action, IntegrationPattern Pattern, string? EventResource) Classify(string resource)
    {
        var parts = resource.Split(':');
        if (parts.Length >= 7 && parts[2] == "lambda" && parts[5] == "function")
        {
            return (TaskResourceKind.LambdaFunction, null, null, IntegrationPattern.RequestResponse, null);
        }

        if (parts.Length >= 7 && parts[2] == "states" && parts[5] == "activity")
        {
            return (TaskResourceKind.Activity, null, null, IntegrationPattern.RequestResponse, null);
        }

        if (parts.Length >= 7 && parts[2] == "states" && parts[3].Length == 0 && parts[4].Length == 0)
        {
            var rest = string.Join(':', parts[5..]);
            var pattern = IntegrationPattern.RequestResponse;
            var suffix = "";
            foreach (var (text, kind) in (ReadOnlySpan<(string, IntegrationPattern)>)[(".sync:2", IntegrationPattern.Sync), (".sync", IntegrationPattern.Sync), (".waitForTaskToken", IntegrationPattern.WaitForTaskToken)])
            {
                if (rest.EndsWith(text, StringComparison.Ordinal))
                {
                    pattern = kind;
                    suffix = text;
                    rest = rest[..^text.Length];
                    break;
                }
            }

            var split = rest.LastIndexOf(':');
            var service = rest[..split];
            var action = rest[(split + 1)..];
            var kindOfResource = service == "lambda" && action == "invoke" ? TaskResourceKind.LambdaInvoke : TaskResourceKind.ServiceIntegration;
            return (kindOfResource, service, action, pattern, action + suffix);
        }

        return (TaskResourceKind.Other, null, null, IntegrationPattern.RequestResponse, null);
    }

    protected override async ValueTask<JsonNode?> RunAttemptAsync(Frame frame, JsonNode? effectiveInput)
    {
        if (_pattern == IntegrationPattern.WaitForTaskToken)
        {
            Span<byte> bytes = stackalloc byte[48];
            frame.NextBytes(bytes);
            frame.TaskToken = Convert.ToBase64String(bytes);
        }

        try
        {
            var parameters = _parameters is null ? effectiveInput : _parameters.Evaluate(effectiveInput, frame);
            long? timeout = _timeout?.Resolve(effectiveInput, frame, 1);
            long? heartbeatSeconds = _heartbeat?.Resolve(effectiveInput, frame, 1);

            var target = _resource;
            var payload = parameters;
            if (_kind == TaskResourceKind.LambdaInvoke)
            {
                if (parameters is not JsonObject obj || !obj.TryGetPropertyValue("FunctionName", out var fn) || !AslJson.IsString(fn, out var functionName))
                {
                    throw new StatesError(StatesErrorNames.Runtime, $"The Parameters of Task state '{Name}' must include a string FunctionName for {_resource}.");
                }

                target = functionName;
                payload = obj.TryGetPropertyValue("Payload", out var p) ? p : null;
            }

            RecordScheduled(frame, parameters, timeout, heartbeatSeconds);
            // Only workers that hold a task token (activities, .waitForTaskToken callbacks) can send heartbeats
            // (SendTaskHeartbeat takes the token), so HeartbeatSeconds is enforced for those.
            using var heartbeat = heartbeatSeconds is { } h && (_kind == TaskResourceKind.Activity || _pattern == IntegrationPattern.WaitForTaskToken)
                ? new HeartbeatMonitor(frame.Run.Time, TimeSpan.FromSeconds(h))
                : null;
            var context = new TaskContext
            {
                StateName = Name,
                Resource = _resource,
                Kind = _kind,
                Service = _service,
                Action = _action,
                Pattern = _pattern,
                TaskToken = frame.TaskToken,
                RetryCount = frame.RetryCount,
                ExecutionArn = frame.Run.ExecutionArn,
                TimeoutSeconds = timeout,
                Parameters = parameters,
                HeartbeatSeconds = heartbeatSeconds,
                HeartbeatCallback = heartbeat is null ? null : heartbeat.Beat,
            };

            JsonNode? result;
            try
            {
                result = await InvokeAsync(frame, target, payload, context, timeout, heartbeat).ConfigureAwait(false);
            }
            catch (StatesError error)
            {
                RecordFailure(frame, error);
                throw;
            }

            if (_kind == TaskResourceKind.LambdaInvoke && _pattern == IntegrationPattern.RequestResponse)
            {
                result = WrapLambdaResponse(frame, result);
            }

            RecordSuccess(frame, result);
            return result;
        }
        finally
        {
            frame.TaskToken = null;
        }
    }

    private async Task<JsonNode?> InvokeAsync(Frame frame, string target, JsonNode? payload, TaskContext context, long? timeoutSeconds, HeartbeatMonitor? heartbeat)
    {
        var invoker = frame.Run.Executor.TaskInvoker;
        var watched = timeoutSeconds is not null || heartbeat is not null;
        CancellationTokenSource? timeoutSource = watched ? CancellationTokenSource.CreateLinkedTokenSource(frame.Token) : null;
        try
        {
            Task<JsonNode?> task;
            try
            {
                task = invoker.InvokeAsync(target, payload, context, timeoutSource?.Token ?? frame.Token);
            }
            catch (Exception e)
            {
                task = Task.FromException<JsonNode?>(e);
            }

            if (!task.IsCompleted && watched)
            {
                // Race the task against TimeoutSeconds and HeartbeatSeconds, both on the executor's clock.
                var delay = timeoutSeconds is { } seconds ? Clock.DelayAsync(frame.Run.Time, TimeSpan.FromSeconds(seconds), timeoutSource!.Token) : null;
                var racers = new List<Task>(3) { task };
                if (delay is not null)
                {
                    racers.Add(delay);
                }

                if (heartbeat is not null)
                {
                    racers.Add(heartbeat.Expired);
                }

                var winner = await Task.WhenAny(racers).ConfigureAwait(false);
                if (winner != task)
                {
                    frame.Token.ThrowIfCancellationRequested();
                    timeoutSource!.Cancel();
                    _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw winner == delay
                        ? new StatesError(StatesErrorNames.Timeout, $"Task state '{Name}' did not complete within {timeoutSeconds} seconds.")
                        : new StatesError(StatesErrorNames.HeartbeatTimeout, $"Task state '{Name}' sent no heartbeat for {context.HeartbeatSeconds} seconds.");
                }
            }

            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (StatesError)
            {
                throw;
            }
            catch (OperationCanceledException) when (frame.Token.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                throw FromException(e);
            }
        }
        finally
        {
            if (timeoutSource is not null)
            {
                timeoutSource.Cancel();
                timeoutSource.Dispose();
            }
        }
    }

    /// <summary>An exception other than <see cref="StatesError"/> is reported like an unhandled Lambda error.</summary>
    private static StatesError FromException(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            e = aggregate.InnerExceptions[0];
            if (e is StatesError states)
            {
                ExceptionDispatchInfo.Throw(states);
            }
        }

        var type = e.GetType().Name;
        var cause = new JsonObject { ["errorMessage"] = e.Message, ["errorType"] = type };
        return new StatesError(type, AslJson.ToJson(cause));
    }

    private void RecordScheduled(Frame frame, JsonNode? parameters, long? timeout, long? heartbeat)
    {
        if (!frame.Recording)
        {
            return;
        }

        var now = frame.Now;
        switch (_kind)
        {
            case TaskResourceKind.LambdaFunction:
                frame.Record(new HistoryEvent(HistoryEventType.LambdaFunctionScheduled, now) { Resource = _resource, InputNode = parameters, TimeoutInSeconds = timeout });
                frame.Record(new HistoryEvent(HistoryEventType.LambdaFunctionStarted, now));
                break;
            case TaskResourceKind.Activity:
                frame.Record(new HistoryEvent(HistoryEventType.ActivityScheduled, now) { Resource = _resource, InputNode = parameters, TimeoutInSeconds = timeout, HeartbeatInSeconds = heartbeat });
                frame.Record(new HistoryEvent(HistoryEventType.ActivityStarted, now));
                break;
            default:
                var (type, resource) = EventResource();
                frame.Record(new HistoryEvent(HistoryEventType.TaskScheduled, now)
                {
                    ResourceType = type,
                    Resource = resource,
                    Region = frame.Run.Region,
                    ParametersNode = parameters,
                    TimeoutInSeconds = timeout,
                    HeartbeatInSeconds = heartbeat,
                });
                frame.Record(new HistoryEvent(HistoryEventType.TaskStarted, now) { ResourceType = type, Resource = resource });
                break;
        }
    }

    private (string Type, string Resource) EventResource() => (_service ?? "unknown", _eventResource ?? _resource);

    private void RecordFailure(Frame frame, StatesError error)
    {
        var timedOut = error.Error is StatesErrorNames.Timeout or StatesErrorNames.HeartbeatTimeout;
        var now = frame.Now;
        switch (_kind)
        {
            case TaskResourceKind.LambdaFunction:
                frame.Record(new HistoryEvent(timedOut ? HistoryEventType.LambdaFunctionTimedOut : HistoryEventType.LambdaFunctionFailed, now) { Error = error.Error, Cause = error.Cause });
                break;
            case TaskResourceKind.Activity:
                frame.Record(new HistoryEvent(timedOut ? HistoryEventType.ActivityTimedOut : HistoryEventType.ActivityFailed, now) { Error = error.Error, Cause = error.Cause });
                break;
            default:
                var (type, resource) = EventResource();
                frame.Record(new HistoryEvent(timedOut ? HistoryEventType.TaskTimedOut : HistoryEventType.TaskFailed, now)
                {
                    ResourceType = type,
                    Resource = resource,
                    Error = error.Error,
                    Cause = error.Cause,
                });
                break;
        }
    }

    private void RecordSuccess(Frame frame, JsonNode? result)
    {
        var now = frame.Now;
        switch (_kind)
        {
            case TaskResourceKind.LambdaFunction:
                frame.Record(new HistoryEvent(HistoryEventType.LambdaFunctionSucceeded, now) { OutputNode = result });
                break;
            case TaskResourceKind.Activity:
                frame.Record(new HistoryEvent(HistoryEventType.ActivitySucceeded, now) { OutputNode = result });
                break;
            default:
                var (type, resource) = EventResource();
                frame.Record(new HistoryEvent(HistoryEventType.TaskSucceeded, now) { ResourceType = type, Resource = resource, OutputNode = result });
                break;
        }
    }

    /// <summary>Shapes a function response the way the <c>lambda:invoke</c> integration returns it.</summary>
    private static JsonObject WrapLambdaResponse(Frame frame, JsonNode? payload)
    {
        var requestId = IntrinsicEvaluator.Uuid(frame);
        var date = frame.Now.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
        var length = System.Text.Encoding.UTF8.GetByteCount(AslJson.ToJson(payload)).ToString(CultureInfo.InvariantCulture);
        JsonObject Headers(bool lists)
        {
            JsonNode V(string value) => lists ? new JsonArray(JsonValue.Create(value)) : JsonValue.Create(value);
            return new JsonObject
            {
                ["Connection"] = V("keep-alive"),
                ["Content-Length"] = V(length),
                ["Content-Type"] = V("application/json"),
                ["Date"] = V(date),
                ["X-Amz-Executed-Version"] = V("$LATEST"),
                ["x-amzn-RequestId"] = V(requestId),
            };
        }

        return new JsonObject
        {
            ["ExecutedVersion"] = "$LATEST",
            ["Payload"] = AslJson.Detach(payload),
            ["SdkHttpMetadata"] = new JsonObject
            {
                ["AllHttpHeaders"] = Headers(lists: true),
                ["HttpHeaders"] = Headers(lists: false),
                ["HttpStatusCode"] = 200,
            },
            ["SdkResponseMetadata"] = new JsonObject { ["RequestId"] = requestId },
            ["StatusCode"] = 200,
        };
    }
}

/// <summary>
/// Tracks HeartbeatSeconds for one task attempt on the executor's clock: <see cref="Expired"/> completes when no
/// heartbeat arrived for the interval; every <see cref="Beat"/> restarts it.
/// </summary>
internal sealed class HeartbeatMonitor : IDisposable
{
    private readonly TaskCompletionSource _expired = new();
    private readonly ITimer _timer;
    private readonly TimeSpan _interval;

    internal HeartbeatMonitor(TimeProvider time, TimeSpan interval)
    {
        _interval = interval;
        _timer = time.CreateTimer(static s => ((HeartbeatMonitor)s!)._expired.TrySetResult(), this, interval, Timeout.InfiniteTimeSpan);
    }

    internal Task Expired => _expired.Task;

    private bool _disposed;

    internal void Beat()
    {
        lock (_expired)
        {
            if (!_disposed && !_expired.Task.IsCompleted)
            {
                _timer.Change(_interval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_expired)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }
}
