using System.Text.Json.Nodes;
using Lamina.Aws.Resources.Sqs;
using Lamina.Synthesis;

namespace Lamina.Testing.Tests;

public class TemplateTests
{
    private static TemplateAssertionException Fails(Action assertion) => Assert.Throws<TemplateAssertionException>(assertion);

    [Fact]
    public void ResourceCountIs_passes_on_the_right_count_and_names_the_resources_otherwise()
    {
        var template = Shop.Build().Template();
        template.ResourceCountIs("aws:sqs:Queue", 2);
        template.ResourceCountIs("aws:s3:Bucket", 0);

        var e = Fails(() => template.ResourceCountIs("aws:sqs:Queue", 3));
        Assert.Contains("Expected 3 resources of type 'aws:sqs:Queue' but found 2: Billing, Dlq.", e.Message);
    }

    [Fact]
    public void ResourceCountIs_for_a_missing_type_lists_the_types_present()
    {
        var e = Fails(() => Shop.Build().Template().ResourceCountIs("aws:sqs:queue", 1));
        Assert.Contains("found 0.", e.Message);
        Assert.Contains("aws:sqs:Queue (2)", e.Message);
    }

    [Fact]
    public void HasResourceProperties_passes_when_any_resource_of_the_type_matches()
    {
        var shop = Shop.Build();
        var template = shop.Template();
        template.HasResourceProperties("aws:sqs:Queue", new D { ["visibilityTimeoutSeconds"] = 60 });
        template.HasResourceProperties("aws:sqs:Queue", new D { ["messageRetentionSeconds"] = 1209600 });
        template.HasResourceProperties("aws:sqs:Queue", new { messageRetentionSeconds = 1209600, tags = new { team = "payments" } });
        template.HasResourceProperties("aws:sqs:Queue", null);
    }

    [Fact]
    public void HasResourceProperties_failure_names_the_closest_resource_the_path_and_the_candidates()
    {
        var template = Shop.Build().Template();
        var e = Fails(() => template.HasResourceProperties("aws:sqs:Queue", new D
        {
            ["visibilityTimeoutSeconds"] = 30,
            ["redrivePolicy"] = Match.Json(new D { ["maxReceiveCount"] = 5 }),
        }));
        Assert.Contains("No resource of type 'aws:sqs:Queue' has properties matching", e.Message);
        Assert.Contains("Closest: Billing (1 difference)", e.Message);
        Assert.Contains("properties.visibilityTimeoutSeconds: expected 30 but found 60", e.Message);
        Assert.Contains("Resources of type 'aws:sqs:Queue': Billing, Dlq", e.Message);
        Assert.Contains("\"visibilityTimeoutSeconds\": 60", e.Message); // the closest resource is printed
        var failure = Assert.Single(e.Failures);
        Assert.Equal("properties.visibilityTimeoutSeconds", failure.Path);
    }

    [Fact]
    public void HasResourceProperties_for_a_type_with_no_resources_says_so()
    {
        var e = Fails(() => Shop.Build().Template().HasResourceProperties("aws:s3:Bucket", new D()));
        Assert.Contains("no resource of type 'aws:s3:Bucket'", e.Message);
        Assert.Contains("aws:lambda:Function (1)", e.Message);
    }

    [Fact]
    public void Outputs_of_resources_match_their_reference_text()
    {
        var shop = Shop.Build();
        var template = shop.Template();
        template.HasResourceProperties("aws:sqs:QueuePolicy", new D { ["queueUrl"] = shop.Billing.Url });
        template.HasResourceProperties("aws:lambda:Function", new D { ["role"] = "${Role.arn}" });
        // A Lamina document is compared by its view, object-like: maxReceiveCount may be left out.
        template.HasResourceProperties("aws:sqs:Queue", new D { ["redrivePolicy"] = Lamina.Values.Output.Json(new D { ["deadLetterTargetArn"] = shop.Dlq.Arn }) });
        template.HasResourceProperties("aws:sqs:QueuePolicy", new D { ["queueUrl"] = Match.Reference(shop.Billing, "url") });
        var e = Fails(() => template.HasResourceProperties("aws:sqs:QueuePolicy", new D { ["queueUrl"] = shop.Dlq.Url }));
        Assert.Contains("properties.queueUrl: expected \"${Dlq.url}\" but found \"${Billing.url}\"", e.Message);
    }

