using System.Text;

namespace Lamina.Cli.Tests;

internal sealed record CliResult(int ExitCode, byte[] StdoutBytes, string Stderr)
{
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

internal static class CliRunner
{
    /// <summary>Runs lamina in this process with captured streams and an environment where only <paramref name="env"/> is set.</summary>
    public static CliResult Run(string cwd, string[] args, IReadOnlyDictionary<string, string>? env = null, Stream? stdin = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = LaminaCli.Run(args, new CliContext
        {
            CurrentDirectory = cwd,
            StandardOutput = stdout,
            StandardError = stderr,
            StandardInput = stdin,
            GetEnvironmentVariable = name => env?.GetValueOrDefault(name),
        });
        return new CliResult(code, stdout.ToArray(), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public static CliResult Run(string cwd, params string[] args) => Run(cwd, args, null);
}
