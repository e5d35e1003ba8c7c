using System.CommandLine;

namespace Lamina.Cli.Commands;

/// <summary>
/// A command that runs the app program: <c>synth</c>, <c>validate</c> or <c>ls</c>. It locates the project, reads the
/// compiler command from <c>Pulumi.yaml</c>, swaps the app command in, and runs it in the project with the stack's
/// environment; the app's stdout, stderr and exit code are lamina's.
/// </summary>
/// <param name="definition">Which app command and which of its options.</param>
public sealed class AppCommand(AppCommand.Definition definition) : ICliCommand
{
    /// <summary>An app command's name, help text and options.</summary>
    /// <param name="Name">The command word (also the app's).</param>
    /// <param name="Description">The help text.</param>
    /// <param name="HasOut">Whether it takes <c>--out FILE</c>.</param>
    /// <param name="HasNoBundle">Whether it takes <c>--no-bundle</c>.</param>
    public sealed record Definition(string Name, string Description, bool HasOut, bool HasNoBundle);

    /// <summary><c>lamina synth [--out FILE] [--stack NAME] [--no-bundle]</c>.</summary>
    public static Definition Synth { get; } = new("synth",
        "Synthesize the app: print the stack's Pulumi YAML program on stdout (nothing else goes there), or write it to --out FILE.",
        HasOut: true, HasNoBundle: true);

    /// <summary><c>lamina validate [--stack NAME] [--no-bundle]</c>.</summary>
    public static Definition Validate { get; } = new("validate",
        "Synthesize the app and check the program; print findings on stderr and exit 1 when there is an error.",
        HasOut: false, HasNoBundle: true);

    /// <summary><c>lamina ls [--stack NAME]</c>.</summary>
    public static Definition Ls { get; } = new("ls",
        "Show the construct tree of the stack and the resources each construct creates.",
        HasOut: false, HasNoBundle: false);

    /// <inheritdoc />
    public Command Build(CliServices cli)
    {
        var command = new Command(definition.Name, definition.Description);
        var stack = AppRun.StackOption();
        command.Options.Add(stack);
        Option<string>? output = null;
        if (definition.HasOut)
        {
            output = new Option<string>("--out", "-o")
            {
                Description = "Write the program to FILE (relative to the current folder) instead of stdout.",
                HelpName = "FILE",
            };
            command.Options.Add(output);
        }
        Option<bool>? noBundle = null;
        if (definition.HasNoBundle)
        {
            noBundle = new Option<bool>("--no-bundle")
            {
                Description = "Do not build function code; reference the code paths as they are (faster).",
            };
            command.Options.Add(noBundle);
        }
        command.SetAction(parse =>
        {
            var appArgs = new List<string> { definition.Name };
            if (output is not null && parse.GetValue(output) is { Length: > 0 } file)
            {
                // The app runs in the project folder: pass the file as a full path.
                appArgs.Add("--out");
                appArgs.Add(Path.GetFullPath(file, cli.Context.CurrentDirectory));
            }
            if (noBundle is not null && parse.GetValue(noBundle))
            {
                appArgs.Add("--no-bundle");
            }
            return AppRun.Run(cli, parse, AppRun.StackName(cli, parse, stack), appArgs);
        });
        return command;
    }
}
