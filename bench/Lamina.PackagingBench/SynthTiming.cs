using System.Diagnostics;
using System.Globalization;
using Hello.Stack;
using Lamina.Aws.Packaging;

namespace Lamina.PackagingBench;

/// <summary>
/// Synthesis of the hello stack (HelloApp.Define + Stack.Synth, in this process) three ways:
/// <list type="bullet">
/// <item>uncached: a fresh output folder, so <c>dotnet publish</c> runs from scratch (native AOT) — once;</item>
/// <item>cached: the same folder again, N times: the content hash matches, nothing is built;</item>
/// <item>no bundle (<c>--no-bundle</c>): N times, for reference.</item>
/// </list>
/// For the cached case the two parts of the up-to-date check are also timed alone: <c>dotnet --version</c> and
/// hashing the project's inputs.
/// </summary>
internal static class SynthTiming
{
    public static int Run(int runs, TextWriter output)
    {
        var outputDir = Path.Combine(Path.GetTempPath(), "lamina-bench-out-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // Warm the JIT for synthesis without packaging first, so the uncached run measures the publish.
            Once(bundle: false, null);
            var uncached = Once(bundle: true, outputDir);
            var cached = Enumerable.Range(0, runs).Select(_ => Once(bundle: true, outputDir)).ToList();
            var noBundle = Enumerable.Range(0, runs).Select(_ => Once(bundle: false, null)).ToList();

            var csproj = Path.Combine(Bench.Root, "examples/hello/Hello.Handlers/Hello.Handlers.csproj");
            var version = new List<double>();
            var hashing = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                SystemProcessRunner.Instance.Run(new ProcessSpec { FileName = "dotnet", Arguments = ["--version"], WorkingDirectory = Path.GetDirectoryName(csproj) });
                version.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart();
                var inputs = DotnetProject.Inputs(csproj, Bench.Root);
                DotnetProject.ContentHash(inputs, "linux-x64", "aot", "10.0.401");
                hashing.Add(sw.Elapsed.TotalMilliseconds);
            }
            var inputCount = DotnetProject.Inputs(csproj, Bench.Root).Count;

            output.WriteLine("hello stack synth (in process: define + synth), packaging:");
            output.WriteLine($"  uncached (fresh .lamina, native AOT publish): {(uncached / 1000).ToString("0.0", CultureInfo.InvariantCulture)} s");
            output.WriteLine($"  cached (inputs unchanged):                    {Bench.Summary(cached, "ms")}");
            output.WriteLine($"  no bundle (--no-bundle):                      {Bench.Summary(noBundle, "ms")}");
            output.WriteLine($"  'dotnet --version' (cached, not run):        {Bench.Summary(version, "ms")}");
            output.WriteLine($"  of which hashing {inputCount} input files:           {Bench.Summary(hashing, "ms", "0.00")}");
            output.WriteLine($"  load average after: {Bench.LoadAverage()}");
            return 0;
        }
        finally
        {
            if (Directory.Exists(outputDir))
            {
                Directory.Delete(outputDir, recursive: true);
            }
        }
    }

    private static double Once(bool bundle, string? outputDir)
    {
        var sw = Stopwatch.StartNew();
        var app = Bench.NewApp(bundle, outputDir);
        DotnetBundler.For(app).Log = TextWriter.Null;
        HelloApp.Define(app);
        var yaml = app.SelectStack().Synth().Yaml;
        var elapsed = sw.Elapsed.TotalMilliseconds;
        if (yaml.Length == 0)
        {
            throw new InvalidOperationException("empty program");
        }
        return elapsed;
    }
}
