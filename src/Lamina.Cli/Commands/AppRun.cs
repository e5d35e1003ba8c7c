using System.CommandLine;
using Lamina.Cli.Processes;
using Lamina.Cli.Projects;

namespace Lamina.Cli.Commands;

/// <summary>What the commands that run the app share: the <c>--stack</c> option, the stack name and the run itself.</summary>
internal static class AppRun
{
    /// <summary>A new <c>--stack NAME</c> option.</summary>
    public static Option<string> StackOption() => new("--stack", "-s")
    {
        Description = "The Pulumi stack (reads its settings from Pulumi.<stack>.yaml in stackConfigDir). Default: $PULUMI_STACK, else dev.",
        HelpName = "NAME",
    };

    /// <summary>The stack: the option, else <c>$PULUMI_STACK</c>, else <c>dev</c>.</summary>
    public static string StackName(CliServices cli, ParseResult parse, Option<string> stack) =>
        parse.GetValue(stack) is { Length: > 0 } s ? s
        : cli.Context.GetEnvironmentVariable("PULUMI_STACK") is { Length: > 0 } e ? e
        : "dev";

    /// <summary>
    /// Locates the project, runs its app with <paramref name="appArgs"/> in place of the compiler's trailing
    /// <c>synth</c>, and returns the app's exit code (1 when the project cannot be used).
    /// </summary>
    public static int Run(CliServices cli, ParseResult parse, string stackName, IReadOnlyList<string> appArgs, Stream? stdin = null)
    {
        try
        {
            var project = PulumiProject.Locate(cli.Context.CurrentDirectory, parse.GetValue(cli.ProjectOption));
            var invocation = AppInvocation.Create(project, stackName, appArgs);
            // lamina dev and invoke start the built app directly when its build is up to date (DotnetRunShortcut).
            if (appArgs.Count > 0 && appArgs[0] is "dev" or "invoke" && cli.Context.GetEnvironmentVariable("LAMINA_NO_SHORTCUT") is not ("1" or "true")
                && DotnetRunShortcut.TryShortcut(invocation.Arguments, invocation.WorkingDirectory) is { } direct)
            {
                invocation = invocation with { Arguments = direct };
            }
            if (cli.Context.GetEnvironmentVariable("LAMINA_VERBOSE") is "1" or "true")
            {
                cli.Error.WriteLine($"lamina: running {invocation} in {invocation.WorkingDirectory} (stack {stackName})");
            }
            return AppProcessRunner.Run(invocation, cli.Context.StandardOutput, cli.Context.StandardError, stdin);
        }
        catch (PulumiProjectException ex)
        {
            cli.Error.WriteLine($"lamina: {ex.Message}");
            return 1;
        }
    }
}
