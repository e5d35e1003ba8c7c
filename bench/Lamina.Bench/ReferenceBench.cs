using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Aws.Scheduling;
using Lamina.Configuration;
using Lamina.Examples.Handlers.Api;
using Lamina.Examples.Handlers.Cron;
using Lamina.Examples.Handlers.Fanout;
using Lamina.Synthesis;

namespace Lamina.Bench;

/// <summary>
/// Issue 4.9: synthesis time of real construct programs, packaging excluded (<c>Bundle = false</c>), in process.
/// <list type="number">
/// <item><b>The composed reference stack</b> (stacks/Shop: the five reference architectures, 95 resources): the first
/// synthesis in the process (cold: JIT) and warm repetitions. Target: &lt; 50 ms.</item>
/// <item><b>A large app</b> (<see cref="LargeApp"/>): 500 functions each behind an HTTP API route, 100 queues each
/// triggering a function, 50 schedules each running a function, at several scales. Target: &lt; 1 s at ×1; the cost per
/// resource should not grow with the scale.</item>
/// </list>
/// Each measurement is construct + <c>Stack.Synth()</c> + YAML text (written to a counting writer, as <c>synth</c>
/// streams it to stdout). Wall time and this thread's CPU time are both reported; on a shared machine compare the
/// ratios measured within one run (sizes are interleaved round by round, so they see the same load).
/// </summary>
public static class ReferenceBench
{
    /// <summary>The scales of the large app (×1 = 500 / 100 / 50).</summary>
    public static readonly double[] DefaultScales = [0.25, 0.5, 1, 2];

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    /// <param name="args"><c>[--reps N] [--rounds N] [--scales 0.25,0.5,1,2]</c>.</param>
    /// <param name="output">Where the report goes (markdown tables).</param>
    public static int Run(string[] args, TextWriter output)
    {
        var reps = 41;
        var rounds = 9;
        var scales = DefaultScales;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reps" when i + 1 < args.Length:
                    reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--scales" when i + 1 < args.Length:
                    scales = args[++i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                    break;
                default:
                    Console.Error.WriteLine($"reference: unknown option '{args[i]}' (--reps N, --rounds N, --scales 0.25,0.5,1,2)");
                    return 2;
            }
        }

