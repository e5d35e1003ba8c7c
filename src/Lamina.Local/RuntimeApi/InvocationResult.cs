using System.Text;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Local.RuntimeApi;

/// <summary>How an invocation ended.</summary>
public enum InvocationOutcome
{
    /// <summary>The runtime posted a response.</summary>
    Success,

    /// <summary>The runtime posted an invocation error.</summary>
    FunctionError,

    /// <summary>No response by the deadline: <c>Sandbox.Timedout</c>.</summary>
    TimedOut,

    /// <summary>The runtime reported an init error before answering.</summary>
    InitError,

    /// <summary>The response was larger than allowed: <c>Function.ResponseSizeTooLarge</c>.</summary>
    ResponseTooLarge,
}

/// <summary>The outcome of one invocation through the local Runtime API, shaped like Lambda's <c>Invoke</c> answer.</summary>
public sealed record InvocationResult
{
    /// <summary>The request id.</summary>
    public required string RequestId { get; init; }

    /// <summary>How the invocation ended.</summary>
    public required InvocationOutcome Outcome { get; init; }

    /// <summary>The response payload, or the error document for every other outcome (what <c>Invoke</c> returns).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The error, for every outcome but <see cref="InvocationOutcome.Success"/>.</summary>
    public LambdaErrorPayload? Error { get; init; }

    /// <summary>The <c>Lambda-Runtime-Function-Error-Type</c> header the runtime sent with its error, or null.</summary>
    public string? RuntimeErrorTypeHeader { get; init; }

    /// <summary>True for <see cref="InvocationOutcome.Success"/>.</summary>
    public bool IsSuccess => Outcome == InvocationOutcome.Success;

    /// <summary>What Lambda puts in <c>X-Amz-Function-Error</c>: null on success, else <c>Unhandled</c>.</summary>
    public string? FunctionError => IsSuccess ? null : "Unhandled";

    /// <summary>The payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);
}
