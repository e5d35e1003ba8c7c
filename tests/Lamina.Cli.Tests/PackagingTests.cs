namespace Lamina.Cli.Tests;

/// <summary>
/// Runs scripts/pack-and-consume.sh: every src/ library packs as a NuGet package that a separate app outside the
/// repository consumes from a local folder feed, and the lamina tool installs from it. Slow (minutes): filter it out
/// with --filter "Category!=Packaging" for a quick run.
/// </summary>
public class PackagingTests
{
    [Fact]
    [Trait("Category", "Packaging")]
    public void Every_library_packs_and_a_separate_app_consumes_them_from_a_local_feed()
    {
        var script = Path.Combine(Repo.Root, "scripts", "pack-and-consume.sh");
        Assert.True(File.Exists(script), script);
        var (code, stdout, stderr) = Repo.Exec("bash", [script], Repo.Root, TimeSpan.FromMinutes(25));
        var log = $"exit {code}\n--- stdout\n{stdout}\n--- stderr\n{stderr}";
        Assert.True(code == 0, log);
        Assert.Contains("pack-and-consume: OK", stdout);
        foreach (var id in new[] { "Lamina.Core", "Lamina.Aws.Resources", "Lamina.Cli" })
        {
            Assert.Matches($@"ok {id.Replace(".", @"\.")}\.\d+\.\d+\.\d+-local\.[0-9.]+\.nupkg", stdout);
        }
        Assert.Contains("including an aws:sqs:Queue", stdout);
        Assert.Matches(@"lamina --version = \d+\.\d+\.\d+-local\.", stdout);
    }
}
