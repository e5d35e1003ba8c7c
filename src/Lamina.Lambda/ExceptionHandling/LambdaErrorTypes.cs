namespace Lamina.Lambda.ExceptionHandling;

/// <summary>
/// The <c>errorType</c> values the Lamina runtime reports itself (handler exceptions report their type name).
/// </summary>
public static class LambdaErrorTypes
{
    /// <summary>
    /// <c>_HANDLER</c> names no registered handler (init error). The Node.js and Python runtimes use the same code
    /// for a handler they cannot find.
    /// </summary>
    public const string HandlerNotFound = "Runtime.HandlerNotFound";

    /// <summary>
    /// The invocation passed its deadline. Lambda reports a timed-out invocation with this type and the message
    /// <c>RequestId: {id} Error: Task timed out after N.NN seconds</c>; the Lamina runtime and the local Runtime API
    /// server report the same.
    /// </summary>
    public const string Timeout = "Sandbox.Timedout";

    /// <summary>
    /// The invocation payload could not be read as the handler's event type, or the result could not be written.
    /// This is the type name of <see cref="JsonSerializerException"/>, the same <c>errorType</c> the .NET managed
    /// runtime (Amazon.Lambda.RuntimeSupport with Amazon.Lambda.Serialization.SystemTextJson) reports.
    /// </summary>
    public const string Serialization = nameof(JsonSerializerException);

    /// <summary>Builds Lambda's timeout message for <paramref name="requestId"/> and a budget of <paramref name="timeout"/>.</summary>
    public static string TimeoutMessage(string requestId, TimeSpan timeout) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"RequestId: {requestId} Error: Task timed out after {timeout.TotalSeconds:0.00} seconds");
}
