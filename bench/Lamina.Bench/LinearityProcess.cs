using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Lamina.Synthesis;

namespace Lamina.Bench;

/// <summary>
/// Linear growth measured the way a real <c>synth</c> run pays it: one synthesis per fresh process, so every page of
/// memory is fresh at every N (unlike the in-process <c>linearity</c> mode, whose small side reuses warm memory).
/// For each N the parent launches K child processes (this program with the hidden sub-mode <c>synth-once N</c>),
/// interleaving the sizes round-robin so that a change of machine load hits all sizes equally. Each child JITs the
/// code paths on a 10-resource stack, forces a full GC, then times (thread CPU and wall) building the tree of N
/// resources (<see cref="SynthesisWorkload"/>), <c>Synth()</c> and streaming the YAML to <see cref="TextWriter.Null"/>,
/// and prints one line of results. The parent reports per-N medians, the marginal cost per resource between
/// consecutive sizes and a least-squares fit T(N) = a + b·N.
/// Criterion (fixed before any data was seen): linear growth holds if the fit's R² ≥ 0.99 and every marginal cost
/// per resource is within ±25% of the slope b.
/// </summary>
public static partial class LinearityProcess
{
    /// <summary>The hidden sub-mode a child runs.</summary>
    public const string ChildMode = "synth-once";

    private const double MinR2 = 0.99;
    private const double MarginalTolerance = 0.25;

    // Field order of a child's result line, after the leading "result".
    private static readonly string[] Fields =
        ["n", "cpu_ms", "wall_ms", "build_cpu_ms", "build_wall_ms", "synth_cpu_ms", "synth_wall_ms", "faults", "gcs", "process_cpu_ms", "gc_pause_ms"];

