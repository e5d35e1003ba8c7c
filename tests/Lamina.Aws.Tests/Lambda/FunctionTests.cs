using Lamina.Aws.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using Lamina.Values;

namespace Lamina.Aws.Tests.Lambda;

public class FunctionTests
{
    [Fact]
    public void A_dotnet_function_creates_function_role_log_group_and_least_privilege_policy()
    {
        var stack = TestStacks.Create();
        var fn = new Function<GetOrder>(stack, "GetOrder", new() { MemorySize = 256, Timeout = TimeSpan.FromSeconds(10) });
        var template = Template.From(stack);
        template.ResourceCountIs("aws:lambda:Function", 1);
        template.ResourceCountIs("aws:iam:Role", 1);
        template.ResourceCountIs("aws:cloudwatch:LogGroup", 1);
        template.HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?>
        {
            ["name"] = "shop-dev-GetOrder",
            ["runtime"] = "provided.al2023",
            ["handler"] = typeof(GetOrder).FullName,
            ["memorySize"] = 256,
            ["timeout"] = 10,
            ["architectures"] = new[] { "x86_64" },
            ["role"] = "${GetOrder-Role.arn}",
            ["code"] = new Dictionary<string, object?> { ["fn::fileArchive"] = Match.StringLike(".lamina/no-bundle/*-linux-x64.zip") },
        });
        template.HasResourceProperties("aws:cloudwatch:LogGroup", new Dictionary<string, object?> { ["name"] = "/aws/lambda/shop-dev-GetOrder", ["retentionInDays"] = 14 });
        template.HasResourceProperties("aws:iam:Role", new Dictionary<string, object?>
        {
            ["assumeRolePolicy"] = Match.Json(new Dictionary<string, object?>
            {
                ["Statement"] = Match.ArrayWith(new Dictionary<string, object?> { ["Principal"] = new Dictionary<string, object?> { ["Service"] = "lambda.amazonaws.com" } }),
            }),
        });
        template.HasResourceProperties("aws:iam:RolePolicy", new Dictionary<string, object?>
        {
            ["policy"] = Match.Json(Match.ObjectEquals(new Dictionary<string, object?>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object?> { ["Effect"] = "Allow", ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" }, ["Resource"] = "${GetOrder-LogGroup.arn}:*" },
                },
            })),
        });
        Assert.Equal(EventSources.HttpApi, fn.HandledEvents);
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void A_python_function_from_a_folder_is_deployable_as_written()
    {
        var stack = TestStacks.Create();
        new Function(stack, "Hello", new CodeFunctionProps { Code = "examples/hello/python", Runtime = Runtime.Python313, Handler = "lambda_function.lambda_handler" });
        Template.From(stack).HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?>
        {
            ["runtime"] = "python3.13",
            ["handler"] = "lambda_function.lambda_handler",
            ["code"] = new Dictionary<string, object?> { ["fn::fileArchive"] = "examples/hello/python" },
        });
    }

    [Theory]
    [InlineData(64, 3, 512, 14, "MemorySize", "128-10,240 MB")]
    [InlineData(20000, 3, 512, 14, "MemorySize", "128-10,240 MB")]
    [InlineData(128, 0, 512, 14, "Timeout", "1-900 seconds")]
    [InlineData(128, 901, 512, 14, "Timeout", "1-900 seconds")]
    [InlineData(128, 3, 100, 14, "EphemeralStorageSize", "512-10,240 MB")]
    [InlineData(128, 3, 512, 13, "LogRetentionDays", "one of 1, 3, 5")]
    public void Out_of_range_props_name_the_construct_path_the_property_and_the_range(int memory, int timeout, int storage, int retention, string property, string allowed)
    {
        var stack = TestStacks.Create();
        new Function<GetOrder>(new Construct(stack, "Api"), "GetOrder", new()
        {
            MemorySize = memory, Timeout = TimeSpan.FromSeconds(timeout), EphemeralStorageSize = storage, LogRetentionDays = retention,
        });
        var e = TestStacks.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop/Api/GetOrder", error.Path);
        Assert.Equal(property, error.Property);
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void Environment_variables_over_4KB_and_reserved_names_are_rejected()
    {
        var stack = TestStacks.Create();
        var fn = new Function<GetOrder>(stack, "Fn", new() { Environment = new Dictionary<string, Input<string>> { ["BIG"] = new string('x', 4100) } });
        fn.AddEnvironment("AWS_REGION", "x");
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Fn" && x.Property == "environment" && x.Message.Contains("4,096 bytes"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Fn" && x.Message.Contains("AWS_REGION"));
    }

    [Fact]
    public void GrantInvoke_grants_exactly_InvokeFunction_on_that_function()
    {
        var stack = TestStacks.Create();
        var caller = new Function<ValidateOrder>(stack, "Caller");
        var target = new Function<GetOrder>(stack, "Target");
        target.GrantInvoke(caller, "TARGET_FUNCTION");
        var policies = Template.From(stack).FindResources("aws:iam:RolePolicy");
        var callerPolicy = policies["Caller-Role-Policy"].ToJsonString();
        Assert.Contains("\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"${Target.arn}\"", callerPolicy);
        Assert.DoesNotContain("lambda:InvokeFunction", policies["Target-Role-Policy"].ToJsonString());
        Template.From(stack).HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?>
        {
            ["environment"] = new Dictionary<string, object?> { ["variables"] = new Dictionary<string, object?> { ["TARGET_FUNCTION"] = "${Target.name}" } },
        });
    }

    [Fact]
    public void Transforms_adjust_the_underlying_resources()
    {
        var stack = TestStacks.Create();
        new Function<GetOrder>(stack, "Fn", new() { Transform = new() { Function = a => a.KmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/k", LogGroup = a => a.RetentionInDays = 30 } });
        var t = Template.From(stack);
        t.HasResourceProperties("aws:lambda:Function", new Dictionary<string, object?> { ["kmsKeyArn"] = "arn:aws:kms:us-east-1:123456789012:key/k" });
        t.HasResourceProperties("aws:cloudwatch:LogGroup", new Dictionary<string, object?> { ["retentionInDays"] = 30 });
    }

    [Fact]
    public void Declared_event_sources_are_checked_for_other_languages()
    {
        var stack = TestStacks.Create();
        var fn = new Function(stack, "Py", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b", Handles = EventSources.Sqs });
        fn.RequireEvents(EventSources.HttpApi, new Construct(stack, "Api"));
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Api" && x.Message.Contains("shop/Py") && x.Message.Contains("HttpApi"));
    }
}
