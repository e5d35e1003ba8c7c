using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Lamina.Bench;

/// <summary>
/// Times whole processes: builds bench/SmallStack (Release) once, then runs
/// <c>dotnet bin/Release/&lt;tfm&gt;/SmallStack.dll synth</c> repeatedly from the SmallStack folder, measuring wall time,
/// CPU time and peak resident memory. Peak memory and CPU time come from <c>/usr/bin/time -v</c> when it is installed;
/// otherwise the child's <c>VmHWM</c> in <c>/proc/&lt;pid&gt;/status</c> is polled (a lower bound) and CPU time is not known.
/// The same number of runs of the <c>help</c> command (which starts the runtime and Lamina but defines no app) gives
/// the .NET start-up baseline.
/// </summary>
public static class WholeProcess
{
    private const string TimeTool = "/usr/bin/time";

    /// <summary>
    /// Options: <c>--runs N</c> (default 20), <c>--no-build</c>, <c>--r2r</c> (also publish SmallStack with
    /// <c>PublishReadyToRun</c> to bin/r2r and time that build too, interleaved with the others).
    /// </summary>
    public static int Run(string[] args, TextWriter output)
    {
        var runs = 20;
        var build = true;
        var r2r = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    runs = r;
                    i++;
                    break;
                case "--no-build":
                    build = false;
                    break;
                case "--r2r":
                    r2r = true;
                    break;
                default:
                    Console.Error.WriteLine($"whole-process: unknown option '{args[i]}' (use --runs N, --no-build, --r2r)");
                    return 2;
            }
        }

        var root = RepositoryRoot();
        var project = Path.Combine(root, "bench", "SmallStack");
        if (build)
        {
            output.WriteLine("Building bench/SmallStack (Release)...");
            var (code, _, err) = Exec("dotnet", ["build", "-c", "Release", "-nologo", "-v", "q", project], root);
            if (code != 0)
            {
                Console.Error.WriteLine(err);
                Console.Error.WriteLine("whole-process: the build of bench/SmallStack failed");
                return 1;
            }
        }
        var dll = Directory.Exists(Path.Combine(project, "bin", "Release"))
            ? Directory.GetFiles(Path.Combine(project, "bin", "Release"), "SmallStack.dll", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        if (dll is null)
        {
            Console.Error.WriteLine("whole-process: bin/Release/*/SmallStack.dll not found; run without --no-build");
            return 1;
        }
        var relativeDll = Path.GetRelativePath(project, dll);
        var r2rDll = Path.Combine(project, "bin", "r2r", "SmallStack.dll");
        if (r2r && build)
        {
            output.WriteLine("Publishing bench/SmallStack with ReadyToRun to bench/SmallStack/bin/r2r...");
            var (code, _, err) = Exec("dotnet", ["publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false",
                "-p:PublishReadyToRun=true", "-o", Path.GetDirectoryName(r2rDll)!, "-nologo", "-v", "q", project], root);
            if (code != 0)
            {
                Console.Error.WriteLine(err);
                Console.Error.WriteLine("whole-process: the ReadyToRun publish of bench/SmallStack failed");
                return 1;
            }
        }
        if (r2r && !File.Exists(r2rDll))
        {
            Console.Error.WriteLine("whole-process: bin/r2r/SmallStack.dll not found; run --r2r without --no-build");
            return 1;
        }
        var useTime = File.Exists(TimeTool);
        output.WriteLine($"# Whole process ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load before {Breakdown.LoadAverage()})");
        output.WriteLine($"# command: (cd bench/SmallStack && dotnet {relativeDll} synth), {runs} runs after 1 untimed warm-up run; " +
            "the commands below are interleaved (one run of each in turn) so that they see the same load");
        output.WriteLine(useTime
            ? "# peak RSS and CPU time (user + sys) from /usr/bin/time -v; wall time from a Stopwatch around the child"
            : "# /usr/bin/time not installed: peak RSS = polled VmHWM (a lower bound), CPU time unknown");

        var commands = new List<(string Name, string Dll, string Command, bool Verify)>
        {
            ("synth (10 resources)", relativeDll, "synth", true),
            ("help (start-up baseline)", relativeDll, "help", false),
        };
        if (r2r)
        {
            commands.Add(("synth, ReadyToRun build", Path.GetRelativePath(project, r2rDll), "synth", true));
        }
        var results = commands.Select(_ => new List<Sample>()).ToList();
        for (var i = 0; i <= runs; i++)
        {
            for (var c = 0; c < commands.Count; c++)
            {
                var sample = RunOnce(commands[c].Dll, commands[c].Command, project, useTime, commands[c].Verify);
                if (sample is null)
                {
                    return 1;
                }
                if (i > 0)
                {
                    results[c].Add(sample);
                }
            }
        }
        var synth = results[0];
        output.WriteLine($"# load after {Breakdown.LoadAverage()}");
        output.WriteLine();
        output.WriteLine("| command | runs | wall median | wall p90 | CPU median | CPU p90 | peak RSS median | peak RSS p90 |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        for (var c = 0; c < commands.Count; c++)
        {
            Row(output, commands[c].Name, results[c]);
        }
        output.WriteLine();
        var wallOk = Percentile(synth.Select(s => s.WallSeconds), 0.5) < 0.3;
        var rssOk = Percentile(synth.Select(s => s.PeakRssKb), 0.5) < 100 * 1024;
        output.WriteLine($"Targets (median): wall < 0.3 s: {(wallOk ? "met" : "MISSED")}; peak RSS < 100 MiB: {(rssOk ? "met" : "MISSED")}.");
        return 0;
    }

    private sealed record Sample(double WallSeconds, double? CpuSeconds, double PeakRssKb);

    private static Sample? RunOnce(string dll, string command, string workingDirectory, bool useTime, bool verify)
    {
        var psi = new ProcessStartInfo(useTime ? TimeTool : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (useTime)
        {
            psi.ArgumentList.Add("-v");
            psi.ArgumentList.Add("dotnet");
        }
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(command);
        // Pulumi is not running the program: make sure no PULUMI_* variable of the caller changes what it does.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the child process");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        double hwm = 0;
        if (!useTime)
        {
            while (!p.HasExited)
            {
                hwm = Math.Max(hwm, ReadVmHwmKb(p.Id));
                Thread.Sleep(1);
            }
        }
        p.WaitForExit();
        sw.Stop();
        var output = stdout.Result;
        var errors = stderr.Result;
        if (p.ExitCode != 0 || (verify && !output.Contains("resources:", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine($"whole-process: '{command}' failed (exit {p.ExitCode}):\n{errors}");
            return null;
        }
        if (!useTime)
        {
            return new Sample(sw.Elapsed.TotalSeconds, null, hwm);
        }
        var user = Field(errors, "User time (seconds):");
        var sys = Field(errors, "System time (seconds):");
        var rss = Field(errors, "Maximum resident set size (kbytes):");
        return new Sample(sw.Elapsed.TotalSeconds, user + sys, rss);
    }

    private static double Field(string text, string label)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"'{label}' not found in the output of /usr/bin/time -v");
        return double.Parse(line[label.Length..].Trim(), CultureInfo.InvariantCulture);
    }

    private static double ReadVmHwmKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return double.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process exited between two polls.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    private static void Row(TextWriter output, string name, List<Sample> samples)
    {
        static string S(double s) => s.ToString("0.000", CultureInfo.InvariantCulture) + " s";
        static string M(double kb) => (kb / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
        var cpu = samples.All(s => s.CpuSeconds is not null) ? samples.Select(s => s.CpuSeconds!.Value).ToList() : null;
        output.WriteLine($"| {name} | {samples.Count} | {S(Percentile(samples.Select(s => s.WallSeconds), 0.5))} | {S(Percentile(samples.Select(s => s.WallSeconds), 0.9))} | " +
            $"{(cpu is null ? "-" : S(Percentile(cpu, 0.5)))} | {(cpu is null ? "-" : S(Percentile(cpu, 0.9)))} | " +
            $"{M(Percentile(samples.Select(s => s.PeakRssKb), 0.5))} | {M(Percentile(samples.Select(s => s.PeakRssKb), 0.9))} |");
    }

    /// <summary>The nearest-rank percentile (<paramref name="q"/> in (0, 1]); the median of an even count is the mean of the middle two.</summary>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0)
        {
            return double.NaN;
        }
        if (q == 0.5 && v.Length % 2 == 0)
        {
            return (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }
        var rank = (int)Math.Ceiling(q * v.Length);
        return v[Math.Clamp(rank - 1, 0, v.Length - 1)];
    }

    private static (int Code, string Out, string Err) Exec(string file, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, o.Result, o.Result + e.Result);
    }

    /// <summary>The folder holding Constructs.sln, searched upwards from the current directory and then from this program.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
                {
                    return d.FullName;
                }
            }
        }
        throw new InvalidOperationException("Constructs.sln not found above the current directory or the program");
    }
}
