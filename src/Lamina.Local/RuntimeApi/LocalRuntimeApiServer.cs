using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Lamina.Lambda.Client;
using Lamina.Lambda.ExceptionHandling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lamina.Local.RuntimeApi;

/// <summary>
/// A local Lambda Runtime API (version 2018-06-01) on Kestrel, bound to 127.0.0.1: a real bootstrap (or
/// <c>LambdaRuntime.RunAsync</c> in-process) points <c>AWS_LAMBDA_RUNTIME_API</c> at
/// <see cref="RuntimeApiAddress"/> and serves the invocations queued with <see cref="InvokeAsync"/>.
/// </summary>
/// <remarks>
/// <para>Endpoints: <c>GET /runtime/invocation/next</c> (long poll, with the <c>Lambda-Runtime-*</c> headers),
/// <c>POST /runtime/invocation/{id}/response</c>, <c>POST /runtime/invocation/{id}/error</c>,
/// <c>POST /runtime/init/error</c>. Posting for an unknown or finished request id answers 400
/// <c>InvalidRequestID</c>; a response over <see cref="LocalRuntimeApiOptions.MaxResponseBytes"/> answers 413 and
/// fails the invocation with <c>Function.ResponseSizeTooLarge</c>.</para>
/// <para>The deadline of an invocation is fixed when the runtime receives it (now + timeout, or the absolute
/// deadline given). If no response or error arrives by then — measured with the
/// <see cref="LocalRuntimeApiOptions.TimeProvider"/> — the invocation completes as
/// <see cref="InvocationOutcome.TimedOut"/> with Lambda's payload
/// <c>{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: {id} Error: Task timed out after N.NN seconds"}</c>.
/// Unlike Lambda, the server does not stop the runtime process; the Lamina runtime cancels the handler itself.</para>
/// <para>An init error completes every pending invocation as <see cref="InvocationOutcome.InitError"/>, and every
/// later one at once, until <see cref="ResetInitError"/> (Lambda would start a new execution environment).</para>
/// </remarks>
public sealed class LocalRuntimeApiServer : IAsyncDisposable
{
    private static readonly byte[] AcceptedBody = """{"status":"OK"}"""u8.ToArray();
    private readonly LocalRuntimeApiOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _delivered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _initGate = new();
    private TaskCompletionSource<LambdaErrorPayload> _initErrorSignal = NewInitErrorSignal();
    private LambdaErrorPayload? _initError;
    private WebApplication? _app;
    private int _disposed;
    private int _waitingPolls;

    private LocalRuntimeApiServer(LocalRuntimeApiOptions options)
    {
        _options = options;
        _timeProvider = options.TimeProvider;
    }

    /// <summary>The server's base address, for example <c>http://127.0.0.1:51234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>: <c>127.0.0.1:port</c>.</summary>
    public string RuntimeApiAddress => $"{BaseAddress.Host}:{BaseAddress.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The init error the runtime reported, or null.</summary>
    public LambdaErrorPayload? InitError
    {
        get
        {
            lock (_initGate)
            {
                return _initError;
            }
        }
    }

    /// <summary>Completes when the runtime reports an init error (renewed by <see cref="ResetInitError"/>).</summary>
    public Task<LambdaErrorPayload> InitErrorReported
    {
        get
        {
            lock (_initGate)
            {
                return _initErrorSignal.Task;
            }
        }
    }

    /// <summary>The number of invocations queued or running.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The number of <c>/invocation/next</c> requests waiting for an invocation (a runtime that is
    /// initialized and idle has one).</summary>
    public int WaitingPollCount => Volatile.Read(ref _waitingPolls);

