using Lamina.Values;

namespace Lamina.Resources;

/// <summary>
/// Pulumi resource options, written under <c>options:</c>. Every option of the Pulumi YAML reference that Lamina
/// supports is here; all are optional.
/// </summary>
public sealed class ResourceOptions
{
    // The lists are created on first use: most resources set none of them, and every resource has options.
    private List<Resource>? _dependsOn;
    private List<string>? _ignoreChanges;
    private List<ResourceAlias>? _aliases;
    private List<string>? _additionalSecretOutputs;
    private List<string>? _replaceOnChanges;

    /// <summary>Resources this one must be created after (besides those it references). Default: none.</summary>
    public List<Resource> DependsOn { get => _dependsOn ??= new(); init => _dependsOn = value; }

    /// <summary>Refuse to delete the resource (<c>protect</c>). Default: false.</summary>
    public bool? Protect { get; set; }

    /// <summary>Leave the cloud resource in place when Pulumi deletes it (<c>retainOnDelete</c>). Default: false.</summary>
    public bool? RetainOnDelete { get; set; }

    /// <summary>Input properties whose changes Pulumi ignores (<c>ignoreChanges</c>). Default: none.</summary>
    public List<string> IgnoreChanges { get => _ignoreChanges ??= new(); init => _ignoreChanges = value; }

    /// <summary>Delete before creating the replacement (<c>deleteBeforeReplace</c>). Default: false.</summary>
    public bool? DeleteBeforeReplace { get; set; }

    /// <summary>Earlier identities of this resource, so a rename is not a replacement (<c>aliases</c>). Default: none.</summary>
    public List<ResourceAlias> Aliases { get => _aliases ??= new(); init => _aliases = value; }

    /// <summary>Custom create/update/delete timeouts (<c>customTimeouts</c>). Default: the provider's.</summary>
    public CustomTimeouts? CustomTimeouts { get; set; }

    /// <summary>An explicit provider resource (<c>provider</c>). Default: the stack's AWS provider for AWS resources.</summary>
    public Resource? Provider { get; set; }

    /// <summary>Output properties Pulumi must treat as secret (<c>additionalSecretOutputs</c>). Default: none.</summary>
    public List<string> AdditionalSecretOutputs { get => _additionalSecretOutputs ??= new(); init => _additionalSecretOutputs = value; }

    /// <summary>Input properties whose change forces a replacement (<c>replaceOnChanges</c>). Default: none.</summary>
    public List<string> ReplaceOnChanges { get => _replaceOnChanges ??= new(); init => _replaceOnChanges = value; }

    internal List<Resource>? DependsOnIfAny => _dependsOn;
    internal List<string>? IgnoreChangesIfAny => _ignoreChanges;
    internal List<ResourceAlias>? AliasesIfAny => _aliases;
    internal List<string>? AdditionalSecretOutputsIfAny => _additionalSecretOutputs;
    internal List<string>? ReplaceOnChangesIfAny => _replaceOnChanges;

    /// <summary>Whether only <see cref="Provider"/> may be set (every other option is unset or empty), without creating lists.</summary>
    internal bool OnlyProvider =>
        Protect is null && RetainOnDelete is null && DeleteBeforeReplace is null && CustomTimeouts is null &&
        _dependsOn is not { Count: > 0 } && _ignoreChanges is not { Count: > 0 } && _aliases is not { Count: > 0 } &&
        _additionalSecretOutputs is not { Count: > 0 } && _replaceOnChanges is not { Count: > 0 };
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
