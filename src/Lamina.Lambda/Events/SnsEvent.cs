using System.Text.Json.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>The event SNS sends to a subscribed Lambda function (one record per delivery).</summary>
public sealed class SnsEvent : LambdaEventObject
{
    /// <summary>The delivered notifications (SNS sends one per invocation).</summary>
    [JsonPropertyName("Records")]
    public List<SnsRecord> Records { get; set; } = [];
}

/// <summary>One record of an <see cref="SnsEvent"/>.</summary>
public sealed class SnsRecord : LambdaEventObject
{
    /// <summary>The event format version, <c>"1.0"</c>.</summary>
    [JsonPropertyName("EventVersion")]
    public string? EventVersion { get; set; }

    /// <summary>The ARN of the subscription that delivered the notification.</summary>
    [JsonPropertyName("EventSubscriptionArn")]
    public string? EventSubscriptionArn { get; set; }

    /// <summary>Always <c>"aws:sns"</c>.</summary>
    [JsonPropertyName("EventSource")]
    public string? EventSource { get; set; }

    /// <summary>The notification.</summary>
    [JsonPropertyName("Sns")]
    public SnsMessage? Sns { get; set; }
}

/// <summary>
/// The <c>Sns</c> object of an <see cref="SnsRecord"/>. Note the casing Lambda uses here, <c>SigningCertUrl</c> and
/// <c>UnsubscribeUrl</c>, unlike the <c>...URL</c> of <see cref="SnsEnvelope"/>.
/// </summary>
public sealed class SnsMessage : LambdaEventObject
{
    /// <summary>The notification type, <c>"Notification"</c>.</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; set; }

    /// <summary>The unique id of the published message.</summary>
    [JsonPropertyName("MessageId")]
    public string? MessageId { get; set; }

    /// <summary>The ARN of the topic.</summary>
    [JsonPropertyName("TopicArn")]
    public string? TopicArn { get; set; }

    /// <summary>The subject given at publish time, or null.</summary>
    [JsonPropertyName("Subject")]
    public string? Subject { get; set; }

    /// <summary>The message text as published.</summary>
    [JsonPropertyName("Message")]
    public string? Message { get; set; }

    /// <summary>When the message was published, ISO-8601 text such as <c>"2024-05-01T12:00:00.123Z"</c> (kept as text).</summary>
    [JsonPropertyName("Timestamp")]
    public string? Timestamp { get; set; }

    /// <summary>The signature version, <c>"1"</c> or <c>"2"</c>.</summary>
    [JsonPropertyName("SignatureVersion")]
    public string? SignatureVersion { get; set; }

    /// <summary>The base64 signature of the notification.</summary>
    [JsonPropertyName("Signature")]
    public string? Signature { get; set; }

    /// <summary>The URL of the certificate that signed the notification (JSON name <c>SigningCertUrl</c>).</summary>
    [JsonPropertyName("SigningCertUrl")]
    public string? SigningCertUrl { get; set; }

    /// <summary>The URL that unsubscribes the endpoint (JSON name <c>UnsubscribeUrl</c>).</summary>
    [JsonPropertyName("UnsubscribeUrl")]
    public string? UnsubscribeUrl { get; set; }

    /// <summary>The message attributes set at publish time (empty object when none).</summary>
    [JsonPropertyName("MessageAttributes")]
    public Dictionary<string, SnsMessageAttribute>? MessageAttributes { get; set; }
}

/// <summary>One SNS message attribute (in Lambda SNS events and in SNS envelopes).</summary>
public sealed class SnsMessageAttribute : LambdaEventObject
{
    /// <summary>The attribute type: <c>String</c>, <c>String.Array</c>, <c>Number</c> or <c>Binary</c>.</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; set; }

    /// <summary>The value as text (base64 for <c>Binary</c>, a JSON array text for <c>String.Array</c>).</summary>
    [JsonPropertyName("Value")]
    public string? Value { get; set; }
}
