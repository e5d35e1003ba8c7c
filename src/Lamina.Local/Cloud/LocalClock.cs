namespace Lamina.Local.Cloud;

/// <summary>
/// The one clock of a <see cref="LocalCloud"/>: schedules, visibility timeouts, message delays, retry backoff, Wait
/// states and function timeouts all run on it. In tests it is manual (it starts at a fixed instant and moves only when
/// <see cref="Advance"/> or <see cref="SetUtcNow"/> is called, firing every timer that falls due in time order, each
/// at its own due time); in <c>lamina dev</c> it follows the wall clock.
/// </summary>
/// <example>
/// <code>
/// await using var cloud = await LocalCloud.StartAsync(stack);
/// cloud.Clock.Advance(TimeSpan.FromDays(1));   // fires every schedule occurrence of the day, in order
/// await cloud.WaitForIdleAsync();               // and runs what they started
/// </code>
/// </example>
public sealed class LocalClock : TimeProvider
{
    /// <summary>The instant a manual clock starts at unless told otherwise: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly TimeProvider? _system;
    private DateTimeOffset _now;
    private long _sequence;
    private long _activity;

    private LocalClock(TimeProvider? system, DateTimeOffset start)
    {
        _system = system;
        _now = start;
    }

    /// <summary>A manual clock starting at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public static LocalClock Manual(DateTimeOffset? start = null) => new(null, start ?? DefaultStart);

    /// <summary>A clock that follows the wall clock (<see cref="TimeProvider.System"/>); it cannot be advanced.</summary>
    public static LocalClock WallClock() => new(System, default);

    /// <summary>True when the clock moves only when told to.</summary>
    public bool IsManual => _system is null;

    /// <summary>Grows each time a timer is created, changed, fired or disposed: lets the harness tell parked work from running work.</summary>
    internal long Activity => Interlocked.Read(ref _activity);

    /// <summary>The earliest due time among pending timers of a manual clock, or null.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            if (_system is not null)
            {
                return null;
            }
            lock (_gate)
            {
                DateTimeOffset? best = null;
                foreach (var t in _timers)
                {
                    if (t.Due is { } due && (best is null || due < best))
                    {
                        best = due;
                    }
                }
                return best;
            }
        }
    }

    /// <summary>How many timers of a manual clock wait for a future instant.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        if (_system is not null)
        {
            return _system.GetUtcNow();
        }
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => _system?.GetTimestamp() ?? GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public override long TimestampFrequency => _system?.TimestampFrequency ?? TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Interlocked.Increment(ref _activity);
        if (_system is not null)
        {
            return _system.CreateTimer(callback, state, dueTime, period);
        }
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        // A timer due now fires at once, as a real timer would.
        if (dueTime == TimeSpan.Zero)
        {
            FireDue();
        }
        return timer;
    }

    /// <summary>
    /// Moves a manual clock forward by <paramref name="delta"/>, stopping at each timer's due time in order to fire
    /// it (so the work each timer starts sees its own instant).
    /// </summary>
    /// <exception cref="InvalidOperationException">The clock follows the wall clock, or <paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"The clock cannot move backwards (delta {delta}).");
        }
        SetUtcNow(GetUtcNow() + delta);
    }

    /// <summary>The cloud this clock drives, set by <see cref="LocalCloud.StartAsync"/>.</summary>
    internal LocalCloud? Cloud { get; set; }

    /// <summary>
    /// Moves a manual clock forward by <paramref name="delta"/> and runs what falls due on the way, each at its own
    /// instant, to idle (<see cref="LocalCloud.AdvanceAsync"/>); a clock not driving a cloud just advances.
    /// </summary>
    public Task AdvanceAsync(TimeSpan delta, CancellationToken cancellationToken = default)
    {
        if (Cloud is { } cloud)
        {
            return cloud.AdvanceAsync(delta, cancellationToken);
        }
        Advance(delta);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Moves a manual clock to <paramref name="target"/>, firing due timers in time order: every schedule occurrence
    /// in between fires, as it would have in AWS. To start a test at a given instant instead, create the cloud with
    /// <c>new LocalCloudOptions { Clock = LocalClock.Manual(start) }</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The clock follows the wall clock, or <paramref name="target"/> is in the past.</exception>
    public void SetUtcNow(DateTimeOffset target)
    {
        if (_system is not null)
        {
            throw new InvalidOperationException("This LocalCloud runs on the wall clock (lamina dev); only a manual clock (tests) can be advanced.");
        }
        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                if (target < _now)
                {
                    throw new InvalidOperationException($"The clock cannot move backwards (from {_now:O} to {target:O}).");
                }
                foreach (var t in _timers)
                {
                    if (t.Due is { } due && due <= target && (next is null || due < next.Due || (due == next.Due && t.Order < next.Order)))
                    {
                        next = t;
                    }
                }
                if (next is null)
                {
                    _now = target;
                    return;
                }
                if (next.Due > _now)
                {
                    _now = next.Due!.Value;
                }
            }
            next.Fire();
        }
    }

    private void FireDue()
    {
        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                foreach (var t in _timers)
                {
                    if (t.Due is { } due && due <= _now && (next is null || t.Order < next.Order))
                    {
                        next = t;
                    }
                }
            }
            if (next is null)
            {
                return;
            }
            next.Fire();
        }
    }

    private sealed class ManualTimer(LocalClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? Due { get; private set; }

        public long Order { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref clock._activity);
            lock (clock._gate)
            {
                if (!clock._timers.Contains(this))
                {
                    return false;
                }
                _period = period;
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                Order = ++clock._sequence;
                return true;
            }
        }

        public void Fire()
        {
            lock (clock._gate)
            {
                if (Due is null)
                {
                    return;
                }
                Due = _period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero ? null : Due + _period;
                Order = ++clock._sequence;
            }
            Interlocked.Increment(ref clock._activity);
            callback(state);
        }

        public void Dispose()
        {
            Interlocked.Increment(ref clock._activity);
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                Due = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
