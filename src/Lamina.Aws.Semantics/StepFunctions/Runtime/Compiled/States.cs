using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>A compiled StartAt/States pair: the machine, a Parallel branch or a Map processor.</summary>
internal sealed class CompiledScope
{
    internal CompiledScope(Dictionary<string, CompiledState> states, CompiledState start)
    {
        States = states;
        Start = start;
    }

    internal Dictionary<string, CompiledState> States { get; }

    internal CompiledState Start { get; }

    /// <summary>Runs the scope from StartAt to a terminal state and returns the last output.</summary>
    internal async ValueTask<JsonNode?> RunAsync(JsonNode? input, Frame frame)
    {
        var state = Start;
        var run = frame.Run;
        var recording = frame.Recording; // no event objects at all when history is off
        while (true)
        {
            frame.Token.ThrowIfCancellationRequested();
            run.CountTransition();
            frame.StateName = state.Name;
            frame.StateEnteredTime = frame.Now;
            frame.RetryCount = 0;
            if (recording)
            {
                frame.Record(new HistoryEvent(state.EnteredEvent, frame.StateEnteredTime) { StateName = state.Name, InputNode = input });
            }

            StateOutcome outcome;
            try
            {
                outcome = await state.ExecuteAsync(frame, input).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (state.AbortedEvent is { } aborted && !run.Token.IsCancellationRequested)
            {
                // A failing Parallel branch or Map iteration stopped this thread (not the execution's own stop or time-out).
                frame.Record(new HistoryEvent(aborted, frame.Now) { StateName = state.Name });
                throw;
            }

            if (recording && state.ExitedEvent is { } exited)
            {
                frame.Record(new HistoryEvent(exited, frame.Now) { StateName = state.Name, OutputNode = outcome.Output });
            }

            if (outcome.Next is null)
            {
                return outcome.Output;
            }

            input = outcome.Output;
            state = outcome.Next;
        }
    }
}

internal readonly struct StateOutcome(JsonNode? output, CompiledState? next)
{
    internal JsonNode? Output { get; } = output;

    /// <summary>The next state, or null when the scope ends.</summary>
    internal CompiledState? Next { get; } = next;
}

internal abstract class CompiledState
{
    protected CompiledState(string name, JsonObject definition, HistoryEventType entered, HistoryEventType? exited, HistoryEventType? aborted = null)
    {
        Name = name;
        EnteredEvent = entered;
        ExitedEvent = exited;
        AbortedEvent = aborted;
        InputPath = PathSpec.From(definition, "InputPath");
        OutputPath = PathSpec.From(definition, "OutputPath");
        NextName = definition.TryGetPropertyValue("Next", out var next) ? next!.GetValue<string>() : null;
    }

    internal string Name { get; }

    internal HistoryEventType EnteredEvent { get; }

    internal HistoryEventType? ExitedEvent { get; }

    /// <summary>The event recorded when a sibling's failure stops this state while it runs (states that can take time).</summary>
    internal HistoryEventType? AbortedEvent { get; }

    internal PathSpec InputPath { get; }

    internal PathSpec OutputPath { get; }

    internal string? NextName { get; }

    internal CompiledState? Next { get; private set; }

    internal virtual void Link(Dictionary<string, CompiledState> scope)
    {
        if (NextName is not null)
        {
            Next = scope[NextName];
        }
    }

    internal abstract ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input);
}

internal sealed class PassState : CompiledState
{
    private readonly JsonNode? _result;
    private readonly bool _hasResult;
    private readonly PayloadTemplate? _parameters;
    private readonly ResultPathSpec _resultPath;

    internal PassState(string name, JsonObject definition)
        : base(name, definition, HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited)
    {
        _hasResult = definition.TryGetPropertyValue("Result", out var result);
        _result = result?.DeepClone();
        _parameters = definition.TryGetPropertyValue("Parameters", out var p) ? PayloadTemplate.Compile(p) : null;
        _resultPath = ResultPathSpec.From(definition);
    }

    internal override ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input)
    {
        var effective = InputPath.Apply(input, frame);
        var result = _hasResult ? AslJson.Clone(_result) : _parameters is not null ? _parameters.Evaluate(effective, frame) : effective;
        var output = OutputPath.Apply(_resultPath.Apply(input, result), frame);
        return new ValueTask<StateOutcome>(new StateOutcome(output, Next));
    }
}

