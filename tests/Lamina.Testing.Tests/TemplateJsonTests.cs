using System.Text.Json.Nodes;
using Lamina.Aws.Resources.Sqs;
using Lamina.Values;

namespace Lamina.Testing.Tests;

public class TemplateJsonTests
{
    [Fact]
    public void References_interpolations_and_calls_render_as_their_Pulumi_YAML_text()
    {
        var json = Shop.Build().Template().ToJson();
        var resources = json["resources"]!.AsObject();

        Assert.Equal("${Billing.url}", resources["BillingPolicy"]!["properties"]!["queueUrl"]!.GetValue<string>());
        var redrive = resources["Billing"]!["properties"]!["redrivePolicy"]!.AsObject();
        Assert.Equal(["fn::toJSON"], redrive.Select(kv => kv.Key));
        Assert.Equal("${Dlq.arn}", redrive["fn::toJSON"]!["deadLetterTargetArn"]!.GetValue<string>());
        Assert.Equal("./app", resources["Fn"]!["properties"]!["code"]!["fn::fileArchive"]!.GetValue<string>());
        Assert.Equal("arn is ${Fn.arn} in ${Orders.name}", json["outputs"]!["fnArn"]!.GetValue<string>());
        Assert.Equal("${AwsProvider}", resources["Fn"]!["options"]!["provider"]!.GetValue<string>());
    }

    [Fact]
    public void Literal_text_is_escaped_as_in_YAML_so_it_never_reads_as_a_reference()
    {
        var json = Shop.Build().Template().ToJson();
        Assert.Equal("a$b $${c}", json["resources"]!["Fn"]!["properties"]!["environment"]!["variables"]!["X"]!.GetValue<string>());
    }

    [Fact]
    public void Numbers_are_JSON_numbers_and_whole_numbers_have_no_fraction()
    {
        var json = Shop.Build().Template().ToJson();
        var props = json["resources"]!["Billing"]!["properties"]!;
        Assert.Equal("60", props["visibilityTimeoutSeconds"]!.ToJsonString());
        Assert.Equal("5", props["redrivePolicy"]!["fn::toJSON"]!["maxReceiveCount"]!.ToJsonString());
        Assert.Equal("0.5", TemplateJson.FromExpr(Expr.Of(0.5))!.ToJsonString());
        Assert.Null(TemplateJson.FromExpr(Expr.Null));
        Assert.Equal("true", TemplateJson.FromExpr(Expr.Of(true))!.ToJsonString());
    }

    [Fact]
    public void The_view_has_every_section_and_resources_always_have_properties()
    {
        var stack = new Stack(Shop.NewApp(), "shop");
        var q = new Queue(stack, "Q");
        var secret = stack.Config.RequireSecret("aws:region");
        stack.AddOutput("s", secret);
        var json = Template.From(stack).ToJson();
        Assert.Equal("shop", json["name"]!.GetValue<string>());
        Assert.Equal("yaml", json["runtime"]!.GetValue<string>());
        Assert.NotNull(json["variables"]);
        Assert.True(json["resources"]!["Q"]!["properties"] is JsonObject);
        Assert.Equal("""{"fn::secret":"${aws:region}"}""", json["outputs"]!["s"]!.ToJsonString());
        Assert.Equal("""{"type":"string","secret":true}""", json["config"]!["aws:region"]!.ToJsonString());
        Assert.Equal("Q", q.LogicalName);
    }

    [Fact]
    public void ToJson_returns_a_copy()
    {
        var template = Shop.Build().Template();
        template.ToJson()["resources"]!.AsObject().Remove("Billing");
        template.ResourceCountIs("aws:sqs:Queue", 2);
    }

    [Fact]
    public void Lazy_values_are_produced()
    {
        var stack = new Stack(Shop.NewApp(), "shop");
        var items = new List<string>();
        new Queue(stack, "Q", new() { Name = Output.Lazy<string>(() => string.Join("-", items)) });
        items.Add("late");
        Template.From(stack).HasResourceProperties("aws:sqs:Queue", new D { ["name"] = "late" });
    }
}
