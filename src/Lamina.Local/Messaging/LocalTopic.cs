using System.Text.Json;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Lambda.Events;

namespace Lamina.Local.Messaging;

/// <summary>
/// An in-memory SNS topic, standard or FIFO. Thread-safe. Create one with <see cref="LocalMessaging.CreateTopic"/>
/// and subscribe queues and functions with <see cref="LocalMessaging.SubscribeQueue"/> and
/// <see cref="LocalMessaging.SubscribeLambda"/>.
/// </summary>
/// <remarks>
/// A publish is delivered to every subscription whose filter policy matches. Queue deliveries happen before
/// <see cref="Publish"/> returns; Lambda deliveries are asynchronous invocations that the engine runs when it
/// processes due work. A FIFO topic delivers under its lock, so each subscribed queue sees the topic's order.
/// </remarks>
public sealed class LocalTopic
{
    private const int MaxMessageBytes = 262_144;
    private static readonly long DeduplicationWindowTicks = TimeSpan.FromMinutes(5).Ticks;

    private readonly LocalMessaging _engine;
    private readonly object _lock = new();
    private LocalSubscription[] _subscriptions = [];
    private readonly Dictionary<string, (long ExpiresAt, PublishResult Result)>? _deduplication;
    private readonly Queue<(string Id, long ExpiresAt)>? _deduplicationOrder;
    private long _sequence;

    internal LocalTopic(LocalMessaging engine, TopicSettings settings)
    {
        _engine = engine;
        Settings = settings;
        Arn = $"arn:aws:sns:{engine.Options.Region}:{engine.Options.AccountId}:{settings.Name}";
        if (settings.Fifo)
        {
            _deduplication = new Dictionary<string, (long, PublishResult)>(StringComparer.Ordinal);
            _deduplicationOrder = new Queue<(string, long)>();
        }
    }

    /// <summary>The topic's name.</summary>
    public string Name => Settings.Name;

    /// <summary>The topic's settings.</summary>
    public TopicSettings Settings { get; }

    /// <summary>The topic's ARN, <c>arn:aws:sns:REGION:ACCOUNT:NAME</c>.</summary>
    public string Arn { get; }

    /// <summary>Whether this is a FIFO topic.</summary>
    public bool IsFifo => Settings.Fifo;

