namespace Lamina;

/// <summary>
/// A node of the construct tree. Every building block of a Lamina app (the <see cref="App"/>, each
/// <see cref="Stack"/>, every high-level construct and every resource) is a construct created as
/// <c>new X(scope, id, props)</c>.
/// </summary>
/// <example>
/// <code>
/// var app = new App();
/// var stack = new Stack(app, "shop");
/// var group = new Construct(stack, "Billing");   // a plain grouping node
/// </code>
/// </example>
public partial class Construct
{
    /// <summary>Ids: a letter, then letters, digits, '-' or '_'; at most <see cref="MaxIdLength"/> characters.</summary>
    public const int MaxIdLength = 64;

    /// <summary>
    /// The id a construct gives its main resource. It is left out of logical names, so a Function construct
    /// "PlaceOrder" names its <c>aws:lambda:Function</c> resource "PlaceOrder".
    /// </summary>
    public const string DefaultChildId = "Resource";


    // Most constructs (every resource) are leaves: the list is created with the first child, and the index by id
    // only once a construct has more than IndexThreshold children (a linear scan is cheaper below that).
    private const int IndexThreshold = 8;
    private List<Construct>? _children;
    private Dictionary<string, Construct>? _childrenById;
    private bool _removed;
    private bool _prepareDone;

    /// <summary>Creates the root of a tree (only <see cref="App"/> does this).</summary>
    private protected Construct(string id)
    {
        Id = id;
        _path = "";
    }

