using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// Performs the work of Task states for a <see cref="StateMachineExecutor"/>: invokes a Lambda function, calls a
/// service integration or hands work to an activity worker. Report a task failure by throwing
/// <see cref="StatesError"/> (its error name is what Retry and Catch match); any other exception is reported like an
/// unhandled Lambda error, named after the exception type.
/// </summary>
public interface ITaskInvoker
{
    /// <summary>Runs one task attempt.</summary>
    /// <param name="resource">
    /// What to invoke: the function ARN for a plain Lambda resource and for <c>arn:aws:states:::lambda:invoke</c>
    /// (its <c>FunctionName</c> parameter), the activity ARN for activities, and the Resource as written for other
    /// service integrations.
    /// </param>
    /// <param name="input">
    /// The task input: the effective parameters (after InputPath and Parameters), or the <c>Payload</c> parameter for
    /// <c>lambda:invoke</c>.
    /// </param>
    /// <param name="context">Which state, resource kind, attempt and execution the call belongs to.</param>
    /// <param name="cancellationToken">Cancelled when the task times out or the execution stops.</param>
    /// <returns>
    /// The task result. For <c>lambda:invoke</c> return the function's response payload; the executor wraps it as
    /// <c>{"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode": 200}</c> like AWS.
    /// </returns>
    Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken);
}

/// <summary>The kinds of Task state resources the executor distinguishes.</summary>
public enum TaskResourceKind
{
    /// <summary>A Lambda function ARN used directly as the Resource (<c>arn:aws:lambda:...:function:name</c>).</summary>
    LambdaFunction,

    /// <summary>The optimized Lambda integration <c>arn:aws:states:::lambda:invoke</c>.</summary>
    LambdaInvoke,

    /// <summary>Any other service integration (<c>arn:aws:states:::service:action</c>), including AWS SDK integrations.</summary>
    ServiceIntegration,

    /// <summary>An activity (<c>arn:aws:states:region:account:activity:name</c>).</summary>
    Activity,

    /// <summary>Any other ARN.</summary>
    Other,
}

/// <summary>How a service integration waits for its result.</summary>
public enum IntegrationPattern
{
    /// <summary>Call the service and continue with its response.</summary>
    RequestResponse,

    /// <summary><c>.sync</c>: wait for the job to complete.</summary>
    Sync,

    /// <summary><c>.waitForTaskToken</c>: wait for a callback carrying <see cref="TaskContext.TaskToken"/>; return the callback output.</summary>
    WaitForTaskToken,
}

/// <summary>Information about the Task state attempt an <see cref="ITaskInvoker"/> call belongs to.</summary>
public sealed record TaskContext
{
    /// <summary>The Task state's name.</summary>
    public required string StateName { get; init; }

    /// <summary>The state's Resource exactly as written in the definition.</summary>
    public required string Resource { get; init; }

    /// <summary>What kind of resource <see cref="Resource"/> is.</summary>
    public required TaskResourceKind Kind { get; init; }

    /// <summary>For service integrations, the service part (e.g. <c>lambda</c>, <c>sqs</c>, <c>aws-sdk:s3</c>); otherwise null.</summary>
    public string? Service { get; init; }

    /// <summary>For service integrations, the action part without the pattern suffix (e.g. <c>invoke</c>, <c>sendMessage</c>).</summary>
    public string? Action { get; init; }

    /// <summary>The integration pattern derived from the Resource suffix.</summary>
    public IntegrationPattern Pattern { get; init; }

    /// <summary>The task token (also available to Parameters as <c>$$.Task.Token</c>) for <c>.waitForTaskToken</c> resources; otherwise null.</summary>
    public string? TaskToken { get; init; }

    /// <summary>How many times this state has been retried so far (0 on the first attempt).</summary>
    public int RetryCount { get; init; }

    /// <summary>The execution ARN.</summary>
    public required string ExecutionArn { get; init; }

    /// <summary>The state's effective TimeoutSeconds, or null when none applies.</summary>
    public long? TimeoutSeconds { get; init; }

    /// <summary>The effective parameters as evaluated for this attempt (the whole object, also for <c>lambda:invoke</c>).</summary>
    public JsonNode? Parameters { get; init; }

    /// <summary>
    /// The state's effective HeartbeatSeconds (or HeartbeatSecondsPath), or null when none is set. For activities and
    /// <c>.waitForTaskToken</c> resources (whose workers hold a task token) the task must call
    /// <see cref="SendHeartbeat"/> at least this often or the attempt fails with <c>States.HeartbeatTimeout</c>.
    /// </summary>
    public long? HeartbeatSeconds { get; init; }

    internal Action? HeartbeatCallback { get; init; }

    /// <summary>
    /// Reports that the task is still working, like <c>SendTaskHeartbeat</c>: restarts the HeartbeatSeconds clock.
    /// Does nothing when the state has no HeartbeatSeconds or the attempt has ended.
    /// </summary>
    public void SendHeartbeat() => HeartbeatCallback?.Invoke();
}
