using System.Globalization;
using System.Text;
using Lamina.Lambda.Events;

namespace Lamina.Local.Messaging;

/// <summary>
/// An in-memory SQS queue, standard or FIFO, driven by its engine's clock. Thread-safe. Create one with
/// <see cref="LocalMessaging.CreateQueue"/>.
/// </summary>
/// <remarks>
/// Simulated: visibility timeouts, <c>ApproximateReceiveCount</c>, redrive to a dead-letter queue when a message is
/// received once more than the policy's <c>maxReceiveCount</c>, queue and per-message delays, retention, FIFO order per
/// message group (a group is blocked while one of its messages is in flight), FIFO deduplication (5 minutes, by id or
/// by the SHA-256 of the body), message ids, MD5 digests, timestamps and sequence numbers. Receives return every
/// available message up to the maximum (as long polling does); short polling's sampling of servers is not simulated.
/// </remarks>
public sealed class LocalQueue
{
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromHours(12);
    private static readonly long DeduplicationWindowTicks = TimeSpan.FromMinutes(5).Ticks;

    private readonly LocalMessaging _engine;
    private readonly object _lock = new();
    private readonly Dictionary<long, QueuedMessage> _messages = [];
    private readonly MessageStore _store;
    private readonly List<QueuedMessage> _taken = [];
    private readonly long _retentionTicks;
    private readonly int _maxReceiveCount;
    private readonly string _handlePrefix;
    private readonly Dictionary<string, (long ExpiresAt, SendMessageResult Result)>? _deduplication;
    private readonly Queue<(string Id, long ExpiresAt)>? _deduplicationOrder;
    private long _nextSeq;
    private long _nextSequenceNumber;

    internal LocalQueue(LocalMessaging engine, QueueSettings settings, LocalQueue? deadLetterQueue)
    {
        _engine = engine;
        Settings = settings;
        DeadLetterQueue = deadLetterQueue;
        var options = engine.Options;
        Arn = $"arn:aws:sqs:{options.Region}:{options.AccountId}:{settings.Name}";
        Url = $"https://sqs.{options.Region}.amazonaws.com/{options.AccountId}/{settings.Name}";
        _retentionTicks = settings.RetentionPeriod.Ticks;
        _maxReceiveCount = settings.DeadLetter?.MaxReceiveCount ?? int.MaxValue;
        VisibilityTicks = settings.VisibilityTimeout.Ticks;
        _handlePrefix = $"lamina-local:{settings.Name}:";
        if (settings.Fifo)
        {
            _store = new FifoStore(this);
            _deduplication = new Dictionary<string, (long, SendMessageResult)>(StringComparer.Ordinal);
            _deduplicationOrder = new Queue<(string, long)>();
        }
        else
        {
            _store = new StandardStore(this);
        }
    }

    /// <summary>The queue's name.</summary>
    public string Name => Settings.Name;

    /// <summary>The queue's settings.</summary>
    public QueueSettings Settings { get; }

    /// <summary>The queue's ARN, <c>arn:aws:sqs:REGION:ACCOUNT:NAME</c>.</summary>
    public string Arn { get; }

    /// <summary>The queue's URL, <c>https://sqs.REGION.amazonaws.com/ACCOUNT/NAME</c> (a name only: nothing listens there).</summary>
    public string Url { get; }

    /// <summary>Whether this is a FIFO queue.</summary>
    public bool IsFifo => Settings.Fifo;

    /// <summary>The dead-letter queue of the redrive policy, or null.</summary>
    public LocalQueue? DeadLetterQueue { get; }

    internal long VisibilityTicks { get; }

    /// <summary>How many messages the queue holds (under the lock).</summary>
    internal int MessageCount => _messages.Count;

