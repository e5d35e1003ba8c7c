using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>
/// An EventBridge event as delivered to Lambda; with <c>detail-type</c> <c>"Scheduled Event"</c> and source
/// <c>"aws.events"</c> it is what a schedule rule sends. Any other EventBridge event has the same envelope, so
/// this type also reads those; <see cref="Detail"/> is kept as raw JSON.
/// </summary>
public sealed class ScheduledEvent : LambdaEventObject
{
    /// <summary>The envelope version, <c>"0"</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>The event id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The event type (JSON name <c>detail-type</c>), <c>"Scheduled Event"</c> for schedules.</summary>
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; set; }

    /// <summary>The event source, <c>"aws.events"</c> for schedules.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary>The AWS account id.</summary>
    [JsonPropertyName("account")]
    public string? Account { get; set; }

    /// <summary>The event time, ISO-8601 text such as <c>"2024-05-01T12:00:00Z"</c> (kept as text).</summary>
    [JsonPropertyName("time")]
    public string? Time { get; set; }

    /// <summary>The region.</summary>
    [JsonPropertyName("region")]
    public string? Region { get; set; }

    /// <summary>The ARNs of the resources involved (for schedules, the rule ARN).</summary>
    [JsonPropertyName("resources")]
    public List<string>? Resources { get; set; }

    /// <summary>The event detail as raw JSON (an empty object for schedules).</summary>
    [JsonPropertyName("detail")]
    public JsonElement? Detail { get; set; }
}
