using System.Text.Json;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Lambda.Events;
using Lamina.Local.Messaging;

namespace Lamina.Local.Tests.Messaging;

public sealed class TopicTests
{
    private static readonly Dictionary<string, MessageAttribute> Attributes = new()
    {
        ["kind"] = MessageAttribute.String("order"),
        ["amount"] = MessageAttribute.Number(150),
        ["tags"] = MessageAttribute.StringArray("red", "blue"),
        ["blob"] = MessageAttribute.Binary([0xCA, 0xFE]),
    };

    [Fact]
    public void Raw_delivery_puts_the_message_in_the_body_and_the_attributes_in_SQS_attributes()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "events" });
        var queue = f.Queue("raw");
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "events", QueueName = "raw", RawMessageDelivery = true });

        var published = topic.Publish("{\"id\":1}", "ignored subject", Attributes);
        Assert.Equal(1, published.MatchedSubscriptions);

        var message = Assert.Single(queue.ReceiveMessages());
        Assert.Equal("{\"id\":1}", message.Body);
        Assert.Null(message.TryGetSnsEnvelope());
        Assert.Equal(new LocalMessagingOptions().SnsSenderId, message.Attributes!.SenderId);
        Assert.Equal(4, message.MessageAttributes!.Count);
        Assert.Equal(("String", "order"), (message.MessageAttributes["kind"].DataType, message.MessageAttributes["kind"].StringValue));
        Assert.Equal(("Number", "150"), (message.MessageAttributes["amount"].DataType, message.MessageAttributes["amount"].StringValue));
        Assert.Equal(("String.Array", "[\"red\",\"blue\"]"), (message.MessageAttributes["tags"].DataType, message.MessageAttributes["tags"].StringValue));
        Assert.Equal(("Binary", "yv4="), (message.MessageAttributes["blob"].DataType, message.MessageAttributes["blob"].BinaryValue));
        Assert.NotNull(message.Md5OfMessageAttributes);
    }

    [Fact]
    public void Envelope_delivery_wraps_the_message_in_the_SNS_JSON_document()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "events" });
        var queue = f.Queue("wrapped");
        var subscription = f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "events", QueueName = "wrapped" });

        var published = topic.Publish("hello <world> & \"friends\"", "Greeting", Attributes);
        var message = Assert.Single(queue.ReceiveMessages());
        Assert.Empty(message.MessageAttributes!);
        Assert.Null(message.Md5OfMessageAttributes);

        var envelope = message.TryGetSnsEnvelope();
        Assert.NotNull(envelope);
        Assert.Equal("Notification", envelope.Type);
        Assert.Equal(published.MessageId, envelope.MessageId);
        Assert.Equal(topic.Arn, envelope.TopicArn);
        Assert.Equal("arn:aws:sns:us-east-1:000000000000:events", envelope.TopicArn);
        Assert.Equal("Greeting", envelope.Subject);
        Assert.Equal("hello <world> & \"friends\"", envelope.Message);
        Assert.Equal("2025-03-01T12:00:00.000Z", envelope.Timestamp);
        Assert.Equal("1", envelope.SignatureVersion);
        Assert.Equal(256, Convert.FromBase64String(envelope.Signature!).Length);
        Assert.Matches(@"^https://sns\.us-east-1\.amazonaws\.com/SimpleNotificationService-[0-9a-f]{32}\.pem$", envelope.SigningCertUrl);
        Assert.Equal($"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription.Arn}", envelope.UnsubscribeUrl);
        Assert.StartsWith(topic.Arn + ":", subscription.Arn);
        Assert.Null(envelope.AdditionalProperties);
        Assert.Equal(("String", "order"), (envelope.MessageAttributes!["kind"].Type, envelope.MessageAttributes["kind"].Value));
        Assert.Equal(("Number", "150"), (envelope.MessageAttributes["amount"].Type, envelope.MessageAttributes["amount"].Value));
        Assert.Equal(("String.Array", "[\"red\",\"blue\"]"), (envelope.MessageAttributes["tags"].Type, envelope.MessageAttributes["tags"].Value));
        Assert.Equal(("Binary", "yv4="), (envelope.MessageAttributes["blob"].Type, envelope.MessageAttributes["blob"].Value));

        // Without a subject or attributes, the envelope has no Subject and no MessageAttributes field.
        topic.Publish("plain");
        using var plain = JsonDocument.Parse(Assert.Single(queue.ReceiveMessages()).Body!);
        Assert.False(plain.RootElement.TryGetProperty("Subject", out _));
        Assert.False(plain.RootElement.TryGetProperty("MessageAttributes", out _));
        Assert.Equal(
            ["Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL"],
            plain.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Filter_policies_select_the_subscriptions_that_receive_a_message()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "orders" });
        var all = f.Queue("all");
        var big = f.Queue("big");
        var eu = f.Queue("eu");
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "orders", QueueName = "all", RawMessageDelivery = true });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings
        {
            TopicName = "orders", QueueName = "big", RawMessageDelivery = true,
            FilterPolicy = """{"amount":[{"numeric":[">=",100]}],"kind":["order"]}""",
        });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings
        {
            TopicName = "orders", QueueName = "eu", RawMessageDelivery = true,
            FilterPolicy = """{"shipping":{"region":[{"prefix":"eu-"}]}}""",
            FilterPolicyScope = FilterPolicyScope.MessageBody,
        });

        Dictionary<string, MessageAttribute> Order(double amount) =>
            new() { ["kind"] = MessageAttribute.String("order"), ["amount"] = MessageAttribute.Number(amount) };

        Assert.Equal(3, topic.Publish("""{"n":1,"shipping":{"region":"eu-west-1"}}""", messageAttributes: Order(250)).MatchedSubscriptions);
        Assert.Equal(3, topic.Publish("""{"n":2,"shipping":{"region":"eu-central-1"}}""", messageAttributes: Order(100)).MatchedSubscriptions);
        Assert.Equal(2, topic.Publish("""{"n":3,"shipping":{"region":"us-east-1"}}""", messageAttributes: Order(500)).MatchedSubscriptions);
        Assert.Equal(1, topic.Publish("""{"n":4}""", messageAttributes: Order(99.5)).MatchedSubscriptions);
        Assert.Equal(1, topic.Publish("not json, no attributes, eu-").MatchedSubscriptions);

        static int[] Numbers(LocalQueue q) => q.PeekMessages()
            .Select(m => m.Body!.StartsWith('{') ? JsonDocument.Parse(m.Body).RootElement.GetProperty("n").GetInt32() : 0).ToArray();
        Assert.Equal([1, 2, 3, 4, 0], Numbers(all));
        Assert.Equal([1, 2, 3], Numbers(big));
        Assert.Equal([1, 2], Numbers(eu));
    }

    [Fact]
    public void Invalid_subscriptions_are_rejected_at_configuration()
    {
        var f = new MessagingFixture();
        f.Engine.CreateTopic(new TopicSettings { Name = "standard" });
        f.Engine.CreateTopic(new TopicSettings { Name = "ordered.fifo", Fifo = true, ContentBasedDeduplication = true });
        f.Queue("q.fifo", fifo: true, contentBased: true);
        f.Queue("q");

        var error = Assert.Throws<MessagingException>(() =>
            f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "standard", QueueName = "q.fifo" }));
        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Throws<MessagingException>(() =>
            f.Engine.SubscribeLambda(new LambdaSubscriptionSettings { TopicName = "ordered.fifo", FunctionName = "fn" }, (_, _) => Task.CompletedTask));
        Assert.Throws<MessagingException>(() =>
            f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "standard", QueueName = "q", FilterPolicy = """{"a":"not-an-array"}""" }));
        Assert.Throws<MessagingException>(() =>
            f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "missing", QueueName = "q" }));
        Assert.Throws<MessagingException>(() => f.Engine.CreateTopic(new TopicSettings { Name = "standard" }));
        Assert.Throws<MessagingException>(() => f.Engine.CreateTopic(new TopicSettings { Name = "x", ContentBasedDeduplication = true }));
        // A FIFO topic may deliver to a standard queue.
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "ordered.fifo", QueueName = "q" });
    }

    [Fact]
    public void Publishes_are_validated()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "t" });
        var fifo = f.Engine.CreateTopic(new TopicSettings { Name = "t.fifo", Fifo = true });
        Assert.Throws<MessagingException>(() => topic.Publish(""));
        Assert.Throws<MessagingException>(() => topic.Publish("x", subject: "line\nbreak"));
        Assert.Throws<MessagingException>(() => topic.Publish("x", subject: new string('s', 101)));
        Assert.Throws<MessagingException>(() => topic.Publish(new string('x', 262_145)));
        Assert.Throws<MessagingException>(() => topic.Publish("x", messageDeduplicationId: "d"));
        Assert.Throws<MessagingException>(() => topic.Publish("x", messageAttributes: new Dictionary<string, MessageAttribute>
        {
            ["tags"] = new() { DataType = "String.Array", StringValue = "not an array" },
        }));
        Assert.Throws<MessagingException>(() => fifo.Publish("x", messageDeduplicationId: "d"));
        Assert.Throws<MessagingException>(() => fifo.Publish("x", messageGroupId: "g"));
    }

    [Fact]
    public void A_fifo_topic_passes_group_and_deduplication_ids_to_fifo_queues_and_deduplicates_publishes()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "ledger.fifo", Fifo = true });
        var queue = f.Queue("ledger.fifo", fifo: true);
        var standard = f.Queue("audit");
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "ledger.fifo", QueueName = "ledger.fifo", RawMessageDelivery = true });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "ledger.fifo", QueueName = "audit" });

        var first = topic.Publish("debit 1", messageGroupId: "acct-1", messageDeduplicationId: "tx-1");
        topic.Publish("debit 2", messageGroupId: "acct-1", messageDeduplicationId: "tx-2");
        var again = topic.Publish("debit 1 (retry)", messageGroupId: "acct-1", messageDeduplicationId: "tx-1");
        Assert.True(again.Deduplicated);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(20, first.SequenceNumber!.Length);

        var received = queue.ReceiveMessages(10);
        Assert.Equal(["debit 1", "debit 2"], received.Select(m => m.Body));
        Assert.Equal("acct-1", received[0].Attributes!.MessageGroupId);
        Assert.Equal("tx-1", received[0].Attributes!.MessageDeduplicationId);

        var audit = standard.ReceiveMessages(10).Select(m => m.TryGetSnsEnvelope()!).ToList();
        Assert.Equal(["debit 1", "debit 2"], audit.Select(e => e.Message));
        Assert.Equal(first.SequenceNumber, audit[0].SequenceNumber);

        f.Advance(TimeSpan.FromMinutes(5));
        Assert.False(topic.Publish("debit 1 (later)", messageGroupId: "acct-1", messageDeduplicationId: "tx-1").Deduplicated);
    }

    [Fact]
    public void A_standard_topic_forwards_a_group_id_only_to_standard_queues()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "t" });
        var queue = f.Queue("q");
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "t", QueueName = "q", RawMessageDelivery = true });
        topic.Publish("x", messageGroupId: "tenant-7");
        Assert.Equal("tenant-7", Assert.Single(queue.ReceiveMessages()).Attributes!.MessageGroupId);
    }

    [Fact]
    public void Raw_delivery_discards_messages_with_more_than_ten_attributes_but_the_envelope_carries_them()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "t" });
        var raw = f.Queue("raw");
        var wrapped = f.Queue("wrapped");
        var rawSubscription = f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "t", QueueName = "raw", RawMessageDelivery = true });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "t", QueueName = "wrapped" });

        var eleven = Enumerable.Range(0, 11).ToDictionary(i => $"a{i}", i => MessageAttribute.String($"v{i}"));
        var published = topic.Publish("many", messageAttributes: eleven);

        Assert.Empty(raw.ReceiveMessages());
        Assert.Equal(11, Assert.Single(wrapped.ReceiveMessages()).TryGetSnsEnvelope()!.MessageAttributes!.Count);
        var failure = Assert.Single(f.Engine.FailedDeliveries);
        Assert.Equal(rawSubscription.Arn, failure.SubscriptionArn);
        Assert.Equal(published.MessageId, failure.MessageId);
    }

    [Fact]
    public async Task Lambda_subscribers_get_an_SNS_event_when_the_engine_runs()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "t" });
        var events = new List<SnsEvent>();
        var subscription = f.Engine.SubscribeLambda(
            new LambdaSubscriptionSettings { TopicName = "t", FunctionName = "notify", FilterPolicy = """{"kind":["order"]}""" },
            (e, _) => { events.Add(e); return Task.CompletedTask; });

        var published = topic.Publish("hi", "Subj", new Dictionary<string, MessageAttribute> { ["kind"] = MessageAttribute.String("order") });
        topic.Publish("filtered out", messageAttributes: new Dictionary<string, MessageAttribute> { ["kind"] = MessageAttribute.String("refund") });
        Assert.Empty(events);

        await f.Engine.RunUntilIdleAsync();
        var record = Assert.Single(Assert.Single(events).Records);
        Assert.Equal("aws:sns", record.EventSource);
        Assert.Equal("1.0", record.EventVersion);
        Assert.Equal(subscription.Arn, record.EventSubscriptionArn);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:notify", subscription.Endpoint);
        var sns = record.Sns!;
        Assert.Equal(("Notification", published.MessageId, topic.Arn), (sns.Type, sns.MessageId, sns.TopicArn));
        Assert.Equal(("Subj", "hi", "2025-03-01T12:00:00.000Z"), (sns.Subject, sns.Message, sns.Timestamp));
        Assert.Equal("1", sns.SignatureVersion);
        Assert.Equal(256, Convert.FromBase64String(sns.Signature!).Length);
        Assert.Equal(subscription.UnsubscribeUrl, sns.UnsubscribeUrl);
        Assert.EndsWith(".pem", sns.SigningCertUrl);
        Assert.Equal(("String", "order"), (sns.MessageAttributes!["kind"].Type, sns.MessageAttributes["kind"].Value));
    }

    [Fact]
    public async Task A_failing_Lambda_subscriber_is_retried_after_one_and_two_minutes_then_given_up()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "t" });
        var attempts = new List<DateTimeOffset>();
        f.Engine.SubscribeLambda(new LambdaSubscriptionSettings { TopicName = "t", FunctionName = "flaky" }, async (_, _) =>
        {
            attempts.Add(f.Clock.GetUtcNow());
            await Task.Yield();
            throw new InvalidOperationException("boom");
        });

        var published = topic.Publish("x");
        await f.Engine.RunUntilIdleAsync();
        Assert.Single(attempts);
        Assert.Equal(MessagingFixture.Start.AddMinutes(1), f.Engine.NextDueTime);

        var moved = await f.AdvanceUntilIdleAsync();
        Assert.Equal(TimeSpan.FromMinutes(3), moved);
        Assert.Equal([MessagingFixture.Start, MessagingFixture.Start.AddMinutes(1), MessagingFixture.Start.AddMinutes(3)], attempts);
        var failure = Assert.Single(f.Engine.FailedDeliveries);
        Assert.Equal(published.MessageId, failure.MessageId);
        Assert.IsType<InvalidOperationException>(failure.Error);
        Assert.Null(f.Engine.NextDueTime);
    }

    [Fact]
    public async Task A_Lambda_subscriber_that_recovers_on_retry_is_not_reported()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "t" });
        var calls = 0;
        f.Engine.SubscribeLambda(new LambdaSubscriptionSettings { TopicName = "t", FunctionName = "fn", MaximumRetryAttempts = 1 },
            (_, _) => ++calls == 1 ? throw new InvalidOperationException("first") : Task.CompletedTask);
        topic.Publish("x");
        await f.AdvanceUntilIdleAsync();
        Assert.Equal(2, calls);
        Assert.Empty(f.Engine.FailedDeliveries);
    }
}
