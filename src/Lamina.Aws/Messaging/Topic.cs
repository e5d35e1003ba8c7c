using Lamina.Aws.Iam;
using Lamina.Aws.Lambda;
using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Lambda;
using Lamina.Resources;
using Lamina.Values;
using Function = Lamina.Aws.Lambda.Function;
using SnsTopic = Lamina.Aws.Resources.Sns.Topic;

namespace Lamina.Aws.Messaging;

/// <summary>One subscription of a topic.</summary>
/// <param name="Endpoint">The subscribed <see cref="Queue"/> or function.</param>
/// <param name="Resource">The <c>aws:sns:TopicSubscription</c> (an escape hatch: its <c>Args</c> can be changed).</param>
/// <param name="Options">The options the subscription was created with.</param>
/// <param name="Permission">For a function: the <c>aws:lambda:Permission</c> letting this topic invoke it; otherwise null.</param>
public sealed record TopicSubscriber(Construct Endpoint, TopicSubscription Resource, SubscribeOptions Options, Permission? Permission);

/// <summary>
/// An SNS topic (<c>aws:sns:Topic</c>). Queues subscribe with <see cref="Subscribe(Queue, SubscribeOptions?)"/> (the queue's
/// policy admits this topic only), .NET functions with <see cref="Subscribe{THandler}(Function{THandler}, SubscribeOptions?)"/>
/// (only <c>ISnsHandler</c>s compile), and <see cref="FanOut(FanOutTarget[])"/> builds a queue, a dead-letter queue, a
/// filtered subscription and a trigger per consumer. A topic can be a function's <see cref="FunctionProps.DeadLetterTarget"/>.
/// </summary>
/// <example>
/// <code>
/// var orders = new Topic(stack, "OrderEvents");
/// orders.FanOut(
///     ("Billing",  new Function&lt;ChargeCustomer&gt;(stack, "Charge"), Filter.Attribute("type", "created")),
///     ("Shipping", new Function&lt;ShipOrder&gt;(stack, "Ship"),        Filter.Any));
/// orders.Subscribe(new Function&lt;Notify&gt;(stack, "Notify"), new() { Filter = Filter.Prefix("type", "order-") });
/// orders.GrantPublish(new Function&lt;PlaceOrder&gt;(stack, "PlaceOrder"));
/// </code>
/// </example>
public sealed partial class Topic : Construct, IDeadLetterTarget
{
    /// <summary>The longest topic name SNS accepts, including the <c>.fifo</c> suffix.</summary>
    public const int MaxNameLength = 256;

    private readonly List<TopicSubscriber> _subscribers = new();

    /// <summary>Creates the topic.</summary>
    public Topic(Construct scope, string id, TopicProps? props = null) : base(scope, id)
    {
        Props = props ??= new TopicProps();
        if (props.ContentBasedDeduplication && !props.Fifo)
        {
            AddError("ContentBasedDeduplication", "content-based deduplication applies to FIFO topics only: set Fifo = true or leave ContentBasedDeduplication false");
        }
        if (props.DisplayName is { Length: > 100 })
        {
            AddError("DisplayName", $"display name has {props.DisplayName.Length} characters; SNS allows at most 100");
        }
        if (props.Name is { } n && MessagingNames.Problem(MessagingNames.Explicit(n, props.Fifo), props.Fifo, MaxNameLength, "topic") is { } problem)
        {
            AddError("Name", problem);
        }
        TopicName = props.Name is { } explicitName ? MessagingNames.Explicit(explicitName, props.Fifo)
            : props.Fifo ? MessagingNames.Physical(this, MaxNameLength, fifo: true) : null;
        Resource = new SnsTopic(this, DefaultChildId, new TopicArgs
        {
            Name = TopicName is { } topicName ? (Input<string>)topicName : null,
            FifoTopic = props.Fifo ? true : null,
            ContentBasedDeduplication = props.ContentBasedDeduplication ? true : null,
            DisplayName = props.DisplayName is { } displayName ? (Input<string>)displayName : null,
            KmsMasterKeyId = props.KmsKey,
        });
    }

    /// <summary>The options the topic was created with.</summary>
    public TopicProps Props { get; }

    /// <summary>The <c>aws:sns:Topic</c> resource (an escape hatch: its <c>Args</c> can be changed).</summary>
    public SnsTopic Resource { get; }

    /// <summary>The explicit physical name (FIFO topics and topics given a <see cref="TopicProps.Name"/>), or null when Pulumi names the topic.</summary>
    public string? TopicName { get; }

    /// <summary>Whether this is a FIFO topic.</summary>
    public bool IsFifo => Props.Fifo;

    /// <summary>The topic's ARN.</summary>
    public Output<string> Arn => Resource.Arn;

    /// <summary>The topic's name as an output.</summary>
    public Output<string> Name => Resource.Name;

