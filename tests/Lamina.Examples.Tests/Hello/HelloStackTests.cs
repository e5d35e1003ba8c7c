using Hello.Handlers;
using Hello.Stack;
using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Testing;
using Lamina.Tests.Shared;

namespace Lamina.Examples.Tests.Hello;

public class HelloStackTests
{
    [Fact]
    public void The_hello_stack_synthesizes_a_deployable_program_with_both_functions()
    {
        var app = Repo.App(Repo.Root, bundle: false);
        HelloApp.Define(app);
        var stack = app.SelectStack();
        var result = stack.Synth();
        Assert.Empty(result.Warnings);

        var template = Template.From(stack);
        template.ResourceCountIs("aws:lambda:Function", 2);
        template.HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?>
        {
            ["name"] = "hello-dev-HelloPython",
            ["runtime"] = "python3.13",
            ["handler"] = "lambda_function.lambda_handler",
            ["code"] = new Dictionary<string, object?> { ["fn::fileArchive"] = "examples/hello/python" },
        });
        template.HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?>
        {
            ["name"] = "hello-dev-HelloDotnet",
            ["runtime"] = "provided.al2023",
            ["handler"] = "Hello.Handlers.HelloHandler",
            ["architectures"] = new[] { "x86_64" },
            ["code"] = new Dictionary<string, object?> { ["fn::fileArchive"] = ".lamina/no-bundle/Hello.Handlers-linux-x64.zip" },
        });
        Assert.Equal(["dotnetFunctionName", "pythonFunctionName"], stack.Outputs.Keys);

        var check = CheckPulumiYaml.Check(result.Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void Both_functions_accept_REST_API_events_as_the_example_declares()
    {
        var app = Repo.App(Repo.Root, bundle: false);
        HelloApp.Define(app);
        var functions = app.SelectStack().Children.OfType<FunctionBase>().ToList();
        Assert.All(functions, f => Assert.True(f.HandledEvents.HasFlag(EventSources.RestApi), f.Path));
        Assert.Equal("Hello.Handlers.HelloHandler", Function<HelloHandler>.HandlerName);
    }

    [Fact]
    public void With_bundling_the_dotnet_function_points_at_the_published_zip()
    {
        var dotnet = new FakeDotnet();
        using var output = new TempDir();
        var app = Repo.App(Repo.Root, bundle: true, output: output.Path);
        var bundler = DotnetBundler.For(app);
        bundler.Runner = dotnet;
        bundler.Log = TextWriter.Null;
        bundler.Toolchains = new FakeToolchains();
        HelloApp.Define(app);

        var publish = Assert.Single(dotnet.Publishes);
        Assert.Equal(Path.Combine(Repo.Root, "examples/hello/Hello.Handlers/Hello.Handlers.csproj"), publish.Arguments[1]);
        var build = bundler.Builds.Single();
        Assert.Matches("/assets/Hello\\.Handlers-linux-x64-[0-9a-f]{16}\\.zip$", build.ZipPath);
        // The hash covers the handler project and Lamina.Lambda (its ProjectReference), not the stack program.
        var inputs = DotnetProject.Inputs(publish.Arguments[1], Repo.Root).Select(i => i.RelativePath).ToList();
        Assert.Contains("examples/hello/Hello.Handlers/HelloHandler.cs", inputs);
        Assert.Contains("src/Lamina.Lambda/Bootstrap/LambdaRuntime.cs", inputs);
        Assert.Contains("Directory.Build.props", inputs);
        Assert.DoesNotContain(inputs, i => i.StartsWith("examples/hello/Hello.Stack/", StringComparison.Ordinal) || i.Contains("/obj/", StringComparison.Ordinal));
        Template.From(app.SelectStack()).HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?>
        {
            ["code"] = new Dictionary<string, object?> { ["fn::fileArchive"] = build.ZipPath },
        });
    }
}
