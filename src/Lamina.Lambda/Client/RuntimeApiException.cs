using System.Net;

namespace Lamina.Lambda.Client;

/// <summary>The Runtime API answered a request with a status other than the one expected.</summary>
public sealed class RuntimeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RuntimeApiException(string operation, HttpStatusCode statusCode, string body)
        : base($"Runtime API {operation} returned {(int)statusCode} {statusCode}: {body}")
    {
        Operation = operation;
        StatusCode = statusCode;
        Body = body;
    }

    /// <summary>What the runtime was doing (for example <c>POST /invocation/{id}/response</c>).</summary>
    public string Operation { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The response body as text.</summary>
    public string Body { get; }

    /// <summary>
    /// True for 500: the Runtime API reports a non-recoverable container error and the runtime should exit.
    /// </summary>
    public bool IsFatal => StatusCode == HttpStatusCode.InternalServerError;
}
