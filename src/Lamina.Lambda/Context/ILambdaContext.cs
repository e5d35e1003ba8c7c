namespace Lamina.Lambda;

/// <summary>
/// What a handler knows about the invocation and the function it runs in (the Lambda "context" object).
/// </summary>
public interface ILambdaContext
{
    /// <summary>The request id of this invocation (Lambda-Runtime-Aws-Request-Id).</summary>
    string AwsRequestId { get; }
    /// <summary>The function's name (AWS_LAMBDA_FUNCTION_NAME).</summary>
    string FunctionName { get; }
    /// <summary>The function's version (AWS_LAMBDA_FUNCTION_VERSION), usually <c>$LATEST</c>.</summary>
    string FunctionVersion { get; }
    /// <summary>The ARN the caller used to invoke the function (Lambda-Runtime-Invoked-Function-Arn).</summary>
    string InvokedFunctionArn { get; }
    /// <summary>The configured memory in MB (AWS_LAMBDA_FUNCTION_MEMORY_SIZE).</summary>
    int MemoryLimitInMB { get; }
    /// <summary>The instant at which Lambda stops the invocation (Lambda-Runtime-Deadline-Ms).</summary>
    DateTimeOffset Deadline { get; }
    /// <summary>The time left until <see cref="Deadline"/>, measured with the runtime's clock.</summary>
    TimeSpan RemainingTime { get; }
    /// <summary>The CloudWatch log group of the function (AWS_LAMBDA_LOG_GROUP_NAME).</summary>
    string LogGroupName { get; }
    /// <summary>The CloudWatch log stream of this instance (AWS_LAMBDA_LOG_STREAM_NAME).</summary>
    string LogStreamName { get; }
    /// <summary>The X-Ray trace header (Lambda-Runtime-Trace-Id), or null.</summary>
    string? TraceId { get; }
    /// <summary>A logger writing Lambda's JSON log lines for this invocation.</summary>
    ILambdaLogger Logger { get; }
    /// <summary>Cancelled when the invocation passes its deadline.</summary>
    CancellationToken CancellationToken { get; }
    /// <summary>Client context sent by AWS Mobile SDK callers (Lambda-Runtime-Client-Context), or null.</summary>
    string? ClientContext => null;
    /// <summary>Cognito identity sent by AWS Mobile SDK callers (Lambda-Runtime-Cognito-Identity), or null.</summary>
    string? CognitoIdentity => null;
}

/// <summary>Log levels of Lambda's JSON log format.</summary>
public enum LambdaLogLevel
{
    /// <summary>TRACE</summary>
    Trace,
    /// <summary>DEBUG</summary>
    Debug,
    /// <summary>INFO</summary>
    Info,
    /// <summary>WARN</summary>
    Warn,
    /// <summary>ERROR</summary>
    Error,
    /// <summary>FATAL</summary>
    Fatal,
}

/// <summary>A logger that writes one JSON object per line: timestamp, level, requestId, message.</summary>
public interface ILambdaLogger
{
    /// <summary>Writes one log line at <paramref name="level"/>.</summary>
    void Log(LambdaLogLevel level, string message);
    /// <summary>Writes an INFO line.</summary>
    void LogInformation(string message) => Log(LambdaLogLevel.Info, message);
    /// <summary>Writes a WARN line.</summary>
    void LogWarning(string message) => Log(LambdaLogLevel.Warn, message);
    /// <summary>Writes an ERROR line.</summary>
    void LogError(string message) => Log(LambdaLogLevel.Error, message);
    /// <summary>Writes a DEBUG line.</summary>
    void LogDebug(string message) => Log(LambdaLogLevel.Debug, message);
}
