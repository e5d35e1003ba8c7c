using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

internal sealed class TaskState : ExecutionState
{
    private readonly PayloadTemplate? _parameters;
    private readonly IntegerSource? _timeout;
    private readonly string _resource;
    private readonly TaskResourceKind _kind;
    private readonly string? _service;
    private readonly string? _action;
    private readonly string? _eventResource;
    private readonly IntegrationPattern _pattern;

    internal TaskState(string name, JsonObject definition)
        : base(name, definition, HistoryEventType.TaskStateEntered, HistoryEventType.TaskStateExited)
    {
        _resource = definition["Resource"]!.GetValue<string>();
        _parameters = definition.TryGetPropertyValue("Parameters", out var p) ? PayloadTemplate.Compile(p) : null;
        _timeout = IntegerSource.From(definition, "TimeoutSeconds");
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

            RecordScheduled(frame, parameters, timeout);
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
            };

            JsonNode? result;
            try
            {
                result = await InvokeAsync(frame, target, payload, context, timeout).ConfigureAwait(false);
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

    private async Task<JsonNode?> InvokeAsync(Frame frame, string target, JsonNode? payload, TaskContext context, long? timeoutSeconds)
    {
        var invoker = frame.Run.Executor.TaskInvoker;
        CancellationTokenSource? timeoutSource = timeoutSeconds is null ? null : CancellationTokenSource.CreateLinkedTokenSource(frame.Token);
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

            if (!task.IsCompleted && timeoutSeconds is { } seconds)
            {
                var delay = Clock.DelayAsync(frame.Run.Time, TimeSpan.FromSeconds(seconds), timeoutSource!.Token);
                var winner = await Task.WhenAny(task, delay).ConfigureAwait(false);
                if (winner != task)
                {
                    frame.Token.ThrowIfCancellationRequested();
                    timeoutSource.Cancel();
                    _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    throw new StatesError(StatesErrorNames.Timeout, $"Task state '{Name}' did not complete within {seconds} seconds.");
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

    private void RecordScheduled(Frame frame, JsonNode? parameters, long? timeout)
    {
        var now = frame.Now;
        switch (_kind)
        {
            case TaskResourceKind.LambdaFunction:
                frame.Record(new HistoryEvent(HistoryEventType.LambdaFunctionScheduled, now) { Resource = _resource, InputNode = parameters, TimeoutInSeconds = timeout });
                frame.Record(new HistoryEvent(HistoryEventType.LambdaFunctionStarted, now));
                break;
            case TaskResourceKind.Activity:
                frame.Record(new HistoryEvent(HistoryEventType.ActivityScheduled, now) { Resource = _resource, InputNode = parameters, TimeoutInSeconds = timeout });
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
                });
                frame.Record(new HistoryEvent(HistoryEventType.TaskStarted, now) { ResourceType = type, Resource = resource });
                break;
        }
    }

    private (string Type, string Resource) EventResource() => (_service ?? "unknown", _eventResource ?? _resource);

    private void RecordFailure(Frame frame, StatesError error)
    {
        var timedOut = error.Error == StatesErrorNames.Timeout;
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
