using System.Text.Json.Nodes;
using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Configuration;
using Lamina.Lambda;
using Lamina.Local.Cloud;
using Lamina.Local.Hosting;

namespace Lamina.Examples.Tests.Local;

/// <summary>The handler type the probe project registers by name (its code lives in the temporary project, not here).</summary>
public sealed class ReloadProbe : ILambdaHandler<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> HandleAsync(JsonNode? input, ILambdaContext context) => throw new InvalidOperationException("runs out of process only");
}

/// <summary>
/// Out-of-process handlers as <c>lamina dev</c> runs them: the handler project is built and its bootstrap serves the
/// local Runtime API; a source change rebuilds and reloads it without losing queued messages.
/// </summary>
public sealed class OutOfProcessReloadTests
{
    private static string ProgramSource(string version) => $$"""
        using System.Text.Json.Nodes;
        using Lamina.Lambda;
        using Lamina.Lambda.Serialization;

        return await LambdaRuntime.RunAsync(args, registry => registry.AddFunction<JsonNode, JsonNode>(
            "Lamina.Examples.Tests.Local.ReloadProbe",
            (input, context) => Task.FromResult<JsonNode>(new JsonObject { ["version"] = "{{version}}", ["pid"] = System.Environment.ProcessId, ["bucket"] = LambdaEnvironment.Get("TARGET") }),
            LambdaEventsJsonContext.Default.JsonNode,
            LambdaEventsJsonContext.Default.JsonNode));
        """;

    [Fact]
    public async Task A_source_change_rebuilds_and_reloads_the_function_and_keeps_queued_messages()
    {
        using var temp = new TempDir();
        var lambdaProject = Path.Combine(Repo.Root, "src", "Lamina.Lambda", "Lamina.Lambda.csproj");
        temp.Write("Probe/Probe.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{lambdaProject}" />
              </ItemGroup>
            </Project>
            """);
        var program = temp.Write("Probe/Program.cs", ProgramSource("v1"));

        var app = new App(new AppOptions
        {
            ProjectName = "probe",
            StackName = "dev",
            Config = StackConfigSource.FromValues(("aws:region", "eu-west-1")),
            Bundle = false,
            RootDirectory = temp.Path,
        });
        var stack = new Stack(app, "probe");
        var held = new Queue(stack, "Held");
        var function = new Function<ReloadProbe>(stack, "Probe", new() { Project = "Probe/Probe.csproj" });
        function.AddEnvironment("TARGET", held.Name);

        await using var cloud = await LocalCloud.StartAsync(stack, new LocalCloudOptions
        {
            HandlerMode = LocalHandlerMode.OutOfProcess,
            BuildDirectory = Path.Combine(temp.Path, ".lamina", "local"),
        });
        var first = JsonNode.Parse((await cloud.Function("Probe").InvokeAsync()).PayloadText)!;
        Assert.Equal("v1", first["version"]!.GetValue<string>());
        Assert.NotEqual(Environment.ProcessId, first["pid"]!.GetValue<int>());
        Assert.Equal("Held", first["bucket"]!.GetValue<string>());

        cloud.Queue("Held").SendMessage("keep me");

        using var reloader = new DevReloader(cloud, _ => { });
        var reloaded = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        reloader.Reloaded += (_, count) => reloaded.TrySetResult(count);
        reloader.Failed += (_, message) => reloaded.TrySetException(new InvalidOperationException(message));
        reloader.Start();
        File.WriteAllText(program, ProgramSource("v2"));
        Assert.Equal(1, await reloaded.Task.WaitAsync(TimeSpan.FromMinutes(4)));

        var second = JsonNode.Parse((await cloud.Function("Probe").InvokeAsync()).PayloadText)!;
        Assert.Equal("v2", second["version"]!.GetValue<string>());
        Assert.NotEqual(first["pid"]!.GetValue<int>(), second["pid"]!.GetValue<int>());
        Assert.Equal("keep me", Assert.Single(cloud.Queue("Held").PeekMessages()).Body);
        var invocations = cloud.Function("Probe").Invocations;
        Assert.Equal(2, invocations.Count);
        Assert.True(invocations[1].Cold);
    }
}
