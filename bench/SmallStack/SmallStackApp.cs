using Lamina.Aws.Resources.Iam;
using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Resources.Sqs;
using Lamina.Values;

namespace Lamina.Bench.SmallStack;

/// <summary>
/// The small Lamina app timed by bench/Lamina.Bench: 10 resources (the AWS provider, a topic, two queues, a queue
/// policy, a subscription, a role with a managed-policy attachment, a function and its SQS event source mapping).
/// Shared by bench/SmallStack (the program) and bench/Lamina.Bench (its <c>cold</c> mode).
/// </summary>
public static class SmallStackApp
{
    /// <summary>Defines the app's single stack.</summary>
    public static void Define(App app)
    {
        var stack = new Stack(app, "small", new() { Description = "Order notifications" });
        var topic = new Topic(stack, "Orders");
        var dlq = new Queue(stack, "BillingDlq", new() { MessageRetentionSeconds = 1209600 });
        var queue = new Queue(stack, "Billing", new()
        {
            VisibilityTimeoutSeconds = 60,
            RedrivePolicy = Output.Json(new Dictionary<string, object?> { ["deadLetterTargetArn"] = dlq.Arn, ["maxReceiveCount"] = 5 }),
        });
        new QueuePolicy(stack, "BillingPolicy", new()
        {
            QueueUrl = queue.Url,
            Policy = Output.Json(new Dictionary<string, object?>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object?>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object?> { ["Service"] = "sns.amazonaws.com" },
                        ["Action"] = "sqs:SendMessage",
                        ["Resource"] = queue.Arn,
                        ["Condition"] = new Dictionary<string, object?> { ["ArnEquals"] = new Dictionary<string, object?> { ["aws:SourceArn"] = topic.Arn } },
                    },
                },
            }),
        });
        new TopicSubscription(stack, "BillingSubscription", new() { Topic = topic.Arn, Protocol = "sqs", Endpoint = queue.Arn, RawMessageDelivery = true });
        var role = new Role(stack, "BillingRole", new()
        {
            AssumeRolePolicy = Output.Json(new Dictionary<string, object?>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object?>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object?> { ["Service"] = "lambda.amazonaws.com" },
                        ["Action"] = "sts:AssumeRole",
                    },
                },
            }),
        });
        new RolePolicyAttachment(stack, "BillingRoleSqs", new()
        {
            Role = role.Name,
            PolicyArn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        });
        var fn = new Function(stack, "BillingHandler", new()
        {
            Role = role.Arn,
            Runtime = RuntimeValues.Python3d13,
            Handler = "index.lambda_handler",
            Code = Archive.File("./app"),
            MemorySize = 256,
            Timeout = 30,
            Environment = new() { Variables = new() { ["TOPIC_ARN"] = topic.Arn } },
        });
        new EventSourceMapping(stack, "BillingEvents", new() { EventSourceArn = queue.Arn, FunctionName = fn.Arn, BatchSize = 10 });
        stack.AddOutput("queueUrl", queue.Url);
        stack.AddOutput("functionArn", fn.Arn);
        stack.AddAspect(new Tags(new Dictionary<string, string> { ["team"] = "billing" }));
    }
}
