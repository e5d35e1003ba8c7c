using System.Text.Json.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>The event an SQS event source mapping sends: a batch of messages.</summary>
public sealed class SqsEvent : LambdaEventObject
{
    /// <summary>The messages of the batch.</summary>
    [JsonPropertyName("Records")]
    public List<SqsMessage> Records { get; set; } = [];
}

/// <summary>One SQS message of an <see cref="SqsEvent"/>.</summary>
public sealed class SqsMessage : LambdaEventObject
{
    /// <summary>The message id; return it in <see cref="SqsBatchResponse"/> to report the message as failed.</summary>
    [JsonPropertyName("messageId")]
    public string? MessageId { get; set; }

    /// <summary>The receipt handle of this receive.</summary>
    [JsonPropertyName("receiptHandle")]
    public string? ReceiptHandle { get; set; }

    /// <summary>The message body. When an SNS topic delivers to the queue without raw delivery, the body is an <see cref="SnsEnvelope"/>.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>The system attributes of the message.</summary>
    [JsonPropertyName("attributes")]
    public SqsSystemAttributes? Attributes { get; set; }

    /// <summary>The message attributes the sender set (empty object when none).</summary>
    [JsonPropertyName("messageAttributes")]
    public Dictionary<string, SqsMessageAttribute>? MessageAttributes { get; set; }

    /// <summary>The MD5 digest of the body, as hex.</summary>
    [JsonPropertyName("md5OfBody")]
    public string? Md5OfBody { get; set; }

    /// <summary>The MD5 digest of the message attributes, when there are any.</summary>
    [JsonPropertyName("md5OfMessageAttributes")]
    public string? Md5OfMessageAttributes { get; set; }

    /// <summary>Always <c>"aws:sqs"</c>.</summary>
    [JsonPropertyName("eventSource")]
    public string? EventSource { get; set; }

    /// <summary>The ARN of the queue.</summary>
    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; set; }

    /// <summary>The region of the queue.</summary>
    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; set; }

    /// <summary>
    /// The SNS envelope in <see cref="Body"/>, when an SNS topic delivered this message without raw message
    /// delivery; otherwise null.
    /// </summary>
    public SnsEnvelope? TryGetSnsEnvelope() => SnsEnvelope.TryParse(Body);
}

/// <summary>
/// The system attributes of an SQS message (the <c>attributes</c> object). SQS sends every value as a string;
/// timestamps are epoch milliseconds as text.
/// </summary>
public sealed class SqsSystemAttributes : LambdaEventObject
{
    /// <summary>How many times the message has been received, as text.</summary>
    [JsonPropertyName("ApproximateReceiveCount")]
    public string? ApproximateReceiveCount { get; set; }

    /// <summary>When the message was sent, epoch milliseconds as text.</summary>
    [JsonPropertyName("SentTimestamp")]
    public string? SentTimestamp { get; set; }

    /// <summary>The principal that sent the message.</summary>
    [JsonPropertyName("SenderId")]
    public string? SenderId { get; set; }

    /// <summary>When the message was first received, epoch milliseconds as text.</summary>
    [JsonPropertyName("ApproximateFirstReceiveTimestamp")]
    public string? ApproximateFirstReceiveTimestamp { get; set; }

    /// <summary>The sequence number (FIFO queues only).</summary>
    [JsonPropertyName("SequenceNumber")]
    public string? SequenceNumber { get; set; }

    /// <summary>The message group id (FIFO queues only).</summary>
    [JsonPropertyName("MessageGroupId")]
    public string? MessageGroupId { get; set; }

    /// <summary>The deduplication id (FIFO queues only).</summary>
    [JsonPropertyName("MessageDeduplicationId")]
    public string? MessageDeduplicationId { get; set; }

    /// <summary>The X-Ray trace header, when tracing is active.</summary>
    [JsonPropertyName("AWSTraceHeader")]
    public string? AwsTraceHeader { get; set; }

    /// <summary>The ARN of the queue the message was moved from, for messages in a dead-letter queue.</summary>
    [JsonPropertyName("DeadLetterQueueSourceArn")]
    public string? DeadLetterQueueSourceArn { get; set; }
}

/// <summary>One message attribute of an SQS message.</summary>
public sealed class SqsMessageAttribute : LambdaEventObject
{
    /// <summary>The value of a <c>String</c> or <c>Number</c> attribute.</summary>
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; set; }

    /// <summary>The value of a <c>Binary</c> attribute, base64-encoded.</summary>
    [JsonPropertyName("binaryValue")]
    public string? BinaryValue { get; set; }

    /// <summary>Reserved by SQS (list values), usually empty.</summary>
    [JsonPropertyName("stringListValues")]
    public List<string>? StringListValues { get; set; }

    /// <summary>Reserved by SQS (list values, base64), usually empty.</summary>
    [JsonPropertyName("binaryListValues")]
    public List<string>? BinaryListValues { get; set; }

    /// <summary>The attribute type: <c>String</c>, <c>Number</c> or <c>Binary</c>, optionally with a custom suffix (<c>Number.int</c>).</summary>
    [JsonPropertyName("dataType")]
    public string? DataType { get; set; }
}

/// <summary>
/// The partial batch response of an SQS handler: the messages listed in <see cref="BatchItemFailures"/> return
/// to the queue, the others are deleted. Requires <c>ReportBatchItemFailures</c> on the event source mapping.
/// An empty list means the whole batch succeeded.
/// </summary>
/// <example>
/// <code>
/// return SqsBatchResponse.FromFailedMessageIds(failedIds); // {"batchItemFailures":[{"itemIdentifier":"..."}]}
/// </code>
/// </example>
public sealed class SqsBatchResponse
{
    /// <summary>The failed messages.</summary>
    [JsonPropertyName("batchItemFailures")]
    public List<SqsBatchItemFailure> BatchItemFailures { get; set; } = [];

    /// <summary>A response reporting the whole batch as processed (<c>{"batchItemFailures":[]}</c>).</summary>
    public static SqsBatchResponse Success() => new();

    /// <summary>A response reporting the given message ids (<see cref="SqsMessage.MessageId"/>) as failed, in order.</summary>
    public static SqsBatchResponse FromFailedMessageIds(IEnumerable<string> messageIds)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        return new SqsBatchResponse
        {
            BatchItemFailures = messageIds.Select(id => new SqsBatchItemFailure { ItemIdentifier = id }).ToList(),
        };
    }

    /// <summary>A response reporting the given message ids as failed, in order.</summary>
    public static SqsBatchResponse FromFailedMessageIds(params string[] messageIds) =>
        FromFailedMessageIds((IEnumerable<string>)messageIds);
}

/// <summary>One failed message of an <see cref="SqsBatchResponse"/>.</summary>
public sealed class SqsBatchItemFailure
{
    /// <summary>The <see cref="SqsMessage.MessageId"/> of the failed message.</summary>
    [JsonPropertyName("itemIdentifier")]
    public string ItemIdentifier { get; set; } = "";
}
