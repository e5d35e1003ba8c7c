// Lamina benchmarks. Modes:
//   synth          BenchmarkDotNet: construct + Synth + YAML for N = 10, 100, 1000, 5000 resources (short in-process job)
//   breakdown      Stopwatch breakdown of one synthesis into phases (construct, prepare, synth, yaml), with allocations
//   whole-process  build bench/SmallStack once, run its `synth` 20 times: wall time, CPU time, peak RSS
//   linearity      paired per-resource cost check, small vs large programs, same total resources (--prebuilt, --stream)
//   linearity-process  one synthesis per fresh process at several N (children run the hidden sub-mode `synth-once N`)
//   cold           first (cold) and second synth of bench/SmallStack's app in one process, by phase
//   loop           synthesize N resources COUNT times (to profile with dotnet-trace)
//   reference      the composed reference stack (stacks/Shop) and a large app of 500 functions, at several scales
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lamina.Bench;

const string Usage = """
    usage: dotnet run -c Release --project bench/Lamina.Bench -- <mode> [options]
      synth [BenchmarkDotNet options]        in-process synthesis benchmark, N = 10, 100, 1000, 5000 resources
      breakdown [N ...]                      Stopwatch breakdown per phase (default N: 100 1000 5000)
      whole-process [--runs N] [--no-build] [--r2r]
                                             time `SmallStack.dll synth` as a whole process (default 20 runs);
                                             --r2r also times a ReadyToRun publish of SmallStack
      linearity [SMALL TOTAL PAIRS] [--prebuilt] [--stream]
                                             paired check: SMALL-resource syntheses vs one TOTAL-resource one (default 100 5000 15);
                                             --prebuilt builds the trees untimed and times Synth() + YAML only;
                                             --stream streams the YAML to TextWriter.Null instead of building one string
      linearity-process [--runs K] [--sizes 100,500,1000,2000,5000]
                                             one build + Synth + streamed YAML per fresh process, K processes per N
                                             (default 15), sizes interleaved; least-squares fit and marginal costs
      cold [--yaml-first]                    one cold + one warm synth of bench/SmallStack's app, split in phases
      loop N COUNT                           synthesize N resources COUNT times (a target for dotnet-trace)
      reference [--reps N] [--rounds N] [--scales 0.25,0.5,1,2]
                                             the composed reference stack (stacks/Shop) and the large app (500 HTTP
                                             functions, 100 queues, 50 schedules) at several scales; Bundle = false
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var rest = args[1..];
switch (args[0])
{
    case "synth":
    {
        // A short job: one launch, 3 warm-up and 10 measured iterations, in process (no generated project to build).
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("Short");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Min, StatisticColumn.Median)
            .AddColumn(PerResourceColumn.Time, PerResourceColumn.Allocated)
            .WithArtifactsPath(Path.Combine(WholeProcess.RepositoryRoot(), "bench", "Lamina.Bench", "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<SynthesisBenchmarks>(config, rest);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
    case "breakdown":
    {
        var sizes = rest.Length == 0 ? new[] { 100, 1000, 5000 } : rest.Select(int.Parse).ToArray();
        return Breakdown.Run(sizes, Console.Out);
    }
    case "linearity":
    {
        var numbers = rest.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var v = numbers.Length == 3 ? numbers.Select(int.Parse).ToArray() : [100, 5000, 15];
        return Breakdown.Linearity(v[0], v[1], v[2], Console.Out, rest.Contains("--prebuilt"), rest.Contains("--stream"));
    }
    case "linearity-process":
        return LinearityProcess.Run(rest, Console.Out);
    case LinearityProcess.ChildMode when rest.Length == 1 && int.TryParse(rest[0], out var once):
        return LinearityProcess.Child(once);
    case "cold":
        return ColdStart.Run(Console.Out, rest.Contains("--yaml-first"));
    case "loop" when rest.Length == 2 && int.TryParse(rest[0], out var n) && int.TryParse(rest[1], out var count):
    {
        long chars = 0;
        for (var i = 0; i < count; i++)
        {
            chars += SynthesisWorkload.Synthesize(n).Length;
        }
        Console.WriteLine($"synthesized {n} resources {count} times ({chars / Math.Max(1, count)} characters of YAML each)");
        return 0;
    }
    case "whole-process":
        return WholeProcess.Run(rest, Console.Out);
    case "reference":
        return ReferenceBench.Run(rest, Console.Out);
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
