using Lamina.Configuration;
using Lamina.Resources;
using Lamina.Synthesis;
using Lamina.Values;

namespace Lamina;

/// <summary>Options of a <see cref="Stack"/>.</summary>
public sealed record StackProps
{
    /// <summary>The program's <c>description</c>. Default: none.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// The unit of deployment: everything below a stack is synthesized into one Pulumi YAML program, which
/// <c>pulumi up</c> deploys as one Pulumi stack.
/// </summary>
/// <example>
/// <code>
/// var stack = new Stack(app, "shop", new() { Description = "Order service" });
/// stack.AddOutput("apiUrl", api.Url);
/// Console.Write(stack.Synth().Yaml);
/// </code>
/// </example>
public class Stack : Construct
{
    private readonly SortedDictionary<string, IInput> _outputs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, StackVariable> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _singletons = new(StringComparer.Ordinal);
    private bool _prepared;

    /// <summary>Creates a stack in <paramref name="app"/>.</summary>
    public Stack(App app, string id, StackProps? props = null) : base(app, id)
    {
        Props = props ?? new StackProps();
        Config = new StackConfig(this);
    }

    /// <summary>The stack's options.</summary>
    public StackProps Props { get; }

    /// <summary>The stack's configuration (PULUMI_CONFIG or <c>stacks/Pulumi.&lt;stack&gt;.yaml</c>).</summary>
    public StackConfig Config { get; }

    /// <summary>The stack outputs, by name.</summary>
    public IReadOnlyDictionary<string, IInput> Outputs => _outputs;

    /// <summary>The program variables, by name.</summary>
    public IReadOnlyDictionary<string, StackVariable> Variables => _variables;

    /// <summary>Adds a stack output (<c>outputs:</c>), shown by <c>pulumi stack output</c>.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public void AddOutput(string name, IInput value)
    {
        if (!_outputs.TryAdd(name, value))
        {
            throw new ArgumentException($"{Path}: there is already a stack output named '{name}'.", nameof(name));
        }
    }

    /// <summary>
    /// Adds (once) a program variable (<c>variables:</c>) and returns a reference to it, for values computed by Pulumi
    /// once and used in many places (for example an <c>fn::invoke</c> of the caller's identity).
    /// </summary>
    public Output<T> Variable<T>(string name, Func<Expr> value, string? property = null)
    {
        if (!_variables.TryGetValue(name, out var v))
        {
            v = new StackVariable(name, value());
            _variables[name] = v;
        }
        return new Output<T>(new RefExpr(v, property));
    }

    /// <summary>Gets or creates one object per stack and key (for example the stack's AWS provider).</summary>
    public T Singleton<T>(string key, Func<T> create) where T : class
    {
        if (!_singletons.TryGetValue(key, out var o))
        {
            o = create();
            _singletons[key] = o;
        }
        return (T)o;
    }

    /// <summary>The resources of this stack, in tree order.</summary>
    public IEnumerable<Resource> Resources => DescendantsAndSelf().OfType<Resource>();

    /// <summary>Runs aspects, <see cref="Construct.Prepare"/> and <see cref="Construct.Validate"/> once.</summary>
    internal void PrepareOnce()
    {
        if (_prepared)
        {
            return;
        }
        _prepared = true;
        ApplyAspects(this);
        // Prepare may add constructs; iterate over a snapshot of the tree until no new ones appear. A construct
        // belongs to one stack, so a flag on it marks it prepared (no set of every construct).
        var snapshot = new List<Construct>();
        bool more;
        do
        {
            more = false;
            Snapshot(snapshot);
            foreach (var c in snapshot)
            {
                if (!c.PrepareDone)
                {
                    c.PrepareDone = true;
                    c.Prepare();
                    more = true;
                }
            }
        }
        while (more);
        Snapshot(snapshot);
        foreach (var c in snapshot)
        {
            c.Validate();
        }
    }

    // The constructs of this stack in the order of DescendantsAndSelf (depth first, parents before children).
    private void Snapshot(List<Construct> into)
    {
        into.Clear();
        var pending = new Stack<Construct>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var c = pending.Pop();
            into.Add(c);
            for (var i = c.ChildCount - 1; i >= 0; i--)
            {
                pending.Push(c.ChildAt(i));
            }
        }
    }

    /// <summary>Appends the resources of this stack, in tree order (as <see cref="Resources"/>), to <paramref name="into"/>.</summary>
    internal void CollectResources(List<Resource> into)
    {
        var pending = new Stack<Construct>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var c = pending.Pop();
            if (c is Resource r)
            {
                into.Add(r);
            }
            for (var i = c.ChildCount - 1; i >= 0; i--)
            {
                pending.Push(c.ChildAt(i));
            }
        }
    }

    /// <summary>
    /// Synthesizes this stack: validates everything (reporting every error at once, with construct paths) and
    /// builds the Pulumi YAML program.
    /// </summary>
    /// <exception cref="SynthesisException">The program has errors; nothing should be written.</exception>
    public SynthesisResult Synth() => Synthesizer.Synthesize(this);
}

/// <summary>A program variable (<c>variables:</c>).</summary>
/// <param name="Name">The variable's name.</param>
/// <param name="Value">Its value.</param>
public sealed record StackVariable(string Name, Expr Value) : IReferenceTarget
{
    /// <inheritdoc />
    public string ReferenceName => Name;

    /// <inheritdoc />
    public Construct? Owner => null;
}
