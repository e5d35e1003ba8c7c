using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lamina.Local.Messaging;

namespace Lamina.Local.Storage;

/// <summary>
/// A local S3: buckets of objects (in memory, or files under a folder), and bucket notifications to functions with
/// the event JSON S3 sends. Deterministic: notifications are queued and delivered, in order, only by
/// <see cref="ProcessDue"/>, <see cref="RunUntilIdleAsync"/> or <see cref="RunAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// S3 invokes Lambda asynchronously: the engine starts each target and records a failure in
/// <see cref="FailedDeliveries"/>; retries belong to the Lambda host. A target that writes to the bucket that
/// notified it loops forever, as it would on AWS.
/// </para>
/// <para>
/// Disk mode (<see cref="LocalS3Options.RootDirectory"/>): each bucket is a folder, each object a file, loaded when
/// the bucket is created. With <see cref="StartWatching"/>, files the user creates, changes or deletes in a bucket
/// folder become puts and deletes with the same notifications, once the path has been quiet for
/// <see cref="LocalS3Options.WatchDebounce"/> on the engine's clock. A change is detected by content (MD5), so files
/// the engine writes itself, and events that repeat, cause nothing; temporary files of editors and browsers
/// (<c>*.tmp</c>, <c>*.swp</c>, <c>*~</c>, <c>*.part</c>, <c>*.crdownload</c>, <c>.~lock.*</c>, ...) and the
/// <c>.lamina-meta</c> folder are ignored.
/// </para>
/// <para>
/// Targets start on the pumping thread, under the pump's lock: a target must not wait synchronously for the engine
/// (it may put and delete objects; it must not call <see cref="RunUntilIdleAsync"/>).
/// </para>
/// </remarks>
public sealed class LocalS3 : IAsyncDisposable
{
    private const int MaxFileAttempts = 20;

    private readonly ConcurrentDictionary<string, LocalBucket> _buckets = new(StringComparer.Ordinal);
    private readonly object _configLock = new();
    private readonly IdGenerator _ids;
    private long _sequence;

    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly object _pumpLock = new();
    private bool _pumping;
    private readonly object _stateLock = new();
    private readonly List<Tracked> _active = [];
    private readonly List<S3FailedDelivery> _failures = [];

    private readonly object _watchLock = new();
    private readonly Dictionary<(string Bucket, string Path), PendingPath> _pendingPaths = [];
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private bool _watching;

    private readonly CancellationTokenSource _lifetime = new();
    private TaskCompletionSource? _wake;

    /// <summary>Creates an engine.</summary>
    /// <param name="timeProvider">The clock of event times, last-modified times and the watcher's debounce.</param>
    /// <param name="options">Region, disk folder and identities; null for the defaults (in memory, us-east-1).</param>
    public LocalS3(TimeProvider timeProvider, LocalS3Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        Options = options ?? new LocalS3Options();
        _ids = new IdGenerator(Options.IdSeed);
        if (Options.RootDirectory is { } root)
        {
            Directory.CreateDirectory(root);
        }
    }

    /// <summary>The engine's clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The engine's options.</summary>
    public LocalS3Options Options { get; }

    /// <summary>The buckets, by name.</summary>
    public IReadOnlyDictionary<string, LocalBucket> Buckets => _buckets;

    /// <summary>
    /// Raised for every S3 event (put, copy, delete, file change), matched by a notification or not, on the thread
    /// that made the change, under the bucket's lock: for logs; a handler must return quickly.
    /// </summary>
    public event Action<S3EventRecordInfo>? EventRecorded;

    /// <summary>Notifications queued and not yet started.</summary>
    public int PendingNotifications => _deliveries.Count;

    /// <summary>Notification targets started and not yet finished.</summary>
    public int InFlightDeliveries
    {
        get
        {
            lock (_stateLock)
            {
                return _active.Count;
            }
        }
    }

