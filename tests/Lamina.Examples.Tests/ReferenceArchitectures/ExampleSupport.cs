using System.Text.Json.Nodes;
using Lamina.Configuration;
using Lamina.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

/// <summary>Apps and stacks for the reference-architecture tests: project "shop", stack "dev", us-east-1, no bundling.</summary>
internal static class ExampleApps
{
    public static App App(params (string Key, string Value)[] config) => new(new AppOptions
    {
        ProjectName = "shop",
        StackName = "dev",
        Config = StackConfigSource.FromValues([("aws:region", "us-east-1"), .. config]),
        Bundle = false,
        RootDirectory = Repo.Root,
    });

    /// <summary>A new empty stack named after an example.</summary>
    public static Stack Stack(string name) => new(App(), name);

    /// <summary>Synthesizes <paramref name="stack"/>, asserting no warnings.</summary>
    public static Template SynthesizedTemplate(Stack stack)
    {
        var result = stack.Synth();
        Assert.True(result.Warnings.Count == 0, string.Join("\n", result.Warnings));
        return Template.From(stack);
    }

    /// <summary>Example <paramref name="name"/> alone: its program passes the checker with no errors and no broad wildcards.</summary>
    public static void AssertProgramPassesTheChecker(string name)
    {
        var result = ReferenceExamples.Define(App(), name).Synth();
        Assert.True(result.Warnings.Count == 0, string.Join("\n", result.Warnings));
        var check = CheckPulumiYaml.Check(result.Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    /// <summary>The statements of a role policy resource, parsed from its <c>fn::toJSON</c> document.</summary>
    public static JsonArray Statements(Template template, string rolePolicyLogicalName)
    {
        var policy = template.FindResources("aws:iam:RolePolicy")[rolePolicyLogicalName]["properties"]!["policy"]!;
        return (JsonArray)policy["fn::toJSON"]!["Statement"]!;
    }

    /// <summary>A statement's actions or resources as a list (IAM allows a single string or an array).</summary>
    public static List<string> List(JsonNode? node) => node switch
    {
        null => [],
        JsonArray a => a.Select(x => x!.GetValue<string>()).ToList(),
        _ => [node.GetValue<string>()],
    };
}

/// <summary>An <see cref="ILambdaContext"/> for calling handlers in tests; records log lines.</summary>
internal sealed class TestContext : ILambdaContext, ILambdaLogger
{
    public List<(LambdaLogLevel Level, string Message)> Lines { get; } = [];

    public IEnumerable<string> Messages(LambdaLogLevel level) => Lines.Where(l => l.Level == level).Select(l => l.Message);

    public string AwsRequestId => "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
    public string FunctionName => "shop-dev-Test";
    public string FunctionVersion => "$LATEST";
    public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:shop-dev-Test";
    public int MemoryLimitInMB => 256;
    public DateTimeOffset Deadline => DateTimeOffset.MaxValue;
    public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
    public string LogGroupName => "/aws/lambda/shop-dev-Test";
    public string LogStreamName => "2026/11/27/[$LATEST]0123456789abcdef";
    public string? TraceId => null;
    public ILambdaLogger Logger => this;
    public CancellationToken CancellationToken => CancellationToken.None;

    public void Log(LambdaLogLevel level, string message) => Lines.Add((level, message));
}
