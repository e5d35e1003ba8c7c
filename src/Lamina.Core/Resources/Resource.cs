using System.Security.Cryptography;
using System.Text;
using Lamina.Values;

namespace Lamina.Resources;

/// <summary>
/// A Pulumi resource: one entry under <c>resources:</c> of the synthesized program. The typed classes in
/// Lamina.Aws.Resources derive from it; higher-level constructs create them.
/// </summary>
public abstract class Resource : Construct, IReferenceTarget
{
    private string? _logicalName;
    private string? _logicalNameOverride;
    private List<(string Path, Expr Value)>? _overrides;

    /// <summary>Creates a resource of Pulumi type <paramref name="type"/> under <paramref name="scope"/>.</summary>
    protected Resource(Construct scope, string id, string type, ResourceOptions? options)
        : base(scope, id)
    {
        Type = type;
        Options = options ?? new ResourceOptions();
    }

    /// <summary>The Pulumi type token, such as <c>aws:lambda:Function</c>.</summary>
    public string Type { get; }

    /// <summary>Resource options (dependsOn, protect, …). Mutable until synthesis.</summary>
    public ResourceOptions Options { get; }

    /// <summary>The resource's Pulumi id (<c>${name.id}</c>).</summary>
    public Output<string> ResourceId => GetOutput<string>("id");

    /// <summary>The resource's URN (<c>${name.urn}</c>).</summary>
    public Output<string> Urn => GetOutput<string>("urn");

    /// <summary>A reference to this resource as a whole (<c>${name}</c>), as used in resource options.</summary>
    public Expr SelfReference => new RefExpr(this, null);

    /// <summary>
    /// The most characters AWS allows in the physical name Pulumi derives from the logical name
    /// (Pulumi appends '-' and 7 random characters), or 0 when the name is not used physically.
    /// </summary>
    protected internal virtual int PhysicalNameMaxLength => 0;

    /// <summary>
    /// The resource's logical name in the program, derived from its construct path (see <see cref="LogicalNames"/>).
    /// </summary>
    public string LogicalName => _logicalName ??= _logicalNameOverride ?? LogicalNames.For(this);

    /// <summary>Sets the logical name explicitly (an escape hatch, for example to keep a name when refactoring; prefer <see cref="ResourceOptions.Aliases"/>).</summary>
    public void OverrideLogicalName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['.', '[', '}', '$', ' ']) >= 0)
        {
            throw new ArgumentException($"{Path}: invalid logical name '{name}': it must not be empty or contain '.', '[', '}}', '$' or spaces.", nameof(name));
        }
        _logicalNameOverride = name;
        _logicalName = null;
    }

    string IReferenceTarget.ReferenceName => LogicalName;

    Construct? IReferenceTarget.Owner => this;

    /// <summary>A reference to an output property of this resource.</summary>
    protected Output<T> GetOutput<T>(string property) => new(new RefExpr(this, property));

    /// <summary>
    /// Sets a raw property below <c>properties</c> by path (an escape hatch, as the CDK's addPropertyOverride):
    /// <c>AddPropertyOverride("environment.variables.MODE", "fast")</c>. Applied after the typed properties.
    /// A null value removes the property.
    /// </summary>
    public void AddPropertyOverride(string path, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        (_overrides ??= new()).Add((path, value is null ? DeleteMarker : Expr.From(value)));
    }

    internal static readonly Expr DeleteMarker = new LiteralExpr("\u0000delete");

    /// <summary>Writes the typed properties (generated code).</summary>
    protected abstract void WriteProperties(PropertyWriter writer);

    /// <summary>The properties as written to the program, after overrides.</summary>
    internal ObjectExpr RenderProperties(List<Diagnostic>? diagnostics, PropertyWriter.EntryPool? pool = null)
    {
        var writer = new PropertyWriter(this, diagnostics, pool ?? PropertyWriter.EntryPool.ForThread);
        WriteProperties(writer);
        var obj = writer.Build();
        if (_overrides is not null)
        {
            foreach (var (path, value) in _overrides)
            {
                obj = PropertyOverrides.Apply(obj, path.Split('.'), 0, value);
            }
        }
        return obj;
    }

    /// <summary>The properties as written to the program (for assertions and tools).</summary>
    public ObjectExpr GetProperties() => RenderProperties(null);

    internal static string ShortHash(string text) => LogicalNames.ShortHash(text);
}

/// <summary>The arguments of a typed resource: generated classes override <see cref="Write"/>.</summary>
public abstract class ResourceArgs
{
    /// <summary>Writes the properties that are set.</summary>
    protected internal abstract void Write(PropertyWriter writer);
}

