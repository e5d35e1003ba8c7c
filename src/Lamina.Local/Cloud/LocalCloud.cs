using System.Text;
using System.Text.Json.Nodes;
using Lamina.Lambda.Invoke;
using Lamina.Local.Api;
using Lamina.Local.Lambda;
using Lamina.Local.Messaging;
using Lamina.Local.Scheduling;
using Lamina.Local.Storage;
using Lamina.Resources;

namespace Lamina.Local.Cloud;

/// <summary>
/// A whole Lamina app running locally, built from the same construct tree synthesis uses (no second configuration):
/// its functions on a <see cref="LocalLambdaHost"/>, its HTTP and REST APIs on 127.0.0.1, its queues, topics,
/// subscriptions and event source mappings on <see cref="LocalMessaging"/>, its buckets and their notifications on
/// <see cref="LocalS3"/>, its schedules on <see cref="LocalScheduler"/> and its state machines on the ASL interpreter
/// — all on one <see cref="LocalClock"/>.
/// </summary>
/// <remarks>
/// The harness reads the resources synthesis emits (a function is its <c>aws:lambda:Function</c>, a route its
/// <c>aws:apigatewayv2:Route</c> and integration, a trigger its <c>aws:lambda:EventSourceMapping</c>, ...), with every
/// reference resolved to the local stand-in (see <see cref="LocalValues"/>). Resources without a local counterpart
/// (IAM, log groups, bucket encryption, ...) are accepted and ignored: permissions are not enforced locally.
/// </remarks>
/// <example>
/// <code>
/// var app = new App(new AppOptions { Bundle = false });
/// var stack = new Stack(app, "shop");
/// ShopStack.Define(stack);
/// await using var cloud = await LocalCloud.StartAsync(stack);
///
/// var response = await cloud.CreateHttpClient("OrdersApi").PostAsync("/orders", JsonContent.Create(new { sku = "A1" }));
/// cloud.Clock.Advance(TimeSpan.FromDays(1));      // every schedule occurrence of the day, in order
/// await cloud.WaitForIdleAsync();                  // messages, notifications and invocations drained
/// Assert.Empty(cloud.Queue("OrderEvents/Billing-DLQ").PeekMessages());
/// </code>
/// </example>
public sealed partial class LocalCloud : IAsyncDisposable
{
    private readonly List<Task> _work = [];
    private readonly object _workGate = new();
    private readonly List<LocalLogEntry> _logs = [];
    private readonly CancellationTokenSource _lifetime = new();
    private int _disposed;

    private LocalCloud(Stack stack, LocalCloudOptions options, LocalClock clock, LocalValues values)
    {
        Stack = stack;
        Options = options;
        Clock = clock;
        Values = values;
    }

    /// <summary>The stack that runs.</summary>
    public Stack Stack { get; }

    /// <summary>The options.</summary>
    public LocalCloudOptions Options { get; }

    /// <summary>The one clock everything runs on (manual in tests: <see cref="LocalClock.Advance"/>).</summary>
    public LocalClock Clock { get; }

    /// <summary>The local values of the program's references (names, ARNs, URLs) and what could not be evaluated.</summary>
    public LocalValues Values { get; }

    /// <summary>The Lambda host running the functions.</summary>
    public LocalLambdaHost Lambda { get; private set; } = null!;

    /// <summary>The SNS/SQS engine.</summary>
    public LocalMessaging Messaging { get; private set; } = null!;

    /// <summary>The S3 engine.</summary>
    public LocalS3 S3 { get; private set; } = null!;

    /// <summary>The schedule engine.</summary>
    public LocalScheduler Scheduler { get; private set; } = null!;

    /// <summary>The API server, or null when the stack has no API or <see cref="LocalCloudOptions.ServeApis"/> is off.</summary>
    public LocalApiGateway? Apis { get; private set; }

    /// <summary>Every local resource with its kind, construct path, local name and address (for tables and lookups).</summary>
    public IReadOnlyList<LocalResourceInfo> Resources => _resources;

    /// <summary>The state machines.</summary>
    public IReadOnlyList<LocalStateMachine> StateMachines => _stateMachines;

    /// <summary>
    /// Every invocation of every function so far (synchronous and asynchronous attempts, oldest first);
    /// <c>cloud.Invocations.Of("BuildReport")</c> selects one function's by construct path, id or name.
    /// </summary>
    public LocalInvocationLog Invocations => new(this, Lambda.Invocations);

    /// <summary>Every log line every function wrote, in order.</summary>
    public IReadOnlyList<LocalLogEntry> Logs
    {
        get
        {
            lock (_logs)
            {
                return _logs.ToArray();
            }
        }
    }

    /// <summary>Warnings about parts of the app that run differently locally (each names the construct path).</summary>
    public IReadOnlyList<string> Warnings => [.. _warnings, .. Values.Warnings];

