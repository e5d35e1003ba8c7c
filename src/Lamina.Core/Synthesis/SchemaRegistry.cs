namespace Lamina.Synthesis;

/// <summary>The schema of one input property or nested field.</summary>
/// <param name="Kind">string, number, boolean, map, ref, archive, asset or any.</param>
/// <param name="Required">Whether it must be set.</param>
/// <param name="IsArray">Whether it is a list of <paramref name="Kind"/>.</param>
/// <param name="Ref">For <c>ref</c>: the nested type's name (<c>lambda.FunctionEnvironment</c>).</param>
public sealed record PropertySchema(string Kind, bool Required, bool IsArray, string? Ref);

/// <summary>The schema of one resource type.</summary>
/// <param name="Type">The short type token (<c>aws:lambda:Function</c>).</param>
/// <param name="Inputs">Input properties by name.</param>
/// <param name="Outputs">Output property names.</param>
public sealed record ResourceSchema(string Type, IReadOnlyDictionary<string, PropertySchema> Inputs, IReadOnlySet<string> Outputs);

/// <summary>
/// Resource schemas known to this process, registered by resource libraries (Lamina.Aws.Resources registers the
/// schema it was generated from). Used by <see cref="ProgramChecker"/>.
/// </summary>
public static class SchemaRegistry
{
    private static readonly List<Func<(IEnumerable<ResourceSchema> Resources, IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, PropertySchema>>> Types)>> Providers = new();
    private static Dictionary<string, ResourceSchema>? _resources;
    private static Dictionary<string, IReadOnlyDictionary<string, PropertySchema>>? _types;
    private static readonly object Gate = new();

    /// <summary>Registers a lazily loaded set of schemas.</summary>
    public static void Register(Func<(IEnumerable<ResourceSchema> Resources, IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, PropertySchema>>> Types)> provider)
    {
        lock (Gate)
        {
            Providers.Add(provider);
            _resources = null;
            _types = null;
        }
    }

    private static void Load()
    {
        lock (Gate)
        {
            if (_resources is not null)
            {
                return;
            }
            var resources = new Dictionary<string, ResourceSchema>(StringComparer.Ordinal);
            var types = new Dictionary<string, IReadOnlyDictionary<string, PropertySchema>>(StringComparer.Ordinal);
            foreach (var p in Providers)
            {
                var (rs, ts) = p();
                foreach (var r in rs)
                {
                    resources[r.Type] = r;
                }
                foreach (var (k, v) in ts)
                {
                    types[k] = v;
                }
            }
            _types = types;
            _resources = resources;
        }
    }

    /// <summary>Whether any schema is registered.</summary>
    public static bool IsEmpty
    {
        get
        {
            Load();
            return _resources!.Count == 0;
        }
    }

    /// <summary>The schema of a resource type (short or full token), or null.</summary>
    public static ResourceSchema? FindResource(string type)
    {
        Load();
        if (_resources!.TryGetValue(type, out var r))
        {
            return r;
        }
        // Full tokens: aws:lambda/function:Function -> aws:lambda:Function
        var parts = type.Split(':');
        if (parts.Length == 3 && parts[1].Contains('/'))
        {
            return _resources.GetValueOrDefault($"{parts[0]}:{parts[1][..parts[1].IndexOf('/')]}:{parts[2]}");
        }
        return null;
    }

    /// <summary>The fields of a nested type, or null.</summary>
    public static IReadOnlyDictionary<string, PropertySchema>? FindType(string name)
    {
        Load();
        return _types!.GetValueOrDefault(name);
    }
}
