using BenchmarkDotNet.Attributes;

namespace Lamina.Bench;

/// <summary>
/// In-process synthesis: build the construct tree of <see cref="N"/> resources, synthesize it and produce the YAML
/// text. Run with <c>dotnet run -c Release --project bench/Lamina.Bench -- synth</c>.
/// </summary>
[MemoryDiagnoser]
public class SynthesisBenchmarks
{
    /// <summary>The number of resources in the synthesized program.</summary>
    [Params(10, 100, 1_000, 5_000)]
    public int N { get; set; }

    /// <summary>Checks once per size that the workload is what it claims to be.</summary>
    [GlobalSetup]
    public void Setup() => SynthesisWorkload.Verify(N);

    /// <summary>Construct + Synth + YAML text; returns the text's length.</summary>
    [Benchmark]
    public int Synthesize() => SynthesisWorkload.Synthesize(N).Length;
}
