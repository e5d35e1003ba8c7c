using Lamina.Aws.Semantics.Messaging;

namespace Lamina.Local.Messaging;

/// <summary>
/// Options of a <see cref="LocalMessaging"/> engine: the account and region its ARNs and URLs name, and the seed of
/// its identifiers.
/// </summary>
public sealed record LocalMessagingOptions
{
    /// <summary>The region put into ARNs, queue URLs and the <c>awsRegion</c> of SQS events.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The twelve-digit account id put into ARNs and queue URLs.</summary>
    public string AccountId { get; init; } = "000000000000";

    /// <summary>The <c>SenderId</c> system attribute of messages sent with <see cref="LocalQueue.SendMessage"/>.</summary>
    public string SenderId { get; init; } = "AIDALAMINALOCALSENDER";

    /// <summary>The <c>SenderId</c> of messages that an SNS topic delivered to a queue.</summary>
    public string SnsSenderId { get; init; } = "AIDALAMINALOCALSNSSVC";

    /// <summary>
    /// Seed of the message ids, receipt handles, subscription ids and mapping ids. Ids look like random UUIDs but an
    /// engine with the same seed and the same operations produces the same ids.
    /// </summary>
    public ulong IdSeed { get; init; }
}

/// <summary>The settings of a local SQS queue (the subset of <c>CreateQueue</c> attributes the engine simulates).</summary>
public sealed record QueueSettings
{
    /// <summary>The queue name: 1 to 80 letters, digits, <c>-</c> and <c>_</c>; a FIFO queue's name ends with <c>.fifo</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the queue is a FIFO queue.</summary>
    public bool Fifo { get; init; }

    /// <summary>FIFO only: deduplicate by the SHA-256 of the body when a message has no deduplication id.</summary>
    public bool ContentBasedDeduplication { get; init; }

    /// <summary>How long a received message stays invisible (0 to 12 hours; default 30 seconds).</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a message is kept (1 minute to 14 days; default 4 days).</summary>
    public TimeSpan RetentionPeriod { get; init; } = TimeSpan.FromDays(4);

    /// <summary>The delay of every new message (0 to 15 minutes).</summary>
    public TimeSpan DeliveryDelay { get; init; } = TimeSpan.Zero;

    /// <summary>The largest message, body plus attributes, in bytes (1,024 to 1,048,576; default 262,144).</summary>
    public int MaxMessageSize { get; init; } = 262_144;

    /// <summary>The dead-letter queue and the receive count that moves a message there, or null.</summary>
    public DeadLetterSettings? DeadLetter { get; init; }
}

/// <summary>A queue's redrive policy.</summary>
public sealed record DeadLetterSettings
{
    /// <summary>The name of the dead-letter queue; it must already exist in the engine and be of the same kind (FIFO or standard).</summary>
    public required string QueueName { get; init; }

    /// <summary>
    /// How many times a message may be received (1 to 1,000). The receive after that moves the message to the
    /// dead-letter queue instead of returning it.
    /// </summary>
    public required int MaxReceiveCount { get; init; }
}

/// <summary>The settings of a local SNS topic.</summary>
public sealed record TopicSettings
{
    /// <summary>The topic name: 1 to 256 letters, digits, <c>-</c> and <c>_</c>; a FIFO topic's name ends with <c>.fifo</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the topic is a FIFO topic.</summary>
    public bool Fifo { get; init; }

    /// <summary>FIFO only: deduplicate by the SHA-256 of the message when a publish has no deduplication id.</summary>
    public bool ContentBasedDeduplication { get; init; }
}

/// <summary>An SNS subscription that delivers to an SQS queue.</summary>
public sealed record QueueSubscriptionSettings
{
    /// <summary>The name of the topic.</summary>
    public required string TopicName { get; init; }

    /// <summary>The name of the queue. A standard topic cannot deliver to a FIFO queue.</summary>
    public required string QueueName { get; init; }

    /// <summary>
    /// Deliver the message as the SQS body, with the SNS attributes as SQS message attributes; otherwise the body
    /// is the JSON envelope.
    /// </summary>
    public bool RawMessageDelivery { get; init; }

    /// <summary>The filter policy JSON, or null to receive every message.</summary>
    public string? FilterPolicy { get; init; }

    /// <summary>What the filter policy is matched against.</summary>
    public FilterPolicyScope FilterPolicyScope { get; init; } = FilterPolicyScope.MessageAttributes;
}

/// <summary>An SNS subscription that invokes a Lambda function (asynchronously, as SNS does).</summary>
public sealed record LambdaSubscriptionSettings
{
    /// <summary>The name of the topic (a standard topic: FIFO topics cannot deliver to Lambda).</summary>
    public required string TopicName { get; init; }

    /// <summary>The function's name, used in its ARN.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The filter policy JSON, or null to receive every message.</summary>
    public string? FilterPolicy { get; init; }

    /// <summary>What the filter policy is matched against.</summary>
    public FilterPolicyScope FilterPolicyScope { get; init; } = FilterPolicyScope.MessageAttributes;

    /// <summary>
    /// How many times a failed asynchronous invocation is retried (0 to 2, Lambda's default 2). The retries wait
    /// 1 minute and then 2 minutes on the engine's clock.
    /// </summary>
    public int MaximumRetryAttempts { get; init; } = 2;
}

/// <summary>An SQS event source mapping: a poller that invokes a function with batches of a queue's messages.</summary>
public sealed record EventSourceMappingSettings
{
    /// <summary>The name of the queue polled.</summary>
    public required string QueueName { get; init; }

    /// <summary>The function's name, used in its ARN.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The largest batch (standard queues 1 to 10,000, FIFO queues 1 to 10; default 10).</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>
    /// How long to gather messages before invoking with a batch that is not full (0 to 5 minutes; at least 1 second
    /// when <see cref="BatchSize"/> is above 10; FIFO queues only 0).
    /// </summary>
    public TimeSpan MaximumBatchingWindow { get; init; } = TimeSpan.Zero;

    /// <summary>The most batches in flight at once (2 to 1,000), or null for the engine's cap of 1,000.</summary>
    public int? MaximumConcurrency { get; init; }

    /// <summary>Honour the handler's <see cref="Lamina.Lambda.Events.SqsBatchResponse"/> (partial batch failures).</summary>
    public bool ReportBatchItemFailures { get; init; }

    /// <summary>Whether the mapping polls; see also <see cref="LocalEventSourceMapping.Enabled"/>.</summary>
    public bool Enabled { get; init; } = true;
}
