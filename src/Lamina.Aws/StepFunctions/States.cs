using Lamina.Aws.Lambda;

namespace Lamina.Aws.StepFunctions;

/// <summary>
/// A state of an Amazon States Language definition. States are plain objects (not constructs): build them, chain
/// them with <see cref="Chain"/>, and give the chain to a <see cref="StateMachine"/>. State names must be unique
/// within a state machine (Parallel branches and Map processors are separate scopes).
/// </summary>
public abstract class State : IChainable
{
    /// <summary>Creates a state named <paramref name="name"/> (at most 80 characters).</summary>
    protected State(string name) => Name = name;

    /// <summary>The state's name.</summary>
    public string Name { get; }

    /// <summary>The ASL <c>Type</c>.</summary>
    public abstract string Type { get; }

    /// <summary>A comment. Default: none.</summary>
    public string? Comment { get; init; }

    /// <summary>Selects the part of the input the state works on (<c>InputPath</c>). Default: <c>$</c>.</summary>
    public string? InputPath { get; init; }

    /// <summary>Selects the part of the output passed on (<c>OutputPath</c>). Default: <c>$</c>.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The next state, set by chaining; null for terminal states and the end of a chain.</summary>
    public State? NextState { get; internal set; }

    /// <summary>Whether the state ends the machine or branch by itself (Succeed, Fail, Choice).</summary>
    internal virtual bool IsTerminal => false;

    State IChainable.StartState => this;

    IReadOnlyList<State> IChainable.EndStates => IsTerminal ? [] : [this];

    /// <summary>Continues with <paramref name="next"/>.</summary>
    public Chain Next(IChainable next) => Chain.Start(this).Next(next);

    /// <summary>The states this one can move to (Next, Choice branches, Catch handlers), for traversal.</summary>
    internal virtual IEnumerable<State> Successors()
    {
        if (NextState is not null)
        {
            yield return NextState;
        }
    }

    /// <summary>Writes the state's fields.</summary>
    internal virtual void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        d["Type"] = Type;
        if (Comment is not null) d["Comment"] = Comment;
        if (InputPath is not null) d["InputPath"] = InputPath;
        if (OutputPath is not null) d["OutputPath"] = OutputPath;
    }

    /// <summary>Writes Next or End.</summary>
    internal void RenderTransition(Dictionary<string, object?> d)
    {
        if (NextState is not null)
        {
            d["Next"] = NextState.Name;
        }
        else
        {
            d["End"] = true;
        }
    }
}

/// <summary>Collects what rendering needs: the functions a definition invokes.</summary>
public sealed class AslRenderContext
{
    /// <summary>Functions invoked by Task states (the role may invoke exactly these).</summary>
    public List<FunctionBase> Functions { get; } = new();
}

/// <summary>A state with Parameters/ResultPath (Pass, Task, Map, Parallel).</summary>
public abstract class DataState : State
{
    /// <summary>Creates the state.</summary>
    protected DataState(string name) : base(name) { }

    /// <summary>The effective input (<c>Parameters</c>; keys ending in <c>.$</c> take paths or intrinsic functions). Default: none.</summary>
    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }

    /// <summary>Where the result goes in the input (<c>ResultPath</c>); null in <see cref="DiscardResult"/>. Default: <c>$</c>.</summary>
    public string? ResultPath { get; init; }

    /// <summary>Discard the result and pass the input on (<c>"ResultPath": null</c>). Default: false.</summary>
    public bool DiscardResult { get; init; }

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        if (Parameters is not null) d["Parameters"] = Parameters;
        if (DiscardResult) d["ResultPath"] = null;
        else if (ResultPath is not null) d["ResultPath"] = ResultPath;
    }
}

/// <summary>A state that can retry and catch errors (Task, Map, Parallel).</summary>
public abstract class RetryableState : DataState
{
    private readonly List<RetryRule> _retries = new();
    private readonly List<CatchRule> _catches = new();

    /// <summary>Creates the state.</summary>
    protected RetryableState(string name) : base(name) { }

    /// <summary>Reshapes the result before ResultPath (<c>ResultSelector</c>). Default: none.</summary>
    public IReadOnlyDictionary<string, object?>? ResultSelector { get; init; }

    /// <summary>The retry rules, in order.</summary>
    public IReadOnlyList<RetryRule> Retries => _retries;

    /// <summary>The catch rules, in order.</summary>
    public IReadOnlyList<CatchRule> Catches => _catches;

    /// <summary>Retries on <paramref name="errors"/> (e.g. <see cref="Errors.TaskFailed"/>).</summary>
    public RetryableState Retry(string[] errors, int maxAttempts = 3, int intervalSeconds = 1, double backoffRate = 2.0, int? maxDelaySeconds = null, bool jitter = false)
    {
        _retries.Add(new RetryRule(errors, intervalSeconds, maxAttempts, backoffRate, maxDelaySeconds, jitter));
        return this;
    }

    /// <summary>Retries on one error name.</summary>
    public RetryableState Retry(string error, int maxAttempts = 3, int intervalSeconds = 1, double backoffRate = 2.0, int? maxDelaySeconds = null, bool jitter = false)
        => Retry([error], maxAttempts, intervalSeconds, backoffRate, maxDelaySeconds, jitter);

