using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Aws.Lambda;
using Lamina.Aws.Scheduling;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Aws.Semantics.Scheduling;
using Lamina.Aws.Semantics.StepFunctions;
using Lamina.Lambda.Events;
using Lamina.Lambda.Invoke;
using Lamina.Lambda.Serialization;
using Lamina.Local.Api;
using Lamina.Local.Lambda;
using Lamina.Local.Messaging;
using Lamina.Local.Scheduling;
using Lamina.Local.Storage;
using Lamina.Resources;

namespace Lamina.Local.Cloud;

public sealed partial class LocalCloud
{
    private readonly List<LocalResourceInfo> _resources = [];
    private readonly Dictionary<Resource, LocalResourceInfo> _byResource = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string> _functionByArn = new(StringComparer.Ordinal);
    private readonly List<LocalStateMachine> _stateMachines = [];
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, FunctionBase> _functionConstructs = new(StringComparer.Ordinal);
    private LocalHandlers _handlers = null!;
    private int _eventCounter;

    /// <summary>The handler factory (used by <c>lamina dev</c> to rebuild and reload).</summary>
    public LocalHandlers Handlers => _handlers;

    /// <summary>The function constructs by function name.</summary>
    public IReadOnlyDictionary<string, FunctionBase> FunctionConstructs => _functionConstructs;

    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        // No local behaviour: permissions are not enforced locally, logs are captured per invocation.
        "aws:iam:Role", "aws:iam:RolePolicy", "aws:iam:Policy", "aws:iam:RolePolicyAttachment", "aws:cloudwatch:LogGroup",
        "aws:lambda:Permission", "aws:sqs:QueuePolicy", "aws:sns:TopicPolicy", "aws:s3:BucketPolicy",
        "aws:s3:BucketPublicAccessBlock", "aws:s3:BucketOwnershipControls", "aws:s3:BucketServerSideEncryptionConfiguration",
        "aws:s3:BucketLifecycleConfiguration", "aws:s3:BucketVersioning", "aws:s3:BucketCorsConfiguration", "aws:kms:Key", "aws:kms:Alias",
        "aws:apigateway:Deployment", "aws:apigateway:Account", "aws:apigatewayv2:Deployment",
        "pulumi:providers:aws",
    };

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        var region = Values.Region;
        var account = Values.AccountId;
        _handlers = new LocalHandlers(Options, Stack.App.RootDirectory);
        Lambda = new LocalLambdaHost(new LocalLambdaHostOptions
        {
            TimeProvider = Clock,
            Region = region,
            AccountId = account,
            OnLog = AddLog,
            OnInvocation = Options.OnInvocation,
        });
        await Lambda.StartInvokeEndpointAsync(0, cancellationToken).ConfigureAwait(false);
        Messaging = new LocalMessaging(Clock, new LocalMessagingOptions { Region = region, AccountId = account });
        S3 = new LocalS3(Clock, new LocalS3Options { Region = region, RootDirectory = Options.BucketDirectory });
        Scheduler = new LocalScheduler(Clock);

        var resources = Stack.Resources.ToList();
        LocalResourceInfo Register(Resource r, LocalResourceKind kind, string? url, string detail)
        {
            var local = Values.LocalName(r);
            var arn = Values.Output(r, "arn") is JsonValue a ? LocalValues.Text(a) : "";
            var info = new LocalResourceInfo(kind, PathOf(r), r.LogicalName, local, arn, url, detail);
            _resources.Add(info);
            _byResource[r] = info;
            return info;
        }

        // 1. Names first (functions, queues, topics, buckets), so every reference has a local value.
        var functions = new List<(Resource Resource, FunctionBase? Construct)>();
        foreach (var r in resources)
        {
            switch (r.Type)
            {
                case "aws:lambda:Function":
                {
                    var construct = r.Scope as FunctionBase;
                    var name = Values.LocalName(r);
                    var arn = $"arn:aws:lambda:{region}:{account}:function:{name}";
                    _functionByArn[arn] = name;
                    _functionByArn[name] = name;
                    functions.Add((r, construct));
                    break;
                }
            }
        }

        // 2. APIs: served before functions start so that functions can be given their URLs.
        var apis = BuildApis(resources);
        if (apis.Count > 0 && Options.ServeApis)
        {
            Apis = await LocalApiGateway.StartAsync(
                apis.Select(a => a.Definition).ToList(),
                (fn, payload, ct) => Lambda.InvokeAsync(fn, payload, InvocationType.RequestResponse, ct),
                new LocalApiGatewayOptions { TimeProvider = Clock, Region = region, AccountId = account, FirstPort = Options.ApiPort == 0 ? null : Options.ApiPort },
                cancellationToken).ConfigureAwait(false);
            foreach (var (definition, api, stage) in apis)
            {
                var url = Apis.GetBaseUrl(definition.Name).ToString();
                Values.SetUrl(api, url);
                if (stage is not null)
                {
                    Values.SetUrl(stage, url);
                }
            }
        }
        foreach (var (definition, api, _) in apis)
        {
            Register(api, definition.Kind == LocalApiKind.HttpApi ? LocalResourceKind.HttpApi : LocalResourceKind.RestApi,
                Options.ServeApis ? Apis!.GetBaseUrl(definition.Name).ToString() : null,
                string.Join(", ", definition.Routes.Select(rt => $"{rt.RouteKey} → {rt.FunctionName}")));
        }

        // 3. Queues (dead-letter queues first), topics, buckets.
        var queues = resources.Where(r => r.Type == "aws:sqs:Queue").ToList();
        var created = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<Resource>(queues);
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var q in pending.ToList())
            {
                var redrive = Values.String(q, "redrivePolicy");
                string? dlq = null;
                var maxReceive = 0;
                if (redrive is not null)
                {
                    var policy = JsonNode.Parse(redrive);
                    dlq = LastSegment(policy?["deadLetterTargetArn"]?.ToString());
                    maxReceive = int.Parse(policy?["maxReceiveCount"]?.ToString() ?? "0", CultureInfo.InvariantCulture);
                    if (dlq is not null && !created.Contains(dlq) && queues.Any(o => Values.LocalName(o) == dlq))
                    {
                        continue;
                    }
                }
                var name = Values.LocalName(q);
                Messaging.CreateQueue(new QueueSettings
                {
                    Name = name,
                    Fifo = Values.Bool(q, "fifoQueue") == true,
                    ContentBasedDeduplication = Values.Bool(q, "contentBasedDeduplication") == true,
                    VisibilityTimeout = TimeSpan.FromSeconds(Values.Number(q, "visibilityTimeoutSeconds") ?? 30),
                    RetentionPeriod = TimeSpan.FromSeconds(Values.Number(q, "messageRetentionSeconds") ?? 345_600),
                    DeliveryDelay = TimeSpan.FromSeconds(Values.Number(q, "delaySeconds") ?? 0),
                    MaxMessageSize = (int)(Values.Number(q, "maxMessageSize") ?? 262_144),
                    DeadLetter = dlq is null ? null : new DeadLetterSettings { QueueName = dlq, MaxReceiveCount = maxReceive },
                });
                created.Add(name);
                Register(q, LocalResourceKind.Queue, Values.QueueUrl(name), dlq is null ? "" : $"dead letters → {dlq} after {maxReceive} receives");
                pending.Remove(q);
                progress = true;
            }
            if (!progress)
            {
                throw new InvalidOperationException($"Queues redrive to each other in a cycle: {string.Join(", ", pending.Select(p => p.Path))}.");
            }
        }
        foreach (var t in resources.Where(r => r.Type == "aws:sns:Topic"))
        {
            var name = Values.LocalName(t);
            Messaging.CreateTopic(new TopicSettings
            {
                Name = name,
                Fifo = Values.Bool(t, "fifoTopic") == true,
                ContentBasedDeduplication = Values.Bool(t, "contentBasedDeduplication") == true,
            });
            Register(t, LocalResourceKind.Topic, null, "");
        }
        foreach (var b in resources.Where(r => r.Type == "aws:s3:Bucket"))
        {
            var name = Values.LocalName(b);
            S3.CreateBucket(name);
            Register(b, LocalResourceKind.Bucket, Options.BucketDirectory is { } dir ? Path.Combine(dir, name) : null, "");
        }

        // 4. Functions, with their environment evaluated against the local values.
        foreach (var (r, construct) in functions)
        {
            var name = Values.LocalName(r);
            if (construct is null)
            {
                _warnings.Add($"{r.Path}: a raw aws:lambda:Function has no handler Lamina can run locally; use Function<THandler> or Function.");
                continue;
            }
            _functionConstructs[name] = construct;
            var handler = Options.HandlerMode == LocalHandlerMode.Published && Options.HandlerOverride?.Invoke(construct) is null && LocalHandlers.HandlerType(construct) is not null
                ? _handlers.FromPackage(construct, Values.String(r, "code"))
                : await _handlers.CreateAsync(construct, cancellationToken).ConfigureAwait(false);
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Values.Properties(r)["environment"]?["variables"] is JsonObject variables)
            {
                foreach (var (k, v) in variables)
                {
                    environment[k] = LocalValues.Text(v);
                }
            }
            var deadLetter = Values.Properties(r)["deadLetterConfig"]?["targetArn"]?.ToString();
            Lambda.AddFunction(new LocalFunctionConfig
            {
                Name = name,
                MemoryMB = (int)(Values.Number(r, "memorySize") ?? 128),
                Timeout = TimeSpan.FromSeconds(Values.Number(r, "timeout") ?? 3),
                ReservedConcurrency = Values.Number(r, "reservedConcurrentExecutions") is { } rc && rc >= 0 ? (int)rc : null,
                Environment = environment,
                Handler = handler,
                Region = region,
                DeadLetter = deadLetter is null ? null : DeadLetterSender(deadLetter),
            });
            Register(r, LocalResourceKind.Function, null, construct.HandlerDescription);
        }

        // 5. Wiring: subscriptions, event source mappings, notifications, schedules, state machines.
        foreach (var s in resources.Where(r => r.Type == "aws:sns:TopicSubscription"))
        {
            WireSubscription(s);
        }
        foreach (var m in resources.Where(r => r.Type == "aws:lambda:EventSourceMapping"))
        {
            WireEventSourceMapping(m);
        }
        foreach (var n in resources.Where(r => r.Type == "aws:s3:BucketNotification"))
        {
            WireBucketNotification(n);
        }
        WireSchedules(resources);
        // The scheduler arms a timer on the clock for its next occurrence: advancing the clock fires each at its instant.
        Scheduler.StartTimer();
        foreach (var sm in resources.Where(r => r.Type == "aws:sfn:StateMachine"))
        {
            var name = Values.LocalName(sm);
            var definition = Values.String(sm, "definition") ?? "{}";
            var arn = LocalValues.Text(Values.Output(sm, "arn"));
            _stateMachines.Add(new LocalStateMachine(this, name, arn, StateMachineDefinition.Parse(definition)));
            var states = JsonNode.Parse(definition)?["States"] as JsonObject;
            Register(sm, LocalResourceKind.StateMachine, null, $"{states?.Count ?? 0} states");
        }

        foreach (var r in resources)
        {
            if (!_byResource.ContainsKey(r) && !Ignored.Contains(r.Type) && !Handled.Contains(r.Type))
            {
                _warnings.Add($"{PathOf(r)}: {r.Type} has no local counterpart and is ignored locally.");
            }
        }
    }

    /// <summary>
    /// The event types written as Lambda writes them: quotes in message bodies escaped as <c>\"</c>, not <c>\u0022</c>
    /// (System.Text.Json's default escaping makes enveloped SNS messages in SQS events three times longer).
    /// </summary>
    private static readonly LambdaEventsJsonContext EventJson = new(new JsonSerializerOptions(LambdaEventsJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = null,
    });

    private static readonly HashSet<string> Handled = new(StringComparer.Ordinal)
    {
        "aws:lambda:Function", "aws:sns:TopicSubscription", "aws:lambda:EventSourceMapping", "aws:s3:BucketNotification",
        "aws:cloudwatch:EventRule", "aws:cloudwatch:EventTarget", "aws:scheduler:Schedule", "aws:scheduler:ScheduleGroup",
        "aws:apigatewayv2:Api", "aws:apigatewayv2:Route", "aws:apigatewayv2:Integration", "aws:apigatewayv2:Stage", "aws:apigatewayv2:Authorizer",
        "aws:apigateway:RestApi", "aws:apigateway:Resource", "aws:apigateway:Method", "aws:apigateway:Integration", "aws:apigateway:Stage",
    };

    /// <summary>The path of the construct a resource stands for: its own, without a trailing <c>/Resource</c>.</summary>
    private static string PathOf(Resource r) => r.Id == Construct.DefaultChildId && r.Scope is { } s ? s.Path : r.Path;

    private static string? LastSegment(string? arn) => arn is null ? null : arn[(arn.LastIndexOf(':') + 1)..];

    /// <summary>The function name an ARN, invoke ARN or name designates, or null when it is not a local function.</summary>
    private string? FunctionNameOf(string? reference)
    {
        if (reference is null)
        {
            return null;
        }
        if (_functionByArn.TryGetValue(reference, out var direct))
        {
            return direct;
        }
        var at = reference.IndexOf(":function:", StringComparison.Ordinal);
        if (at >= 0)
        {
            var rest = reference[(at + ":function:".Length)..];
            var end = rest.IndexOfAny(['/', ':']);
            var name = end < 0 ? rest : rest[..end];
            return _functionByArn.ContainsKey(name) ? name : null;
        }
        return null;
    }

    private string RequireFunction(Resource where, string property, string? reference) =>
        FunctionNameOf(reference) ?? throw new InvalidOperationException($"{where.Path}: {property} '{reference}' is not a function of this stack.");

    private Func<LocalDeadLetter, Task> DeadLetterSender(string targetArn) => dl =>
    {
        var attributes = new Dictionary<string, MessageAttribute>(StringComparer.Ordinal)
        {
            ["RequestID"] = MessageAttribute.String(dl.RequestId),
            ["ErrorCode"] = MessageAttribute.Number(200),
            ["ErrorMessage"] = MessageAttribute.String(dl.Error?.ErrorMessage ?? dl.Condition),
        };
        var body = Encoding.UTF8.GetString(dl.Payload.Span);
        if (targetArn.StartsWith("arn:aws:sns:", StringComparison.Ordinal))
        {
            Messaging.GetTopic(LastSegment(targetArn)!).Publish(body, messageAttributes: attributes);
        }
        else
        {
            Messaging.GetQueue(LastSegment(targetArn)!).SendMessage(body, attributes);
        }
        return Task.CompletedTask;
    };

    private void WireSubscription(Resource s)
    {
        var protocol = Values.String(s, "protocol");
        var topic = LastSegment(Values.String(s, "topic"))!;
        var endpoint = Values.String(s, "endpoint");
        var filter = Values.String(s, "filterPolicy");
        var scope = Values.String(s, "filterPolicyScope") == "MessageBody" ? FilterPolicyScope.MessageBody : FilterPolicyScope.MessageAttributes;
        switch (protocol)
        {
            case "sqs":
                Messaging.SubscribeQueue(new QueueSubscriptionSettings
                {
                    TopicName = topic,
                    QueueName = LastSegment(endpoint)!,
                    RawMessageDelivery = Values.Bool(s, "rawMessageDelivery") == true,
                    FilterPolicy = filter,
                    FilterPolicyScope = scope,
                });
                break;
            case "lambda":
            {
                var function = RequireFunction(s, "endpoint", endpoint);
                Messaging.SubscribeLambda(new LambdaSubscriptionSettings { TopicName = topic, FunctionName = function, FilterPolicy = filter, FilterPolicyScope = scope },
                    async (ev, ct) =>
                    {
                        // SNS invokes Lambda asynchronously: the host retries and dead-letters as Lambda does.
                        var result = await Lambda.InvokeTrustedAsync(function, JsonSerializer.SerializeToUtf8Bytes(ev, EventJson.SnsEvent), InvocationType.Event, ct).ConfigureAwait(false);
                        if (result.ServiceError is { } error)
                        {
                            throw new InvalidOperationException($"{error.ErrorType}: {error.Message}");
                        }
                    });
                break;
            }
            default:
                _warnings.Add($"{s.Path}: subscriptions with protocol '{protocol}' are not delivered locally.");
                break;
        }
    }

    private void WireEventSourceMapping(Resource m)
    {
        var source = Values.String(m, "eventSourceArn");
        if (source is null || !source.StartsWith("arn:aws:sqs:", StringComparison.Ordinal))
        {
            _warnings.Add($"{m.Path}: event source '{source}' is not an SQS queue; only SQS mappings run locally.");
            return;
        }
        var function = RequireFunction(m, "functionName", Values.String(m, "functionName"));
        var reportFailures = Values.Properties(m)["functionResponseTypes"] is JsonArray types && types.Any(t => t?.ToString() == "ReportBatchItemFailures");
        Messaging.AddEventSourceMapping(new EventSourceMappingSettings
        {
            QueueName = LastSegment(source)!,
            FunctionName = function,
            BatchSize = (int)(Values.Number(m, "batchSize") ?? 10),
            MaximumBatchingWindow = TimeSpan.FromSeconds(Values.Number(m, "maximumBatchingWindowInSeconds") ?? 0),
            MaximumConcurrency = LocalValues.AsNumber(Values.Properties(m)["scalingConfig"]?["maximumConcurrency"]) is { } mc ? (int)mc : null,
            ReportBatchItemFailures = reportFailures,
            Enabled = Values.Bool(m, "enabled") != false,
        }, async (ev, ct) =>
        {
            var result = await Lambda.InvokeTrustedAsync(function, JsonSerializer.SerializeToUtf8Bytes(ev, EventJson.SqsEvent), InvocationType.RequestResponse, ct).ConfigureAwait(false);
            if (result.ServiceError is { } service)
            {
                throw new InvalidOperationException($"{service.ErrorType}: {service.Message}");
            }
            if (result.HasFunctionError)
            {
                throw new InvalidOperationException($"{result.Error?.ErrorType}: {result.Error?.ErrorMessage}");
            }
            if (!reportFailures || result.Payload.IsEmpty)
            {
                return null;
            }
            try
            {
                return JsonSerializer.Deserialize(result.Payload.Span, LambdaEventsJsonContext.Default.SqsBatchResponse);
            }
            catch (JsonException)
            {
                // Lambda treats a response it cannot read as a failure of the whole batch.
                throw new InvalidOperationException("The function's response is not a valid partial batch response.");
            }
        });
    }

    private void WireBucketNotification(Resource n)
    {
        var bucket = Values.String(n, "bucket")!;
        var props = Values.Properties(n);
        var index = 0;
        foreach (var (kind, key) in new[] { ("lambdaFunctions", "lambdaFunctionArn"), ("queues", "queueArn"), ("topics", "topicArn") })
        {
            if (props[kind] is not JsonArray list)
            {
                continue;
            }
            foreach (var item in list.OfType<JsonObject>())
            {
                var target = item[key]?.ToString();
                Func<ReadOnlyMemory<byte>, CancellationToken, Task> deliver;
                switch (kind)
                {
                    case "lambdaFunctions":
                    {
                        var function = RequireFunction(n, key, target);
                        deliver = async (payload, ct) =>
                        {
                            // S3 invokes Lambda asynchronously.
                            var result = await Lambda.InvokeTrustedAsync(function, payload, InvocationType.Event, ct).ConfigureAwait(false);
                            if (result.ServiceError is { } error)
                            {
                                throw new InvalidOperationException($"{error.ErrorType}: {error.Message}");
                            }
                        };
                        break;
                    }
                    case "queues":
                        deliver = (payload, _) =>
                        {
                            Messaging.GetQueue(LastSegment(target)!).SendMessage(Encoding.UTF8.GetString(payload.Span));
                            return Task.CompletedTask;
                        };
                        break;
                    default:
                        deliver = (payload, _) =>
                        {
                            Messaging.GetTopic(LastSegment(target)!).Publish(Encoding.UTF8.GetString(payload.Span), subject: "Amazon S3 Notification");
                            return Task.CompletedTask;
                        };
                        break;
                }
                S3.AddNotification(bucket, new LocalBucketNotification
                {
                    Id = item["id"]?.ToString() ?? $"{n.LogicalName}-{index++}",
                    Events = (item["events"] as JsonArray ?? []).Select(e => e!.ToString()).ToList(),
                    Prefix = item["filterPrefix"]?.ToString(),
                    Suffix = item["filterSuffix"]?.ToString(),
                    Target = deliver,
                });
            }
        }
    }

    private void WireSchedules(List<Resource> resources)
    {
        var region = Values.Region;
        var account = Values.AccountId;
        foreach (var rule in resources.Where(r => r.Type == "aws:cloudwatch:EventRule" && Values.String(r, "scheduleExpression") is not null))
        {
            var ruleName = Values.LocalName(rule);
            var targets = resources.Where(t => t.Type == "aws:cloudwatch:EventTarget" && Values.String(t, "rule") == ruleName).ToList();
            var deliveries = targets.Select(t => Delivery(t, Values.String(t, "arn"), Values.String(t, "input"), rule, "aws.events")).ToList();
            AddSchedule(rule, ruleName, Values.String(rule, "scheduleExpression")!, null, null, null, Values.String(rule, "state") != "DISABLED", deliveries);
        }
        foreach (var schedule in resources.Where(r => r.Type == "aws:scheduler:Schedule"))
        {
            var name = Values.LocalName(schedule);
            var target = Values.Properties(schedule)["target"] as JsonObject;
            var delivery = Delivery(schedule, target?["arn"]?.ToString(), target?["input"]?.ToString(), schedule, "aws.scheduler");
            AddSchedule(schedule, name, Values.String(schedule, "scheduleExpression")!, Values.String(schedule, "scheduleExpressionTimezone"),
                Date(Values.String(schedule, "startDate")), Date(Values.String(schedule, "endDate")), Values.String(schedule, "state") != "DISABLED", [delivery]);
        }

        static DateTimeOffset? Date(string? text) => text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

        Func<DateTimeOffset, CancellationToken, Task> Delivery(Resource target, string? arn, string? input, Resource source, string eventSource)
        {
            var function = RequireFunction(target, "arn", arn);
            var scheduleTarget = target.Scope as ScheduleTarget;
            return (time, ct) =>
            {
                var id = EventId(source.LogicalName, time);
                var payload = input
                    ?? scheduleTarget?.PayloadAt(time, id, account, region)
                    ?? new JsonObject
                    {
                        ["version"] = "0",
                        ["id"] = id,
                        ["detail-type"] = "Scheduled Event",
                        ["source"] = eventSource,
                        ["account"] = account,
                        ["time"] = time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture),
                        ["region"] = region,
                        ["resources"] = new JsonArray(LocalValues.Text(Values.Output(source, "arn"))),
                        ["detail"] = new JsonObject(),
                    }.ToJsonString();
                // EventBridge and Scheduler invoke Lambda asynchronously.
                return InvokeAsync(function, payload, InvocationType.Event, ct);
            };
        }
    }

    private void AddSchedule(Resource resource, string name, string expression, string? timeZone, DateTimeOffset? start, DateTimeOffset? end, bool enabled,
        IReadOnlyList<Func<DateTimeOffset, CancellationToken, Task>> deliveries)
    {
        Scheduler.Add(new LocalScheduleDefinition
        {
            Name = name,
            Expression = ScheduleExpression.Parse(expression),
            TimeZone = timeZone,
            StartDate = start,
            EndDate = end,
            Enabled = enabled,
            Target = async (occurrence, ct) =>
            {
                foreach (var deliver in deliveries)
                {
                    await deliver(occurrence.ScheduledTime, ct).ConfigureAwait(false);
                }
            },
        });
        var info = new LocalResourceInfo(LocalResourceKind.Schedule, PathOf(resource), resource.LogicalName, name, LocalValues.Text(Values.Output(resource, "arn")), null, expression + (enabled ? "" : " (disabled)"));
        _resources.Add(info);
        _byResource[resource] = info;
    }

    /// <summary>A deterministic event id for an occurrence (a UUID-shaped hash of the source and the time).</summary>
    private string EventId(string source, DateTimeOffset time)
    {
        var n = Interlocked.Increment(ref _eventCounter);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{time.UtcTicks}|{n}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private List<(LocalApiDefinition Definition, Resource Api, Resource? Stage)> BuildApis(List<Resource> resources)
    {
        var result = new List<(LocalApiDefinition, Resource, Resource?)>();
        string? Id(Resource r) => Values.LocalName(r);
        foreach (var api in resources.Where(r => r.Type == "aws:apigatewayv2:Api"))
        {
            if (Values.String(api, "protocolType") != "HTTP")
            {
                _warnings.Add($"{api.Path}: WebSocket APIs do not run locally.");
                continue;
            }
            var apiId = Id(api);
            var mine = resources.Where(r => r.Type.StartsWith("aws:apigatewayv2:", StringComparison.Ordinal) && Values.String(r, "apiId") == apiId).ToList();
            var integrations = mine.Where(r => r.Type == "aws:apigatewayv2:Integration").ToDictionary(r => r.LogicalName, StringComparer.Ordinal);
            var authorizers = mine.Where(r => r.Type == "aws:apigatewayv2:Authorizer").ToDictionary(r => r.LogicalName, StringComparer.Ordinal);
            var routes = new List<LocalApiRoute>();
            LocalJwtAuthorizer? jwt = null;
            foreach (var route in mine.Where(r => r.Type == "aws:apigatewayv2:Route"))
            {
                var target = Values.String(route, "target") ?? "";
                var integrationId = target.StartsWith("integrations/", StringComparison.Ordinal) ? target["integrations/".Length..] : target;
                if (!integrations.TryGetValue(integrationId, out var integration))
                {
                    _warnings.Add($"{route.Path}: target '{target}' is not an integration of this API; the route is not served locally.");
                    continue;
                }
                var function = FunctionNameOf(Values.String(integration, "integrationUri"));
                if (function is null)
                {
                    _warnings.Add($"{route.Path}: the integration does not call a function of this stack; the route is not served locally.");
                    continue;
                }
                var authorization = Values.String(route, "authorizationType") switch
                {
                    "JWT" => LocalRouteAuthorization.Jwt,
                    "AWS_IAM" => LocalRouteAuthorization.Iam,
                    _ => LocalRouteAuthorization.None,
                };
                if (authorization == LocalRouteAuthorization.Jwt && Values.String(route, "authorizerId") is { } authorizerId && authorizers.TryGetValue(authorizerId, out var authorizer))
                {
                    var config = Values.Properties(authorizer)["jwtConfiguration"];
                    jwt = new LocalJwtAuthorizer
                    {
                        Issuer = config?["issuer"]?.ToString() ?? "",
                        Audiences = (config?["audiences"] as JsonArray ?? []).Select(a => a!.ToString()).ToList(),
                        IdentitySource = (Values.Properties(authorizer)["identitySources"] as JsonArray)?.FirstOrDefault()?.ToString() ?? "$request.header.Authorization",
                        SigningKeys = Options.JwtSigningKeys,
                    };
                }
                routes.Add(new LocalApiRoute
                {
                    RouteKey = Values.String(route, "routeKey")!,
                    FunctionName = function,
                    PayloadFormat = Values.String(integration, "payloadFormatVersion") == "1.0" ? LocalPayloadFormat.V1 : LocalPayloadFormat.V2,
                    Authorization = authorization,
                    Scopes = (Values.Properties(route)["authorizationScopes"] as JsonArray ?? []).Select(a => a!.ToString()).ToList(),
                });
            }
            var cors = Values.Properties(api)["corsConfiguration"] as JsonObject;
            var stage = mine.FirstOrDefault(r => r.Type == "aws:apigatewayv2:Stage");
            var routeSettings = stage is null ? null : Values.Properties(stage)["defaultRouteSettings"];
            result.Add((new LocalApiDefinition
            {
                Name = PathOf(api),
                Kind = LocalApiKind.HttpApi,
                ApiId = apiId!,
                Routes = routes,
                JwtAuthorizer = jwt,
                Cors = cors is null ? null : new LocalCorsConfig
                {
                    AllowOrigins = Strings(cors["allowOrigins"]),
                    AllowMethods = Strings(cors["allowMethods"]),
                    AllowHeaders = Strings(cors["allowHeaders"]),
                    ExposeHeaders = Strings(cors["exposeHeaders"]),
                    MaxAge = LocalValues.AsNumber(cors["maxAge"]) is { } age ? TimeSpan.FromSeconds(age) : null,
                    AllowCredentials = cors["allowCredentials"] is JsonValue cred && cred.TryGetValue<bool>(out var allow) && allow,
                },
                ThrottlingRateLimit = LocalValues.AsNumber(routeSettings?["throttlingRateLimit"]) is { } rate ? (int)rate : null,
                ThrottlingBurstLimit = LocalValues.AsNumber(routeSettings?["throttlingBurstLimit"]) is { } burst ? (int)burst : null,
            }, api, stage));
        }
        foreach (var api in resources.Where(r => r.Type == "aws:apigateway:RestApi"))
        {
            var apiId = Id(api);
            var mine = resources.Where(r => r.Type.StartsWith("aws:apigateway:", StringComparison.Ordinal) && Values.String(r, "restApi") == apiId).ToList();
            var byId = mine.Where(r => r.Type == "aws:apigateway:Resource").ToDictionary(r => r.LogicalName, StringComparer.Ordinal);
            string PathOfResource(string? id)
            {
                if (id is null || id == "root" || !byId.TryGetValue(id, out var res))
                {
                    return "";
                }
                return PathOfResource(Values.String(res, "parentId")) + "/" + Values.String(res, "pathPart");
            }
            var routes = new List<LocalApiRoute>();
            foreach (var integration in mine.Where(r => r.Type == "aws:apigateway:Integration"))
            {
                var function = FunctionNameOf(Values.String(integration, "uri"));
                if (function is null)
                {
                    _warnings.Add($"{integration.Path}: the integration does not call a function of this stack; it is not served locally.");
                    continue;
                }
                var method = Values.String(integration, "httpMethod") ?? "ANY";
                var resourceId = Values.String(integration, "resourceId");
                var methodResource = mine.FirstOrDefault(r => r.Type == "aws:apigateway:Method" && Values.String(r, "resourceId") == resourceId && Values.String(r, "httpMethod") == method);
                var path = PathOfResource(resourceId);
                routes.Add(new LocalApiRoute
                {
                    RouteKey = $"{method} {(path.Length == 0 ? "/" : path)}",
                    FunctionName = function,
                    PayloadFormat = LocalPayloadFormat.V1,
                    Authorization = methodResource is not null && Values.String(methodResource, "authorization") == "AWS_IAM" ? LocalRouteAuthorization.Iam : LocalRouteAuthorization.None,
                });
            }
            var stage = mine.FirstOrDefault(r => r.Type == "aws:apigateway:Stage");
            result.Add((new LocalApiDefinition
            {
                Name = PathOf(api),
                Kind = LocalApiKind.RestApi,
                ApiId = apiId!,
                StageName = stage is null ? "Prod" : Values.String(stage, "stageName") ?? "Prod",
                Routes = routes,
                BinaryMediaTypes = Strings(Values.Properties(api)["binaryMediaTypes"]),
            }, api, stage));
        }
        return result;

        static List<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(x => x!.ToString()).ToList() : node is JsonValue v ? [v.ToString()] : [];
    }
}