    [Fact]
    public void Literal_dollar_text_mismatch_explains_the_escaping()
    {
        var template = Shop.Build().Template();
        template.HasResourceProperties("aws:lambda:Function", new D { ["environment"] = new D { ["variables"] = new D { ["X"] = "a$b $${c}" } } });
        var e = Fails(() => template.HasResourceProperties("aws:lambda:Function", new D { ["environment"] = new D { ["variables"] = new D { ["X"] = "a$b ${c}" } } }));
        Assert.Contains("properties.environment.variables.X", e.Message);
        Assert.Contains("escaped as in Pulumi YAML", e.Message);
    }

    [Fact]
    public void Plain_objects_match_object_like_at_any_depth_but_lists_match_item_by_item()
    {
        var template = Shop.Build().Template();
        template.HasResourceProperties("aws:sqs:QueuePolicy", new D
        {
            ["policy"] = new D { ["fn::toJSON"] = new D { ["Statement"] = new object[] { new D { ["Effect"] = "Allow" } } } },
        });
        var e = Fails(() => template.HasResourceProperties("aws:sqs:QueuePolicy", new D
        {
            ["policy"] = new D { ["fn::toJSON"] = new D { ["Statement"] = new object[] { new D { ["Effect"] = "Allow" }, new D { ["Effect"] = "Deny" } } } },
        }));
        Assert.Contains("properties.policy.fn::toJSON.Statement: expected 2 items but found 1", e.Message);
    }

    [Fact]
    public void HasResource_matches_type_properties_and_options()
    {
        var shop = Shop.Build(extra: s => s.Resources.OfType<Queue>().First(q => q.Id == "Dlq").Options.Protect = true);
        var template = shop.Template();
        template.HasResource("aws:sqs:Queue", new D { ["options"] = new D { ["protect"] = true }, ["properties"] = new D { ["messageRetentionSeconds"] = 1209600 } });
        template.HasResource("aws:sqs:Queue", new D { ["options"] = new D { ["protect"] = Match.Absent() } });
        var e = Fails(() => template.HasResource("aws:sqs:Queue", new D
        {
            ["options"] = new D { ["protect"] = true },
            ["properties"] = new D { ["visibilityTimeoutSeconds"] = 60, ["messageRetentionSeconds"] = 1209600 },
        }));
        Assert.Contains("properties: expected key 'visibilityTimeoutSeconds'", e.Message);
        Assert.Contains("Closest: Dlq", e.Message);
    }

    [Fact]
    public void FindResources_returns_copies_by_logical_name_filtered_as_whole_resources()
    {
        var template = Shop.Build().Template();
        var all = template.FindResources("aws:sqs:Queue");
        Assert.Equal(["Billing", "Dlq"], all.Keys.Order());
        Assert.Equal("aws:sqs:Queue", all["Dlq"]["type"]!.GetValue<string>());

        var some = template.FindResources("aws:sqs:Queue", new D { ["properties"] = new D { ["visibilityTimeoutSeconds"] = 60 } });
        Assert.Equal(["Billing"], some.Keys);
        some["Billing"].Remove("properties");
        Assert.Single(template.FindResources("aws:sqs:Queue", new D { ["properties"] = new D { ["visibilityTimeoutSeconds"] = 60 } }));
        Assert.Empty(template.FindResources("aws:sqs:Queue", new D { ["properties"] = new D { ["visibilityTimeoutSeconds"] = 1 } }));
    }

    [Fact]
    public void AllResourcesProperties_requires_every_resource_of_the_type_to_match()
    {
        var template = Shop.Build().Template();
        template.AllResourcesProperties("aws:sqs:Queue", new D { ["tags"] = new D { ["team"] = "payments" } });
        template.AllResources("aws:sqs:Queue", new D { ["options"] = new D { ["provider"] = "${AwsProvider}" } });

        var e = Fails(() => template.AllResourcesProperties("aws:sqs:Queue", new D { ["redrivePolicy"] = Match.AnyValue() }));
        Assert.Contains("1 of 2 resources of type 'aws:sqs:Queue' does not match", e.Message);
        Assert.Contains("Dlq:\n  properties: expected key 'redrivePolicy'", e.Message);
        Assert.DoesNotContain("Billing:", e.Message);

        var none = Fails(() => template.AllResourcesProperties("aws:s3:Bucket", new D()));
        Assert.Contains("no resource of type 'aws:s3:Bucket'", none.Message);
    }

    [Fact]
    public void ResourcePropertiesCountIs_counts_matching_resources()
    {
        var template = Shop.Build().Template();
        template.ResourcePropertiesCountIs("aws:sqs:Queue", new D { ["tags"] = new D { ["team"] = "payments" } }, 2);
        template.ResourcePropertiesCountIs("aws:sqs:Queue", new D { ["visibilityTimeoutSeconds"] = 60 }, 1);
        var e = Fails(() => template.ResourcePropertiesCountIs("aws:sqs:Queue", new D { ["visibilityTimeoutSeconds"] = 60 }, 2));
        Assert.Contains("Expected 2 resources of type 'aws:sqs:Queue' with matching properties but found 1: Billing.", e.Message);
    }

