using System.Globalization;
using System.Text.RegularExpressions;
using Lamina.Aws.Iam;
using Lamina.Aws.Lambda;
using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sqs;
using Lamina.Lambda;
using Lamina.Resources;
using Lamina.Values;
using Function = Lamina.Aws.Lambda.Function;
using SqsQueue = Lamina.Aws.Resources.Sqs.Queue;

namespace Lamina.Aws.Messaging;

/// <summary>A function attached to a queue: the function and its <c>aws:lambda:EventSourceMapping</c>.</summary>
/// <param name="Function">The function Lambda invokes with batches of messages.</param>
/// <param name="Mapping">The event source mapping (an escape hatch: its <c>Args</c> can be changed).</param>
/// <param name="Options">The options the trigger was created with.</param>
public sealed record QueueTrigger(FunctionBase Function, EventSourceMapping Mapping, TriggerOptions Options);

/// <summary>
/// An SQS queue (<c>aws:sqs:Queue</c>), encrypted with SSE-SQS by default, with an optional dead-letter queue.
/// Functions drain it through <see cref="Trigger{THandler}(Function{THandler}, TriggerOptions?)"/>; topics deliver to it
/// through <see cref="Topic.Subscribe(Queue, SubscribeOptions?)"/>, which adds a statement to the queue's policy admitting
/// that topic only. It can be a function's <see cref="FunctionProps.DeadLetterTarget"/>.
/// </summary>
/// <example>
/// <code>
/// var failed = new Queue(stack, "ShipmentsFailed", new() { RetentionPeriod = TimeSpan.FromDays(14) });
/// var shipments = new Queue(stack, "Shipments", new()
/// {
///     VisibilityTimeout = TimeSpan.FromMinutes(3),
///     DeadLetterQueue = new() { Queue = failed, MaxReceiveCount = 5 },
/// });
/// shipments.Trigger(new Function&lt;ShipOrder&gt;(stack, "Ship", new() { Timeout = TimeSpan.FromSeconds(30) }), new() { BatchSize = 5 });
/// shipments.GrantSend(new Function&lt;PlaceOrder&gt;(stack, "PlaceOrder"));
/// </code>
/// </example>
public sealed class Queue : Construct, IDeadLetterTarget
{
    /// <summary>The longest queue name SQS accepts, including the <c>.fifo</c> suffix.</summary>
    public const int MaxNameLength = 80;

