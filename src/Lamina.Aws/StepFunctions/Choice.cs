using System.Globalization;

namespace Lamina.Aws.StepFunctions;

/// <summary>A Choice rule condition (typed builders for the States Language comparison operators).</summary>
public sealed class Condition
{
    private readonly Dictionary<string, object?> _rule;

    private Condition(Dictionary<string, object?> rule) => _rule = rule;

    internal Dictionary<string, object?> ToDocument() => new(_rule);

    private static Condition Leaf(string variable, string op, object? value) => new(new() { ["Variable"] = variable, [op] = value });

    /// <summary>BooleanEquals.</summary>
    public static Condition BooleanEquals(string variable, bool value) => Leaf(variable, "BooleanEquals", value);
    /// <summary>BooleanEqualsPath.</summary>
    public static Condition BooleanEqualsPath(string variable, string path) => Leaf(variable, "BooleanEqualsPath", path);
    /// <summary>StringEquals.</summary>
    public static Condition StringEquals(string variable, string value) => Leaf(variable, "StringEquals", value);
    /// <summary>StringEqualsPath.</summary>
    public static Condition StringEqualsPath(string variable, string path) => Leaf(variable, "StringEqualsPath", path);
    /// <summary>StringLessThan.</summary>
    public static Condition StringLessThan(string variable, string value) => Leaf(variable, "StringLessThan", value);
    /// <summary>StringGreaterThan.</summary>
    public static Condition StringGreaterThan(string variable, string value) => Leaf(variable, "StringGreaterThan", value);
    /// <summary>StringMatches (with <c>*</c> wildcards).</summary>
    public static Condition StringMatches(string variable, string pattern) => Leaf(variable, "StringMatches", pattern);
    /// <summary>NumericEquals.</summary>
    public static Condition NumericEquals(string variable, double value) => Leaf(variable, "NumericEquals", value);
    /// <summary>NumericEqualsPath.</summary>
    public static Condition NumericEqualsPath(string variable, string path) => Leaf(variable, "NumericEqualsPath", path);
    /// <summary>NumericLessThan.</summary>
    public static Condition NumericLessThan(string variable, double value) => Leaf(variable, "NumericLessThan", value);
    /// <summary>NumericLessThanEquals.</summary>
    public static Condition NumericLessThanEquals(string variable, double value) => Leaf(variable, "NumericLessThanEquals", value);
    /// <summary>NumericGreaterThan.</summary>
    public static Condition NumericGreaterThan(string variable, double value) => Leaf(variable, "NumericGreaterThan", value);
    /// <summary>NumericGreaterThanEquals.</summary>
    public static Condition NumericGreaterThanEquals(string variable, double value) => Leaf(variable, "NumericGreaterThanEquals", value);
    /// <summary>TimestampLessThan.</summary>
    public static Condition TimestampLessThan(string variable, DateTimeOffset value) => Leaf(variable, "TimestampLessThan", value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    /// <summary>TimestampGreaterThan.</summary>
    public static Condition TimestampGreaterThan(string variable, DateTimeOffset value) => Leaf(variable, "TimestampGreaterThan", value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    /// <summary>IsPresent.</summary>
    public static Condition IsPresent(string variable, bool present = true) => Leaf(variable, "IsPresent", present);
    /// <summary>IsNull.</summary>
    public static Condition IsNull(string variable, bool isNull = true) => Leaf(variable, "IsNull", isNull);
    /// <summary>IsNumeric.</summary>
    public static Condition IsNumeric(string variable, bool numeric = true) => Leaf(variable, "IsNumeric", numeric);
    /// <summary>IsString.</summary>
    public static Condition IsString(string variable, bool isString = true) => Leaf(variable, "IsString", isString);
    /// <summary>IsBoolean.</summary>
    public static Condition IsBoolean(string variable, bool isBoolean = true) => Leaf(variable, "IsBoolean", isBoolean);
    /// <summary>IsTimestamp.</summary>
    public static Condition IsTimestamp(string variable, bool isTimestamp = true) => Leaf(variable, "IsTimestamp", isTimestamp);
    /// <summary>All of the conditions (And).</summary>
    public static Condition And(params Condition[] conditions) => new(new() { ["And"] = conditions.Select(c => (object?)c.ToDocument()).ToArray() });
    /// <summary>Any of the conditions (Or).</summary>
    public static Condition Or(params Condition[] conditions) => new(new() { ["Or"] = conditions.Select(c => (object?)c.ToDocument()).ToArray() });
    /// <summary>The negation (Not).</summary>
    public static Condition Not(Condition condition) => new(new() { ["Not"] = condition.ToDocument() });
}

/// <summary>Branches on conditions: the first matching rule's chain runs, else <see cref="Otherwise"/>.</summary>
/// <example>
/// <code>
/// var choice = new Choice("Valid?")
///     .When(Condition.BooleanEquals("$.valid", true), charge)
///     .Otherwise(Fail.Because("InvalidOrder"));
/// </code>
/// </example>
public sealed class Choice(string name) : State(name), IChainable
{
    private readonly List<(Condition Condition, IChainable Next)> _rules = new();
    private IChainable? _default;

    /// <inheritdoc />
    public override string Type => "Choice";

    internal override bool IsTerminal => true;

    /// <summary>Adds a rule.</summary>
    public Choice When(Condition condition, IChainable next)
    {
        _rules.Add((condition, next));
        return this;
    }

    /// <summary>Sets the default branch.</summary>
    public Choice Otherwise(IChainable next)
    {
        _default = next;
        return this;
    }

    /// <summary>A Choice continues through the open ends of its branches.</summary>
    IReadOnlyList<State> IChainable.EndStates => _rules.SelectMany(r => r.Next.EndStates).Concat(_default?.EndStates ?? []).Distinct().ToList();

    internal override IEnumerable<State> Successors() => _rules.Select(r => r.Next.StartState).Concat(_default is null ? [] : [_default.StartState]);

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        d["Choices"] = _rules.Select(r =>
        {
            var rule = r.Condition.ToDocument();
            rule["Next"] = r.Next.StartState.Name;
            return (object?)rule;
        }).ToArray();
        if (_default is not null)
        {
            d["Default"] = _default.StartState.Name;
        }
    }
}

/// <summary>Runs branches in parallel; the output is the array of branch outputs.</summary>
public sealed class Parallel(string name) : RetryableState(name)
{
    private readonly List<IChainable> _branches = new();

