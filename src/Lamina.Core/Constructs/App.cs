using Lamina.Configuration;

namespace Lamina;

/// <summary>Options of an <see cref="App"/>.</summary>
public sealed record AppOptions
{
    /// <summary>The Pulumi project name. Default: PULUMI_PROJECT, else the <c>name</c> in Pulumi.yaml, else "lamina".</summary>
    public string? ProjectName { get; init; }

    /// <summary>The Pulumi stack being deployed (selects <c>Pulumi.&lt;stack&gt;.yaml</c>). Default: "dev".</summary>
    public string? StackName { get; init; }

    /// <summary>
    /// Stack configuration. Default: none (an empty in-memory configuration). <see cref="LaminaApp.Run(string[], Action{App})"/>
    /// loads it from PULUMI_CONFIG when Pulumi runs the program, else from <c>stacks/Pulumi.&lt;stack&gt;.yaml</c>.
    /// </summary>
    public StackConfigSource? Config { get; init; }

    /// <summary>
    /// Whether function code is built and packaged during synthesis. Default: true. Unit tests and
    /// <c>synth --no-bundle</c> set it to false and get placeholder archives.
    /// </summary>
    public bool Bundle { get; init; } = true;

    /// <summary>Where build outputs and caches go. Default: <c>.lamina</c> under the project root.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The project root (the folder of Pulumi.yaml). Default: PULUMI_ROOT_DIRECTORY, else the nearest folder holding Pulumi.yaml, else the current directory.</summary>
    public string? RootDirectory { get; init; }
}

/// <summary>
/// The root of a construct tree. An app holds one or more <see cref="Stack"/>s; synthesis prints one
/// Pulumi YAML program for one stack.
/// </summary>
/// <example>
/// <code>
/// var app = new App(new AppOptions { Config = StackConfigSource.FromValues(("aws:region", "eu-west-1")) });
/// var stack = new Stack(app, "shop");
/// string yaml = stack.Synth().Yaml;
/// </code>
/// </example>
public sealed class App : Construct
{
    internal readonly List<Diagnostic> Diagnostics = new();

    /// <summary>Creates an app.</summary>
    public App(AppOptions? options = null) : base("")
    {
        Options = options ?? new AppOptions();
        Config = Options.Config ?? StackConfigSource.Empty;
        ProjectName = Options.ProjectName ?? "lamina";
        StackName = Options.StackName ?? "dev";
        RootDirectory = Options.RootDirectory ?? Directory.GetCurrentDirectory();
    }

    /// <summary>The options the app was created with.</summary>
    public AppOptions Options { get; }

    /// <summary>The Pulumi project name (the program's <c>name</c>).</summary>
    public string ProjectName { get; }

    /// <summary>The Pulumi stack being synthesized, such as "dev".</summary>
    public string StackName { get; }

    /// <summary>The project root directory.</summary>
    public string RootDirectory { get; }

    /// <summary>Stack configuration.</summary>
    public StackConfigSource Config { get; }

    /// <summary>Whether function code is built during synthesis (see <see cref="AppOptions.Bundle"/>).</summary>
    public bool Bundle => Options.Bundle;

    /// <summary>The stacks of this app, in creation order.</summary>
    public IReadOnlyList<Stack> Stacks => Children.OfType<Stack>().ToList();

    /// <summary>Every diagnostic recorded so far.</summary>
    public IReadOnlyList<Diagnostic> AllDiagnostics => Diagnostics;

    /// <summary>
    /// The stack to synthesize: the only one, or the one whose id equals <see cref="StackName"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No stack, or several and none named like the Pulumi stack.</exception>
    public Stack SelectStack()
    {
        var stacks = Stacks;
        if (stacks.Count == 1)
        {
            return stacks[0];
        }
        if (stacks.Count == 0)
        {
            throw new InvalidOperationException("The app has no Stack: create one with new Stack(app, \"name\").");
        }
        return stacks.FirstOrDefault(s => s.Id == StackName)
            ?? throw new InvalidOperationException(
                $"The app has {stacks.Count} stacks ({string.Join(", ", stacks.Select(s => s.Id))}) and none has the id of the Pulumi stack '{StackName}'.");
    }
}
