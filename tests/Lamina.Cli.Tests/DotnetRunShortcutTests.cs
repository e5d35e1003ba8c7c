using Lamina.Cli.Processes;

namespace Lamina.Cli.Tests;

public sealed class DotnetRunShortcutTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lamina-shortcut-" + Guid.NewGuid().ToString("N")[..8]);

    public DotnetRunShortcutTests()
    {
        Write("stacks/App/App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><ProjectReference Include="../../lib/Lib.csproj" /></ItemGroup></Project>""");
        Write("stacks/App/Program.cs", "return 0;");
        Write("lib/Lib.csproj", """<Project Sdk="Microsoft.NET.Sdk"></Project>""");
        Write("lib/Code.cs", "class C {}");
        Write("Directory.Build.props", "<Project />");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string content)
    {
        var full = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        File.SetLastWriteTimeUtc(full, DateTime.UtcNow.AddMinutes(-10));
        return full;
    }

    private void Build()
    {
        var dll = Write("stacks/App/bin/Debug/net10.0/App.dll", "");
        var config = Write("stacks/App/bin/Debug/net10.0/App.runtimeconfig.json", "{}");
        File.SetLastWriteTimeUtc(dll, DateTime.UtcNow);
        File.SetLastWriteTimeUtc(config, DateTime.UtcNow);
    }

    private static readonly string[] Command = ["dotnet", "run", "--project", "stacks/App", "-clp:ErrorsOnly", "--", "dev", "--port", "3000"];

    [Fact]
    public void An_up_to_date_build_is_executed_directly_with_the_app_arguments()
    {
        Build();
        var direct = DotnetRunShortcut.TryShortcut(Command, _root);
        Assert.Equal(["dotnet", "exec", Path.Combine(_root, "stacks", "App", "bin", "Debug", "net10.0", "App.dll"), "dev", "--port", "3000"], direct);
    }

    [Fact]
    public void Without_a_build_dotnet_run_builds()
    {
        Assert.Null(DotnetRunShortcut.TryShortcut(Command, _root));
    }

    [Theory]
    [InlineData("stacks/App/Program.cs")]
    [InlineData("lib/Code.cs")]
    [InlineData("Directory.Build.props")]
    public void A_source_newer_than_the_build_in_the_project_or_a_referenced_one_falls_back_to_dotnet_run(string changed)
    {
        Build();
        File.SetLastWriteTimeUtc(Path.Combine(_root, changed), DateTime.UtcNow.AddMinutes(1));
        Assert.Null(DotnetRunShortcut.TryShortcut(Command, _root));
    }

    [Fact]
    public void Options_the_shortcut_does_not_understand_keep_dotnet_run()
    {
        Build();
        Assert.Null(DotnetRunShortcut.TryShortcut(["dotnet", "run", "--project", "stacks/App", "--framework", "net10.0", "--", "dev"], _root));
        Assert.Null(DotnetRunShortcut.TryShortcut(["dotnet", "stacks/App/bin/Debug/net10.0/App.dll", "dev"], _root));
        Assert.Null(DotnetRunShortcut.TryShortcut(["dotnet", "run", "--project", "stacks/App", "-c", "Release", "--", "dev"], _root));
    }
}
