using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Resources.Sqs;
using Lamina.Configuration;
using Lamina.Values;

namespace Lamina.Bench;

/// <summary>
/// The stack the synthesis benchmarks build: an AWS provider and one shared SNS topic, then "units" of an SQS queue,
/// its queue policy (an <see cref="Output.Json"/> document referencing the queue and the topic) and an SNS
/// subscription of the queue to the topic, all from the typed layer (Lamina.Aws.Resources). The last unit is cut
/// short so that the program holds exactly the requested number of resources.
/// </summary>
public static class SynthesisWorkload
{
    /// <summary>Resources present whatever the size: the stack's AWS provider and the shared topic.</summary>
    public const int FixedResources = 2;

    /// <summary>Builds a fresh app and stack holding exactly <paramref name="resources"/> resources.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than <see cref="FixedResources"/> + 1 resources.</exception>
    public static Stack Build(int resources)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resources, FixedResources + 1);
        var app = new App(new AppOptions { Config = StackConfigSource.FromValues(("aws:region", "us-east-1")), Bundle = false });
        var stack = new Stack(app, "bench");
        var topic = new Topic(stack, "Events"); // also creates the stack's AwsProvider
        var remaining = resources - FixedResources;
        for (var u = 0; remaining > 0; u++)
        {
            var queue = new Queue(stack, $"Q{u}", new() { VisibilityTimeoutSeconds = 60, MessageRetentionSeconds = 345600 });
            if (--remaining == 0)
            {
                break;
            }
            new QueuePolicy(stack, $"Q{u}Policy", new() { QueueUrl = queue.Url, Policy = Output.Json(Policy(queue, topic)) });
            if (--remaining == 0)
            {
                break;
            }
            new TopicSubscription(stack, $"Q{u}Sub", new() { Topic = topic.Arn, Protocol = "sqs", Endpoint = queue.Arn, RawMessageDelivery = true });
            --remaining;
        }
        return stack;
    }

    /// <summary>Builds the stack and synthesizes it to YAML text: the operation the benchmarks time.</summary>
    public static string Synthesize(int resources) => Build(resources).Synth().Yaml;

    private static Dictionary<string, object?> Policy(Queue queue, Topic topic) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new object[]
        {
            new Dictionary<string, object?>
            {
                ["Sid"] = "AllowTopic",
                ["Effect"] = "Allow",
                ["Principal"] = new Dictionary<string, object?> { ["Service"] = "sns.amazonaws.com" },
                ["Action"] = "sqs:SendMessage",
                ["Resource"] = queue.Arn,
                ["Condition"] = new Dictionary<string, object?>
                {
                    ["ArnEquals"] = new Dictionary<string, object?> { ["aws:SourceArn"] = topic.Arn },
                },
            },
        },
    };

    /// <summary>
    /// Checks that a synthesis of <paramref name="resources"/> resources really holds that many resources and renders
    /// references (so the benchmark measures real work).
    /// </summary>
    /// <exception cref="InvalidOperationException">The program is not what the workload should produce.</exception>
    public static void Verify(int resources)
    {
        var result = Build(resources).Synth();
        if (result.Program.Resources.Count != resources)
        {
            throw new InvalidOperationException($"expected {resources} resources, synthesized {result.Program.Resources.Count}");
        }
        var yaml = result.Yaml;
        if (!yaml.Contains("aws:sqs:Queue", StringComparison.Ordinal) || !yaml.Contains("${Events.arn}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the synthesized program lacks the expected queues or references");
        }
    }
}