    /// <summary>The topic's subscriptions, in the order they were made.</summary>
    public IReadOnlyList<LocalSubscription> Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Publishes a message, as SNS <c>Publish</c> does (message structure <c>string</c>).</summary>
    /// <param name="message">The message text (1 character or more; with the attributes at most 256 KiB).</param>
    /// <param name="subject">The subject (at most 100 characters, no line breaks), or null.</param>
    /// <param name="messageAttributes">The message attributes (<c>String</c>, <c>String.Array</c>, <c>Number</c>, <c>Binary</c>), or null.</param>
    /// <param name="messageGroupId">
    /// Required for FIFO topics. Optional for standard topics, where it is forwarded only to SQS standard queues
    /// (fair queues), as SNS does.
    /// </param>
    /// <param name="messageDeduplicationId">
    /// FIFO topics only: the deduplication id, required unless the topic has content-based deduplication.
    /// </param>
    /// <returns>The message id and (FIFO) sequence number.</returns>
    /// <exception cref="MessagingException">SNS would reject the request.</exception>
    public PublishResult Publish(
        string message,
        string? subject = null,
        IReadOnlyDictionary<string, MessageAttribute>? messageAttributes = null,
        string? messageGroupId = null,
        string? messageDeduplicationId = null)
    {
        var size = MessagingValidation.Body(message, "message");
        size += MessagingValidation.Attributes(messageAttributes, int.MaxValue, allowStringArray: true);
        if (size > MaxMessageBytes)
        {
            throw new MessagingException("InvalidParameter", $"The message is {size} bytes; SNS accepts at most {MaxMessageBytes}.");
        }

        if (subject is not null)
        {
            ValidateSubject(subject);
        }

        if (messageGroupId is not null)
        {
            MessagingValidation.FifoId(messageGroupId, "MessageGroupId");
        }

        if (IsFifo)
        {
            if (messageGroupId is null)
            {
                throw new MessagingException("InvalidParameter", $"The MessageGroupId parameter is required for FIFO topics ('{Name}').");
            }

            if (messageDeduplicationId is not null)
            {
                MessagingValidation.FifoId(messageDeduplicationId, "MessageDeduplicationId");
            }
            else if (Settings.ContentBasedDeduplication)
            {
                messageDeduplicationId = Digests.Sha256Hex(message);
            }
            else
            {
                throw new MessagingException("InvalidParameter",
                    $"The topic '{Name}' should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.");
            }
        }
        else if (messageDeduplicationId is not null)
        {
            throw new MessagingException("InvalidParameter", "MessageDeduplicationId is supported only for FIFO topics.");
        }

        var attributes = messageAttributes is { Count: > 0 }
            ? new Dictionary<string, MessageAttribute>(messageAttributes, StringComparer.Ordinal)
            : null;
        if (!IsFifo)
        {
            var now = _engine.NowTicks;
            var published = new PublishedMessage(_engine, _engine.Ids.NextUuid(), Arn, subject, message, now, attributes, messageGroupId, null, null);
            var matched = Deliver(published);
            return new PublishResult(published.MessageId, null, Deduplicated: false, matched);
        }

        var deduplicationId = messageDeduplicationId!;
        lock (_lock)
        {
            var now = _engine.NowTicks;
            while (_deduplicationOrder!.TryPeek(out var entry) && entry.ExpiresAt <= now)
            {
                _deduplicationOrder.Dequeue();
                if (_deduplication!.TryGetValue(entry.Id, out var current) && current.ExpiresAt == entry.ExpiresAt)
                {
                    _deduplication.Remove(entry.Id);
                }
            }

            if (_deduplication!.TryGetValue(deduplicationId, out var previous))
            {
                return previous.Result with { Deduplicated = true, MatchedSubscriptions = 0 };
            }

            _sequence++;
            var sequenceNumber = "1" + _sequence.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
            var published = new PublishedMessage(
                _engine, _engine.Ids.NextUuid(), Arn, subject, message, now, attributes, messageGroupId, deduplicationId, sequenceNumber);
            var matched = Deliver(published);
            var result = new PublishResult(published.MessageId, sequenceNumber, Deduplicated: false, matched);
            var expiresAt = now + DeduplicationWindowTicks;
            _deduplication[deduplicationId] = (expiresAt, result);
            _deduplicationOrder.Enqueue((deduplicationId, expiresAt));
            return result;
        }
    }

