using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;
using Lamina.Lambda.Events;
using Lamina.Local.Messaging;
using Xunit.Abstractions;

namespace Lamina.Local.Tests.Messaging;

/// <summary>
/// Publishes thousands of messages concurrently to a topic fanned out to two queues with dead-letter queues; the
/// handlers fail at random (seeded): whole-batch errors after processing some items, and partial batch failures.
/// After the clock has been advanced until idle, every message was processed successfully once or sits in a
/// dead-letter queue, and any duplicate processing is one SQS's at-least-once delivery allows.
/// </summary>
public sealed class FanOutPropertyTests(ITestOutputHelper output)
{
    private const int MaxReceiveCount = 3;
    private const double PartialRate = 0.3;

    public sealed record Scenario(ulong Seed, int BatchSize, int WindowSeconds, int? Concurrency, double ThrowRate, double ItemFailRate, bool AsyncHandlers);

    [Fact]
    public async Task Five_thousand_messages_are_never_lost_and_duplicates_are_only_where_SQS_allows_them()
    {
        var report = await RunAsync(new Scenario(20250301, 10, 0, null, ThrowRate: 0.2, ItemFailRate: 0.25, AsyncHandlers: true), 5_000);
        foreach (var line in report.Lines)
        {
            output.WriteLine(line);
        }

        // The scenario must exercise every path it claims to.
        foreach (var queue in report.Queues)
        {
            Assert.True(queue.DeadLettered > 0, $"{queue.Name}: no message reached the dead-letter queue");
            Assert.True(queue.Duplicated > 0, $"{queue.Name}: no duplicate processing happened");
            Assert.True(queue.WholeBatchFailures > 0 && queue.PartialFailures > 0, $"{queue.Name}: missing failure kinds");
        }
    }

    [Fact]
    public async Task Random_scenarios_keep_the_same_guarantees()
    {
        var gen = Gen.Select(Gen.ULong, Gen.Int[1, 10], Gen.Int[0, 3], Gen.Int[0, 12], (seed, batch, window, concurrency) => (seed, batch, window, concurrency))
            .Select(Gen.Double[0, 0.5], Gen.Double[0, 0.6], Gen.Bool, (a, throwRate, itemFailRate, async) =>
                new Scenario(a.seed, a.batch, a.window, a.concurrency < 2 ? null : a.concurrency, throwRate, itemFailRate, async));
        var runs = 0;
        await gen.SampleAsync(async scenario =>
        {
            var report = await RunAsync(scenario, 600);
            Interlocked.Increment(ref runs);
            output.WriteLine(report.Lines[0]);
        }, seed: "0000001dfU47", iter: 8, threads: 1);
        Assert.Equal(8, runs);
    }

    private sealed class MessageRecord
    {
        internal int Deliveries;
        internal int MaxReceiveCount;
        internal int Commits;
        internal int AckedCommits;
        internal int UnackedCommits;
        internal int DeliveredAfterAck;
    }

    public sealed record QueueReport(string Name, int Messages, int Acked, int DeadLettered, int Duplicated, int ExtraCommits,
        long WholeBatchFailures, long PartialFailures, long Invocations);

    public sealed record Report(IReadOnlyList<QueueReport> Queues, IReadOnlyList<string> Lines);

