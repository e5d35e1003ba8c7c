using System.CommandLine;

namespace Lamina.Cli.Commands;

/// <summary>
/// <c>lamina invoke &lt;function&gt; [--event FILE|-] [--stack NAME] [--out-of-process]</c>: runs the app's
/// <c>invoke</c> command, which calls one function locally with an event. The event file is passed as a full path;
/// <c>--event -</c> is passed on as is and lamina's stdin goes to the app; without <c>--event</c> the app uses <c>{}</c>.
/// </summary>
public sealed class InvokeCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Build(CliServices cli)
    {
        var command = new Command("invoke",
            "Invoke one function of the app locally with an event and print its result on stdout (logs go to stderr).");
        var function = new Argument<string>("function")
        {
            Description = "The function: its construct path (shop/Api/GetOrder), its construct id (GetOrder) or its function name.",
        };
        var eventOption = new Option<string>("--event", "-e")
        {
            Description = "The event: a JSON file (relative to the current folder), or - for stdin. Default: {}. See `lamina generate-event`.",
            HelpName = "FILE|-",
        };
        var stack = AppRun.StackOption();
        var outOfProcess = new Option<bool>("--out-of-process")
        {
            Description = "Run the function in its own process through the Lambda runtime API, as Lambda does, instead of inside the app.",
        };
        command.Arguments.Add(function);
        command.Options.Add(eventOption);
        command.Options.Add(stack);
        command.Options.Add(outOfProcess);
        command.SetAction(parse =>
        {
            var appArgs = new List<string> { "invoke", parse.GetValue(function)! };
            Stream? stdin = null;
            if (parse.GetValue(eventOption) is { } file)
            {
                if (file == "-")
                {
                    appArgs.Add("--event");
                    appArgs.Add("-");
                    stdin = cli.Context.StandardInput; // null: the app inherits lamina's stdin
                }
                else
                {
                    var full = Path.GetFullPath(file, cli.Context.CurrentDirectory);
                    if (!File.Exists(full))
                    {
                        cli.Error.WriteLine($"lamina: --event {file}: no such file ({full})");
                        return 1;
                    }
                    appArgs.Add("--event");
                    appArgs.Add(full);
                }
            }
            if (parse.GetValue(outOfProcess))
            {
                appArgs.Add("--out-of-process");
            }
            return AppRun.Run(cli, parse, AppRun.StackName(cli, parse, stack), appArgs, stdin);
        });
        return command;
    }
}