internal sealed class ChoiceState : CompiledState
{
    private readonly (ChoiceRule Rule, string Next)[] _rules;
    private readonly string? _defaultName;
    private CompiledState?[] _targets = [];
    private CompiledState? _default;

    internal ChoiceState(string name, JsonObject definition)
        : base(name, definition, HistoryEventType.ChoiceStateEntered, HistoryEventType.ChoiceStateExited)
    {
        _rules = [.. definition["Choices"]!.AsArray().Select(c => (ChoiceRule.Compile(c!.AsObject()), c!["Next"]!.GetValue<string>()))];
        _defaultName = definition.TryGetPropertyValue("Default", out var d) ? d!.GetValue<string>() : null;
    }

    internal override void Link(Dictionary<string, CompiledState> scope)
    {
        base.Link(scope);
        _targets = [.. _rules.Select(r => scope[r.Next])];
        _default = _defaultName is null ? null : scope[_defaultName];
    }

    internal override ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input)
    {
        var effective = InputPath.Apply(input, frame);
        CompiledState? next = null;
        for (var i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Rule.Evaluate(effective, frame))
            {
                next = _targets[i];
                break;
            }
        }

        next ??= _default ?? throw new StatesError(StatesErrorNames.NoChoiceMatched,
            $"No Choice Rule matched the input of Choice state '{Name}' and it has no Default: {AslJson.ToJson(effective)}");
        return new ValueTask<StateOutcome>(new StateOutcome(OutputPath.Apply(effective, frame), next));
    }
}

internal sealed class WaitState : CompiledState
{
    private readonly long? _seconds;
    private readonly DateTimeOffset? _timestamp;
    private readonly JsonPath? _secondsPath;
    private readonly JsonPath? _timestampPath;

    internal WaitState(string name, JsonObject definition)
        : base(name, definition, HistoryEventType.WaitStateEntered, HistoryEventType.WaitStateExited, HistoryEventType.WaitStateAborted)
    {
        if (definition.TryGetPropertyValue("Seconds", out var seconds) && AslJson.TryGetInteger(seconds, out var s))
        {
            _seconds = s;
        }

        if (definition.TryGetPropertyValue("Timestamp", out var timestamp) && AslTimestamp.TryParse(timestamp!.GetValue<string>(), out var t))
        {
            _timestamp = t;
        }

        if (definition.TryGetPropertyValue("SecondsPath", out var sp))
        {
            _secondsPath = JsonPath.Parse(sp!.GetValue<string>());
        }

        if (definition.TryGetPropertyValue("TimestampPath", out var tp))
        {
            _timestampPath = JsonPath.Parse(tp!.GetValue<string>());
        }
    }

    internal override async ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input)
    {
        var effective = InputPath.Apply(input, frame);
        var now = frame.Now;
        DateTimeOffset until;
        if (_seconds is { } seconds)
        {
            until = now.AddSeconds(seconds);
        }
        else if (_timestamp is { } timestamp)
        {
            until = timestamp;
        }
        else if (_secondsPath is not null)
        {
            if (!_secondsPath.TrySelect(effective, frame, out var value) || !AslJson.TryGetInteger(value, out var s) || s < 0)
            {
                throw new StatesError(StatesErrorNames.Runtime, $"The SecondsPath parameter '{_secondsPath.Text}' does not reference a non-negative integer in the input: {AslJson.ToJson(effective)}");
            }

            until = now.AddSeconds(s);
        }
        else
        {
            if (!_timestampPath!.TrySelect(effective, frame, out var value) || !AslJson.IsString(value, out var text) || !AslTimestamp.TryParse(text, out until))
            {
                throw new StatesError(StatesErrorNames.Runtime, $"The TimestampPath parameter '{_timestampPath.Text}' does not reference a valid ISO-8601 timestamp in the input: {AslJson.ToJson(effective)}");
            }
        }

        if (until > now)
        {
            await Clock.DelayAsync(frame.Run.Time, until - now, frame.Token).ConfigureAwait(false);
        }

        return new StateOutcome(OutputPath.Apply(effective, frame), Next);
    }
}