    /// <summary>Sends a message, as SQS <c>SendMessage</c> does.</summary>
    /// <param name="body">The body: 1 character or more, only the characters SQS allows.</param>
    /// <param name="messageAttributes">Up to 10 message attributes, or null.</param>
    /// <param name="delaySeconds">
    /// Standard queues: the message's delay, 0 to 900 seconds, instead of the queue's. FIFO queues reject it (only the
    /// queue's delay applies).
    /// </param>
    /// <param name="messageGroupId">Required for FIFO queues; optional for standard queues (fair queues; no ordering effect).</param>
    /// <param name="messageDeduplicationId">
    /// FIFO queues only: the deduplication id, required unless the queue has content-based deduplication.
    /// </param>
    /// <returns>The message id, digests and (FIFO) sequence number.</returns>
    /// <exception cref="MessagingException">SQS would reject the request.</exception>
    public SendMessageResult SendMessage(
        string body,
        IReadOnlyDictionary<string, MessageAttribute>? messageAttributes = null,
        int? delaySeconds = null,
        string? messageGroupId = null,
        string? messageDeduplicationId = null)
    {
        TimeSpan delay;
        if (delaySeconds is { } seconds)
        {
            if (IsFifo)
            {
                throw MessagingValidation.Invalid("FIFO queues do not support per-message delays; set DeliveryDelay on the queue.");
            }

            if (seconds is < 0 or > 900)
            {
                throw MessagingValidation.Invalid($"DelaySeconds must be between 0 and 900; it is {seconds}.");
            }

            delay = TimeSpan.FromSeconds(seconds);
        }
        else
        {
            delay = Settings.DeliveryDelay;
        }

        return Send(body, messageAttributes, delay, messageGroupId, messageDeduplicationId, _engine.Options.SenderId);
    }

    /// <summary>A delivery from an SNS topic: the queue's own delay, SNS as the sender.</summary>
    internal SendMessageResult SendFromTopic(string body, IReadOnlyDictionary<string, MessageAttribute>? attributes, string? groupId, string? deduplicationId) =>
        Send(body, attributes, Settings.DeliveryDelay, groupId, deduplicationId, _engine.Options.SnsSenderId);

    private SendMessageResult Send(
        string body,
        IReadOnlyDictionary<string, MessageAttribute>? attributes,
        TimeSpan delay,
        string? groupId,
        string? deduplicationId,
        string senderId)
    {
        var size = MessagingValidation.Body(body, "message body");
        size += MessagingValidation.Attributes(attributes, 10, allowStringArray: false);
        if (size > Settings.MaxMessageSize)
        {
            throw MessagingValidation.Invalid($"The message is {size} bytes; the queue '{Name}' accepts at most {Settings.MaxMessageSize}.");
        }

        if (groupId is not null)
        {
            MessagingValidation.FifoId(groupId, "MessageGroupId");
        }

        if (IsFifo)
        {
            if (groupId is null)
            {
                throw new MessagingException("MissingParameter", $"The request must contain the parameter MessageGroupId (queue '{Name}' is FIFO).");
            }

            if (deduplicationId is not null)
            {
                MessagingValidation.FifoId(deduplicationId, "MessageDeduplicationId");
            }
            else if (Settings.ContentBasedDeduplication)
            {
                deduplicationId = Digests.Sha256Hex(body);
            }
            else
            {
                throw MessagingValidation.Invalid(
                    $"The queue '{Name}' should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.");
            }
        }
        else if (deduplicationId is not null)
        {
            throw MessagingValidation.Invalid("MessageDeduplicationId is supported only for FIFO queues.");
        }

        var md5OfBody = Digests.Md5Hex(body);
        var md5OfAttributes = Digests.Md5OfAttributes(attributes);
        var copy = attributes is { Count: > 0 } ? new Dictionary<string, MessageAttribute>(attributes, StringComparer.Ordinal) : null;
        var now = _engine.NowTicks;
        SendMessageResult result;
        lock (_lock)
        {
            if (_deduplication is not null)
            {
                ExpireDeduplication(now);
                if (_deduplication.TryGetValue(deduplicationId!, out var previous))
                {
                    return previous.Result with { Md5OfMessageBody = md5OfBody, Md5OfMessageAttributes = md5OfAttributes, Deduplicated = true };
                }
            }

            var message = new QueuedMessage
            {
                Seq = ++_nextSeq,
                MessageId = _engine.Ids.NextUuid(),
                Body = body,
                Md5OfBody = md5OfBody,
                Attributes = copy,
                Md5OfAttributes = md5OfAttributes,
                SentTimestamp = EpochMilliseconds(now),
                SenderId = senderId,
                EnqueuedAt = now,
                VisibleAt = now + delay.Ticks,
                GroupId = groupId,
                DeduplicationId = IsFifo ? deduplicationId : null,
                SequenceNumber = IsFifo ? NextSequenceNumber() : null,
            };
            _messages.Add(message.Seq, message);
            _store.Add(message, now);
            result = new SendMessageResult(message.MessageId, md5OfBody, md5OfAttributes, message.SequenceNumber, Deduplicated: false);
            if (_deduplication is not null)
            {
                var expiresAt = now + DeduplicationWindowTicks;
                _deduplication[deduplicationId!] = (expiresAt, result);
                _deduplicationOrder!.Enqueue((deduplicationId!, expiresAt));
            }
        }

        _engine.NotifyWork();
        return result;
    }