    /// <summary>Creates a construct as a child of <paramref name="scope"/>.</summary>
    /// <param name="scope">The parent construct.</param>
    /// <param name="id">Unique among the parent's children; a letter, then letters, digits, '-' or '_' (at most 64).</param>
    /// <exception cref="ArgumentException">The id is illegal or already used by a sibling.</exception>
    public Construct(Construct scope, string id)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!IsValidId(id))
        {
            var where = scope.Path.Length == 0 ? "the app" : scope.Path;
            throw new ArgumentException(
                $"{(scope.Path.Length == 0 ? id : scope.Path + "/" + id)}: invalid construct id '{id}' under {where}: " +
                $"an id starts with a letter, continues with letters, digits, '-' or '_', and has 1-{MaxIdLength} characters.",
                nameof(id));
        }
        if (scope.FindChild(id) is not null)
        {
            var where = scope.Path.Length == 0 ? "the app" : scope.Path;
            throw new ArgumentException(
                $"{(scope.Path.Length == 0 ? id : scope.Path + "/" + id)}: there is already a construct with id '{id}' under {where}; " +
                "ids must be unique among siblings.", nameof(id));
        }
        Scope = scope;
        Id = id;
        scope.AddChild(this);
    }

    private void AddChild(Construct child)
    {
        var children = _children ??= new List<Construct>(4);
        children.Add(child);
        if (_childrenById is not null)
        {
            _childrenById.Add(child.Id, child);
        }
        else if (children.Count > IndexThreshold)
        {
            _childrenById = new Dictionary<string, Construct>(children.Count * 2, StringComparer.Ordinal);
            foreach (var c in children)
            {
                _childrenById.Add(c.Id, c);
            }
        }
    }

    private Construct? FindChild(string id)
    {
        if (_childrenById is not null)
        {
            return _childrenById.GetValueOrDefault(id);
        }
        if (_children is not null)
        {
            foreach (var c in _children)
            {
                if (string.Equals(c.Id, id, StringComparison.Ordinal))
                {
                    return c;
                }
            }
        }
        return null;
    }

    /// <summary>The number of children (no allocation for leaves).</summary>
    internal int ChildCount => _children?.Count ?? 0;

    /// <summary>The child at <paramref name="index"/> (0 ≤ index &lt; <see cref="ChildCount"/>).</summary>
    internal Construct ChildAt(int index) => _children![index];

    /// <summary>Scratch slot for the synthesizer: a resource's position in the synthesis under way (checked before use).</summary>
    internal int SynthesisSlot;

    /// <summary>Set once <see cref="Prepare"/> ran on this construct (each construct belongs to one stack, prepared once).</summary>
    internal bool PrepareDone
    {
        get => _prepareDone;
        set => _prepareDone = value;
    }

    /// <summary>Whether <paramref name="id"/> is a legal construct id: a letter, then letters, digits, '-' or '_'; 1-64 characters.</summary>
    public static bool IsValidId(string? id)
    {
        if (id is null || id.Length == 0 || id.Length > MaxIdLength || !char.IsAsciiLetter(id[0]))
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The parent, or null for the app.</summary>
    public Construct? Scope { get; }

    /// <summary>This construct's id among its siblings.</summary>
    public string Id { get; }

    /// <summary>The ids from the app down to this construct, joined by '/': <c>shop/Api/GetOrder</c>.</summary>
    public string Path => _path ??= Scope!.Path.Length == 0 ? Id : Scope.Path + "/" + Id;

    // Built on first use: most resources' paths are only needed for messages.
    private string? _path;

    /// <summary>The children, in creation order.</summary>
    public IReadOnlyList<Construct> Children => (IReadOnlyList<Construct>?)_children ?? Array.Empty<Construct>();

    /// <summary>Finds a child by id.</summary>
    public Construct? TryFindChild(string id) => FindChild(id);

    /// <summary>
    /// Removes a child (an escape hatch, as in the CDK). References to resources below it become dangling
    /// and are reported at synthesis.
    /// </summary>
    public bool TryRemoveChild(string id)
    {
        var child = FindChild(id);
        if (child is null)
        {
            return false;
        }
        _childrenById?.Remove(id);
        _children!.Remove(child);
        foreach (var c in child.DescendantsAndSelf())
        {
            c._removed = true;
        }
        return true;
    }

    /// <summary>True while this construct is attached to its app's tree.</summary>
    public bool IsAttached => !_removed;

    /// <summary>The app at the root of the tree.</summary>
    public App App
    {
        get
        {
            var c = this;
            while (c.Scope is not null)
            {
                c = c.Scope;
            }
            return (App)c;
        }
    }

    /// <summary>The stack this construct belongs to.</summary>
    /// <exception cref="InvalidOperationException">The construct is not inside a stack.</exception>
    public Stack Stack
    {
        get
        {
            for (var c = this; c is not null; c = c.Scope)
            {
                if (c is Stack s)
                {
                    return s;
                }
            }
            throw new InvalidOperationException($"{Path}: this construct is not inside a Stack; create it under a Stack.");
        }
    }

    /// <summary>This construct and all constructs below it, depth first, parents before children.</summary>
    public IEnumerable<Construct> DescendantsAndSelf()
    {
        var stack = new Stack<Construct>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            yield return c;
            for (var i = c.ChildCount - 1; i >= 0; i--)
            {
                stack.Push(c._children![i]);
            }
        }
    }

    /// <summary>
    /// Records a validation error on this construct (the construct path and property are reported with it).
    /// Synthesis fails, listing every recorded error, and writes nothing.
    /// </summary>
    /// <param name="property">The property at fault, or null when the construct as a whole is.</param>
    /// <param name="message">What is wrong and what is allowed.</param>
    public void AddError(string? property, string message) => App.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, Path, property, message));

    /// <summary>Records a warning on this construct; synthesis goes on and prints it on stderr.</summary>
    public void AddWarning(string? property, string message) => App.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, Path, property, message));

    /// <summary>
    /// Called once on every construct, children after parents, after aspects ran and before synthesis.
    /// Override to create resources that depend on everything the user configured (for example one
    /// notification resource holding all of a bucket's triggers).
    /// </summary>
    protected internal virtual void Prepare()
    {
    }

    /// <summary>
    /// Called once on every construct before synthesis, after <see cref="Prepare"/>. Override to check
    /// combinations of settings; report problems with <see cref="AddError"/> / <see cref="AddWarning"/>.
    /// </summary>
    protected internal virtual void Validate()
    {
    }

    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? "<app>" : Path;
}
