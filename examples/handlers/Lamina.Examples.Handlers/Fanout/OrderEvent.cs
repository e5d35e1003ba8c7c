using System.Text.Json;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Fanout;

/// <summary>
/// A message of the <c>OrderEvents</c> topic (examples/fanout). The publisher also sets the message attribute
/// <c>type</c> to <see cref="Type"/>, which the billing subscription's filter reads.
/// </summary>
public sealed class OrderEvent
{
    /// <summary>The order. Required.</summary>
    public string? OrderId { get; set; }

    /// <summary>What happened: <c>created</c> or <c>cancelled</c>. Required.</summary>
    public string? Type { get; set; }

    /// <summary>The customer. Required.</summary>
    public string? CustomerId { get; set; }

    /// <summary>The order total, above 0 for <c>created</c>.</summary>
    public decimal Amount { get; set; }

    /// <summary>The ISO 4217 currency code of <see cref="Amount"/>, such as <c>EUR</c>.</summary>
    public string? Currency { get; set; }
}

/// <summary>Reads <see cref="OrderEvent"/>s out of SQS messages.</summary>
public static class OrderEventMessages
{
    /// <summary>The event types the examples publish.</summary>
    public static readonly IReadOnlyList<string> Types = ["created", "cancelled"];

    /// <summary>
    /// Reads the order event in <paramref name="message"/>: its body is the SNS envelope (the fan-out's default) whose
    /// <c>Message</c> is the event, or the event itself (raw message delivery). Returns null and sets
    /// <paramref name="problem"/> when the body is not a valid event.
    /// </summary>
    public static OrderEvent? TryRead(SqsMessage message, out string? problem)
    {
        var text = message.TryGetSnsEnvelope()?.Message ?? message.Body;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "the message is empty";
            return null;
        }
        OrderEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(text, ExamplesJsonContext.Default.OrderEvent);
        }
        catch (JsonException x)
        {
            problem = $"the message is not an order event: {x.Message}";
            return null;
        }
        problem = e switch
        {
            null => "the message is JSON null",
            { OrderId: null or "" } => "orderId is missing",
            { CustomerId: null or "" } => "customerId is missing",
            { Type: var t } when t is null || !Types.Contains(t) => $"type '{e.Type}' is not one of {string.Join(", ", Types)}",
            { Type: "created", Amount: <= 0 } => $"amount {e.Amount} must be above 0",
            { Type: "created", Currency: var c } when c is not { Length: 3 } || !c.All(char.IsAsciiLetterUpper) => $"currency '{e.Currency}' is not a 3-letter ISO 4217 code",
            _ => null,
        };
        return problem is null ? e : null;
    }
}
