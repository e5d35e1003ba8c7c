using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sqs;
using Lamina.Configuration;

namespace Lamina.Core.Tests;

public class ConfigTests
{
    private static Stack StackWith(StackConfigSource config) =>
        new(new App(new AppOptions { ProjectName = "shop", Config = config, Bundle = false }), "shop");

    [Fact]
    public void Values_from_PULUMI_CONFIG_are_read_and_the_region_reaches_the_provider()
    {
        var config = StackConfigSource.FromPulumiEnvironment("""{"aws:region":"ap-southeast-2","shop:retention":"14"}""", null);
        var stack = StackWith(config);
        Assert.Equal(14, stack.Config.RequireInt("retention"));
        new Queue(stack, "Q");
        Assert.Contains("type: pulumi:providers:aws\n    properties:\n      region: ap-southeast-2", stack.Synth().Yaml);
    }

    [Fact]
    public void Values_from_a_stack_file_are_read()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(dir, "Pulumi.dev.yaml");
        File.WriteAllText(file, "config:\n  aws:region: eu-central-1\n  shop:tableName: orders\n  shop:apiKey:\n    secure: AAABAKsomeciphertext\n");
        var stack = StackWith(StackConfigSource.FromStackFile(file, "stacks/Pulumi.dev.yaml"));
        Assert.Equal("orders", stack.Config.Require("tableName"));
        Assert.Equal("eu-central-1", stack.Config.Require("aws:region"));
        Assert.True(stack.Config.Get("apiKey") is null);
    }

    [Fact]
    public void Stack_files_with_structured_values_are_read_with_the_full_yaml_parser()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(dir, "Pulumi.dev.yaml");
        File.WriteAllText(file, "config:\n  aws:region: eu-west-3 # comment\n  shop:limits:\n    max: 5\n    names: [a, b]\n  shop:quoted: \"a # not a comment\"\n");
        var stack = StackWith(StackConfigSource.FromStackFile(file, "stacks/Pulumi.dev.yaml"));
        Assert.Equal("eu-west-3", stack.Config.Require("aws:region"));
        Assert.Equal("{\"max\":\"5\",\"names\":[\"a\",\"b\"]}", stack.Config.Require("limits"));
        Assert.Equal("a # not a comment", stack.Config.Require("quoted"));
    }

    [Fact]
    public void A_missing_key_names_the_key_and_the_file()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(dir, "Pulumi.dev.yaml");
        File.WriteAllText(file, "config:\n  shop:other: x\n");
        var stack = StackWith(StackConfigSource.FromStackFile(file, "stacks/Pulumi.dev.yaml"));
        stack.Config.Require("tableName");
        new Queue(stack, "Q"); // the provider needs aws:region too
        var e = TestApps.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop" && x.Message.Contains("'shop:tableName'") && x.Message.Contains("stacks/Pulumi.dev.yaml"));
        Assert.Contains(e.Errors, x => x.Message.Contains("'aws:region'") && x.Message.Contains("stacks/Pulumi.dev.yaml"));
    }

    [Fact]
    public void Secrets_stay_secret_and_are_never_printed()
    {
        var config = StackConfigSource.FromPulumiEnvironment(
            """{"aws:region":"us-east-1","shop:apiKey":"s3cr3t-value-123"}""", """["shop:apiKey"]""");
        var stack = StackWith(config);
        var key = stack.Config.RequireSecret("apiKey");
        new Function(stack, "Fn", new() { Role = "r", Environment = new() { Variables = new() { ["API_KEY"] = key } } });
        var yaml = stack.Synth().Yaml;
        Assert.DoesNotContain("s3cr3t", yaml);
        Assert.Contains("config:\n  apiKey:\n    type: string\n    secret: true\n", yaml);
        Assert.Contains("API_KEY:\n            fn::secret: ${apiKey}", yaml);
        Assert.Equal(0, Lamina.Tests.Shared.CheckPulumiYaml.Check(yaml).Errors);
    }

    [Fact]
    public void Reading_a_secret_as_plain_text_is_an_error()
    {
        var stack = StackWith(StackConfigSource.FromPulumiEnvironment("""{"aws:region":"us-east-1","shop:apiKey":"x"}""", """["shop:apiKey"]"""));
        Assert.Null(stack.Config.Get("apiKey"));
        var e = TestApps.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Message.Contains("RequireSecret"));
    }

    [Fact]
    public void A_missing_secret_is_reported()
    {
        var stack = StackWith(StackConfigSource.FromValues(("aws:region", "us-east-1")));
        stack.Config.RequireSecret("apiKey");
        var e = TestApps.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Message.Contains("'shop:apiKey'"));
    }
}
