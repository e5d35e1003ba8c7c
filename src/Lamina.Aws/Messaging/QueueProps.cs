using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sqs;
using Lamina.Values;

namespace Lamina.Aws.Messaging;

/// <summary>
/// Options of a <see cref="Queue"/>. Each is validated at construction; an error names the construct path, the
/// property and the allowed range. Durations must be whole seconds.
/// </summary>
public sealed record QueueProps
{
    /// <summary>
    /// A FIFO queue (exactly-once processing, ordered per message group). A FIFO queue gets an explicit name,
    /// <c>&lt;project&gt;-&lt;stack&gt;-&lt;construct path&gt;.fifo</c> (cut with a hash to SQS's 80 characters),
    /// as SQS requires FIFO queue names to end with <c>.fifo</c>. Default: false (a standard queue, auto-named by Pulumi).
    /// </summary>
    public bool Fifo { get; init; }

    /// <summary>
    /// An explicit queue name: letters, digits, '-' and '_', at most 80 characters including the <c>.fifo</c> suffix
    /// of a FIFO queue (added when missing). Default: none (see <see cref="Fifo"/> for how names are chosen).
    /// </summary>
    public string? Name { get; init; }

    /// <summary>
    /// FIFO only: deduplicate messages by a SHA-256 of their body instead of an explicit deduplication id
    /// (an error on a standard queue). Default: false.
    /// </summary>
    public bool ContentBasedDeduplication { get; init; }

    /// <summary>
    /// How long a received message stays hidden from other consumers, 0–43,200 s (12 hours). It must be at least the
    /// timeout of every function the queue triggers (AWS recommends six times). Default: 30 s (SQS's default).
    /// </summary>
    public TimeSpan? VisibilityTimeout { get; init; }

    /// <summary>How long SQS keeps a message, 60 s–14 days. Default: 4 days (SQS's default).</summary>
    public TimeSpan RetentionPeriod { get; init; } = TimeSpan.FromDays(4);

    /// <summary>How long each new message stays invisible before its first delivery, 0–900 s. Default: 0.</summary>
    public TimeSpan DeliveryDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How long a <c>ReceiveMessage</c> call waits for messages (long polling), 0–20 s. Default: 0 (SQS's default).</summary>
    public TimeSpan ReceiveMessageWaitTime { get; init; } = TimeSpan.Zero;

    /// <summary>The largest message SQS accepts, in bytes, 1,024–1,048,576. Default: not set (SQS's default applies).</summary>
    public int? MaxMessageSize { get; init; }

    /// <summary>Server-side encryption. Default: <see cref="QueueEncryption.SqsManaged"/> (SSE-SQS, no key to manage).</summary>
    public QueueEncryption Encryption { get; init; } = QueueEncryption.SqsManaged;

    /// <summary>
    /// Where messages go after <see cref="DeadLetterQueue.MaxReceiveCount"/> failed receives (the queue's redrive
    /// policy). A FIFO queue needs a FIFO dead-letter queue and a standard queue a standard one. Default: none.
    /// </summary>
    public DeadLetterQueue? DeadLetterQueue { get; init; }

    /// <summary>Adjusts the underlying resources' arguments just before synthesis (an escape hatch). Default: none.</summary>
    public QueueTransforms? Transform { get; init; }
}

/// <summary>A queue's dead-letter queue: the redrive policy <c>{deadLetterTargetArn, maxReceiveCount}</c>.</summary>
public sealed record DeadLetterQueue
{
    /// <summary>The queue that receives the messages (of the same type, FIFO or standard, as the source). Required.</summary>
    public required Queue Queue { get; init; }

    /// <summary>Receives of a message before it is moved, 1–1,000. Default: 5.</summary>
    public int MaxReceiveCount { get; init; } = 5;
}

/// <summary>The kinds of <see cref="QueueEncryption"/>.</summary>
public enum QueueEncryptionKind
{
    /// <summary>SSE-SQS: SQS-owned keys (<c>sqsManagedSseEnabled: true</c>).</summary>
    SqsManaged,
    /// <summary>SSE-KMS with the AWS managed key <c>alias/aws/sqs</c>.</summary>
    KmsManaged,
    /// <summary>SSE-KMS with a customer managed key given by its ARN.</summary>
    Kms,
    /// <summary>No server-side encryption (<c>sqsManagedSseEnabled: false</c>).</summary>
    Unencrypted,
}

/// <summary>
/// How a queue is encrypted at rest. With <see cref="Kms(Input{string}, TimeSpan?)"/> the grants add the key actions
/// they need (<c>kms:GenerateDataKey</c> and <c>kms:Decrypt</c> to send, <c>kms:Decrypt</c> to consume) on that key only.
/// </summary>
/// <example>
/// <code>
/// new Queue(stack, "Payments", new() { Encryption = QueueEncryption.Kms("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab") });
/// </code>
/// </example>
public sealed record QueueEncryption
{
    private QueueEncryption(QueueEncryptionKind kind, Input<string>? keyArn, TimeSpan? dataKeyReusePeriod)
    {
        Kind = kind;
        KeyArn = keyArn;
        DataKeyReusePeriod = dataKeyReusePeriod;
    }

