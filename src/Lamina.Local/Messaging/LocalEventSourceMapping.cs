using Lamina.Lambda.Events;

namespace Lamina.Local.Messaging;

/// <summary>
/// An SQS event source mapping: a poller that receives batches from a queue and invokes a handler with them, as
/// Lambda does. Create one with <see cref="LocalMessaging.AddEventSourceMapping"/>; it runs when the engine processes
/// due work.
/// </summary>
/// <remarks>
/// <para>
/// A batch is invoked when it holds <see cref="EventSourceMappingSettings.BatchSize"/> messages, or when its batching
/// window (counted on the engine's clock from the first message of the batch) has elapsed; with no window, at once
/// with whatever was available. The messages of a batch are received (in flight, receive count raised) from the moment
/// they join it. At most <see cref="EventSourceMappingSettings.MaximumConcurrency"/> batches are in flight at once.
/// </para>
/// <para>
/// When the handler returns, the batch's messages are deleted. When it throws, none is: they become visible again when
/// their visibility timeout ends and count a receive each time, so a redrive policy eventually moves them to the
/// dead-letter queue. With <see cref="EventSourceMappingSettings.ReportBatchItemFailures"/>, the messages named in the
/// returned <see cref="SqsBatchResponse"/> are kept and the others deleted; a response naming an id not in the batch
/// (or an empty id) fails the whole batch, as Lambda does.
/// </para>
/// </remarks>
public sealed class LocalEventSourceMapping
{
    private const int EngineConcurrencyCap = 1000;

    private readonly LocalMessaging _engine;
    private readonly Func<SqsEvent, CancellationToken, Task<SqsBatchResponse?>> _handler;
    private readonly int _maxConcurrency;
    private readonly long _windowTicks;
    private volatile bool _enabled;
    private PendingBatch? _pending;
    private PendingBatch? _spare;
    private int _active;
    private long _invocations;
    private long _failedInvocations;
    private long _partialFailures;
    private long _delivered;
    private long _deleted;
    private long _returned;

    internal LocalEventSourceMapping(
        LocalMessaging engine,
        EventSourceMappingSettings settings,
        LocalQueue queue,
        Func<SqsEvent, CancellationToken, Task<SqsBatchResponse?>> handler,
        string uuid)
    {
        _engine = engine;
        Settings = settings;
        Queue = queue;
        _handler = handler;
        Uuid = uuid;
        FunctionArn = $"arn:aws:lambda:{engine.Options.Region}:{engine.Options.AccountId}:function:{settings.FunctionName}";
        _maxConcurrency = settings.MaximumConcurrency ?? EngineConcurrencyCap;
        _windowTicks = settings.MaximumBatchingWindow.Ticks;
        _enabled = settings.Enabled;
    }

    /// <summary>The mapping's id.</summary>
    public string Uuid { get; }

    /// <summary>The mapping's settings.</summary>
    public EventSourceMappingSettings Settings { get; }

    /// <summary>The queue polled.</summary>
    public LocalQueue Queue { get; }

    /// <summary>The ARN of the function (<c>arn:aws:lambda:REGION:ACCOUNT:function:NAME</c>).</summary>
    public string FunctionArn { get; }

