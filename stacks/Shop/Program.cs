using Lamina;
using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Resources.Sqs;
using Lamina.Values;

// The reference stack: SNS -> SQS fan-out with a dead-letter queue, written with the typed resource layer.
return LaminaApp.Run(args, app =>
{
    var stack = new Stack(app, "shop", new() { Description = "Lamina reference stack: order events fanned out to a billing queue" });
    var retentionDays = stack.Config.Get("retentionDays") is { } r ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 14;

    var orders = new Topic(stack, "OrderEvents");
    var deadLetters = new Queue(stack, "BillingDeadLetters", new() { MessageRetentionSeconds = retentionDays * 86400 });
    var billing = new Queue(stack, "Billing", new()
    {
        VisibilityTimeoutSeconds = 60,
        RedrivePolicy = Output.Json(new Dictionary<string, object?> { ["deadLetterTargetArn"] = deadLetters.Arn, ["maxReceiveCount"] = 5 }),
    });
    var policy = new QueuePolicy(stack, "BillingPolicy", new()
    {
        QueueUrl = billing.Url,
        Policy = Output.Json(new Dictionary<string, object?>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["Effect"] = "Allow",
                    ["Principal"] = new Dictionary<string, object?> { ["Service"] = "sns.amazonaws.com" },
                    ["Action"] = "sqs:SendMessage",
                    ["Resource"] = billing.Arn,
                    ["Condition"] = new Dictionary<string, object?> { ["ArnEquals"] = new Dictionary<string, object?> { ["aws:SourceArn"] = orders.Arn } },
                },
            },
        }),
    });
    new TopicSubscription(stack, "BillingSubscription", new()
    {
        Topic = orders.Arn,
        Protocol = "sqs",
        Endpoint = billing.Arn,
        RawMessageDelivery = true,
    }, new() { DependsOn = [policy] });

    stack.AddAspect(new Tags(new Dictionary<string, string> { ["app"] = "shop", ["managed-by"] = "lamina" }));
    stack.AddOutput("topicArn", orders.Arn);
    stack.AddOutput("billingQueueUrl", billing.Url);
});
