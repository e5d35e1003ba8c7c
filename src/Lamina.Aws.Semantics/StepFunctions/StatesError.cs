namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// An error in the States Language sense: a case-sensitive error name (<see cref="Error"/>) and an optional
/// human-readable <see cref="Cause"/>. Task invokers throw it to report a task failure; the interpreter throws it
/// for the predefined <c>States.*</c> errors. Retriers and catchers match on <see cref="Error"/>.
/// </summary>
public sealed class StatesError : Exception
{
    /// <summary>Creates an error.</summary>
    /// <param name="error">The error name, e.g. <c>HandledError</c> or <c>States.Timeout</c>.</param>
    /// <param name="cause">A human-readable description, or null.</param>
    public StatesError(string error, string? cause = null)
        : base(cause is null ? error : error + ": " + cause)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        Error = error;
        Cause = cause;
    }

    /// <summary>Creates an error raised by a Fail state, whose Error and Cause may be absent.</summary>
    internal StatesError(string error, string? cause, bool fromFailState)
        : base(cause is null ? error : error + ": " + cause)
    {
        Error = error;
        Cause = cause;
        FromFailState = fromFailState;
    }

    /// <summary>True when a Fail state raised the error.</summary>
    internal bool FromFailState { get; }

    /// <summary>The error name.</summary>
    public string Error { get; }

    /// <summary>The cause, or null when none was given.</summary>
    public string? Cause { get; }

    /// <summary>
    /// True for errors no retrier or catcher can handle (<c>States.Runtime</c>, <c>States.DataLimitExceeded</c>):
    /// they fail the execution.
    /// </summary>
    public bool IsTerminal => Error is StatesErrorNames.Runtime or StatesErrorNames.DataLimitExceeded;
}

/// <summary>The error names predefined by the States Language (all start with <c>States.</c>).</summary>
public static class StatesErrorNames
{
    /// <summary>Wildcard matching any error name except the terminal ones.</summary>
    public const string All = "States.ALL";

    /// <summary>A Task state failed to heartbeat in time.</summary>
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";

    /// <summary>A Task state ran longer than TimeoutSeconds (or the execution ran longer than its TimeoutSeconds).</summary>
    public const string Timeout = "States.Timeout";

    /// <summary>A Task state failed; in a retrier or catcher it matches any error except States.Timeout.</summary>
    public const string TaskFailed = "States.TaskFailed";

    /// <summary>A Task state lacked privileges.</summary>
    public const string Permissions = "States.Permissions";

    /// <summary>ResultPath could not be applied to the state input.</summary>
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";

    /// <summary>A Parameters field ending in <c>.$</c> could not be resolved.</summary>
    public const string ParameterPathFailure = "States.ParameterPathFailure";

    /// <summary>A branch of a Parallel state failed.</summary>
    public const string BranchFailed = "States.BranchFailed";

    /// <summary>A Choice state matched no rule and has no Default.</summary>
    public const string NoChoiceMatched = "States.NoChoiceMatched";

    /// <summary>An intrinsic function failed.</summary>
    public const string IntrinsicFailure = "States.IntrinsicFailure";

    /// <summary>A distributed Map state exceeded its tolerated failure threshold.</summary>
    public const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";

    /// <summary>A distributed Map state could not read its items.</summary>
    public const string ItemReaderFailed = "States.ItemReaderFailed";

    /// <summary>A distributed Map state could not write its results.</summary>
    public const string ResultWriterFailed = "States.ResultWriterFailed";

    /// <summary>A JSONata expression failed.</summary>
    public const string QueryEvaluationError = "States.QueryEvaluationError";

    /// <summary>A runtime error such as an unresolvable path; cannot be retried or caught.</summary>
    public const string Runtime = "States.Runtime";

    /// <summary>A payload exceeded the size quota; cannot be retried or caught.</summary>
    public const string DataLimitExceeded = "States.DataLimitExceeded";

    /// <summary>An HTTP task timed out at the socket level.</summary>
    public const string HttpSocket = "States.Http.Socket";

    /// <summary>Every predefined name, as accepted in ErrorEquals.</summary>
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        All, HeartbeatTimeout, Timeout, TaskFailed, Permissions, ResultPathMatchFailure, ParameterPathFailure,
        BranchFailed, NoChoiceMatched, IntrinsicFailure, ExceedToleratedFailureThreshold, ItemReaderFailed,
        ResultWriterFailed, QueryEvaluationError, Runtime, DataLimitExceeded, HttpSocket,
    };
}
