using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lamina.Lambda.ExceptionHandling;

/// <summary>
/// The error document a runtime posts to <c>/runtime/invocation/{id}/error</c> and <c>/runtime/init/error</c>, and
/// that a caller of <c>Invoke</c> receives as the payload of a failed invocation:
/// <c>{"errorType":"...","errorMessage":"...","stackTrace":["..."]}</c>.
/// </summary>
/// <remarks>
/// Written and read with <see cref="Utf8JsonWriter"/>/<see cref="JsonDocument"/> (AOT-safe, no reflection).
/// <c>stackTrace</c> is omitted when empty (as in Lambda's own timeout payload); <c>cause</c>, the inner exception
/// in the same shape, is written only when there is one (the .NET managed runtime does the same).
/// </remarks>
public sealed record LambdaErrorPayload
{
    private const int MaxCauseDepth = 8;

    /// <summary>The error type: the exception's type name (<c>InvalidOperationException</c>) or a
    /// <c>Category.Reason</c> code such as <c>Runtime.HandlerNotFound</c>.</summary>
    public required string ErrorType { get; init; }

    /// <summary>The human-readable message.</summary>
    public required string ErrorMessage { get; init; }

    /// <summary>The stack trace, one frame per entry, trimmed; empty when there is none.</summary>
    public IReadOnlyList<string> StackTrace { get; init; } = [];

    /// <summary>The inner exception in the same shape, or null.</summary>
    public LambdaErrorPayload? Cause { get; init; }

    /// <summary>Creates a payload with no stack trace.</summary>
    public static LambdaErrorPayload Create(string errorType, string errorMessage) =>
        new() { ErrorType = errorType, ErrorMessage = errorMessage };

    /// <summary>
    /// Describes <paramref name="exception"/>: <see cref="ErrorType"/> is the exception type's simple name, the
    /// message is <see cref="Exception.Message"/>, and the stack trace is split into lines. A
    /// <see cref="TargetInvocationException"/>, or an <see cref="AggregateException"/> holding one exception, is
    /// unwrapped first.
    /// </summary>
    public static LambdaErrorPayload FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FromException(Unwrap(exception), 0);
    }

    private static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } inner }:
                    exception = inner;
                    continue;
                default:
                    return exception;
            }
        }
    }

    private static LambdaErrorPayload FromException(Exception exception, int depth) => new()
    {
        ErrorType = exception.GetType().Name,
        ErrorMessage = exception.Message,
        StackTrace = SplitStackTrace(exception.StackTrace),
        Cause = exception.InnerException is { } inner && depth < MaxCauseDepth ? FromException(inner, depth + 1) : null,
    };

    private static string[] SplitStackTrace(string? stackTrace) =>
        string.IsNullOrEmpty(stackTrace)
            ? []
            : stackTrace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Serializes the payload as UTF-8 JSON.</summary>
    public byte[] ToUtf8Json()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the payload as one JSON object.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("errorType", ErrorType);
        writer.WriteString("errorMessage", ErrorMessage);
        if (StackTrace.Count > 0)
        {
            writer.WriteStartArray("stackTrace");
            foreach (var frame in StackTrace)
            {
                writer.WriteStringValue(frame);
            }

            writer.WriteEndArray();
        }

        if (Cause is not null)
        {
            writer.WritePropertyName("cause");
            Cause.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads an error document. Succeeds when <paramref name="utf8Json"/> is a JSON object; a missing
    /// <c>errorType</c> or <c>errorMessage</c> reads as an empty string, and a non-string stack frame is skipped.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out LambdaErrorPayload? payload)
    {
        payload = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            payload = Read(document.RootElement, 0);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static LambdaErrorPayload Read(JsonElement element, int depth)
    {
        var stack = new List<string>();
        if (element.TryGetProperty("stackTrace", out var frames) && frames.ValueKind == JsonValueKind.Array)
        {
            foreach (var frame in frames.EnumerateArray())
            {
                if (frame.ValueKind == JsonValueKind.String)
                {
                    stack.Add(frame.GetString()!);
                }
            }
        }

        LambdaErrorPayload? cause = null;
        if (depth < MaxCauseDepth && element.TryGetProperty("cause", out var causeElement) &&
            causeElement.ValueKind == JsonValueKind.Object)
        {
            cause = Read(causeElement, depth + 1);
        }

        return new LambdaErrorPayload
        {
            ErrorType = ReadString(element, "errorType"),
            ErrorMessage = ReadString(element, "errorMessage"),
            StackTrace = stack,
            Cause = cause,
        };
    }

    private static string ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
