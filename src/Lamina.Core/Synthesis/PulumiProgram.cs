using Lamina.Configuration;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Synthesis;

/// <summary>
/// The document model of a synthesized Pulumi YAML program, in the sections and order of the Pulumi YAML
/// reference: name, runtime, description, config, variables, resources, outputs.
/// </summary>
public sealed class PulumiProgram
{
    /// <summary>The project name.</summary>
    public required string Name { get; init; }

    /// <summary>The runtime (always <c>yaml</c>).</summary>
    public string Runtime { get; init; } = "yaml";

    /// <summary>The description, or null.</summary>
    public string? Description { get; init; }

    /// <summary>Declared config keys, by name (ordinal order).</summary>
    public required IReadOnlyList<ConfigDeclaration> Config { get; init; }

    /// <summary>Variables, by name (ordinal order).</summary>
    public required IReadOnlyList<KeyValuePair<string, Expr>> Variables { get; init; }

    /// <summary>Resources, by logical name (ordinal order).</summary>
    public required IReadOnlyList<ProgramResource> Resources { get; init; }

    /// <summary>Stack outputs, by name (ordinal order).</summary>
    public required IReadOnlyList<KeyValuePair<string, Expr>> Outputs { get; init; }

    /// <summary>The program as Pulumi YAML text.</summary>
    public string ToYaml() => YamlWriter.Write(this);
}

/// <summary>One entry of <c>resources:</c>.</summary>
/// <param name="Name">The logical name.</param>
/// <param name="Type">The type token.</param>
/// <param name="Properties">The properties.</param>
/// <param name="Options">The options, or null when none are set.</param>
/// <param name="Source">The construct that declared it.</param>
public sealed record ProgramResource(string Name, string Type, ObjectExpr Properties, ObjectExpr? Options, Resource Source);

/// <summary>The outcome of a successful synthesis.</summary>
/// <param name="Program">The document model.</param>
/// <param name="Warnings">Warnings (each with its construct path).</param>
public sealed record SynthesisResult(PulumiProgram Program, IReadOnlyList<Diagnostic> Warnings)
{
    private string? _yaml;

    /// <summary>The program as Pulumi YAML (computed once).</summary>
    public string Yaml => _yaml ??= Program.ToYaml();
}