    /// <summary>
    /// Whether the mapping polls. Disabling it drops a batch still gathering (its messages become visible again when
    /// their visibility timeout ends); batches in flight finish.
    /// </summary>
    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            _engine.NotifyWork();
        }
    }

    /// <summary>Batches whose handler has not finished yet.</summary>
    public int InFlightBatches => Volatile.Read(ref _active);

    /// <summary>What the mapping has done so far.</summary>
    public EventSourceMappingStatistics Statistics => new(
        Interlocked.Read(ref _invocations),
        Interlocked.Read(ref _failedInvocations),
        Interlocked.Read(ref _partialFailures),
        Interlocked.Read(ref _delivered),
        Interlocked.Read(ref _deleted),
        Interlocked.Read(ref _returned));

    /// <summary>Receives and invokes what is due now. Called by the engine's pump only.</summary>
    internal int Poll(long now)
    {
        if (!_enabled)
        {
            _pending = null;
            return 0;
        }

        var progress = 0;
        var batchSize = Settings.BatchSize;
        while (_active < _maxConcurrency)
        {
            if (_pending is null)
            {
                var batch = _spare ?? new PendingBatch();
                _spare = null;
                Queue.ReceiveCore(now, batchSize, Queue.VisibilityTicks, batch.Records, batch.Received);
                if (batch.Records.Count == 0)
                {
                    _spare = batch;
                    break;
                }

                batch.Deadline = now + _windowTicks;
                _pending = batch;
                progress++;
            }
            else if (_pending.Records.Count < batchSize)
            {
                var before = _pending.Records.Count;
                Queue.ReceiveCore(now, batchSize - before, Queue.VisibilityTicks, _pending.Records, _pending.Received);
                if (_pending.Records.Count > before)
                {
                    progress++;
                }
            }

            if (_pending.Records.Count >= batchSize || now >= _pending.Deadline)
            {
                var full = _pending;
                _pending = null;
                Invoke(full, now);
                progress++;
                continue;
            }

            break;
        }

        return progress;
    }

    /// <summary>When the mapping next has something to do, or null (disabled, saturated, or nothing to receive).</summary>
    internal long? NextDue(long now)
    {
        if (!_enabled || _active >= _maxConcurrency)
        {
            return null;
        }

        var next = Queue.NextAvailable(now);
        if (_pending is not null)
        {
            if (_pending.Records.Count >= Settings.BatchSize)
            {
                return now;
            }

            if (next is null || _pending.Deadline < next)
            {
                next = _pending.Deadline;
            }
        }

        return next;
    }

    private void Invoke(PendingBatch batch, long now)
    {
        _active++;
        Interlocked.Increment(ref _invocations);
        Interlocked.Add(ref _delivered, batch.Records.Count);
        var sqsEvent = new SqsEvent { Records = batch.Records };
        Task<SqsBatchResponse?> task;
        try
        {
            task = _handler(sqsEvent, _engine.LifetimeToken) ?? Task.FromResult<SqsBatchResponse?>(null);
        }
        catch (Exception error)
        {
            task = Task.FromException<SqsBatchResponse?>(error);
        }

        _engine.Track(new Invocation(this, batch.Received, task), now);
    }

    private void Complete(List<ReceivedMessage> received, Task<SqsBatchResponse?> task)
    {
        _active--;
        if (!task.IsCompletedSuccessfully)
        {
            Fail(received.Count);
            return;
        }

        var failures = Settings.ReportBatchItemFailures ? task.Result?.BatchItemFailures : null;
        if (failures is null || failures.Count == 0)
        {
            DeleteAll(received, failed: null);
            return;
        }

        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var failure in failures)
        {
            failed.Add(failure?.ItemIdentifier ?? "");
        }

        var known = 0;
        foreach (var message in received)
        {
            if (failed.Contains(message.Message.MessageId))
            {
                known++;
            }
        }

        if (known != failed.Count)
        {
            // An empty or unknown itemIdentifier: Lambda treats the whole batch as failed.
            Fail(received.Count);
            return;
        }

        Interlocked.Increment(ref _partialFailures);
        Interlocked.Add(ref _returned, known);
        DeleteAll(received, failed);
    }

    private void Fail(int count)
    {
        Interlocked.Increment(ref _failedInvocations);
        Interlocked.Add(ref _returned, count);
    }

    private void DeleteAll(List<ReceivedMessage> received, HashSet<string>? failed)
    {
        var deleted = 0;
        foreach (var message in received)
        {
            if (failed is not null && failed.Contains(message.Message.MessageId))
            {
                continue;
            }

            if (Queue.DeleteReceived(message))
            {
                deleted++;
            }
        }

        Interlocked.Add(ref _deleted, deleted);
    }

    private sealed class PendingBatch
    {
        internal List<SqsMessage> Records { get; } = [];

        internal List<ReceivedMessage> Received { get; } = [];

        internal long Deadline { get; set; }
    }

    private sealed class Invocation(LocalEventSourceMapping mapping, List<ReceivedMessage> received, Task<SqsBatchResponse?> task)
        : TrackedInvocation
    {
        internal override Task Task => task;

        internal override void Complete(long now) => mapping.Complete(received, task);
    }
}

/// <summary>A handler invocation the engine waits for.</summary>
internal abstract class TrackedInvocation
{
    internal abstract Task Task { get; }

    /// <summary>Applies the outcome of the finished <see cref="Task"/>. Called by the engine's pump only.</summary>
    internal abstract void Complete(long now);
}