    /// <inheritdoc />
    public override string Type => "Parallel";

    /// <summary>The branches.</summary>
    public IReadOnlyList<IChainable> Branches => _branches;

    /// <summary>Adds a branch.</summary>
    public Parallel Branch(IChainable branch)
    {
        _branches.Add(branch);
        return this;
    }

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        d["Branches"] = _branches.Select(b => (object?)StateGraph.Render(b, ctx, null, null)).ToArray();
        RenderTransition(d);
    }
}

/// <summary>Runs a chain for each item of an array.</summary>
public sealed class Map(string name) : RetryableState(name)
{
    private IChainable? _processor;

    /// <inheritdoc />
    public override string Type => "Map";

    /// <summary>Where the items are (<c>ItemsPath</c>). Default: <c>$</c>.</summary>
    public string? ItemsPath { get; init; }

    /// <summary>How many items run at once (<c>MaxConcurrency</c>); 0 means no limit. Default: 0.</summary>
    public int MaxConcurrency { get; init; }

    /// <summary>Reshapes each item (<c>ItemSelector</c>). Default: none.</summary>
    public IReadOnlyDictionary<string, object?>? ItemSelector { get; init; }

    /// <summary>Sets the chain run for each item.</summary>
    public Map ItemProcessor(IChainable processor)
    {
        _processor = processor;
        return this;
    }

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        base.Render(d, ctx);
        if (ItemsPath is not null) d["ItemsPath"] = ItemsPath;
        if (MaxConcurrency > 0) d["MaxConcurrency"] = MaxConcurrency;
        if (ItemSelector is not null) d["ItemSelector"] = ItemSelector;
        if (_processor is not null)
        {
            d["ItemProcessor"] = StateGraph.Render(_processor, ctx, new Dictionary<string, object?> { ["Mode"] = "INLINE" }, null);
        }
        RenderTransition(d);
    }
}

/// <summary>Walks a chain's states and renders a States object.</summary>
internal static class StateGraph
{
    public static Dictionary<string, object?> Render(IChainable start, AslRenderContext ctx, Dictionary<string, object?>? processorConfig, Dictionary<string, object?>? extra)
    {
        var states = new Dictionary<string, object?>();
        var seen = new HashSet<State>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<State>();
        queue.Enqueue(start.StartState);
        seen.Add(start.StartState);
        var duplicates = new List<string>();
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            var d = new Dictionary<string, object?>();
            s.Render(d, ctx);
            if (states.ContainsKey(s.Name))
            {
                duplicates.Add(s.Name);
            }
            states[s.Name] = d;
            foreach (var n in s.Successors())
            {
                if (seen.Add(n))
                {
                    queue.Enqueue(n);
                }
            }
        }
        var result = new Dictionary<string, object?>();
        if (processorConfig is not null)
        {
            result["ProcessorConfig"] = processorConfig;
        }
        foreach (var (k, v) in extra ?? new())
        {
            result[k] = v;
        }
        result["StartAt"] = start.StartState.Name;
        result["States"] = states;
        if (duplicates.Count > 0)
        {
            result[DuplicateMarker] = duplicates;
        }
        return result;
    }

    /// <summary>A key (never written) marking state names used by two different states in one scope.</summary>
    public const string DuplicateMarker = "\u0000duplicates";
}