        output.WriteLine($"# Reference architectures ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Breakdown.LoadAverage()}, " +
            $"{(Debugger.IsAttached ? "debugger attached, " : "")}{(IsOptimized() ? "Release" : "Debug build: figures not meaningful")})");
        output.WriteLine();
        ComposedStack(reps, output);
        output.WriteLine();
        Large(scales, rounds, output);
        output.WriteLine($"# load at the end: {Breakdown.LoadAverage()}");
        return 0;
    }

    private static bool IsOptimized() =>
        typeof(ReferenceBench).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];

    // 1. The composed reference stack -----------------------------------------------------------------------------

    private static void ComposedStack(int reps, TextWriter output)
    {
        var cold = Measure(BuildShop);
        for (var i = 0; i < 5; i++)
        {
            Measure(BuildShop);
        }
        var samples = Enumerable.Range(0, reps).Select(_ => Measure(BuildShop)).ToList();
        var wall = samples.Select(s => s.WallMs).Order().ToArray();
        output.WriteLine($"## Composed reference stack (stacks/Shop, Bundle = false): {cold.Resources} resources, {cold.YamlChars:N0} characters of YAML; {reps} warm repetitions after 5 warm-ups");
        output.WriteLine();
        output.WriteLine("| run | wall | CPU | CPU: construct / prepare / synth / YAML | allocated |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        output.WriteLine($"| first in process (cold, JIT) | {Ms(cold.WallMs)} | {Ms(cold.CpuMs)} | {Phases([cold])} | {Format.Bytes(cold.Bytes)} |");
        output.WriteLine($"| warm, min | {Ms(wall[0])} | {Ms(samples.Min(s => s.CpuMs))} | | |");
        output.WriteLine($"| warm, median | **{Ms(Median(wall))}** | {Ms(Median(samples.Select(s => s.CpuMs)))} | {Phases(samples)} | {Format.Bytes(Median(samples.Select(s => s.Bytes)))} |");
        output.WriteLine($"| warm, p90 | {Ms(wall[(int)Math.Ceiling(0.9 * wall.Length) - 1])} | {Ms(Percentile(samples.Select(s => s.CpuMs), 0.9))} | | |");
        output.WriteLine();
        output.WriteLine($"target < 50 ms: warm median {(Median(wall) < 50 ? "met" : "MISSED")}; cold first synthesis {(cold.WallMs < 50 ? "met" : "MISSED")} ({Ms(cold.WallMs)} wall)");
    }

    private static Stack BuildShop()
    {
        var app = new App(new AppOptions
        {
            ProjectName = "shop",
            StackName = "dev",
            Config = StackConfigSource.FromValues(("aws:region", "us-east-1"), ("shop:retentionDays", "7")),
            Bundle = false,
        });
        return global::Shop.ShopStack.Define(app).Stack;
    }

    // 2. The large app --------------------------------------------------------------------------------------------

    private static void Large(double[] scales, int rounds, TextWriter output)
    {
        var shapes = scales.Select(LargeApp.Shape).ToArray();
        foreach (var shape in shapes)
        {
            Measure(() => LargeApp.Build(shape));   // warm-up (JIT, tiering), one per size
            Measure(() => LargeApp.Build(shape));
        }
        var samples = shapes.Select(_ => new List<Sample>()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            // Rotate the order each round, so no size always runs first (or right after the largest one's garbage).
            for (var k = 0; k < shapes.Length; k++)
            {
                var i = (k + r) % shapes.Length;
                samples[i].Add(Measure(() => LargeApp.Build(shapes[i])));
            }
        }

        output.WriteLine($"## Large app: per scale, N functions behind HTTP API routes (100 routes per API), N/5 queues each triggering its own function, N/10 schedules each running its own function; medians of {rounds} interleaved rounds after 2 warm-ups per size");
        output.WriteLine();
        output.WriteLine("| scale | HTTP fns / queues / schedules | functions | resources | YAML chars | wall | CPU | CPU: construct / prepare / synth / YAML | allocated | wall / resource | CPU / resource | CPU / function | alloc / resource |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var unit = Array.IndexOf(scales, 1.0);
        var perResourceCpu = new double[shapes.Length];
        var perResourceWall = new double[shapes.Length];
        for (var i = 0; i < shapes.Length; i++)
        {
            var s = samples[i];
            var shape = shapes[i];
            var res = s[0].Resources;
            var wall = Median(s.Select(x => x.WallMs));
            var cpu = Median(s.Select(x => x.CpuMs));
            perResourceWall[i] = wall / res;
            perResourceCpu[i] = cpu / res;
            output.WriteLine($"| ×{scales[i].ToString(CultureInfo.InvariantCulture)} | {shape.HttpFunctions} / {shape.Queues} / {shape.Schedules} | {shape.Functions} | {res:N0} | {s[0].YamlChars:N0} | " +
                $"{Ms(wall)} | {Ms(cpu)} | {Phases(s)} | {Format.Bytes(Median(s.Select(x => x.Bytes)))} | " +
                $"{Format.Nanoseconds(wall * 1e6 / res)} | {Format.Nanoseconds(cpu * 1e6 / res)} | {Format.Nanoseconds(cpu * 1e6 / shape.Functions)} | {Format.Bytes(Median(s.Select(x => x.Bytes)) / res)} |");
        }
        output.WriteLine();
        if (unit >= 0)
        {
            output.WriteLine("Per-resource cost relative to ×1 (1.00 = linear growth): " + string.Join("; ", Enumerable.Range(0, shapes.Length).Select(i =>
                $"×{scales[i].ToString(CultureInfo.InvariantCulture)}: CPU {(perResourceCpu[i] / perResourceCpu[unit]).ToString("0.00", CultureInfo.InvariantCulture)}, wall {(perResourceWall[i] / perResourceWall[unit]).ToString("0.00", CultureInfo.InvariantCulture)}")));
            var x1 = Median(samples[unit].Select(x => x.WallMs));
            output.WriteLine($"target < 1 s at ×1: {(x1 < 1000 ? "met" : "MISSED")} ({Ms(x1)} wall median, {Ms(samples[unit].Max(x => x.WallMs))} worst of {rounds})");
        }
    }

    // Measurement ---------------------------------------------------------------------------------------------------

    private sealed record Sample(double WallMs, double CpuMs, double ConstructCpuMs, double PrepareCpuMs, double SynthCpuMs, double Bytes, int Resources, long YamlChars)
    {
        public double YamlCpuMs => CpuMs - ConstructCpuMs - PrepareCpuMs - SynthCpuMs;
    }

    private static readonly System.Reflection.MethodInfo PrepareOnce =
        typeof(Stack).GetMethod("PrepareOnce", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Stack.PrepareOnce not found (Lamina.Core changed); update the benchmark.");

    private static Sample Measure(Func<Stack> build)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Breakdown.ThreadCpuMilliseconds();
        var wall = Stopwatch.StartNew();
        var stack = build();
        var constructCpu = Breakdown.ThreadCpuMilliseconds() - cpu;
        PrepareOnce.Invoke(stack, null);   // aspects, Prepare, Validate (Synth would run them first)
        var prepareCpu = Breakdown.ThreadCpuMilliseconds() - cpu - constructCpu;
        var result = stack.Synth();
        var synthCpu = Breakdown.ThreadCpuMilliseconds() - cpu - constructCpu - prepareCpu;
        var yaml = new CountingWriter();
        YamlWriter.Write(result.Program, yaml);
        wall.Stop();
        var totalCpu = Breakdown.ThreadCpuMilliseconds() - cpu;
        if (result.Warnings.Count > 0)
        {
            throw new InvalidOperationException("the benchmark program has warnings:\n" + string.Join("\n", result.Warnings));
        }
        return new Sample(wall.Elapsed.TotalMilliseconds, totalCpu, constructCpu, prepareCpu, synthCpu, GC.GetAllocatedBytesForCurrentThread() - bytes, result.Program.Resources.Count, yaml.Count);
    }

    /// <summary>A writer that only counts characters (the YAML is produced, then dropped, as by a pipe that discards it).</summary>
    private sealed class CountingWriter : TextWriter
    {
        public long Count { get; private set; }

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Count++;

        public override void Write(char[] buffer, int index, int count) => Count += count;

        public override void Write(ReadOnlySpan<char> buffer) => Count += buffer.Length;

        public override void Write(string? value) => Count += value?.Length ?? 0;
    }

    private static string Phases(IReadOnlyCollection<Sample> s) => string.Join(" / ",
        new[] { Median(s.Select(x => x.ConstructCpuMs)), Median(s.Select(x => x.PrepareCpuMs)), Median(s.Select(x => x.SynthCpuMs)), Median(s.Select(x => x.YamlCpuMs)) }
            .Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)));

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    private static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var v = values.Order().ToArray();
        if (p == 0.5)
        {
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }
        return v[Math.Max(0, (int)Math.Ceiling(p * v.Length) - 1)];
    }
}

