using Lamina.Lambda.Events;
using Lamina.Local.Messaging;

namespace Lamina.Local.Tests.Messaging;

public sealed class EventSourceMappingTests
{
    private static EventSourceMappingSettings Mapping(string queue, int batchSize = 10, TimeSpan? window = null,
        bool partial = false, int? concurrency = null) => new()
    {
        QueueName = queue,
        FunctionName = "worker",
        BatchSize = batchSize,
        MaximumBatchingWindow = window ?? TimeSpan.Zero,
        ReportBatchItemFailures = partial,
        MaximumConcurrency = concurrency,
    };

    [Fact]
    public async Task A_successful_batch_is_deleted()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs");
        var recorder = new BatchRecorder();
        var mapping = f.Engine.AddEventSourceMapping(Mapping("jobs", batchSize: 4), recorder.Handler());
        for (var i = 0; i < 10; i++)
        {
            queue.SendMessage($"job {i}");
        }

        Assert.Empty(recorder.Batches);
        await f.Engine.RunUntilIdleAsync();

        Assert.Equal([4, 4, 2], recorder.Batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"job {i}"), recorder.Bodies);
        Assert.All(recorder.Batches.SelectMany(b => b), m =>
        {
            Assert.Equal("aws:sqs", m.EventSource);
            Assert.Equal(queue.Arn, m.EventSourceArn);
            Assert.Equal("1", m.Attributes!.ApproximateReceiveCount);
        });
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.Equal(new EventSourceMappingStatistics(3, 0, 0, 10, 10, 0), mapping.Statistics);
        Assert.Null(f.Engine.NextDueTime);
    }

    [Fact]
    public async Task The_batching_window_waits_for_a_full_batch_or_the_end_of_the_window()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs");
        var recorder = new BatchRecorder();
        f.Engine.AddEventSourceMapping(Mapping("jobs", batchSize: 5, window: TimeSpan.FromSeconds(10)), recorder.Handler());

        queue.SendMessage("a");
        queue.SendMessage("b");
        await f.Engine.RunUntilIdleAsync();
        Assert.Empty(recorder.Batches);
        Assert.Equal(MessagingFixture.Start.AddSeconds(10), f.Engine.NextDueTime);
        // Messages gathered into a batch are received (in flight).
        Assert.Equal(new QueueCounts(0, 2, 0), queue.GetCounts());

        f.Advance(TimeSpan.FromSeconds(4));
        queue.SendMessage("c");
        await f.Engine.RunUntilIdleAsync();
        Assert.Empty(recorder.Batches);

        f.Advance(TimeSpan.FromSeconds(6) - TimeSpan.FromTicks(1));
        await f.Engine.RunUntilIdleAsync();
        Assert.Empty(recorder.Batches);

        f.Advance(TimeSpan.FromTicks(1));
        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(["a", "b", "c"], Assert.Single(recorder.Batches).Select(m => m.Body));

        // A full batch does not wait.
        for (var i = 0; i < 7; i++)
        {
            queue.SendMessage($"n{i}");
        }

        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(2, recorder.Batches.Count);
        Assert.Equal(5, recorder.Batches[1].Count);
        var moved = await f.AdvanceUntilIdleAsync();
        Assert.Equal(TimeSpan.FromSeconds(10), moved);
        Assert.Equal(2, recorder.Batches[2].Count);
        Assert.Equal(0, queue.GetCounts().Total);
    }

    [Fact]
    public async Task A_handler_error_returns_the_batch_after_the_visibility_timeout_and_redrives_it()
    {
        var f = new MessagingFixture();
        var dlq = f.Queue("jobs-dlq");
        var queue = f.Queue("jobs", visibility: TimeSpan.FromSeconds(30), deadLetter: "jobs-dlq", maxReceiveCount: 3);
        var receiveCounts = new List<string>();
        var mapping = f.Engine.AddEventSourceMapping(Mapping("jobs"), (e, _) =>
        {
            receiveCounts.AddRange(e.Records.Select(r => r.Attributes!.ApproximateReceiveCount!));
            throw new InvalidOperationException("handler bug");
        });
        queue.SendMessage("a");
        queue.SendMessage("b");

        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(["1", "1"], receiveCounts);
        Assert.Equal(new QueueCounts(0, 2, 0), queue.GetCounts());
        Assert.Equal(MessagingFixture.Start.AddSeconds(30), f.Engine.NextDueTime);

        var moved = await f.AdvanceUntilIdleAsync();
        Assert.Equal(TimeSpan.FromSeconds(90), moved);
        Assert.Equal(["1", "1", "2", "2", "3", "3"], receiveCounts);
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.Equal(["a", "b"], dlq.PeekMessages().Select(m => m.Body).Order());
        Assert.Equal(new EventSourceMappingStatistics(3, 3, 0, 6, 0, 6), mapping.Statistics);
    }

    [Fact]
    public async Task Without_a_dead_letter_queue_a_failing_message_returns_until_retention_drops_it()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs", visibility: TimeSpan.FromSeconds(30), retention: TimeSpan.FromMinutes(5));
        var attempts = new List<TimeSpan>();
        f.Engine.AddEventSourceMapping(Mapping("jobs"), (_, _) =>
        {
            attempts.Add(f.Clock.GetUtcNow() - MessagingFixture.Start);
            throw new InvalidOperationException("always");
        });
        queue.SendMessage("doomed");

        // A horizon stops the loop early.
        Assert.Equal(TimeSpan.FromSeconds(60), await f.AdvanceUntilIdleAsync(TimeSpan.FromSeconds(89)));
        Assert.Equal(3, attempts.Count);

        await f.AdvanceUntilIdleAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => TimeSpan.FromSeconds(30 * i)), attempts);
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.Null(f.Engine.NextDueTime);
    }

    [Fact]
    public async Task Partial_batch_responses_return_only_the_failed_messages()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs", visibility: TimeSpan.FromSeconds(20));
        var recorder = new BatchRecorder();
        var mapping = f.Engine.AddEventSourceMapping(Mapping("jobs", partial: true), recorder.Handler(e =>
            SqsBatchResponse.FromFailedMessageIds(e.Records.Where(r => r.Body!.StartsWith("fail") && r.Attributes!.ApproximateReceiveCount == "1")
                .Select(r => r.MessageId!))));
        foreach (var body in new[] { "ok1", "fail1", "ok2", "fail2" })
        {
            queue.SendMessage(body);
        }

        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(new QueueCounts(0, 2, 0), queue.GetCounts());
        Assert.Equal(["fail1", "fail2"], queue.PeekMessages().Select(m => m.Body));

        await f.AdvanceUntilIdleAsync();
        Assert.Equal(2, recorder.Batches.Count);
        Assert.Equal(["fail1", "fail2"], recorder.Batches[1].Select(m => m.Body));
        Assert.All(recorder.Batches[1], m => Assert.Equal("2", m.Attributes!.ApproximateReceiveCount));
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.Equal(new EventSourceMappingStatistics(2, 0, 1, 6, 4, 2), mapping.Statistics);
    }

    [Fact]
    public async Task Without_ReportBatchItemFailures_a_partial_response_is_ignored()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs");
        f.Engine.AddEventSourceMapping(Mapping("jobs", partial: false),
            (e, _) => Task.FromResult<SqsBatchResponse?>(SqsBatchResponse.FromFailedMessageIds(e.Records[0].MessageId!)));
        queue.SendMessage("a");
        queue.SendMessage("b");
        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(0, queue.GetCounts().Total);
    }

    [Fact]
    public async Task A_partial_response_naming_an_unknown_message_fails_the_whole_batch()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs");
        var mapping = f.Engine.AddEventSourceMapping(Mapping("jobs", partial: true),
            (_, _) => Task.FromResult<SqsBatchResponse?>(SqsBatchResponse.FromFailedMessageIds("not-in-this-batch")));
        queue.SendMessage("a");
        queue.SendMessage("b");
        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(new QueueCounts(0, 2, 0), queue.GetCounts());
        Assert.Equal(1, mapping.Statistics.FailedInvocations);

        var empty = f.Queue("jobs2");
        f.Engine.AddEventSourceMapping(Mapping("jobs2", partial: true),
            (_, _) => Task.FromResult<SqsBatchResponse?>(new SqsBatchResponse { BatchItemFailures = [new SqsBatchItemFailure { ItemIdentifier = "" }] }));
        empty.SendMessage("c");
        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(new QueueCounts(0, 1, 0), empty.GetCounts());
    }

    [Fact]
    public async Task Maximum_concurrency_limits_the_batches_in_flight()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs");
        var started = System.Threading.Channels.Channel.CreateUnbounded<TaskCompletionSource<SqsBatchResponse?>>();
        var inFlight = 0;
        var maxInFlight = 0;
        var mapping = f.Engine.AddEventSourceMapping(Mapping("jobs", batchSize: 1, concurrency: 2), (_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            var completion = new TaskCompletionSource<SqsBatchResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
            started.Writer.TryWrite(completion);
            return completion.Task;
        });
        for (var i = 0; i < 5; i++)
        {
            queue.SendMessage($"m{i}");
        }

        var timeout = TimeSpan.FromSeconds(30);
        f.Engine.ProcessDue();
        Assert.Equal(2, mapping.InFlightBatches);
        Assert.Equal(2, f.Engine.InFlightInvocations);
        Assert.Equal(new QueueCounts(3, 2, 0), queue.GetCounts());
        var first = await started.Reader.ReadAsync().AsTask().WaitAsync(timeout);
        var second = await started.Reader.ReadAsync().AsTask().WaitAsync(timeout);
        Assert.False(started.Reader.TryRead(out _));

        Interlocked.Decrement(ref inFlight);
        first.SetResult(null);
        f.Engine.ProcessDue();
        Assert.Equal(2, mapping.InFlightBatches);
        var pending = new List<TaskCompletionSource<SqsBatchResponse?>> { second, await started.Reader.ReadAsync().AsTask().WaitAsync(timeout) };

        var run = f.Engine.RunUntilIdleAsync();
        for (var completed = 0; completed < 4; completed++)
        {
            Interlocked.Decrement(ref inFlight);
            pending[completed].SetResult(null);
            if (completed < 2)
            {
                // Each completion lets the pump start the next batch.
                pending.Add(await started.Reader.ReadAsync().AsTask().WaitAsync(timeout));
            }
        }

        await run.WaitAsync(timeout);
        Assert.Equal(2, maxInFlight);
        Assert.Equal(0, queue.GetCounts().Total);
        Assert.Equal(0, mapping.InFlightBatches);
        Assert.Equal(5, mapping.Statistics.Invocations);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    [Fact]
    public async Task A_fifo_mapping_processes_each_group_in_order_one_batch_at_a_time()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("ledger.fifo", fifo: true, contentBased: true, visibility: TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        var failedOnce = false;
        f.Engine.AddEventSourceMapping(Mapping("ledger.fifo", batchSize: 2), (e, _) =>
        {
            if (!failedOnce && e.Records.Any(r => r.Body == "a3"))
            {
                failedOnce = true;
                throw new InvalidOperationException("retry a3 and later");
            }

            seen.AddRange(e.Records.Select(r => r.Body!));
            return Task.FromResult<SqsBatchResponse?>(null);
        });
        foreach (var (group, body) in new[] { ("a", "a1"), ("b", "b1"), ("a", "a2"), ("a", "a3"), ("b", "b2"), ("a", "a4") })
        {
            queue.SendMessage(body, messageGroupId: group);
        }

        await f.AdvanceUntilIdleAsync();
        Assert.Equal(["a1", "a2", "a3", "a4"], seen.Where(s => s[0] == 'a'));
        Assert.Equal(["b1", "b2"], seen.Where(s => s[0] == 'b'));
        Assert.True(failedOnce);
        Assert.Equal(0, queue.GetCounts().Total);
    }

    [Fact]
    public async Task A_disabled_mapping_does_not_poll()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs");
        var recorder = new BatchRecorder();
        var mapping = f.Engine.AddEventSourceMapping(Mapping("jobs") with { Enabled = false }, recorder.Handler());
        queue.SendMessage("a");
        await f.Engine.RunUntilIdleAsync();
        Assert.Empty(recorder.Batches);
        Assert.Null(f.Engine.NextDueTime);
        mapping.Enabled = true;
        await f.Engine.RunUntilIdleAsync();
        Assert.Single(recorder.Batches);
    }

    [Fact]
    public void Mapping_settings_are_checked()
    {
        var f = new MessagingFixture();
        f.Queue("std");
        f.Queue("q.fifo", fifo: true, contentBased: true);
        var handler = new BatchRecorder().Handler();
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("std", batchSize: 0), handler));
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("std", batchSize: 100), handler));
        f.Engine.AddEventSourceMapping(Mapping("std", batchSize: 100, window: TimeSpan.FromSeconds(1)), handler);
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("q.fifo", batchSize: 11), handler));
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("q.fifo", window: TimeSpan.FromSeconds(1)), handler));
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("std", concurrency: 1), handler));
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("std", window: TimeSpan.FromMinutes(6)), handler));
        Assert.Throws<MessagingException>(() => f.Engine.AddEventSourceMapping(Mapping("missing"), handler));
    }

    [Fact]
    public async Task Sns_to_sqs_to_lambda_fans_out_and_handlers_can_publish()
    {
        var f = new MessagingFixture();
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "orders" });
        var followUp = f.Engine.CreateTopic(new TopicSettings { Name = "shipped" });
        f.Queue("billing");
        f.Queue("shipping");
        var shippedQueue = f.Queue("shipped-log");
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "orders", QueueName = "billing" });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "orders", QueueName = "shipping", RawMessageDelivery = true });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "shipped", QueueName = "shipped-log", RawMessageDelivery = true });
        var billed = new List<string>();
        f.Engine.AddEventSourceMapping(Mapping("billing"), (e, _) =>
        {
            billed.AddRange(e.Records.Select(r => r.TryGetSnsEnvelope()!.Message!));
            return Task.FromResult<SqsBatchResponse?>(null);
        });
        f.Engine.AddEventSourceMapping(Mapping("shipping"), async (e, _) =>
        {
            await Task.Yield();
            foreach (var record in e.Records)
            {
                followUp.Publish("shipped " + record.Body);
            }

            return null;
        });

        topic.Publish("order-1");
        topic.Publish("order-2");
        await f.Engine.RunUntilIdleAsync();

        Assert.Equal(["order-1", "order-2"], billed);
        Assert.Equal(["shipped order-1", "shipped order-2"], shippedQueue.PeekMessages().Select(m => m.Body));
    }

    [Fact]
    public async Task RunAsync_processes_new_work_and_timed_work_on_the_clock()
    {
        var f = new MessagingFixture();
        var queue = f.Queue("jobs", visibility: TimeSpan.FromSeconds(30));
        var deliveries = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var calls = 0;
        f.Engine.AddEventSourceMapping(Mapping("jobs"), (e, _) =>
        {
            foreach (var record in e.Records)
            {
                deliveries.Writer.TryWrite($"{record.Body}#{record.Attributes!.ApproximateReceiveCount}");
            }

            return Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("first attempt fails")
                : Task.FromResult<SqsBatchResponse?>(null);
        });

        using var stop = new CancellationTokenSource();
        var loop = f.Engine.RunAsync(stop.Token);
        queue.SendMessage("a");
        var timeout = TimeSpan.FromSeconds(30);
        Assert.Equal("a#1", await deliveries.Reader.ReadAsync().AsTask().WaitAsync(timeout));

        // The retry waits for the visibility timeout on the engine's clock.
        var waitForDue = Task.Run(async () =>
        {
            while (f.Engine.NextDueTime != MessagingFixture.Start.AddSeconds(30))
            {
                await Task.Yield();
            }
        });
        await waitForDue.WaitAsync(timeout);
        Assert.False(deliveries.Reader.TryRead(out _));
        f.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("a#2", await deliveries.Reader.ReadAsync().AsTask().WaitAsync(timeout));

        await stop.CancelAsync();
        await loop.WaitAsync(timeout);
        await f.Engine.RunUntilIdleAsync();
        Assert.Equal(0, queue.GetCounts().Total);
    }
}
