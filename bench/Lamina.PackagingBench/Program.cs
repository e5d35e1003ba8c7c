// Packaging and runtime benchmarks. Modes (run from the repository root, Release):
//   cold-start [--runs N] [--self-contained]   AOT bootstrap process start -> first response via the local Runtime API
//   invoke [--count N]                          runtime-loop overhead per invoke, 1 KB REST API event, minus a baseline
//   zip                                         size of the deployment zip (and of bootstrap)
//   synth [--runs N]                            hello stack synth: packaging uncached (fresh .lamina) vs cached vs --no-bundle
//   all                                         every mode with its defaults
using Lamina.PackagingBench;

const string Usage = """
    usage: dotnet run -c Release --project bench/Lamina.PackagingBench -- <mode> [options]
      cold-start [--runs N] [--self-contained]   bootstrap start -> first response (default 20 runs)
      invoke [--count N]                          runtime overhead per invoke, 1 KB event (default 20000 in memory, 2000 over loopback)
      zip                                         deployment zip size
      synth [--runs N]                            synth time: packaging uncached vs cached vs no bundle (default 10 cached runs)
      all                                         all of the above
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var rest = args[1..];
var output = Console.Out;
output.WriteLine($"# {args[0]} — {Bench.MachineLine()}");
switch (args[0])
{
    case "cold-start":
        return await ColdStart.RunAsync(Bench.IntOption(rest, "--runs", 20), rest.Contains("--self-contained"), output);
    case "invoke":
        return await InvokeOverhead.RunAsync(Bench.IntOption(rest, "--count", 20000), output);
    case "zip":
        return ZipSize.Run(output);
    case "synth":
        return SynthTiming.Run(Bench.IntOption(rest, "--runs", 10), output);
    case "all":
        var code = ZipSize.Run(output);
        code |= await ColdStart.RunAsync(20, false, output);
        code |= await InvokeOverhead.RunAsync(20000, output);
        code |= SynthTiming.Run(10, output);
        return code;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
