using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Local.Lambda;

/// <summary>Where an asynchronous invocation stands.</summary>
public enum LocalAsyncInvocationState
{
    /// <summary>Waiting for a free concurrency slot (throttled events wait, as Lambda's event queue keeps them).</summary>
    Queued,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>An attempt failed; the next starts at <see cref="LocalAsyncInvocation.NextAttemptAt"/>.</summary>
    WaitingForRetry,

    /// <summary>An attempt succeeded.</summary>
    Succeeded,

    /// <summary>Every attempt failed (or the event grew too old) and the event went to the dead-letter callback.</summary>
    DeadLettered,

    /// <summary>Every attempt failed (or the event grew too old) and the function has no dead-letter callback: the
    /// event was dropped.</summary>
    Discarded,
}

/// <summary>An asynchronous event that exhausted its attempts, as a dead-letter queue or an on-failure destination
/// receives it.</summary>
public sealed record LocalDeadLetter
{
    /// <summary>The function.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The function's ARN.</summary>
    public required string FunctionArn { get; init; }

    /// <summary>The request id of the asynchronous invocation.</summary>
    public required string RequestId { get; init; }

    /// <summary>The original event.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Why: <c>RetriesExhausted</c> or <c>EventAgeExceeded</c> (the condition of an on-failure
    /// destination record).</summary>
    public required string Condition { get; init; }

    /// <summary>How many attempts ran.</summary>
    public required int ApproximateInvokeCount { get; init; }

    /// <summary>The last attempt's error (a DLQ message's <c>ErrorMessage</c> attribute), or null when no attempt
    /// ran.</summary>
    public LambdaErrorPayload? Error { get; init; }

    /// <summary>When the event was dead-lettered (host clock).</summary>
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>The state of one asynchronous invocation: its attempts, the next retry and its settlement.</summary>
/// <remarks>Each attempt's record is complete, and the next retry's time set, before
/// <see cref="WhenAttemptsCompletedAsync"/> returns for it: a test can wait for an attempt and then advance the
/// clock.</remarks>
public sealed class LocalAsyncInvocation
{
    private readonly object _gate = new();
    private readonly List<LocalInvocationRecord> _attempts = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly TaskCompletionSource<LocalAsyncInvocationState> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LocalAsyncInvocationState _state = LocalAsyncInvocationState.Queued;
    private DateTimeOffset? _nextAttemptAt;

    internal LocalAsyncInvocation(string functionName, string requestId, ReadOnlyMemory<byte> payload, DateTimeOffset enqueuedAt)
    {
        FunctionName = functionName;
        RequestId = requestId;
        Payload = payload;
        EnqueuedAt = enqueuedAt;
    }

    /// <summary>The function.</summary>
    public string FunctionName { get; }

    /// <summary>The request id.</summary>
    public string RequestId { get; }

    /// <summary>The event.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>When the event was accepted (host clock).</summary>
    public DateTimeOffset EnqueuedAt { get; }

    /// <summary>The current state.</summary>
    public LocalAsyncInvocationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>When the next retry starts, while <see cref="State"/> is
    /// <see cref="LocalAsyncInvocationState.WaitingForRetry"/>; else null.</summary>
    public DateTimeOffset? NextAttemptAt
    {
        get
        {
            lock (_gate)
            {
                return _nextAttemptAt;
            }
        }
    }

    /// <summary>The attempts that have ended, in order.</summary>
    public IReadOnlyList<LocalInvocationRecord> Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts.ToArray();
            }
        }
    }

    /// <summary>The dead letter sent (or that would have been sent, when discarded), or null.</summary>
    public LocalDeadLetter? DeadLetter { get; private set; }

    /// <summary>Completes with <see cref="LocalAsyncInvocationState.Succeeded"/>,
    /// <see cref="LocalAsyncInvocationState.DeadLettered"/> or <see cref="LocalAsyncInvocationState.Discarded"/>.</summary>
    public Task<LocalAsyncInvocationState> Settled => _settled.Task;

    /// <summary>Completes once <paramref name="count"/> attempts have ended (and the retry after the last of them,
    /// if any, is scheduled), or when the invocation settles with fewer.</summary>
    /// <param name="count">The number of attempts, 1 or more.</param>
    public Task WhenAttemptsCompletedAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            if (_attempts.Count >= count || _settled.Task.IsCompleted)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }

    internal void MarkRunning()
    {
        lock (_gate)
        {
            _state = LocalAsyncInvocationState.Running;
            _nextAttemptAt = null;
        }
    }

    internal void MarkQueued()
    {
        lock (_gate)
        {
            _state = LocalAsyncInvocationState.Queued;
            _nextAttemptAt = null;
        }
    }

    internal void AttemptEnded(LocalInvocationRecord record, DateTimeOffset? nextAttemptAt)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _attempts.Add(record);
            if (nextAttemptAt is not null)
            {
                _state = LocalAsyncInvocationState.WaitingForRetry;
                _nextAttemptAt = nextAttemptAt;
            }

            ready = TakeReady(_attempts.Count);
        }

        foreach (var signal in ready)
        {
            signal.TrySetResult();
        }
    }

    internal void Settle(LocalAsyncInvocationState state, LocalDeadLetter? deadLetter)
    {
        List<TaskCompletionSource> ready;
        lock (_gate)
        {
            _state = state;
            _nextAttemptAt = null;
            DeadLetter = deadLetter;
            ready = TakeReady(int.MaxValue);
        }

        _settled.TrySetResult(state);
        foreach (var signal in ready)
        {
            signal.TrySetResult();
        }
    }

    internal int AttemptCount
    {
        get
        {
            lock (_gate)
            {
                return _attempts.Count;
            }
        }
    }

    internal LambdaErrorPayload? LastError
    {
        get
        {
            lock (_gate)
            {
                return _attempts.Count == 0 ? null : _attempts[^1].Error;
            }
        }
    }

    // Timers of the retries and of the event age; kept referenced so they are not collected.
    internal ITimer? RetryTimer { get; set; }

    internal ITimer? AgeTimer { get; set; }

    // 0 = waiting or idle, 1 = claimed by a dispatch or by the age timer (a queued event is started once).
    internal int Claim;

    private List<TaskCompletionSource> TakeReady(int completed)
    {
        var ready = new List<TaskCompletionSource>();
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Count <= completed)
            {
                ready.Add(_waiters[i].Signal);
                _waiters.RemoveAt(i);
            }
        }

        return ready;
    }
}