    /// <summary>
    /// Synthesizes <paramref name="stack"/> (reporting every error at once, as <c>lamina synth</c> would) and starts it
    /// locally.
    /// </summary>
    /// <exception cref="SynthesisException">The app has errors.</exception>
    public static async Task<LocalCloud> StartAsync(Stack stack, LocalCloudOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        options ??= new LocalCloudOptions();
        // The same validation synthesis does: a broken app does not start.
        stack.Synth();
        var clock = options.Clock ?? LocalClock.Manual();
        var region = options.Region ?? TryRegion(stack) ?? "us-east-1";
        var cloud = new LocalCloud(stack, options, clock, new LocalValues(stack, region, options.AccountId));
        clock.Cloud = cloud;
        try
        {
            await cloud.BuildAsync(cancellationToken).ConfigureAwait(false);
            return cloud;
        }
        catch
        {
            await cloud.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string? TryRegion(Stack stack)
    {
        try
        {
            return Lamina.Aws.Resources.AwsProvider.Of(stack).Region;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An <see cref="HttpClient"/> whose base address is the local URL of an API (a construct path, id or name).</summary>
    /// <exception cref="KeyNotFoundException">No such API.</exception>
    public HttpClient CreateHttpClient(string api) => new() { BaseAddress = ApiUrl(api) };

    /// <summary>An <see cref="HttpClient"/> for the app's only API.</summary>
    /// <exception cref="InvalidOperationException">The app has no API or more than one.</exception>
    public HttpClient CreateHttpClient()
    {
        var apis = _resources.Where(r => r.Kind is LocalResourceKind.HttpApi or LocalResourceKind.RestApi).ToList();
        return apis.Count == 1
            ? CreateHttpClient(apis[0].LogicalName)
            : throw new InvalidOperationException($"The app has {apis.Count} APIs; name one: {string.Join(", ", apis.Select(a => a.Path))}.");
    }

    /// <summary>The local base URL of an API (a construct path, id or name).</summary>
    public Uri ApiUrl(string api)
    {
        var info = Find(api, LocalResourceKind.HttpApi, LocalResourceKind.RestApi);
        return info.Url is { } url ? new Uri(url) : throw new InvalidOperationException($"{info.Path} is not served (LocalCloudOptions.ServeApis is off).");
    }

    /// <summary>A function by construct path, id, logical name or function name.</summary>
    public LocalFunction Function(string name) => new(this, Find(name, LocalResourceKind.Function).LocalName);

    /// <summary>The function a construct created.</summary>
    public LocalFunction Function(Construct function) => new(this, Find(function, LocalResourceKind.Function).LocalName);

    /// <summary>A queue by construct path, id, logical name or queue name.</summary>
    public LocalQueue Queue(string name) => Messaging.GetQueue(Find(name, LocalResourceKind.Queue).LocalName);

    /// <summary>The queue a construct created.</summary>
    public LocalQueue Queue(Construct queue) => Messaging.GetQueue(Find(queue, LocalResourceKind.Queue).LocalName);

    /// <summary>A topic by construct path, id, logical name or topic name.</summary>
    public LocalTopic Topic(string name) => Messaging.GetTopic(Find(name, LocalResourceKind.Topic).LocalName);

    /// <summary>The topic a construct created.</summary>
    public LocalTopic Topic(Construct topic) => Messaging.GetTopic(Find(topic, LocalResourceKind.Topic).LocalName);

    /// <summary>A bucket by construct path, id, logical name or bucket name.</summary>
    public LocalBucket Bucket(string name) => S3.GetBucket(Find(name, LocalResourceKind.Bucket).LocalName);

    /// <summary>The bucket a construct created.</summary>
    public LocalBucket Bucket(Construct bucket) => S3.GetBucket(Find(bucket, LocalResourceKind.Bucket).LocalName);

    /// <summary>A state machine by construct path, id, logical name or name.</summary>
    public LocalStateMachine StateMachine(string name) => _stateMachines.First(s => s.Name == Find(name, LocalResourceKind.StateMachine).LocalName);

    /// <summary>The state machine a construct created.</summary>
    public LocalStateMachine StateMachine(Construct stateMachine) => _stateMachines.First(s => s.Name == Find(stateMachine, LocalResourceKind.StateMachine).LocalName);

    /// <summary>Fires a schedule now, as <c>lamina trigger</c> does (the target gets the event of the current instant).</summary>
    public Task TriggerScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        Scheduler.TriggerAsync(Find(name, LocalResourceKind.Schedule).LocalName, cancellationToken);

    /// <summary>Looks a resource up by construct path (absolute or relative to the stack), id, logical name or local name.</summary>
    /// <exception cref="KeyNotFoundException">Nothing matches; the message lists what exists.</exception>
    public LocalResourceInfo Find(string name, params LocalResourceKind[] kinds)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var candidates = _resources.Where(r => kinds.Length == 0 || kinds.Contains(r.Kind)).ToList();
        var trimmed = name.Trim('/');
        var stackPrefix = Stack.Path + "/";
        bool Matches(LocalResourceInfo r) =>
            r.Path == trimmed || r.Path == stackPrefix + trimmed || r.LogicalName == name || r.LocalName == name || r.Arn == name;
        var found = candidates.Where(Matches).ToList();
        if (found.Count == 0)
        {
            // The last path segment (the construct id) when it is unique.
            found = candidates.Where(r => r.Path.EndsWith("/" + trimmed, StringComparison.Ordinal)).ToList();
        }
        return found.Count switch
        {
            1 => found[0],
            0 => throw new KeyNotFoundException($"No {Kinds(kinds)} named '{name}' in {Stack.Path}. There are: {(candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(c => c.Path)))}."),
            _ => throw new KeyNotFoundException($"'{name}' names several resources: {string.Join(", ", found.Select(c => c.Path))}; use the construct path."),
        };
    }

    private LocalResourceInfo Find(Construct construct, params LocalResourceKind[] kinds)
    {
        ArgumentNullException.ThrowIfNull(construct);
        foreach (var c in construct.DescendantsAndSelf())
        {
            if (c is Resource r && _byResource.TryGetValue(r, out var info) && kinds.Contains(info.Kind))
            {
                return info;
            }
        }
        throw new KeyNotFoundException($"{construct.Path} created no {Kinds(kinds)} that runs locally.");
    }

    private static string Kinds(LocalResourceKind[] kinds) => kinds.Length == 0 ? "resource" : string.Join(" or ", kinds.Select(k => k.ToString()));

    /// <summary>
    /// Runs everything due at the current clock time until nothing is left: schedule occurrences, S3 notifications,
    /// SNS deliveries, event source mappings, asynchronous invocations and state-machine executions, including what
    /// their handlers start. Work parked on the clock (a Wait state, a retry backoff, a delayed message, a handler that
    /// has not returned before its timeout) waits for <see cref="LocalClock.Advance"/> or <see cref="AdvanceAsync"/>.
    /// Does not move the clock.
    /// </summary>
    /// <remarks>
    /// Unfinished work counts as parked when the clock has a pending timer and neither the clock nor any engine moved for
    /// a short quiet period (20 ms of real time) — how the harness tells a handler waiting for its timeout from one
    /// still computing.
    /// </remarks>
    public async Task WaitForIdleAsync(CancellationToken cancellationToken = default)
    {
        var quietSince = 0L;
        long lastActivity = -1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var steps = Scheduler.ProcessDue() + S3.ProcessDue() + Messaging.ProcessDue();
            await Scheduler.RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
            await S3.RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
            await Messaging.RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
            Task[] running;
            lock (_workGate)
            {
                _work.RemoveAll(t => t.IsCompleted);
                running = [.. _work];
            }
            var asyncPending = Lambda.AsyncInvocations.Where(a => a.State == LocalAsyncInvocationState.Queued || a.State == LocalAsyncInvocationState.Running).ToList();
            var due = NextDueTime is { } next && next <= Clock.GetUtcNow();
            if (steps == 0 && running.Length == 0 && !due && asyncPending.All(a => a.State != LocalAsyncInvocationState.Running && (a.NextAttemptAt is null || a.NextAttemptAt > Clock.GetUtcNow())) && Messaging.InFlightInvocations == 0)
            {
                return;
            }
            // Something is running: wait for a piece of it to finish, or for the quiet period when all of it is parked.
            var activity = Clock.Activity + Lambda.CompletedInvocations + Messaging.InFlightInvocations;
            if (activity != lastActivity)
            {
                lastActivity = activity;
                quietSince = Environment.TickCount64;
            }
            else if (Environment.TickCount64 - quietSince >= 20 && Clock.PendingTimers > 0 && !due)
            {
                return;
            }
            var waits = running.Concat(asyncPending.Select(a => (Task)a.Settled)).ToList();
            if (waits.Count == 0)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
                continue;
            }
            await Task.WhenAny(Task.WhenAny(waits), Task.Delay(5, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="delta"/> one due time at a time, running everything due at each
    /// instant to idle before moving on (so a message sent by a handler at 09:00 is seen at 09:00, not at the end).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan delta, CancellationToken cancellationToken = default)
    {
        var target = Clock.GetUtcNow() + delta;
        await WaitForIdleAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var now = Clock.GetUtcNow();
            DateTimeOffset? next = null;
            foreach (var candidate in new[] { NextDueTime, Clock.NextTimerDue })
            {
                if (candidate is { } c && c > now && (next is null || c < next))
                {
                    next = c;
                }
            }
            if (next is null || next > target)
            {
                if (target > now)
                {
                    Clock.SetUtcNow(target);
                }
                await WaitForIdleAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            Clock.SetUtcNow(next.Value);
            await WaitForIdleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The earliest instant at which an engine has timed work (schedules, messages, notifications).</summary>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            DateTimeOffset? best = null;
            foreach (var candidate in new[] { Scheduler.NextDueTime, S3.NextDueTime, Messaging.NextDueTime })
            {
                if (candidate is { } c && (best is null || c < best))
                {
                    best = c;
                }
            }
            return best;
        }
    }

    /// <summary>Tracks background work (state-machine executions, asynchronous deliveries) for <see cref="WaitForIdleAsync"/>.</summary>
    internal void Track(Task task)
    {
        lock (_workGate)
        {
            _work.Add(task);
        }
    }

    internal void AddLog(LocalLogEntry entry)
    {
        lock (_logs)
        {
            _logs.Add(entry);
        }
        Options.OnLog?.Invoke(entry);
    }

    internal CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Invokes a function by name (used by APIs, triggers and state machines).</summary>
    internal Task<LocalInvokeResult> InvokeAsync(string function, string json, InvocationType type, CancellationToken cancellationToken) =>
        Lambda.InvokeAsync(function, Encoding.UTF8.GetBytes(json), type, cancellationToken);

    /// <summary>Stops the APIs, the engines and every function instance.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (Apis is not null)
        {
            await Apis.DisposeAsync().ConfigureAwait(false);
        }
        if (Scheduler is not null)
        {
            await Scheduler.DisposeAsync().ConfigureAwait(false);
        }
        if (S3 is not null)
        {
            await S3.DisposeAsync().ConfigureAwait(false);
        }
        if (Messaging is not null)
        {
            await Messaging.DisposeAsync().ConfigureAwait(false);
        }
        if (Lambda is not null)
        {
            await Lambda.DisposeAsync().ConfigureAwait(false);
        }
        _lifetime.Dispose();
    }
}

/// <summary>The invocations of a <see cref="LocalCloud"/>, with a lookup by function.</summary>
public sealed class LocalInvocationLog : IReadOnlyList<LocalInvocationRecord>
{
    private readonly LocalCloud _cloud;
    private readonly IReadOnlyList<LocalInvocationRecord> _records;

    internal LocalInvocationLog(LocalCloud cloud, IReadOnlyList<LocalInvocationRecord> records)
    {
        _cloud = cloud;
        _records = records;
    }

    /// <summary>The invocations of one function (a construct path, id, logical name or function name), oldest first.</summary>
    /// <exception cref="KeyNotFoundException">No such function; the message lists the functions.</exception>
    public IReadOnlyList<LocalInvocationRecord> Of(string function)
    {
        var name = _cloud.Find(function, LocalResourceKind.Function).LocalName;
        return _records.Where(r => r.FunctionName == name).ToList();
    }

    /// <inheritdoc />
    public LocalInvocationRecord this[int index] => _records[index];

    /// <inheritdoc />
    public int Count => _records.Count;

    /// <inheritdoc />
    public IEnumerator<LocalInvocationRecord> GetEnumerator() => _records.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The kinds of resources that run locally.</summary>
public enum LocalResourceKind
{
    /// <summary>A Lambda function.</summary>
    Function,
    /// <summary>An HTTP API (API Gateway v2).</summary>
    HttpApi,
    /// <summary>A REST API (API Gateway v1).</summary>
    RestApi,
    /// <summary>An SQS queue.</summary>
    Queue,
    /// <summary>An SNS topic.</summary>
    Topic,
    /// <summary>An S3 bucket.</summary>
    Bucket,
    /// <summary>An EventBridge rule or Scheduler schedule with a schedule expression.</summary>
    Schedule,
    /// <summary>A Step Functions state machine.</summary>
    StateMachine,
}

/// <summary>One resource of a <see cref="LocalCloud"/>.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Path">The construct path of its owning construct (the resource's path without a trailing <c>/Resource</c>).</param>
/// <param name="LogicalName">Its Pulumi logical name.</param>
/// <param name="LocalName">Its name locally (function, queue, topic, bucket, schedule or state-machine name; API id).</param>
/// <param name="Arn">Its local ARN.</param>
/// <param name="Url">Its local URL (APIs) or queue URL, or null.</param>
/// <param name="Detail">A short description for tables: routes, schedule expression, handler, ...</param>
public sealed record LocalResourceInfo(LocalResourceKind Kind, string Path, string LogicalName, string LocalName, string Arn, string? Url, string Detail);
