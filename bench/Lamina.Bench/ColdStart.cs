using System.Diagnostics;
using System.Globalization;
using Lamina.Bench.SmallStack;

namespace Lamina.Bench;

/// <summary>
/// Where a whole <c>synth</c> process spends its time, measured inside one fresh process: runtime start-up until
/// <c>Main</c>, then a first (cold: JIT, type loading) <see cref="LaminaApp.Run(string[], Action{App}, Stream, TextWriter, Func{string, string?})"/>
/// of bench/SmallStack's app split into "before define" (command line, project root, Pulumi.yaml and stack file read
/// with YamlDotNet), "define" (constructing the tree) and "after define" (Synth, YAML, writing), then the same run
/// again (warm). Must be the first thing the process does.
/// </summary>
public static class ColdStart
{
    /// <summary>
    /// Runs the measurement and prints a table; returns the process exit code. With <paramref name="yamlFirst"/>, first
    /// times a cold YamlDotNet load of bench/SmallStack's Pulumi.yaml on its own, so that its share of "before define"
    /// shows.
    /// </summary>
    public static int Run(TextWriter output, bool yamlFirst = false)
    {
        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        var project = Path.Combine(WholeProcess.RepositoryRoot(), "bench", "SmallStack");
        double[]? yaml = null;
        if (yamlFirst)
        {
            var sw = Stopwatch.StartNew();
            var cpu0 = Breakdown.ThreadCpuMilliseconds();
            var stream = new YamlDotNet.RepresentationModel.YamlStream();
            using (var reader = new StreamReader(Path.Combine(project, "Pulumi.yaml")))
            {
                stream.Load(reader);
            }
            yaml = [sw.Elapsed.TotalMilliseconds, Breakdown.ThreadCpuMilliseconds() - cpu0];
        }
        var cold = Once(project);
        var warm = Once(project);
        output.WriteLine($"# Cold start inside one process ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Breakdown.LoadAverage()})");
        output.WriteLine($"process start -> Main: {sinceStart.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms wall (includes loading the bench program itself)");
        output.WriteLine();
        output.WriteLine("| phase | cold wall | cold CPU | warm wall | warm CPU |");
        output.WriteLine("|---|---|---|---|---|");
        if (yaml is not null)
        {
            output.WriteLine($"| (first) YamlDotNet YamlStream.Load of Pulumi.yaml, alone | {Ms(yaml[0])} | {Ms(yaml[1])} | | |");
        }
        string[] names = ["before define (args, Pulumi.yaml, stack config)", "define (construct 10 resources)", "after define (Synth + YAML + write)", "LaminaApp.Run total"];
        for (var i = 0; i < names.Length; i++)
        {
            output.WriteLine($"| {names[i]} | {Ms(cold[i][0])} | {Ms(cold[i][1])} | {Ms(warm[i][0])} | {Ms(warm[i][1])} |");
        }
        return 0;
    }

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    // { before define, define, after define, total }, each { wall ms, thread CPU ms }.
    private static double[][] Once(string project)
    {
        var sw = Stopwatch.StartNew();
        var cpu0 = Breakdown.ThreadCpuMilliseconds();
        double[] t1 = [], t2 = [];
        using var stdout = new MemoryStream();
        var code = LaminaApp.Run(["synth"], app =>
        {
            t1 = [sw.Elapsed.TotalMilliseconds, Breakdown.ThreadCpuMilliseconds() - cpu0];
            SmallStackApp.Define(app);
            t2 = [sw.Elapsed.TotalMilliseconds, Breakdown.ThreadCpuMilliseconds() - cpu0];
        }, stdout, TextWriter.Null, name => name == "PULUMI_ROOT_DIRECTORY" ? project : null);
        double[] t3 = [sw.Elapsed.TotalMilliseconds, Breakdown.ThreadCpuMilliseconds() - cpu0];
        if (code != 0 || stdout.Length == 0)
        {
            throw new InvalidOperationException($"synth of bench/SmallStack failed with exit code {code}");
        }
        return [t1, [t2[0] - t1[0], t2[1] - t1[1]], [t3[0] - t2[0], t3[1] - t2[1]], t3];
    }
}