    [Fact]
    public void HasOutput_checks_existence_and_value()
    {
        var shop = Shop.Build();
        var template = shop.Template();
        template.HasOutput("queueUrl");
        template.HasOutput("queueUrl", shop.Billing.Url);
        template.HasOutput("fnArn", Match.StringLike("arn is ${Fn.arn}*"));
        template.HasOutput("*", "${Billing.url}");

        var missing = Fails(() => template.HasOutput("apiUrl"));
        Assert.Contains("no output named 'apiUrl'. Outputs: fnArn, queueUrl.", missing.Message);

        var differs = Fails(() => template.HasOutput("queueUrl", shop.Dlq.Url));
        Assert.Contains("outputs.queueUrl: expected \"${Dlq.url}\" but found \"${Billing.url}\"", differs.Message);

        var none = Fails(() => template.HasOutput("*", "nope"));
        Assert.Contains("No output matches", none.Message);
        Assert.Contains("Outputs: fnArn, queueUrl", none.Message);
    }

    [Fact]
    public void FindOutputs_filters_by_name_and_value()
    {
        var template = Shop.Build().Template();
        Assert.Equal(["fnArn", "queueUrl"], template.FindOutputs().Keys.Order());
        Assert.Equal(["queueUrl"], template.FindOutputs("*", Match.StringLike("${Billing.*}")).Keys);
        Assert.Equal("${Billing.url}", template.FindOutputs("queueUrl")["queueUrl"]!.GetValue<string>());
        Assert.Empty(template.FindOutputs("nope"));
    }

    [Fact]
    public void HasConfig_and_HasVariable_check_declarations()
    {
        var stack = Shop.Build(extra: s =>
        {
            s.Config.RequireSecret("aws:region");
            s.Variable<string>("account", () => new Lamina.Values.CallExpr("fn::invoke", Lamina.Values.Expr.From(new D { ["function"] = "aws:index:getCallerIdentity" })), "accountId");
        }).Stack;
        var template = Template.From(stack);
        template.HasConfig("aws:region");
        template.HasConfig("aws:region", new D { ["secret"] = true, ["type"] = "string" });
        var e = Fails(() => template.HasConfig("apiKey"));
        Assert.Contains("declares no config key 'apiKey'. Declared: aws:region.", e.Message);
        var differs = Fails(() => template.HasConfig("aws:region", new D { ["type"] = "integer" }));
        Assert.Contains("config.aws:region.type: expected \"integer\" but found \"string\"", differs.Message);

        template.HasVariable("account", Match.ObjectLike(new D { ["fn::invoke"] = new D { ["function"] = "aws:index:getCallerIdentity" } }));
        Assert.Throws<TemplateAssertionException>(() => template.HasVariable("region"));
    }

    [Fact]
    public void Synthesis_errors_propagate_from_Template_From()
    {
        var stack = new Stack(Shop.NewApp(), "shop");
        new QueuePolicy(stack, "P", new() { QueueUrl = "u", Policy = null! });
        Assert.Throws<SynthesisException>(() => Template.From(stack));
    }

    [Fact]
    public void FromProgram_wraps_an_existing_program()
    {
        var program = Shop.Build().Stack.Synth().Program;
        var template = Template.FromProgram(program);
        template.ResourceCountIs("aws:sns:Topic", 1);
        Assert.Same(program, template.Program);
        Assert.Empty(template.Warnings);
        Assert.Contains("type: aws:sns:Topic", template.Yaml);
    }

    [Fact]
    public void Unsupported_expected_values_are_refused()
    {
        var template = Shop.Build().Template();
        var e = Assert.Throws<ArgumentException>(() => template.HasResourceProperties("aws:sqs:Queue", new D { ["x"] = DateTime.UnixEpoch }));
        Assert.Contains("DateTime", e.Message);
    }

    [Fact]
    public void JsonNodes_can_be_used_as_expected_values()
    {
        var template = Shop.Build().Template();
        template.HasResourceProperties("aws:sqs:Queue", JsonNode.Parse("""{"visibilityTimeoutSeconds": 60.0}"""));
        Fails(() => template.HasResourceProperties("aws:sqs:Queue", JsonNode.Parse("""{"visibilityTimeoutSeconds": "60"}""")));
    }
}
