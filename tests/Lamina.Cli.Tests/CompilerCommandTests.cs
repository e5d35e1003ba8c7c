using Lamina.Cli.Processes;

namespace Lamina.Cli.Tests;

public class CompilerCommandTests
{
    private static IReadOnlyList<string> Swap(string compiler, params string[] app) =>
        CompilerCommand.WithAppArguments(CommandLineSplitter.Split(compiler), app);

    [Fact]
    public void Replaces_everything_after_the_first_double_dash() =>
        Assert.Equal(["dotnet", "run", "--project", "stacks/Shop", "-clp:ErrorsOnly", "--", "ls"],
            Swap("dotnet run --project stacks/Shop -clp:ErrorsOnly -- synth", "ls"));

    [Fact]
    public void Replaces_the_app_options_of_the_compiler_too() =>
        Assert.Equal(["dotnet", "run", "--", "validate", "--stack", "prod"],
            Swap("dotnet run -- synth --no-bundle", "validate", "--stack", "prod"));

    [Fact]
    public void Cuts_at_the_first_double_dash_even_when_the_app_had_one() =>
        Assert.Equal(["dotnet", "run", "--", "synth", "--out", "x"], Swap("dotnet run -- -- synth", "synth", "--out", "x"));

    [Fact]
    public void Without_double_dash_replaces_from_the_last_app_command() =>
        Assert.Equal(["./bin/shop", "--verbose", "ls"], Swap("./bin/shop --verbose synth --no-bundle", "ls"));

    [Fact]
    public void Does_not_take_the_program_name_for_an_app_command() =>
        Assert.Equal(["synth", "validate"], Swap("synth", "validate"));

    [Fact]
    public void Without_double_dash_or_command_appends() =>
        Assert.Equal(["./bin/shop", "--verbose", "ls"], Swap("./bin/shop --verbose", "ls"));

    [Fact]
    public void Rejects_an_empty_command() =>
        Assert.Throws<ArgumentException>(() => CompilerCommand.WithAppArguments([], ["synth"]));
}
