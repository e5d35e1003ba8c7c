using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Aws.Tests.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using D = System.Collections.Generic.Dictionary<string, object?>;
using Function = Lamina.Aws.Lambda.Function;

namespace Lamina.Aws.Tests.Messaging;

/// <summary>Use case 3 of the design sketch: SNS -> SQS fan-out, each queue drained by a function.</summary>
internal static class ShopStack
{
    public static Stack Build()
    {
        var stack = TestStacks.Create();
        var orders = new Topic(stack, "OrderEvents");
        orders.FanOut(
            ("Billing", new Function<ChargeCustomer>(stack, "Charge"), Filter.Attribute("type", "created")),
            ("Shipping", new Function<ShipOrder>(stack, "Ship"), Filter.Any));
        return stack;
    }
}

public class FanOutTests
{
    [Fact]
    public void Only_the_topic_may_send_to_billing()
    {
        var template = Template.From(ShopStack.Build());
        template.HasResourceProperties("aws:sqs:QueuePolicy", Match.ObjectLike(new Dictionary<string, object?>
        {
            ["policy"] = Match.Json(Match.ObjectLike(new Dictionary<string, object?>
            {
                ["Statement"] = Match.ArrayWith(Match.ObjectLike(new Dictionary<string, object?>
                {
                    ["Condition"] = new Dictionary<string, object?>
                        { ["ArnEquals"] = new Dictionary<string, object?> { ["aws:SourceArn"] = Match.AnyValue() } },
                })),
            })),
        }));
    }

