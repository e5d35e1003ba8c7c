using Lamina.Aws.Resources.Sns;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Values;

namespace Lamina.Aws.Messaging;

/// <summary>Options of a <see cref="Topic"/>, validated at construction.</summary>
public sealed record TopicProps
{
    /// <summary>
    /// A FIFO topic (ordered, deduplicated; it delivers to SQS queues only, FIFO or standard). A FIFO topic gets an
    /// explicit name, <c>&lt;project&gt;-&lt;stack&gt;-&lt;construct path&gt;.fifo</c> (at most 256 characters). Default: false
    /// (a standard topic, auto-named by Pulumi).
    /// </summary>
    public bool Fifo { get; init; }

    /// <summary>
    /// An explicit topic name: letters, digits, '-' and '_', at most 256 characters including the <c>.fifo</c> suffix of a
    /// FIFO topic (added when missing). Default: none.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>FIFO only: deduplicate by a SHA-256 of the message body (an error on a standard topic). Default: false.</summary>
    public bool ContentBasedDeduplication { get; init; }

    /// <summary>
    /// Server-side encryption with this KMS key: a key ARN (or an output holding one), or the AWS managed key
    /// <c>alias/aws/sns</c>. <see cref="Topic.GrantPublish"/> adds <c>kms:GenerateDataKey</c> and <c>kms:Decrypt</c> on a key
    /// ARN; the AWS managed key needs no grant. Default: none (SNS does not encrypt topics at rest by default).
    /// </summary>
    public Input<string>? KmsKey { get; init; }

    /// <summary>The display name (used as the sender of SMS and email), at most 100 characters. Default: none.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Adjusts the underlying resources' arguments just before synthesis (an escape hatch). Default: none.</summary>
    public TopicTransforms? Transform { get; init; }
}

/// <summary>Callbacks that adjust a topic's underlying resources before synthesis.</summary>
public sealed record TopicTransforms
{
    /// <summary>Adjusts the <c>aws:sns:Topic</c> arguments.</summary>
    public Action<TopicArgs>? Topic { get; init; }
}

/// <summary>Options of a subscription (<see cref="Topic.Subscribe(Queue, SubscribeOptions?)"/> and its function overloads).</summary>
public sealed record SubscribeOptions
{
    /// <summary>Which messages the subscriber receives. Default: <see cref="Filter.Any"/> (every message; no policy written).</summary>
    public Filter Filter { get; init; } = Filter.Any;

    /// <summary>What the filter is matched against. Default: <see cref="FilterPolicyScope.MessageAttributes"/> (SNS's default).</summary>
    public FilterPolicyScope FilterPolicyScope { get; init; } = FilterPolicyScope.MessageAttributes;

    /// <summary>
    /// SQS subscriptions only: deliver the message text as the SQS message body instead of the SNS JSON envelope
    /// (SNS does not offer raw delivery to Lambda: an error there). Default: false.
    /// </summary>
    public bool RawMessageDelivery { get; init; }

    /// <summary>Adjusts the <c>aws:sns:TopicSubscription</c> arguments before synthesis. Default: none.</summary>
    public Action<TopicSubscriptionArgs>? Transform { get; init; }
}
