using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lamina.Lambda.Logging;

/// <summary>
/// Writes Lambda's JSON log lines, one object per line:
/// <c>{"timestamp":"2026-11-27T10:00:00.000Z","level":"INFO","requestId":"...","message":"..."}</c>.
/// </summary>
/// <remarks>
/// The timestamp comes from the <see cref="TimeProvider"/> (UTC, millisecond precision). <c>requestId</c> is
/// written only by loggers bound to an invocation (<see cref="ForRequest"/>). Lines below
/// <see cref="MinimumLevel"/> are dropped; the runtime takes the minimum from <c>AWS_LAMBDA_LOG_LEVEL</c>
/// (<see cref="ParseLevel"/>). Lines are built with <see cref="Utf8JsonWriter"/> (AOT-safe) and written with a
/// single call under a lock shared by every logger derived from the same root, so lines never interleave.
/// </remarks>
public sealed class LambdaJsonLogger : ILambdaLogger
{
    // Relaxed escaping keeps quotes, apostrophes and non-ASCII text readable (control characters and '"' are
    // still escaped), as in Lambda's own log lines. It is AOT-safe.
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TextWriter _output;
    private readonly TimeProvider _timeProvider;
    private readonly object _gate;

    /// <summary>Creates a logger not bound to any invocation.</summary>
    /// <param name="output">Where lines go; the runtime uses <see cref="Console.Out"/>.</param>
    /// <param name="timeProvider">The clock for timestamps.</param>
    /// <param name="minimumLevel">Lines below this level are dropped.</param>
    public LambdaJsonLogger(TextWriter output, TimeProvider timeProvider, LambdaLogLevel minimumLevel = LambdaLogLevel.Info)
        : this(output, timeProvider, minimumLevel, null, new object())
    {
    }

    private LambdaJsonLogger(TextWriter output, TimeProvider timeProvider, LambdaLogLevel minimumLevel, string? requestId, object gate)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _output = output;
        _timeProvider = timeProvider;
        MinimumLevel = minimumLevel;
        RequestId = requestId;
        _gate = gate;
    }

    /// <summary>The lowest level written.</summary>
    public LambdaLogLevel MinimumLevel { get; }

    /// <summary>The request id written on each line, or null.</summary>
    public string? RequestId { get; }

    /// <summary>A logger writing to the same output that stamps each line with <paramref name="requestId"/>.</summary>
    public LambdaJsonLogger ForRequest(string requestId) => new(_output, _timeProvider, MinimumLevel, requestId, _gate);

    /// <summary>True when a line at <paramref name="level"/> would be written.</summary>
    public bool IsEnabled(LambdaLogLevel level) => level >= MinimumLevel;

    /// <inheritdoc />
    public void Log(LambdaLogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = FormatLine(_timeProvider.GetUtcNow(), level, RequestId, message ?? "");
        lock (_gate)
        {
            _output.Write(line);
            _output.Flush();
        }
    }

    /// <summary>Writes an INFO line.</summary>
    public void LogInformation(string message) => Log(LambdaLogLevel.Info, message);

    /// <summary>Writes a WARN line.</summary>
    public void LogWarning(string message) => Log(LambdaLogLevel.Warn, message);

    /// <summary>Writes an ERROR line.</summary>
    public void LogError(string message) => Log(LambdaLogLevel.Error, message);

    /// <summary>Writes a DEBUG line.</summary>
    public void LogDebug(string message) => Log(LambdaLogLevel.Debug, message);

    /// <summary>Formats one log line (with its trailing newline) exactly as <see cref="Log"/> writes it.</summary>
    public static string FormatLine(DateTimeOffset timestamp, LambdaLogLevel level, string? requestId, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", FormatTimestamp(timestamp));
            writer.WriteString("level", LevelName(level));
            if (requestId is not null)
            {
                writer.WriteString("requestId", requestId);
            }

            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>Formats <paramref name="timestamp"/> as Lambda does: <c>2026-11-27T10:00:00.000Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The level's name in Lambda's log format: TRACE, DEBUG, INFO, WARN, ERROR or FATAL.</summary>
    public static string LevelName(LambdaLogLevel level) => level switch
    {
        LambdaLogLevel.Trace => "TRACE",
        LambdaLogLevel.Debug => "DEBUG",
        LambdaLogLevel.Info => "INFO",
        LambdaLogLevel.Warn => "WARN",
        LambdaLogLevel.Error => "ERROR",
        LambdaLogLevel.Fatal => "FATAL",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown log level."),
    };

    /// <summary>
    /// Reads an <c>AWS_LAMBDA_LOG_LEVEL</c> value (TRACE, DEBUG, INFO, WARN, ERROR, FATAL; case-insensitive;
    /// <c>WARNING</c> is accepted for WARN). Null, empty or unknown values give <paramref name="fallback"/>.
    /// </summary>
    public static LambdaLogLevel ParseLevel(string? value, LambdaLogLevel fallback = LambdaLogLevel.Info) =>
        value?.Trim().ToUpperInvariant() switch
        {
            "TRACE" => LambdaLogLevel.Trace,
            "DEBUG" => LambdaLogLevel.Debug,
            "INFO" or "INFORMATION" => LambdaLogLevel.Info,
            "WARN" or "WARNING" => LambdaLogLevel.Warn,
            "ERROR" => LambdaLogLevel.Error,
            "FATAL" or "CRITICAL" => LambdaLogLevel.Fatal,
            _ => fallback,
        };
}
