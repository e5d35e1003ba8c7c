namespace Lamina;

/// <summary>
/// A visitor applied to every construct below the scope it is added to, before synthesis
/// (as the CDK's aspects). Use it for cross-cutting rules: tags, naming checks, policies.
/// </summary>
/// <example>
/// <code>
/// stack.AddAspect(new Tags(new() { ["team"] = "payments" }));
/// </code>
/// </example>
public interface IAspect
{
    /// <summary>Visits one construct.</summary>
    void Visit(Construct construct);
}

/// <summary>A resource that has AWS tags.</summary>
public interface ITaggable
{
    /// <summary>Sets a tag (an existing value set explicitly on the resource wins unless <paramref name="overwrite"/>).</summary>
    void SetTag(string key, string value, bool overwrite = false);
}

/// <summary>An aspect that adds tags to every taggable resource below its scope.</summary>
/// <param name="tags">The tags to add.</param>
/// <param name="overwrite">Whether a tag set on a resource itself is replaced (default: no).</param>
public sealed class Tags(IReadOnlyDictionary<string, string> tags, bool overwrite = false) : IAspect
{
    /// <inheritdoc />
    public void Visit(Construct construct)
    {
        if (construct is ITaggable taggable)
        {
            foreach (var (k, v) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                taggable.SetTag(k, v, overwrite);
            }
        }
    }
}

public partial class Construct
{
    private List<IAspect>? _aspects;

    /// <summary>Adds an aspect applied, before synthesis, to this construct and every construct below it.</summary>
    public void AddAspect(IAspect aspect) => (_aspects ??= new()).Add(aspect);

    /// <summary>The aspects added directly on this construct.</summary>
    public IReadOnlyList<IAspect> Aspects => (IReadOnlyList<IAspect>?)_aspects ?? Array.Empty<IAspect>();

    /// <summary>Runs every aspect on the constructs below where it was added, each construct visited once per aspect.</summary>
    internal static void ApplyAspects(Construct root)
    {
        Walk(root, new List<IAspect>());

        static void Walk(Construct c, List<IAspect> inherited)
        {
            var active = inherited;
            if (c._aspects is { Count: > 0 })
            {
                active = new List<IAspect>(inherited);
                active.AddRange(c._aspects);
            }
            foreach (var aspect in active)
            {
                aspect.Visit(c);
            }
            // Aspects may add children; iterate over a snapshot and then visit the new ones too.
            for (var i = 0; i < c.ChildCount; i++)
            {
                Walk(c.ChildAt(i), active);
            }
        }
    }
}