    /// <summary>Receives messages, as SQS <c>ReceiveMessage</c> does (without waiting: every available message up to the maximum).</summary>
    /// <param name="maxNumberOfMessages">1 to 10.</param>
    /// <param name="visibilityTimeoutSeconds">The visibility timeout of this receive (0 to 43,200 seconds), instead of the queue's.</param>
    /// <returns>
    /// The messages, in the shape of an SQS event record (<c>attributes</c> holds every system attribute; the
    /// <c>eventSource</c>, <c>eventSourceARN</c> and <c>awsRegion</c> fields are filled too).
    /// </returns>
    /// <exception cref="MessagingException">An argument is out of range.</exception>
    public IReadOnlyList<SqsMessage> ReceiveMessages(int maxNumberOfMessages = 1, int? visibilityTimeoutSeconds = null)
    {
        if (maxNumberOfMessages is < 1 or > 10)
        {
            throw MessagingValidation.Invalid($"MaxNumberOfMessages must be between 1 and 10; it is {maxNumberOfMessages}.");
        }

        var visibility = VisibilityTicks;
        if (visibilityTimeoutSeconds is { } seconds)
        {
            visibility = VisibilitySeconds(seconds).Ticks;
        }

        var messages = new List<SqsMessage>();
        ReceiveCore(_engine.NowTicks, maxNumberOfMessages, visibility, messages, null);
        return messages;
    }

    /// <summary>
    /// Receives up to <paramref name="max"/> messages (any number: an event source mapping's poller calls this),
    /// appending them to <paramref name="output"/> and, when given, their references to <paramref name="received"/>.
    /// </summary>
    internal void ReceiveCore(long now, int max, long visibilityTicks, List<SqsMessage> output, List<ReceivedMessage>? received)
    {
        List<QueuedMessage>? deadLetters = null;
        lock (_lock)
        {
            _taken.Clear();
            _store.Take(now, max, _taken, ref deadLetters);
            foreach (var message in _taken)
            {
                message.ReceiveCount++;
                if (message.ReceiveCount == 1)
                {
                    message.FirstReceiveTimestamp = EpochMilliseconds(now);
                }

                message.VisibleAt = now + visibilityTicks;
                _store.OnReceived(message);
                output.Add(ToSqsMessage(message, ReceiptHandle(message)));
                received?.Add(new ReceivedMessage(message, message.ReceiveCount));
            }

            _taken.Clear();
        }

        if (deadLetters is not null)
        {
            foreach (var message in deadLetters)
            {
                DeadLetterQueue!.AcceptDeadLetter(message, Arn, now);
            }
        }
    }

    /// <summary>
    /// Deletes a message, as SQS <c>DeleteMessage</c> does. A receipt handle from an earlier receive of a message that
    /// was received again since does not delete it (SQS: "the request succeeds, but the message might not be
    /// deleted"); neither does one of a message already deleted.
    /// </summary>
    /// <param name="receiptHandle">The receipt handle of the latest receive.</param>
    /// <returns>Whether a message was deleted (SQS does not say; the engine does).</returns>
    /// <exception cref="MessagingException">The handle was not issued by this queue (<c>ReceiptHandleIsInvalid</c>).</exception>
    public bool DeleteMessage(string receiptHandle)
    {
        var (seq, count) = ParseReceiptHandle(receiptHandle);
        lock (_lock)
        {
            if (!_messages.TryGetValue(seq, out var message) || message.ReceiveCount != count)
            {
                return false;
            }

            Forget(message);
            return true;
        }
    }

    /// <summary>Deletes a message an event source mapping received, if it was not received again since.</summary>
    internal bool DeleteReceived(ReceivedMessage received)
    {
        lock (_lock)
        {
            var message = received.Message;
            if (message.Deleted || message.ReceiveCount != received.ReceiveCount)
            {
                return false;
            }

            Forget(message);
            return true;
        }
    }