    /// <summary>The action a function's role needs to send failed invocations here: <c>sns:Publish</c>.</summary>
    public string SendAction => "sns:Publish";

    /// <summary>The subscriptions so far.</summary>
    public IReadOnlyList<TopicSubscriber> Subscribers => _subscribers;

    /// <summary>
    /// Lets <paramref name="principal"/> publish: exactly <c>sns:Publish</c> on this topic's ARN; with a KMS key ARN also
    /// <c>kms:GenerateDataKey</c> and <c>kms:Decrypt</c> on that key.
    /// </summary>
    public void GrantPublish(IGrantable principal)
    {
        principal.AddToRolePolicy(new PolicyStatement { Actions = ["sns:Publish"], Resources = [Arn] });
        GrantKey(principal);
    }

    /// <summary>
    /// Subscribes <paramref name="queue"/>: an <c>aws:sns:TopicSubscription</c> (protocol <c>sqs</c>) and a statement in the
    /// queue's policy letting <c>sns.amazonaws.com</c> send (<c>sqs:SendMessage</c>) to that queue only when the source is
    /// this topic (<c>ArnEquals aws:SourceArn</c>). The subscription waits for the queue policy. A FIFO queue needs a FIFO topic.
    /// </summary>
    /// <returns>The subscription.</returns>
    public TopicSubscriber Subscribe(Queue queue, SubscribeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        options ??= new SubscribeOptions();
        if (FindDuplicate(queue) is { } existing)
        {
            return existing;
        }
        var policy = queue.AddToResourcePolicy(new PolicyStatement
        {
            Effect = "Allow",
            Principal = new Dictionary<string, object?> { ["Service"] = "sns.amazonaws.com" },
            Actions = ["sqs:SendMessage"],
            Resources = [queue.Arn],
            Conditions = new Dictionary<string, IReadOnlyDictionary<string, object?>>
            {
                ["ArnEquals"] = new Dictionary<string, object?> { ["aws:SourceArn"] = Arn },
            },
        });
        var subscription = new TopicSubscription(this, MessagingNames.FreeId(this, MessagingNames.Combine("To", queue.Id)), Args("sqs", queue.Arn, options),
            new ResourceOptions { DependsOn = [policy] });
        var subscriber = new TopicSubscriber(queue, subscription, options, null);
        _subscribers.Add(subscriber);
        return subscriber;
    }

    /// <summary>
    /// Subscribes a .NET function: an <c>aws:sns:TopicSubscription</c> (protocol <c>lambda</c>) and an <c>aws:lambda:Permission</c>
    /// letting <c>sns.amazonaws.com</c> invoke it from this topic only. The handler must take SNS events: any other handler
    /// does not compile. FIFO topics cannot deliver to functions (subscribe a queue and trigger the function from it).
    /// </summary>
    /// <typeparam name="THandler">The function's handler, an <see cref="ISnsHandler"/>.</typeparam>
    /// <returns>The subscription.</returns>
    public TopicSubscriber Subscribe<THandler>(Function<THandler> function, SubscribeOptions? options = null) where THandler : class, ISnsHandler =>
        SubscribeFunction(function, options ?? new SubscribeOptions());

    /// <summary>
    /// Subscribes a function written in another language (it must declare <see cref="EventSources.Sns"/>: checked at
    /// synthesis). Same resources as <see cref="Subscribe{THandler}(Function{THandler}, SubscribeOptions?)"/>.
    /// </summary>
    /// <returns>The subscription.</returns>
    public TopicSubscriber Subscribe(Function function, SubscribeOptions? options = null)
    {
        function.RequireEvents(EventSources.Sns, this);
        return SubscribeFunction(function, options ?? new SubscribeOptions());
    }

    private TopicSubscriber SubscribeFunction(FunctionBase function, SubscribeOptions options)
    {
        if (FindDuplicate(function) is { } existing)
        {
            return existing;
        }
        if (options.RawMessageDelivery)
        {
            AddError("RawMessageDelivery", $"raw message delivery is set for function {function.Path}, but SNS offers it only to SQS, HTTP(S) and Firehose subscriptions: leave it false for Lambda");
        }
        var permission = LambdaPermissions.AllowInvoke(this, MessagingNames.FreeId(this, MessagingNames.Combine("Invoke", function.Id)), function, "sns.amazonaws.com", Arn);
        var args = Args("lambda", function.Arn, options);
        args.RawMessageDelivery = null;
        var subscription = new TopicSubscription(this, MessagingNames.FreeId(this, MessagingNames.Combine("To", function.Id)), args,
            new ResourceOptions { DependsOn = [permission] });
        var subscriber = new TopicSubscriber(function, subscription, options, permission);
        _subscribers.Add(subscriber);
        return subscriber;
    }

