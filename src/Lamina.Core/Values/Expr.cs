using System.Globalization;

namespace Lamina.Values;

/// <summary>
/// A node of the synthesized program's value model: what a property, an output or a variable holds.
/// Renders to Pulumi YAML: literals, lists, mappings, <c>${...}</c> interpolations and <c>fn::</c> calls.
/// </summary>
public abstract class Expr
{
    /// <summary>The YAML <c>null</c>.</summary>
    public static readonly Expr Null = new LiteralExpr(null);

    /// <summary>A string literal.</summary>
    public static Expr Of(string? value)
    {
        if (value is null)
        {
            return Null;
        }
        if (value.Length > SharedTextLength)
        {
            return new LiteralExpr(value);
        }
        // Literals are immutable: the same short text (a policy's "Allow", a protocol name) shares one node.
        ref var slot = ref SharedText[value.GetHashCode() & (SharedSlots - 1)];
        var cached = slot;
        if (cached is not null && string.Equals((string)cached.Value!, value, StringComparison.Ordinal))
        {
            return cached;
        }
        var created = new LiteralExpr(value);
        slot = created;
        return created;
    }

    /// <summary>A number literal.</summary>
    public static Expr Of(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        ref var slot = ref SharedNumbers[(int)((ulong)bits * 0x9E3779B97F4A7C15UL >> 58)];
        var cached = slot;
        if (cached is not null && BitConverter.DoubleToInt64Bits((double)cached.Value!) == bits)
        {
            return cached;
        }
        var created = new LiteralExpr(value);
        slot = created;
        return created;
    }

    // Small direct-mapped caches of literal nodes (a slot holds the last node of its hash; a miss just allocates).
    // They hold only strings and numbers, never anything of an app. Races are benign: nodes are immutable and every
    // hit is checked against the value.
    private const int SharedSlots = 64;
    private const int SharedTextLength = 64;
    private static readonly LiteralExpr?[] SharedText = new LiteralExpr?[SharedSlots];
    private static readonly LiteralExpr?[] SharedNumbers = new LiteralExpr?[SharedSlots];

    /// <summary>A boolean literal.</summary>
    public static Expr Of(bool value) => value ? True : False;

    // Literals are immutable, so the two booleans are shared instead of allocated (and boxed) per use.
    private static readonly Expr True = new LiteralExpr(true);
    private static readonly Expr False = new LiteralExpr(false);

    /// <summary>
    /// Converts a .NET value: null, strings, numbers, booleans, <see cref="Expr"/>, <see cref="IInput"/>,
    /// dictionaries with string keys (kept in their order) and sequences.
    /// </summary>
    /// <exception cref="ArgumentException">A value of another type.</exception>
    public static Expr From(object? value) => value switch
    {
        null => Null,
        Expr e => e,
        IInput i => i.ToExpr(),
        string s => Of(s),
        bool b => Of(b),
        int n => Of((double)n),
        long n => Of((double)n),
        double d => Of(d),
        float f => Of((double)f),
        decimal m => Of((double)m),
        IEnumerable<KeyValuePair<string, object?>> map => FromMap(map),
        IEnumerable<KeyValuePair<string, string>> smap => FromMap(smap),
        System.Collections.IEnumerable seq => FromSequence(seq),
        _ => throw new ArgumentException($"Cannot use a value of type {value.GetType().Name} in a Pulumi program; use strings, numbers, booleans, lists, dictionaries or Lamina values."),
    };

    // A mapping in its enumeration order, into an array of the right size when the count is known (no LINQ).
    private static ObjectExpr FromMap<TValue>(IEnumerable<KeyValuePair<string, TValue>> map)
    {
        if (map is Dictionary<string, TValue> dictionary)
        {
            var entries = new KeyValuePair<string, Expr>[dictionary.Count];
            var i = 0;
            foreach (var (k, v) in dictionary)
            {
                entries[i++] = new(k, From(v));
            }
            return new ObjectExpr(entries);
        }
        var list = map is IReadOnlyCollection<KeyValuePair<string, TValue>> c ? new List<KeyValuePair<string, Expr>>(c.Count) : new List<KeyValuePair<string, Expr>>();
        foreach (var (k, v) in map)
        {
            list.Add(new(k, From(v)));
        }
        return new ObjectExpr(list);
    }

    private static ListExpr FromSequence(System.Collections.IEnumerable seq)
    {
        if (seq is System.Collections.IList list)
        {
            var items = new Expr[list.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = From(list[i]);
            }
            return new ListExpr(items);
        }
        var result = new List<Expr>();
        foreach (var item in seq)
        {
            result.Add(From(item));
        }
        return new ListExpr(result);
    }

    /// <summary>Visits this node and every node below it (lazy nodes are produced).</summary>
    public abstract IEnumerable<Expr> Descendants();

    /// <summary>Whether a reference to a resource, config value or variable appears in this value.</summary>
    public bool ContainsReferences() => Descendants().Any(e => e is RefExpr);
}

/// <summary>A scalar: string, number, boolean or null.</summary>
public sealed class LiteralExpr(object? value) : Expr
{
    /// <summary>The value: <see cref="string"/>, <see cref="double"/>, <see cref="bool"/> or null.</summary>
    public object? Value { get; } = value;

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants() { yield return this; }

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Value.ToString()!,
    };
}

