using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Local.Scheduling;

/// <summary>
/// Fires EventBridge schedules (scheduled rules and Scheduler schedules) on an injected clock. Occurrences come from
/// <see cref="ScheduleExpression.NextOccurrence"/>, so time zones, daylight-saving gaps and overlaps, rates and
/// one-time <c>at</c> schedules behave as the Semantics library says.
/// </summary>
/// <remarks>
/// <para>
/// Deterministic: nothing fires on its own unless <see cref="RunAsync"/> runs or <see cref="StartTimer"/> armed a
/// timer. <see cref="ProcessDue"/> fires every occurrence due at the clock's current time, across all schedules, in
/// time order (ties by name), each once, with its own scheduled time: with a fake clock, advancing one day and calling
/// it fires that day's occurrences. Firing is serialized by a lock, so <see cref="ProcessDue"/>, the timer and
/// <see cref="RunAsync"/> may run together without firing an occurrence twice or out of order.
/// </para>
/// <para>
/// Targets start on the firing thread, under the engine's lock: a target must not wait synchronously for the engine.
/// A target that waits on the same fake clock the caller advances only after <see cref="RunUntilIdleAsync"/> returns
/// never finishes.
/// </para>
/// </remarks>
public sealed class LocalScheduler : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly List<LocalScheduleOccurrence> _fired = [];
    private readonly List<(LocalScheduleOccurrence, Exception)> _failures = [];
    private readonly List<TrackedTarget> _active = [];
    private readonly CancellationTokenSource _lifetime = new();
    private ITimer? _timer;
    private bool _pumping;
    private bool _disposed;
    private TaskCompletionSource? _wake;

    /// <summary>Creates an engine.</summary>
    /// <param name="timeProvider">The clock occurrences are computed from and waited on.</param>
    public LocalScheduler(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
    }

    /// <summary>The engine's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The schedules, in the order they were added.</summary>
    public IReadOnlyList<LocalScheduleStatus> Schedules
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries.Select(static e => e.Status())];
            }
        }
    }

    /// <summary>The earliest next occurrence of any enabled schedule, or null when none will fire.</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            lock (_lock)
            {
                return Earliest()?.Next;
            }
        }
    }

    /// <summary>Targets started (scheduled or manual) that have not finished yet.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>Every firing so far, scheduled and manual, in the order the targets were started.</summary>
    public IReadOnlyList<LocalScheduleOccurrence> Fired
    {
        get
        {
            lock (_lock)
            {
                return _fired.ToArray();
            }
        }
    }

    /// <summary>Firings whose target threw or returned a faulted or cancelled task, in the order they failed.</summary>
    public IReadOnlyList<(LocalScheduleOccurrence, Exception)> Failures
    {
        get
        {
            lock (_lock)
            {
                return _failures.ToArray();
            }
        }
    }

    /// <summary>
    /// Adds a schedule. Its first occurrence is the first one strictly after the current clock time, like a newly
    /// created rule (a rate without a start date fires one interval later), and not before
    /// <see cref="LocalScheduleDefinition.StartDate"/>.
    /// </summary>
    /// <param name="definition">The schedule.</param>
    /// <exception cref="ArgumentException">
    /// The name is empty or taken, the time zone is unknown, or the end date is before the start date.
    /// </exception>
    public void Add(LocalScheduleDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name, nameof(definition));
        ArgumentNullException.ThrowIfNull(definition.Expression, nameof(definition));
        ArgumentNullException.ThrowIfNull(definition.Target, nameof(definition));
        if (definition.StartDate is { } start && definition.EndDate is { } end && end < start)
        {
            throw new ArgumentException($"Schedule '{definition.Name}': EndDate {end:O} is before StartDate {start:O}.", nameof(definition));
        }

        var zone = ResolveZone(definition);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.Any(e => string.Equals(e.Definition.Name, definition.Name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"A schedule named '{definition.Name}' already exists.", nameof(definition));
            }

            var now = TimeProvider.GetUtcNow();
            var entry = new Entry(definition, zone, definition.StartDate ?? now);
            if (definition.Enabled)
            {
                entry.Next = FirstAfter(entry, now);
            }

            _entries.Add(entry);
            Changed();
        }
    }

    /// <summary>Removes a schedule (targets already started keep running).</summary>
    /// <param name="name">The schedule's name.</param>
    /// <returns>Whether it existed.</returns>
    public bool Remove(string name)
    {
        lock (_lock)
        {
            var removed = _entries.RemoveAll(e => string.Equals(e.Definition.Name, name, StringComparison.Ordinal)) > 0;
            Changed();
            return removed;
        }
    }

    /// <summary>
    /// Enables or disables a schedule. Enabling computes the next occurrence strictly after the current clock time
    /// (occurrences missed while disabled never fire); a rate keeps its anchor.
    /// </summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="enabled">Whether it fires on its own.</param>
    /// <exception cref="KeyNotFoundException">No such schedule.</exception>
    public void SetEnabled(string name, bool enabled)
    {
        lock (_lock)
        {
            var entry = Find(name);
            if (entry.Enabled == enabled)
            {
                return;
            }

            entry.Enabled = enabled;
            entry.Next = enabled ? FirstAfter(entry, TimeProvider.GetUtcNow()) : null;
            Changed();
        }
    }

    /// <summary>
    /// Fires every occurrence due at the clock's current time: across all schedules, in time order (ties by name),
    /// each with its own scheduled time, computing each schedule's next occurrence from the one just fired. A target
    /// failure is recorded in <see cref="Failures"/> and does not stop the engine. Returns 0 at once when called from
    /// a target the engine is starting.
    /// </summary>
    /// <returns>How many scheduled occurrences were fired.</returns>
    public int ProcessDue()
    {
        lock (_lock)
        {
            if (_pumping || _disposed)
            {
                return 0;
            }

            _pumping = true;
            try
            {
                var now = TimeProvider.GetUtcNow();
                var count = 0;
                while (Earliest() is { Next: { } scheduled } entry && scheduled <= now)
                {
                    entry.Next = NextAfter(entry, scheduled);
                    entry.FireCount++;
                    entry.LastScheduled = scheduled;
                    Start(entry, new LocalScheduleOccurrence(entry.Definition.Name, scheduled, now, false));
                    count++;
                }

                return count;
            }
            finally
            {
                _pumping = false;
                Rearm();
            }
        }
    }

    /// <summary>
    /// Fires what is due (<see cref="ProcessDue"/>) and waits for every started target to finish, repeating until
    /// nothing is due and nothing runs. Does not move the clock.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (running targets keep running).</param>
    /// <returns>A task that completes when the engine is idle at the current clock time.</returns>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ProcessDue();
            TrackedTarget[] running;
            lock (_lock)
            {
                if (_active.Count == 0)
                {
                    return;
                }

                running = [.. _active];
            }

            try
            {
                await Task.WhenAll(running.Select(static r => r.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Failures are recorded by Complete.
            }

            foreach (var target in running)
            {
                target.Complete();
            }
        }
    }

    /// <summary>
    /// Fires a schedule by hand now (<c>lamina trigger</c>), enabled or not, with <see cref="LocalScheduleOccurrence.Manual"/>
    /// set and the current time as scheduled time; does not change the schedule's next occurrence. Waits for the
    /// target; a failure is recorded in <see cref="Failures"/> and rethrown.
    /// </summary>
    /// <param name="name">The schedule's name.</param>
    /// <param name="cancellationToken">Stops waiting for the target.</param>
    /// <returns>A task that completes when the target finished.</returns>
    /// <exception cref="KeyNotFoundException">No such schedule.</exception>
    public async Task TriggerAsync(string name, CancellationToken cancellationToken = default)
    {
        TrackedTarget target;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = Find(name);
            var now = TimeProvider.GetUtcNow();
            entry.ManualFireCount++;
            target = Start(entry, new LocalScheduleOccurrence(entry.Definition.Name, now, now, true));
        }

        try
        {
            await target.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (target.Task.IsCompleted)
            {
                target.Complete();
            }
        }
    }

    /// <summary>
    /// Arms a timer on the engine's clock for <see cref="NextDueTime"/>; each time it expires the engine fires what is
    /// due (<see cref="ProcessDue"/>) and re-arms it. Adding, removing or enabling schedules re-arms it too. With a
    /// <c>FakeTimeProvider</c>, <c>Advance</c> invokes the timer, which fires every occurrence passed, in order (the
    /// fake clock is already at its new time then, so <see cref="LocalScheduleOccurrence.FiredAt"/> is that time).
    /// Calling <see cref="ProcessDue"/> as well never fires an occurrence twice. Idempotent.
    /// </summary>
    public void StartTimer()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _timer ??= TimeProvider.CreateTimer(static state => ((LocalScheduler)state!).OnTimer(), this,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Rearm();
        }
    }

    /// <summary>Disarms and releases the timer of <see cref="StartTimer"/>.</summary>
    public void StopTimer()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    /// <summary>
    /// Fires schedules continuously until <paramref name="cancellationToken"/> is cancelled: fires what is due, then
    /// waits on the engine's clock until the next due time (or until a schedule is added or enabled). For the local
    /// harness running in real time. Run one loop per engine.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when cancelled or when the engine is disposed.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            ProcessDue();

            // Created after firing and before reading the next due time: a schedule added in between wakes the wait.
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            await EngineWait.UntilDueOrWokenAsync(TimeProvider, NextDueTime, wake, token).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the timer and <see cref="RunAsync"/> loops and cancels the token targets were given.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }

        _lifetime.Cancel();
        Volatile.Read(ref _wake)?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private void OnTimer()
    {
        try
        {
            ProcessDue();
        }
        catch (Exception)
        {
            // A timer callback must not throw; ProcessDue records target failures itself.
        }
    }

    /// <summary>The schedules changed: re-arms the timer and wakes <see cref="RunAsync"/>. Under the lock.</summary>
    private void Changed()
    {
        Volatile.Read(ref _wake)?.TrySetResult();
        Rearm();
    }

    /// <summary>Arms the timer of <see cref="StartTimer"/> for the next due time. Under the lock.</summary>
    private void Rearm()
    {
        if (_timer is null || _pumping)
        {
            return;
        }

        if (Earliest()?.Next is { } due)
        {
            var delay = due - TimeProvider.GetUtcNow();
            _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private TrackedTarget Start(Entry entry, LocalScheduleOccurrence occurrence)
    {
        _fired.Add(occurrence);
        Task task;
        try
        {
            task = entry.Definition.Target(occurrence, _lifetime.Token) ?? Task.CompletedTask;
        }
        catch (Exception error)
        {
            task = Task.FromException(error);
        }

        var target = new TrackedTarget(this, occurrence, task);
        if (task.IsCompleted)
        {
            target.Complete();
        }
        else
        {
            _active.Add(target);
            task.ContinueWith(static (_, state) => ((TrackedTarget)state!).Complete(), target, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return target;
    }

    private void Completed(TrackedTarget target)
    {
        lock (_lock)
        {
            _active.Remove(target);
            var task = target.Task;
            if (task.IsCompletedSuccessfully)
            {
                return;
            }

            Exception error = task.IsCanceled
                ? new TaskCanceledException(task)
                : task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception;
            _failures.Add((target.Occurrence, error));
        }
    }

    private Entry? Earliest()
    {
        Entry? best = null;
        foreach (var entry in _entries)
        {
            if (entry.Next is not { } next)
            {
                continue;
            }

            if (best is null || next < best.Next!.Value
                || (next == best.Next.Value && string.CompareOrdinal(entry.Definition.Name, best.Definition.Name) < 0))
            {
                best = entry;
            }
        }

        return best;
    }

    private Entry Find(string name) =>
        _entries.Find(e => string.Equals(e.Definition.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No schedule named '{name}'.");

    /// <summary>The first occurrence strictly after <paramref name="now"/> and at or after the start date.</summary>
    private static DateTimeOffset? FirstAfter(Entry entry, DateTimeOffset now)
    {
        var from = entry.Definition.StartDate is { } start && start > now ? start.AddTicks(-1) : now;
        return NextAfter(entry, from);
    }

    private static DateTimeOffset? NextAfter(Entry entry, DateTimeOffset fromExclusive)
    {
        var next = entry.Definition.Expression.NextOccurrence(fromExclusive, entry.Zone, entry.RateAnchor);
        return next is { } n && entry.Definition.EndDate is { } end && n > end ? null : next;
    }

    private static TimeZoneInfo ResolveZone(LocalScheduleDefinition definition)
    {
        if (string.IsNullOrEmpty(definition.TimeZone))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        }
        catch (Exception error) when (error is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Schedule '{definition.Name}': unknown time zone '{definition.TimeZone}'.", nameof(definition), error);
        }
    }

    private sealed class Entry(LocalScheduleDefinition definition, TimeZoneInfo zone, DateTimeOffset rateAnchor)
    {
        internal LocalScheduleDefinition Definition => definition;

        internal TimeZoneInfo Zone => zone;

        internal DateTimeOffset RateAnchor => rateAnchor;

        internal bool Enabled { get; set; } = definition.Enabled;

        internal DateTimeOffset? Next { get; set; }

        internal int FireCount { get; set; }

        internal int ManualFireCount { get; set; }

        internal DateTimeOffset? LastScheduled { get; set; }

        internal LocalScheduleStatus Status() => new(definition.Name, definition.Expression.ToString(), definition.TimeZone,
            Enabled, Next, FireCount, ManualFireCount, LastScheduled);
    }

    private sealed class TrackedTarget(LocalScheduler owner, LocalScheduleOccurrence occurrence, Task task)
    {
        private int _completed;

        internal LocalScheduleOccurrence Occurrence => occurrence;

        internal Task Task => task;

        internal void Complete()
        {
            if (Interlocked.Exchange(ref _completed, 1) == 0)
            {
                owner.Completed(this);
            }
        }
    }
}
