using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sqs;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Core.Tests;

public class SynthesisTests
{
    private static Stack Sample()
    {
        var stack = TestApps.Stack();
        var dlq = new Queue(stack, "Dlq");
        var q = new Queue(stack, "Orders", new()
        {
            VisibilityTimeoutSeconds = 60,
            RedrivePolicy = Output.Json(new Dictionary<string, object?> { ["deadLetterTargetArn"] = dlq.Arn, ["maxReceiveCount"] = 5 }),
            Tags = new() { ["b"] = "2", ["a"] = "1" },
        });
        stack.AddOutput("url", q.Url);
        return stack;
    }

    [Fact]
    public void The_program_has_the_sections_of_the_pulumi_yaml_reference_in_order()
    {
        var stack = new Stack(TestApps.Create(), "shop", new() { Description = "Orders: the service" });
        new Queue(stack, "Q");
        stack.AddOutput("arn", new Queue(stack, "R").Arn);
        var yaml = stack.Synth().Yaml;
        Assert.StartsWith("name: shop\nruntime: yaml\ndescription: \"Orders: the service\"\nresources:\n", yaml);
        Assert.True(yaml.IndexOf("resources:", StringComparison.Ordinal) < yaml.IndexOf("outputs:", StringComparison.Ordinal));
    }

    [Fact]
    public void Synthesis_is_byte_identical_for_the_same_program()
    {
        var a = Sample().Synth().Yaml;
        var b = Sample().Synth().Yaml;
        var stack = Sample();
        Assert.Equal(a, b);
        Assert.Equal(stack.Synth().Yaml, stack.Synth().Yaml);
        Assert.DoesNotContain("\r", a);
        Assert.Contains("tags:\n        a: \"1\"\n        b: \"2\"", a);
    }

    [Fact]
    public void Every_error_is_reported_at_once_each_with_its_construct_path()
    {
        var stack = TestApps.Stack();
        new Function(new Construct(stack, "Api"), "NoRole", new() { Role = null! });
        var q = new Queue(stack, "Q");
        new QueuePolicy(stack, "Misuse", new() { QueueUrl = "x" + q.Url, Policy = "{}" });
        stack.Config.Require("missingKey");
        var c = new Queue(stack, "Cyclic");
        c.Options.DependsOn.Add(c);
        var e = TestApps.SynthFails(stack);
        Assert.Equal(4, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Path == "shop/Api/NoRole" && x.Property == "role" && x.Message.Contains("missing required input 'role' of aws:lambda:Function"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Misuse" && x.Property == "properties.queueUrl");
        Assert.Contains(e.Errors, x => x.Path == "shop" && x.Message.Contains("'shop:missingKey'"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Cyclic" && x.Message.Contains("cycle"));
        Assert.Contains("4 errors", e.Message);
    }

    [Fact]
    public void Missing_required_inputs_of_nested_types_name_the_nested_property()
    {
        var stack = TestApps.Stack();
        new Function(stack, "Fn", new() { Role = "r", VpcConfig = new() { SubnetIds = null!, SecurityGroupIds = ["sg-1"] } });
        var e = TestApps.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Fn" && x.Property == "vpcConfig.subnetIds");
    }

    [Fact]
    public void Resource_options_are_written_as_pulumi_expects()
    {
        var stack = TestApps.Stack();
        var dep = new Queue(stack, "Dep");
        var q = new Queue(stack, "Q", null, new ResourceOptions
        {
            DependsOn = [dep],
            Protect = true,
            RetainOnDelete = true,
            IgnoreChanges = ["tags"],
            DeleteBeforeReplace = true,
            Aliases = [ResourceAlias.FromName("OldQ"), ResourceAlias.FromUrn("urn:pulumi:dev::shop::aws:sqs/queue:Queue::Older")],
            CustomTimeouts = new() { Create = TimeSpan.FromMinutes(5), Delete = TimeSpan.FromSeconds(90) },
        });
        var yaml = stack.Synth().Yaml;
        Assert.Contains("""
              Q:
                type: aws:sqs:Queue
                options:
                  dependsOn:
                    - ${Dep}
                  provider: ${AwsProvider}
                  protect: true
                  retainOnDelete: true
                  deleteBeforeReplace: true
                  ignoreChanges:
                    - tags
                  aliases:
                    - name: OldQ
                    - urn:pulumi:dev::shop::aws:sqs/queue:Queue::Older
                  customTimeouts:
                    create: "5m"
                    delete: "1m30s"
            """.Replace("\r", ""), yaml);
        var check = Lamina.Tests.Shared.CheckPulumiYaml.Check(yaml);
        Assert.True(check.Errors == 0, check.Output);
    }

    [Fact]
    public void Strings_that_yaml_would_read_as_something_else_are_quoted_and_dollars_escaped()
    {
        var stack = TestApps.Stack();
        new Queue(stack, "Q", new()
        {
            Tags = new()
            {
                ["bool"] = "true", ["num"] = "0123", ["date"] = "2012-10-17", ["colon"] = "a: b", ["hash"] = "a #b", ["empty"] = "",
                ["dollar"] = "$default", ["interp"] = "${not.a.ref}", ["double"] = "$$", ["newline"] = "a\nb", ["null"] = "null", ["dash"] = "- x",
            },
        });
        var yaml = stack.Synth().Yaml;
        foreach (var expected in new[]
        {
            "bool: \"true\"", "num: \"0123\"", "date: \"2012-10-17\"", "colon: \"a: b\"", "hash: \"a #b\"", "empty: \"\"", "dollar: $default",
            "interp: $${not.a.ref}", "double: $$$", "newline: \"a\\nb\"", "\"null\": \"null\"", "dash: \"- x\"",
        })
        {
            Assert.Contains(expected, yaml);
        }
        Assert.Equal(0, Lamina.Tests.Shared.CheckPulumiYaml.Check(yaml).Errors);
    }

    [Fact]
    public void Property_overrides_set_and_remove_raw_properties()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Q", new() { DelaySeconds = 5, VisibilityTimeoutSeconds = 30 });
        q.AddPropertyOverride("delaySeconds", null);
        q.AddPropertyOverride("redriveAllowPolicy.custom.key", "v");
        var props = q.GetProperties();
        Assert.Null(props["delaySeconds"]);
        Assert.Contains("redriveAllowPolicy:\n        custom:\n          key: v", stack.Synth().Yaml);
    }

    [Fact]
    public void The_synthesized_sample_passes_the_checkers()
    {
        var check = Lamina.Tests.Shared.CheckPulumiYaml.Check(Sample().Synth().Yaml);
        Assert.True(check.Errors == 0, check.Output);
    }
}
