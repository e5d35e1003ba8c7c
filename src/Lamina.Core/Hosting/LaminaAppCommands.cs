using System.Reflection;

namespace Lamina;

/// <summary>What a command that another package adds to <see cref="LaminaApp.Run(string[], Action{App})"/> receives.</summary>
/// <param name="App">The app, built by the program's define callback (without bundling function code).</param>
/// <param name="Stack">The selected stack (<c>--stack NAME</c>, PULUMI_STACK or <c>dev</c>).</param>
/// <param name="Arguments">The arguments after the command name, without <c>--stack NAME</c>.</param>
/// <param name="Stdout">Standard output (the command's result, for example an invocation's response).</param>
/// <param name="Stderr">Standard error (progress, logs, errors).</param>
/// <param name="Environment">Reads environment variables.</param>
public sealed record LaminaAppCommandContext(App App, Stack Stack, IReadOnlyList<string> Arguments, Stream Stdout, TextWriter Stderr, Func<string, string?> Environment);

/// <summary>A command another package adds to Lamina apps (Lamina.Local adds <c>dev</c> and <c>invoke</c>).</summary>
/// <param name="Name">The command name.</param>
/// <param name="Usage">One usage line, such as <c>dev [--port N]   run the app locally</c>.</param>
/// <param name="Run">Runs the command; returns the exit code.</param>
public sealed record LaminaAppCommand(string Name, string Usage, Func<LaminaAppCommandContext, int> Run);

/// <summary>
/// The commands other packages add to <see cref="LaminaApp"/>. Lamina.Core does not depend on them: when a Lamina app
/// runs a command it does not know, it loads <c>Lamina.Local</c> if the app references it, which registers its commands.
/// </summary>
public static class LaminaAppCommands
{
    private static readonly Dictionary<string, LaminaAppCommand> Commands = new(StringComparer.Ordinal);
    private static readonly string[] LocalCommands = ["dev", "invoke"];
    private static bool _discovered;

    /// <summary>Adds (or replaces) a command.</summary>
    public static void Register(LaminaAppCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (Commands)
        {
            Commands[command.Name] = command;
        }
    }

    /// <summary>The names of the registered commands.</summary>
    public static IReadOnlyList<string> Names
    {
        get
        {
            Discover();
            lock (Commands)
            {
                return Commands.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>The command named <paramref name="name"/>, or null.</summary>
    public static LaminaAppCommand? Find(string name)
    {
        Discover();
        lock (Commands)
        {
            return Commands.GetValueOrDefault(name);
        }
    }

    /// <summary>True for the commands the Lamina.Local package provides.</summary>
    public static bool IsLocalCommand(string name) => LocalCommands.Contains(name);

    /// <summary>The usage lines of the registered commands.</summary>
    public static string Usage()
    {
        Discover();
        lock (Commands)
        {
            return string.Concat(Commands.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => "  " + c.Usage + "\n"));
        }
    }

    private static void Discover()
    {
        if (_discovered)
        {
            return;
        }
        _discovered = true;
        // Lamina.Local registers its commands in LocalAppCommands.Register when the app references the package.
        try
        {
            var type = Type.GetType("Lamina.Local.Hosting.LocalAppCommands, Lamina.Local", throwOnError: false);
            type?.GetMethod("Register", BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)?.Invoke(null, null);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or TargetInvocationException)
        {
            // Not referenced (or not loadable): the app has only the built-in commands.
        }
    }
}