    internal void AddSubscription(LocalSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, subscription];
        }
    }

    private int Deliver(PublishedMessage published)
    {
        var subscriptions = Volatile.Read(ref _subscriptions);
        Dictionary<string, MessageAttributeValue>? filterAttributes = null;
        JsonDocument? body = null;
        var bodyParsed = false;
        var matched = 0;
        try
        {
            foreach (var subscription in subscriptions)
            {
                if (subscription.FilterPolicy is { } policy)
                {
                    bool matches;
                    if (policy.Scope == FilterPolicyScope.MessageAttributes)
                    {
                        filterAttributes ??= FilterAttributes(published.Attributes);
                        matches = policy.Matches(filterAttributes);
                    }
                    else
                    {
                        if (!bodyParsed)
                        {
                            body = TryParse(published.Message);
                            bodyParsed = true;
                        }

                        matches = body is not null && policy.Matches(body.RootElement);
                    }

                    if (!matches)
                    {
                        continue;
                    }
                }

                matched++;
                subscription.Deliver(published);
            }
        }
        finally
        {
            body?.Dispose();
        }

        return matched;
    }

    private static Dictionary<string, MessageAttributeValue> FilterAttributes(IReadOnlyDictionary<string, MessageAttribute>? attributes)
    {
        var result = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal);
        if (attributes is not null)
        {
            foreach (var (name, attribute) in attributes)
            {
                result[name] = new MessageAttributeValue(attribute.DataType, attribute.IsBinary ? null : attribute.StringValue);
            }
        }

        return result;
    }

    private static JsonDocument? TryParse(string text)
    {
        var span = text.AsSpan().TrimStart();
        if (span.IsEmpty || span[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ValidateSubject(string subject)
    {
        if (subject.Length is 0 or > 100)
        {
            throw new MessagingException("InvalidParameter", "Subject must have 1 to 100 characters.");
        }

        foreach (var c in subject)
        {
            if (char.IsControl(c))
            {
                throw new MessagingException("InvalidParameter", "Subject must not hold line breaks or control characters.");
            }
        }
    }
}

/// <summary>A subscription of a <see cref="LocalTopic"/> to a queue or a Lambda function.</summary>
public sealed class LocalSubscription
{
    private readonly LocalMessaging _engine;
    private readonly Func<SnsEvent, CancellationToken, Task>? _handler;
    private readonly int _maximumRetryAttempts;

    internal LocalSubscription(
        LocalMessaging engine,
        LocalTopic topic,
        string arn,
        LocalQueue? queue,
        string endpoint,
        bool raw,
        FilterPolicy? filterPolicy,
        Func<SnsEvent, CancellationToken, Task>? handler,
        int maximumRetryAttempts)
    {
        _engine = engine;
        Topic = topic;
        Arn = arn;
        Queue = queue;
        Endpoint = endpoint;
        RawMessageDelivery = raw;
        FilterPolicy = filterPolicy;
        _handler = handler;
        _maximumRetryAttempts = maximumRetryAttempts;
        UnsubscribeUrl = $"https://sns.{engine.Options.Region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={arn}";
    }

    /// <summary>The subscription's ARN, <c>TOPIC-ARN:UUID</c>.</summary>
    public string Arn { get; }

    /// <summary>The topic.</summary>
    public LocalTopic Topic { get; }

    /// <summary><c>"sqs"</c> or <c>"lambda"</c>.</summary>
    public string Protocol => Queue is null ? "lambda" : "sqs";

    /// <summary>The queue ARN or the function ARN.</summary>
    public string Endpoint { get; }

    /// <summary>The subscribed queue, or null for a Lambda subscription.</summary>
    public LocalQueue? Queue { get; }

    /// <summary>Whether queue deliveries are raw (the message as the body) rather than the JSON envelope.</summary>
    public bool RawMessageDelivery { get; }

    /// <summary>The compiled filter policy, or null.</summary>
    public FilterPolicy? FilterPolicy { get; }

    /// <summary>The unsubscribe URL put into envelopes and events (a name only: nothing listens there).</summary>
    public string UnsubscribeUrl { get; }

    internal Func<SnsEvent, CancellationToken, Task> Handler => _handler!;

    internal int MaximumRetryAttempts => _maximumRetryAttempts;

    internal void Deliver(PublishedMessage published)
    {
        if (Queue is null)
        {
            _engine.EnqueueLambdaDelivery(new LambdaDelivery(this, published));
            return;
        }

        var groupId = published.GroupId;
        var deduplicationId = Queue.IsFifo ? published.DeduplicationId : null;
        try
        {
            if (RawMessageDelivery)
            {
                if (published.Attributes is { Count: > 10 })
                {
                    _engine.RecordFailure(new FailedDelivery(Arn, published.MessageId,
                        $"Discarded: {published.Attributes.Count} message attributes; raw delivery to SQS carries at most 10.",
                        _engine.TimeProvider.GetUtcNow(), null));
                    return;
                }

                Queue.SendFromTopic(published.Message, published.Attributes, groupId, deduplicationId);
            }
            else
            {
                Queue.SendFromTopic(SnsFormats.Envelope(published, this), null, groupId, deduplicationId);
            }
        }
        catch (MessagingException error)
        {
            _engine.RecordFailure(new FailedDelivery(Arn, published.MessageId, "The queue rejected the message: " + error.Message,
                _engine.TimeProvider.GetUtcNow(), error));
        }
    }
}