    /// <summary>Starts a server on 127.0.0.1.</summary>
    /// <param name="options">Settings; default: an ephemeral port, the system clock, 3-second timeouts.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LocalRuntimeApiServer> StartAsync(LocalRuntimeApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new LocalRuntimeApiServer(options ?? new LocalRuntimeApiOptions());
        await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // An empty builder: no configuration files, environment variables or logging providers, so nothing in the
        // working directory or environment (ASPNETCORE_URLS, a Kestrel section) can add endpoints or noise.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _options.Port));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        const string prefix = "/" + RuntimeApiHeaders.Version + "/runtime";
        app.MapGet(prefix + "/invocation/next", (RequestDelegate)NextAsync);
        app.MapPost(prefix + "/invocation/{requestId}/response", (RequestDelegate)ResponseAsync);
        app.MapPost(prefix + "/invocation/{requestId}/error", (RequestDelegate)ErrorAsync);
        app.MapPost(prefix + "/init/error", (RequestDelegate)InitErrorAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// Queues an invocation, hands it to the next <c>/invocation/next</c> long poll, and completes with the
    /// runtime's response or error, a timeout at the deadline, or the init error.
    /// </summary>
    /// <param name="payload">The event (UTF-8 JSON).</param>
    /// <param name="options">Deadline, ARN, trace id and other headers.</param>
    /// <param name="cancellationToken">Abandons the invocation (the returned task is cancelled).</param>
    public Task<InvocationResult> InvokeAsync(ReadOnlyMemory<byte> payload, InvocationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        options ??= new InvocationOptions();
        var requestId = options.RequestId ?? _options.RequestIdFactory?.Invoke() ?? Guid.NewGuid().ToString();
        var pending = new Pending(requestId, payload.ToArray(), options);
        lock (_initGate)
        {
            if (_initError is not null)
            {
                return Task.FromResult(InitErrorResult(requestId, _initError));
            }

            if (!_pending.TryAdd(requestId, pending))
            {
                throw new InvalidOperationException($"An invocation with request id '{requestId}' is already pending.");
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.Register(static state =>
            {
                var (server, p, token) = ((LocalRuntimeApiServer, Pending, CancellationToken))state!;
                server.Cancel(p, token);
            }, (this, pending, cancellationToken));
        }

        _queue.Writer.TryWrite(pending);
        return pending.Completion.Task;
    }

    /// <summary>Forgets the init error so new invocations are queued again (as after a restart of the runtime).</summary>
    public void ResetInitError()
    {
        lock (_initGate)
        {
            _initError = null;
            if (_initErrorSignal.Task.IsCompleted)
            {
                _initErrorSignal = NewInitErrorSignal();
            }
        }
    }

    /// <summary>Stops the server; pending invocations are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var pending in _pending.Values)
        {
            if (Finish(pending))
            {
                pending.Completion.TrySetCanceled();
            }
        }

        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task NextAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        Pending pending;
        Interlocked.Increment(ref _waitingPolls);
        try
        {
            while (true)
            {
                pending = await _queue.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
                if (!pending.Completion.Task.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            }

            return;
        }
        finally
        {
            Interlocked.Decrement(ref _waitingPolls);
        }

        var now = _timeProvider.GetUtcNow();
        var deadline = pending.Options.Deadline ?? now + (pending.Options.Timeout ?? _options.DefaultTimeout);
        var budget = deadline - now;
        pending.Budget = budget > TimeSpan.Zero ? budget : TimeSpan.Zero;
        _delivered[pending.RequestId] = pending;
        pending.Timer = _timeProvider.CreateTimer(static state =>
        {
            var (server, p) = ((LocalRuntimeApiServer, Pending))state!;
            server.TimeOut(p);
        }, (this, pending), pending.Budget, Timeout.InfiniteTimeSpan);
        if (Volatile.Read(ref pending.Finished) != 0)
        {
            // Cancelled or failed by an init error while being handed over: release what was just set up.
            pending.Timer.Dispose();
            _delivered.TryRemove(new KeyValuePair<string, Pending>(pending.RequestId, pending));
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers[RuntimeApiHeaders.AwsRequestId] = pending.RequestId;
        response.Headers[RuntimeApiHeaders.DeadlineMs] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers[RuntimeApiHeaders.InvokedFunctionArn] = pending.Options.FunctionArn ?? _options.FunctionArn;
        SetIfPresent(response, RuntimeApiHeaders.TraceId, pending.Options.TraceId);
        SetIfPresent(response, RuntimeApiHeaders.ClientContext, pending.Options.ClientContext);
        SetIfPresent(response, RuntimeApiHeaders.CognitoIdentity, pending.Options.CognitoIdentity);
        response.ContentLength = pending.Payload.Length;
        await response.Body.WriteAsync(pending.Payload, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ResponseAsync(HttpContext context)
    {
        var pending = await FindDeliveredAsync(context).ConfigureAwait(false);
        if (pending is null)
        {
            return;
        }

        var body = await ReadBodyAsync(context.Request, _options.MaxResponseBytes + 1L).ConfigureAwait(false);
        if (body.Length > _options.MaxResponseBytes)
        {
            var error = LambdaErrorPayload.Create("Function.ResponseSizeTooLarge", string.Create(CultureInfo.InvariantCulture,
                $"Response payload size exceeded maximum allowed payload size ({_options.MaxResponseBytes} bytes)."));
            Complete(pending, new InvocationResult
            {
                RequestId = pending.RequestId,
                Outcome = InvocationOutcome.ResponseTooLarge,
                Payload = error.ToUtf8Json(),
                Error = error,
            });
            await WriteJsonAsync(context, StatusCodes.Status413PayloadTooLarge,
                LambdaErrorPayload.Create("RequestEntityTooLarge", error.ErrorMessage).ToUtf8Json()).ConfigureAwait(false);
            return;
        }

        Complete(pending, new InvocationResult { RequestId = pending.RequestId, Outcome = InvocationOutcome.Success, Payload = body });
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, AcceptedBody).ConfigureAwait(false);
    }

    private async Task ErrorAsync(HttpContext context)
    {
        var pending = await FindDeliveredAsync(context).ConfigureAwait(false);
        if (pending is null)
        {
            return;
        }

        var body = await ReadBodyAsync(context.Request, long.MaxValue).ConfigureAwait(false);
        var header = context.Request.Headers[RuntimeApiHeaders.FunctionErrorType].ToString();
        var error = ReadError(body, header);
        Complete(pending, new InvocationResult
        {
            RequestId = pending.RequestId,
            Outcome = InvocationOutcome.FunctionError,
            Payload = error.ToUtf8Json(),
            Error = error,
            RuntimeErrorTypeHeader = string.IsNullOrEmpty(header) ? null : header,
        });
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, AcceptedBody).ConfigureAwait(false);
    }

    private async Task InitErrorAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request, long.MaxValue).ConfigureAwait(false);
        var error = ReadError(body, context.Request.Headers[RuntimeApiHeaders.FunctionErrorType].ToString());
        TaskCompletionSource<LambdaErrorPayload> signal;
        lock (_initGate)
        {
            _initError = error;
            signal = _initErrorSignal;
        }

        foreach (var pending in _pending.Values)
        {
            Complete(pending, InitErrorResult(pending.RequestId, error));
        }

        signal.TrySetResult(error);
        await WriteJsonAsync(context, StatusCodes.Status202Accepted, AcceptedBody).ConfigureAwait(false);
    }

    private async Task<Pending?> FindDeliveredAsync(HttpContext context)
    {
        var requestId = (string?)context.GetRouteValue("requestId") ?? "";
        if (_delivered.TryGetValue(requestId, out var pending) && !pending.Completion.Task.IsCompleted)
        {
            return pending;
        }

        await WriteJsonAsync(context, StatusCodes.Status400BadRequest,
            LambdaErrorPayload.Create("InvalidRequestID", $"Invalid request ID: '{requestId}' is not an invocation in progress.").ToUtf8Json())
            .ConfigureAwait(false);
        return null;
    }

    private void TimeOut(Pending pending)
    {
        var error = LambdaErrorPayload.Create(LambdaErrorTypes.Timeout, LambdaErrorTypes.TimeoutMessage(pending.RequestId, pending.Budget));
        Complete(pending, new InvocationResult
        {
            RequestId = pending.RequestId,
            Outcome = InvocationOutcome.TimedOut,
            Payload = error.ToUtf8Json(),
            Error = error,
        });
    }

    private void Cancel(Pending pending, CancellationToken token)
    {
        if (Finish(pending))
        {
            pending.Completion.TrySetCanceled(token);
        }
    }

    private void Complete(Pending pending, InvocationResult result)
    {
        if (Finish(pending))
        {
            pending.Completion.TrySetResult(result);
        }
    }

    /// <summary>Claims the right to complete <paramref name="pending"/> and releases its resources.</summary>
    private bool Finish(Pending pending)
    {
        if (Interlocked.Exchange(ref pending.Finished, 1) != 0)
        {
            return false;
        }

        _pending.TryRemove(new KeyValuePair<string, Pending>(pending.RequestId, pending));
        _delivered.TryRemove(new KeyValuePair<string, Pending>(pending.RequestId, pending));
        pending.Timer?.Dispose();
        pending.Cancellation.Dispose();
        return true;
    }

    private static InvocationResult InitErrorResult(string requestId, LambdaErrorPayload error) => new()
    {
        RequestId = requestId,
        Outcome = InvocationOutcome.InitError,
        Payload = error.ToUtf8Json(),
        Error = error,
    };

    private static LambdaErrorPayload ReadError(byte[] body, string? headerType)
    {
        if (LambdaErrorPayload.TryParse(body, out var error))
        {
            return error.ErrorType.Length == 0 && !string.IsNullOrEmpty(headerType) ? error with { ErrorType = headerType } : error;
        }

        return LambdaErrorPayload.Create(string.IsNullOrEmpty(headerType) ? "Runtime.Unknown" : headerType, Encoding.UTF8.GetString(body));
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length < limit)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return buffer.ToArray();
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static void SetIfPresent(HttpResponse response, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            response.Headers[name] = value;
        }
    }

    private static TaskCompletionSource<LambdaErrorPayload> NewInitErrorSignal() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Pending(string requestId, byte[] payload, InvocationOptions options)
    {
        public string RequestId { get; } = requestId;

        public byte[] Payload { get; } = payload;

        public InvocationOptions Options { get; } = options;

        public TaskCompletionSource<InvocationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TimeSpan Budget { get; set; }

        public ITimer? Timer { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }

        public int Finished;
    }
}
