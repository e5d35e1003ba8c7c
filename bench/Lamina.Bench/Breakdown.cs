using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Lamina.Synthesis;

namespace Lamina.Bench;

/// <summary>
/// A Stopwatch breakdown of one synthesis into its phases (construct the tree, prepare = aspects + Prepare + Validate,
/// the rest of Synth = render + check + cycles + sort, YAML text), with the bytes each phase allocates on this thread.
/// Not BenchmarkDotNet: medians of a few repetitions, to see where time and allocations go. Besides wall time it
/// reads this thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), which a shared, overloaded machine inflates
/// much less than wall time (waiting for a core is not counted).
/// </summary>
public static partial class Breakdown
{
    private static readonly MethodInfo PrepareOnce =
        typeof(Stack).GetMethod("PrepareOnce", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Stack.PrepareOnce not found (Lamina.Core changed); update the breakdown.");

    private static readonly string[] Phases = ["construct", "prepare", "synth-rest", "yaml", "total", "render-only"];

    /// <summary>Runs the breakdown for each size and prints a table; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<int> sizes, TextWriter output)
    {
        output.WriteLine($"# Phase breakdown ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {LoadAverage()})");
        output.WriteLine("# medians; CPU = this thread's CPU time; GC pause = GC.GetTotalPauseDuration() during the phase; GCs = gen0 / gen2 collections; faults = this thread's minor page faults; 'render-only' = Resource.GetProperties() for every resource (a subset of synth-rest, measured separately)");
        output.WriteLine();
        output.WriteLine($"| {"N",5} | {"phase",-11} | {"wall",11} | {"CPU",11} | {"alloc",10} | {"wall/res",10} | {"CPU/res",10} | {"alloc/res",10} | {"GC pause",10} | GCs (0/2) | faults |");
        output.WriteLine($"|{new string('-', 7)}|{new string('-', 13)}|{new string('-', 13)}|{new string('-', 13)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|-----------|--------|");
        foreach (var n in sizes)
        {
            var reps = n >= 5000 ? 7 : n >= 1000 ? 11 : 21;
            for (var i = 0; i < 3; i++)
            {
                Once(n); // warm-up (JIT, tiering)
            }
            var samples = new List<double[]>[Phases.Length];
            for (var p = 0; p < Phases.Length; p++)
            {
                samples[p] = new List<double[]>();
            }
            for (var i = 0; i < reps; i++)
            {
                var s = Once(n);
                for (var p = 0; p < Phases.Length; p++)
                {
                    samples[p].Add(s[p]);
                }
            }
            for (var p = 0; p < Phases.Length; p++)
            {
                var wall = Median(samples[p].Select(x => x[0]));
                var cpu = Median(samples[p].Select(x => x[1]));
                var bytes = Median(samples[p].Select(x => x[2]));
                output.WriteLine($"| {n,5} | {Phases[p],-11} | {Ms(wall),11} | {Ms(cpu),11} | {Format.Bytes(bytes),10} | {Format.Nanoseconds(wall * 1e6 / n),10} | {Format.Nanoseconds(cpu * 1e6 / n),10} | {Format.Bytes(bytes / n),10} | {Ms(Median(samples[p].Select(x => x[3]))),10} | {Median(samples[p].Select(x => x[4])),4}/{Median(samples[p].Select(x => x[5])),-4} | {Median(samples[p].Select(x => x[6])),6} |");
            }
        }
        return 0;
    }

    /// <summary>
    /// Paired linearity check for a noisy machine: alternates blocks that synthesize the same total number of resources
    /// (<paramref name="total"/> / small syntheses of <paramref name="small"/> resources, then one of <paramref name="total"/>),
    /// so both sides of each pair run under the same load, and reports the median ratio large / small of wall and CPU time.
    /// A ratio of 1 means the cost per resource does not depend on the program's size.
    /// With <paramref name="prebuilt"/>, each block first builds all its trees untimed (so both sides hold
    /// <paramref name="total"/> resources of live trees) and times only <c>Synth()</c> + YAML: synthesis alone, without
    /// the construction of the tree by the app's code. With <paramref name="stream"/>, the YAML is streamed to
    /// <see cref="TextWriter.Null"/> (as the <c>synth</c> command streams it to stdout) instead of built as one string.
    /// </summary>
    public static int Linearity(int small, int total, int pairs, TextWriter output, bool prebuilt = false, bool stream = false)
    {
        var count = total / small;
        for (var i = 0; i < 3; i++)
        {
            Block(small, count, prebuilt, stream);
            Block(total, 1, prebuilt, stream);
        }
        var wallRatios = new List<double>();
        var cpuRatios = new List<double>();
        var smallRuns = new List<double[]>();
        var largeRuns = new List<double[]>();
        for (var i = 0; i < pairs; i++)
        {
            // Alternate which side goes first, so a load change inside a pair does not always favour the same side.
            double[] a, b;
            if (i % 2 == 0)
            {
                a = Block(small, count, prebuilt, stream);
                b = Block(total, 1, prebuilt, stream);
            }
            else
            {
                b = Block(total, 1, prebuilt, stream);
                a = Block(small, count, prebuilt, stream);
            }
            smallRuns.Add(a);
            largeRuns.Add(b);
            wallRatios.Add(b[0] / a[0]);
            cpuRatios.Add(b[1] / a[1]);
        }
        var what = (prebuilt ? "Synth() + YAML only, trees built untimed beforehand" : "construct + Synth() + YAML") +
            (stream ? ", YAML streamed to TextWriter.Null (as `synth` streams to stdout)" : ", YAML as one string (SynthesisResult.Yaml)");
        output.WriteLine($"# Linearity ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {LoadAverage()}): " +
            $"{pairs} pairs of ({count} x N={small}) vs (1 x N={total}), {total} resources each side; timed: {what}");
        foreach (var (n, runs) in new[] { (small, smallRuns), (total, largeRuns) })
        {
            output.WriteLine($"N={n}, per resource, median: wall {Format.Nanoseconds(Median(runs.Select(r => r[0])) * 1e6 / total)}, " +
                $"CPU {Format.Nanoseconds(Median(runs.Select(r => r[1])) * 1e6 / total)}, alloc {Format.Bytes(Median(runs.Select(r => r[2])) / total)}; " +
                $"per block: GC pause {Ms(Median(runs.Select(r => r[3])))}, GCs {Median(runs.Select(r => r[4]))} (gen2 {Median(runs.Select(r => r[5]))}), " +
                $"minor page faults {Median(runs.Select(r => r[6]))}");
        }
        output.WriteLine($"ratio N={total} / N={small} per resource, median of pairs: wall {Median(wallRatios).ToString("0.00", CultureInfo.InvariantCulture)}, " +
            $"CPU {Median(cpuRatios).ToString("0.00", CultureInfo.InvariantCulture)} (min {cpuRatios.Min().ToString("0.00", CultureInfo.InvariantCulture)}, max {cpuRatios.Max().ToString("0.00", CultureInfo.InvariantCulture)})");
        return 0;
    }

    private static double[] Block(int n, int count, bool prebuilt, bool stream)
    {
        Stack[]? stacks = null;
        if (prebuilt)
        {
            stacks = new Stack[count];
            for (var i = 0; i < count; i++)
            {
                stacks[i] = SynthesisWorkload.Build(n);
            }
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var probe = new Probe();
        probe.Start();
        for (var i = 0; i < count; i++)
        {
            var stack = stacks is null ? SynthesisWorkload.Build(n) : stacks[i];
            var synthesized = stack.Synth();
            if (stream)
            {
                YamlWriter.Write(synthesized.Program, TextWriter.Null);
            }
            else
            {
                _ = synthesized.Yaml;
            }
        }
        var result = probe.Stop();
        GC.KeepAlive(stacks);
        return result;
    }

    // Returns, per phase, { wall ms, thread CPU ms, bytes allocated, GC pause ms, gen0 GCs, gen2 GCs }.
    private static double[][] Once(int n)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var result = new double[Phases.Length][];
        var probe = new Probe();

        probe.Start();
        var stack = SynthesisWorkload.Build(n);
        result[0] = probe.Stop();

        probe.Start();
        PrepareOnce.Invoke(stack, null);
        result[1] = probe.Stop();

        probe.Start();
        var synth = stack.Synth();
        result[2] = probe.Stop();

        probe.Start();
        var yaml = YamlWriter.Write(synth.Program);
        result[3] = probe.Stop();

        result[4] = [.. Enumerable.Range(0, 7).Select(k => result[0][k] + result[1][k] + result[2][k] + result[3][k])];

        probe.Start();
        foreach (var r in stack.Resources)
        {
            r.GetProperties();
        }
        result[5] = probe.Stop();

        if (synth.Program.Resources.Count != n || yaml.Length == 0)
        {
            throw new InvalidOperationException($"expected {n} resources, got {synth.Program.Resources.Count}");
        }
        return result;
    }

    private static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms";

    private sealed class Probe
    {
        private readonly Stopwatch _wall = new();
        private double _cpu;
        private long _bytes;
        private TimeSpan _pause;
        private int _gen0;
        private int _gen2;
        private double _faults;

        public void Start()
        {
            _pause = GC.GetTotalPauseDuration();
            _gen0 = GC.CollectionCount(0);
            _gen2 = GC.CollectionCount(2);
            _bytes = GC.GetAllocatedBytesForCurrentThread();
            _faults = MinorFaults();
            _cpu = ThreadCpuMilliseconds();
            _wall.Restart();
        }

        public double[] Stop()
        {
            _wall.Stop();
            var cpu = ThreadCpuMilliseconds() - _cpu;
            return [_wall.Elapsed.TotalMilliseconds, cpu, GC.GetAllocatedBytesForCurrentThread() - _bytes,
                (GC.GetTotalPauseDuration() - _pause).TotalMilliseconds, GC.CollectionCount(0) - _gen0, GC.CollectionCount(2) - _gen2,
                MinorFaults() - _faults];
        }
    }

    /// <summary>This thread's CPU time in milliseconds (Linux), or NaN elsewhere.</summary>
    public static double ThreadCpuMilliseconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }
        return ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? ts.Seconds * 1e3 + ts.Nanoseconds / 1e6 : double.NaN;
    }

    private const int ClockThreadCpuTimeId = 3;

    /// <summary>This thread's minor page faults so far (Linux <c>getrusage(RUSAGE_THREAD)</c>), or NaN elsewhere.</summary>
    public static double MinorFaults()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }
        return GetRUsage(RUsageThread, out var usage) == 0 ? usage.MinorFaults : double.NaN;
    }

    private const int RUsageThread = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long MaxRss;
        public long SharedMemory;
        public long UnsharedData;
        public long UnsharedStack;
        public long MinorFaults;
        public long MajorFaults;
        public long Swaps;
        public long BlockInputs;
        public long BlockOutputs;
        public long MessagesSent;
        public long MessagesReceived;
        public long Signals;
        public long VoluntarySwitches;
        public long InvoluntarySwitches;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec value);

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>The 1-minute load average (Linux), or "?".</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
