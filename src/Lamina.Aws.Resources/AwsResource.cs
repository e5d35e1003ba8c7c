using System.Runtime.CompilerServices;
using Lamina.Resources;
using Lamina.Synthesis;

namespace Lamina.Aws.Resources;

/// <summary>
/// The base of every generated AWS resource: it is deployed through the stack's explicit AWS provider
/// (<see cref="AwsProvider"/>), whose region comes from the stack configuration key <c>aws:region</c>.
/// </summary>
public abstract class AwsResource : Resource
{
    /// <summary>Creates the resource and attaches the stack's AWS provider unless <paramref name="options"/> names one.</summary>
    protected AwsResource(Construct scope, string id, string type, ResourceOptions? options)
        : base(scope, id, type, options)
    {
        Options.Provider ??= AwsProvider.Of(Stack);
    }
}

/// <summary>
/// The explicit AWS provider of a stack (<c>pulumi:providers:aws</c>), created once per stack with the region read
/// from the stack configuration key <c>aws:region</c> (a missing key is an error naming the configuration file).
/// </summary>
public sealed class AwsProvider : Resource
{
    /// <summary>The provider's construct id under its stack.</summary>
    public const string ConstructId = "AwsProvider";

    private AwsProvider(Stack stack) : base(stack, ConstructId, "pulumi:providers:aws", null)
    {
        Region = stack.Config.Require("aws:region");
    }

    /// <summary>The AWS region resources are deployed to.</summary>
    public string Region { get; }

    /// <summary>The provider of <paramref name="stack"/>, created on first use.</summary>
    public static AwsProvider Of(Stack stack) =>
        // Every AWS resource asks for its stack's provider: find the existing child first (no closure per resource).
        stack.TryFindChild(ConstructId) as AwsProvider ?? Create(stack);

    private static AwsProvider Create(Stack stack) => stack.Singleton("lamina:aws-provider", () => new AwsProvider(stack));

    /// <inheritdoc />
    protected override void WriteProperties(PropertyWriter writer) => writer.Optional("region", (Lamina.Values.Input<string>)Region);
}

/// <summary>Registers the generated schema with Lamina's program checker when the assembly loads.</summary>
internal static partial class SchemaData
{
#pragma warning disable CA2255 // a library registering its schema is the intended use of a module initializer
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => SchemaRegistry.Register(Load);

    private static (IEnumerable<ResourceSchema>, IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, PropertySchema>>>) Load()
    {
        var resources = Resources.Select(line =>
        {
            var parts = line.Split('|');
            return new ResourceSchema(parts[0], Fields(parts[2]), parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
        }).ToList();
        var types = Types.Select(line =>
        {
            var bar = line.IndexOf('|');
            return new KeyValuePair<string, IReadOnlyDictionary<string, PropertySchema>>(line[..bar], Fields(line[(bar + 1)..]));
        }).ToList();
        return (resources, types);
    }

    private static Dictionary<string, PropertySchema> Fields(string text)
    {
        var d = new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
        foreach (var f in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var required = f.EndsWith('!');
            var s = required ? f[..^1] : f;
            var array = s.EndsWith('*');
            s = array ? s[..^1] : s;
            var p = s.Split(':');
            d[p[0]] = new PropertySchema(p[1], required, array, p.Length > 2 ? p[2] : null);
        }
        return d;
    }
}
