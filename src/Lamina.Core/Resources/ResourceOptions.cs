using Lamina.Values;

namespace Lamina.Resources;

/// <summary>
/// Pulumi resource options, written under <c>options:</c>. Every option of the Pulumi YAML reference that Lamina
/// supports is here; all are optional.
/// </summary>
public sealed class ResourceOptions
{
    // Every resource has options, but most set only the provider: the rest lives in an object created on first use,
    // and each list only when it is first read or set.
    private Rare? _rare;

    private Rare Extra => _rare ??= new Rare();

    /// <summary>Resources this one must be created after (besides those it references). Default: none.</summary>
    public List<Resource> DependsOn { get => Extra.DependsOn ??= new(); init => Extra.DependsOn = value; }

    /// <summary>Refuse to delete the resource (<c>protect</c>). Default: false.</summary>
    public bool? Protect { get => _rare?.Protect; set => Extra.Protect = value; }

    /// <summary>Leave the cloud resource in place when Pulumi deletes it (<c>retainOnDelete</c>). Default: false.</summary>
    public bool? RetainOnDelete { get => _rare?.RetainOnDelete; set => Extra.RetainOnDelete = value; }

    /// <summary>Input properties whose changes Pulumi ignores (<c>ignoreChanges</c>). Default: none.</summary>
    public List<string> IgnoreChanges { get => Extra.IgnoreChanges ??= new(); init => Extra.IgnoreChanges = value; }

    /// <summary>Delete before creating the replacement (<c>deleteBeforeReplace</c>). Default: false.</summary>
    public bool? DeleteBeforeReplace { get => _rare?.DeleteBeforeReplace; set => Extra.DeleteBeforeReplace = value; }

    /// <summary>Earlier identities of this resource, so a rename is not a replacement (<c>aliases</c>). Default: none.</summary>
    public List<ResourceAlias> Aliases { get => Extra.Aliases ??= new(); init => Extra.Aliases = value; }

    /// <summary>Custom create/update/delete timeouts (<c>customTimeouts</c>). Default: the provider's.</summary>
    public CustomTimeouts? CustomTimeouts { get => _rare?.CustomTimeouts; set => Extra.CustomTimeouts = value; }

    /// <summary>An explicit provider resource (<c>provider</c>). Default: the stack's AWS provider for AWS resources.</summary>
    public Resource? Provider { get; set; }

    /// <summary>Output properties Pulumi must treat as secret (<c>additionalSecretOutputs</c>). Default: none.</summary>
    public List<string> AdditionalSecretOutputs { get => Extra.AdditionalSecretOutputs ??= new(); init => Extra.AdditionalSecretOutputs = value; }

    /// <summary>Input properties whose change forces a replacement (<c>replaceOnChanges</c>). Default: none.</summary>
    public List<string> ReplaceOnChanges { get => Extra.ReplaceOnChanges ??= new(); init => Extra.ReplaceOnChanges = value; }

    internal List<Resource>? DependsOnIfAny => _rare?.DependsOn;
    internal List<string>? IgnoreChangesIfAny => _rare?.IgnoreChanges;
    internal List<ResourceAlias>? AliasesIfAny => _rare?.Aliases;
    internal List<string>? AdditionalSecretOutputsIfAny => _rare?.AdditionalSecretOutputs;
    internal List<string>? ReplaceOnChangesIfAny => _rare?.ReplaceOnChanges;

    /// <summary>Whether only <see cref="Provider"/> may be set (every other option is unset or empty), without creating lists.</summary>
    internal bool OnlyProvider => _rare is null || _rare.IsEmpty;

    private sealed class Rare
    {
        public List<Resource>? DependsOn;
        public List<string>? IgnoreChanges;
        public List<ResourceAlias>? Aliases;
        public List<string>? AdditionalSecretOutputs;
        public List<string>? ReplaceOnChanges;
        public CustomTimeouts? CustomTimeouts;
        public bool? Protect;
        public bool? RetainOnDelete;
        public bool? DeleteBeforeReplace;

        public bool IsEmpty =>
            Protect is null && RetainOnDelete is null && DeleteBeforeReplace is null && CustomTimeouts is null &&
            DependsOn is not { Count: > 0 } && IgnoreChanges is not { Count: > 0 } && Aliases is not { Count: > 0 } &&
            AdditionalSecretOutputs is not { Count: > 0 } && ReplaceOnChanges is not { Count: > 0 };
    }
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
