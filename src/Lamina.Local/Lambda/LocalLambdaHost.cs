using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Invoke;

namespace Lamina.Local.Lambda;

/// <summary>
/// Runs Lambda functions locally with Lambda's semantics: per-function timeout, reserved concurrency and
/// throttling, Lambda's environment variables, cold and warm instances, asynchronous invocations with two retries
/// (1 then 2 minutes apart on the host clock) and a dead-letter callback, and log lines captured per invocation.
/// Functions run in-process (.NET handlers) or as runtime processes speaking the Runtime API (a published
/// <c>bootstrap</c>, or Python and Node.js handlers through Lamina's shims). An optional local <c>Invoke</c>
/// endpoint lets functions call each other with <c>LambdaInvokeClient</c> (<c>AWS_ENDPOINT_URL_LAMBDA</c>).
/// </summary>
/// <remarks>
/// <para><b>Instances.</b> Each function has a pool of instances. An invocation takes an idle instance (warm) or
/// creates one (cold: the in-process handler factory runs, or a runtime process starts). An instance serves one
/// invocation at a time, so concurrent invocations create more instances, up to the function's concurrency. An
/// instance that timed out, failed to initialize or whose process exited is discarded; the next invocation gets a
/// new one.</para>
/// <para><b>Concurrency.</b> A function with <see cref="LocalFunctionConfig.ReservedConcurrency"/> has that many
/// slots; the others share what remains of <see cref="LocalLambdaHostOptions.AccountConcurrencyLimit"/>. A
/// synchronous invocation without a free slot gets 429 <c>TooManyRequestsException</c>; an asynchronous one waits
/// for a slot.</para>
/// <para><b>Asynchronous invocations</b> are accepted at once (202). A failed attempt (error, timeout, crash) is
/// retried after 1 minute and again after 2 more minutes (at most
/// <see cref="LocalFunctionConfig.MaximumRetryAttempts"/> retries); then the event goes to
/// <see cref="LocalFunctionConfig.DeadLetter"/>. Timers run on <see cref="LocalLambdaHostOptions.TimeProvider"/>.</para>
/// <para><b>Not simulated:</b> memory limits, billing, provisioned concurrency, versions and aliases (only
/// <c>$LATEST</c>), burst scaling limits, SnapStart, response streaming, authentication of invoke requests. An
/// in-process handler that ignores its cancellation token keeps running after its timeout (its result is
/// discarded); <see cref="Console"/> output of in-process handlers is not captured.</para>
/// </remarks>
public sealed class LocalLambdaHost : IAsyncDisposable
{
    /// <summary>Lambda's limit on a synchronous request payload: 6 MB.</summary>
    public const int MaxSyncPayloadBytes = 6 * 1024 * 1024;

    /// <summary>Lambda's limit on an asynchronous request payload: 1 MB.</summary>
    public const int MaxAsyncPayloadBytes = 1024 * 1024;