    /// <summary>The actions a trigger's function gets on the queue: exactly these three.</summary>
    public static readonly IReadOnlyList<string> TriggerActions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];

    private static readonly Regex KeyArnPattern = new(@"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$", RegexOptions.CultureInvariant);

    private readonly List<PolicyStatement> _policyStatements = new();
    private readonly HashSet<string> _policyKeys = new(StringComparer.Ordinal);
    private readonly List<QueueTrigger> _triggers = new();

    /// <summary>Creates the queue.</summary>
    public Queue(Construct scope, string id, QueueProps? props = null) : base(scope, id)
    {
        Props = props ??= new QueueProps();
        ValidateProps(props);
        QueueName = props.Name is { } explicitName ? MessagingNames.Explicit(explicitName, props.Fifo)
            : props.Fifo ? MessagingNames.Physical(this, MaxNameLength, fifo: true) : null;
        var encryption = props.Encryption ?? QueueEncryption.SqsManaged;
        Resource = new SqsQueue(this, DefaultChildId, new QueueArgs
        {
            Name = QueueName is { } queueName ? (Input<string>)queueName : null,
            FifoQueue = props.Fifo ? true : null,
            ContentBasedDeduplication = props.ContentBasedDeduplication ? true : null,
            VisibilityTimeoutSeconds = (props.VisibilityTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds,
            MessageRetentionSeconds = props.RetentionPeriod.TotalSeconds,
            DelaySeconds = props.DeliveryDelay == TimeSpan.Zero ? null : props.DeliveryDelay.TotalSeconds,
            ReceiveWaitTimeSeconds = props.ReceiveMessageWaitTime == TimeSpan.Zero ? null : props.ReceiveMessageWaitTime.TotalSeconds,
            MaxMessageSize = props.MaxMessageSize is int size ? size : null,
            SqsManagedSseEnabled = encryption.Kind switch
            {
                QueueEncryptionKind.SqsManaged => true,
                QueueEncryptionKind.Unencrypted => false,
                _ => null,
            },
            KmsMasterKeyId = encryption.KeyArn,
            KmsDataKeyReusePeriodSeconds = encryption.DataKeyReusePeriod is { } reuse ? reuse.TotalSeconds : null,
            RedrivePolicy = props.DeadLetterQueue is { } dlq ? (Input<string>)Output.Json(new Dictionary<string, object?>
            {
                ["deadLetterTargetArn"] = dlq.Queue.Arn,
                ["maxReceiveCount"] = dlq.MaxReceiveCount,
            }) : null,
        });
    }

    /// <summary>The options the queue was created with.</summary>
    public QueueProps Props { get; }

    /// <summary>The <c>aws:sqs:Queue</c> resource (an escape hatch: its <c>Args</c> can be changed).</summary>
    public SqsQueue Resource { get; }

    /// <summary>The queue's <c>aws:sqs:QueuePolicy</c>, created by the first statement added (by a subscription or <see cref="AddToResourcePolicy"/>); null until then.</summary>
    public QueuePolicy? Policy { get; private set; }

    /// <summary>The explicit physical name (FIFO queues and queues given a <see cref="QueueProps.Name"/>), or null when Pulumi names the queue.</summary>
    public string? QueueName { get; }

    /// <summary>Whether this is a FIFO queue.</summary>
    public bool IsFifo => Props.Fifo;

    /// <summary>The queue's ARN.</summary>
    public Output<string> Arn => Resource.Arn;

    /// <summary>The queue's URL (what the SQS API calls take).</summary>
    public Output<string> Url => Resource.Url;

    /// <summary>The queue's name as an output.</summary>
    public Output<string> Name => Resource.Name;

    /// <summary>The action a function's role needs to send failed invocations here: <c>sqs:SendMessage</c>.</summary>
    public string SendAction => "sqs:SendMessage";

    /// <summary>The functions attached so far.</summary>
    public IReadOnlyList<QueueTrigger> Triggers => _triggers;

    /// <summary>The statements of the queue's policy so far.</summary>
    public IReadOnlyList<PolicyStatement> PolicyStatements => _policyStatements;

    /// <summary>The encryption in effect.</summary>
    public QueueEncryption Encryption => Props.Encryption ?? QueueEncryption.SqsManaged;

    /// <summary>
    /// Adds a statement to the queue's resource policy (one <c>aws:sqs:QueuePolicy</c> per queue, created on first use;
    /// identical statements are written once). Resource-policy statements name a principal.
    /// </summary>
    /// <returns>The queue policy resource.</returns>
    public QueuePolicy AddToResourcePolicy(PolicyStatement statement)
    {
        var key = Lamina.Synthesis.YamlWriter.WriteValue(Expr.From(statement.ToDocument()));
        if (_policyKeys.Add(key))
        {
            _policyStatements.Add(statement);
        }
        return Policy ??= new QueuePolicy(this, "Policy", new QueuePolicyArgs
        {
            QueueUrl = Url,
            Policy = Output.Lazy<string>(() => PolicyDocument.Of(_policyStatements)),
        });
    }

    /// <summary>
    /// Lets <paramref name="principal"/> send messages: <c>sqs:SendMessage</c> (which also authorizes <c>SendMessageBatch</c>)
    /// and <c>sqs:GetQueueUrl</c> on this queue's ARN; with a customer managed KMS key also <c>kms:GenerateDataKey</c> and
    /// <c>kms:Decrypt</c> on that key.
    /// </summary>
    public void GrantSend(IGrantable principal)
    {
        principal.AddToRolePolicy(new PolicyStatement { Actions = ["sqs:SendMessage", "sqs:GetQueueUrl"], Resources = [Arn] });
        GrantKey(principal, ["kms:GenerateDataKey", "kms:Decrypt"]);
    }

    /// <summary>
    /// Lets <paramref name="principal"/> consume messages: <c>sqs:ReceiveMessage</c>, <c>sqs:ChangeMessageVisibility</c>,
    /// <c>sqs:DeleteMessage</c>, <c>sqs:GetQueueAttributes</c> and <c>sqs:GetQueueUrl</c> on this queue's ARN; with a customer
    /// managed KMS key also <c>kms:Decrypt</c> on that key. (A <see cref="Trigger{THandler}(Function{THandler}, TriggerOptions?)"/>
    /// grants less: exactly <see cref="TriggerActions"/>.)
    /// </summary>
    public void GrantConsume(IGrantable principal)
    {
        principal.AddToRolePolicy(new PolicyStatement
        {
            Actions = ["sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            Resources = [Arn],
        });
        GrantKey(principal, ["kms:Decrypt"]);
    }

    /// <summary>
    /// Lets Lambda poll this queue and invoke <paramref name="function"/> with batches of messages: creates an
    /// <c>aws:lambda:EventSourceMapping</c> and grants the function's role exactly <c>sqs:ReceiveMessage</c>,
    /// <c>sqs:DeleteMessage</c> and <c>sqs:GetQueueAttributes</c> on this queue's ARN (plus <c>kms:Decrypt</c> on a customer
    /// managed key). The handler must take SQS events: any other handler does not compile. Failed messages are reported
    /// individually by default (the handler returns an <c>SqsBatchResponse</c>).
    /// </summary>
    /// <typeparam name="THandler">The function's handler, an <see cref="ISqsHandler"/>.</typeparam>
    /// <returns>The trigger.</returns>
    public QueueTrigger Trigger<THandler>(Function<THandler> function, TriggerOptions? options = null) where THandler : class, ISqsHandler =>
        AddTrigger(function, options ?? new TriggerOptions(), typed: true);

    /// <summary>
    /// Attaches a function written in another language (it must declare <see cref="EventSources.Sqs"/>: checked at
    /// synthesis). Same resources and grants as <see cref="Trigger{THandler}(Function{THandler}, TriggerOptions?)"/>;
    /// <see cref="TriggerOptions.ReportBatchItemFailures"/> defaults to false.
    /// </summary>
    /// <returns>The trigger.</returns>
    public QueueTrigger Trigger(Function function, TriggerOptions? options = null)
    {
        function.RequireEvents(EventSources.Sqs, this);
        return AddTrigger(function, options ?? new TriggerOptions(), typed: false);
    }

    internal QueueTrigger AddTrigger(FunctionBase function, TriggerOptions options, bool typed)
    {
        if (_triggers.FirstOrDefault(t => ReferenceEquals(t.Function, function)) is { } existing)
        {
            AddError(null, $"function {function.Path} is already triggered by this queue; Lambda allows one event source mapping per queue and function");
            return existing;
        }
        ValidateTrigger(function, options);
        function.AddToRolePolicy(new PolicyStatement { Actions = [.. TriggerActions], Resources = [Arn] });
        GrantKey(function, ["kms:Decrypt"]);
        var report = options.ReportBatchItemFailures ?? typed;
        var mapping = new EventSourceMapping(this, MessagingNames.FreeId(this, MessagingNames.Combine("Trigger-", function.Id)), new EventSourceMappingArgs
        {
            EventSourceArn = Arn,
            FunctionName = function.Arn,
            BatchSize = options.BatchSize,
            MaximumBatchingWindowInSeconds = options.MaxBatchingWindow == TimeSpan.Zero ? null : options.MaxBatchingWindow.TotalSeconds,
            FunctionResponseTypes = report ? (InputList<string>)new[] { "ReportBatchItemFailures" } : null,
            ScalingConfig = options.MaxConcurrency is int max ? new() { MaximumConcurrency = max } : null,
            Enabled = options.Enabled,
        }, new ResourceOptions { DependsOn = [function.ExecutionRole.Policy] }); // Lambda checks the role's permissions when it creates the mapping.
        var trigger = new QueueTrigger(function, mapping, options);
        _triggers.Add(trigger);
        return trigger;
    }

    private readonly List<FunctionBase> _deadLetterSources = [];

    /// <inheritdoc />
    void IDeadLetterTarget.AddDeadLetterSource(FunctionBase function) => _deadLetterSources.Add(function);

    /// <inheritdoc />
    protected override void Prepare()
    {
        Props.Transform?.Queue?.Invoke(Resource.Args);
        if (Policy is not null)
        {
            Props.Transform?.Policy?.Invoke(Policy.Args);
        }
        foreach (var t in _triggers)
        {
            t.Options.Transform?.Invoke(t.Mapping.Args);
        }
        // Functions sending their failed invocations here need the key too.
        if (Encryption.Kind == QueueEncryptionKind.Kms)
        {
            foreach (var fn in _deadLetterSources)
            {
                GrantKey(fn, ["kms:GenerateDataKey", "kms:Decrypt"]);
            }
        }
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        var args = Resource.Args;
        var fifo = args.FifoQueue is null ? false : args.FifoQueue.ToExpr() is LiteralExpr { Value: bool b } ? b : IsFifo;
        if (MessagingNames.Literal(args.Name) is { } name && MessagingNames.Problem(name, fifo, MaxNameLength, "queue") is { } problem)
        {
            AddError("Name", problem);
        }

        var visibility = MessagingNames.Literal(args.VisibilityTimeoutSeconds) ?? 30;
        foreach (var t in _triggers)
        {
            ValidateTriggerAgainstQueue(t, visibility, fifo);
        }

        if (EffectiveDeadLetterQueue is { } dlq)
        {
            ValidateDeadLetterQueue(dlq, fifo);
        }
    }

    /// <summary>The dead-letter queue named by the redrive policy as it will be deployed (after transforms), or null.</summary>
    internal Queue? EffectiveDeadLetterQueue => Resource.Args.RedrivePolicy?.ToExpr().Descendants()
        .OfType<RefExpr>()
        .Select(r => r.Target is SqsQueue { Scope: Queue q } && r.PropertyPath == "arn" ? q : null)
        .FirstOrDefault(q => q is not null);

    private void ValidateTriggerAgainstQueue(QueueTrigger t, double visibility, bool fifo)
    {
        var fn = t.Function;
        var timeout = MessagingNames.Literal(fn.Resource.Args.Timeout) ?? fn.Timeout.TotalSeconds;
        if (visibility < timeout)
        {
            AddError("VisibilityTimeout", $"visibility timeout {MessagingNames.Seconds(visibility)} is shorter than the timeout of function {fn.Path} ({MessagingNames.Seconds(timeout)}) it triggers: " +
                $"Lambda refuses to create the event source mapping. Set VisibilityTimeout to at least {MessagingNames.Seconds(timeout)}; AWS recommends six times the function timeout ({MessagingNames.Seconds(Math.Min(43_200, 6 * timeout))})");
        }
        else if (visibility < 6 * timeout)
        {
            AddWarning("VisibilityTimeout", $"visibility timeout {MessagingNames.Seconds(visibility)} is less than six times the timeout of function {fn.Path} ({MessagingNames.Seconds(timeout)}); " +
                $"AWS recommends at least {MessagingNames.Seconds(Math.Min(43_200, 6 * timeout))} so throttled batches can be retried before messages reappear");
        }

        var batch = MessagingNames.Literal(t.Mapping.Args.BatchSize) ?? 10;
        var window = MessagingNames.Literal(t.Mapping.Args.MaximumBatchingWindowInSeconds) ?? 0;
        if (fifo)
        {
            if (batch > 10)
            {
                AddError("BatchSize", $"batch size {batch.ToString(CultureInfo.InvariantCulture)} for function {fn.Path} is too large for a FIFO queue: Lambda allows 1-10 messages per batch from FIFO queues");
            }
            if (window > 0)
            {
                AddError("MaxBatchingWindow", $"a batching window ({MessagingNames.Seconds(window)}) is set for function {fn.Path}, but Lambda does not support batching windows on FIFO queues: leave it at 0");
            }
        }
        else if (batch > 10 && window < 1)
        {
            AddError("MaxBatchingWindow", $"batch size {batch.ToString(CultureInfo.InvariantCulture)} for function {fn.Path} needs a batching window: Lambda requires MaxBatchingWindow of at least 1 s (1-300 s) when the batch size is above 10");
        }
    }

    private void ValidateDeadLetterQueue(Queue dlq, bool fifo)
    {
        if (ReferenceEquals(dlq, this))
        {
            AddError("DeadLetterQueue", "the queue is its own dead-letter queue (its redrive policy names its own ARN): use another queue");
            return;
        }
        // Follow the redrive chain: it must end.
        var seen = new HashSet<Queue> { this };
        for (var q = dlq; q is not null; q = q.EffectiveDeadLetterQueue)
        {
            if (!seen.Add(q))
            {
                AddError("DeadLetterQueue", $"the dead-letter queues starting at {dlq.Path} form a cycle through {q.Path}: a dead-letter chain must end");
                break;
            }
        }
        if (dlq.IsFifo != fifo)
        {
            AddError("DeadLetterQueue", fifo
                ? $"the dead-letter queue {dlq.Path} is a standard queue, but a FIFO queue's dead-letter queue must be a FIFO queue"
                : $"the dead-letter queue {dlq.Path} is a FIFO queue, but a standard queue's dead-letter queue must be a standard queue");
        }
        else if (!fifo && dlq.Props.RetentionPeriod <= Props.RetentionPeriod)
        {
            AddWarning("DeadLetterQueue", $"the dead-letter queue {dlq.Path} keeps messages {dlq.Props.RetentionPeriod.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days, not longer than this queue ({Props.RetentionPeriod.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days): " +
                "a standard queue's messages keep their original enqueue time when moved, so they may expire soon after; AWS recommends a longer retention on the dead-letter queue");
        }
    }

    private void GrantKey(IGrantable principal, IReadOnlyList<string> actions)
    {
        if (Encryption.Kind == QueueEncryptionKind.Kms && Encryption.KeyArn is { } key)
        {
            principal.AddToRolePolicy(new PolicyStatement { Actions = actions, Resources = [key] });
        }
    }

    private void ValidateTrigger(FunctionBase fn, TriggerOptions o)
    {
        if (o.BatchSize is < 1 or > 10_000)
        {
            AddError("BatchSize", $"batch size {o.BatchSize} for function {fn.Path} is out of range: Lambda allows 1-10,000 messages (1-10 for FIFO queues)");
        }
        if (!MessagingNames.WholeSecondsIn(o.MaxBatchingWindow, 0, 300))
        {
            AddError("MaxBatchingWindow", $"batching window {o.MaxBatchingWindow} for function {fn.Path} is out of range: Lambda allows 0-300 seconds, in whole seconds");
        }
        if (o.MaxConcurrency is < 2 or > 1000)
        {
            AddError("MaxConcurrency", $"maximum concurrency {o.MaxConcurrency} for function {fn.Path} is out of range: Lambda allows 2-1,000");
        }
    }

    private void ValidateProps(QueueProps p)
    {
        if (p.VisibilityTimeout is { } v && !MessagingNames.WholeSecondsIn(v, 0, 43_200))
        {
            AddError("VisibilityTimeout", $"visibility timeout {v} is out of range: SQS allows 0-43,200 seconds (12 hours), in whole seconds");
        }
        if (!MessagingNames.WholeSecondsIn(p.RetentionPeriod, 60, 1_209_600))
        {
            AddError("RetentionPeriod", $"retention period {p.RetentionPeriod} is out of range: SQS allows 60-1,209,600 seconds (1 minute to 14 days), in whole seconds");
        }
        if (!MessagingNames.WholeSecondsIn(p.DeliveryDelay, 0, 900))
        {
            AddError("DeliveryDelay", $"delivery delay {p.DeliveryDelay} is out of range: SQS allows 0-900 seconds (15 minutes), in whole seconds");
        }
        if (!MessagingNames.WholeSecondsIn(p.ReceiveMessageWaitTime, 0, 20))
        {
            AddError("ReceiveMessageWaitTime", $"receive wait time {p.ReceiveMessageWaitTime} is out of range: SQS allows 0-20 seconds, in whole seconds");
        }
        if (p.MaxMessageSize is < 1024 or > 1_048_576)
        {
            AddError("MaxMessageSize", $"maximum message size {p.MaxMessageSize} bytes is out of range: SQS allows 1,024-1,048,576 bytes (1 KiB to 1 MiB)");
        }
        if (p.ContentBasedDeduplication && !p.Fifo)
        {
            AddError("ContentBasedDeduplication", "content-based deduplication applies to FIFO queues only: set Fifo = true or leave ContentBasedDeduplication false");
        }
        if (p.Name is { } name && MessagingNames.Problem(MessagingNames.Explicit(name, p.Fifo), p.Fifo, MaxNameLength, "queue") is { } problem)
        {
            AddError("Name", problem);
        }
        if (p.DeadLetterQueue is { } dlq && dlq.MaxReceiveCount is < 1 or > 1000)
        {
            AddError("DeadLetterQueue", $"maxReceiveCount {dlq.MaxReceiveCount} is out of range: SQS allows 1-1,000 receives before a message moves to the dead-letter queue");
        }
        var enc = p.Encryption ?? QueueEncryption.SqsManaged;
        if (enc.Kind == QueueEncryptionKind.Kms)
        {
            if (MessagingNames.Literal(enc.KeyArn) is { } key && !KeyArnPattern.IsMatch(key))
            {
                AddError("Encryption", $"KMS key '{key}' is not a key ARN: pass arn:aws:kms:<region>:<account>:key/<key id> (so grants can name the key), or use QueueEncryption.KmsManaged for alias/aws/sqs");
            }
        }
        if (enc.DataKeyReusePeriod is { } reuse && !MessagingNames.WholeSecondsIn(reuse, 60, 86_400))
        {
            AddError("Encryption", $"data key reuse period {reuse} is out of range: SQS allows 60-86,400 seconds (1 minute to 24 hours), in whole seconds");
        }
    }
}
