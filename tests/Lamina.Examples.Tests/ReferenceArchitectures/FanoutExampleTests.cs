using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Examples.Handlers.Fanout;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Testing;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

public class FanoutExampleTests
{
    [Fact]
    public void The_example_program_passes_the_checker_with_no_broad_wildcards() => ExampleApps.AssertProgramPassesTheChecker("fanout");

    private static (FanoutExample Example, Template Template) Build(FanoutExampleOptions? options = null)
    {
        var stack = ExampleApps.Stack("fanout");
        var example = FanoutExample.Define(stack, options);
        return (example, ExampleApps.SynthesizedTemplate(stack));
    }

    [Fact]
    public void Each_queue_policy_admits_only_the_topic_to_send_to_its_own_queue()
    {
        var (_, t) = Build();
        var policies = t.FindResources("aws:sqs:QueuePolicy");
        Assert.Equal(["OrderEvents-Billing-Policy", "OrderEvents-Shipping-Policy"], policies.Keys.Order());
        foreach (var name in new[] { "Billing", "Shipping" })
        {
            t.HasResourceProperties("aws:sqs:QueuePolicy", Match.ObjectEquals(new D
            {
                ["queueUrl"] = $"${{OrderEvents-{name}.url}}",
                ["policy"] = Match.Json(Match.ObjectEquals(new D
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = Match.ArrayEquals(Match.ObjectEquals(new D
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new D { ["Service"] = "sns.amazonaws.com" },
                        ["Action"] = "sqs:SendMessage",
                        ["Resource"] = $"${{OrderEvents-{name}.arn}}",
                        ["Condition"] = new D { ["ArnEquals"] = new D { ["aws:SourceArn"] = "${OrderEvents.arn}" } },
                    })),
                })),
            }));
        }
        // The dead-letter queues receive from SQS's redrive only: no policy.
        Assert.DoesNotContain(policies.Values, p => p["properties"]!["queueUrl"]!.GetValue<string>().Contains("DLQ", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_trigger_grants_its_function_exactly_three_actions_on_its_own_queue_and_reports_batch_item_failures()
    {
        var (_, t) = Build();
        foreach (var (fn, queue, other) in new[] { ("ChargeCustomer", "Billing", "Shipping"), ("ShipOrder", "Shipping", "Billing") })
        {
            t.HasResourceProperties("aws:lambda:EventSourceMapping", Match.ObjectEquals(new D
            {
                ["eventSourceArn"] = $"${{OrderEvents-{queue}.arn}}",
                ["functionName"] = $"${{{fn}.arn}}",
                ["batchSize"] = 10,
                ["enabled"] = true,
                ["functionResponseTypes"] = new[] { "ReportBatchItemFailures" },
            }));
            var statements = ExampleApps.Statements(t, fn + "-Role-Policy");
            var sqs = Assert.Single(statements, s => ExampleApps.List(s!["Action"]).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)))!;
            Assert.Equal(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], ExampleApps.List(sqs["Action"]));
            Assert.Equal([$"${{OrderEvents-{queue}.arn}}"], ExampleApps.List(sqs["Resource"]));
            Assert.DoesNotContain(other, statements.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("DLQ", statements.ToJsonString(), StringComparison.Ordinal);
        }
        t.ResourceCountIs("aws:lambda:EventSourceMapping", 2);
        t.ResourceCountIs("aws:lambda:Permission", 0);   // SQS triggers poll with the function's role: no resource policy
    }

    [Fact]
    public void Only_the_billing_subscription_filters_and_it_lets_created_orders_through()
    {
        var (_, t) = Build();
        t.ResourceCountIs("aws:sns:TopicSubscription", 2);
        var billing = t.FindResources("aws:sns:TopicSubscription")["OrderEvents-ToBilling"]["properties"]!;
        var shipping = t.FindResources("aws:sns:TopicSubscription")["OrderEvents-ToShipping"]["properties"]!;
        Assert.Equal("${OrderEvents-Billing.arn}", (string?)billing["endpoint"]);
        Assert.Equal("sqs", (string?)billing["protocol"]);
        Assert.Null(shipping["filterPolicy"]);
        Assert.Equal("${OrderEvents-Shipping.arn}", (string?)shipping["endpoint"]);

        // What SNS will do with that policy.
        var policy = FilterPolicy.Compile((string)billing["filterPolicy"]!, FilterPolicyScope.MessageAttributes);
        Assert.True(policy.Matches(new Dictionary<string, MessageAttributeValue> { ["type"] = MessageAttributeValue.FromString("created") }));
        Assert.False(policy.Matches(new Dictionary<string, MessageAttributeValue> { ["type"] = MessageAttributeValue.FromString("cancelled") }));
        Assert.False(policy.Matches(new Dictionary<string, MessageAttributeValue>()));
    }

    [Theory]
    [InlineData(14, 1_209_600)]
    [InlineData(7, 604_800)]
    public void Each_queue_has_its_own_dead_letter_queue_with_the_configured_retention(int days, int seconds)
    {
        var (example, t) = Build(new() { DeadLetterRetention = TimeSpan.FromDays(days) });
        t.ResourceCountIs("aws:sqs:Queue", 4);
        foreach (var name in new[] { "Billing", "Shipping" })
        {
            t.HasResourceProperties("aws:sqs:Queue", new D
            {
                ["redrivePolicy"] = Match.Json(Match.ObjectEquals(new D { ["deadLetterTargetArn"] = $"${{OrderEvents-{name}-DLQ.arn}}", ["maxReceiveCount"] = 5 })),
                // Six times the function's 30 s timeout, so a message is not redelivered while a batch is in flight.
                ["visibilityTimeoutSeconds"] = 180,
            });
            Assert.Equal(seconds, (long)t.FindResources("aws:sqs:Queue")[$"OrderEvents-{name}-DLQ"]["properties"]!["messageRetentionSeconds"]!);
        }
        Assert.Equal("OrderEvents-Billing-DLQ", example.Billing.DeadLetterQueue.Resource.LogicalName);
        t.HasOutput("orderEventsTopicArn", "${OrderEvents.arn}");
    }

    // Handler behaviour --------------------------------------------------------------------------------------------

    private static SqsMessage Message(string id, string body) => new() { MessageId = id, Body = body, EventSource = "aws:sqs" };

    private static string Envelope(string message) => new JsonObject
    {
        ["Type"] = "Notification",
        ["MessageId"] = "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
        ["TopicArn"] = "arn:aws:sns:us-east-1:123456789012:OrderEvents",
        ["Message"] = message,
        ["Timestamp"] = "2026-11-27T10:00:00.000Z",
    }.ToJsonString();

    [Fact]
    public async Task ChargeCustomer_reports_only_the_messages_it_cannot_read_as_batch_item_failures()
    {
        var context = new TestContext();
        var batch = new SqsEvent
        {
            Records =
            [
                Message("m-1", Envelope("""{"orderId":"o-1","type":"created","customerId":"c-1","amount":19.9,"currency":"EUR"}""")),
                Message("m-2", Envelope("not json")),
                Message("m-3", """{"orderId":"o-3","type":"created","customerId":"c-3","amount":5,"currency":"USD"}"""),   // raw delivery
                Message("m-4", Envelope("""{"orderId":"o-4","type":"created","customerId":"c-4","amount":0,"currency":"EUR"}""")),
                Message("m-5", ""),
            ],
        };
        var response = await new ChargeCustomer().HandleAsync(batch, context);
        Assert.Equal(["m-2", "m-4", "m-5"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(["charged 19.90 EUR to c-1 for order o-1", "charged 5.00 USD to c-3 for order o-3"], context.Messages(LambdaLogLevel.Info));
        Assert.Contains(context.Messages(LambdaLogLevel.Error), m => m.StartsWith("message m-4: amount 0 must be above 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShipOrder_handles_created_and_cancelled_orders_and_fails_unknown_events()
    {
        var context = new TestContext();
        var batch = new SqsEvent
        {
            Records =
            [
                Message("m-1", Envelope("""{"orderId":"o-1","type":"cancelled","customerId":"c-1"}""")),
                Message("m-2", Envelope("""{"orderId":"o-2","type":"refunded","customerId":"c-2"}""")),
                Message("m-3", Envelope("""{"orderId":"o-3","type":"created","customerId":"c-3","amount":12,"currency":"GBP"}""")),
            ],
        };
        var response = await new ShipOrder().HandleAsync(batch, context);
        Assert.Equal(["m-2"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
        Assert.Equal(["shipment cancelled for order o-1", "shipment scheduled for order o-3 (c-3)"], context.Messages(LambdaLogLevel.Info));
        Assert.Empty((await new ShipOrder().HandleAsync(new SqsEvent(), context)).BatchItemFailures);
    }
}
