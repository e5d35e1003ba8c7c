namespace Lamina.Local.RuntimeApi;

/// <summary>Settings of a <see cref="LocalRuntimeApiServer"/>.</summary>
public sealed record LocalRuntimeApiOptions
{
    /// <summary>The port on 127.0.0.1; 0 (the default) picks a free one (see <see cref="LocalRuntimeApiServer.RuntimeApiAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>The clock for deadlines and timeouts.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The time budget of an invocation that sets neither <see cref="InvocationOptions.Timeout"/> nor
    /// <see cref="InvocationOptions.Deadline"/>: Lambda's default function timeout, 3 seconds.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The ARN sent as <c>Lambda-Runtime-Invoked-Function-Arn</c> when an invocation sets none.</summary>
    public string FunctionArn { get; init; } = "arn:aws:lambda:us-east-1:000000000000:function:local";

    /// <summary>The largest response the runtime may post, in bytes: Lambda's 6 MB limit for synchronous
    /// invocations.</summary>
    public int MaxResponseBytes { get; init; } = 6 * 1024 * 1024;

    /// <summary>Makes request ids; default: a new GUID each time.</summary>
    public Func<string>? RequestIdFactory { get; init; }
}

/// <summary>Per-invocation settings of <see cref="LocalRuntimeApiServer.InvokeAsync"/>.</summary>
public sealed record InvocationOptions
{
    /// <summary>The time budget, counted from the moment the runtime receives the invocation.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>An absolute deadline; wins over <see cref="Timeout"/>.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The request id; default: <see cref="LocalRuntimeApiOptions.RequestIdFactory"/>.</summary>
    public string? RequestId { get; init; }

    /// <summary>Lambda-Runtime-Invoked-Function-Arn; default: <see cref="LocalRuntimeApiOptions.FunctionArn"/>.</summary>
    public string? FunctionArn { get; init; }

    /// <summary>Lambda-Runtime-Trace-Id, or null for none.</summary>
    public string? TraceId { get; init; }

    /// <summary>Lambda-Runtime-Client-Context, or null for none.</summary>
    public string? ClientContext { get; init; }

    /// <summary>Lambda-Runtime-Cognito-Identity, or null for none.</summary>
    public string? CognitoIdentity { get; init; }
}