internal sealed class SucceedState(string name, JsonObject definition)
    : CompiledState(name, definition, HistoryEventType.SucceedStateEntered, HistoryEventType.SucceedStateExited)
{
    internal override ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input) =>
        new(new StateOutcome(OutputPath.Apply(InputPath.Apply(input, frame), frame), null));
}

internal sealed class FailState : CompiledState
{
    private readonly string? _error;
    private readonly string? _cause;
    private readonly PayloadTemplate? _errorPath;
    private readonly PayloadTemplate? _causePath;

    internal FailState(string name, JsonObject definition)
        : base(name, definition, HistoryEventType.FailStateEntered, null)
    {
        _error = definition.TryGetPropertyValue("Error", out var e) ? e!.GetValue<string>() : null;
        _cause = definition.TryGetPropertyValue("Cause", out var c) ? c!.GetValue<string>() : null;
        _errorPath = definition.TryGetPropertyValue("ErrorPath", out var ep) ? PayloadTemplate.Compile(new JsonObject { ["ErrorPath.$"] = ep!.DeepClone() }) : null;
        _causePath = definition.TryGetPropertyValue("CausePath", out var cp) ? PayloadTemplate.Compile(new JsonObject { ["CausePath.$"] = cp!.DeepClone() }) : null;
    }

    internal override ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input)
    {
        var error = _error ?? Resolve(_errorPath, "ErrorPath", input, frame);
        var cause = _cause ?? Resolve(_causePath, "CausePath", input, frame);
        throw new StatesError(error ?? "", cause, fromFailState: true);
    }

    private static string? Resolve(PayloadTemplate? template, string field, JsonNode? input, Frame frame)
    {
        if (template is null)
        {
            return null;
        }

        var value = template.Evaluate(input, frame)![field];
        if (!AslJson.IsString(value, out var text))
        {
            throw new StatesError(StatesErrorNames.Runtime, $"The {field} of Fail state '{frame.StateName}' must select a string; found {AslJson.ToJson(value)}.");
        }

        return text;
    }
}

internal enum JitterStrategy
{
    None,
    Full,
}

internal sealed class Retrier
{
    internal Retrier(JsonObject definition)
    {
        ErrorEquals = [.. definition["ErrorEquals"]!.AsArray().Select(e => e!.GetValue<string>())];
        IntervalSeconds = definition.TryGetPropertyValue("IntervalSeconds", out var i) && AslJson.TryGetInteger(i, out var iv) ? iv : 1;
        MaxAttempts = definition.TryGetPropertyValue("MaxAttempts", out var m) && AslJson.TryGetInteger(m, out var mv) ? mv : 3;
        BackoffRate = definition.TryGetPropertyValue("BackoffRate", out var b) && AslJson.TryGetNumber(b, out var bv) ? bv : 2.0;
        MaxDelaySeconds = definition.TryGetPropertyValue("MaxDelaySeconds", out var d) && AslJson.TryGetInteger(d, out var dv) ? dv : null;
        Jitter = definition.TryGetPropertyValue("JitterStrategy", out var j) && j!.GetValue<string>() == "FULL" ? JitterStrategy.Full : JitterStrategy.None;
    }

    internal string[] ErrorEquals { get; }

    internal long IntervalSeconds { get; }

    internal long MaxAttempts { get; }

    internal double BackoffRate { get; }

    internal long? MaxDelaySeconds { get; }

    internal JitterStrategy Jitter { get; }

    /// <summary>The wait before retry number <paramref name="attempt"/> (0-based) of this retrier.</summary>
    internal TimeSpan Delay(long attempt, Func<double> random)
    {
        var seconds = IntervalSeconds * Math.Pow(BackoffRate, attempt);
        if (MaxDelaySeconds is { } max && seconds > max)
        {
            seconds = max;
        }

        if (Jitter == JitterStrategy.Full)
        {
            seconds *= random();
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, AslValidator.MaxSeconds));
    }
}

internal sealed class Catcher
{
    internal Catcher(JsonObject definition)
    {
        ErrorEquals = [.. definition["ErrorEquals"]!.AsArray().Select(e => e!.GetValue<string>())];
        NextName = definition["Next"]!.GetValue<string>();
        ResultPath = ResultPathSpec.From(definition);
    }

    internal string[] ErrorEquals { get; }