    private static async Task<Report> RunAsync(Scenario scenario, int count)
    {
        var watch = Stopwatch.StartNew();
        var f = new MessagingFixture(new LocalMessagingOptions { IdSeed = scenario.Seed });
        var topic = f.Engine.CreateTopic(new TopicSettings { Name = "orders" });
        var queueNames = new[] { "billing", "shipping" };
        var records = queueNames.ToDictionary(n => n, _ => new ConcurrentDictionary<string, MessageRecord>());
        var mappings = new Dictionary<string, LocalEventSourceMapping>();
        foreach (var name in queueNames)
        {
            f.Queue(name + "-dlq", retention: TimeSpan.FromDays(14));
            f.Queue(name, visibility: TimeSpan.FromSeconds(30), deadLetter: name + "-dlq", maxReceiveCount: MaxReceiveCount);
            mappings[name] = f.Engine.AddEventSourceMapping(new EventSourceMappingSettings
            {
                QueueName = name,
                FunctionName = name + "-worker",
                BatchSize = scenario.BatchSize,
                MaximumBatchingWindow = TimeSpan.FromSeconds(scenario.WindowSeconds),
                MaximumConcurrency = scenario.Concurrency,
                ReportBatchItemFailures = true,
            }, Handler(scenario, name, records[name]));
        }

        // Billing gets orders only, in the SNS envelope; shipping gets everything, raw.
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "orders", QueueName = "billing", FilterPolicy = """{"kind":["order"]}""" });
        f.Engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "orders", QueueName = "shipping", RawMessageDelivery = true });

        var publishing = Task.Run(() => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var kind = i % 10 == 9 ? "refund" : "order";
            topic.Publish($"m-{i}", messageAttributes: new Dictionary<string, MessageAttribute> { ["kind"] = MessageAttribute.String(kind) });
        }));
        while (!publishing.IsCompleted)
        {
            // The pump runs while publishers are still sending.
            await f.Engine.RunUntilIdleAsync();
            await Task.Yield();
        }

        await publishing;
        var moved = await f.AdvanceUntilIdleAsync(TimeSpan.FromDays(1));
        Assert.Equal(0, f.Engine.InFlightInvocations);
        Assert.Empty(f.Engine.FailedDeliveries);

        var reports = new List<QueueReport>();
        foreach (var name in queueNames)
        {
            var queue = f.Engine.GetQueue(name);
            Assert.Equal(0, queue.GetCounts().Total);
            var dead = f.Engine.GetQueue(name + "-dlq").PeekMessages();
            var deadKeys = dead.Select(m => Key(m)).ToList();
            Assert.Equal(deadKeys.Count, deadKeys.Distinct().Count());
            Assert.All(dead, m => Assert.Equal(MaxReceiveCount.ToString(), m.Attributes!.ApproximateReceiveCount));
            var deadSet = deadKeys.ToHashSet();

            var expected = Enumerable.Range(0, count).Where(i => name == "shipping" || i % 10 != 9).Select(i => $"m-{i}").ToList();
            var seen = records[name];
            Assert.Equal(expected.Order(), seen.Keys.Order());
            int acked = 0, duplicated = 0, extraCommits = 0;
            foreach (var key in expected)
            {
                var record = seen[key];
                var inDeadLetterQueue = deadSet.Contains(key);
                // None lost: exactly one terminal state, processed successfully (acknowledged) or dead-lettered.
                Assert.True(record.AckedCommits == 1 ^ inDeadLetterQueue, $"{name} {key}: acked {record.AckedCommits}, in DLQ {inDeadLetterQueue}");
                Assert.True(record.AckedCommits <= 1, $"{name} {key}: acknowledged {record.AckedCommits} times");
                Assert.Equal(0, record.DeliveredAfterAck);
                Assert.Equal(record.Deliveries, record.MaxReceiveCount);
                if (inDeadLetterQueue)
                {
                    Assert.Equal(MaxReceiveCount, record.Deliveries);
                }
                else
                {
                    acked++;
                }

                // A message processed more than once was processed in a batch that then failed as a whole (so SQS
                // made it visible again): every extra processing is one of those.
                if (record.Commits > 1)
                {
                    duplicated++;
                    extraCommits += record.Commits - 1;
                    Assert.True(record.UnackedCommits >= record.Commits - 1, $"{name} {key}: unexplained duplicate");
                }
            }

            var statistics = mappings[name].Statistics;
            reports.Add(new QueueReport(name, expected.Count, acked, deadSet.Count, duplicated, extraCommits,
                statistics.FailedInvocations, statistics.PartialFailures, statistics.Invocations));
        }

        var lines = new List<string>
        {
            $"scenario {scenario}: {count} published, clock advanced {moved}, {watch.ElapsedMilliseconds} ms",
        };
        lines.AddRange(reports.Select(r =>
            $"  {r.Name}: {r.Messages} messages, {r.Acked} processed and deleted, {r.DeadLettered} dead-lettered, " +
            $"{r.Duplicated} processed more than once ({r.ExtraCommits} extra times), {r.Invocations} invocations, " +
            $"{r.WholeBatchFailures} whole-batch failures, {r.PartialFailures} partial failures"));
        return new Report(reports, lines);
    }

    private static Func<SqsEvent, CancellationToken, Task<SqsBatchResponse?>> Handler(
        Scenario scenario, string queueName, ConcurrentDictionary<string, MessageRecord> records) =>
        async (sqsEvent, _) =>
        {
            var first = sqsEvent.Records[0];
            var batchRoll = Unit(scenario.Seed, queueName, first.MessageId!, first.Attributes!.ApproximateReceiveCount!);
            if (scenario.AsyncHandlers && Unit(scenario.Seed, "async", first.MessageId!, "") < 0.5)
            {
                await Task.Yield();
            }

            var batch = new List<(SqsMessage Message, MessageRecord Record)>();
            foreach (var message in sqsEvent.Records)
            {
                var record = records.GetOrAdd(Key(message), _ => new MessageRecord());
                lock (record)
                {
                    record.Deliveries++;
                    record.MaxReceiveCount = Math.Max(record.MaxReceiveCount, int.Parse(message.Attributes!.ApproximateReceiveCount!));
                    if (record.AckedCommits > 0)
                    {
                        record.DeliveredAfterAck++;
                    }
                }

                batch.Add((message, record));
            }

            if (batchRoll < scenario.ThrowRate)
            {
                // Process some items, then fail the whole batch: those items were processed but are not acknowledged.
                var processed = (int)(Unit(scenario.Seed, "k", first.MessageId!, first.Attributes.ApproximateReceiveCount!) * (batch.Count + 1));
                foreach (var (_, record) in batch.Take(processed))
                {
                    lock (record)
                    {
                        record.Commits++;
                        record.UnackedCommits++;
                    }
                }

                throw new InvalidOperationException("the whole batch failed");
            }

            var partial = batchRoll < scenario.ThrowRate + PartialRate;
            var failed = new List<string>();
            foreach (var (message, record) in batch)
            {
                if (partial && Unit(scenario.Seed, "item", message.MessageId!, message.Attributes!.ApproximateReceiveCount!) < scenario.ItemFailRate)
                {
                    failed.Add(message.MessageId!);
                    continue;
                }

                lock (record)
                {
                    record.Commits++;
                    record.AckedCommits++;
                }
            }

            return failed.Count == 0 ? null : SqsBatchResponse.FromFailedMessageIds(failed);
        };

    private static string Key(SqsMessage message) => message.TryGetSnsEnvelope()?.Message ?? message.Body!;

    /// <summary>A number in [0, 1) fixed by the seed and the parts (FNV-1a, then a SplitMix64 finaliser).</summary>
    private static double Unit(ulong seed, string a, string b, string c)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var part in new[] { a, b, c })
        {
            foreach (var ch in part)
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }

            hash = (hash ^ 0xFF) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) * (1.0 / (1UL << 53));
    }
}
