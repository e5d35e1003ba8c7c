using System.Reflection;

namespace Lamina.Cli.Tests;

/// <summary>lamina's own behaviour, with small shell programs standing in for the app (fast; no .NET build).</summary>
public class CliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A project whose "app" prints its arguments on stdout and its environment on stderr, then exits 3.</summary>
    private string FakeProject(string name = "fake")
    {
        _dir.Write("Pulumi.yaml", $$"""
            name: {{name}}
            runtime:
              name: yaml
              options:
                compiler: |-
                  sh -c 'printf "%s|" "$@"; printf "caf\303\251\n"; echo "stack=$PULUMI_STACK project=$PULUMI_PROJECT root=$PULUMI_ROOT_DIRECTORY config=${PULUMI_CONFIG-unset}" >&2; echo "pwd=$(pwd)" >&2; exit 3' -- synth
            stackConfigDir: stacks
            """);
        return _dir.Path;
    }

    [Fact]
    public void Help_lists_every_command()
    {
        var r = CliRunner.Run(_dir.Path, "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var command in new[] { "synth", "validate", "ls", "dev", "invoke", "trigger", "generate-event" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b.*\s\S", r.Stdout);
        }
        Assert.Empty(Commands.CommandCatalog.Planned);
        Assert.Contains("--project", r.Stdout);
        Assert.Contains("--version", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Theory]
    [InlineData("synth", new[] { "--stack", "--out", "--no-bundle", "--project" })]
    [InlineData("validate", new[] { "--stack", "--no-bundle", "--project" })]
    [InlineData("ls", new[] { "--stack", "--project" })]
    [InlineData("dev", new[] { "--stack", "--port", "--project" })]
    [InlineData("invoke", new[] { "<function>", "--event", "--stack", "--out-of-process", "--project" })]
    [InlineData("trigger", new[] { "<target>", "--event", "--stack", "--project" })]
    [InlineData("generate-event", new[] { "http-api", "apigateway-http", "rest-api", "apigateway", "sqs", "sns", "s3", "schedule", "eventbridge-schedule" })]
    public void Every_command_has_help_with_its_options(string command, string[] options)
    {
        var r = CliRunner.Run(_dir.Path, command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Description:", r.Stdout);
        foreach (var o in options)
        {
            Assert.Contains(o, r.Stdout);
        }
        if (command is not "synth" and not "generate-event")
        {
            Assert.DoesNotMatch("--out(?!-)", r.Stdout);
        }
        if (command == "ls")
        {
            Assert.DoesNotContain("--no-bundle", r.Stdout);
        }
    }

    [Fact]
    public void Version_prints_the_informational_version_of_the_tool()
    {
        var r = CliRunner.Run(_dir.Path, "--version");
        Assert.Equal(0, r.ExitCode);
        var expected = typeof(LaminaCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected + "\n", r.Stdout);
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Stdout);
        Assert.DoesNotContain("+", r.Stdout); // no source revision suffix
    }

    [Theory]
    [InlineData(new[] { "frob" }, "frob")]
    [InlineData(new[] { "synth", "--bogus" }, "--bogus")]
    [InlineData(new[] { "ls", "--out", "x.yaml" }, "--out")]
    [InlineData(new[] { "ls", "--no-bundle" }, "--no-bundle")]
    [InlineData(new[] { "synth", "--stack" }, "--stack")]
    public void Usage_errors_exit_2_on_stderr(string[] args, string mention)
    {
        var r = CliRunner.Run(_dir.Path, args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mention, r.Stderr);
        Assert.Contains("lamina --help", r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Fact]
    public void No_command_shows_help_and_exits_2()
    {
        var r = CliRunner.Run(_dir.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("a command is required", r.Stderr);
        Assert.Contains("synth", r.Stdout);
    }

    [Fact]
    public void Runs_the_app_with_the_command_swapped_and_forwards_stdout_bytes_stderr_and_exit_code()
    {
        var root = FakeProject();
        var cwd = _dir.Dir("stacks/App/bin");
        var r = CliRunner.Run(cwd, "ls");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("ls|café\n"u8.ToArray(), r.StdoutBytes);
        Assert.Contains($"stack=dev project=fake root={root} config=unset", r.Stderr);
        Assert.Contains($"pwd={root}\n", r.Stderr);
    }

    [Fact]
    public void Synth_passes_its_options_and_a_full_out_path_and_the_stack_from_the_option()
    {
        var root = FakeProject();
        var cwd = _dir.Dir("sub");
        var r = CliRunner.Run(cwd, "synth", "--out", "out/p.yaml", "--no-bundle", "--stack", "prod");
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith($"synth|--out|{Path.Combine(cwd, "out/p.yaml")}|--no-bundle|", r.Stdout);
        Assert.Contains("stack=prod project=fake", r.Stderr);
    }

    [Fact]
    public void The_stack_defaults_to_PULUMI_STACK()
    {
        FakeProject();
        var r = CliRunner.Run(_dir.Path, ["validate"], new Dictionary<string, string> { ["PULUMI_STACK"] = "staging" });
        Assert.StartsWith("validate|", r.Stdout);
        Assert.Contains("stack=staging", r.Stderr);
    }

    [Fact]
    public void The_project_option_works_before_or_after_the_command()
    {
        FakeProject("optioned");
        using var elsewhere = new TempDir();
        var before = CliRunner.Run(elsewhere.Path, "--project", _dir.Path, "ls");
        var after = CliRunner.Run(elsewhere.Path, "ls", "-p", _dir.Path);
        Assert.Contains("project=optioned", before.Stderr);
        Assert.Contains("project=optioned", after.Stderr);
        Assert.Equal(before.Stdout, after.Stdout);
    }

    [Fact]
    public void Outside_a_project_exits_1_with_a_message()
    {
        var r = CliRunner.Run(_dir.Path, "synth");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("lamina: no Pulumi.yaml", r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Fact]
    public void A_project_without_compiler_exits_1_with_the_fix()
    {
        _dir.Write("Pulumi.yaml", "name: plain\nruntime: yaml\n");
        var r = CliRunner.Run(_dir.Path, "synth");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("has no runtime.options.compiler", r.Stderr);
        Assert.Contains("compiler:", r.Stderr);
    }

    [Fact]
    public void A_program_that_cannot_start_exits_127()
    {
        _dir.Write("Pulumi.yaml", "name: broken\nruntime: { name: yaml, options: { compiler: './no-such-program -- synth' } }\n");
        var r = CliRunner.Run(_dir.Path, "synth");
        Assert.Equal(127, r.ExitCode);
        Assert.Contains("cannot run './no-such-program'", r.Stderr);
    }
}
