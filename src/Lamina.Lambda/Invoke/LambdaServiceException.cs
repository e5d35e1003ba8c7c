using System.Net;

namespace Lamina.Lambda.Invoke;

/// <summary>
/// Lambda rejected an <c>Invoke</c> request (not a function error): for example 404
/// <c>ResourceNotFoundException</c>, 403 <c>AccessDeniedException</c>, 429 <c>TooManyRequestsException</c>.
/// </summary>
public sealed class LambdaServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LambdaServiceException(HttpStatusCode statusCode, string errorCode, string message, string? requestId)
        : base($"Lambda Invoke failed with {(int)statusCode} {errorCode}: {message}")
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServiceMessage = message;
        RequestId = requestId;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The error code (<c>x-amzn-ErrorType</c>, or the body's <c>Type</c>/<c>__type</c>), or <c>Unknown</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The service's message.</summary>
    public string ServiceMessage { get; }

    /// <summary>The <c>x-amzn-RequestId</c> header, or null.</summary>
    public string? RequestId { get; }
}
