using System.Text;
using Lamina.Configuration;
using Lamina.Resources;
using Lamina.Synthesis;
using YamlDotNet.RepresentationModel;

namespace Lamina;

/// <summary>
/// The entry point of a Lamina app (a console program). Pulumi runs it as the YAML runtime's <c>compiler</c>:
/// <c>synth</c> prints the program on stdout and nothing else; everything else goes to stderr.
/// </summary>
/// <example>
/// <code>
/// return LaminaApp.Run(args, app =>
/// {
///     var stack = new Stack(app, "shop");
///     new Lamina.Aws.Resources.Sqs.Queue(stack, "Orders", new());
/// });
/// </code>
/// Commands: <c>synth [--out FILE] [--stack NAME] [--no-bundle]</c>, <c>validate [--stack NAME] [--no-bundle]</c>,
/// <c>ls [--stack NAME]</c>.
/// </example>
public static class LaminaApp
{
    /// <summary>Runs a command on the app that <paramref name="define"/> builds; returns the process exit code.</summary>
    public static int Run(string[] args, Action<App> define) => Run(args, define, Console.OpenStandardOutput(), Console.Error, Environment.GetEnvironmentVariable);

    /// <summary>Runs a command with explicit streams and environment (for tests and tools).</summary>
    public static int Run(string[] args, Action<App> define, Stream stdout, TextWriter stderr, Func<string, string?> env)
    {
        var originalOut = Console.Out;
        // User code and libraries must never write to stdout: only the program goes there.
        Console.SetOut(stderr);
        try
        {
            var cmd = CommandLine.Parse(args);
            if (cmd.Error is not null)
            {
                stderr.WriteLine($"lamina: {cmd.Error}");
                stderr.WriteLine(Usage);
                return 2;
            }
            if (cmd.Command == "help")
            {
                stderr.WriteLine(Usage + LaminaAppCommands.Usage());
                return 0;
            }
            if (cmd.External is { } external)
            {
                var externalApp = CreateApp(cmd with { NoBundle = true }, env, stderr);
                define(externalApp);
                return external.Run(new LaminaAppCommandContext(externalApp, externalApp.SelectStack(), cmd.Arguments, stdout, stderr, env));
            }
            var app = CreateApp(cmd, env, stderr);
            define(app);
            var stack = app.SelectStack();
            switch (cmd.Command)
            {
                case "ls":
                    stack.PrepareOnce();
                    WriteUtf8(stdout, Tree(stack));
                    return 0;
                case "synth":
                case "validate":
                    var result = stack.Synth();
                    foreach (var w in result.Warnings)
                    {
                        stderr.WriteLine(w);
                    }
                    if (cmd.Command == "validate")
                    {
                        var findings = ProgramChecker.Check(result.Yaml);
                        foreach (var f in findings)
                        {
                            stderr.WriteLine(f);
                        }
                        var errors = findings.Count(f => f.Severity == DiagnosticSeverity.Error);
                        stderr.WriteLine($"{result.Program.Resources.Count} resources, {errors} errors, {result.Warnings.Count + findings.Count - errors} warnings");
                        return errors == 0 ? 0 : 1;
                    }
                    if (cmd.Out is not null)
                    {
                        var full = Path.GetFullPath(cmd.Out);
                        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                        File.WriteAllText(full, result.Yaml, new UTF8Encoding(false));
                        stderr.WriteLine($"lamina: wrote {result.Program.Resources.Count} resources to {cmd.Out}");
                    }
                    else
                    {
                        using var writer = new StreamWriter(stdout, new UTF8Encoding(false), 65536, leaveOpen: true) { NewLine = "\n" };
                        YamlWriter.Write(result.Program, writer);
                    }
                    return 0;
            }
            return 2;
        }
        catch (SynthesisException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
        finally
        {
            Console.SetOut(originalOut);
        }
    }

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: <app> <command> [options]
          synth     [--out FILE] [--stack NAME] [--no-bundle]   print the Pulumi YAML program on stdout (or write FILE)
          validate  [--stack NAME] [--no-bundle]                synthesize and check the program; exit 1 on any error
          ls        [--stack NAME]                              show the construct tree and the resources of each construct
        """;

    private static void WriteUtf8(Stream stdout, string text)
    {
        var bytes = new UTF8Encoding(false).GetBytes(text);
        stdout.Write(bytes);
        stdout.Flush();
    }

    /// <summary>Builds the app for a command: project, stack name and configuration from the environment Pulumi sets, or from the project files.</summary>
    private static App CreateApp(CommandLine cmd, Func<string, string?> env, TextWriter stderr)
    {
        var root = env("PULUMI_ROOT_DIRECTORY") is { Length: > 0 } r ? r : FindProjectRoot(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
        var pulumiProject = env("PULUMI_PROJECT");
        var pulumiConfig = env("PULUMI_CONFIG");
        // Under Pulumi everything needed comes from the environment: Pulumi.yaml is not read at all.
        var (projectName, configDir) = pulumiProject is { Length: > 0 } && pulumiConfig is { Length: > 0 } ? (pulumiProject, null) : ReadProject(root);
        var stackName = cmd.Stack ?? env("PULUMI_STACK") ?? "dev";
        StackConfigSource config;
        if (pulumiConfig is { Length: > 0 } json)
        {
            config = StackConfigSource.FromPulumiEnvironment(json, env("PULUMI_CONFIG_SECRET_KEYS"));
        }
        else
        {
            var rel = Path.Combine(configDir ?? "", $"Pulumi.{stackName}.yaml").Replace('\\', '/');
            config = StackConfigSource.FromStackFile(Path.Combine(root, rel), rel);
        }
        return new App(new AppOptions
        {
            ProjectName = pulumiProject is { Length: > 0 } p ? p : projectName ?? "lamina",
            StackName = stackName,
            Config = config,
            Bundle = !cmd.NoBundle,
            RootDirectory = root,
        });
    }

    /// <summary>The nearest folder at or above <paramref name="dir"/> that holds a Pulumi.yaml.</summary>
    public static string? FindProjectRoot(string dir)
    {
        for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Pulumi.yaml")))
            {
                return d.FullName;
            }
        }
        return null;
    }

    private static (string? Name, string? ConfigDir) ReadProject(string root)
    {
        var file = Path.Combine(root, "Pulumi.yaml");
        if (!File.Exists(file))
        {
            return (null, null);
        }
        var text = File.ReadAllText(file);
        if (Configuration.SimpleYaml.Read(text) is { } simple)
        {
            return (simple.TopLevel.GetValueOrDefault("name"), simple.TopLevel.GetValueOrDefault("stackConfigDir"));
        }
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode m)
        {
            return (null, null);
        }
        string? Get(string key) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        return (Get("name"), Get("stackConfigDir"));
    }

    /// <summary>The construct tree with the resources each construct created, as text.</summary>
    public static string Tree(Stack stack)
    {
        var sb = new StringBuilder();
        Walk(stack, "", true, true);
        return sb.ToString();

        void Walk(Construct c, string indent, bool last, bool root)
        {
            var label = c switch
            {
                Resource r => $"{c.Id}  [{r.Type}] {r.LogicalName}",
                _ => $"{c.Id}  ({c.GetType().Name})",
            };
            sb.Append(root ? "" : indent + (last ? "└─ " : "├─ ")).Append(label).Append('\n');
            var kids = c.Children;
            for (var i = 0; i < kids.Count; i++)
            {
                Walk(kids[i], root ? "" : indent + (last ? "   " : "│  "), i == kids.Count - 1, false);
            }
        }
    }

    private sealed record CommandLine(string Command, string? Out, string? Stack, bool NoBundle, string? Error)
    {
        /// <summary>The command another package registered (see <see cref="LaminaAppCommands"/>), or null.</summary>
        public LaminaAppCommand? External { get; init; }

        /// <summary>The arguments after the command name, without <c>--stack NAME</c> (external commands).</summary>
        public IReadOnlyList<string> Arguments { get; init; } = [];

        public static CommandLine Parse(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                return new("help", null, null, false, null);
            }
            var command = args[0];
            if (command is not ("synth" or "validate" or "ls") && LaminaAppCommands.Find(command) is { } external)
            {
                string? externalStack = null;
                var rest = new List<string>();
                for (var i = 1; i < args.Length; i++)
                {
                    if (args[i] == "--stack" && i + 1 < args.Length)
                    {
                        externalStack = args[++i];
                    }
                    else
                    {
                        rest.Add(args[i]);
                    }
                }
                return new(command, null, externalStack, true, null) { External = external, Arguments = rest };
            }
            if (command is not ("synth" or "validate" or "ls"))
            {
                var known = string.Join(", ", new[] { "synth", "validate", "ls" }.Concat(LaminaAppCommands.Names));
                var hint = LaminaAppCommands.IsLocalCommand(command) ? $" ('{command}' comes with the Lamina.Local package: add a reference to it in the app's project)" : "";
                return new(command, null, null, false, $"unknown command '{command}' ({known}){hint}");
            }
            string? output = null, stack = null;
            var noBundle = false;
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--out" when command == "synth" && i + 1 < args.Length:
                        output = args[++i];
                        break;
                    case "--stack" when i + 1 < args.Length:
                        stack = args[++i];
                        break;
                    case "--no-bundle" when command != "ls":
                        noBundle = true;
                        break;
                    default:
                        return new(command, null, null, false, $"unknown or incomplete option '{args[i]}' for '{command}'");
                }
            }
            return new(command, output, stack, noBundle, null);
        }
    }
}
