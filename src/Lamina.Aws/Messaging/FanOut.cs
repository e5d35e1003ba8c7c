using Lamina.Aws.Lambda;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Lambda;

namespace Lamina.Aws.Messaging;

/// <summary>Options of one <see cref="Topic.FanOut(FanOutTarget[])"/> consumer.</summary>
public sealed record FanOutOptions
{
    /// <summary>Receives of a message before it moves to the consumer's dead-letter queue, 1–1,000. Default: 5.</summary>
    public int MaxReceiveCount { get; init; } = 5;

    /// <summary>
    /// The consumer queue's options. <see cref="QueueProps.Fifo"/> always follows the topic (a FIFO topic fans out to FIFO
    /// queues); an unset <see cref="QueueProps.VisibilityTimeout"/> becomes six times the function's timeout (at least 30 s,
    /// at most 12 hours), as AWS recommends; a <see cref="QueueProps.DeadLetterQueue"/> given here replaces the one FanOut
    /// creates. Default: the <see cref="QueueProps"/> defaults.
    /// </summary>
    public QueueProps? Queue { get; init; }

    /// <summary>
    /// The trigger's options. Default: the <see cref="TriggerOptions"/> defaults (so failed messages are reported
    /// individually for .NET <c>ISqsHandler</c>s).
    /// </summary>
    public TriggerOptions? Trigger { get; init; }

    /// <summary>What the filter is matched against. Default: <see cref="FilterPolicyScope.MessageAttributes"/>.</summary>
    public FilterPolicyScope FilterPolicyScope { get; init; } = FilterPolicyScope.MessageAttributes;

    /// <summary>Deliver the message text as the SQS body instead of the SNS JSON envelope. Default: false.</summary>
    public bool RawMessageDelivery { get; init; }
}

/// <summary>
/// One consumer of <see cref="Topic.FanOut(FanOutTarget[])"/>: a name (the queue's construct id), the function draining
/// the queue, and the filter choosing its messages. Create it with <see cref="To{THandler}(string, Function{THandler}, Filter?, FanOutOptions?)"/>,
/// which accepts only functions whose handler is an <see cref="ISqsHandler"/> (any other handler does not compile), or
/// <see cref="To(string, Function, Filter?, FanOutOptions?)"/> for functions in other languages (checked at synthesis).
/// </summary>
/// <example>
/// <code>
/// orders.FanOut(
///     FanOutTarget.To("Billing", charge, Filter.Attribute("type", "created"), new() { MaxReceiveCount = 3 }),
///     FanOutTarget.To("Audit", auditPython));   // a Python function declaring Handles = EventSources.Sqs
/// </code>
/// </example>
public sealed record FanOutTarget
{
    private FanOutTarget(string name, FunctionBase function, Filter? filter, FanOutOptions? options, bool typed)
    {
        Name = name;
        Function = function;
        Filter = filter ?? Filter.Any;
        Options = options ?? new FanOutOptions();
        IsTyped = typed;
    }

    /// <summary>The consumer's name: the construct id of its queue (its dead-letter queue is "&lt;name&gt;-DLQ").</summary>
    public string Name { get; }

    /// <summary>The function that drains the queue.</summary>
    public FunctionBase Function { get; }

    /// <summary>Which messages the consumer receives.</summary>
    public Filter Filter { get; }

    /// <summary>The consumer's options.</summary>
    public FanOutOptions Options { get; }

    /// <summary>Whether the function is a .NET <see cref="ISqsHandler"/> (checked by the compiler).</summary>
    public bool IsTyped { get; }

    /// <summary>A consumer whose .NET handler takes SQS events (compiler-checked).</summary>
    /// <typeparam name="THandler">The handler, an <see cref="ISqsHandler"/>.</typeparam>
    public static FanOutTarget To<THandler>(string name, Function<THandler> function, Filter? filter = null, FanOutOptions? options = null)
        where THandler : class, ISqsHandler => new(name, function, filter, options, typed: true);

