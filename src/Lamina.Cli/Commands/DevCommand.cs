using System.CommandLine;

namespace Lamina.Cli.Commands;

/// <summary>
/// <c>lamina dev [--stack NAME] [--port N]</c>: runs the app's <c>dev</c> command (the local harness) in the project,
/// like <see cref="AppCommand"/> runs <c>synth</c>: the app's output streams live, it runs until Ctrl+C or SIGTERM
/// (which reach it), and its exit code is lamina's.
/// </summary>
public sealed class DevCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(CliServices cli)
    {
        var command = new Command("dev",
            "Run the app locally on the Lamina harness until Ctrl+C: its functions, APIs, queues, topics and schedules. " +
            "The session writes .lamina/dev.json in the project, which `lamina trigger` uses.");
        var stack = AppRun.StackOption();
        var port = new Option<int?>("--port")
        {
            Description = "The port of the local HTTP endpoint (APIs and the control endpoint). Default: the app's choice.",
            HelpName = "N",
        };
        port.Validators.Add(r =>
        {
            if (r.Tokens is [{ } token] && int.TryParse(token.Value, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is < 1 or > 65535)
            {
                r.AddError($"--port must be between 1 and 65535, not {p}.");
            }
        });
        command.Options.Add(stack);
        command.Options.Add(port);
        command.SetAction(parse =>
        {
            var appArgs = new List<string> { "dev" };
            if (parse.GetValue(port) is { } p)
            {
                appArgs.Add("--port");
                appArgs.Add(p.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return AppRun.Run(cli, parse, AppRun.StackName(cli, parse, stack), appArgs);
        });
        return command;
    }
}