    /// <summary>Targets that threw or returned a faulted or cancelled task, in the order they failed.</summary>
    public IReadOnlyList<S3FailedDelivery> FailedDeliveries
    {
        get
        {
            lock (_stateLock)
            {
                return _failures.ToArray();
            }
        }
    }

    /// <summary>Disk mode: paths with file-system events waiting for their debounce to pass.</summary>
    public int PendingFileChanges
    {
        get
        {
            lock (_watchLock)
            {
                return _pendingPaths.Count;
            }
        }
    }

    /// <summary>Whether <see cref="StartWatching"/> is in effect.</summary>
    public bool IsWatching
    {
        get
        {
            lock (_watchLock)
            {
                return _watching;
            }
        }
    }

    /// <summary>
    /// The earliest time at which work is due: the queue time of the first pending notification (due at once), or the
    /// end of the earliest file-change debounce; null when there is nothing.
    /// </summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            DateTimeOffset? best = _deliveries.TryPeek(out var first) ? first.QueuedAt : null;
            lock (_watchLock)
            {
                foreach (var pending in _pendingPaths.Values)
                {
                    if (best is null || pending.Due < best)
                    {
                        best = pending.Due;
                    }
                }
            }

            return best;
        }
    }

    internal DateTimeOffset Now => LocalBucket.TruncateToMilliseconds(TimeProvider.GetUtcNow());

    /// <summary>Creates a bucket; in disk mode, its folder (created if missing) is loaded as its objects, without notifications.</summary>
    /// <param name="name">The bucket name, following S3's general purpose bucket naming rules.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="LocalS3Exception"><c>InvalidBucketName</c>, or <c>BucketAlreadyOwnedByYou</c>.</exception>
    public LocalBucket CreateBucket(string name)
    {
        S3Rules.ValidateBucketName(name);
        lock (_configLock)
        {
            if (_buckets.ContainsKey(name))
            {
                throw new LocalS3Exception("BucketAlreadyOwnedByYou", $"The bucket '{name}' already exists.");
            }

            var disk = Options.RootDirectory is { } root ? new DiskBucketStore(Path.Combine(root, name)) : null;
            var bucket = new LocalBucket(this, name, disk);
            _buckets[name] = bucket;
            lock (_watchLock)
            {
                if (_watching)
                {
                    Watch(bucket);
                }
            }

            return bucket;
        }
    }

    /// <summary>The bucket of that name.</summary>
    /// <param name="name">The bucket name.</param>
    /// <returns>The bucket.</returns>
    /// <exception cref="LocalS3Exception"><c>NoSuchBucket</c>.</exception>
    public LocalBucket GetBucket(string name) =>
        _buckets.TryGetValue(name, out var bucket) ? bucket : throw new LocalS3Exception("NoSuchBucket", $"The specified bucket does not exist: '{name}'.");

    /// <summary>
    /// Adds a notification configuration to a bucket. S3's rules apply: known event types, a unique id, and no two
    /// configurations of a bucket that share an event type with prefix and suffix filters that can match the same key.
    /// </summary>
    /// <param name="bucketName">The bucket.</param>
    /// <param name="notification">The configuration; an empty <see cref="LocalBucketNotification.Id"/> gets a generated one.</param>
    /// <returns>The configuration as stored (with its id).</returns>
    /// <exception cref="LocalS3Exception"><c>NoSuchBucket</c>, or <c>InvalidArgument</c> with S3's reason.</exception>
    public LocalBucketNotification AddNotification(string bucketName, LocalBucketNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var bucket = GetBucket(bucketName);
        if (notification.Events is not { Count: > 0 })
        {
            throw new LocalS3Exception("InvalidArgument", "A notification configuration needs at least one event type.");
        }

        if (notification.Events.FirstOrDefault(e => !S3Rules.EventTypes.Contains(e)) is { } unknown)
        {
            throw new LocalS3Exception("InvalidArgument", $"The event is not supported for notifications: '{unknown}'.");
        }

        ArgumentNullException.ThrowIfNull(notification.Target, nameof(notification));
        if ((notification.Prefix?.Length ?? 0) > 1024 || (notification.Suffix?.Length ?? 0) > 1024)
        {
            throw new LocalS3Exception("InvalidArgument", "A filter rule value must be at most 1024 characters.");
        }

        lock (_configLock)
        {
            var stored = string.IsNullOrEmpty(notification.Id)
                ? notification with { Id = Convert.ToBase64String(Encoding.UTF8.GetBytes(_ids.NextUuid())) }
                : notification;
            var existing = bucket.Notifications;
            if (existing.Any(n => n.Id == stored.Id))
            {
                throw new LocalS3Exception("InvalidArgument", $"Same ID used for multiple configurations: '{stored.Id}'.");
            }

            if (existing.FirstOrDefault(n => S3Rules.Overlap(n, stored)) is { } other)
            {
                throw new LocalS3Exception("InvalidArgument",
                    $"Configurations overlap. Configurations on the same bucket cannot share a common event type ('{stored.Id}' and '{other.Id}').");
            }

            bucket.SetNotifications([.. existing, stored]);
            return stored;
        }
    }

    /// <summary>Removes a notification configuration.</summary>
    /// <param name="bucketName">The bucket.</param>
    /// <param name="id">The configuration id.</param>
    /// <returns>Whether it existed.</returns>
    public bool RemoveNotification(string bucketName, string id)
    {
        var bucket = GetBucket(bucketName);
        lock (_configLock)
        {
            var existing = bucket.Notifications;
            var kept = existing.Where(n => n.Id != id).ToArray();
            bucket.SetNotifications(kept);
            return kept.Length != existing.Count;
        }
    }

    /// <summary>
    /// Does what is due at the current clock time without waiting: applies file changes whose debounce has passed,
    /// then starts, in queue order, every notification queued when the call began. Returns 0 at once when called from
    /// a target the pump is starting.
    /// </summary>
    /// <returns>How many notifications were started.</returns>
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
                ApplyFileChanges();
                var count = _deliveries.Count;
                var started = 0;
                while (started < count && _deliveries.TryDequeue(out var delivery))
                {
                    Start(delivery);
                    started++;
                }

                return started;
            }
            finally
            {
                _pumping = false;
            }
        }
    }

    /// <summary>
    /// Delivers every pending notification and waits for the targets, repeating while targets cause new ones, until
    /// nothing is queued and no target runs. Does not move the clock (file changes still in their debounce wait).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (running targets keep running).</param>
    /// <returns>A task that completes when the engine is idle at the current clock time.</returns>
    /// <exception cref="InvalidOperationException">Called from a target the pump is starting.</exception>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Tracked[] running;
            lock (_pumpLock)
            {
                if (_pumping)
                {
                    throw new InvalidOperationException("RunUntilIdleAsync cannot be called from a target the engine is starting.");
                }

                ProcessDue();
                lock (_stateLock)
                {
                    running = [.. _active];
                }

                if (running.Length == 0)
                {
                    if (_deliveries.IsEmpty)
                    {
                        return;
                    }

                    continue;
                }
            }

            try
            {
                await Task.WhenAll(running.Select(static r => r.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Failures are recorded by Complete.
            }

            foreach (var tracked in running)
            {
                tracked.Complete();
            }
        }
    }

    /// <summary>
    /// Processes work continuously until <paramref name="cancellationToken"/> is cancelled: delivers notifications as
    /// they are queued and applies file changes when their debounce passes, waiting on the engine's clock in between.
    /// For the local harness running in real time. Run one loop per engine.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when cancelled or when the engine is disposed.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        while (!token.IsCancellationRequested)
        {
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            try
            {
                await RunUntilIdleAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }

            await EngineWait.UntilDueOrWokenAsync(TimeProvider, NextDueTime, wake, token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Disk mode: watches every bucket folder (and those of buckets created later) for files the user creates, changes,
    /// renames or deletes, and first applies the differences between the folders and the index. Idempotent.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine keeps objects in memory.</exception>
    public void StartWatching()
    {
        if (Options.RootDirectory is null)
        {
            throw new InvalidOperationException("StartWatching needs disk mode: set LocalS3Options.RootDirectory.");
        }

        lock (_configLock)
        {
            lock (_watchLock)
            {
                if (_watching)
                {
                    return;
                }

                _watching = true;
                foreach (var bucket in _buckets.Values)
                {
                    Watch(bucket);
                }
            }
        }

        Rescan();
    }

    /// <summary>Stops watching the bucket folders (changes already seen are still applied when due).</summary>
    public void StopWatching()
    {
        lock (_watchLock)
        {
            _watching = false;
            foreach (var watcher in _watchers.Values)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
        }
    }

    /// <summary>
    /// Disk mode: compares the bucket folders with the index now and applies every difference as a put or delete
    /// (queuing notifications), without waiting for the watcher.
    /// </summary>
    /// <param name="bucketName">One bucket, or null for all.</param>
    /// <returns>How many objects changed.</returns>
    /// <exception cref="InvalidOperationException">The engine keeps objects in memory.</exception>
    public int Rescan(string? bucketName = null)
    {
        if (Options.RootDirectory is null)
        {
            throw new InvalidOperationException("Rescan needs disk mode: set LocalS3Options.RootDirectory.");
        }

        var buckets = bucketName is null ? _buckets.Values.ToArray() : [GetBucket(bucketName)];
        return buckets.Sum(b => b.Reconcile(""));
    }

    /// <summary>Stops watching and <see cref="RunAsync"/> loops and cancels the token targets were given.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        StopWatching();
        _lifetime.Cancel();
        Volatile.Read(ref _wake)?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    /// <summary>Records an S3 event and queues a record for each matching notification. Called under the bucket's lock.</summary>
    internal void Emit(LocalBucket bucket, string key, string eventName, long? size, string? etag, bool fromFileSystem)
    {
        var now = Now;
        var sequencer = "00" + Interlocked.Increment(ref _sequence).ToString("X16", CultureInfo.InvariantCulture);
        var requestUuid = _ids.NextUuid();
        var requestId = requestUuid.Replace("-", "", StringComparison.Ordinal)[..16].ToUpperInvariant();
        var hostId = Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes(requestUuid)))[..76];
        var data = new S3EventData(Options.Region, now, eventName, Options.PrincipalId, Options.SourceIPAddress, requestId, hostId,
            bucket.Name, Options.OwnerPrincipalId, key, size, etag, sequencer);
        List<string>? ids = null;
        foreach (var notification in bucket.Notifications)
        {
            if (S3Rules.Matches(notification, eventName, key))
            {
                _deliveries.Enqueue(new Delivery(notification, data, S3Rules.EventJson(data, notification.Id), TimeProvider.GetUtcNow()));
                (ids ??= []).Add(notification.Id);
            }
        }

        if (ids is not null)
        {
            Volatile.Read(ref _wake)?.TrySetResult();
        }

        try
        {
            EventRecorded?.Invoke(new S3EventRecordInfo(bucket.Name, key, eventName, size, etag, sequencer, now,
                ids ?? (IReadOnlyList<string>)[], fromFileSystem));
        }
        catch (Exception)
        {
            // A logging handler must not break the operation.
        }
    }

    private void Start(Delivery delivery)
    {
        Task task;
        try
        {
            task = delivery.Notification.Target(delivery.Json, _lifetime.Token) ?? Task.CompletedTask;
        }
        catch (Exception error)
        {
            task = Task.FromException(error);
        }

        var tracked = new Tracked(this, delivery, task);
        if (task.IsCompleted)
        {
            tracked.Complete();
            return;
        }

        lock (_stateLock)
        {
            _active.Add(tracked);
        }

        task.ContinueWith(static (_, state) => ((Tracked)state!).Complete(), tracked, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Completed(Tracked tracked)
    {
        var task = tracked.Task;
        lock (_stateLock)
        {
            _active.Remove(tracked);
            if (task.IsCompletedSuccessfully)
            {
                return;
            }

            Exception error = task.IsCanceled
                ? new TaskCanceledException(task)
                : task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception;
            var data = tracked.Delivery.Data;
            _failures.Add(new S3FailedDelivery(tracked.Delivery.Notification.Id, data.BucketName, data.Key, data.EventName,
                TimeProvider.GetUtcNow(), error));
        }
    }

    private void Watch(LocalBucket bucket)
    {
        var root = bucket.Directory!;
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        var name = bucket.Name;
        watcher.Created += (_, e) => OnFileEvent(name, root, e.FullPath);
        watcher.Changed += (_, e) => OnFileEvent(name, root, e.FullPath);
        watcher.Deleted += (_, e) => OnFileEvent(name, root, e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            OnFileEvent(name, root, e.OldFullPath);
            OnFileEvent(name, root, e.FullPath);
        };

        // Events were lost (buffer overflow): look at the whole bucket.
        watcher.Error += (_, _) => OnFileEvent(name, root, root);
        watcher.EnableRaisingEvents = true;
        _watchers[name] = watcher;
    }

    private void OnFileEvent(string bucket, string root, string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath);
        if (relative == ".")
        {
            relative = "";
        }
        else if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return;
        }

        var first = relative.Split(Path.DirectorySeparatorChar, 2)[0];
        if (first == DiskBucketStore.MetaFolder || (relative.Length > 0 && DiskBucketStore.IsTemporaryName(Path.GetFileName(relative))))
        {
            return;
        }

        lock (_watchLock)
        {
            if (!_watching)
            {
                return;
            }

            _pendingPaths[(bucket, relative)] = new PendingPath(TimeProvider.GetUtcNow() + Options.WatchDebounce, 0);
        }

        Volatile.Read(ref _wake)?.TrySetResult();
    }

    /// <summary>Reconciles the paths whose debounce has passed, in the order they became due. Pump only.</summary>
    private void ApplyFileChanges()
    {
        List<((string Bucket, string Path) Where, PendingPath Pending)> due;
        var now = TimeProvider.GetUtcNow();
        lock (_watchLock)
        {
            if (_pendingPaths.Count == 0)
            {
                return;
            }

            due = [.. _pendingPaths.Where(p => p.Value.Due <= now).Select(p => (p.Key, p.Value))
                .OrderBy(p => p.Value.Due).ThenBy(p => p.Key.Path, StringComparer.Ordinal)];
            foreach (var (where, _) in due)
            {
                _pendingPaths.Remove(where);
            }
        }

        foreach (var (where, pending) in due)
        {
            if (!_buckets.TryGetValue(where.Bucket, out var bucket))
            {
                continue;
            }

            try
            {
                bucket.Reconcile(where.Path);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // The file is still being written or is locked: look again after another debounce.
                if (pending.Attempts + 1 < MaxFileAttempts)
                {
                    lock (_watchLock)
                    {
                        _pendingPaths.TryAdd(where, new PendingPath(now + Options.WatchDebounce, pending.Attempts + 1));
                    }
                }
            }
            catch (Exception)
            {
                // Anything else (a file name the index cannot hold, for example) is skipped: the pump must go on.
            }
        }
    }

    private sealed record PendingPath(DateTimeOffset Due, int Attempts);

    private sealed record Delivery(LocalBucketNotification Notification, S3EventData Data, byte[] Json, DateTimeOffset QueuedAt);

    private sealed class Tracked(LocalS3 owner, Delivery delivery, Task task)
    {
        private int _completed;

        internal Delivery Delivery => delivery;

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
