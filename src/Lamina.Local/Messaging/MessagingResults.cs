namespace Lamina.Local.Messaging;

/// <summary>
/// An error that SQS or SNS would return, named by its AWS error code (for example <c>InvalidParameterValue</c>,
/// <c>MissingParameter</c>, <c>ReceiptHandleIsInvalid</c>, <c>MessageNotInflight</c>, <c>NonExistentQueue</c>).
/// </summary>
public sealed class MessagingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The AWS error code.</param>
    /// <param name="message">What is wrong.</param>
    public MessagingException(string errorCode, string message)
        : base($"{errorCode}: {message}")
    {
        ErrorCode = errorCode;
    }

    /// <summary>The AWS error code.</summary>
    public string ErrorCode { get; }
}

/// <summary>The answer to <see cref="LocalQueue.SendMessage"/>, as SQS gives it.</summary>
/// <param name="MessageId">The message id (for a deduplicated FIFO send, the id of the message first sent).</param>
/// <param name="Md5OfMessageBody">The MD5 digest of the body, as lowercase hex.</param>
/// <param name="Md5OfMessageAttributes">The MD5 digest of the message attributes, or null when there are none.</param>
/// <param name="SequenceNumber">The sequence number (FIFO queues), or null.</param>
/// <param name="Deduplicated">
/// True when a FIFO queue accepted the send as a duplicate within the 5-minute deduplication window and did not
/// enqueue it again (SQS does not say so; the engine does, for tests).
/// </param>
public sealed record SendMessageResult(
    string MessageId,
    string Md5OfMessageBody,
    string? Md5OfMessageAttributes,
    string? SequenceNumber,
    bool Deduplicated);

/// <summary>The answer to <see cref="LocalTopic.Publish"/>.</summary>
/// <param name="MessageId">The message id (for a deduplicated FIFO publish, the id of the message first published).</param>
/// <param name="SequenceNumber">The sequence number (FIFO topics), or null.</param>
/// <param name="Deduplicated">True when a FIFO topic dropped the publish as a duplicate (the engine says so, SNS does not).</param>
/// <param name="MatchedSubscriptions">How many subscriptions' filter policies matched (the engine says so, SNS does not).</param>
public sealed record PublishResult(string MessageId, string? SequenceNumber, bool Deduplicated, int MatchedSubscriptions);

/// <summary>A queue's approximate message counts (here exact), as <c>GetQueueAttributes</c> reports them.</summary>
/// <param name="Visible"><c>ApproximateNumberOfMessages</c>: messages available for retrieval.</param>
/// <param name="InFlight"><c>ApproximateNumberOfMessagesNotVisible</c>: received and not yet deleted or visible again.</param>
/// <param name="Delayed"><c>ApproximateNumberOfMessagesDelayed</c>: not yet available because of a delay.</param>
public sealed record QueueCounts(int Visible, int InFlight, int Delayed)
{
    /// <summary>All messages the queue holds.</summary>
    public int Total => Visible + InFlight + Delayed;
}

/// <summary>A delivery that SNS gave up on (a Lambda subscriber that failed every attempt, or a queue that rejected the message).</summary>
/// <param name="SubscriptionArn">The subscription.</param>
/// <param name="MessageId">The SNS message id.</param>
/// <param name="Reason">Why the delivery failed.</param>
/// <param name="Time">When the engine gave up.</param>
/// <param name="Error">The last exception, when a handler threw.</param>
public sealed record FailedDelivery(string SubscriptionArn, string MessageId, string Reason, DateTimeOffset Time, Exception? Error);

/// <summary>What an event source mapping has done so far.</summary>
/// <param name="Invocations">Handler invocations started.</param>
/// <param name="FailedInvocations">Invocations that threw (or whose partial batch response was invalid): the whole batch returns to the queue.</param>
/// <param name="PartialFailures">Invocations whose partial batch response listed some failed messages.</param>
/// <param name="MessagesDelivered">Messages passed to the handler, counting each delivery.</param>
/// <param name="MessagesDeleted">Messages deleted after successful processing.</param>
/// <param name="MessagesReturned">Messages left to become visible again after a failure.</param>
public sealed record EventSourceMappingStatistics(
    long Invocations,
    long FailedInvocations,
    long PartialFailures,
    long MessagesDelivered,
    long MessagesDeleted,
    long MessagesReturned);
