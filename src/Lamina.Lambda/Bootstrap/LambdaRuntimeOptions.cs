namespace Lamina.Lambda;

/// <summary>What <see cref="LambdaRuntime"/> runs against; the defaults are the real process and clock.</summary>
public sealed class LambdaRuntimeOptions
{
    /// <summary>The environment (function settings, <c>_HANDLER</c>, <c>AWS_LAMBDA_RUNTIME_API</c>); the runtime
    /// also writes <c>_X_AMZN_TRACE_ID</c> here per invocation. Default: the process environment.</summary>
    public IEnvironmentVariables Environment { get; init; } = ProcessEnvironmentVariables.Instance;

    /// <summary>The clock for deadlines, <see cref="ILambdaContext.RemainingTime"/> and log timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The HTTP client for the Runtime API; it must not time out. Default: one made by
    /// <see cref="Client.RuntimeApiClient.CreateHttpClient"/> and disposed when the runtime stops.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Where JSON log lines go. Default: <see cref="Console.Out"/>.</summary>
    public TextWriter? LogOutput { get; init; }
}
