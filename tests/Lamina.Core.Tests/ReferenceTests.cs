using Lamina.Aws.Resources.Iam;
using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Resources.Sqs;
using Lamina.Values;

namespace Lamina.Core.Tests;

public class ReferenceTests
{
    [Fact]
    public void An_output_used_as_an_input_renders_as_an_interpolation()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Orders");
        new QueuePolicy(stack, "Policy", new() { QueueUrl = q.Url, Policy = "{}" });
        Assert.Contains("queueUrl: ${Orders.url}", stack.Synth().Yaml);
    }

    [Fact]
    public void Several_outputs_in_one_string_render_as_one_interpolated_string()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Orders");
        var t = new Topic(stack, "Events");
        stack.AddOutput("summary", Output.Format($"queue {q.Arn} gets {t.Arn} (${{literal}} 100%)"));
        Assert.Contains("summary: queue ${Orders.arn} gets ${Events.arn} ($${literal} 100%)", stack.Synth().Yaml);
    }

    [Fact]
    public void A_json_document_with_outputs_renders_through_toJSON()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Orders");
        var role = new Role(stack, "Role", new() { AssumeRolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""" });
        new RolePolicy(stack, "Policy", new()
        {
            Role = role.ResourceId,
            Policy = Output.Json(new Dictionary<string, object?>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new[]
                {
                    new Dictionary<string, object?> { ["Effect"] = "Allow", ["Action"] = new[] { "sqs:SendMessage" }, ["Resource"] = q.Arn },
                },
            }),
        });
        var yaml = stack.Synth().Yaml;
        Assert.Contains("""
                  policy:
                    fn::toJSON:
                      Version: "2012-10-17"
                      Statement:
                        - Effect: Allow
                          Action:
                            - sqs:SendMessage
                          Resource: ${Orders.arn}
            """.Replace("\r", ""), yaml);
        Assert.Equal(0, Lamina.Tests.Shared.CheckPulumiYaml.Check(yaml).Errors);
    }

    [Fact]
    public void Stack_outputs_are_written_in_name_order()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Orders");
        stack.AddOutput("url", q.Url);
        stack.AddOutput("arn", q.Arn);
        var yaml = stack.Synth().Yaml;
        Assert.EndsWith("outputs:\n  arn: ${Orders.arn}\n  url: ${Orders.url}\n", yaml);
        Assert.Throws<ArgumentException>(() => stack.AddOutput("url", q.Url));
    }

    [Fact]
    public void ToString_of_an_output_inside_a_property_is_reported_with_path_and_property()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Orders");
        var fn = new Function(new Construct(stack, "Workers"), "Process", new()
        {
            Role = "arn:aws:iam::123456789012:role/r",
            Environment = new() { Variables = new() { ["QUEUE"] = "url=" + q.Url } },
        });
        var e = TestApps.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop/Workers/Process", error.Path);
        Assert.Equal("properties.environment.variables.QUEUE", error.Property);
        Assert.Contains("shop/Orders.url", error.Message);
        Assert.Contains("Output.Format", error.Message);
    }

    [Fact]
    public void A_plain_interpolated_string_with_an_output_is_reported_too()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Orders");
        stack.AddOutput("bad", (Input<string>)$"arn: {q.Arn}");
        var e = TestApps.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Property == "outputs.bad" && x.Message.Contains("shop/Orders.arn"));
    }

    [Fact]
    public void A_reference_to_a_resource_of_another_app_is_an_error()
    {
        var other = TestApps.Stack();
        var foreign = new Queue(other, "Foreign");
        var stack = TestApps.Stack();
        new QueuePolicy(stack, "Policy", new() { QueueUrl = foreign.Url, Policy = "{}" });
        var e = TestApps.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop/Policy", error.Path);
        Assert.Contains("another app", error.Message);
        Assert.Contains("shop/Foreign.url", error.Message);
    }

    [Fact]
    public void A_reference_to_a_resource_of_another_stack_of_the_same_app_is_an_error()
    {
        var app = TestApps.Create();
        var a = new Stack(app, "a");
        var b = new Stack(app, "b");
        var q = new Queue(a, "Q");
        new QueuePolicy(b, "Policy", new() { QueueUrl = q.Url, Policy = "{}" });
        var e = Assert.Throws<SynthesisException>(() => b.Synth());
        Assert.Contains(e.Errors, x => x.Path == "b/Policy" && x.Message.Contains("another stack"));
    }

    [Fact]
    public void A_reference_to_a_removed_resource_is_dangling()
    {
        var stack = TestApps.Stack();
        var group = new Construct(stack, "Old");
        var q = new Queue(group, "Q");
        new QueuePolicy(stack, "Policy", new() { QueueUrl = q.Url, Policy = "{}" });
        Assert.True(stack.TryRemoveChild("Old"));
        var e = TestApps.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Policy" && x.Message.Contains("dangling reference to shop/Old/Q.url"));
    }

    [Fact]
    public void Dependency_cycles_are_reported_with_every_construct_on_the_cycle()
    {
        var stack = TestApps.Stack();
        var a = new Queue(stack, "A");
        var b = new Queue(stack, "B", new() { RedrivePolicy = Output.Json(new Dictionary<string, object?> { ["deadLetterTargetArn"] = a.Arn }) });
        a.Args.RedrivePolicy = Output.Json(new Dictionary<string, object?> { ["deadLetterTargetArn"] = b.Arn });
        var c = new Queue(stack, "C");
        c.Options.DependsOn.Add(c);
        var e = TestApps.SynthFails(stack);
        Assert.Equal(2, e.Errors.Count(x => x.Message.StartsWith("dependency cycle")));
        Assert.Contains(e.Errors, x => x.Message.Contains("shop/A -> shop/B -> shop/A"));
        Assert.Contains(e.Errors, x => x.Message.Contains("shop/C -> shop/C"));
    }

    [Fact]
    public void Outputs_can_be_navigated_and_indexed()
    {
        var stack = TestApps.Stack();
        var fn = new Function(stack, "Fn", new() { Role = "r" });
        stack.AddOutput("first", fn.Architectures.Index<string>(0));
        stack.AddOutput("nested", fn.LoggingConfig.Property<string>("logGroup"));
        var yaml = stack.Synth().Yaml;
        Assert.Contains("first: ${Fn.architectures[0]}", yaml);
        Assert.Contains("nested: ${Fn.loggingConfig.logGroup}", yaml);
    }
}
