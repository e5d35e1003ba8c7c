using System.Globalization;
using System.Text.Json;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Invoke;

namespace Lamina.Local.Lambda;

/// <summary>How one invocation attempt ended.</summary>
public enum LocalInvocationOutcome
{
    /// <summary>The function returned a result.</summary>
    Success,

    /// <summary>The function raised an error (reported by the runtime).</summary>
    FunctionError,

    /// <summary>The function ran past its timeout: <c>Sandbox.Timedout</c>. The instance is discarded.</summary>
    TimedOut,

    /// <summary>The instance failed to initialize (for example <c>Runtime.HandlerNotFound</c>,
    /// <c>Runtime.ImportModuleError</c>). The instance is discarded.</summary>
    InitError,

    /// <summary>The runtime process exited: <c>Runtime.ExitError</c> (or could not be started:
    /// <c>Runtime.InvalidEntrypoint</c>). The instance is discarded.</summary>
    RuntimeExited,

    /// <summary>The response was larger than 6 MB: <c>Function.ResponseSizeTooLarge</c>.</summary>
    ResponseTooLarge,
}

/// <summary>One captured log line of a function.</summary>
public sealed record LocalLogEntry
{
    /// <summary>The function that wrote it.</summary>
    public required string FunctionName { get; init; }

    /// <summary>The request id: the one in a structured line, else the invocation's the line was attributed to;
    /// null for lines written outside any invocation.</summary>
    public string? RequestId { get; init; }

    /// <summary>The line's own timestamp when it has one (JSON <c>timestamp</c> or the runtimes' text formats),
    /// else the host clock's time when the line was captured.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The level (<c>INFO</c>, <c>ERROR</c>, ...) when the line states one, else null.</summary>
    public string? Level { get; init; }

    /// <summary>The message: the JSON <c>message</c> field, the message part of a runtime text line, or the whole
    /// plain line.</summary>
    public required string Message { get; init; }

    /// <summary>The line as written.</summary>
    public required string Raw { get; init; }

    /// <summary>True when the line was a JSON object (Lambda's JSON log format).</summary>
    public bool IsJson { get; init; }

    /// <summary>True when the line came from the runtime's standard error.</summary>
    public bool IsStandardError { get; init; }

    /// <summary>Reads one line as Lambda's log formats write it: a JSON object (<c>timestamp</c>, <c>level</c>,
    /// <c>requestId</c>, <c>message</c>); a Python runtime text line (<c>[LEVEL]\ttimestamp\trequestId\tmessage</c>);
    /// a Node.js runtime text line (<c>timestamp\trequestId\tLEVEL\tmessage</c>); or any plain line, kept as it is.</summary>
    /// <param name="functionName">The function.</param>
    /// <param name="line">The line, without its line break.</param>
    /// <param name="capturedAt">The time to use when the line has none.</param>
    /// <param name="requestId">The invocation the line is attributed to, or null.</param>
    /// <param name="isStandardError">True for standard error.</param>
    public static LocalLogEntry Parse(string functionName, string line, DateTimeOffset capturedAt, string? requestId, bool isStandardError = false)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length > 1 && trimmed[0] == '{' && trimmed[^1] == '}' && TryParseJson(line, out var json))
        {
            return new LocalLogEntry
            {
                FunctionName = functionName,
                RequestId = json.RequestId ?? requestId,
                Timestamp = json.Timestamp ?? capturedAt,
                Level = json.Level,
                Message = json.Message ?? line,
                Raw = line,
                IsJson = true,
                IsStandardError = isStandardError,
            };
        }

        var parts = line.Split('\t', 4);
        if (parts.Length == 4)
        {
            // Python: [INFO]\t2026-11-27T10:00:00.000Z\t<request id>\tmessage
            if (parts[0].Length > 2 && parts[0][0] == '[' && parts[0][^1] == ']' && TryParseTimestamp(parts[1], out var pythonTime))
            {
                return Text(parts[0][1..^1], pythonTime, parts[2], parts[3]);
            }

            // Node.js: 2026-11-27T10:00:00.000Z\t<request id>\tINFO\tmessage
            if (TryParseTimestamp(parts[0], out var nodeTime) && IsLevel(parts[2]))
            {
                return Text(parts[2], nodeTime, parts[1], parts[3]);
            }
        }

        return new LocalLogEntry
        {
            FunctionName = functionName,
            RequestId = requestId,
            Timestamp = capturedAt,
            Message = line,
            Raw = line,
            IsStandardError = isStandardError,
        };

        LocalLogEntry Text(string level, DateTimeOffset timestamp, string lineRequestId, string message) => new()
        {
            FunctionName = functionName,
            RequestId = string.IsNullOrEmpty(lineRequestId) || lineRequestId == "undefined" ? requestId : lineRequestId,
            Timestamp = timestamp,
            Level = level.ToUpperInvariant(),
            Message = message,
            Raw = line,
            IsStandardError = isStandardError,
        };
    }

    private static bool IsLevel(string value) => value is "TRACE" or "DEBUG" or "INFO" or "WARN" or "ERROR" or "FATAL";

    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp)
        && text.Length >= 19 && text[4] == '-' && text[10] == 'T';

    private static bool TryParseJson(string line, out (string? RequestId, DateTimeOffset? Timestamp, string? Level, string? Message) fields)
    {
        fields = default;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            DateTimeOffset? timestamp = null;
            if (Read(root, "timestamp") is { } text && TryParseTimestamp(text, out var parsed))
            {
                timestamp = parsed;
            }

            string? message = null;
            if (root.TryGetProperty("message", out var messageElement))
            {
                message = messageElement.ValueKind == JsonValueKind.String ? messageElement.GetString() : messageElement.GetRawText();
            }

            fields = (Read(root, "requestId") ?? Read(root, "AWSRequestId"), timestamp, Read(root, "level")?.ToUpperInvariant(), message);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }

        static string? Read(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}

