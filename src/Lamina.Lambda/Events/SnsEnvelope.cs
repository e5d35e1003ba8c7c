using System.Text.Json;
using System.Text.Json.Serialization;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>
/// The JSON document SNS delivers to HTTP endpoints and puts into an SQS message body when raw message
/// delivery is off. Note the casing: <c>SigningCertURL</c>, <c>UnsubscribeURL</c>, <c>SubscribeURL</c>
/// (the Lambda <see cref="SnsMessage"/> uses <c>...Url</c>).
/// </summary>
public sealed class SnsEnvelope : LambdaEventObject
{
    /// <summary><c>"Notification"</c>, <c>"SubscriptionConfirmation"</c> or <c>"UnsubscribeConfirmation"</c>.</summary>
    [JsonPropertyName("Type")]
    public string? Type { get; set; }

    /// <summary>The unique id of the published message.</summary>
    [JsonPropertyName("MessageId")]
    public string? MessageId { get; set; }

    /// <summary>The confirmation token (subscription confirmations only).</summary>
    [JsonPropertyName("Token")]
    public string? Token { get; set; }

    /// <summary>The ARN of the topic.</summary>
    [JsonPropertyName("TopicArn")]
    public string? TopicArn { get; set; }

    /// <summary>The subject given at publish time, or null.</summary>
    [JsonPropertyName("Subject")]
    public string? Subject { get; set; }

    /// <summary>The message text as published.</summary>
    [JsonPropertyName("Message")]
    public string? Message { get; set; }

    /// <summary>The sequence number (FIFO topics only).</summary>
    [JsonPropertyName("SequenceNumber")]
    public string? SequenceNumber { get; set; }

    /// <summary>When the message was published, ISO-8601 text (kept as text).</summary>
    [JsonPropertyName("Timestamp")]
    public string? Timestamp { get; set; }

    /// <summary>The signature version, <c>"1"</c> or <c>"2"</c>.</summary>
    [JsonPropertyName("SignatureVersion")]
    public string? SignatureVersion { get; set; }

    /// <summary>The base64 signature.</summary>
    [JsonPropertyName("Signature")]
    public string? Signature { get; set; }

    /// <summary>The URL of the signing certificate (JSON name <c>SigningCertURL</c>).</summary>
    [JsonPropertyName("SigningCertURL")]
    public string? SigningCertUrl { get; set; }

    /// <summary>The URL that confirms the subscription (subscription confirmations only; JSON name <c>SubscribeURL</c>).</summary>
    [JsonPropertyName("SubscribeURL")]
    public string? SubscribeUrl { get; set; }

    /// <summary>The URL that unsubscribes the endpoint (JSON name <c>UnsubscribeURL</c>).</summary>
    [JsonPropertyName("UnsubscribeURL")]
    public string? UnsubscribeUrl { get; set; }

    /// <summary>The message attributes set at publish time, or null when there are none.</summary>
    [JsonPropertyName("MessageAttributes")]
    public Dictionary<string, SnsMessageAttribute>? MessageAttributes { get; set; }

    /// <summary>
    /// Reads an SNS envelope from <paramref name="json"/> (for example an SQS message body). Returns null when
    /// the text is not a JSON object, cannot be read as an envelope, or lacks <c>Type</c>, <c>MessageId</c> or
    /// <c>TopicArn</c>.
    /// </summary>
    public static SnsEnvelope? TryParse(string? json)
    {
        if (json is null)
        {
            return null;
        }
        var text = json.AsSpan().TrimStart();
        if (text.IsEmpty || text[0] != '{')
        {
            return null;
        }
        try
        {
            var envelope = JsonSerializer.Deserialize(json, LambdaEventsJsonContext.Default.SnsEnvelope);
            return envelope is { Type: not null, MessageId: not null, TopicArn: not null } ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
