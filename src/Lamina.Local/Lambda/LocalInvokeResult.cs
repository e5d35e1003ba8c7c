using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Invoke;

namespace Lamina.Local.Lambda;

/// <summary>
/// The answer of <see cref="LocalLambdaHost.InvokeAsync"/>, shaped like Lambda's <c>Invoke</c> answer: a status
/// (200 synchronous, 202 asynchronous accepted, 204 dry run, or a service error such as 404 or 429), the payload
/// and, when the function failed, <c>X-Amz-Function-Error</c> and the error document.
/// </summary>
public sealed record LocalInvokeResult
{
    /// <summary>The HTTP status Lambda answers with.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The request id (<c>x-amzn-RequestId</c>).</summary>
    public required string RequestId { get; init; }

    /// <summary>How the function was invoked.</summary>
    public required InvocationType InvocationType { get; init; }

    /// <summary>The function's result, or its error document when <see cref="FunctionError"/> is set; empty for
    /// asynchronous and dry-run invocations and service errors.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary><c>X-Amz-Function-Error</c>: <c>Unhandled</c> when the function failed (error, timeout, crash,
    /// init error), else null.</summary>
    public string? FunctionError { get; init; }

    /// <summary>The function's error (errorType, errorMessage, stackTrace), or null.</summary>
    public LambdaErrorPayload? Error { get; init; }

    /// <summary>The service error when Lambda rejected the request (unknown function, throttling, bad payload), or
    /// null.</summary>
    public LocalServiceError? ServiceError { get; init; }

    /// <summary><c>X-Amz-Executed-Version</c>: <c>$LATEST</c> for synchronous invocations that ran, else null.</summary>
    public string? ExecutedVersion { get; init; }

    /// <summary>The record of the invocation for synchronous invocations that ran, else null (asynchronous
    /// attempts are in <see cref="LocalAsyncInvocation.Attempts"/>).</summary>
    public LocalInvocationRecord? Record { get; init; }

    /// <summary>True for a 429 <c>TooManyRequestsException</c>.</summary>
    public bool IsThrottled => StatusCode == 429;

    /// <summary>True when the function ran and failed.</summary>
    public bool HasFunctionError => FunctionError is not null;

    /// <summary>The payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);
}

/// <summary>An error of the Lambda service itself (not of the function): the status, the
/// <c>x-amzn-ErrorType</c> code, the message and, for throttling, the reason.</summary>
/// <param name="StatusCode">The HTTP status, for example 404 or 429.</param>
/// <param name="ErrorType">The code, for example <c>ResourceNotFoundException</c>.</param>
/// <param name="Message">The message.</param>
/// <param name="Reason">The <c>Reason</c> of a throttle, for example
/// <c>ReservedFunctionConcurrentInvocationLimitExceeded</c>, or null.</param>
public sealed record LocalServiceError(int StatusCode, string ErrorType, string Message, string? Reason = null)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body Lambda sends: <c>{"Type":"User","message":"..."}</c>, with <c>Reason</c> for throttles.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (Reason is not null)
            {
                writer.WriteString("Reason", Reason);
            }

            writer.WriteString("Type", "User");
            writer.WriteString("message", Message);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