    private TopicSubscriber? FindDuplicate(Construct endpoint)
    {
        var existing = _subscribers.FirstOrDefault(s => ReferenceEquals(s.Endpoint, endpoint));
        if (existing is not null)
        {
            AddError("Subscription", $"{endpoint.Path} is already subscribed to this topic; SNS keeps one subscription per endpoint (combine the filters with Filter.Or)");
        }
        return existing;
    }

    private TopicSubscriptionArgs Args(string protocol, Output<string> endpoint, SubscribeOptions options) => new()
    {
        Topic = Arn,
        Protocol = protocol,
        Endpoint = endpoint,
        FilterPolicy = options.Filter.Json is { } json ? (Input<string>)json : null,
        FilterPolicyScope = options.Filter.IsAny ? null : (Input<string>)(options.FilterPolicyScope == FilterPolicyScope.MessageBody ? "MessageBody" : "MessageAttributes"),
        RawMessageDelivery = options.RawMessageDelivery ? true : null,
    };

    private readonly List<FunctionBase> _deadLetterSources = [];

    /// <inheritdoc />
    void IDeadLetterTarget.AddDeadLetterSource(FunctionBase function) => _deadLetterSources.Add(function);

    /// <inheritdoc />
    protected override void Prepare()
    {
        Props.Transform?.Topic?.Invoke(Resource.Args);
        foreach (var s in _subscribers)
        {
            s.Options.Transform?.Invoke(s.Resource.Args);
        }
        // Functions sending their failed invocations here (they registered themselves) need the key too.
        if (Props.KmsKey is not null)
        {
            foreach (var fn in _deadLetterSources)
            {
                GrantKey(fn);
            }
        }
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        var args = Resource.Args;
        var fifo = args.FifoTopic is null ? false : args.FifoTopic.ToExpr() is LiteralExpr { Value: bool b } ? b : IsFifo;
        if (MessagingNames.Literal(args.Name) is { } name && MessagingNames.Problem(name, fifo, MaxNameLength, "topic") is { } problem)
        {
            AddError("Name", problem);
        }
        foreach (var s in _subscribers)
        {
            ValidateSubscriber(s, fifo);
        }
    }

    private void ValidateSubscriber(TopicSubscriber s, bool fifo)
    {
        switch (s.Endpoint)
        {
            case Queue q when q.IsFifo && !fifo:
                AddError("Subscription", $"FIFO queue {q.Path} is subscribed to this standard topic, but SQS FIFO queues receive only from SNS FIFO topics: make the topic FIFO (Fifo = true) or the queue standard (FIFO topics may deliver to standard queues)");
                break;
            case Queue { Encryption.Kind: QueueEncryptionKind.KmsManaged } q:
                AddError("Subscription", $"queue {q.Path} is encrypted with the AWS managed key alias/aws/sqs, whose key policy cannot admit SNS, so this topic could not deliver to it: use QueueEncryption.SqsManaged or a customer managed key (QueueEncryption.Kms)");
                break;
            case Queue { Encryption.Kind: QueueEncryptionKind.Kms } q:
                AddWarning("Subscription", $"queue {q.Path} is encrypted with a customer managed KMS key: its key policy must allow sns.amazonaws.com kms:GenerateDataKey and kms:Decrypt, or SNS cannot deliver (Lamina does not manage key policies)");
                break;
            case FunctionBase fn when fifo:
                AddError("Subscription", $"function {fn.Path} is subscribed to this FIFO topic, but SNS FIFO topics deliver only to SQS queues: subscribe a queue and trigger the function from it (FanOut does this)");
                break;
        }

        var policyText = MessagingNames.Literal(s.Resource.Args.FilterPolicy);
        if (policyText is null)
        {
            return;
        }
        var scope = MessagingNames.Literal(s.Resource.Args.FilterPolicyScope) == "MessageBody" ? FilterPolicyScope.MessageBody : FilterPolicyScope.MessageAttributes;
        foreach (var e in FilterPolicy.Validate(policyText, scope))
        {
            AddError("FilterPolicy", $"the filter policy of the subscription of {s.Endpoint.Path} ({scope} scope) is invalid at {e.Path}: {e.Message}");
        }
    }

    private void GrantKey(IGrantable principal)
    {
        if (Props.KmsKey is not { } key)
        {
            return;
        }
        var literal = MessagingNames.Literal(key);
        if (literal is null || (literal.StartsWith("arn:", StringComparison.Ordinal) && literal.Contains(":key/", StringComparison.Ordinal)))
        {
            principal.AddToRolePolicy(new PolicyStatement { Actions = ["kms:GenerateDataKey", "kms:Decrypt"], Resources = [key] });
        }
        else if (literal != "alias/aws/sns")
        {
            AddWarning("KmsKey", $"KMS key '{literal}' is not a key ARN, so the grant to {principal.Path} cannot name it: allow kms:GenerateDataKey and kms:Decrypt in the key's policy, or pass the key ARN");
        }
    }
}
