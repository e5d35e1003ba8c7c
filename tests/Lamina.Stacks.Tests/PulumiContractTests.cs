using System.Diagnostics;
using Lamina.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Lamina.Stacks.Tests;

/// <summary>
/// Pulumi's contract: the root Pulumi.yaml's compiler command, run exactly as the Pulumi YAML language host runs it
/// (split like a shell, no shell, working directory = project root, PULUMI_* set), prints one valid program on stdout.
/// </summary>
public class PulumiContractTests
{
    internal static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
                {
                    return d.FullName;
                }
            }
            throw new InvalidOperationException("repository root not found");
        }
    }

    internal static YamlMappingNode ReadProject()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "Pulumi.yaml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    internal static string Compiler()
    {
        var project = ReadProject();
        var runtime = (YamlMappingNode)project["runtime"];
        Assert.Equal("yaml", ((YamlScalarNode)runtime["name"]).Value);
        return ((YamlScalarNode)((YamlMappingNode)runtime["options"])["compiler"]).Value!;
    }

    /// <summary>Splits a command line like a POSIX shell would (quotes and backslashes), without running a shell.</summary>
    internal static List<string> ShellSplit(string command)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote != '\0')
            {
                if (c == quote) { quote = '\0'; }
                else if (c == '\\' && quote == '"' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$') { current.Append(command[++i]); }
                else { current.Append(c); }
            }
            else if (c is '\'' or '"') { quote = c; inWord = true; }
            else if (c == '\\' && i + 1 < command.Length) { current.Append(command[++i]); inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { args.Add(current.ToString()); current.Clear(); inWord = false; }
            }
            else { current.Append(c); inWord = true; }
        }
        if (inWord) { args.Add(current.ToString()); }
        return args;
    }

    internal static (int Code, string Stdout, string Stderr) RunCompiler(string? config, Dictionary<string, string?>? extraEnv = null)
    {
        var argv = ShellSplit(Compiler());
        var psi = new ProcessStartInfo(argv[0]) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["PULUMI_STACK"] = "dev";
        psi.Environment["PULUMI_PROJECT"] = ((YamlScalarNode)ReadProject()["name"]).Value;
        psi.Environment["PULUMI_ORGANIZATION"] = "organization";
        psi.Environment["PULUMI_CONFIG"] = config;
        psi.Environment["PULUMI_ROOT_DIRECTORY"] = Root;
        foreach (var (k, v) in extraEnv ?? new())
        {
            if (v is null)
            {
                psi.Environment.Remove(k);
            }
            else
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Pulumi_yaml_uses_the_yaml_runtime_compiler_and_the_stacks_config_dir()
    {
        var project = ReadProject();
        Assert.Equal("stacks", ((YamlScalarNode)project["stackConfigDir"]).Value);
        var argv = ShellSplit(Compiler());
        Assert.Equal("dotnet", argv[0]);
        Assert.Contains("run", argv);
        Assert.Equal("synth", argv[^1]);
        var projectDir = argv[argv.IndexOf("--project") + 1];
        Assert.StartsWith("stacks/", projectDir);
        Assert.True(Directory.Exists(Path.Combine(Root, projectDir)));
    }

    [Fact]
    public void The_compiler_prints_a_clean_valid_program_with_config_from_PULUMI_CONFIG_even_on_a_first_run_with_build_warnings()
    {
        // A first run of the .NET CLI (fresh CLI home: the welcome banner) and a build that prints a warning must not
        // pollute stdout. The region exists only in PULUMI_CONFIG (stacks/Pulumi.dev.yaml says us-east-1).
        var cliHome = Directory.CreateTempSubdirectory("lamina-cli-home").FullName;
        var nugetPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var (code, stdout, stderr) = RunCompiler("""{"aws:region":"ap-northeast-1","shop:retentionDays":"7"}""", new()
        {
            ["DOTNET_CLI_HOME"] = cliHome,
            ["DOTNET_NOLOGO"] = null,
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = null,
            ["NUGET_PACKAGES"] = nugetPackages,
            ["LAMINA_EMIT_TEST_WARNING"] = "1",
            ["MSBUILDNOINPROCNODE"] = null,
        });
        Assert.True(code == 0, $"compiler exited {code}\nstderr:\n{stderr}\nstdout:\n{stdout}");
        Assert.StartsWith("name: shop\nruntime: yaml\n", stdout);
        Assert.DoesNotContain("Welcome to .NET", stdout);
        Assert.DoesNotContain("warning", stdout);
        Assert.Contains("region: ap-northeast-1", stdout);
        Assert.Contains("messageRetentionSeconds: 604800", stdout);
        var check = CheckPulumiYaml.Check(stdout);
        Assert.True(check.Errors == 0, check.Output);
    }

    [Fact]
    public void Outside_pulumi_the_stack_program_reads_its_stack_file()
    {
        var (code, stdout, stderr) = RunCompiler(null, new()
        {
            ["PULUMI_CONFIG"] = null, ["PULUMI_STACK"] = null, ["PULUMI_PROJECT"] = null, ["PULUMI_ROOT_DIRECTORY"] = null, ["PULUMI_ORGANIZATION"] = null,
        });
        Assert.True(code == 0, stderr);
        Assert.Contains("region: us-east-1", stdout);
        Assert.Contains("messageRetentionSeconds: 1209600", stdout);
    }
}