    [Fact]
    public void Fan_out_builds_a_queue_a_dead_letter_queue_a_filtered_subscription_and_a_trigger_per_consumer()
    {
        var stack = ShopStack.Build();
        var template = Template.From(stack);
        template.ResourceCountIs("aws:sqs:Queue", 4);
        template.ResourceCountIs("aws:sqs:QueuePolicy", 2);
        template.ResourceCountIs("aws:sns:TopicSubscription", 2);
        template.ResourceCountIs("aws:lambda:EventSourceMapping", 2);
        template.ResourceCountIs("aws:lambda:Permission", 0);

        var queues = template.FindResources("aws:sqs:Queue");
        Assert.Equal(["OrderEvents-Billing", "OrderEvents-Billing-DLQ", "OrderEvents-Shipping", "OrderEvents-Shipping-DLQ"], queues.Keys.Order());
        foreach (var name in new[] { "Billing", "Shipping" })
        {
            template.HasResource("aws:sqs:Queue", new D
            {
                ["properties"] = Match.ObjectEquals(new D
                {
                    ["visibilityTimeoutSeconds"] = 30,         // 6 x 3 s is below SQS's default, which stays
                    ["messageRetentionSeconds"] = 345600,
                    ["sqsManagedSseEnabled"] = true,
                    ["redrivePolicy"] = Match.Json(Match.ObjectEquals(new D { ["deadLetterTargetArn"] = $"${{OrderEvents-{name}-DLQ.arn}}", ["maxReceiveCount"] = 5 })),
                }),
            });
            Assert.Equal("1209600", queues[$"OrderEvents-{name}-DLQ"]["properties"]!["messageRetentionSeconds"]!.ToJsonString());
            template.HasResourceProperties("aws:sqs:QueuePolicy", Match.ObjectEquals(new D
            {
                ["queueUrl"] = $"${{OrderEvents-{name}.url}}",
                ["policy"] = Match.Json(Match.ObjectEquals(new D
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new object[]
                    {
                        new D
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new D { ["Service"] = "sns.amazonaws.com" },
                            ["Action"] = "sqs:SendMessage",
                            ["Resource"] = $"${{OrderEvents-{name}.arn}}",
                            ["Condition"] = new D { ["ArnEquals"] = new D { ["aws:SourceArn"] = "${OrderEvents.arn}" } },
                        },
                    },
                })),
            }));
        }

        template.HasResource("aws:sns:TopicSubscription", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["topic"] = "${OrderEvents.arn}",
                ["protocol"] = "sqs",
                ["endpoint"] = "${OrderEvents-Billing.arn}",
                ["filterPolicy"] = "{\"type\":[\"created\"]}",
                ["filterPolicyScope"] = "MessageAttributes",
            }),
            ["options"] = new D { ["dependsOn"] = new[] { "${OrderEvents-Billing-Policy}" } },
        });
        template.HasResourceProperties("aws:sns:TopicSubscription", Match.ObjectEquals(new D
        {
            ["topic"] = "${OrderEvents.arn}",
            ["protocol"] = "sqs",
            ["endpoint"] = "${OrderEvents-Shipping.arn}",
        }));

        foreach (var (queue, fn) in new[] { ("Billing", "Charge"), ("Shipping", "Ship") })
        {
            template.HasResourceProperties("aws:lambda:EventSourceMapping", Match.ObjectEquals(new D
            {
                ["eventSourceArn"] = $"${{OrderEvents-{queue}.arn}}",
                ["functionName"] = $"${{{fn}.arn}}",
                ["batchSize"] = 10,
                ["functionResponseTypes"] = new[] { "ReportBatchItemFailures" },
                ["enabled"] = true,
            }));
            // Each function may consume its own queue only.
            var policy = template.FindResources("aws:iam:RolePolicy")[$"{fn}-Role-Policy"].ToJsonString();
            Assert.Contains($"{{\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:DeleteMessage\",\"sqs:GetQueueAttributes\"],\"Resource\":\"${{OrderEvents-{queue}.arn}}\"}}", policy);
            Assert.DoesNotContain(queue == "Billing" ? "OrderEvents-Shipping" : "OrderEvents-Billing", policy);
        }

        Assert.Empty(template.Warnings);
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void Fan_out_returns_what_it_built_and_sets_visibility_to_six_times_the_function_timeout()
    {
        var stack = TestStacks.Create();
        var orders = new Topic(stack, "Orders");
        var charge = new Function<ChargeCustomer>(stack, "Charge", new() { Timeout = TimeSpan.FromSeconds(20) });
        var pack = new Function<PackParcel>(stack, "Pack");
        var branches = orders.FanOut(
            FanOutTarget.To("Billing", charge, Filter.Attribute("type", "created"), new() { MaxReceiveCount = 2 }),
            FanOutTarget.To("Packing", pack, Filter.Numeric("weight", "<", 30), new()
            {
                Queue = new QueueProps { VisibilityTimeout = TimeSpan.FromMinutes(5) },
                Trigger = new TriggerOptions { BatchSize = 5, ReportBatchItemFailures = false },
                RawMessageDelivery = true,
            }));
        Assert.Equal(2, branches.Count);
        Assert.Same(charge, branches[0].Function);
        Assert.Equal("shop/Orders/Billing", branches[0].Queue.Path);
        Assert.Equal("shop/Orders/Billing-DLQ", branches[0].DeadLetterQueue.Path);
        Assert.Same(branches[0].Queue, branches[0].Subscription.Endpoint);
        Assert.Same(branches[0].Queue.Triggers.Single(), branches[0].Trigger);
        Assert.Equal(2, orders.Subscribers.Count);

        var template = Template.From(stack);
        var queues = template.FindResources("aws:sqs:Queue");
        Assert.Equal("120", queues["Orders-Billing"]["properties"]!["visibilityTimeoutSeconds"]!.ToJsonString());
        Assert.Equal("300", queues["Orders-Packing"]["properties"]!["visibilityTimeoutSeconds"]!.ToJsonString());
        Assert.Contains("\"maxReceiveCount\":2", queues["Orders-Billing"].ToJsonString());
        template.HasResourceProperties("aws:sns:TopicSubscription", new D
        {
            ["endpoint"] = "${Orders-Packing.arn}",
            ["filterPolicy"] = "{\"weight\":[{\"numeric\":[\"<\",30]}]}",
            ["rawMessageDelivery"] = true,
        });
        template.HasResourceProperties("aws:lambda:EventSourceMapping", Match.ObjectEquals(new D
        {
            ["eventSourceArn"] = "${Orders-Packing.arn}",
            ["functionName"] = "${Pack.arn}",
            ["batchSize"] = 5,
            ["enabled"] = true,
        }));
        Assert.Empty(template.Warnings);
    }

    [Fact]
    public void A_fifo_topic_fans_out_to_fifo_queues_with_fifo_dead_letter_queues()
    {
        var stack = TestStacks.Create();
        var ledger = new Topic(stack, "Ledger", new() { Fifo = true });
        ledger.FanOut(("Billing", new Function<ChargeCustomer>(stack, "Charge"), Filter.Prefix("account", "eu-")));
        var queues = Template.From(stack).FindResources("aws:sqs:Queue");
        Assert.Equal("\"shop-dev-Ledger-Billing.fifo\"", queues["Ledger-Billing"]["properties"]!["name"]!.ToJsonString());
        Assert.Equal("\"shop-dev-Ledger-Billing-DLQ.fifo\"", queues["Ledger-Billing-DLQ"]["properties"]!["name"]!.ToJsonString());
        Assert.All(queues.Values, q => Assert.Equal("true", q["properties"]!["fifoQueue"]!.ToJsonString()));
    }

    [Fact]
    public void A_function_in_another_language_fans_out_when_it_declares_sqs()
    {
        var stack = TestStacks.Create();
        var orders = new Topic(stack, "Orders");
        var audit = new Function(stack, "Audit", new CodeFunctionProps { Code = "a", Runtime = Runtime.Python313, Handler = "a.handler", Handles = EventSources.Sqs });
        var http = new Function(stack, "Http", new CodeFunctionProps { Code = "h", Runtime = Runtime.Python313, Handler = "h.handler", Handles = EventSources.HttpApi });
        orders.FanOut(FanOutTarget.To("Audit", audit), FanOutTarget.To("Web", http, Filter.Any));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Orders", error.Path);
        Assert.Contains("shop/Http", error.Message);
        var mappings = Template.From(RebuildWithoutHttp()).FindResources("aws:lambda:EventSourceMapping");
        Assert.Null(mappings["Orders-Audit-Trigger-Audit"]["properties"]!["functionResponseTypes"]);

        static Stack RebuildWithoutHttp()
        {
            var s = TestStacks.Create();
            var audit2 = new Function(s, "Audit", new CodeFunctionProps { Code = "a", Runtime = Runtime.Python313, Handler = "a.handler", Handles = EventSources.Sqs });
            new Topic(s, "Orders").FanOut(FanOutTarget.To("Audit", audit2));
            return s;
        }
    }

    [Fact]
    public void Fan_out_filters_and_long_functions_are_checked()
    {
        var stack = TestStacks.Create();
        var orders = new Topic(stack, "Orders");
        orders.FanOut(
            FanOutTarget.To("Billing", new Function<ChargeCustomer>(stack, "Charge"), Filter.FromJson("{\"type\":[]}"), new() { MaxReceiveCount = 0 }),
            FanOutTarget.To("Slow", new Function<ShipOrder>(stack, "Ship", new() { Timeout = TimeSpan.FromSeconds(120) }), Filter.Any, new() { Queue = new QueueProps { VisibilityTimeout = TimeSpan.FromSeconds(60) } }));
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Orders" && x.Property == "FilterPolicy" && x.Message.Contains("$.type"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Orders/Billing" && x.Property == "DeadLetterQueue" && x.Message.Contains("1-1,000"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Orders/Slow" && x.Property == "VisibilityTimeout" && x.Message.Contains("shop/Ship"));
        Assert.Equal(3, e.Errors.Count);
    }
}
