using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Fanout;

/// <summary>
/// Drains the shipping queue of examples/fanout (every order event): schedules a shipment for a created order and
/// cancels it for a cancelled one. Messages whose body is not a valid <see cref="OrderEvent"/> are reported in
/// <c>batchItemFailures</c>; the others are deleted. The warehouse call is simulated by a log line.
/// </summary>
public sealed class ShipOrder : ISqsHandler
{
    /// <inheritdoc />
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context)
    {
        var failed = new List<string>();
        foreach (var message in input.Records)
        {
            var order = OrderEventMessages.TryRead(message, out var problem);
            if (order is null)
            {
                context.Logger.LogError($"message {message.MessageId}: {problem}");
                failed.Add(message.MessageId!);
                continue;
            }
            context.Logger.LogInformation(order.Type == "created"
                ? $"shipment scheduled for order {order.OrderId} ({order.CustomerId})"
                : $"shipment cancelled for order {order.OrderId}");
        }
        return Task.FromResult(SqsBatchResponse.FromFailedMessageIds(failed));
    }
}
