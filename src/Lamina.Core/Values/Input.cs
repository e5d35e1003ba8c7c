using System.Diagnostics.CodeAnalysis;
using System.Collections;
using System.Runtime.CompilerServices;

namespace Lamina.Values;

/// <summary>Anything that can become a value of the synthesized program.</summary>
public interface IInput
{
    /// <summary>The value as a program node.</summary>
    Expr ToExpr();
}

/// <summary>
/// A property value: a plain .NET value, or an <see cref="Output{T}"/> of another resource, or a value built from
/// outputs (<see cref="Output.Format"/>, <see cref="Output.Json"/>), or a secret.
/// </summary>
/// <typeparam name="T">The property's type: <see cref="string"/>, <see cref="double"/>, <see cref="bool"/>, an args type, <see cref="Archive"/> or <see cref="object"/>.</typeparam>
public sealed class Input<T> : IInput
{
    private readonly Expr _expr;

    /// <summary>Wraps a program node (an escape hatch: the node is not type-checked).</summary>
    public Input(Expr expr) => _expr = expr ?? Expr.Null;

    /// <inheritdoc />
    public Expr ToExpr() => _expr;

    /// <summary>A plain value (null stays null: the property is not set).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator Input<T>?(T? value) => value is null ? null : new(value is IInput i ? i.ToExpr() : Expr.From(value));

    /// <summary>An output of another resource (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(output))]
    public static implicit operator Input<T>?(Output<T>? output) => output is null ? null : new(output.ToExpr());

    /// <summary>Refuses to give text: an input may hold a reference, which only Pulumi resolves.</summary>
    public override string ToString() => _expr is LiteralExpr l ? l.ToString() : ReferenceText.Token(_expr);
}

/// <summary>
/// A list property. Collection expressions and initializers work: <c>Architectures = ["arm64"]</c>.
/// It may also hold one output that is itself a list.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[CollectionBuilder(typeof(InputList), nameof(InputList.Create))]
public sealed class InputList<T> : IInput, IEnumerable<Input<T>>
{
    private readonly List<Input<T>> _items = new();
    private readonly Expr? _whole;

    /// <summary>An empty list.</summary>
    public InputList()
    {
    }

    /// <summary>A list given as one output (an output whose value is a list).</summary>
    public InputList(Output<IReadOnlyList<T>> whole) => _whole = whole.ToExpr();

    /// <summary>Adds an item.</summary>
    public void Add(Input<T> item)
    {
        if (_whole is not null)
        {
            throw new InvalidOperationException("This list is given as a whole output; items cannot be added.");
        }
        _items.Add(item);
    }

    /// <summary>The number of items added.</summary>
    public int Count => _items.Count;

    /// <summary>A list from plain values (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator InputList<T>?(T[]? values)
    {
        if (values is null)
        {
            return null;
        }
        var l = new InputList<T>();
        foreach (var v in values)
        {
            l.Add(v is IInput i ? new Input<T>(i.ToExpr()) : new Input<T>(Expr.From(v)));
        }
        return l;
    }

    /// <summary>A list from plain values (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator InputList<T>?(List<T>? values) => values?.ToArray();

    /// <summary>A list given as one output.</summary>
    public static implicit operator InputList<T>(Output<IReadOnlyList<T>> whole) => new(whole);

    /// <inheritdoc />
    public Expr ToExpr() => _whole ?? new ListExpr(_items.Select(i => i.ToExpr()));

    /// <inheritdoc />
    public IEnumerator<Input<T>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Builds <see cref="InputList{T}"/> from collection expressions.</summary>
public static class InputList
{
    /// <summary>Creates a list from items.</summary>
    public static InputList<T> Create<T>(ReadOnlySpan<Input<T>> items)
    {
        var l = new InputList<T>();
        foreach (var i in items)
        {
            l.Add(i);
        }
        return l;
    }
}

/// <summary>
/// A map property with string keys, written with keys in ordinal order so output is deterministic.
/// Initializers work: <c>Tags = new() { ["team"] = "payments" }</c>.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class InputMap<T> : IInput, IEnumerable<KeyValuePair<string, Input<T>>>
{
    private readonly SortedDictionary<string, Input<T>> _items = new(StringComparer.Ordinal);

    /// <summary>Adds an entry.</summary>
    public void Add(string key, Input<T> value) => _items.Add(key, value);

    /// <summary>Gets or sets an entry.</summary>
    public Input<T> this[string key]
    {
        get => _items[key];
        set => _items[key] = value;
    }

    /// <summary>Whether <paramref name="key"/> is set.</summary>
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <summary>Removes an entry.</summary>
    public bool Remove(string key) => _items.Remove(key);

    /// <summary>The number of entries.</summary>
    public int Count => _items.Count;

    /// <summary>The keys, in ordinal order.</summary>
    public IEnumerable<string> Keys => _items.Keys;

    /// <summary>A map from plain values (null stays null).</summary>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator InputMap<T>?(Dictionary<string, T>? values)
    {
        if (values is null)
        {
            return null;
        }
        var m = new InputMap<T>();
        foreach (var (k, v) in values)
        {
            m[k] = v is IInput i ? new Input<T>(i.ToExpr()) : new Input<T>(Expr.From(v));
        }
        return m;
    }

    /// <inheritdoc />
    public Expr ToExpr() => new ObjectExpr(_items.Select(kv => new KeyValuePair<string, Expr>(kv.Key, kv.Value.ToExpr())));

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Input<T>>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>An archive (a zip or a folder) for properties such as a Lambda function's <c>code</c>.</summary>
public sealed class Archive : IInput
{
    private readonly Expr _expr;

    private Archive(Expr expr) => _expr = expr;

    /// <summary>A zip or jar file, or a folder, on disk (<c>fn::fileArchive</c>). The path is written as given; use paths relative to the project root for portable programs.</summary>
    public static Archive File(string path) => new(new CallExpr("fn::fileArchive", Expr.Of(path)));

    /// <summary>A remote archive (<c>fn::remoteArchive</c>).</summary>
    public static Archive Remote(string uri) => new(new CallExpr("fn::remoteArchive", Expr.Of(uri)));

    /// <inheritdoc />
    public Expr ToExpr() => _expr;
}
