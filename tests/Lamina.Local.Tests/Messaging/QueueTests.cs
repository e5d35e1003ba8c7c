using Lamina.Local.Messaging;

namespace Lamina.Local.Tests.Messaging;

public sealed class QueueTests
{
    [Fact]
    public void Send_then_receive_returns_the_message_with_the_fields_SQS_sets()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("orders");
        var sent = queue.SendMessage("foobar2", new Dictionary<string, MessageAttribute>
        {
            ["AtTimestamp"] = MessageAttribute.String("2021-02-15T12:00:33+09:00"),
        });

        // Digests of a message captured from SQS: the body "foobar2" and that one attribute.
        Assert.Equal("cbac77acf401ef89c3297bd9fc41ec0b", sent.Md5OfMessageBody);
        Assert.Equal("9fd5e217089075be61cd1d67e35e5117", sent.Md5OfMessageAttributes);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", sent.MessageId);
        Assert.Null(sent.SequenceNumber);

        var sentAt = f.NowMs;
        f.Advance(TimeSpan.FromMilliseconds(250));
        var message = Assert.Single(queue.ReceiveMessages(10));
        Assert.Equal(sent.MessageId, message.MessageId);
        Assert.Equal("foobar2", message.Body);
        Assert.Equal(sent.Md5OfMessageBody, message.Md5OfBody);
        Assert.Equal(sent.Md5OfMessageAttributes, message.Md5OfMessageAttributes);
        Assert.Equal("1", message.Attributes!.ApproximateReceiveCount);
        Assert.Equal(sentAt.ToString(), message.Attributes.SentTimestamp);
        Assert.Equal((sentAt + 250).ToString(), message.Attributes.ApproximateFirstReceiveTimestamp);
        Assert.Equal(new LocalMessagingOptions().SenderId, message.Attributes.SenderId);
        Assert.Null(message.Attributes.MessageGroupId);
        Assert.Equal("String", message.MessageAttributes!["AtTimestamp"].DataType);
        Assert.Equal("2021-02-15T12:00:33+09:00", message.MessageAttributes["AtTimestamp"].StringValue);
        Assert.Equal("aws:sqs", message.EventSource);
        Assert.Equal("arn:aws:sqs:us-east-1:000000000000:orders", message.EventSourceArn);
        Assert.Equal(queue.Arn, message.EventSourceArn);
        Assert.Equal("us-east-1", message.AwsRegion);
        Assert.False(string.IsNullOrEmpty(message.ReceiptHandle));
    }

    [Fact]
    public void A_received_message_stays_invisible_for_the_visibility_timeout_and_counts_receives()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", visibility: TimeSpan.FromSeconds(30));
        queue.SendMessage("hello");

        var first = Assert.Single(queue.ReceiveMessages());
        Assert.Empty(queue.ReceiveMessages());
        Assert.Equal(new QueueCounts(0, 1, 0), queue.GetCounts());

        f.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Empty(queue.ReceiveMessages());

        f.Advance(TimeSpan.FromTicks(1));
        var second = Assert.Single(queue.ReceiveMessages());
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal("2", second.Attributes!.ApproximateReceiveCount);
        Assert.Equal(first.Attributes!.ApproximateFirstReceiveTimestamp, second.Attributes.ApproximateFirstReceiveTimestamp);
        Assert.NotEqual(first.ReceiptHandle, second.ReceiptHandle);
    }

    [Fact]
    public void A_receive_can_override_the_visibility_timeout()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", visibility: TimeSpan.FromSeconds(30));
        queue.SendMessage("hello");

        Assert.Single(queue.ReceiveMessages(1, visibilityTimeoutSeconds: 5));
        f.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(queue.ReceiveMessages(1, visibilityTimeoutSeconds: 0));
        Assert.Single(queue.ReceiveMessages());
        Assert.Throws<MessagingException>(() => queue.ReceiveMessages(11));
        Assert.Throws<MessagingException>(() => queue.ReceiveMessages(1, 43_201));
    }

    [Fact]
    public void Delete_needs_the_latest_receipt_handle()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", visibility: TimeSpan.FromSeconds(10));
        queue.SendMessage("hello");
        var first = Assert.Single(queue.ReceiveMessages());
        f.Advance(TimeSpan.FromSeconds(10));
        var second = Assert.Single(queue.ReceiveMessages());

        Assert.False(queue.DeleteMessage(first.ReceiptHandle!));
        Assert.Equal(1, queue.GetCounts().Total);
        Assert.True(queue.DeleteMessage(second.ReceiptHandle!));
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.False(queue.DeleteMessage(second.ReceiptHandle!));

        var error = Assert.Throws<MessagingException>(() => queue.DeleteMessage("not-a-handle"));
        Assert.Equal("ReceiptHandleIsInvalid", error.ErrorCode);
        var other = f.Queue("other");
        Assert.Equal("ReceiptHandleIsInvalid", Assert.Throws<MessagingException>(() => other.DeleteMessage(second.ReceiptHandle!)).ErrorCode);
    }

    [Fact]
    public void ChangeMessageVisibility_extends_shortens_or_ends_the_timeout()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", visibility: TimeSpan.FromSeconds(30));
        queue.SendMessage("a");
        var message = Assert.Single(queue.ReceiveMessages());

        queue.ChangeMessageVisibility(message.ReceiptHandle!, 60);
        f.Advance(TimeSpan.FromSeconds(45));
        Assert.Empty(queue.ReceiveMessages());
        f.Advance(TimeSpan.FromSeconds(15));
        var again = Assert.Single(queue.ReceiveMessages());

        queue.ChangeMessageVisibility(again.ReceiptHandle!, 0);
        var third = Assert.Single(queue.ReceiveMessages());
        Assert.Equal("3", third.Attributes!.ApproximateReceiveCount);

        Assert.Equal("ReceiptHandleIsInvalid",
            Assert.Throws<MessagingException>(() => queue.ChangeMessageVisibility(again.ReceiptHandle!, 10)).ErrorCode);
        f.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("MessageNotInflight",
            Assert.Throws<MessagingException>(() => queue.ChangeMessageVisibility(third.ReceiptHandle!, 10)).ErrorCode);
    }

    [Fact]
    public void A_message_moves_to_the_dead_letter_queue_on_the_receive_after_maxReceiveCount()
    {
        var f = new MessagingFixture();
        var dlq = f.Queue("orders-dlq");
        var queue = f.Queue("orders", visibility: TimeSpan.FromSeconds(10), deadLetter: "orders-dlq", maxReceiveCount: 3);
        var sent = queue.SendMessage("poison");

        for (var receive = 1; receive <= 3; receive++)
        {
            var message = Assert.Single(queue.ReceiveMessages());
            Assert.Equal(receive.ToString(), message.Attributes!.ApproximateReceiveCount);
            Assert.Empty(dlq.PeekMessages());
            f.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Empty(queue.ReceiveMessages());
        Assert.Equal(0, queue.GetCounts().Total);
        var dead = Assert.Single(dlq.ReceiveMessages());
        Assert.Equal(sent.MessageId, dead.MessageId);
        Assert.Equal("poison", dead.Body);
        Assert.Equal(queue.Arn, dead.Attributes!.DeadLetterQueueSourceArn);
        Assert.Equal(dlq.Arn, dead.EventSourceArn);
        Assert.Equal("4", dead.Attributes.ApproximateReceiveCount);
    }

    [Fact]
    public void Redrive_configuration_is_checked()
    {
        var f = new MessagingFixture();
        Assert.Equal("NonExistentQueue", Assert.Throws<MessagingException>(() => f.Queue("a", deadLetter: "missing")).ErrorCode);
        f.Queue("std-dlq");
        Assert.Throws<MessagingException>(() => f.Queue("a.fifo", fifo: true, deadLetter: "std-dlq"));
        Assert.Throws<MessagingException>(() => f.Queue("b", deadLetter: "std-dlq", maxReceiveCount: 0));
        Assert.Equal("QueueAlreadyExists", Assert.Throws<MessagingException>(() => f.Queue("std-dlq")).ErrorCode);
    }

    [Fact]
    public void Queue_delay_and_per_message_delay_hold_messages_back()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", delay: TimeSpan.FromSeconds(10));
        queue.SendMessage("queue-delay");
        queue.SendMessage("no-delay", delaySeconds: 0);
        queue.SendMessage("five", delaySeconds: 5);

        Assert.Equal(new QueueCounts(1, 0, 2), queue.GetCounts());
        Assert.Equal(["no-delay"], queue.ReceiveMessages(10).Select(m => m.Body));
        f.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["five"], queue.ReceiveMessages(10).Select(m => m.Body));
        f.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(queue.ReceiveMessages(10));
        f.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(["queue-delay"], queue.ReceiveMessages(10).Select(m => m.Body));

        Assert.Throws<MessagingException>(() => queue.SendMessage("x", delaySeconds: 901));
        Assert.Throws<MessagingException>(() => f.Queue("too-long", delay: TimeSpan.FromMinutes(16)));
    }

    [Fact]
    public void Fifo_queues_accept_only_the_queue_delay()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q.fifo", fifo: true, contentBased: true, delay: TimeSpan.FromSeconds(3));
        Assert.Equal("InvalidParameterValue",
            Assert.Throws<MessagingException>(() => queue.SendMessage("x", delaySeconds: 1, messageGroupId: "g")).ErrorCode);

        queue.SendMessage("x", messageGroupId: "g");
        Assert.Empty(queue.ReceiveMessages());
        Assert.Equal(new QueueCounts(0, 0, 1), queue.GetCounts());
        f.Advance(TimeSpan.FromSeconds(3));
        Assert.Single(queue.ReceiveMessages());
    }

    [Fact]
    public void Messages_older_than_the_retention_period_vanish_even_in_flight()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", retention: TimeSpan.FromMinutes(1), visibility: TimeSpan.FromSeconds(50));
        queue.SendMessage("old");
        f.Advance(TimeSpan.FromSeconds(30));
        queue.SendMessage("young");
        Assert.Equal(2, queue.ReceiveMessages(10).Count);

        f.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(new QueueCounts(0, 1, 0), queue.GetCounts());
        Assert.Equal(["young"], queue.PeekMessages().Select(m => m.Body));
        f.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(["young"], queue.ReceiveMessages(10).Select(m => m.Body));
        f.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.Empty(queue.ReceiveMessages(10));
    }

    [Fact]
    public void A_standard_dead_letter_queue_keeps_the_original_enqueue_time_for_retention()
    {
        var f = new MessagingFixture();
        var dlq = f.Queue("dlq", retention: TimeSpan.FromMinutes(2));
        var queue = f.Queue("q", visibility: TimeSpan.FromSeconds(50), deadLetter: "dlq", maxReceiveCount: 1);
        queue.SendMessage("m");
        queue.ReceiveMessages();
        f.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(queue.ReceiveMessages());
        Assert.Single(dlq.PeekMessages());
        f.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(dlq.PeekMessages());
    }

    [Fact]
    public void A_fifo_dead_letter_queue_restarts_retention_when_the_message_moves()
    {
        var f = new MessagingFixture();
        var dlq = f.Queue("dlq.fifo", fifo: true, retention: TimeSpan.FromMinutes(2));
        var queue = f.Queue("q.fifo", fifo: true, contentBased: true, visibility: TimeSpan.FromSeconds(50), deadLetter: "dlq.fifo", maxReceiveCount: 1);
        queue.SendMessage("m", messageGroupId: "g");
        queue.ReceiveMessages();
        f.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(queue.ReceiveMessages());
        f.Advance(TimeSpan.FromSeconds(60));
        var moved = Assert.Single(dlq.PeekMessages());
        Assert.Equal("g", moved.Attributes!.MessageGroupId);
        f.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(dlq.PeekMessages());
    }

    [Fact]
    public void Fifo_delivers_each_group_in_order_and_blocks_a_group_while_a_message_is_in_flight()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q.fifo", fifo: true, contentBased: true);
        foreach (var (group, body) in new[] { ("A", "a1"), ("B", "b1"), ("A", "a2"), ("A", "a3"), ("B", "b2") })
        {
            queue.SendMessage(body, messageGroupId: group);
        }

        var first = Assert.Single(queue.ReceiveMessages(1));
        Assert.Equal("a1", first.Body);
        Assert.Equal("A", first.Attributes!.MessageGroupId);
        // Group A is blocked while a1 is in flight: the next receive serves group B.
        Assert.Equal(["b1", "b2"], queue.ReceiveMessages(10).Select(m => m.Body));
        Assert.Empty(queue.ReceiveMessages(10));

        Assert.True(queue.DeleteMessage(first.ReceiptHandle!));
        var rest = queue.ReceiveMessages(10);
        Assert.Equal(["a2", "a3"], rest.Select(m => m.Body));

        // a2 returns to the queue but a3 is still in flight: the group stays blocked, then resumes in order.
        queue.ChangeMessageVisibility(rest[0].ReceiptHandle!, 0);
        Assert.Empty(queue.ReceiveMessages(10));
        f.Advance(TimeSpan.FromSeconds(30));
        var again = queue.ReceiveMessages(10);
        // Oldest group head first (b1 was sent before a2), each group in order.
        Assert.Equal(["b1", "b2", "a2", "a3"], again.Select(m => m.Body));
        Assert.Equal(["a2", "a3"], again.Where(m => m.Attributes!.MessageGroupId == "A").Select(m => m.Body));
        Assert.Equal(["b1", "b2"], again.Where(m => m.Attributes!.MessageGroupId == "B").Select(m => m.Body));

        var sequence = again.Where(m => m.Attributes!.MessageGroupId == "A").Select(m => decimal.Parse(m.Attributes!.SequenceNumber!)).ToList();
        Assert.True(sequence[0] < sequence[1]);
        Assert.Equal(20, again[0].Attributes!.SequenceNumber!.Length);
    }

    [Fact]
    public void Fifo_deduplicates_by_id_for_five_minutes()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q.fifo", fifo: true);
        var first = queue.SendMessage("one", messageGroupId: "g", messageDeduplicationId: "d1");
        f.Advance(TimeSpan.FromMinutes(4));
        var duplicate = queue.SendMessage("two", messageGroupId: "g", messageDeduplicationId: "d1");
        Assert.True(duplicate.Deduplicated);
        Assert.Equal(first.MessageId, duplicate.MessageId);
        Assert.Equal(first.SequenceNumber, duplicate.SequenceNumber);
        Assert.Equal(1, queue.GetCounts().Total);

        f.Advance(TimeSpan.FromMinutes(1));
        var later = queue.SendMessage("three", messageGroupId: "g", messageDeduplicationId: "d1");
        Assert.False(later.Deduplicated);
        Assert.NotEqual(first.MessageId, later.MessageId);
        Assert.Equal(["one", "three"], queue.PeekMessages().Select(m => m.Body));
        Assert.Equal("d1", queue.PeekMessages()[0].Attributes!.MessageDeduplicationId);
    }

    [Fact]
    public void Fifo_content_based_deduplication_uses_the_sha256_of_the_body()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q.fifo", fifo: true, contentBased: true);
        queue.SendMessage("same", messageGroupId: "g1");
        Assert.True(queue.SendMessage("same", messageGroupId: "g2").Deduplicated);
        Assert.False(queue.SendMessage("other", messageGroupId: "g1").Deduplicated);
        var messages = queue.PeekMessages();
        Assert.Equal(2, messages.Count);
        // SHA-256 of "same".
        Assert.Equal("0967115f2813a3541eaef77de9d9d5773f1c0c04314b0bbfe4ff3b3b1c55b5d5", messages[0].Attributes!.MessageDeduplicationId);
    }

    [Fact]
    public void Fifo_sends_need_a_group_and_a_deduplication_id()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q.fifo", fifo: true);
        Assert.Equal("MissingParameter", Assert.Throws<MessagingException>(() => queue.SendMessage("x", messageDeduplicationId: "d")).ErrorCode);
        Assert.Equal("InvalidParameterValue", Assert.Throws<MessagingException>(() => queue.SendMessage("x", messageGroupId: "g")).ErrorCode);
        var standard = f.Queue("std");
        Assert.Throws<MessagingException>(() => standard.SendMessage("x", messageDeduplicationId: "d"));
        // A standard queue takes a group id (fair queues) and reports it, without ordering effects.
        standard.SendMessage("x", messageGroupId: "tenant-1");
        Assert.Equal("tenant-1", Assert.Single(standard.ReceiveMessages()).Attributes!.MessageGroupId);
    }

    [Fact]
    public void Sends_are_validated_as_SQS_validates_them()
    {
        var f = new MessagingFixture();
        var queue = f.Engine.CreateQueue(new QueueSettings { Name = "small", MaxMessageSize = 1024 });
        Assert.Equal("MissingParameter", Assert.Throws<MessagingException>(() => queue.SendMessage("")).ErrorCode);
        Assert.Equal("InvalidMessageContents", Assert.Throws<MessagingException>(() => queue.SendMessage("bad\u0001char")).ErrorCode);
        Assert.Throws<MessagingException>(() => queue.SendMessage(new string('x', 1025)));
        queue.SendMessage(new string('x', 1024));
        var eleven = Enumerable.Range(0, 11).ToDictionary(i => $"a{i}", _ => MessageAttribute.String("v"));
        Assert.Throws<MessagingException>(() => queue.SendMessage("x", eleven));
        Assert.Throws<MessagingException>(() => queue.SendMessage("x", new Dictionary<string, MessageAttribute> { ["AWS.x"] = MessageAttribute.String("v") }));
        Assert.Throws<MessagingException>(() => queue.SendMessage("x", new Dictionary<string, MessageAttribute> { ["n"] = MessageAttribute.Number("abc") }));
        Assert.Throws<MessagingException>(() => queue.SendMessage("x", new Dictionary<string, MessageAttribute> { ["t"] = new() { DataType = "Text", StringValue = "v" } }));
        Assert.Throws<MessagingException>(() => f.Queue("bad name"));
        Assert.Throws<MessagingException>(() => f.Queue("plain.fifo"));
        Assert.Throws<MessagingException>(() => f.Queue("fifo-without-suffix", fifo: true));
        Assert.Throws<MessagingException>(() => f.Queue("short-retention", retention: TimeSpan.FromSeconds(59)));
    }

    [Fact]
    public void Binary_attributes_travel_as_base64_and_count_in_the_digest()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q");
        var sent = queue.SendMessage("b", new Dictionary<string, MessageAttribute>
        {
            ["blob"] = MessageAttribute.Binary([1, 2, 3]),
            ["count"] = MessageAttribute.Number(42),
        });
        var message = Assert.Single(queue.ReceiveMessages());
        Assert.Equal("AQID", message.MessageAttributes!["blob"].BinaryValue);
        Assert.Null(message.MessageAttributes["blob"].StringValue);
        Assert.Equal("42", message.MessageAttributes["count"].StringValue);
        Assert.Equal("Number", message.MessageAttributes["count"].DataType);
        Assert.Equal(sent.Md5OfMessageAttributes, message.Md5OfMessageAttributes);
        var withoutBlob = f.Queue("q2").SendMessage("b", new Dictionary<string, MessageAttribute> { ["count"] = MessageAttribute.Number(42) });
        Assert.NotEqual(sent.Md5OfMessageAttributes, withoutBlob.Md5OfMessageAttributes);
    }

    [Fact]
    public void Purge_empties_the_queue_and_peek_does_not_receive()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q");
        queue.SendMessage("a");
        queue.SendMessage("b");
        Assert.Equal(["a", "b"], queue.PeekMessages().Select(m => m.Body));
        Assert.All(queue.PeekMessages(), m => Assert.Equal("0", m.Attributes!.ApproximateReceiveCount));
        Assert.Equal(2, queue.ReceiveMessages(10).Count);
        Assert.Equal(2, queue.Purge());
        Assert.Equal(0, queue.GetCounts().Total);
        f.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(queue.ReceiveMessages(10));
    }

    [Fact]
    public void In_flight_messages_survive_the_cleanup_of_deleted_ones()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("q", visibility: TimeSpan.FromSeconds(30));
        var kept = new HashSet<string>();
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 1000; i++)
            {
                queue.SendMessage($"r{round}-{i}");
            }

            for (var received = queue.ReceiveMessages(10); received.Count > 0; received = queue.ReceiveMessages(10))
            {
                foreach (var message in received)
                {
                    if (message.Body!.EndsWith("7"))
                    {
                        kept.Add(message.Body);
                    }
                    else
                    {
                        Assert.True(queue.DeleteMessage(message.ReceiptHandle!));
                    }
                }
            }

            f.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(new QueueCounts(0, 500, 0), queue.GetCounts());
        f.Advance(TimeSpan.FromSeconds(30));
        var again = new HashSet<string>();
        for (var received = queue.ReceiveMessages(10); received.Count > 0; received = queue.ReceiveMessages(10))
        {
            again.UnionWith(received.Select(m => m.Body!));
        }

        Assert.Equal(kept, again);
    }

    [Fact]
    public void Ids_are_deterministic_for_a_seed()
    {
        static string[] Run(ulong seed)
        {
            var f = new MessagingFixture(new LocalMessagingOptions { IdSeed = seed });
            var queue = f.Queue("q");
            return [queue.SendMessage("a").MessageId, queue.SendMessage("b").MessageId];
        }

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
        Assert.NotEqual(Run(1)[0], Run(1)[1]);
    }
}