/// <summary>A list.</summary>
public sealed class ListExpr(IEnumerable<Expr> items) : Expr
{
    /// <summary>The items.</summary>
    public IReadOnlyList<Expr> Items { get; } = items as IReadOnlyList<Expr> ?? items.ToArray();

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants()
    {
        yield return this;
        foreach (var i in Items)
        {
            foreach (var d in i.Descendants())
            {
                yield return d;
            }
        }
    }
}

/// <summary>A mapping with string keys, written in the order given.</summary>
public sealed class ObjectExpr(IEnumerable<KeyValuePair<string, Expr>> entries) : Expr
{
    /// <summary>The entries, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, Expr>> Entries { get; } = entries as IReadOnlyList<KeyValuePair<string, Expr>> ?? entries.ToArray();

    /// <summary>The value under <paramref name="key"/>, or null.</summary>
    public Expr? this[string key]
    {
        get
        {
            foreach (var e in Entries)
            {
                if (e.Key == key)
                {
                    return e.Value;
                }
            }
            return null;
        }
    }

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants()
    {
        yield return this;
        foreach (var e in Entries)
        {
            foreach (var d in e.Value.Descendants())
            {
                yield return d;
            }
        }
    }
}

/// <summary>Something a <c>${...}</c> reference can name: a resource, a config key or a variable.</summary>
public interface IReferenceTarget
{
    /// <summary>The name used in the program (a resource's logical name, a config key, a variable name).</summary>
    string ReferenceName { get; }

    /// <summary>The construct that owns the target (for error messages and stack membership), or null for program-wide names.</summary>
    Construct? Owner { get; }
}

/// <summary>A reference <c>${target.path}</c> to an output of a resource, a config value or a variable.</summary>
public sealed class RefExpr(IReferenceTarget target, string? propertyPath) : Expr
{
    /// <summary>The resource, config key or variable referenced.</summary>
    public IReferenceTarget Target { get; } = target;

    /// <summary>The output property path (<c>arn</c>, <c>tags["x"]</c>, <c>items[0]</c>), or null for the target itself.</summary>
    public string? PropertyPath { get; } = propertyPath;

    /// <summary>The reference as written in Pulumi YAML, without <c>${}</c>.</summary>
    public string Render() => PropertyPath is null ? Target.ReferenceName : Target.ReferenceName + (PropertyPath.StartsWith('[') ? "" : ".") + PropertyPath;

    /// <summary>A readable description for messages: <c>shop/Bucket.arn</c>.</summary>
    public string Describe() => (Target.Owner?.Path ?? Target.ReferenceName) + (PropertyPath is null ? "" : "." + PropertyPath);

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants() { yield return this; }
}

/// <summary>A string made of literal text and references, written as one interpolated string.</summary>
public sealed class InterpolationExpr : Expr
{
    /// <summary>Creates an interpolation from parts (<see cref="string"/> or <see cref="Expr"/>); adjacent literals are merged.</summary>
    public InterpolationExpr(IEnumerable<object> parts)
    {
        var list = new List<object>();
        foreach (var p in parts)
        {
            var part = p is LiteralExpr { Value: string s } ? s : p is LiteralExpr { Value: not null } lit ? lit.ToString() : p;
            if (part is InterpolationExpr nested)
            {
                foreach (var n in nested.Parts)
                {
                    Append(list, n);
                }
            }
            else
            {
                Append(list, part);
            }
        }
        Parts = list;

        static void Append(List<object> list, object part)
        {
            if (part is string s && list.Count > 0 && list[^1] is string prev)
            {
                list[^1] = prev + s;
            }
            else if (part is not string { Length: 0 })
            {
                list.Add(part);
            }
        }
    }

    /// <summary>Literal text (<see cref="string"/>) and values (<see cref="Expr"/>, normally <see cref="RefExpr"/>).</summary>
    public IReadOnlyList<object> Parts { get; }

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants()
    {
        yield return this;
        foreach (var p in Parts)
        {
            if (p is Expr e)
            {
                foreach (var d in e.Descendants())
                {
                    yield return d;
                }
            }
        }
    }
}

/// <summary>A Pulumi YAML built-in function call such as <c>fn::toJSON</c>, <c>fn::secret</c> or <c>fn::fileArchive</c>.</summary>
public sealed class CallExpr(string function, Expr argument) : Expr
{
    /// <summary>The function name, with its <c>fn::</c> prefix.</summary>
    public string Function { get; } = function;

    /// <summary>The argument.</summary>
    public Expr Argument { get; } = argument;

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants()
    {
        yield return this;
        foreach (var d in Argument.Descendants())
        {
            yield return d;
        }
    }
}

/// <summary>A value produced at synthesis time, after every construct was configured (for example a list that grows as triggers are added).</summary>
public sealed class LazyExpr(Func<Expr> produce) : Expr
{
    private Expr? _value;

    /// <summary>The produced value (computed once).</summary>
    public Expr Value => _value ??= produce();

    /// <inheritdoc />
    public override IEnumerable<Expr> Descendants() => Value.Descendants();
}