/// <summary>
/// The large app of issue 4.9 built with Lamina.Aws constructs and the reference architectures' handlers: at scale ×1,
/// 500 .NET functions each behind its own HTTP API route (<c>GET /r{i}/{id}</c>, 100 routes per HTTP API), 100 SQS queues
/// each triggering its own function, and 50 EventBridge schedules each running its own function (650 functions: the
/// typed wiring does not let an HTTP handler drain a queue, so queues and schedules get functions of their own).
/// </summary>
public static class LargeApp
{
    /// <summary>Routes per HTTP API (API Gateway's default quota is 300).</summary>
    public const int RoutesPerApi = 100;

    /// <summary>How many of each at a scale.</summary>
    /// <param name="HttpFunctions">Functions behind an HTTP API route.</param>
    /// <param name="Queues">Queues, each triggering a function of its own.</param>
    /// <param name="Schedules">Schedules, each running a function of its own.</param>
    public sealed record Sizes(int HttpFunctions, int Queues, int Schedules)
    {
        /// <summary>All functions: HTTP, queue workers and scheduled jobs.</summary>
        public int Functions => HttpFunctions + Queues + Schedules;
    }

    /// <summary>The sizes at <paramref name="scale"/> (×1 = 500 / 100 / 50), rounded half away from zero.</summary>
    public static Sizes Shape(double scale) => new(Round(500 * scale), Round(100 * scale), Round(50 * scale));

    /// <summary>Builds a fresh app and the large stack of <paramref name="sizes"/>, without bundling.</summary>
    public static Stack Build(Sizes sizes)
    {
        var app = new App(new AppOptions { ProjectName = "bench", StackName = "dev", Config = StackConfigSource.FromValues(("aws:region", "us-east-1")), Bundle = false });
        var stack = new Stack(app, "large");
        HttpApi? api = null;
        for (var i = 0; i < sizes.HttpFunctions; i++)
        {
            if (i % RoutesPerApi == 0)
            {
                api = new HttpApi(stack, $"Api{i / RoutesPerApi}");
            }
            api!.AddRoute($"GET /r{i}/{{id}}", new Function<GetOrder>(stack, $"Http{i}", new() { MemorySize = 256 }));
        }
        for (var i = 0; i < sizes.Queues; i++)
        {
            new Queue(stack, $"Queue{i}").Trigger(new Function<ChargeCustomer>(stack, $"Worker{i}"));
        }
        for (var i = 0; i < sizes.Schedules; i++)
        {
            new Schedule(stack, $"Job{i}", new() { Expression = Schedule.Cron($"{i % 60} {i % 24} * * ? *") })
                .Invoke(new Function<BuildReport>(stack, $"JobFn{i}", new() { Timeout = TimeSpan.FromMinutes(1) }));
        }
        return stack;
    }

    private static int Round(double x) => (int)Math.Round(x, MidpointRounding.AwayFromZero);
}
