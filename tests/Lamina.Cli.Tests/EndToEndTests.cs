using YamlDotNet.RepresentationModel;

namespace Lamina.Cli.Tests;

/// <summary>
/// The tests that use the sample app share one build of it. They run alone (not beside other test classes) because
/// one of them changes lamina's own environment.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleAppCollection : ICollectionFixture<SampleAppFixture>
{
    public const string Name = "sample app";
}

/// <summary>lamina against a real Lamina app.</summary>
[Collection(SampleAppCollection.Name)]
public class EndToEndTests(SampleAppFixture app)
{
    [Fact]
    public void Synth_prints_exactly_the_program_on_stdout()
    {
        var r = CliRunner.Run(Path.Combine(app.Root, "stacks"), "synth");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("name: e2eshop\n", r.Stdout);
        Assert.DoesNotContain("chatter", r.Stdout);
        Assert.Contains("chatter from user code", r.Stderr);
        Assert.Contains($"root={app.Root}", r.Stderr);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(r.Stdout));
        var doc = Assert.Single(yaml.Documents);
        var resources = (YamlMappingNode)((YamlMappingNode)doc.RootNode)[new YamlScalarNode("resources")];
        var queue = (YamlMappingNode)resources[new YamlScalarNode("Orders")];
        Assert.Equal("aws:sqs:Queue", queue[new YamlScalarNode("type")].ToString());
        var props = (YamlMappingNode)queue[new YamlScalarNode("properties")];
        Assert.Equal("e2eshop-dev-orders", props[new YamlScalarNode("name")].ToString());
        Assert.Equal("600", props[new YamlScalarNode("messageRetentionSeconds")].ToString());
    }

    [Fact]
    public void Synth_for_another_stack_reads_its_settings_and_out_writes_the_same_bytes()
    {
        var toStdout = CliRunner.Run(app.Root, "synth", "--stack", "prod");
        Assert.True(toStdout.ExitCode == 0, toStdout.ToString());
        Assert.Contains("name: e2eshop-prod-orders", toStdout.Stdout);
        Assert.Contains("messageRetentionSeconds: 1209600", toStdout.Stdout);

        using var elsewhere = new TempDir();
        var toFile = CliRunner.Run(elsewhere.Path, "synth", "--project", app.Root, "--stack", "prod", "--out", "prog/prod.yaml");
        Assert.True(toFile.ExitCode == 0, toFile.ToString());
        Assert.Empty(toFile.StdoutBytes);
        Assert.Equal(toStdout.StdoutBytes, File.ReadAllBytes(Path.Combine(elsewhere.Path, "prog/prod.yaml")));
    }

    [Fact]
    public void Ls_and_validate_run_the_app_commands()
    {
        var ls = CliRunner.Run(app.Root, "ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains("Orders  [aws:sqs:Queue]", ls.Stdout);

        var validate = CliRunner.Run(app.Root, "validate", "--stack", "prod");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Empty(validate.StdoutBytes);
        Assert.Contains("0 errors", validate.Stderr);
    }

    [Fact]
    public void A_failing_app_exit_code_and_message_come_through()
    {
        var r = CliRunner.Run(app.Root, "synth", "--stack", "nosettings");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Empty(r.StdoutBytes);
        Assert.Contains("retention", r.Stderr);
    }

    [Fact]
    public void The_tool_process_gives_the_same_program()
    {
        var lamina = Path.Combine(Repo.Root, "src", "Lamina.Cli", "bin", Repo.Configuration, "net10.0", "lamina.dll");
        using var elsewhere = new TempDir();
        var (code, stdout, stderr) = Repo.Exec("dotnet", [lamina, "--project", app.Root, "synth"], elsewhere.Path, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, stderr);
        Assert.StartsWith("name: e2eshop\n", stdout);
        Assert.Contains("name: e2eshop-dev-orders", stdout);
        Assert.Contains("chatter from user code", stderr);
    }
}

[Collection(SampleAppCollection.Name)]
public class InheritedPulumiConfigTests
{
    private readonly SampleAppFixture _app;

    public InheritedPulumiConfigTests(SampleAppFixture app) => _app = app;

    [Fact]
    public void An_inherited_PULUMI_CONFIG_is_not_passed_to_the_app()
    {
        var before = Environment.GetEnvironmentVariable("PULUMI_CONFIG");
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", """{"e2eshop:retention":"77"}""");
        try
        {
            var r = CliRunner.Run(_app.Root, "synth");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("messageRetentionSeconds: 600", r.Stdout);
            Assert.DoesNotContain("77", r.Stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", before);
        }
    }
}
