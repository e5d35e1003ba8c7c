using System.Collections.Concurrent;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Lambda.Events;

namespace Lamina.Local.Messaging;

/// <summary>
/// An in-memory SNS and SQS engine: queues, topics, subscriptions and SQS event source mappings, all on one injected
/// clock. Deterministic: nothing happens on its own thread or timer unless <see cref="RunAsync"/> runs; the caller
/// drives work with <see cref="ProcessDue"/>, <see cref="RunUntilIdleAsync"/> and <see cref="AdvanceUntilIdleAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Sending, publishing, receiving and deleting are thread-safe and take effect at once. Handler invocations (event
/// source mappings and Lambda subscriptions) are started by the engine's pump: <see cref="ProcessDue"/> starts
/// everything due at the current clock time and applies every finished invocation; <see cref="RunUntilIdleAsync"/>
/// also waits for started handlers, repeating until nothing is due and nothing runs. Timed work (visibility timeouts,
/// delays, batching windows, retries) is due only when the clock reaches it: advance the clock
/// (<see cref="AdvanceUntilIdleAsync"/> does so step by step with a fake clock) or let <see cref="RunAsync"/> wait for
/// it on the clock.
/// </para>
/// <para>
/// Handlers start on the pumping thread, under the pump's lock: a handler must not wait synchronously for the engine
/// (it may send and publish; it must not call <see cref="RunUntilIdleAsync"/>). A handler that waits on the same fake
/// clock the caller advances only after <see cref="RunUntilIdleAsync"/> returns never finishes.
/// </para>
/// </remarks>
public sealed class LocalMessaging : IAsyncDisposable
{
    private static readonly TimeSpan[] LambdaRetryDelays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];

    private readonly ConcurrentDictionary<string, LocalQueue> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalTopic> _topics = new(StringComparer.Ordinal);
    private readonly object _configLock = new();
    private LocalEventSourceMapping[] _mappings = [];

    private readonly object _pumpLock = new();
    private bool _pumping;
    private readonly List<TrackedInvocation> _active = [];
    private readonly List<TrackedInvocation> _finished = [];
    private readonly ConcurrentQueue<LambdaDelivery> _incomingLambda = new();
    private readonly PriorityQueue<LambdaDelivery, (long Due, long Order)> _scheduledLambda = new();
    private long _lambdaOrder;

    private readonly object _failuresLock = new();
    private readonly List<FailedDelivery> _failures = [];
    private readonly CancellationTokenSource _lifetime = new();
    private TaskCompletionSource? _wake;

    /// <summary>Creates an engine.</summary>
    /// <param name="timeProvider">The clock of every timeout, delay, retention period and batching window.</param>
    /// <param name="options">Account, region and id seed; null for the defaults.</param>
    public LocalMessaging(TimeProvider timeProvider, LocalMessagingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        Options = options ?? new LocalMessagingOptions();
        Ids = new IdGenerator(Options.IdSeed);
        var certificate = Digests.Md5Hex("lamina-local-sns-signing-certificate:" + Options.Region);
        SigningCertUrl = $"https://sns.{Options.Region}.amazonaws.com/SimpleNotificationService-{certificate}.pem";
    }

    /// <summary>The engine's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The engine's options.</summary>
    public LocalMessagingOptions Options { get; }

    /// <summary>The queues, by name.</summary>
    public IReadOnlyDictionary<string, LocalQueue> Queues => _queues;

    /// <summary>The topics, by name.</summary>
    public IReadOnlyDictionary<string, LocalTopic> Topics => _topics;

    /// <summary>The event source mappings, in the order they were added.</summary>
    public IReadOnlyList<LocalEventSourceMapping> EventSourceMappings => Volatile.Read(ref _mappings);

    /// <summary>Deliveries SNS gave up on: Lambda subscribers that failed every attempt, queues that rejected a message.</summary>
    public IReadOnlyList<FailedDelivery> FailedDeliveries
    {
        get
        {
            lock (_failuresLock)
            {
                return _failures.ToArray();
            }
        }
    }

    /// <summary>Handler invocations started and not yet applied.</summary>
    public int InFlightInvocations
    {
        get
        {
            lock (_pumpLock)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>
    /// The earliest clock time at which timed work becomes due (a message becoming visible in a polled queue, a
    /// batching window closing, a Lambda retry), or null when there is none. Messages in queues that no mapping polls
    /// are not work; retention is applied whenever a queue is looked at.
    /// </summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_pumpLock)
            {
                var now = NowTicks;
                DrainIncomingLambda();
                long? best = _scheduledLambda.TryPeek(out _, out var first) ? first.Due : null;
                foreach (var mapping in Volatile.Read(ref _mappings))
                {
                    if (mapping.NextDue(now) is { } due && (best is null || due < best))
                    {
                        best = due;
                    }
                }

                return best is null ? null : new DateTimeOffset(best.Value, TimeSpan.Zero);
            }
        }
    }

    internal IdGenerator Ids { get; }

    internal string SigningCertUrl { get; }

    internal CancellationToken LifetimeToken => _lifetime.Token;

    internal long NowTicks => TimeProvider.GetUtcNow().UtcTicks;

    /// <summary>Creates a queue.</summary>
    /// <param name="settings">The queue's settings.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="MessagingException">
    /// The settings are out of SQS's ranges, the name is taken (<c>QueueAlreadyExists</c>), or the dead-letter queue
    /// does not exist (<c>NonExistentQueue</c>) or is of the other kind.
    /// </exception>
    public LocalQueue CreateQueue(QueueSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MessagingValidation.Name(settings.Name, 80, settings.Fifo, "queue");
        MessagingValidation.Range(settings.VisibilityTimeout, TimeSpan.Zero, TimeSpan.FromHours(12), "VisibilityTimeout");
        MessagingValidation.Range(settings.RetentionPeriod, TimeSpan.FromMinutes(1), TimeSpan.FromDays(14), "RetentionPeriod");
        MessagingValidation.Range(settings.DeliveryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(15), "DeliveryDelay");
        if (settings.MaxMessageSize is < 1024 or > 1_048_576)
        {
            throw MessagingValidation.Invalid($"MaxMessageSize must be between 1024 and 1048576; it is {settings.MaxMessageSize}.");
        }

        if (settings.ContentBasedDeduplication && !settings.Fifo)
        {
            throw MessagingValidation.Invalid("ContentBasedDeduplication is only for FIFO queues.");
        }

        lock (_configLock)
        {
            LocalQueue? deadLetterQueue = null;
            if (settings.DeadLetter is { } deadLetter)
            {
                if (deadLetter.MaxReceiveCount is < 1 or > 1000)
                {
                    throw MessagingValidation.Invalid($"maxReceiveCount must be between 1 and 1000; it is {deadLetter.MaxReceiveCount}.");
                }

                if (!_queues.TryGetValue(deadLetter.QueueName, out deadLetterQueue))
                {
                    throw new MessagingException("NonExistentQueue",
                        $"The dead-letter queue '{deadLetter.QueueName}' of '{settings.Name}' does not exist; create it first.");
                }

                if (deadLetterQueue.IsFifo != settings.Fifo)
                {
                    throw MessagingValidation.Invalid(
                        $"The dead-letter queue of a {(settings.Fifo ? "FIFO" : "standard")} queue must be a {(settings.Fifo ? "FIFO" : "standard")} queue; '{deadLetter.QueueName}' is not.");
                }
            }

            var queue = new LocalQueue(this, settings, deadLetterQueue);
            if (!_queues.TryAdd(settings.Name, queue))
            {
                throw new MessagingException("QueueAlreadyExists", $"A queue named '{settings.Name}' already exists.");
            }

            return queue;
        }
    }

    /// <summary>Creates a topic.</summary>
    /// <param name="settings">The topic's settings.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="MessagingException">The settings are invalid or the name is taken.</exception>
    public LocalTopic CreateTopic(TopicSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        MessagingValidation.Name(settings.Name, 256, settings.Fifo, "topic");
        if (settings.ContentBasedDeduplication && !settings.Fifo)
        {
            throw new MessagingException("InvalidParameter", "ContentBasedDeduplication is only for FIFO topics.");
        }

        var topic = new LocalTopic(this, settings);
        return _topics.TryAdd(settings.Name, topic)
            ? topic
            : throw new MessagingException("InvalidParameter", $"A topic named '{settings.Name}' already exists.");
    }

    /// <summary>The queue of that name.</summary>
    /// <param name="name">The queue's name.</param>
    /// <returns>The queue.</returns>
    /// <exception cref="MessagingException">No such queue (<c>NonExistentQueue</c>).</exception>
    public LocalQueue GetQueue(string name) =>
        _queues.TryGetValue(name, out var queue) ? queue : throw new MessagingException("NonExistentQueue", $"No queue named '{name}'.");

    /// <summary>The topic of that name.</summary>
    /// <param name="name">The topic's name.</param>
    /// <returns>The topic.</returns>
    /// <exception cref="MessagingException">No such topic (<c>NotFound</c>).</exception>
    public LocalTopic GetTopic(string name) =>
        _topics.TryGetValue(name, out var topic) ? topic : throw new MessagingException("NotFound", $"No topic named '{name}'.");

    /// <summary>Subscribes a queue to a topic.</summary>
    /// <param name="settings">The subscription.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="MessagingException">
    /// The topic or queue does not exist, a standard topic would deliver to a FIFO queue, or the filter policy is
    /// invalid (<c>InvalidParameter</c>; the inner <see cref="FilterPolicyException"/> lists the errors).
    /// </exception>
    public LocalSubscription SubscribeQueue(QueueSubscriptionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var topic = GetTopic(settings.TopicName);
        var queue = GetQueue(settings.QueueName);
        if (queue.IsFifo && !topic.IsFifo)
        {
            throw new MessagingException("InvalidParameter",
                $"The standard topic '{topic.Name}' cannot deliver to the FIFO queue '{queue.Name}'; subscribe a FIFO queue to a FIFO topic.");
        }

        var policy = CompilePolicy(settings.FilterPolicy, settings.FilterPolicyScope);
        var subscription = new LocalSubscription(this, topic, $"{topic.Arn}:{Ids.NextUuid()}", queue, queue.Arn,
            settings.RawMessageDelivery, policy, null, 0);
        topic.AddSubscription(subscription);
        return subscription;
    }

    /// <summary>Subscribes a Lambda function to a standard topic; each delivery is an asynchronous invocation.</summary>
    /// <param name="settings">The subscription.</param>
    /// <param name="handler">The function: one <see cref="SnsEvent"/> per message; throwing is a function error (retried).</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="MessagingException">The topic does not exist or is FIFO, or the settings or the filter policy are invalid.</exception>
    public LocalSubscription SubscribeLambda(LambdaSubscriptionSettings settings, Func<SnsEvent, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handler);
        var topic = GetTopic(settings.TopicName);
        if (topic.IsFifo)
        {
            throw new MessagingException("InvalidParameter", $"The FIFO topic '{topic.Name}' can deliver only to SQS queues, not to Lambda.");
        }

        if (string.IsNullOrWhiteSpace(settings.FunctionName))
        {
            throw new MessagingException("InvalidParameter", "FunctionName is required.");
        }

        if (settings.MaximumRetryAttempts is < 0 or > 2)
        {
            throw new MessagingException("InvalidParameter", $"MaximumRetryAttempts must be between 0 and 2; it is {settings.MaximumRetryAttempts}.");
        }

        var policy = CompilePolicy(settings.FilterPolicy, settings.FilterPolicyScope);
        var functionArn = $"arn:aws:lambda:{Options.Region}:{Options.AccountId}:function:{settings.FunctionName}";
        var subscription = new LocalSubscription(this, topic, $"{topic.Arn}:{Ids.NextUuid()}", null, functionArn,
            false, policy, handler, settings.MaximumRetryAttempts);
        topic.AddSubscription(subscription);
        return subscription;
    }

    /// <summary>Adds an SQS event source mapping.</summary>
    /// <param name="settings">The mapping.</param>
    /// <param name="handler">
    /// The function: returns a partial batch response (or null); throwing (or a faulted or cancelled task) is a
    /// function error that returns the whole batch to the queue.
    /// </param>
    /// <returns>The mapping.</returns>
    /// <exception cref="MessagingException">The queue does not exist or a setting is out of Lambda's ranges.</exception>
    public LocalEventSourceMapping AddEventSourceMapping(
        EventSourceMappingSettings settings,
        Func<SqsEvent, CancellationToken, Task<SqsBatchResponse?>> handler)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(handler);
        var queue = GetQueue(settings.QueueName);
        if (string.IsNullOrWhiteSpace(settings.FunctionName))
        {
            throw MessagingValidation.Invalid("FunctionName is required.");
        }

        var maxBatch = queue.IsFifo ? 10 : 10_000;
        if (settings.BatchSize < 1 || settings.BatchSize > maxBatch)
        {
            throw MessagingValidation.Invalid($"BatchSize must be between 1 and {maxBatch} for queue '{queue.Name}'; it is {settings.BatchSize}.");
        }

        MessagingValidation.Range(settings.MaximumBatchingWindow, TimeSpan.Zero, TimeSpan.FromMinutes(5), "MaximumBatchingWindow");
        if (queue.IsFifo && settings.MaximumBatchingWindow > TimeSpan.Zero)
        {
            throw MessagingValidation.Invalid("MaximumBatchingWindow is not supported for FIFO queues.");
        }

        if (settings.BatchSize > 10 && settings.MaximumBatchingWindow < TimeSpan.FromSeconds(1))
        {
            throw MessagingValidation.Invalid("A BatchSize above 10 needs a MaximumBatchingWindow of at least 1 second.");
        }

        if (settings.MaximumConcurrency is < 2 or > 1000)
        {
            throw MessagingValidation.Invalid($"MaximumConcurrency must be between 2 and 1000; it is {settings.MaximumConcurrency}.");
        }

        var mapping = new LocalEventSourceMapping(this, settings, queue, handler, Ids.NextUuid());
        lock (_configLock)
        {
            _mappings = [.. _mappings, mapping];
        }

        NotifyWork();
        return mapping;
    }

    /// <summary>
    /// Does everything due at the current clock time without waiting: applies finished invocations, starts due Lambda
    /// deliveries, lets every event source mapping receive and invoke; repeats while that changes anything. Returns at
    /// once (0) when called from inside a handler that the pump is starting.
    /// </summary>
    /// <returns>How many steps were taken (0 when nothing was due).</returns>
    public int ProcessDue()
    {
        lock (_pumpLock)
        {
            if (_pumping)
            {
                return 0;
            }

            _pumping = true;
            try
            {
                var total = 0;
                while (true)
                {
                    var now = NowTicks;
                    var steps = ApplyFinished(now) + StartLambdaDeliveries(now);
                    foreach (var mapping in Volatile.Read(ref _mappings))
                    {
                        steps += mapping.Poll(now);
                    }

                    if (steps == 0)
                    {
                        return total;
                    }

                    total += steps;
                }
            }
            finally
            {
                _pumping = false;
            }
        }
    }

    /// <summary>
    /// Processes everything due at the current clock time, waiting for started handlers and processing what their
    /// completion makes due (deletes, redrives, messages they sent), until nothing is due and no handler runs. Does not
    /// move the clock.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (handlers still running keep running and are applied later).</param>
    /// <returns>A task that completes when the engine is idle at the current clock time.</returns>
    /// <exception cref="InvalidOperationException">Called from a handler the pump is starting.</exception>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task wait;
            lock (_pumpLock)
            {
                if (_pumping)
                {
                    throw new InvalidOperationException("RunUntilIdleAsync cannot be called from a handler the engine is starting.");
                }

                ProcessDue();
                if (_active.Count == 0)
                {
                    return;
                }

                wait = _active.Count == 1 ? _active[0].Task : Task.WhenAny(_active.Select(static a => a.Task));
            }

            try
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A handler failed: its outcome is applied by the next ProcessDue.
            }
        }
    }

    /// <summary>
    /// Runs until idle, then moves the clock to the next due time (with <paramref name="advance"/>, for example a
    /// <c>FakeTimeProvider</c>'s <c>Advance</c>) and repeats, until nothing timed is due within
    /// <paramref name="maxAdvance"/> of the starting time.
    /// </summary>
    /// <param name="advance">Moves the engine's clock forward by the given amount.</param>
    /// <param name="maxAdvance">How far the clock may move in total.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>How far the clock moved.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="advance"/> does not move the engine's clock.</exception>
    public async Task<TimeSpan> AdvanceUntilIdleAsync(Action<TimeSpan> advance, TimeSpan maxAdvance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(advance);
        var start = TimeProvider.GetUtcNow();
        var limit = start + maxAdvance;
        var stalled = 0;
        while (true)
        {
            await RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
            if (NextDueTime is not { } due || due > limit)
            {
                return TimeProvider.GetUtcNow() - start;
            }

            var now = TimeProvider.GetUtcNow();
            if (due > now)
            {
                advance(due - now);
                if (TimeProvider.GetUtcNow() <= now)
                {
                    throw new InvalidOperationException("The advance callback did not move the engine's clock.");
                }

                stalled = 0;
            }
            else if (++stalled > 10_000)
            {
                throw new InvalidOperationException("The engine reports work due now but makes no progress.");
            }
        }
    }

    /// <summary>
    /// Processes work continuously until <paramref name="cancellationToken"/> is cancelled: runs until idle, then
    /// waits on the engine's clock for the next due time or for new work (a send, a publish, a visibility change).
    /// For the local harness running in real time; tests usually drive the engine with the other methods. Run one
    /// loop per engine.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when cancelled.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await RunUntilIdleAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }

            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            await EngineWait.UntilDueOrWokenAsync(TimeProvider, NextDueTime, wake, token).ConfigureAwait(false);
        }
    }

    /// <summary>Stops <see cref="RunAsync"/> loops and cancels the token handlers were given.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _lifetime.Cancel();
        Volatile.Read(ref _wake)?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    internal void NotifyWork() => Volatile.Read(ref _wake)?.TrySetResult();

    internal void RecordFailure(FailedDelivery failure)
    {
        lock (_failuresLock)
        {
            _failures.Add(failure);
        }
    }

    internal void EnqueueLambdaDelivery(LambdaDelivery delivery)
    {
        delivery.Due = NowTicks;
        _incomingLambda.Enqueue(delivery);
        NotifyWork();
    }

    /// <summary>Applies an invocation at once when it already finished; otherwise waits for it. Pump only.</summary>
    internal void Track(TrackedInvocation invocation, long now)
    {
        if (invocation.Task.IsCompleted)
        {
            invocation.Complete(now);
        }
        else
        {
            _active.Add(invocation);
        }
    }

    private int ApplyFinished(long now)
    {
        if (_active.Count == 0)
        {
            return 0;
        }

        _finished.Clear();
        _active.RemoveAll(invocation =>
        {
            if (!invocation.Task.IsCompleted)
            {
                return false;
            }

            _finished.Add(invocation);
            return true;
        });
        foreach (var invocation in _finished)
        {
            invocation.Complete(now);
        }

        var count = _finished.Count;
        _finished.Clear();
        return count;
    }

    private void DrainIncomingLambda()
    {
        while (_incomingLambda.TryDequeue(out var delivery))
        {
            _scheduledLambda.Enqueue(delivery, (delivery.Due, ++_lambdaOrder));
        }
    }

    private int StartLambdaDeliveries(long now)
    {
        DrainIncomingLambda();
        var started = 0;
        while (_scheduledLambda.TryPeek(out var delivery, out var key) && key.Due <= now)
        {
            _scheduledLambda.Dequeue();
            started++;
            delivery.Attempts++;
            Task task;
            try
            {
                task = delivery.Subscription.Handler(SnsFormats.LambdaEvent(delivery.Published, delivery.Subscription), LifetimeToken)
                    ?? Task.CompletedTask;
            }
            catch (Exception error)
            {
                task = Task.FromException(error);
            }

            Track(new LambdaInvocation(this, delivery, task), now);
        }

        return started;
    }

    private void CompleteLambda(LambdaDelivery delivery, Task task, long now)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        var retries = delivery.Attempts - 1;
        if (retries < delivery.Subscription.MaximumRetryAttempts)
        {
            delivery.Due = now + LambdaRetryDelays[retries].Ticks;
            _scheduledLambda.Enqueue(delivery, (delivery.Due, ++_lambdaOrder));
            return;
        }

        var error = task.Exception?.InnerException ?? (task.IsCanceled ? new OperationCanceledException() : null);
        RecordFailure(new FailedDelivery(delivery.Subscription.Arn, delivery.Published.MessageId,
            $"The function failed {delivery.Attempts} time(s): {error?.Message}", new DateTimeOffset(now, TimeSpan.Zero), error));
    }

    private static FilterPolicy? CompilePolicy(string? json, FilterPolicyScope scope)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return FilterPolicy.Compile(json, scope);
        }
        catch (FilterPolicyException error)
        {
            throw new MessagingException("InvalidParameter", "Invalid parameter: FilterPolicy: " + error.Message);
        }
    }

    private sealed class LambdaInvocation(LocalMessaging engine, LambdaDelivery delivery, Task task) : TrackedInvocation
    {
        internal override Task Task => task;

        internal override void Complete(long now) => engine.CompleteLambda(delivery, task, now);
    }
}

/// <summary>One message on its way to a Lambda subscriber, with its attempts so far.</summary>
internal sealed class LambdaDelivery(LocalSubscription subscription, PublishedMessage published)
{
    internal LocalSubscription Subscription => subscription;

    internal PublishedMessage Published => published;

    internal long Due { get; set; }

    internal int Attempts { get; set; }
}