    private static readonly byte[] EmptyEvent = "{}"u8.ToArray();
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)];
    private readonly LocalLambdaHostOptions _options;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, FunctionState> _functions = new(StringComparer.Ordinal);
    private readonly ConcurrencyPool _unreserved;
    private readonly object _configGate = new();
    private readonly ConcurrentQueue<LocalInvocationRecord> _records = new();
    private readonly ConcurrentDictionary<string, LocalAsyncInvocation> _async = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private LocalInvokeEndpoint? _endpoint;
    private int _reservedTotal;
    private int _recordCount;
    private int _disposed;

    /// <summary>Creates a host without the invoke endpoint (see <see cref="StartInvokeEndpointAsync"/>).</summary>
    /// <param name="options">Settings; default: system clock, us-east-1, account limit 1,000.</param>
    public LocalLambdaHost(LocalLambdaHostOptions? options = null)
    {
        _options = options ?? new LocalLambdaHostOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.AccountConcurrencyLimit);
        _clock = _options.TimeProvider;
        _unreserved = new ConcurrencyPool(_options.AccountConcurrencyLimit, "ConcurrentInvocationLimitExceeded");
    }

    /// <summary>Creates a host and starts its invoke endpoint.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LocalLambdaHost> StartAsync(LocalLambdaHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        var host = new LocalLambdaHost(options);
        await host.StartInvokeEndpointAsync(0, cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>The host's clock.</summary>
    public TimeProvider TimeProvider => _clock;

    /// <summary>The invoke endpoint's base address (for example <c>http://127.0.0.1:51234</c>), or null before
    /// <see cref="StartInvokeEndpointAsync"/>.</summary>
    public Uri? InvokeEndpoint => _endpoint?.BaseAddress;

    /// <summary>The registered function names.</summary>
    public IReadOnlyCollection<string> FunctionNames => _functions.Keys.ToArray();

    /// <summary>The invocation records kept (at most <see cref="LocalLambdaHostOptions.MaxInvocationRecords"/>), oldest
    /// first: every synchronous invocation that ran and every asynchronous attempt.</summary>
    public IReadOnlyList<LocalInvocationRecord> Invocations => _records.ToArray();

    /// <summary>The asynchronous invocations accepted, in no particular order.</summary>
    public IReadOnlyCollection<LocalAsyncInvocation> AsyncInvocations => _async.Values.ToArray();

    /// <summary>
    /// Starts the local <c>Invoke</c> API on 127.0.0.1: <c>POST /2015-03-31/functions/{name}/invocations</c>.
    /// Instances created afterwards get <c>AWS_ENDPOINT_URL_LAMBDA</c> pointing at it, so
    /// <c>LambdaInvokeClient</c> reaches the local functions.
    /// </summary>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The endpoint's base address.</returns>
    /// <exception cref="InvalidOperationException">The endpoint is already started.</exception>
    public async Task<Uri> StartInvokeEndpointAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_endpoint is not null)
        {
            throw new InvalidOperationException("The invoke endpoint is already started.");
        }

        _endpoint = await LocalInvokeEndpoint.StartAsync(this, port, cancellationToken).ConfigureAwait(false);
        return _endpoint.BaseAddress;
    }

    /// <summary>Registers a function.</summary>
    /// <param name="config">The function's configuration.</param>
    /// <exception cref="ArgumentException">The configuration is invalid, the name is taken, or the reservation
    /// exceeds the account's unreserved concurrency.</exception>
    public void AddFunction(LocalFunctionConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var problems = config.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Function '{config.Name}' is not valid: " + string.Join(" ", problems), nameof(config));
        }

        lock (_configGate)
        {
            if (_functions.ContainsKey(config.Name))
            {
                throw new ArgumentException($"A function named '{config.Name}' is already registered.", nameof(config));
            }

            ConcurrencyPool pool;
            if (config.ReservedConcurrency is { } reserved)
            {
                if (_reservedTotal + reserved > _options.AccountConcurrencyLimit)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"ReservedConcurrency {reserved} of function '{config.Name}' exceeds the account's unreserved concurrency ({_options.AccountConcurrencyLimit - _reservedTotal})."),
                        nameof(config));
                }

                _reservedTotal += reserved;
                _unreserved.SetLimit(_options.AccountConcurrencyLimit - _reservedTotal);
                pool = new ConcurrencyPool(reserved, "ReservedFunctionConcurrentInvocationLimitExceeded");
            }
            else
            {
                pool = _unreserved;
            }

            var region = config.Region ?? _options.Region;
            _functions[config.Name] = new FunctionState(config, FunctionArn(config.Name, region), region, pool);
        }
    }

    /// <summary>
    /// Replaces a function's handler (a reload after a rebuild): invocations already running finish on their
    /// instances, which are then retired; every later invocation gets a new (cold) instance with the new handler.
    /// Queued events and asynchronous invocations are kept.
    /// </summary>
    /// <param name="functionName">The function.</param>
    /// <param name="handler">The new handler.</param>
    /// <exception cref="ArgumentException">No such function.</exception>
    public void ReplaceHandler(string functionName, LocalFunctionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_functions.TryGetValue(functionName, out var function))
        {
            throw new ArgumentException($"No function named '{functionName}'.", nameof(functionName));
        }

        List<FunctionInstance> retired;
        lock (function.Gate)
        {
            function.Config = function.Config with { Handler = handler };
            Interlocked.Increment(ref function.GenerationField);
            retired = [.. function.Idle];
            function.Idle.Clear();
            foreach (var instance in retired)
            {
                function.Live.Remove(instance);
            }
        }

        foreach (var instance in retired)
        {
            Track(instance.DisposeAsync().AsTask());
        }
    }

    /// <summary>The ARN of <paramref name="functionName"/>: <c>arn:aws:lambda:{region}:{account}:function:{name}</c>.</summary>
    /// <param name="functionName">The function.</param>
    public string GetFunctionArn(string functionName) =>
        FunctionArn(functionName, _functions.TryGetValue(functionName, out var function) ? function.Region : _options.Region);

    /// <summary>The number of live instances (idle or busy) of <paramref name="functionName"/>.</summary>
    /// <param name="functionName">The function.</param>
    public int GetInstanceCount(string functionName)
    {
        if (!_functions.TryGetValue(functionName, out var function))
        {
            return 0;
        }

        lock (function.Gate)
        {
            return function.Live.Count(static instance => !instance.IsBroken);
        }
    }

    /// <summary>The records of <paramref name="functionName"/>'s invocations, oldest first.</summary>
    /// <param name="functionName">The function.</param>
    public IReadOnlyList<LocalInvocationRecord> GetInvocations(string functionName) =>
        _records.Where(record => record.FunctionName == functionName).ToArray();

    /// <summary>The asynchronous invocation with <paramref name="requestId"/>, or null.</summary>
    /// <param name="requestId">The request id returned with the 202.</param>
    public LocalAsyncInvocation? GetAsyncInvocation(string requestId) =>
        _async.TryGetValue(requestId, out var invocation) ? invocation : null;

    /// <summary>
    /// Invokes a function as Lambda's <c>Invoke</c> does. <see cref="InvocationType.RequestResponse"/> waits and
    /// answers 200 with the result or, on failure, <c>X-Amz-Function-Error: Unhandled</c> and the error document;
    /// 429 when no concurrency is free. <see cref="InvocationType.Event"/> queues the event and answers 202;
    /// <see cref="InvocationType.DryRun"/> only checks the request (204). An unknown function answers 404
    /// <c>ResourceNotFoundException</c>; a payload that is not JSON, 400 <c>InvalidRequestContentException</c>; a
    /// payload over 6 MB (synchronous) or 1 MB (asynchronous), 413 <c>RequestTooLargeException</c>.
    /// </summary>
    /// <param name="functionName">A name, <c>name:$LATEST</c>, or an ARN.</param>
    /// <param name="payload">The event (UTF-8 JSON); empty means <c>{}</c>.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    /// <param name="cancellationToken">Stops waiting for a synchronous result (the function keeps running, as
    /// in Lambda when a caller goes away).</param>
    public Task<LocalInvokeResult> InvokeAsync(
        string functionName,
        ReadOnlyMemory<byte> payload,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default) =>
        InvokeCoreAsync(functionName, payload, invocationType, payloadIsJson: false, cancellationToken);

    /// <summary>
    /// <see cref="InvokeAsync(string, ReadOnlyMemory{byte}, InvocationType, CancellationToken)"/> for events the harness
    /// serialized itself (SQS batches, SNS and S3 notifications, schedules): they are JSON by construction, so the
    /// check a caller's payload gets is skipped.
    /// </summary>
    internal Task<LocalInvokeResult> InvokeTrustedAsync(string functionName, ReadOnlyMemory<byte> payload, InvocationType invocationType, CancellationToken cancellationToken) =>
        InvokeCoreAsync(functionName, payload, invocationType, payloadIsJson: true, cancellationToken);

    private Task<LocalInvokeResult> InvokeCoreAsync(
        string functionName,
        ReadOnlyMemory<byte> payload,
        InvocationType invocationType,
        bool payloadIsJson,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var requestId = _options.RequestIdFactory?.Invoke() ?? Guid.NewGuid().ToString();
        if (invocationType is not (InvocationType.RequestResponse or InvocationType.Event or InvocationType.DryRun))
        {
            return Rejected(requestId, invocationType, new LocalServiceError(400, "ValidationException",
                $"1 validation error detected: Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"));
        }

        if (!TryResolve(functionName, out var function, out var notFound))
        {
            return Rejected(requestId, invocationType, notFound);
        }

        var limit = invocationType == InvocationType.Event ? MaxAsyncPayloadBytes : MaxSyncPayloadBytes;
        if (payload.Length > limit)
        {
            return Rejected(requestId, invocationType, new LocalServiceError(413, "RequestTooLargeException",
                string.Create(CultureInfo.InvariantCulture, $"Request must be smaller than {limit} bytes for the InvokeFunction operation")));
        }

        if (payload.IsEmpty)
        {
            // Lambda hands a function invoked without a payload an empty JSON object.
            payload = EmptyEvent;
        }
        else if (!payloadIsJson && !IsJson(payload.Span, out var jsonError))
        {
            return Rejected(requestId, invocationType, new LocalServiceError(400, "InvalidRequestContentException",
                $"Could not parse request body into json: Could not parse payload into json: {jsonError}"));
        }

        switch (invocationType)
        {
            case InvocationType.DryRun:
                return Task.FromResult(new LocalInvokeResult { StatusCode = 204, RequestId = requestId, InvocationType = invocationType });
            case InvocationType.Event:
                return Task.FromResult(Enqueue(function, requestId, payload));
            default:
                return InvokeSyncAsync(function, requestId, payload, cancellationToken);
        }
    }

    private async Task<LocalInvokeResult> InvokeSyncAsync(FunctionState function, string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!function.Pool.TryAcquire())
        {
            return Throttled(function, requestId, InvocationType.RequestResponse);
        }

        var run = RunAttemptAsync(function, requestId, payload, InvocationType.RequestResponse, 1);
        var (record, outcome) = cancellationToken.CanBeCanceled
            ? await run.WaitAsync(cancellationToken).ConfigureAwait(false)
            : await run.ConfigureAwait(false);
        return new LocalInvokeResult
        {
            StatusCode = 200,
            RequestId = requestId,
            InvocationType = InvocationType.RequestResponse,
            Payload = outcome.Payload,
            FunctionError = outcome.Outcome == LocalInvocationOutcome.Success ? null : "Unhandled",
            Error = outcome.Error,
            ExecutedVersion = "$LATEST",
            Record = record,
        };
    }

    /// <summary>Runs one attempt on an instance; the caller holds a concurrency slot, released here.</summary>
    private async Task<(LocalInvocationRecord Record, InstanceOutcome Outcome)> RunAttemptAsync(
        FunctionState function, string requestId, ReadOnlyMemory<byte> payload, InvocationType type, int attempt)
    {
        try
        {
            var instance = TakeInstance(function, out var cold);
            var record = new LocalInvocationRecord(function.Name, requestId, type, attempt, _clock.GetUtcNow(), cold, instance.Id, instance.LogStreamName);
            InstanceOutcome outcome;
            try
            {
                outcome = await instance.InvokeAsync(new InvocationRequest(requestId, payload, NewTraceId()), record).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // A failure of the host itself (for example the local Runtime API could not start).
                instance.MarkBroken();
                outcome = InstanceOutcome.Failed(LocalInvocationOutcome.InitError,
                    LambdaErrorPayload.Create("Runtime.Unknown", $"The local host could not run the invocation: {exception.Message}"));
            }
            finally
            {
                ReturnInstance(function, instance);
            }

            record.Complete(_clock.GetUtcNow(), outcome.Outcome, outcome.Error, outcome.InitDuration);
            AddRecord(record);
            return (record, outcome);
        }
        finally
        {
            // After the instance is back in the pool, so the next invocation finds it warm.
            function.Pool.Release();
        }
    }

    private FunctionInstance TakeInstance(FunctionState function, out bool cold)
    {
        var now = _clock.GetUtcNow();
        List<FunctionInstance>? stale = null;
        int id;
        lock (function.Gate)
        {
            while (function.Idle.TryPop(out var idle))
            {
                if (!idle.IsBroken && idle.Generation == function.Generation && (_options.IdleInstanceTimeout is not { } idleTimeout || now - idle.LastUsed <= idleTimeout))
                {
                    cold = false;
                    return idle;
                }

                function.Live.Remove(idle);
                (stale ??= []).Add(idle);
            }

            id = ++function.NextInstanceId;
        }

        if (stale is not null)
        {
            foreach (var instance in stale)
            {
                Track(instance.DisposeAsync().AsTask());
            }
        }

        var logStream = string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyy'/'MM'/'dd}/[$LATEST]{Guid.NewGuid():N}");
        var environment = BuildEnvironment(function, logStream);
        FunctionInstance created = function.Config.Handler switch
        {
            InProcessHandler inProcess => new InProcessInstance(function, inProcess, id, logStream, environment, _clock, _options.OnLog),
            OutOfProcessHandler outOfProcess => new OutOfProcessInstance(function, outOfProcess, id, logStream, environment, _options),
            _ => throw new InvalidOperationException($"Unknown handler kind {function.Config.Handler.GetType().Name}."),
        };
        lock (function.Gate)
        {
            created.Generation = function.Generation;
            function.Live.Add(created);
        }

        cold = true;
        return created;
    }

    private void ReturnInstance(FunctionState function, FunctionInstance instance)
    {
        if (!instance.IsBroken && instance.Generation == Volatile.Read(ref function.GenerationField) && Volatile.Read(ref _disposed) == 0)
        {
            instance.LastUsed = _clock.GetUtcNow();
            lock (function.Gate)
            {
                function.Idle.Push(instance);
            }

            return;
        }

        lock (function.Gate)
        {
            function.Live.Remove(instance);
        }

        Track(instance.DisposeAsync().AsTask());
    }

    /// <summary>Lambda's variables for one instance, over the function's own.</summary>
    private Dictionary<string, string> BuildEnvironment(FunctionState function, string logStream)
    {
        var config = function.Config;
        var handler = config.Handler;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Unreserved: a function may override them.
            ["LANG"] = "en_US.UTF-8",
        };
        foreach (var (name, value) in config.Environment)
        {
            environment[name] = value;
        }

        environment["AWS_LAMBDA_FUNCTION_NAME"] = config.Name;
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = config.MemoryMB.ToString(CultureInfo.InvariantCulture);
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        environment["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand";
        environment["AWS_REGION"] = function.Region;
        environment["AWS_DEFAULT_REGION"] = function.Region;
        environment["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + config.Name;
        environment["AWS_LAMBDA_LOG_STREAM_NAME"] = logStream;
        environment["_HANDLER"] = handler.HandlerName;
        if (!handler.Runtime.StartsWith("provided", StringComparison.Ordinal))
        {
            environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + handler.Runtime;
        }

        environment["AWS_ACCESS_KEY_ID"] = _options.Credentials.AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = _options.Credentials.SecretAccessKey;
        if (_options.Credentials.SessionToken is { } token)
        {
            environment["AWS_SESSION_TOKEN"] = token;
        }

        if (handler.CodeDirectory is { } codeDirectory)
        {
            environment["LAMBDA_TASK_ROOT"] = codeDirectory;
        }

        environment["TZ"] = ":UTC";
        if (_endpoint is { } endpoint)
        {
            // The local harness keeps calls local: the host's endpoint wins over a function's own setting.
            environment["AWS_ENDPOINT_URL_LAMBDA"] = endpoint.BaseAddress.ToString().TrimEnd('/');
        }

        return environment;
    }

    private LocalInvokeResult Enqueue(FunctionState function, string requestId, ReadOnlyMemory<byte> payload)
    {
        var invocation = new LocalAsyncInvocation(function.Name, requestId, payload.ToArray(), _clock.GetUtcNow());
        _async[requestId] = invocation;
        invocation.AgeTimer = _clock.CreateTimer(static state =>
        {
            var (host, function, invocation) = ((LocalLambdaHost, FunctionState, LocalAsyncInvocation))state!;
            host.OnEventAge(function, invocation);
        }, (this, function, invocation), function.Config.MaximumEventAge, Timeout.InfiniteTimeSpan);
        Dispatch(function, invocation);
        return new LocalInvokeResult { StatusCode = 202, RequestId = requestId, InvocationType = InvocationType.Event };
    }

    /// <summary>Queues the next attempt of <paramref name="invocation"/> for a concurrency slot.</summary>
    private void Dispatch(FunctionState function, LocalAsyncInvocation invocation)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        invocation.MarkQueued();
        Volatile.Write(ref invocation.Claim, 0);
        function.Pool.AcquireOrWait(() =>
        {
            if (Interlocked.CompareExchange(ref invocation.Claim, 1, 0) != 0 || Volatile.Read(ref _disposed) != 0)
            {
                return false;
            }

            if (_clock.GetUtcNow() - invocation.EnqueuedAt > function.Config.MaximumEventAge)
            {
                Track(Task.Run(() => DeadLetterAsync(function, invocation, "EventAgeExceeded")));
                return false;
            }

            invocation.MarkRunning();
            Track(Task.Run(() => RunAsyncAttemptAsync(function, invocation)));
            return true;
        });
    }

    private void OnEventAge(FunctionState function, LocalAsyncInvocation invocation)
    {
        // Only an event still waiting for a slot is dropped here; one waiting for a retry is checked when the
        // retry is due, one running when its attempt ends.
        if (invocation.State == LocalAsyncInvocationState.Queued && Interlocked.CompareExchange(ref invocation.Claim, 1, 0) == 0)
        {
            Track(Task.Run(() => DeadLetterAsync(function, invocation, "EventAgeExceeded")));
        }
    }

    private async Task RunAsyncAttemptAsync(FunctionState function, LocalAsyncInvocation invocation)
    {
        var attempt = invocation.AttemptCount + 1;
        LocalInvocationRecord record;
        InstanceOutcome outcome;
        try
        {
            (record, outcome) = await RunAttemptAsync(function, invocation.RequestId, invocation.Payload, InvocationType.Event, attempt)
                .ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // A failure of the host itself: the event is dropped rather than left pending for ever.
            _options.OnLog?.Invoke(new LocalLogEntry
            {
                FunctionName = function.Name,
                RequestId = invocation.RequestId,
                Timestamp = _clock.GetUtcNow(),
                Level = "ERROR",
                Message = $"The local host could not run the asynchronous invocation; the event is dropped: {exception}",
                Raw = $"The local host could not run the asynchronous invocation; the event is dropped: {exception.Message}",
            });
            Settle(invocation, LocalAsyncInvocationState.Discarded, null);
            return;
        }

        if (outcome.Outcome == LocalInvocationOutcome.Success)
        {
            invocation.AttemptEnded(record, null);
            Settle(invocation, LocalAsyncInvocationState.Succeeded, null);
            return;
        }

        if (attempt <= function.Config.MaximumRetryAttempts && Volatile.Read(ref _disposed) == 0)
        {
            var delay = RetryDelays[attempt - 1];
            var due = _clock.GetUtcNow() + delay;
            invocation.RetryTimer?.Dispose();
            invocation.RetryTimer = _clock.CreateTimer(static state =>
            {
                var (host, function, invocation) = ((LocalLambdaHost, FunctionState, LocalAsyncInvocation))state!;
                host.Dispatch(function, invocation);
            }, (this, function, invocation), delay, Timeout.InfiniteTimeSpan);
            invocation.AttemptEnded(record, due);
            return;
        }

        invocation.AttemptEnded(record, null);
        await DeadLetterAsync(function, invocation, "RetriesExhausted").ConfigureAwait(false);
    }

    private async Task DeadLetterAsync(FunctionState function, LocalAsyncInvocation invocation, string condition)
    {
        var letter = new LocalDeadLetter
        {
            FunctionName = function.Name,
            FunctionArn = function.Arn,
            RequestId = invocation.RequestId,
            Payload = invocation.Payload,
            Condition = condition,
            ApproximateInvokeCount = invocation.AttemptCount,
            Error = invocation.LastError,
            Timestamp = _clock.GetUtcNow(),
        };
        if (function.Config.DeadLetter is not { } callback)
        {
            Settle(invocation, LocalAsyncInvocationState.Discarded, letter);
            return;
        }

        try
        {
            await callback(letter).ConfigureAwait(false);
            Settle(invocation, LocalAsyncInvocationState.DeadLettered, letter);
        }
        catch (Exception exception)
        {
            _options.OnLog?.Invoke(new LocalLogEntry
            {
                FunctionName = function.Name,
                RequestId = invocation.RequestId,
                Timestamp = _clock.GetUtcNow(),
                Level = "ERROR",
                Message = $"The dead-letter callback failed; the event is dropped: {exception}",
                Raw = $"The dead-letter callback failed; the event is dropped: {exception.Message}",
            });
            Settle(invocation, LocalAsyncInvocationState.Discarded, letter);
        }
    }

    private static void Settle(LocalAsyncInvocation invocation, LocalAsyncInvocationState state, LocalDeadLetter? letter)
    {
        invocation.RetryTimer?.Dispose();
        invocation.AgeTimer?.Dispose();
        invocation.Settle(state, letter);
    }

    /// <summary>How many invocations have completed since the host started (not capped like <see cref="Invocations"/>).</summary>
    internal long CompletedInvocations => Interlocked.Read(ref _completedInvocations);

    private long _completedInvocations;

    private void AddRecord(LocalInvocationRecord record)
    {
        Interlocked.Increment(ref _completedInvocations);
        _records.Enqueue(record);
        if (Interlocked.Increment(ref _recordCount) > _options.MaxInvocationRecords && _records.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _recordCount);
        }

        _options.OnInvocation?.Invoke(record);
    }

    private bool TryResolve(string identifier, out FunctionState function, out LocalServiceError error)
    {
        var name = identifier;
        string? qualifier = null;
        if (identifier.Contains(':', StringComparison.Ordinal))
        {
            // arn:aws:lambda:region:account:function:name[:qualifier], account:function:name[:qualifier], name:qualifier
            var parts = identifier.Split(':');
            var index = Array.IndexOf(parts, "function");
            if (index >= 0 && index + 1 < parts.Length)
            {
                name = parts[index + 1];
                qualifier = index + 2 < parts.Length ? string.Join(':', parts[(index + 2)..]) : null;
            }
            else if (parts.Length == 2)
            {
                name = parts[0];
                qualifier = parts[1];
            }
        }

        if (_functions.TryGetValue(name, out function!) && qualifier is null or "$LATEST")
        {
            error = null!;
            return true;
        }

        function = null!;
        var arn = GetFunctionArn(name) + (qualifier is null ? "" : ":" + qualifier);
        error = new LocalServiceError(404, "ResourceNotFoundException", $"Function not found: {arn}");
        return false;
    }

    private string FunctionArn(string name, string region) => $"arn:aws:lambda:{region}:{_options.AccountId}:function:{name}";

    private static Task<LocalInvokeResult> Rejected(string requestId, InvocationType type, LocalServiceError error) =>
        Task.FromResult(new LocalInvokeResult
        {
            StatusCode = error.StatusCode,
            RequestId = requestId,
            InvocationType = type,
            ServiceError = error,
        });

    private static LocalInvokeResult Throttled(FunctionState function, string requestId, InvocationType type) => new()
    {
        StatusCode = 429,
        RequestId = requestId,
        InvocationType = type,
        ServiceError = new LocalServiceError(429, "TooManyRequestsException", "Rate Exceeded.", function.Pool.ThrottleReason),
    };

    private static bool IsJson(ReadOnlySpan<byte> payload, out string? error)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            reader.Read();
            reader.Skip();
            if (reader.Read())
            {
                error = "Unexpected content after the JSON value.";
                return false;
            }

            error = null;
            return true;
        }
        catch (JsonException exception)
        {
            error = exception.Message;
            return false;
        }
    }

    private string NewTraceId()
    {
        Span<byte> random = stackalloc byte[20];
        Random.Shared.NextBytes(random);
        var seconds = _clock.GetUtcNow().ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture,
            $"Root=1-{seconds:x8}-{Convert.ToHexStringLower(random[..12])};Parent={Convert.ToHexStringLower(random[12..])};Sampled=0");
    }

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }

        _background[task] = 0;
        task.ContinueWith(static (t, state) =>
        {
            _ = t.Exception;
            ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _);
        }, _background, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Stops the endpoint, cancels pending retries, and shuts down every instance (runtime processes are
    /// killed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var invocation in _async.Values)
        {
            invocation.RetryTimer?.Dispose();
            invocation.AgeTimer?.Dispose();
        }

        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync().ConfigureAwait(false);
        }

        var instances = new List<FunctionInstance>();
        foreach (var function in _functions.Values)
        {
            lock (function.Gate)
            {
                instances.AddRange(function.Live);
                function.Live.Clear();
                function.Idle.Clear();
            }
        }

        foreach (var instance in instances)
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }

        var pending = _background.Keys.ToArray();
        if (pending.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(_options.ProcessStopTimeout)).ConfigureAwait(false);
        }
    }
}