    /// <summary>SSE-SQS (the default): encrypted with keys SQS owns; nothing to grant.</summary>
    public static QueueEncryption SqsManaged { get; } = new(QueueEncryptionKind.SqsManaged, null, null);

    /// <summary>
    /// SSE-KMS with the AWS managed key <c>alias/aws/sqs</c>. SNS topics cannot deliver to such a queue (its key
    /// policy cannot be changed to admit SNS): subscribing one is an error.
    /// </summary>
    public static QueueEncryption KmsManaged { get; } = new(QueueEncryptionKind.KmsManaged, "alias/aws/sqs", null);

    /// <summary>No encryption at rest.</summary>
    public static QueueEncryption Unencrypted { get; } = new(QueueEncryptionKind.Unencrypted, null, null);

    /// <summary>
    /// SSE-KMS with a customer managed key: <paramref name="keyArn"/> is the key's ARN
    /// (<c>arn:aws:kms:&lt;region&gt;:&lt;account&gt;:key/&lt;id&gt;</c>) or an output holding it;
    /// <paramref name="dataKeyReusePeriod"/> is 60 s–24 hours (SQS's default: 5 minutes).
    /// The key's own policy must admit the services that use it (SNS, for subscriptions): Lamina does not manage key policies.
    /// </summary>
    public static QueueEncryption Kms(Input<string> keyArn, TimeSpan? dataKeyReusePeriod = null) => new(QueueEncryptionKind.Kms, keyArn, dataKeyReusePeriod);

    /// <summary>The kind of encryption.</summary>
    public QueueEncryptionKind Kind { get; }

    /// <summary>The KMS key (an ARN, or <c>alias/aws/sqs</c>), or null without KMS.</summary>
    public Input<string>? KeyArn { get; }

    /// <summary>How long SQS reuses a data key (KMS only), or null for SQS's default.</summary>
    public TimeSpan? DataKeyReusePeriod { get; }
}

/// <summary>Callbacks that adjust a queue's underlying resources before synthesis (as SST's <c>transform</c>).</summary>
public sealed record QueueTransforms
{
    /// <summary>Adjusts the <c>aws:sqs:Queue</c> arguments.</summary>
    public Action<QueueArgs>? Queue { get; init; }

    /// <summary>Adjusts the <c>aws:sqs:QueuePolicy</c> arguments (when the queue has a policy).</summary>
    public Action<QueuePolicyArgs>? Policy { get; init; }
}

/// <summary>
/// Options of <see cref="Queue.Trigger{THandler}(Lamina.Aws.Lambda.Function{THandler}, TriggerOptions?)"/>: the
/// <c>aws:lambda:EventSourceMapping</c> that lets Lambda poll the queue and invoke the function with batches.
/// </summary>
public sealed record TriggerOptions
{
    /// <summary>
    /// Messages per batch, 1–10,000 (at most 10 for a FIFO queue; above 10 needs a <see cref="MaxBatchingWindow"/> of at
    /// least 1 s). Default: 10 (Lambda's default).
    /// </summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>How long Lambda gathers messages before invoking, 0–300 s (standard queues only). Default: 0.</summary>
    public TimeSpan MaxBatchingWindow { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Whether the function reports failed messages individually (<c>functionResponseTypes: [ReportBatchItemFailures]</c>):
    /// only those return to the queue, the rest are deleted. Default: true for a .NET <c>ISqsHandler</c> (it returns an
    /// <c>SqsBatchResponse</c>), false for functions in other languages (whose response format Lamina cannot know).
    /// </summary>
    public bool? ReportBatchItemFailures { get; init; }

    /// <summary>The most concurrent invocations this mapping drives, 2–1,000. Default: none (no limit but the function's).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Whether Lambda polls the queue. Default: true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Adjusts the <c>aws:lambda:EventSourceMapping</c> arguments before synthesis. Default: none.</summary>
    public Action<EventSourceMappingArgs>? Transform { get; init; }
}
