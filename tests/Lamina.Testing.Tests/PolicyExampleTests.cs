namespace Lamina.Testing.Tests;

/// <summary>The README example: asserting an SQS queue policy that lets only the orders topic send.</summary>
public class PolicyExampleTests
{
    private static D ExpectedPolicy(Shop shop) => new()
    {
        ["queueUrl"] = shop.Billing.Url,
        ["policy"] = Match.Json(Match.ObjectLike(new D
        {
            ["Statement"] = Match.ArrayWith(new D
            {
                ["Effect"] = "Allow",
                ["Action"] = "sqs:SendMessage",
                ["Resource"] = Match.AnyValue(),
                ["Condition"] = new D { ["ArnEquals"] = new D { ["aws:SourceArn"] = shop.Orders.Arn } },
            }),
        })),
    };

    [Fact]
    public void The_queue_policy_restricts_senders_to_the_topic()
    {
        var shop = Shop.Build();
        shop.Template().HasResourceProperties("aws:sqs:QueuePolicy", ExpectedPolicy(shop));
    }

    [Fact]
    public void A_policy_with_another_condition_fails_at_the_condition()
    {
        var shop = Shop.Build(condition: "ArnLike");
        var e = Assert.Throws<TemplateAssertionException>(() => shop.Template().HasResourceProperties("aws:sqs:QueuePolicy", ExpectedPolicy(shop)));
        Assert.Contains("properties.policy.fn::toJSON.Statement[0].Condition: expected key 'ArnEquals'", e.Message);
        Assert.Contains("keys present: 'ArnLike'", e.Message);
        Assert.Contains("Closest: BillingPolicy", e.Message);
        Assert.Contains("Resources of type 'aws:sqs:QueuePolicy': BillingPolicy", e.Message);
        Assert.Contains(e.Failures, f => f.Path == "properties.policy.fn::toJSON.Statement");
    }

    [Fact]
    public void A_policy_naming_another_topic_fails_at_the_source_arn()
    {
        var shop = Shop.Build();
        var expected = ExpectedPolicy(shop);
        var other = new Lamina.Aws.Resources.Sns.Topic(shop.Stack, "Refunds");
        expected["policy"] = Match.Json(new D
        {
            ["Statement"] = Match.ArrayWith(new D { ["Condition"] = new D { ["ArnEquals"] = new D { ["aws:SourceArn"] = other.Arn } } }),
        });
        var e = Assert.Throws<TemplateAssertionException>(() => shop.Template().HasResourceProperties("aws:sqs:QueuePolicy", expected));
        Assert.Contains("properties.policy.fn::toJSON.Statement[0].Condition.ArnEquals.aws:SourceArn: ", e.Message);
        Assert.Contains("expected \"${Refunds.arn}\" but found \"${Orders.arn}\"", e.Message);
    }
}
