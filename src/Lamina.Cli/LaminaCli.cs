using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using Lamina.Cli.Commands;

namespace Lamina.Cli;

/// <summary>
/// The <c>lamina</c> command: runs the commands of a Lamina app (<c>synth</c>, <c>validate</c>, <c>ls</c>, <c>dev</c>,
/// <c>invoke</c>) from anywhere inside its Pulumi project, through the compiler command of the project's
/// <c>Pulumi.yaml</c>; sends events to a running <c>lamina dev</c> session (<c>trigger</c>); prints sample events
/// (<c>generate-event</c>).
/// </summary>
/// <remarks>Exit codes: the app's own; 1 when the project cannot be used; 2 for a usage error; 127 when the app cannot be started.</remarks>
public static class LaminaCli
{
    /// <summary>The exit code of a usage error (unknown command or option).</summary>
    public const int UsageExitCode = 2;

    /// <summary>The version of lamina (the package version).</summary>
    public static string Version { get; } =
        typeof(LaminaCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(LaminaCli).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>Runs lamina in this process (the tool's entry point).</summary>
    public static int Run(string[] args) => Run(args, CliContext.FromProcess());

    /// <summary>Runs lamina with an explicit context (for tests and hosts).</summary>
    public static int Run(IReadOnlyList<string> args, CliContext context)
    {
        using var output = CliContext.Writer(context.StandardOutput);
        using var error = CliContext.Writer(context.StandardError);
        if (args.Count > 0 && CommandCatalog.Planned.Contains(args[0]))
        {
            error.WriteLine($"lamina: '{args[0]}' is planned but not available yet. Commands: {string.Join(", ", CommandCatalog.Implemented.Select(c => c.Build(Services(context, output, error)).Name))}.");
            return UsageExitCode;
        }
        var root = BuildRootCommand(Services(context, output, error));
        // No response files: an argument such as --body @order.json is lamina's own (a file's content), not System.CommandLine's.
        var parse = root.Parse(args.ToArray(), new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"lamina: {e.Message}");
            }
            // A command made of subcommands (generate-event): name the ones it takes.
            if (parse.CommandResult.Command is { Subcommands.Count: > 0 } group && group is not RootCommand)
            {
                var names = group.Subcommands.Select(c => c.Aliases.Count > 0 ? $"{c.Name} ({string.Join(", ", c.Aliases)})" : c.Name);
                error.WriteLine($"lamina: {group.Name} takes one of: {string.Join(", ", names)}.");
            }
            error.WriteLine("Run 'lamina --help' for the commands and options.");
            return UsageExitCode;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = true,
        });
    }

    private static CliServices Services(CliContext context, TextWriter output, TextWriter error) =>
        new(context, output, error, new Option<string>("--project", "-p")
        {
            Description = "The Lamina project: a folder with a Pulumi.yaml. Default: the nearest Pulumi.yaml at or above the current folder.",
            HelpName = "DIR",
            Recursive = true,
        });

    /// <summary>The root command with every implemented command and the global options.</summary>
    public static RootCommand BuildRootCommand(CliServices cli)
    {
        var root = new RootCommand(
            "lamina - synthesize, validate, inspect and run a Lamina app locally. The app is the program that the compiler command of the " +
            "project's Pulumi.yaml runs (runtime: { name: yaml, options: { compiler: ... } }); lamina runs it in the project " +
            "folder with the command you give in place of the compiler's trailing 'synth'.");
        // Our own --version: the built-in one reports the entry assembly, which is not lamina when it runs in a host.
        for (var i = root.Options.Count - 1; i >= 0; i--)
        {
            if (root.Options[i] is VersionOption)
            {
                root.Options.RemoveAt(i);
            }
        }
        var version = new Option<bool>("--version") { Description = "Show lamina's version and exit." };
        root.Options.Add(version);
        root.Options.Add(cli.ProjectOption);
        foreach (var command in CommandCatalog.Implemented)
        {
            root.Subcommands.Add(command.Build(cli));
        }
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                cli.Out.WriteLine(Version);
                return 0;
            }
            // No command: the help on stdout, the complaint on stderr.
            new HelpAction().Invoke(parse);
            cli.Error.WriteLine("lamina: a command is required.");
            return UsageExitCode;
        });
        return root;
    }
}
