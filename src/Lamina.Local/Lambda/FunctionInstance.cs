using Lamina.Lambda;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Logging;

namespace Lamina.Local.Lambda;

/// <summary>A registered function: its configuration, concurrency pool and instances.</summary>
internal sealed class FunctionState(LocalFunctionConfig config, string arn, string region, ConcurrencyPool pool)
{
    public LocalFunctionConfig Config { get; set; } = config;

    /// <summary>Grows each time the handler is replaced (a reload); instances of older generations are retired.</summary>
    public int Generation => Volatile.Read(ref GenerationField);

    /// <summary>The backing field of <see cref="Generation"/>.</summary>
    public int GenerationField;

    public string Name => Config.Name;

    public string Arn { get; } = arn;

    public string Region { get; } = region;

    public ConcurrencyPool Pool { get; } = pool;

    public LambdaLogLevel MinimumLogLevel { get; } = LambdaJsonLogger.ParseLevel(
        config.Environment.TryGetValue("AWS_LAMBDA_LOG_LEVEL", out var level) ? level : null);

    public object Gate { get; } = new();

    public Stack<FunctionInstance> Idle { get; } = new();

    public List<FunctionInstance> Live { get; } = [];

    public int NextInstanceId { get; set; }
}

/// <summary>One invocation handed to an instance.</summary>
internal readonly record struct InvocationRequest(string RequestId, ReadOnlyMemory<byte> Payload, string TraceId);

/// <summary>What an instance reports for one invocation.</summary>
internal readonly record struct InstanceOutcome(
    LocalInvocationOutcome Outcome,
    ReadOnlyMemory<byte> Payload,
    LambdaErrorPayload? Error,
    TimeSpan? InitDuration = null)
{
    public static InstanceOutcome Failed(LocalInvocationOutcome outcome, LambdaErrorPayload error, TimeSpan? initDuration = null) =>
        new(outcome, error.ToUtf8Json(), error, initDuration);
}

/// <summary>An execution environment of a function: serves one invocation at a time.</summary>
internal abstract class FunctionInstance : IAsyncDisposable
{
    /// <summary>Lambda's limit for a synchronous response.</summary>
    public const int MaxResponseBytes = 6 * 1024 * 1024;

    private int _broken;

    protected FunctionInstance(FunctionState function, int id, string logStreamName, IReadOnlyDictionary<string, string> environment,
        TimeProvider timeProvider, Action<LocalLogEntry>? logSink)
    {
        Function = function;
        Id = id;
        LogStreamName = logStreamName;
        Environment = environment;
        TimeProvider = timeProvider;
        LogSink = logSink;
    }

    public FunctionState Function { get; }

    /// <summary>The <see cref="FunctionState.Generation"/> the instance was created for.</summary>
    public int Generation { get; set; }

    public int Id { get; }

    public string LogStreamName { get; }

    /// <summary>Lambda's variables and the function's own (without <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    protected TimeProvider TimeProvider { get; }

    protected Action<LocalLogEntry>? LogSink { get; }

    /// <summary>True once the instance can serve no more invocations (init error, timeout, exit).</summary>
    public bool IsBroken => Volatile.Read(ref _broken) != 0;

    public DateTimeOffset LastUsed { get; set; }

    public void MarkBroken() => Volatile.Write(ref _broken, 1);

    public abstract Task<InstanceOutcome> InvokeAsync(InvocationRequest request, LocalInvocationRecord record);

    public abstract ValueTask DisposeAsync();

    protected static LambdaErrorPayload ResponseTooLarge() =>
        LambdaErrorPayload.Create("Function.ResponseSizeTooLarge",
            $"Response payload size exceeded maximum allowed payload size ({MaxResponseBytes} bytes).");
}

/// <summary>An instance running a .NET handler inside the host process.</summary>
internal sealed class InProcessInstance : FunctionInstance
{
    private readonly InProcessHandler _handler;
    private readonly InMemoryEnvironmentVariables _environment;
    private readonly LambdaFunctionSettings _settings;
    private IRawLambdaHandler? _raw;
    private int _disposed;

