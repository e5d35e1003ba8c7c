namespace Lamina.Lambda.ExceptionHandling;

/// <summary>
/// Thrown by the runtime when the invocation payload is not valid JSON for the handler's event type, or when the
/// handler's result cannot be serialized. Reported to Lambda as an invocation error whose <c>errorType</c> is
/// <c>JsonSerializerException</c> and whose message begins
/// <c>Error converting the Lambda event JSON payload to type {type}:</c>, as the .NET managed runtime reports.
/// </summary>
public sealed class JsonSerializerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JsonSerializerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the serializer's error as <paramref name="innerException"/>.</summary>
    public JsonSerializerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
