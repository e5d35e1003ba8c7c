global using D = System.Collections.Generic.Dictionary<string, object?>;
using Lamina.Aws.Resources.Iam;
using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Resources.Sqs;
using Lamina.Configuration;
using Lamina.Values;

namespace Lamina.Testing.Tests;

/// <summary>A small stack used across the tests: a topic fanning out to a queue with a dead-letter queue, and a function.</summary>
internal sealed record Shop(Stack Stack, Topic Orders, Queue Dlq, Queue Billing, QueuePolicy Policy, Role Role, Function Fn)
{
    public static App NewApp() => new(new AppOptions
    {
        ProjectName = "shop",
        Config = StackConfigSource.FromValues(("aws:region", "us-east-1")),
        Bundle = false,
    });

    public static Shop Build(string condition = "ArnEquals", double visibility = 60, string code = "./app", Action<Stack>? extra = null)
    {
        var stack = new Stack(NewApp(), "shop");
        var topic = new Topic(stack, "Orders");
        var dlq = new Queue(stack, "Dlq", new() { MessageRetentionSeconds = 1209600 });
        var billing = new Queue(stack, "Billing", new()
        {
            VisibilityTimeoutSeconds = visibility,
            RedrivePolicy = Output.Json(new D { ["deadLetterTargetArn"] = dlq.Arn, ["maxReceiveCount"] = 5 }),
        });
        var policy = new QueuePolicy(stack, "BillingPolicy", new()
        {
            QueueUrl = billing.Url,
            Policy = Output.Json(new D
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new D
                    {
                        ["Sid"] = "AllowTopic",
                        ["Effect"] = "Allow",
                        ["Principal"] = new D { ["Service"] = "sns.amazonaws.com" },
                        ["Action"] = "sqs:SendMessage",
                        ["Resource"] = billing.Arn,
                        ["Condition"] = new D { [condition] = new D { ["aws:SourceArn"] = topic.Arn } },
                    },
                },
            }),
        });
        new TopicSubscription(stack, "Sub", new() { Topic = topic.Arn, Protocol = "sqs", Endpoint = billing.Arn, RawMessageDelivery = true });
        var role = new Role(stack, "Role", new()
        {
            AssumeRolePolicy = Output.Json(new D
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[] { new D { ["Effect"] = "Allow", ["Principal"] = new D { ["Service"] = "lambda.amazonaws.com" }, ["Action"] = "sts:AssumeRole" } },
            }),
        });
        var fn = new Function(stack, "Fn", new()
        {
            Role = role.Arn,
            Runtime = RuntimeValues.Python3d13,
            Handler = "index.lambda_handler",
            Code = Archive.File(code),
            MemorySize = 256,
            Architectures = ["arm64"],
            Environment = new() { Variables = new() { ["QUEUE"] = billing.Url, ["X"] = "a$b ${c}" } },
        });
        stack.AddOutput("queueUrl", billing.Url);
        stack.AddOutput("fnArn", Output.Format($"arn is {fn.Arn} in {topic.Name}"));
        stack.AddAspect(new Tags(new Dictionary<string, string> { ["team"] = "payments" }));
        extra?.Invoke(stack);
        return new Shop(stack, topic, dlq, billing, policy, role, fn);
    }

    public Template Template() => Lamina.Testing.Template.From(Stack);
}
