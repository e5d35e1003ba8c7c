using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Examples.Handlers.Fanout;

namespace Lamina.Examples;

/// <summary>Options of <see cref="FanoutExample"/>.</summary>
public sealed record FanoutExampleOptions
{
    /// <summary>How long the dead-letter queues keep failed messages: 1 minute to 14 days. Default: 14 days (SQS's maximum).</summary>
    public TimeSpan DeadLetterRetention { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Receives of a message before it moves to its dead-letter queue, 1-1,000. Default: 5.</summary>
    public int MaxReceiveCount { get; init; } = 5;
}

/// <summary>
/// examples/fanout: the seed note's SNS to SQS fan-out. The <c>OrderEvents</c> topic fans out to two queues, each with
/// its own dead-letter queue and each drained by a function reporting partial batch failures: <c>Billing</c> (only
/// messages whose attribute <c>type</c> is <c>created</c>, to <see cref="ChargeCustomer"/>) and <c>Shipping</c> (every
/// message, to <see cref="ShipOrder"/>). Each queue's policy admits only this topic.
/// </summary>
/// <param name="Topic">The topic (stack output <c>orderEventsTopicArn</c>).</param>
/// <param name="ChargeCustomer">The billing function.</param>
/// <param name="ShipOrder">The shipping function.</param>
/// <param name="Billing">The billing branch: queue, dead-letter queue, filtered subscription, trigger.</param>
/// <param name="Shipping">The shipping branch.</param>
public sealed record FanoutExample(Topic Topic, Function<ChargeCustomer> ChargeCustomer, Function<ShipOrder> ShipOrder, FanOutBranch Billing, FanOutBranch Shipping)
{
    /// <summary>Defines the example's resources in <paramref name="scope"/>.</summary>
    /// <example>
    /// <code>
    /// return LaminaApp.Run(args, app => FanoutExample.Define(new Stack(app, "fanout"), new() { DeadLetterRetention = TimeSpan.FromDays(7) }));
    /// </code>
    /// </example>
    public static FanoutExample Define(Construct scope, FanoutExampleOptions? options = null)
    {
        options ??= new FanoutExampleOptions();
        var orders = new Topic(scope, "OrderEvents");
        var charge = new Function<ChargeCustomer>(scope, "ChargeCustomer", new() { Timeout = TimeSpan.FromSeconds(30), Description = "Charges customers for created orders" });
        var ship = new Function<ShipOrder>(scope, "ShipOrder", new() { Timeout = TimeSpan.FromSeconds(30), Description = "Schedules and cancels shipments" });

        var branches = orders.FanOut(
            FanOutTarget.To("Billing", charge, Filter.Attribute("type", "created"), Branch(orders, "Billing", options)),
            FanOutTarget.To("Shipping", ship, Filter.Any, Branch(orders, "Shipping", options)));

        scope.Stack.AddOutput("orderEventsTopicArn", orders.Arn);
        return new FanoutExample(orders, charge, ship, branches[0], branches[1]);
    }

    // The dead-letter queue FanOut would create, with the configured retention ("<topic>-<name>-DLQ").
    private static FanOutOptions Branch(Topic topic, string name, FanoutExampleOptions options) => new()
    {
        Queue = new QueueProps
        {
            DeadLetterQueue = new DeadLetterQueue
            {
                Queue = new Queue(topic, name + "-DLQ", new() { RetentionPeriod = options.DeadLetterRetention }),
                MaxReceiveCount = options.MaxReceiveCount,
            },
        },
    };
}
