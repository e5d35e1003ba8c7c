using Lamina.Lambda.Client;

namespace Lamina.Lambda;

/// <summary>
/// The runtime's <see cref="ILambdaContext"/>: function settings from the environment, invocation data from the
/// Runtime API headers, <see cref="RemainingTime"/> measured with a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Public so handler unit tests can build one:
/// <c>new LambdaContext(invocation, settings, logger, timeProvider, token)</c>.
/// </remarks>
public sealed class LambdaContext : ILambdaContext
{
    private readonly RuntimeInvocation _invocation;
    private readonly LambdaFunctionSettings _function;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the context of one invocation.</summary>
    /// <param name="invocation">The invocation received from the Runtime API.</param>
    /// <param name="function">The function's settings.</param>
    /// <param name="logger">The logger handed to the handler (bound to this request).</param>
    /// <param name="timeProvider">The clock for <see cref="RemainingTime"/>.</param>
    /// <param name="cancellationToken">Cancelled at the deadline.</param>
    public LambdaContext(
        RuntimeInvocation invocation,
        LambdaFunctionSettings function,
        ILambdaLogger logger,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _invocation = invocation;
        _function = function;
        _timeProvider = timeProvider;
        Logger = logger;
        CancellationToken = cancellationToken;
    }

    /// <inheritdoc />
    public string AwsRequestId => _invocation.RequestId;

    /// <inheritdoc />
    public string FunctionName => _function.FunctionName;

    /// <inheritdoc />
    public string FunctionVersion => _function.FunctionVersion;

    /// <inheritdoc />
    public string InvokedFunctionArn => _invocation.InvokedFunctionArn;

    /// <inheritdoc />
    public int MemoryLimitInMB => _function.MemoryLimitInMB;

    /// <inheritdoc />
    public DateTimeOffset Deadline => _invocation.Deadline;

    /// <summary>The time left until <see cref="Deadline"/>; zero once it has passed.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var left = _invocation.Deadline - _timeProvider.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <inheritdoc />
    public string LogGroupName => _function.LogGroupName;

    /// <inheritdoc />
    public string LogStreamName => _function.LogStreamName;

    /// <inheritdoc />
    public string? TraceId => _invocation.TraceId;

    /// <inheritdoc />
    public ILambdaLogger Logger { get; }

    /// <inheritdoc />
    public CancellationToken CancellationToken { get; }

    /// <inheritdoc />
    public string? ClientContext => _invocation.ClientContext;

    /// <inheritdoc />
    public string? CognitoIdentity => _invocation.CognitoIdentity;
}
