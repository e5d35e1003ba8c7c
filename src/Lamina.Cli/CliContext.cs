using System.Text;

namespace Lamina.Cli;

/// <summary>Where lamina runs: its current folder, its output streams and its environment (replaceable in tests).</summary>
public sealed record CliContext
{
    /// <summary>The folder lamina was started in.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>Standard output: the app's stdout (the program, for <c>synth</c>) and lamina's help and version.</summary>
    public required Stream StandardOutput { get; init; }

    /// <summary>Standard error: the app's stderr and lamina's own messages.</summary>
    public required Stream StandardError { get; init; }

    /// <summary>
    /// Standard input, for <c>lamina invoke --event -</c> and <c>lamina trigger --event -</c>: null (the default, and
    /// the lamina process) means lamina's own stdin, which an app it runs inherits.
    /// </summary>
    public Stream? StandardInput { get; init; }

    /// <summary>Reads one of lamina's environment variables.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>The context of the lamina process itself.</summary>
    public static CliContext FromProcess() => new()
    {
        CurrentDirectory = Directory.GetCurrentDirectory(),
        StandardOutput = Console.OpenStandardOutput(),
        StandardError = Console.OpenStandardError(),
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
    };

    /// <summary>A text writer on <paramref name="stream"/> (UTF-8 without a byte order mark, flushed on every write).</summary>
    internal static TextWriter Writer(Stream stream) => new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
}
