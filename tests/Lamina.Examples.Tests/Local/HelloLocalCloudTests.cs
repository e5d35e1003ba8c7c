using System.Text.Json.Nodes;
using Hello.Stack;
using Lamina.Examples.Tests.Hello;
using Lamina.Local.Cloud;
using Lamina.Local.Lambda;

namespace Lamina.Examples.Tests.Local;

/// <summary>The hello example on LocalCloud: the seed note's Python handler runs through the Python runtime shim.</summary>
public sealed class HelloLocalCloudTests
{
    private static Stack HelloStack()
    {
        var app = Repo.App(Repo.Root, bundle: false);
        HelloApp.Define(app);
        return app.SelectStack();
    }

    [Fact]
    public async Task The_seed_python_handler_runs_locally_and_echoes_the_event()
    {
        await using var cloud = await LocalCloud.StartAsync(HelloStack());
        var python = cloud.Function("HelloPython");
        var result = await python.InvokeAsync(SeedEvent.Json);
        Assert.Null(result.FunctionError);
        var response = JsonNode.Parse(result.PayloadText)!;
        Assert.Equal(200, response["statusCode"]!.GetValue<int>());
        // The body is the event itself, as json.dumps wrote it.
        var echoed = JsonNode.Parse(response["body"]!.GetValue<string>())!;
        Assert.Equal("GET", echoed["httpMethod"]!.GetValue<string>());
        Assert.Equal(12345, echoed["queryStringParameters"]!["postcode"]!.GetValue<int>());
        var record = Assert.Single(python.Invocations);
        Assert.True(record.Cold);
        Assert.Equal(LocalInvocationOutcome.Success, record.Outcome);
    }

    [Fact]
    public async Task The_csharp_equivalent_runs_in_process_and_gets_the_function_environment()
    {
        await using var cloud = await LocalCloud.StartAsync(HelloStack());
        var result = await cloud.Function("HelloDotnet").InvokeAsync(SeedEvent.Json);
        Assert.Null(result.FunctionError);
        Assert.Equal(200, JsonNode.Parse(result.PayloadText)!["statusCode"]!.GetValue<int>());
        Assert.Equal("hello-dev-HelloDotnet", cloud.Function("HelloDotnet").Name);
    }
}