    /// <summary>
    /// Options: <c>--runs K</c> (default 15 processes per size), <c>--sizes 100,500,1000,2000,5000</c>.
    /// Returns the process exit code (0 also when the criterion is not met; 1 when a child fails).
    /// </summary>
    public static int Run(string[] args, TextWriter output)
    {
        var runs = 15;
        int[] sizes = [100, 500, 1000, 2000, 5000];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    runs = r;
                    i++;
                    break;
                case "--sizes" when i + 1 < args.Length:
                    sizes = args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)).Distinct().Order().ToArray();
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"linearity-process: unknown option '{args[i]}' (use --runs K, --sizes N1,N2,...)");
                    return 2;
            }
        }
        if (sizes.Length < 3 || sizes[0] <= SynthesisWorkload.FixedResources)
        {
            Console.Error.WriteLine($"linearity-process: give at least 3 sizes, each above {SynthesisWorkload.FixedResources}");
            return 2;
        }

        var loadBefore = Breakdown.LoadAverage();
        var started = DateTime.UtcNow;
        var samples = sizes.ToDictionary(n => n, _ => new List<double[]>());
        // One untimed child first (page cache, disk), then K rounds, each launching every size once, in a rotated order.
        if (RunChild(sizes[0]) is null)
        {
            return 1;
        }
        for (var round = 0; round < runs; round++)
        {
            for (var j = 0; j < sizes.Length; j++)
            {
                var n = sizes[(j + round) % sizes.Length];
                var sample = RunChild(n);
                if (sample is null)
                {
                    return 1;
                }
                samples[n].Add(sample);
            }
        }
        var loadAfter = Breakdown.LoadAverage();

        output.WriteLine($"# Linearity across processes ({started:yyyy-MM-dd HH:mm}–{DateTime.UtcNow:HH:mm} UTC, {Environment.ProcessorCount} cores, " +
            $"load before {loadBefore}, after {loadAfter}): {runs} fresh processes per N, sizes interleaved round-robin");
        output.WriteLine("# each child: warm-up build+Synth+YAML of N=10, full GC, then timed once: build tree of N + Synth() + YAML streamed to TextWriter.Null");
        output.WriteLine("# CPU = the synthesizing thread's CPU time; medians over the processes; faults = this thread's minor page faults");
        output.WriteLine();
        output.WriteLine("| N | CPU median | CPU/resource | marginal CPU/resource (from previous N) | build CPU | synth+write CPU | wall median | process CPU | faults | GCs | GC pause |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var medians = sizes.ToDictionary(n => n, n => Enumerable.Range(1, Fields.Length - 1).Select(f => Median(samples[n].Select(s => s[f]))).ToArray());
        for (var i = 0; i < sizes.Length; i++)
        {
            var n = sizes[i];
            var m = medians[n];
            var marginal = i == 0 ? "–" : Us((m[0] - medians[sizes[i - 1]][0]) * 1e3 / (n - sizes[i - 1]));
            output.WriteLine($"| {n:N0} | {Ms(m[0])} | {Us(m[0] * 1e3 / n)} | {marginal} | {Ms(m[2])} | {Ms(m[4])} | {Ms(m[1])} | {Ms(m[8])} | {m[6]:0} | {m[7]:0} | {Ms(m[9])} |");
        }
        output.WriteLine();

        var verdicts = new List<bool>();
        foreach (var (name, field, judged) in new[] { ("total CPU (build + Synth + YAML)", 0, true), ("build CPU", 2, false), ("synth+write CPU", 4, false), ("wall", 1, false) })
        {
            var ys = sizes.Select(n => medians[n][field]).ToArray();
            var (a, b, r2) = Fit(sizes, ys);
            var maxDeviation = sizes.Select((n, i) => Math.Abs(ys[i] - (a + b * n)) / (a + b * n)).Max();
            var marginals = Enumerable.Range(1, sizes.Length - 1).Select(i => (ys[i] - ys[i - 1]) / (sizes[i] - sizes[i - 1])).ToArray();
            var worst = marginals.Select(mc => mc / b - 1).MaxBy(Math.Abs);
            var met = r2 >= MinR2 && marginals.All(mc => Math.Abs(mc / b - 1) <= MarginalTolerance);
            if (judged)
            {
                verdicts.Add(met);
            }
            output.WriteLine($"fit {name}: T(N) = {Ms(a)} + {Us(b * 1e3)} · N; R² = {r2.ToString("0.0000", CultureInfo.InvariantCulture)}; " +
                $"max |median - fit| / fit = {Pct(maxDeviation)}; marginals / b = [{string.Join(", ", marginals.Select(mc => (mc / b).ToString("0.00", CultureInfo.InvariantCulture)))}] " +
                $"(worst {Pct(worst, signed: true)}){(judged ? "" : " (informative)")}");
        }
        output.WriteLine();
        output.WriteLine($"Criterion (total CPU): R² ≥ {MinR2.ToString(CultureInfo.InvariantCulture)} and every marginal cost per resource within ±{MarginalTolerance * 100:0}% of b: " +
            (verdicts.All(v => v) ? "met (growth is linear)" : "NOT met"));
        return 0;
    }

    /// <summary>
    /// The child: warm up on 10 resources, full GC, then time one build of <paramref name="resources"/> resources,
    /// its <c>Synth()</c> and the YAML streamed to <see cref="TextWriter.Null"/>; print one result line.
    /// </summary>
    public static int Child(int resources)
    {
        YamlWriter.Write(SynthesisWorkload.Build(10).Synth().Program, TextWriter.Null);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var gcs = GC.CollectionCount(0);
        var pause = GC.GetTotalPauseDuration();
        var faults = Breakdown.MinorFaults();
        var processCpu = ProcessCpuMilliseconds();
        var cpu0 = Breakdown.ThreadCpuMilliseconds();
        var wall = Stopwatch.StartNew();
        var stack = SynthesisWorkload.Build(resources);
        var cpu1 = Breakdown.ThreadCpuMilliseconds();
        var wall1 = wall.Elapsed.TotalMilliseconds;
        var result = stack.Synth();
        YamlWriter.Write(result.Program, TextWriter.Null);
        var cpu2 = Breakdown.ThreadCpuMilliseconds();
        var wall2 = wall.Elapsed.TotalMilliseconds;
        processCpu = ProcessCpuMilliseconds() - processCpu;
        faults = Breakdown.MinorFaults() - faults;
        gcs = GC.CollectionCount(0) - gcs;
        var pauseMs = (GC.GetTotalPauseDuration() - pause).TotalMilliseconds;

        if (result.Program.Resources.Count != resources)
        {
            Console.Error.WriteLine($"{ChildMode}: expected {resources} resources, synthesized {result.Program.Resources.Count}");
            return 1;
        }
        double[] values = [resources, cpu2 - cpu0, wall2, cpu1 - cpu0, wall1, cpu2 - cpu1, wall2 - wall1, faults, gcs, processCpu, pauseMs];
        Console.Out.WriteLine("result " + string.Join(' ', Fields.Select((f, i) => f + "=" + values[i].ToString("R", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static double[]? RunChild(int n)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet Lamina.Bench.dll` the process is the dotnet host: pass the assembly too.
        if (Path.GetFileNameWithoutExtension(psi.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            psi.ArgumentList.Add(typeof(LinearityProcess).Assembly.Location);
        }
        psi.ArgumentList.Add(ChildMode);
        psi.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the child process");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var line = stdout.Result.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("result ", StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"linearity-process: child '{ChildMode} {n}' failed (exit {p.ExitCode}):\n{stderr.Result}");
            return null;
        }
        var pairs = line["result ".Length..].Split(' ').Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
        return Fields.Select(f => pairs[f]).ToArray();
    }

    /// <summary>Ordinary least squares of y on x: intercept, slope and R².</summary>
    public static (double A, double B, double R2) Fit(IReadOnlyList<int> xs, IReadOnlyList<double> ys)
    {
        var mx = xs.Average();
        var my = ys.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            sxy += (xs[i] - mx) * (ys[i] - my);
            sxx += (xs[i] - mx) * (xs[i] - mx);
            syy += (ys[i] - my) * (ys[i] - my);
        }
        var b = sxy / sxx;
        var a = my - b * mx;
        double sse = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            var e = ys[i] - (a + b * xs[i]);
            sse += e * e;
        }
        return (a, b, syy == 0 ? 1 : 1 - sse / syy);
    }

    private static double Median(IEnumerable<double> values) => WholeProcess.Percentile(values, 0.5);

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    private static string Us(double us) => us.ToString("0.00", CultureInfo.InvariantCulture) + " µs";

    private static string Pct(double fraction, bool signed = false) =>
        (fraction * 100).ToString(signed ? "+0.0;-0.0" : "0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>CPU time (user + system) of the whole process so far, all threads (Linux), in milliseconds; NaN elsewhere.</summary>
    private static double ProcessCpuMilliseconds()
    {
        if (!OperatingSystem.IsLinux() || GetRUsage(0, out var u) != 0)
        {
            return double.NaN;
        }
        return (u.UserSeconds + u.SystemSeconds) * 1e3 + (u.UserMicroseconds + u.SystemMicroseconds) / 1e3;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsageTimes
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        // The rest of struct rusage (14 longs), not read here.
        public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsageTimes usage);
}
