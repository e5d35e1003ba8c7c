using Lamina.Cli.Processes;
using Lamina.Cli.Projects;

namespace Lamina.Cli.Tests;

public class AppInvocationTests
{
    private static PulumiProject Project(string compiler, string? main = null) =>
        new("/projects/shop", "shop", "yaml", compiler, "stacks", main);

    [Fact]
    public void Runs_the_compiler_with_the_app_command_swapped_in_the_project_folder()
    {
        var inv = AppInvocation.Create(Project("dotnet run --project 'stacks/My Shop' -clp:ErrorsOnly -- synth"), "prod", ["ls", "--stack", "prod"]);
        Assert.Equal(["dotnet", "run", "--project", "stacks/My Shop", "-clp:ErrorsOnly", "--", "ls", "--stack", "prod"], inv.Arguments);
        Assert.Equal("/projects/shop", inv.WorkingDirectory);
        Assert.Equal("dotnet run --project 'stacks/My Shop' -clp:ErrorsOnly -- ls --stack prod", inv.ToString());
    }

    [Fact]
    public void Sets_the_variables_pulumi_gives_a_program_and_removes_the_config_json()
    {
        var inv = AppInvocation.Create(Project("dotnet run -- synth"), "prod", ["synth"]);
        Assert.Equal("prod", inv.Environment["PULUMI_STACK"]);
        Assert.Equal("shop", inv.Environment["PULUMI_PROJECT"]);
        Assert.Equal("/projects/shop", inv.Environment["PULUMI_ROOT_DIRECTORY"]);
        Assert.True(inv.Environment.ContainsKey("PULUMI_CONFIG"));
        Assert.Null(inv.Environment["PULUMI_CONFIG"]);
        Assert.Null(inv.Environment["PULUMI_CONFIG_SECRET_KEYS"]);
    }

    [Fact]
    public void Runs_in_the_main_folder_when_the_project_has_one() =>
        Assert.Equal("/projects/shop/infra", AppInvocation.Create(Project("./app synth", "infra"), "dev", ["synth"]).WorkingDirectory);

    [Theory]
    [InlineData("dotnet run -- synth && echo done", "cannot be run")]
    [InlineData("dotnet run 'oops", "unterminated single quote")]
    [InlineData("   # nothing", "is empty")]
    public void Reports_a_compiler_that_cannot_be_run_without_a_shell(string compiler, string message)
    {
        var e = Assert.Throws<PulumiProjectException>(() => AppInvocation.Create(Project(compiler), "dev", ["synth"]));
        Assert.Contains(message, e.Message);
        Assert.Contains("Pulumi.yaml", e.Message);
    }
}
