using System.Diagnostics;
using System.Text;

namespace Lamina.Aws.Packaging;

/// <summary>A command for <see cref="IProcessRunner"/>: a program, its arguments and where it runs.</summary>
public sealed record ProcessSpec
{
    /// <summary>The program, such as <c>dotnet</c> (looked up on PATH).</summary>
    public required string FileName { get; init; }

    /// <summary>The arguments, each passed as one argument (no shell quoting).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The working directory. Default: the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The command line as text, for messages.</summary>
    public override string ToString() => FileName + " " + string.Join(' ', Arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}

/// <summary>How a command ended: its exit code and everything it printed (standard output then standard error).</summary>
/// <param name="ExitCode">The exit code; 0 is success.</param>
/// <param name="Output">The text it printed.</param>
public sealed record ProcessResult(int ExitCode, string Output);

/// <summary>
/// Runs external commands for the bundlers (<c>dotnet publish</c>, <c>dotnet --version</c>). Replace
/// <see cref="DotnetBundler.Runner"/> with a fake to test packaging without building.
/// </summary>
public interface IProcessRunner
{
    /// <summary>Runs <paramref name="spec"/> to completion and returns its exit code and output.</summary>
    ProcessResult Run(ProcessSpec spec);
}

/// <summary>
/// Runs commands as child processes, capturing their output (nothing reaches the caller's stdout, which carries
/// the synthesized program). MSBuild's own environment variables (<c>MSBuild*</c>, set when synthesis itself runs
/// under <c>dotnet run</c> or <c>dotnet test</c>) are removed so the child's <c>dotnet</c> resolves its own SDK.
/// </summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    /// <summary>The shared instance.</summary>
    public static SystemProcessRunner Instance { get; } = new();

    /// <inheritdoc />
    public ProcessResult Run(ProcessSpec spec)
    {
        var psi = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var a in spec.Arguments)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            psi.Environment.Remove(key);
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {spec.FileName}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProcessResult(127, $"could not start '{spec.FileName}': {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var text = new StringBuilder(stdout.GetAwaiter().GetResult()).Append(stderr.GetAwaiter().GetResult()).ToString();
            return new ProcessResult(process.ExitCode, text);
        }
    }
}