    public InProcessInstance(FunctionState function, InProcessHandler handler, int id, string logStreamName,
        IReadOnlyDictionary<string, string> environment, TimeProvider timeProvider, Action<LocalLogEntry>? logSink)
        : base(function, id, logStreamName, environment, timeProvider, logSink)
    {
        _handler = handler;
        _environment = new InMemoryEnvironmentVariables(environment);
        _settings = LambdaFunctionSettings.FromEnvironment(_environment);
    }

    public override async Task<InstanceOutcome> InvokeAsync(InvocationRequest request, LocalInvocationRecord record)
    {
        var logger = new CapturingLogger(record, TimeProvider, Function.MinimumLogLevel, LogSink);
        // The function's own variables for LambdaEnvironment.Get, for this flow only (other functions share the process).
        LambdaEnvironment.SetForCurrentFlow(_environment);
        TimeSpan? initDuration = null;
        if (_raw is null)
        {
            var initStart = TimeProvider.GetUtcNow();
            try
            {
                _raw = _handler.Factory(new LocalHandlerInit(Function.Name, _environment, TimeProvider))
                    ?? throw new InvalidOperationException($"The handler factory of function '{Function.Name}' returned null.");
            }
            catch (Exception exception)
            {
                MarkBroken();
                var error = exception is LocalInitException init
                    ? LambdaErrorPayload.Create(init.ErrorType, init.Message)
                    : LambdaErrorPayload.FromException(exception);
                logger.Log(LambdaLogLevel.Fatal, $"{error.ErrorType}: {error.ErrorMessage}");
                return InstanceOutcome.Failed(LocalInvocationOutcome.InitError, error, TimeProvider.GetUtcNow() - initStart);
            }

            initDuration = TimeProvider.GetUtcNow() - initStart;
        }

        var timeout = Function.Config.Timeout;
        var deadline = TimeProvider.GetUtcNow() + timeout;
        _environment.Set("_X_AMZN_TRACE_ID", request.TraceId);
        using var deadlineSource = new CancellationTokenSource(timeout, TimeProvider);
        var context = new LocalLambdaContext(request.RequestId, Function.Arn, _settings, deadline, request.TraceId, logger,
            TimeProvider, _environment, deadlineSource.Token);

        Task<ReadOnlyMemory<byte>> work;
        try
        {
            work = _raw.HandleAsync(request.Payload, context);
        }
        catch (Exception exception)
        {
            work = Task.FromException<ReadOnlyMemory<byte>>(exception);
        }

        try
        {
            var response = work.IsCompleted ? await work.ConfigureAwait(false) : await work.WaitAsync(deadlineSource.Token).ConfigureAwait(false);
            if (response.Length > MaxResponseBytes)
            {
                return InstanceOutcome.Failed(LocalInvocationOutcome.ResponseTooLarge, ResponseTooLarge(), initDuration);
            }

            return new InstanceOutcome(LocalInvocationOutcome.Success, response, null, initDuration);
        }
        catch (OperationCanceledException) when (deadlineSource.IsCancellationRequested)
        {
            // Lambda stops the execution environment at the deadline; here the handler is cancelled (one that
            // ignores its token keeps running, its result discarded) and the instance is not used again.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            MarkBroken();
            var error = LambdaErrorPayload.Create(LambdaErrorTypes.Timeout, LambdaErrorTypes.TimeoutMessage(request.RequestId, timeout));
            logger.Log(LambdaLogLevel.Error, error.ErrorMessage);
            return InstanceOutcome.Failed(LocalInvocationOutcome.TimedOut, error, initDuration);
        }
        catch (Exception exception)
        {
            logger.Log(LambdaLogLevel.Error, exception.ToString());
            return InstanceOutcome.Failed(LocalInvocationOutcome.FunctionError, LambdaErrorPayload.FromException(exception), initDuration);
        }
    }

    public override ValueTask DisposeAsync()
    {
        MarkBroken();
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        if (_raw is IAsyncDisposable asyncDisposable)
        {
            return asyncDisposable.DisposeAsync();
        }

        (_raw as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }
}