    /// <summary>Changes when an in-flight message becomes visible, as SQS <c>ChangeMessageVisibility</c> does.</summary>
    /// <param name="receiptHandle">The receipt handle of the latest receive.</param>
    /// <param name="visibilityTimeoutSeconds">0 to 43,200 seconds from now; 0 makes the message visible at once.</param>
    /// <exception cref="MessagingException">
    /// The handle is not valid or outdated (<c>ReceiptHandleIsInvalid</c>), or the message is not in flight
    /// (<c>MessageNotInflight</c>).
    /// </exception>
    public void ChangeMessageVisibility(string receiptHandle, int visibilityTimeoutSeconds)
    {
        var timeout = VisibilitySeconds(visibilityTimeoutSeconds);
        var (seq, count) = ParseReceiptHandle(receiptHandle);
        var now = _engine.NowTicks;
        lock (_lock)
        {
            if (!_messages.TryGetValue(seq, out var message) || message.ReceiveCount != count)
            {
                throw new MessagingException("ReceiptHandleIsInvalid", "The receipt handle has expired: the message was deleted or received again.");
            }

            if (!message.IsInFlight(now))
            {
                throw new MessagingException("MessageNotInflight", $"Message {message.MessageId} is not in flight.");
            }

            _store.ChangeVisibility(message, now + timeout.Ticks, now);
        }

        _engine.NotifyWork();
    }

    /// <summary>How many messages are visible, in flight and delayed now (expired messages are dropped first).</summary>
    /// <returns>The counts.</returns>
    public QueueCounts GetCounts()
    {
        var now = _engine.NowTicks;
        lock (_lock)
        {
            SweepExpired(now);
            int visible = 0, inFlight = 0, delayed = 0;
            foreach (var message in _messages.Values)
            {
                if (message.IsInFlight(now))
                {
                    inFlight++;
                }
                else if (message.IsDelayed(now))
                {
                    delayed++;
                }
                else
                {
                    visible++;
                }
            }

            return new QueueCounts(visible, inFlight, delayed);
        }
    }

    /// <summary>
    /// Every message the queue holds, in the order they were enqueued, without receiving them (no receipt handle, no
    /// change to receive counts). Not an SQS operation: for tests and tools, for example to inspect a dead-letter queue.
    /// </summary>
    /// <returns>The messages.</returns>
    public IReadOnlyList<SqsMessage> PeekMessages()
    {
        var now = _engine.NowTicks;
        lock (_lock)
        {
            SweepExpired(now);
            return _messages.Values.OrderBy(m => m.Seq).Select(m => ToSqsMessage(m, null)).ToList();
        }
    }

    /// <summary>Deletes every message, as SQS <c>PurgeQueue</c> does.</summary>
    /// <returns>How many messages were deleted.</returns>
    public int Purge()
    {
        lock (_lock)
        {
            var count = _messages.Count;
            foreach (var message in _messages.Values)
            {
                message.Deleted = true;
                message.Node = null;
            }

            _messages.Clear();
            _store.Clear();
            return count;
        }
    }

    /// <summary>The earliest time a message could be received, or null when the queue holds none.</summary>
    internal long? NextAvailable(long now)
    {
        lock (_lock)
        {
            return _store.NextAvailable(now);
        }
    }

    internal bool IsExpired(QueuedMessage message, long now) => now - message.EnqueuedAt >= _retentionTicks;

    internal bool ShouldRedrive(QueuedMessage message) => DeadLetterQueue is not null && message.ReceiveCount >= _maxReceiveCount;

    /// <summary>Removes a message for good (deleted, expired or moved). Under the lock.</summary>
    internal void Forget(QueuedMessage message)
    {
        message.Deleted = true;
        _messages.Remove(message.Seq);
        _store.Remove(message);
    }

    /// <summary>
    /// Takes a message moved from a source queue. It keeps its id, body, attributes, sent time and receive count; a
    /// standard queue keeps its enqueue time for retention, a FIFO queue restarts it (as SQS does).
    /// </summary>
    private void AcceptDeadLetter(QueuedMessage source, string sourceArn, long now)
    {
        lock (_lock)
        {
            var message = new QueuedMessage
            {
                Seq = ++_nextSeq,
                MessageId = source.MessageId,
                Body = source.Body,
                Md5OfBody = source.Md5OfBody,
                Attributes = source.Attributes,
                Md5OfAttributes = source.Md5OfAttributes,
                SentTimestamp = source.SentTimestamp,
                SenderId = source.SenderId,
                EnqueuedAt = IsFifo ? now : source.EnqueuedAt,
                VisibleAt = now,
                ReceiveCount = source.ReceiveCount,
                FirstReceiveTimestamp = source.FirstReceiveTimestamp,
                GroupId = source.GroupId,
                DeduplicationId = source.DeduplicationId,
                SequenceNumber = IsFifo ? NextSequenceNumber() : null,
                DeadLetterSourceArn = sourceArn,
            };
            _messages.Add(message.Seq, message);
            _store.Add(message, now);
        }

        _engine.NotifyWork();
    }

