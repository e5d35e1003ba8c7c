using Lamina.Lambda.Events;
using Lamina.Local.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Messaging;

/// <summary>An engine on a fake clock, with shortcuts for tests.</summary>
internal sealed class MessagingFixture
{
    internal static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    internal MessagingFixture(LocalMessagingOptions? options = null)
    {
        Clock = new FakeTimeProvider(Start);
        Engine = new LocalMessaging(Clock, options);
    }

    internal FakeTimeProvider Clock { get; }

    internal LocalMessaging Engine { get; }

    internal LocalQueue Queue(string name, TimeSpan? visibility = null, string? deadLetter = null, int maxReceiveCount = 3,
        TimeSpan? delay = null, TimeSpan? retention = null, bool fifo = false, bool contentBased = false) =>
        Engine.CreateQueue(new QueueSettings
        {
            Name = name,
            Fifo = fifo,
            ContentBasedDeduplication = contentBased,
            VisibilityTimeout = visibility ?? TimeSpan.FromSeconds(30),
            DeliveryDelay = delay ?? TimeSpan.Zero,
            RetentionPeriod = retention ?? TimeSpan.FromDays(4),
            DeadLetter = deadLetter is null ? null : new DeadLetterSettings { QueueName = deadLetter, MaxReceiveCount = maxReceiveCount },
        });

    internal void Advance(TimeSpan by) => Clock.Advance(by);

    internal Task<TimeSpan> AdvanceUntilIdleAsync(TimeSpan? max = null) =>
        Engine.AdvanceUntilIdleAsync(Clock.Advance, max ?? TimeSpan.FromDays(1));

    internal long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>Records every batch an event source mapping handler receives.</summary>
internal sealed class BatchRecorder
{
    private readonly object _lock = new();

    internal List<List<SqsMessage>> Batches { get; } = [];

    internal Func<SqsEvent, CancellationToken, Task<SqsBatchResponse?>> Handler(Func<SqsEvent, SqsBatchResponse?>? respond = null) =>
        (sqsEvent, _) =>
        {
            lock (_lock)
            {
                Batches.Add([.. sqsEvent.Records]);
            }

            return Task.FromResult(respond?.Invoke(sqsEvent));
        };

    internal IEnumerable<string> Bodies => Batches.SelectMany(b => b).Select(m => m.Body!);
}