    internal string NextName { get; }

    internal CompiledState? Next { get; set; }

    internal ResultPathSpec ResultPath { get; }
}

/// <summary>Task, Parallel and Map: states with ResultSelector, ResultPath, Retry and Catch.</summary>
internal abstract class ExecutionState : CompiledState
{
    protected ExecutionState(string name, JsonObject definition, HistoryEventType entered, HistoryEventType exited, HistoryEventType aborted)
        : base(name, definition, entered, exited, aborted)
    {
        ResultSelector = definition.TryGetPropertyValue("ResultSelector", out var rs) ? PayloadTemplate.Compile(rs) : null;
        ResultPath = ResultPathSpec.From(definition);
        Retriers = definition.TryGetPropertyValue("Retry", out var retry) ? [.. retry!.AsArray().Select(r => new Retrier(r!.AsObject()))] : [];
        Catchers = definition.TryGetPropertyValue("Catch", out var c) ? [.. c!.AsArray().Select(x => new Catcher(x!.AsObject()))] : [];
    }

    internal PayloadTemplate? ResultSelector { get; }

    internal ResultPathSpec ResultPath { get; }

    internal Retrier[] Retriers { get; }

    internal Catcher[] Catchers { get; }

    internal override void Link(Dictionary<string, CompiledState> scope)
    {
        base.Link(scope);
        foreach (var catcher in Catchers)
        {
            catcher.Next = scope[catcher.NextName];
        }
    }

    /// <summary>Runs one attempt on the effective input (after InputPath) and returns the raw result.</summary>
    protected abstract ValueTask<JsonNode?> RunAttemptAsync(Frame frame, JsonNode? effectiveInput);

    internal override async ValueTask<StateOutcome> ExecuteAsync(Frame frame, JsonNode? input)
    {
        var effective = InputPath.Apply(input, frame);
        long[]? retriesPerRetrier = null;
        var retries = 0;
        while (true)
        {
            frame.RetryCount = retries;
            try
            {
                var result = await RunAttemptAsync(frame, effective).ConfigureAwait(false);
                if (ResultSelector is not null)
                {
                    result = ResultSelector.Evaluate(result, frame);
                }

                return new StateOutcome(OutputPath.Apply(ResultPath.Apply(input, result), frame), Next);
            }
            catch (StatesError error) when (!error.IsTerminal)
            {
                var retrierIndex = Array.FindIndex(Retriers, r => Matches(r.ErrorEquals, error.Error));
                if (retrierIndex >= 0)
                {
                    retriesPerRetrier ??= new long[Retriers.Length];
                    var retrier = Retriers[retrierIndex];
                    if (retriesPerRetrier[retrierIndex] < retrier.MaxAttempts)
                    {
                        var delay = retrier.Delay(retriesPerRetrier[retrierIndex], frame.NextDouble);
                        retriesPerRetrier[retrierIndex]++;
                        retries++;
                        if (delay > TimeSpan.Zero)
                        {
                            await Clock.DelayAsync(frame.Run.Time, delay, frame.Token).ConfigureAwait(false);
                        }

                        continue;
                    }
                }

                var catcher = Array.Find(Catchers, c => Matches(c.ErrorEquals, error.Error));
                if (catcher is null)
                {
                    throw;
                }

                // The error output always names the error; Cause is present when the error has one.
                var errorOutput = new JsonObject { ["Error"] = error.Error };
                if (error.Cause is not null)
                {
                    errorOutput["Cause"] = error.Cause;
                }

                return new StateOutcome(catcher.ResultPath.Apply(input, errorOutput), catcher.Next);
            }
        }
    }

    internal static bool Matches(string[] errorEquals, string error)
    {
        foreach (var name in errorEquals)
        {
            if (name == error || name == StatesErrorNames.All)
            {
                return true;
            }

            // States.TaskFailed matches every error except time-outs; States.Timeout also matches heartbeat time-outs.
            if (name == StatesErrorNames.TaskFailed && error is not (StatesErrorNames.Timeout or StatesErrorNames.HeartbeatTimeout))
            {
                return true;
            }

            if (name == StatesErrorNames.Timeout && error == StatesErrorNames.HeartbeatTimeout)
            {
                return true;
            }
        }

        return false;
    }
}