/// <summary>Writes a resource's or nested type's properties in a fixed order, checking required ones.</summary>
public sealed class PropertyWriter
{
    private readonly Resource _owner;
    private readonly List<Diagnostic>? _diagnostics;
    private readonly EntryPool _pool;
    // Where this writer sits below the resource's properties: the parent writer, the property name and the list
    // index (or -1). The text prefix ("a.b[0].") is only built when a missing input is reported.
    private readonly PropertyWriter? _parent;
    private readonly string? _name;
    private readonly int _index;
    private List<KeyValuePair<string, Expr>>? _entries;

    internal PropertyWriter(Resource owner, List<Diagnostic>? diagnostics, EntryPool pool, PropertyWriter? parent = null, string? name = null, int index = -1)
    {
        _owner = owner;
        _diagnostics = diagnostics;
        _pool = pool;
        _parent = parent;
        _name = name;
        _index = index;
    }

    private string Prefix => _parent is null
        ? ""
        : _index < 0 ? _parent.Prefix + _name + "." : $"{_parent.Prefix}{_name}[{_index}].";

    // Entries are collected in a list reused from resource to resource; the object keeps an array of the exact size.
    private List<KeyValuePair<string, Expr>> Entries => _entries ??= _pool.Rent();

    /// <summary>Writes every property of <paramref name="args"/> (used by generated resources).</summary>
    public void All(ResourceArgs args) => args.Write(this);

    /// <summary>Writes an optional property when it is set.</summary>
    public void Optional(string name, IInput? value)
    {
        if (value is not null)
        {
            Entries.Add(new(name, value.ToExpr()));
        }
    }

    /// <summary>Writes a required property; a missing one is reported with the construct path.</summary>
    public void Required(string name, IInput? value)
    {
        if (value is null)
        {
            if (_diagnostics is not null)
            {
                var path = Prefix + name;
                _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, path, $"missing required input '{path}' of {_owner.Type}"));
            }
            return;
        }
        Entries.Add(new(name, value.ToExpr()));
    }

    /// <summary>Writes a nested object (an args type) when it is set.</summary>
    public void Object(string name, ResourceArgs? value, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                Required(name, null);
            }
            return;
        }
        var nested = new PropertyWriter(_owner, _diagnostics, _pool, this, name);
        value.Write(nested);
        Entries.Add(new(name, nested.Build()));
    }

    /// <summary>Writes a list of nested objects when it is set.</summary>
    public void ObjectList<TArgs>(string name, IReadOnlyList<TArgs>? value, bool required = false) where TArgs : ResourceArgs
    {
        if (value is null)
        {
            if (required)
            {
                Required(name, null);
            }
            return;
        }
        var items = new List<Expr>(value.Count);
        for (var i = 0; i < value.Count; i++)
        {
            var nested = new PropertyWriter(_owner, _diagnostics, _pool, this, name, i);
            value[i].Write(nested);
            items.Add(nested.Build());
        }
        Entries.Add(new(name, new ListExpr(items)));
    }

    internal ObjectExpr Build()
    {
        if (_entries is null)
        {
            return new ObjectExpr(Array.Empty<KeyValuePair<string, Expr>>());
        }
        var entries = _entries.ToArray();
        _pool.Return(_entries);
        _entries = null;
        return new ObjectExpr(entries);
    }

    /// <summary>Lists of entries reused by the writers of one synthesis (nested writers take their own).</summary>
    internal sealed class EntryPool
    {
        [ThreadStatic]
        private static EntryPool? t_forThread;

        private readonly Stack<List<KeyValuePair<string, Expr>>> _free = new();

        /// <summary>A pool for renderings outside a synthesis (<see cref="Resource.GetProperties"/>), one per thread.</summary>
        public static EntryPool ForThread => t_forThread ??= new EntryPool();

        public List<KeyValuePair<string, Expr>> Rent() => _free.Count > 0 ? _free.Pop() : new List<KeyValuePair<string, Expr>>(16);

        public void Return(List<KeyValuePair<string, Expr>> list)
        {
            list.Clear();
            _free.Push(list);
        }
    }
}

internal static class PropertyOverrides
{
    public static ObjectExpr Apply(ObjectExpr obj, string[] path, int at, Expr value)
    {
        var key = path[at];
        var entries = obj.Entries.ToList();
        var index = entries.FindIndex(e => e.Key == key);
        Expr? next;
        if (at == path.Length - 1)
        {
            next = ReferenceEquals(value, Resource.DeleteMarker) ? null : value;
        }
        else
        {
            var child = index >= 0 && entries[index].Value is ObjectExpr o ? o : new ObjectExpr([]);
            next = Apply(child, path, at + 1, value);
        }
        if (index >= 0)
        {
            if (next is null)
            {
                entries.RemoveAt(index);
            }
            else
            {
                entries[index] = new(key, next);
            }
        }
        else if (next is not null)
        {
            entries.Add(new(key, next));
        }
        return new ObjectExpr(entries);
    }
}
