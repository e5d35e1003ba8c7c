using System.CommandLine;

namespace Lamina.Cli.Commands;

/// <summary>
/// One <c>lamina</c> command. Each implemented command is listed in <see cref="CommandCatalog.Implemented"/>; that list
/// is what <c>lamina --help</c> shows.
/// </summary>
public interface ICliCommand
{
    /// <summary>Builds the System.CommandLine command (name, help text, options and action) for <paramref name="cli"/>.</summary>
    Command Build(CliServices cli);
}

/// <summary>What a command's action needs: the context, the text writers on its streams and the shared options.</summary>
/// <param name="Context">Where lamina runs.</param>
/// <param name="Out">Lamina's own text on standard output (help, version).</param>
/// <param name="Error">Lamina's own messages on standard error.</param>
/// <param name="ProjectOption">The global <c>--project DIR</c> option.</param>
public sealed record CliServices(CliContext Context, TextWriter Out, TextWriter Error, Option<string> ProjectOption);

/// <summary>The commands of <c>lamina</c>.</summary>
public static class CommandCatalog
{
    /// <summary>The implemented commands, in the order <c>lamina --help</c> lists them.</summary>
    public static IReadOnlyList<ICliCommand> Implemented { get; } =
    [
        new AppCommand(AppCommand.Synth),
        new AppCommand(AppCommand.Validate),
        new AppCommand(AppCommand.Ls),
        new DevCommand(),
        new InvokeCommand(),
        new TriggerCommand(),
        new GenerateEventCommand(),
        // ── EXTENSION POINT ──────────────────────────────────────────────────────────────────────────────────────
        // Later commands implement ICliCommand (see AppCommand for the pattern: locate the project with
        // PulumiProject.Locate, then act; AppRun runs the app with another command word) and are added to this list,
        // which makes them appear in `lamina --help`. Reserve a name in Planned below until it is implemented.
        // ─────────────────────────────────────────────────────────────────────────────────────────────────────────
    ];

    /// <summary>
    /// Command names reserved for later (not implemented, not listed in help). Running one says it is not available
    /// yet instead of "unknown command".
    /// </summary>
    public static IReadOnlyList<string> Planned { get; } = [];
}
