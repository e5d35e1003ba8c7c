using Lamina.Lambda;
using Lamina.Lambda.Logging;

namespace Lamina.Local.Lambda;

/// <summary>
/// The <see cref="ILambdaContext"/> of an in-process invocation: the deadline comes from the host clock and the
/// token is cancelled at it; the logger captures Lambda's JSON log lines into the invocation's record.
/// </summary>
public sealed class LocalLambdaContext : ILambdaContext
{
    private readonly TimeProvider _timeProvider;

    internal LocalLambdaContext(
        string requestId,
        string invokedFunctionArn,
        LambdaFunctionSettings settings,
        DateTimeOffset deadline,
        string? traceId,
        ILambdaLogger logger,
        TimeProvider timeProvider,
        IEnvironmentVariables environment,
        CancellationToken cancellationToken)
    {
        AwsRequestId = requestId;
        InvokedFunctionArn = invokedFunctionArn;
        Settings = settings;
        Deadline = deadline;
        TraceId = traceId;
        Logger = logger;
        _timeProvider = timeProvider;
        Environment = environment;
        CancellationToken = cancellationToken;
    }

    private LambdaFunctionSettings Settings { get; }

    /// <inheritdoc />
    public string AwsRequestId { get; }

    /// <inheritdoc />
    public string FunctionName => Settings.FunctionName;

    /// <inheritdoc />
    public string FunctionVersion => Settings.FunctionVersion;

    /// <inheritdoc />
    public string InvokedFunctionArn { get; }

    /// <inheritdoc />
    public int MemoryLimitInMB => Settings.MemoryLimitInMB;

    /// <inheritdoc />
    public DateTimeOffset Deadline { get; }

    /// <inheritdoc />
    public TimeSpan RemainingTime
    {
        get
        {
            var left = Deadline - _timeProvider.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <inheritdoc />
    public string LogGroupName => Settings.LogGroupName;

    /// <inheritdoc />
    public string LogStreamName => Settings.LogStreamName;

    /// <inheritdoc />
    public string? TraceId { get; }

    /// <inheritdoc />
    public ILambdaLogger Logger { get; }

    /// <inheritdoc />
    public CancellationToken CancellationToken { get; }

    /// <summary>The instance's environment variables (Lambda's and the function's own; <c>_X_AMZN_TRACE_ID</c> is
    /// set per invocation). In-process functions share the process environment, so read these instead.</summary>
    public IEnvironmentVariables Environment { get; }
}

/// <summary>Captures log lines in Lambda's JSON format into an invocation record.</summary>
internal sealed class CapturingLogger(
    LocalInvocationRecord record,
    TimeProvider timeProvider,
    LambdaLogLevel minimumLevel,
    Action<LocalLogEntry>? sink) : ILambdaLogger
{
    public void Log(LambdaLogLevel level, string message)
    {
        if (level < minimumLevel)
        {
            return;
        }

        message ??= "";
        var now = timeProvider.GetUtcNow();
        var entry = new LocalLogEntry
        {
            FunctionName = record.FunctionName,
            RequestId = record.RequestId,
            Timestamp = now,
            Level = LambdaJsonLogger.LevelName(level),
            Message = message,
            Raw = LambdaJsonLogger.FormatLine(now, level, record.RequestId, message).TrimEnd('\n'),
            IsJson = true,
        };
        record.AddLog(entry);
        sink?.Invoke(entry);
    }
}
