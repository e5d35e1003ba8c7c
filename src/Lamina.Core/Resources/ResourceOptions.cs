using Lamina.Values;

namespace Lamina.Resources;

/// <summary>
/// Pulumi resource options, written under <c>options:</c>. Every option of the Pulumi YAML reference that Lamina
/// supports is here; all are optional.
/// </summary>
public sealed class ResourceOptions
{
    /// <summary>Resources this one must be created after (besides those it references). Default: none.</summary>
    public List<Resource> DependsOn { get; init; } = new();

    /// <summary>Refuse to delete the resource (<c>protect</c>). Default: false.</summary>
    public bool? Protect { get; set; }

    /// <summary>Leave the cloud resource in place when Pulumi deletes it (<c>retainOnDelete</c>). Default: false.</summary>
    public bool? RetainOnDelete { get; set; }

    /// <summary>Input properties whose changes Pulumi ignores (<c>ignoreChanges</c>). Default: none.</summary>
    public List<string> IgnoreChanges { get; init; } = new();

    /// <summary>Delete before creating the replacement (<c>deleteBeforeReplace</c>). Default: false.</summary>
    public bool? DeleteBeforeReplace { get; set; }

    /// <summary>Earlier identities of this resource, so a rename is not a replacement (<c>aliases</c>). Default: none.</summary>
    public List<ResourceAlias> Aliases { get; init; } = new();

    /// <summary>Custom create/update/delete timeouts (<c>customTimeouts</c>). Default: the provider's.</summary>
    public CustomTimeouts? CustomTimeouts { get; set; }

    /// <summary>An explicit provider resource (<c>provider</c>). Default: the stack's AWS provider for AWS resources.</summary>
    public Resource? Provider { get; set; }

    /// <summary>Output properties Pulumi must treat as secret (<c>additionalSecretOutputs</c>). Default: none.</summary>
    public List<string> AdditionalSecretOutputs { get; init; } = new();

    /// <summary>Input properties whose change forces a replacement (<c>replaceOnChanges</c>). Default: none.</summary>
    public List<string> ReplaceOnChanges { get; init; } = new();
}

/// <summary>A Pulumi custom timeout set; durations are written like "5m" or "1h30m".</summary>
public sealed record CustomTimeouts
{
    /// <summary>Create timeout.</summary>
    public TimeSpan? Create { get; init; }
    /// <summary>Update timeout.</summary>
    public TimeSpan? Update { get; init; }
    /// <summary>Delete timeout.</summary>
    public TimeSpan? Delete { get; init; }
}

/// <summary>An alias: an earlier name (or full URN) of a resource.</summary>
public sealed record ResourceAlias
{
    /// <summary>The earlier logical name.</summary>
    public string? Name { get; init; }
    /// <summary>The earlier full URN.</summary>
    public string? Urn { get; init; }
    /// <summary>The earlier type token.</summary>
    public string? Type { get; init; }
    /// <summary>The earlier stack.</summary>
    public string? Stack { get; init; }
    /// <summary>The earlier project.</summary>
    public string? Project { get; init; }
    /// <summary>The resource had no parent before.</summary>
    public bool? NoParent { get; init; }

    /// <summary>An alias for an earlier logical name.</summary>
    public static ResourceAlias FromName(string name) => new() { Name = name };

    /// <summary>An alias for an earlier URN.</summary>
    public static ResourceAlias FromUrn(string urn) => new() { Urn = urn };
}
