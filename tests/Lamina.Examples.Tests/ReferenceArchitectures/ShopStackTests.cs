using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Examples.Handlers;
using Lamina.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using Shop;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

/// <summary>stacks/Shop: the five examples composed in one stack (built here without bundling).</summary>
public class ShopStackTests
{
    private static ShopStack Shop(params (string Key, string Value)[] config) => ShopStack.Define(ExampleApps.App(config));

    [Fact]
    public void The_composed_stack_passes_the_checker_with_no_broad_wildcards()
    {
        var shop = Shop(("shop:retentionDays", "14"));
        var result = shop.Stack.Synth();
        Assert.True(result.Warnings.Count == 0, string.Join("\n", result.Warnings));
        var check = CheckPulumiYaml.Check(result.Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
        Assert.StartsWith("name: shop\nruntime: yaml\n", result.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void It_holds_every_resource_of_each_example_under_the_same_logical_name_and_type()
    {
        var composed = Template.From(Shop().Stack).FindResourcesOfAllTypes();
        var expected = new Dictionary<string, string> { ["AwsProvider"] = "pulumi:providers:aws" };
        foreach (var name in ReferenceExamples.All.Keys)
        {
            var alone = Template.From(ReferenceExamples.Define(ExampleApps.App(), name)).FindResourcesOfAllTypes();
            foreach (var (logical, type) in alone)
            {
                Assert.True(!expected.TryGetValue(logical, out var other) || other == type, $"{name}: {logical} is also a {other} in another example");
                expected[logical] = type;
            }
        }
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), composed.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("7", 604_800)]
    [InlineData("14", 1_209_600)]
    public void The_dead_letter_retention_comes_from_shop_retentionDays(string days, int seconds)
    {
        var t = Template.From(Shop(("shop:retentionDays", days)).Stack);
        foreach (var name in new[] { "Billing", "Shipping" })
        {
            Assert.Equal(seconds, (long)t.FindResources("aws:sqs:Queue")[$"OrderEvents-{name}-DLQ"]["properties"]!["messageRetentionSeconds"]!);
        }
        Assert.Equal(1_209_600, (long)Template.From(Shop().Stack).FindResources("aws:sqs:Queue")["OrderEvents-Billing-DLQ"]["properties"]!["messageRetentionSeconds"]!);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("0")]
    [InlineData("a week")]
    public void A_retention_outside_one_to_fourteen_days_is_an_error_naming_the_key(string days)
    {
        var e = Assert.Throws<SynthesisException>(() => Shop(("shop:retentionDays", days)).Stack.Synth());
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop", error.Path);
        Assert.Contains($"shop:retentionDays is '{days}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("from 1 to 14", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_function_is_served_by_the_one_handler_project_which_registers_its_handler()
    {
        var shop = Shop();
        var registry = new LambdaHandlerRegistry();
        ExampleHandlers.Register(registry);
        var functions = shop.Stack.DescendantsAndSelf().OfType<FunctionBase>().ToList();
        Assert.Equal(10, functions.Count);
        foreach (var fn in functions)
        {
            var handler = fn.Resource.Args.HandlerText();
            Assert.True(registry.Contains(handler), $"{fn.Path}: handler {handler} is not registered");
        }
        Assert.Equal(functions.Count, registry.Names.Count);
        var t = Template.From(shop.Stack);
        t.AllResourcesProperties("aws:lambda:Function", new D
        {
            ["runtime"] = "provided.al2023",
            ["code"] = new D { ["fn::fileArchive"] = ".lamina/no-bundle/Lamina.Examples.Handlers-linux-x64.zip" },
        });
        t.AllResourcesProperties("aws:lambda:Function", new D { ["tags"] = new D { ["app"] = "shop", ["managed-by"] = "lamina" } });
    }

    [Fact]
    public void With_bundling_one_publish_of_the_handler_project_serves_all_ten_functions()
    {
        var dotnet = new FakeDotnet();
        using var output = new TempDir();
        var app = new App(new AppOptions
        {
            ProjectName = "shop",
            StackName = "dev",
            Config = Configuration.StackConfigSource.FromValues(("aws:region", "us-east-1")),
            Bundle = true,
            RootDirectory = Repo.Root,
            OutputDirectory = output.Path,
        });
        var bundler = DotnetBundler.For(app);
        bundler.Runner = dotnet;
        bundler.Log = TextWriter.Null;
        bundler.Toolchains = new FakeToolchains();
        var shop = ShopStack.Define(app);

        var publish = Assert.Single(dotnet.Publishes);
        Assert.Equal(Path.Combine(Repo.Root, "examples/handlers/Lamina.Examples.Handlers/Lamina.Examples.Handlers.csproj"), publish.Arguments[1]);
        var build = Assert.Single(bundler.Builds);
        Template.From(shop.Stack).AllResourcesProperties("aws:lambda:Function", new D { ["code"] = new D { ["fn::fileArchive"] = build.ZipPath } });
        var inputs = DotnetProject.Inputs(publish.Arguments[1], Repo.Root).Select(i => i.RelativePath).ToList();
        Assert.Contains("examples/handlers/Lamina.Examples.Handlers/Workflow/ChargeCard.cs", inputs);
        Assert.DoesNotContain(inputs, i => i.StartsWith("examples/api/", StringComparison.Ordinal) || i.StartsWith("stacks/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_second_synthesis_is_byte_identical_for_the_composed_stack_and_each_example()
    {
        Assert.Equal(Shop(("shop:retentionDays", "7")).Stack.Synth().Yaml, Shop(("shop:retentionDays", "7")).Stack.Synth().Yaml);
        foreach (var name in ReferenceExamples.All.Keys)
        {
            var first = ReferenceExamples.Define(ExampleApps.App(), name).Synth().Yaml;
            var second = ReferenceExamples.Define(ExampleApps.App(), name).Synth().Yaml;
            Assert.True(first == second, $"{name}: two syntheses differ");
        }
    }

    [Fact]
    public void Each_example_runs_alone_through_LaminaApp_and_an_unknown_name_lists_the_examples()
    {
        foreach (var name in ReferenceExamples.All.Keys)
        {
            using var stdout = new MemoryStream();
            var stderr = new StringWriter();
            var env = new Dictionary<string, string?>
            {
                ["PULUMI_PROJECT"] = "shop", ["PULUMI_STACK"] = "dev", ["PULUMI_CONFIG"] = """{"aws:region":"eu-west-1"}""", ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            };
            var code = LaminaApp.Run(["synth", "--no-bundle"], app => ReferenceExamples.Define(app, name), stdout, stderr, k => env.GetValueOrDefault(k));
            Assert.True(code == 0, name + ": " + stderr);
            var yaml = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
            Assert.Contains("region: eu-west-1", yaml, StringComparison.Ordinal);
            Assert.Contains($"description: \"Lamina reference architecture: examples/{name}\"", yaml, StringComparison.Ordinal);
            Assert.DoesNotContain(Lamina.Synthesis.ProgramChecker.Check(yaml), f => f.Severity == DiagnosticSeverity.Error);
        }
        var e = Assert.Throws<ArgumentException>(() => ReferenceExamples.Define(ExampleApps.App(), "queue"));
        Assert.Contains("api, cron, fanout, uploads, workflow", e.Message, StringComparison.Ordinal);
    }
}

internal static class TemplateExtensions
{
    /// <summary>Every resource's logical name and type.</summary>
    public static Dictionary<string, string> FindResourcesOfAllTypes(this Template template) =>
        template.ToJson()["resources"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string)kv.Value!["type"]!);

    /// <summary>The handler literal of a function's arguments.</summary>
    public static string HandlerText(this Lamina.Aws.Resources.Lambda.FunctionArgs args) =>
        args.Handler!.ToExpr() is Values.LiteralExpr { Value: string s } ? s : throw new InvalidOperationException("the handler is not a literal");
}
