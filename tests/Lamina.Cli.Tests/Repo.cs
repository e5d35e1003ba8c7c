using System.Diagnostics;
using System.Text;

namespace Lamina.Cli.Tests;

internal static class Repo
{
    /// <summary>The repository root (the folder with Constructs.sln above the test binaries).</summary>
    public static string Root { get; } = Find();

    /// <summary>The configuration the tests were built in; the sample app uses the same build of the Lamina projects.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("Constructs.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a process to completion, capturing its output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Exec(string file, IEnumerable<string> args, string cwd, TimeSpan timeout, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