    /// <summary>A consumer written in another language; it must declare <see cref="EventSources.Sqs"/> (checked at synthesis).</summary>
    public static FanOutTarget To(string name, Function function, Filter? filter = null, FanOutOptions? options = null) =>
        new(name, function, filter, options, typed: false);
}

/// <summary>What <see cref="Topic.FanOut(FanOutTarget[])"/> built for one consumer.</summary>
/// <param name="Name">The consumer's name.</param>
/// <param name="Function">The function draining the queue.</param>
/// <param name="Queue">The consumer's queue.</param>
/// <param name="DeadLetterQueue">Its dead-letter queue.</param>
/// <param name="Subscription">The filtered subscription of the queue to the topic.</param>
/// <param name="Trigger">The event source mapping from the queue to the function.</param>
public sealed record FanOutBranch(string Name, FunctionBase Function, Queue Queue, Queue DeadLetterQueue, TopicSubscriber Subscription, QueueTrigger Trigger);

public sealed partial class Topic
{
    /// <summary>
    /// Fans messages out to consumers: for each target, a <see cref="Queue"/> named after it under this topic (FIFO when
    /// the topic is FIFO; visibility timeout six times the function's timeout unless set), its own dead-letter queue
    /// ("&lt;name&gt;-DLQ", kept 14 days, after <see cref="FanOutOptions.MaxReceiveCount"/> receives, default 5), a subscription
    /// with the target's filter, and a trigger reporting batch item failures. Every queue's policy admits this topic only.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut(params FanOutTarget[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return targets.Select(AddBranch).ToList();
    }

    private FanOutBranch AddBranch(FanOutTarget target)
    {
        var o = target.Options;
        if (!target.IsTyped)
        {
            target.Function.RequireEvents(EventSources.Sqs, this);
        }
        var baseProps = o.Queue ?? new QueueProps();
        var dlq = baseProps.DeadLetterQueue?.Queue ?? new Queue(this, target.Name + "-DLQ", new QueueProps
        {
            Fifo = IsFifo,
            RetentionPeriod = TimeSpan.FromDays(14),
            Encryption = baseProps.Encryption,
        });
        var visibility = baseProps.VisibilityTimeout ?? TimeSpan.FromSeconds(Math.Min(43_200, Math.Max(30, 6 * target.Function.Timeout.TotalSeconds)));
        var queue = new Queue(this, target.Name, baseProps with
        {
            Fifo = IsFifo,
            VisibilityTimeout = visibility,
            DeadLetterQueue = baseProps.DeadLetterQueue ?? new DeadLetterQueue { Queue = dlq, MaxReceiveCount = o.MaxReceiveCount },
        });
        var subscription = Subscribe(queue, new SubscribeOptions
        {
            Filter = target.Filter,
            FilterPolicyScope = o.FilterPolicyScope,
            RawMessageDelivery = o.RawMessageDelivery,
        });
        var trigger = queue.AddTrigger(target.Function, o.Trigger ?? new TriggerOptions(), target.IsTyped);
        return new FanOutBranch(target.Name, target.Function, queue, dlq, subscription, trigger);
    }

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1>((string Name, Function<T1> Function, Filter Filter) target1)
        where T1 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2, T3>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2, (string Name, Function<T3> Function, Filter Filter) target3)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler where T3 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter), FanOutTarget.To(target3.Name, target3.Function, target3.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2, T3, T4>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2, (string Name, Function<T3> Function, Filter Filter) target3, (string Name, Function<T4> Function, Filter Filter) target4)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler where T3 : class, ISqsHandler where T4 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter), FanOutTarget.To(target3.Name, target3.Function, target3.Filter), FanOutTarget.To(target4.Name, target4.Function, target4.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2, T3, T4, T5>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2, (string Name, Function<T3> Function, Filter Filter) target3, (string Name, Function<T4> Function, Filter Filter) target4, (string Name, Function<T5> Function, Filter Filter) target5)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler where T3 : class, ISqsHandler where T4 : class, ISqsHandler where T5 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter), FanOutTarget.To(target3.Name, target3.Function, target3.Filter), FanOutTarget.To(target4.Name, target4.Function, target4.Filter), FanOutTarget.To(target5.Name, target5.Function, target5.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2, T3, T4, T5, T6>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2, (string Name, Function<T3> Function, Filter Filter) target3, (string Name, Function<T4> Function, Filter Filter) target4, (string Name, Function<T5> Function, Filter Filter) target5, (string Name, Function<T6> Function, Filter Filter) target6)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler where T3 : class, ISqsHandler where T4 : class, ISqsHandler where T5 : class, ISqsHandler where T6 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter), FanOutTarget.To(target3.Name, target3.Function, target3.Filter), FanOutTarget.To(target4.Name, target4.Function, target4.Filter), FanOutTarget.To(target5.Name, target5.Function, target5.Filter), FanOutTarget.To(target6.Name, target6.Function, target6.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2, T3, T4, T5, T6, T7>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2, (string Name, Function<T3> Function, Filter Filter) target3, (string Name, Function<T4> Function, Filter Filter) target4, (string Name, Function<T5> Function, Filter Filter) target5, (string Name, Function<T6> Function, Filter Filter) target6, (string Name, Function<T7> Function, Filter Filter) target7)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler where T3 : class, ISqsHandler where T4 : class, ISqsHandler where T5 : class, ISqsHandler where T6 : class, ISqsHandler where T7 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter), FanOutTarget.To(target3.Name, target3.Function, target3.Filter), FanOutTarget.To(target4.Name, target4.Function, target4.Filter), FanOutTarget.To(target5.Name, target5.Function, target5.Filter), FanOutTarget.To(target6.Name, target6.Function, target6.Filter), FanOutTarget.To(target7.Name, target7.Function, target7.Filter));

    /// <summary>
    /// <see cref="FanOut(FanOutTarget[])"/> written with tuples, <c>("Billing", chargeFn, Filter.Attribute("type", "created"))</c>:
    /// each function's handler must be an <see cref="ISqsHandler"/> or the call does not compile.
    /// </summary>
    /// <returns>What was built, in target order.</returns>
    public IReadOnlyList<FanOutBranch> FanOut<T1, T2, T3, T4, T5, T6, T7, T8>((string Name, Function<T1> Function, Filter Filter) target1, (string Name, Function<T2> Function, Filter Filter) target2, (string Name, Function<T3> Function, Filter Filter) target3, (string Name, Function<T4> Function, Filter Filter) target4, (string Name, Function<T5> Function, Filter Filter) target5, (string Name, Function<T6> Function, Filter Filter) target6, (string Name, Function<T7> Function, Filter Filter) target7, (string Name, Function<T8> Function, Filter Filter) target8)
        where T1 : class, ISqsHandler where T2 : class, ISqsHandler where T3 : class, ISqsHandler where T4 : class, ISqsHandler where T5 : class, ISqsHandler where T6 : class, ISqsHandler where T7 : class, ISqsHandler where T8 : class, ISqsHandler =>
        FanOut(FanOutTarget.To(target1.Name, target1.Function, target1.Filter), FanOutTarget.To(target2.Name, target2.Function, target2.Filter), FanOutTarget.To(target3.Name, target3.Function, target3.Filter), FanOutTarget.To(target4.Name, target4.Function, target4.Filter), FanOutTarget.To(target5.Name, target5.Function, target5.Filter), FanOutTarget.To(target6.Name, target6.Function, target6.Filter), FanOutTarget.To(target7.Name, target7.Function, target7.Filter), FanOutTarget.To(target8.Name, target8.Function, target8.Filter));
}
