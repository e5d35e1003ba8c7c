using System.Diagnostics;
using System.Text.RegularExpressions;
using Lamina.Synthesis;

namespace Lamina.Tests.Shared;

/// <summary>The summary of a check of a synthesized program.</summary>
public sealed record CheckSummary(int Resources, int Errors, int Warnings, int Wildcards, int BroadWildcards, string Output, bool External);

/// <summary>
/// Checks a synthesized program with ../shared/tools/check-pulumi-yaml when that tool is present (the shared
/// checker), and always with Lamina's own <see cref="ProgramChecker"/>.
/// </summary>
public static class CheckPulumiYaml
{
    /// <summary>The shared checker's path, or null on machines without ../shared.</summary>
    public static string? ToolPath
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "shared", "tools", "check-pulumi-yaml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
                if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
                {
                    var sibling = Path.Combine(d.Parent?.FullName ?? "", "shared", "tools", "check-pulumi-yaml");
                    return File.Exists(sibling) ? sibling : null;
                }
            }
            return null;
        }
    }

    /// <summary>Runs the checks; returns the shared checker's summary when it ran, else the own checker's.</summary>
    public static CheckSummary Check(string yaml, string? workingDirectory = null)
    {
        var own = ProgramChecker.Check(yaml);
        var ownErrors = own.Where(f => f.Severity == Lamina.DiagnosticSeverity.Error).ToList();
        if (ownErrors.Count > 0)
        {
            return new CheckSummary(-1, ownErrors.Count, 0, 0, 0, string.Join("\n", ownErrors), false);
        }
        var tool = ToolPath;
        if (tool is null)
        {
            return new CheckSummary(-1, 0, own.Count, 0, 0, "(shared checker not present; Lamina's own checker found no errors)", false);
        }
        var dir = workingDirectory ?? Path.Combine(Path.GetTempPath(), "lamina-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "Main.yaml");
        File.WriteAllText(file, yaml);
        var psi = new ProcessStartInfo("python3", [tool, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var text = stdout.Result + stderr.Result;
        if (workingDirectory is null)
        {
            Directory.Delete(dir, true);
        }
        var m = Regex.Match(text, @"(\d+) resources, (\d+) errors, (\d+) warnings, (\d+) wildcard statements \((\d+) broad\)");
        if (!m.Success)
        {
            throw new InvalidOperationException("check-pulumi-yaml printed no summary:\n" + text);
        }
        int N(int g) => int.Parse(m.Groups[g].Value);
        return new CheckSummary(N(1), N(2), N(3), N(4), N(5), text, true);
    }
}
