namespace Lamina.Cli.Tests;

/// <summary>
/// A small Lamina project in a temporary folder (outside the repository), built once: Pulumi.yaml with a compiler
/// command, stack settings for dev and prod, and an app under "stacks/My App" (a folder name that needs quoting) that
/// references the Lamina projects of this repository.
/// </summary>
public sealed class SampleAppFixture : IDisposable
{
    private readonly TempDir _dir = new("lamina-cli-e2e");

    public SampleAppFixture()
    {
        var src = Path.Combine(Repo.Root, "src");
        _dir.Write("Pulumi.yaml", $$"""
            name: e2eshop
            description: lamina end-to-end test project
            runtime: { name: yaml, options: { compiler: "dotnet run --project 'stacks/My App' -c {{Repo.Configuration}} --no-build -clp:ErrorsOnly -- synth" } }
            stackConfigDir: stacks
            """);
        _dir.Write("stacks/Pulumi.dev.yaml", "config:\n  aws:region: eu-west-1\n  e2eshop:retention: \"600\"\n");
        _dir.Write("stacks/Pulumi.prod.yaml", "config:\n  aws:region: eu-west-1\n  e2eshop:retention: \"1209600\"\n");
        _dir.Write("stacks/My App/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{src}/Lamina.Core/Lamina.Core.csproj" />
                <ProjectReference Include="{src}/Lamina.Aws.Resources/Lamina.Aws.Resources.csproj" />
              </ItemGroup>
            </Project>
            """);
        _dir.Write("stacks/My App/Program.cs", """
            using Lamina;
            using Lamina.Aws.Resources.Sqs;

            return LaminaApp.Run(args, app =>
            {
                Console.WriteLine("chatter from user code");
                Console.Error.WriteLine($"root={Environment.GetEnvironmentVariable("PULUMI_ROOT_DIRECTORY")}");
                var stack = new Stack(app, "shop");
                var retention = stack.Config.RequireInt("retention");
                new Queue(stack, "Orders", new() { Name = $"{app.ProjectName}-{app.StackName}-orders", MessageRetentionSeconds = retention });
            });
            """);
        // The Lamina projects were built with this test project; build only the app.
        var (code, stdout, stderr) = Repo.Exec("dotnet",
            ["build", "stacks/My App/App.csproj", "-c", Repo.Configuration, "-p:BuildProjectReferences=false", "-nologo", "-clp:ErrorsOnly"],
            _dir.Path, TimeSpan.FromMinutes(3));
        if (code != 0)
        {
            throw new InvalidOperationException($"building the sample app failed ({code}):\n{stdout}\n{stderr}");
        }
    }

    public string Root => _dir.Path;

    public void Dispose() => _dir.Dispose();
}