    /// <summary>On <paramref name="errors"/>, moves to <paramref name="handler"/> with the error output at <paramref name="resultPath"/>.</summary>
    public RetryableState Catch(string[] errors, IChainable handler, string? resultPath = "$.error")
    {
        _catches.Add(new CatchRule(errors, handler.StartState, resultPath));
        return this;
    }

    /// <summary>On one error name, moves to <paramref name="handler"/>.</summary>
    public RetryableState Catch(string error, IChainable handler, string? resultPath = "$.error") => Catch([error], handler, resultPath);

    internal override IEnumerable<State> Successors() => base.Successors().Concat(_catches.Select(c => c.Next));

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        if (ResultSelector is not null) d["ResultSelector"] = ResultSelector;
        if (_retries.Count > 0)
        {
            d["Retry"] = _retries.Select(r =>
            {
                var x = new Dictionary<string, object?> { ["ErrorEquals"] = r.Errors, ["IntervalSeconds"] = r.IntervalSeconds, ["MaxAttempts"] = r.MaxAttempts, ["BackoffRate"] = r.BackoffRate };
                if (r.MaxDelaySeconds is int m) x["MaxDelaySeconds"] = m;
                if (r.Jitter) x["JitterStrategy"] = "FULL";
                return (object?)x;
            }).ToArray();
        }
        if (_catches.Count > 0)
        {
            d["Catch"] = _catches.Select(c =>
            {
                var x = new Dictionary<string, object?> { ["ErrorEquals"] = c.Errors, ["Next"] = c.Next.Name };
                if (c.ResultPath is not null) x["ResultPath"] = c.ResultPath;
                return (object?)x;
            }).ToArray();
        }
    }
}

/// <summary>A retry rule.</summary>
public sealed record RetryRule(string[] Errors, int IntervalSeconds, int MaxAttempts, double BackoffRate, int? MaxDelaySeconds, bool Jitter);

/// <summary>A catch rule.</summary>
public sealed record CatchRule(string[] Errors, State Next, string? ResultPath);

/// <summary>Error names of the States Language.</summary>
public static class Errors
{
    /// <summary>Any error.</summary>
    public const string All = "States.ALL";
    /// <summary>A task failed.</summary>
    public const string TaskFailed = "States.TaskFailed";
    /// <summary>A task or the machine timed out.</summary>
    public const string Timeout = "States.Timeout";
    /// <summary>A heartbeat was missed.</summary>
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    /// <summary>Insufficient permissions.</summary>
    public const string Permissions = "States.Permissions";
    /// <summary>A branch of a Parallel or Map failed.</summary>
    public const string BranchFailed = "States.BranchFailed";
    /// <summary>No Choice rule matched and there is no Default.</summary>
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    /// <summary>Lambda's service errors worth retrying (as AWS recommends for lambda:invoke).</summary>
    public static readonly string[] LambdaServiceErrors = ["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"];
}

/// <summary>Passes its input (or a fixed <see cref="Result"/>) to its output.</summary>
public sealed class Pass(string name) : DataState(name)
{
    /// <inheritdoc />
    public override string Type => "Pass";

    /// <summary>A fixed result. Default: none (the input is passed).</summary>
    public object? Result { get; init; }

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        if (Result is not null) d["Result"] = Result;
        RenderTransition(d);
    }
}

/// <summary>Ends the machine (or branch) successfully.</summary>
public sealed class Succeed(string name) : State(name)
{
    /// <inheritdoc />
    public override string Type => "Succeed";

    internal override bool IsTerminal => true;
}

/// <summary>Ends the machine (or branch) with an error.</summary>
public sealed class Fail(string name) : State(name)
{
    /// <inheritdoc />
    public override string Type => "Fail";

    /// <summary>The error name. Default: none.</summary>
    public string? Error { get; init; }

    /// <summary>The cause. Default: none.</summary>
    public string? Cause { get; init; }

    internal override bool IsTerminal => true;

    /// <summary>A Fail state named after its error (the UX sketch's <c>Fail.Because("PaymentFailed")</c>).</summary>
    public static Fail Because(string error, string? cause = null) => new(error) { Error = error, Cause = cause };

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        d["Type"] = Type;
        if (Comment is not null) d["Comment"] = Comment;
        if (Error is not null) d["Error"] = Error;
        if (Cause is not null) d["Cause"] = Cause;
    }
}

/// <summary>Waits a number of seconds or until a timestamp.</summary>
public sealed class Wait : State
{
    private readonly string _field;
    private readonly object _value;

    private Wait(string name, string field, object value) : base(name)
    {
        _field = field;
        _value = value;
    }

    /// <inheritdoc />
    public override string Type => "Wait";

    /// <summary>Waits <paramref name="seconds"/> seconds.</summary>
    public static Wait Seconds(string name, int seconds) => new(name, "Seconds", seconds);

    /// <summary>Waits until <paramref name="timestamp"/>.</summary>
    public static Wait Until(string name, DateTimeOffset timestamp) => new(name, "Timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Waits the number of seconds found at <paramref name="path"/>.</summary>
    public static Wait SecondsPath(string name, string path) => new(name, "SecondsPath", path);

    /// <summary>Waits until the timestamp found at <paramref name="path"/>.</summary>
    public static Wait TimestampPath(string name, string path) => new(name, "TimestampPath", path);

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        d[_field] = _value;
        RenderTransition(d);
    }
}
