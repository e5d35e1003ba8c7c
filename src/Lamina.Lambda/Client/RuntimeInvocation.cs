namespace Lamina.Lambda.Client;

/// <summary>One invocation received from <c>/runtime/invocation/next</c>: the payload and the invocation headers.</summary>
public sealed record RuntimeInvocation
{
    /// <summary>Lambda-Runtime-Aws-Request-Id.</summary>
    public required string RequestId { get; init; }

    /// <summary>Lambda-Runtime-Deadline-Ms as an instant.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Lambda-Runtime-Invoked-Function-Arn (empty when absent).</summary>
    public string InvokedFunctionArn { get; init; } = "";

    /// <summary>Lambda-Runtime-Trace-Id, or null.</summary>
    public string? TraceId { get; init; }

    /// <summary>Lambda-Runtime-Client-Context, or null.</summary>
    public string? ClientContext { get; init; }

    /// <summary>Lambda-Runtime-Cognito-Identity, or null.</summary>
    public string? CognitoIdentity { get; init; }

    /// <summary>The event payload (UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
}
