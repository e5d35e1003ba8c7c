using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lamina.Cli.Projects;

/// <summary>
/// What lamina needs from a Pulumi project file (<c>Pulumi.yaml</c>): the project name, the YAML runtime's
/// <c>compiler</c> command that runs the Lamina app, and where stack settings files live.
/// </summary>
/// <param name="RootDirectory">The folder that holds <c>Pulumi.yaml</c> (full path).</param>
/// <param name="Name">The project name (<c>name</c>).</param>
/// <param name="Runtime">The runtime name (<c>runtime</c> or <c>runtime.name</c>); <c>yaml</c> for a Lamina project.</param>
/// <param name="Compiler">The <c>runtime.options.compiler</c> command line, or null when there is none.</param>
/// <param name="StackConfigDir">The <c>stackConfigDir</c> (relative to the root), or null.</param>
/// <param name="Main">The <c>main</c> folder of the program (relative to the root), or null.</param>
public sealed record PulumiProject(string RootDirectory, string Name, string Runtime, string? Compiler, string? StackConfigDir, string? Main)
{
    /// <summary>The project file name.</summary>
    public const string FileName = "Pulumi.yaml";

    /// <summary>The folder Pulumi runs the program in: the root, or <see cref="Main"/> under it.</summary>
    public string ProgramDirectory => Main is { Length: > 0 } m ? Path.GetFullPath(Path.Combine(RootDirectory, m)) : RootDirectory;

    /// <summary>The nearest folder at or above <paramref name="directory"/> that holds a <c>Pulumi.yaml</c>, or null.</summary>
    public static string? FindRoot(string directory) => LaminaApp.FindProjectRoot(Path.GetFullPath(directory));

    /// <summary>
    /// The project for a command: the one in <paramref name="projectOption"/> (a folder with a Pulumi.yaml, or the file
    /// itself; relative to <paramref name="currentDirectory"/>) when given, else the nearest at or above the current directory.
    /// </summary>
    /// <exception cref="PulumiProjectException">No project found, or the file is not a usable Lamina project.</exception>
    public static PulumiProject Locate(string currentDirectory, string? projectOption)
    {
        if (projectOption is { Length: > 0 })
        {
            var path = Path.GetFullPath(projectOption, currentDirectory);
            if (File.Exists(path) && Path.GetFileName(path) == FileName)
            {
                return Load(Path.GetDirectoryName(path)!);
            }
            if (!Directory.Exists(path))
            {
                throw new PulumiProjectException($"--project {projectOption}: no such folder ({path})");
            }
            if (!File.Exists(Path.Combine(path, FileName)))
            {
                throw new PulumiProjectException($"--project {projectOption}: {path} has no {FileName}");
            }
            return Load(path);
        }
        var root = FindRoot(currentDirectory)
            ?? throw new PulumiProjectException($"no {FileName} in {Path.GetFullPath(currentDirectory)} or any folder above it: run lamina inside a Lamina project, or pass --project DIR");
        return Load(root);
    }

    /// <summary>Reads <c>Pulumi.yaml</c> in <paramref name="rootDirectory"/>.</summary>
    /// <exception cref="PulumiProjectException">The file is missing or is not a valid project file.</exception>
    public static PulumiProject Load(string rootDirectory)
    {
        var root = Path.GetFullPath(rootDirectory);
        var file = Path.Combine(root, FileName);
        if (!File.Exists(file))
        {
            throw new PulumiProjectException($"{file} not found");
        }
        return Parse(File.ReadAllText(file), root);
    }

    /// <summary>Parses the text of a <c>Pulumi.yaml</c> (flow or block style).</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="rootDirectory">The folder the file is in.</param>
    /// <exception cref="PulumiProjectException">Invalid YAML, or no <c>name</c> or <c>runtime</c>.</exception>
    public static PulumiProject Parse(string yaml, string rootDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new PulumiProjectException($"{FileName} is not valid YAML: {e.Message} (line {e.Start.Line}, column {e.Start.Column})", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new PulumiProjectException($"{FileName} must be a mapping with at least 'name' and 'runtime'");
        }
        var name = Scalar(map, "name", "name") ?? throw new PulumiProjectException($"{FileName} has no 'name'");
        string runtime;
        string? compiler = null;
        switch (Child(map, "runtime"))
        {
            case YamlScalarNode s when s.Value is { Length: > 0 } v:
                runtime = v;
                break;
            case YamlMappingNode r:
                runtime = Scalar(r, "name", "runtime.name") ?? throw new PulumiProjectException($"{FileName} has a 'runtime' without a 'name'");
                if (Child(r, "options") is { } options)
                {
                    if (options is not YamlMappingNode o)
                    {
                        throw new PulumiProjectException($"{FileName}: 'runtime.options' must be a mapping");
                    }
                    compiler = Scalar(o, "compiler", "runtime.options.compiler");
                }
                break;
            case null:
                throw new PulumiProjectException($"{FileName} has no 'runtime'");
            default:
                throw new PulumiProjectException($"{FileName}: 'runtime' must be a name or a mapping with 'name' and 'options'");
        }
        return new PulumiProject(Path.GetFullPath(rootDirectory), name, runtime, compiler, Scalar(map, "stackConfigDir", "stackConfigDir"), Scalar(map, "main", "main"));
    }

    /// <summary>
    /// The compiler command line of a Lamina project.
    /// </summary>
    /// <exception cref="PulumiProjectException">The runtime is not <c>yaml</c>, or there is no compiler.</exception>
    public string RequireCompiler()
    {
        if (Runtime != "yaml")
        {
            throw new PulumiProjectException($"{Path.Combine(RootDirectory, FileName)}: runtime is '{Runtime}', but a Lamina project uses the yaml runtime with a compiler: runtime: {{ name: yaml, options: {{ compiler: \"dotnet run --project stacks/App -clp:ErrorsOnly -- synth\" }} }}");
        }
        if (Compiler is not { Length: > 0 } c || string.IsNullOrWhiteSpace(c))
        {
            throw new PulumiProjectException($"{Path.Combine(RootDirectory, FileName)} has no runtime.options.compiler: a Lamina project names the command that runs the app, e.g. runtime: {{ name: yaml, options: {{ compiler: \"dotnet run --project stacks/App -clp:ErrorsOnly -- synth\" }} }}");
        }
        return c;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode map, string key, string path) => Child(map, key) switch
    {
        null => null,
        YamlScalarNode s => s.Value is { Length: > 0 } v ? v : null,
        _ => throw new PulumiProjectException($"{FileName}: '{path}' must be a single value"),
    };
}

/// <summary>A Pulumi project that lamina cannot use; the message says what to fix.</summary>
public sealed class PulumiProjectException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PulumiProjectException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