/// <summary>
/// The record of one invocation attempt: function, request id, attempt number, start and end on the host clock,
/// duration, cold or warm instance, outcome, error and the log lines captured.
/// </summary>
/// <remarks>For an out-of-process runtime, output is read from its pipes as it arrives; a line still in transit
/// when the invocation ends is appended to this record afterwards (until the instance's next invocation starts),
/// so <see cref="Logs"/> can grow shortly after the result is returned.</remarks>
public sealed class LocalInvocationRecord
{
    private readonly List<LocalLogEntry> _logs = [];

    internal LocalInvocationRecord(string functionName, string requestId, InvocationType invocationType, int attempt,
        DateTimeOffset start, bool cold, int instanceId, string logStreamName)
    {
        FunctionName = functionName;
        RequestId = requestId;
        InvocationType = invocationType;
        Attempt = attempt;
        Start = start;
        End = start;
        Cold = cold;
        InstanceId = instanceId;
        LogStreamName = logStreamName;
    }

    /// <summary>The function.</summary>
    public string FunctionName { get; }

    /// <summary>The request id (the same for every attempt of an asynchronous invocation).</summary>
    public string RequestId { get; }

    /// <summary>Synchronous or asynchronous.</summary>
    public InvocationType InvocationType { get; }

    /// <summary>1 for the first attempt, 2 and 3 for the retries of an asynchronous invocation.</summary>
    public int Attempt { get; }

    /// <summary>When the attempt started (host clock).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>When it ended (host clock).</summary>
    public DateTimeOffset End { get; private set; }

    /// <summary><see cref="End"/> − <see cref="Start"/>.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>True when a new instance was created (and initialized) for this invocation.</summary>
    public bool Cold { get; }

    /// <summary>How long the in-process handler factory took (host clock) on a cold start, else null.</summary>
    public TimeSpan? InitDuration { get; private set; }

    /// <summary>The instance's number within its function (1, 2, ...).</summary>
    public int InstanceId { get; }

    /// <summary>The instance's log stream (<c>AWS_LAMBDA_LOG_STREAM_NAME</c>).</summary>
    public string LogStreamName { get; }

    /// <summary>How it ended.</summary>
    public LocalInvocationOutcome Outcome { get; private set; }

    /// <summary>The error for every outcome but <see cref="LocalInvocationOutcome.Success"/>.</summary>
    public LambdaErrorPayload? Error { get; private set; }

    /// <summary>True once the attempt has ended.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>The log lines captured for this invocation, in order.</summary>
    public IReadOnlyList<LocalLogEntry> Logs
    {
        get
        {
            lock (_logs)
            {
                return _logs.ToArray();
            }
        }
    }

    internal void AddLog(LocalLogEntry entry)
    {
        lock (_logs)
        {
            _logs.Add(entry);
        }
    }

    internal void Complete(DateTimeOffset end, LocalInvocationOutcome outcome, LambdaErrorPayload? error, TimeSpan? initDuration)
    {
        End = end;
        Outcome = outcome;
        Error = error;
        InitDuration = initDuration;
        IsCompleted = true;
    }

    /// <summary>Summarizes the record.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{FunctionName} {RequestId} attempt {Attempt} {(Cold ? "cold" : "warm")} {Outcome} {Duration.TotalMilliseconds:0.##} ms");
}