    private void SweepExpired(long now)
    {
        List<QueuedMessage>? expired = null;
        foreach (var message in _messages.Values)
        {
            if (IsExpired(message, now))
            {
                (expired ??= []).Add(message);
            }
        }

        if (expired is not null)
        {
            foreach (var message in expired)
            {
                Forget(message);
            }
        }
    }

    private void ExpireDeduplication(long now)
    {
        while (_deduplicationOrder!.TryPeek(out var entry) && entry.ExpiresAt <= now)
        {
            _deduplicationOrder.Dequeue();
            if (_deduplication!.TryGetValue(entry.Id, out var current) && current.ExpiresAt == entry.ExpiresAt)
            {
                _deduplication.Remove(entry.Id);
            }
        }
    }

    private string NextSequenceNumber()
    {
        // 20 digits, increasing, like the sequence numbers SQS assigns.
        _nextSequenceNumber++;
        return "1" + _nextSequenceNumber.ToString("D19", CultureInfo.InvariantCulture);
    }

    private SqsMessage ToSqsMessage(QueuedMessage message, string? receiptHandle)
    {
        Dictionary<string, SqsMessageAttribute> attributes;
        if (message.Attributes is { Count: > 0 } source)
        {
            attributes = new Dictionary<string, SqsMessageAttribute>(source.Count, StringComparer.Ordinal);
            foreach (var (name, attribute) in source)
            {
                var binary = attribute.IsBinary;
                attributes[name] = new SqsMessageAttribute
                {
                    StringValue = binary ? null : attribute.StringValue,
                    BinaryValue = binary ? Convert.ToBase64String(attribute.BinaryValue ?? []) : null,
                    StringListValues = [],
                    BinaryListValues = [],
                    DataType = attribute.DataType,
                };
            }
        }
        else
        {
            attributes = [];
        }

        return new SqsMessage
        {
            MessageId = message.MessageId,
            ReceiptHandle = receiptHandle,
            Body = message.Body,
            Attributes = new SqsSystemAttributes
            {
                ApproximateReceiveCount = message.ReceiveCount.ToString(CultureInfo.InvariantCulture),
                SentTimestamp = message.SentTimestamp,
                SenderId = message.SenderId,
                ApproximateFirstReceiveTimestamp = message.FirstReceiveTimestamp,
                SequenceNumber = message.SequenceNumber,
                MessageGroupId = message.GroupId,
                MessageDeduplicationId = message.DeduplicationId,
                DeadLetterQueueSourceArn = message.DeadLetterSourceArn,
            },
            MessageAttributes = attributes,
            Md5OfBody = message.Md5OfBody,
            Md5OfMessageAttributes = message.Md5OfAttributes,
            EventSource = "aws:sqs",
            EventSourceArn = Arn,
            AwsRegion = _engine.Options.Region,
        };
    }

    private string ReceiptHandle(QueuedMessage message) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(
            string.Concat(_handlePrefix, message.Seq.ToString(CultureInfo.InvariantCulture), ":",
                message.ReceiveCount.ToString(CultureInfo.InvariantCulture), ":", message.MessageId)));

    private (long Seq, int Count) ParseReceiptHandle(string receiptHandle)
    {
        ArgumentNullException.ThrowIfNull(receiptHandle);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(receiptHandle));
        }
        catch (FormatException)
        {
            throw InvalidHandle();
        }

        if (!text.StartsWith(_handlePrefix, StringComparison.Ordinal))
        {
            throw InvalidHandle();
        }

        var parts = text[_handlePrefix.Length..].Split(':');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw InvalidHandle();
        }

        return (seq, count);

        MessagingException InvalidHandle() =>
            new("ReceiptHandleIsInvalid", $"The receipt handle is not valid for queue '{Name}'.");
    }

    private static TimeSpan VisibilitySeconds(int seconds)
    {
        var timeout = TimeSpan.FromSeconds(seconds);
        if (seconds < 0 || timeout > MaxVisibility)
        {
            throw MessagingValidation.Invalid($"VisibilityTimeout must be between 0 and 43200 seconds; it is {seconds}.");
        }

        return timeout;
    }

    internal static string EpochMilliseconds(long ticks) =>
        ((ticks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A message as one receive saw it: deleting it needs the receive count of that receive.</summary>
internal readonly record struct ReceivedMessage(QueuedMessage Message, int ReceiveCount);
