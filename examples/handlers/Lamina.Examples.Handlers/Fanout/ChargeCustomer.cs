using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Fanout;

/// <summary>
/// Drains the billing queue of examples/fanout (its subscription only lets <c>type = created</c> through): charges the
/// customer for each order. A message whose body is not a valid <see cref="OrderEvent"/> is reported in
/// <c>batchItemFailures</c>, so only it returns to the queue (and reaches the dead-letter queue after five receives);
/// the rest of the batch is deleted. Payment itself is simulated by a log line.
/// </summary>
public sealed class ChargeCustomer : ISqsHandler
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
            if (order.Type != "created")
            {
                // The subscription filter keeps these out; a message that gets here anyway needs no charge.
                context.Logger.LogWarning($"message {message.MessageId}: order {order.OrderId} is '{order.Type}', nothing to charge");
                continue;
            }
            context.Logger.LogInformation($"charged {order.Amount:0.00} {order.Currency} to {order.CustomerId} for order {order.OrderId}");
        }
        return Task.FromResult(SqsBatchResponse.FromFailedMessageIds(failed));
    }
}
