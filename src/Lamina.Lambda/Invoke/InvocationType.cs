namespace Lamina.Lambda.Invoke;

/// <summary>How Lambda runs an invocation (<c>X-Amz-Invocation-Type</c>).</summary>
public enum InvocationType
{
    /// <summary>Synchronous: wait for the function and receive its result (HTTP 200).</summary>
    RequestResponse,

    /// <summary>Asynchronous: Lambda queues the event and answers at once (HTTP 202, no payload).</summary>
    Event,

    /// <summary>Validate the parameters and permissions without running the function (HTTP 204).</summary>
    DryRun,
}
