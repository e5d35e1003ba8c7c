using System.Net;
using System.Text;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Lambda.Invoke;

/// <summary>The outcome of an <c>Invoke</c> call that Lambda accepted.</summary>
public class LambdaInvokeResponse
{
    /// <summary>Creates a response.</summary>
    public LambdaInvokeResponse(HttpStatusCode statusCode, ReadOnlyMemory<byte> payload, string? functionError, string? executedVersion, string? requestId)
    {
        StatusCode = statusCode;
        Payload = payload;
        FunctionError = string.IsNullOrEmpty(functionError) ? null : functionError;
        ExecutedVersion = executedVersion;
        RequestId = requestId;
    }

    /// <summary>200 for RequestResponse, 202 for Event, 204 for DryRun.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The function's result, or its error document when <see cref="FunctionError"/> is set; empty for
    /// Event and DryRun.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The payload as UTF-8 text.</summary>
    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>The <c>X-Amz-Function-Error</c> header (<c>Unhandled</c> or <c>Handled</c>) when the function
    /// failed, else null.</summary>
    public string? FunctionError { get; }

    /// <summary>True when the function failed (<see cref="FunctionError"/> is set).</summary>
    public bool HasFunctionError => FunctionError is not null;

    /// <summary>The function's error document, read from <see cref="Payload"/> when <see cref="HasFunctionError"/>.</summary>
    public LambdaErrorPayload? Error =>
        HasFunctionError && LambdaErrorPayload.TryParse(Payload.Span, out var error) ? error : null;

    /// <summary>The <c>X-Amz-Executed-Version</c> header, or null.</summary>
    public string? ExecutedVersion { get; }

    /// <summary>The <c>x-amzn-RequestId</c> header, or null.</summary>
    public string? RequestId { get; }
}

/// <summary>The outcome of a typed <c>Invoke</c> call: <see cref="Result"/> is read from the payload when the
/// function succeeded.</summary>
/// <typeparam name="TResult">The function's result type.</typeparam>
public sealed class LambdaInvokeResponse<TResult> : LambdaInvokeResponse
{
    /// <summary>Creates a typed response.</summary>
    public LambdaInvokeResponse(LambdaInvokeResponse response, TResult? result)
        : base(response.StatusCode, response.Payload, response.FunctionError, response.ExecutedVersion, response.RequestId)
    {
        Result = result;
    }

    /// <summary>The deserialized result; default when the function failed or returned no payload.</summary>
    public TResult? Result { get; }
}
