using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Examples.Tests.ReferenceArchitectures;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Invoke;
using Lamina.Local.Cloud;
using Lamina.Local.Lambda;

namespace Lamina.Examples.Tests.Local;

/// <summary>An SNS handler that always fails.</summary>
public sealed class FailingSnsHandler : ISnsHandler
{
    /// <inheritdoc />
    public Task<LambdaVoid> HandleAsync(SnsEvent input, ILambdaContext context) => throw new InvalidOperationException("downstream is down");
}

/// <summary>An SQS handler that reports every message whose body is "bad" as failed.</summary>
public sealed class PickyQueueHandler : ISqsHandler
{
    /// <inheritdoc />
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) =>
        Task.FromResult(SqsBatchResponse.FromFailedMessageIds(input.Records.Where(r => r.Body == "bad").Select(r => r.MessageId!).ToList()));
}

/// <summary>A handler that never returns (until cancelled).</summary>
public sealed class HangingHandler : ILambdaHandler<System.Text.Json.Nodes.JsonNode?, System.Text.Json.Nodes.JsonNode?>
{
    /// <inheritdoc />
    public async Task<System.Text.Json.Nodes.JsonNode?> HandleAsync(System.Text.Json.Nodes.JsonNode? input, ILambdaContext context)
    {
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        return null;
    }
}

/// <summary>Lambda and messaging semantics through constructs on LocalCloud, with the clock driven by the test.</summary>
public sealed class LocalCloudSemanticsTests
{
    [Fact]
    public async Task An_sns_triggered_function_that_fails_is_retried_twice_then_dead_lettered_with_the_error()
    {
        var stack = ExampleApps.Stack("retries");
        var dlq = new Queue(stack, "NotifyDLQ");
        var topic = new Topic(stack, "Alerts");
        var notify = new Function<FailingSnsHandler>(stack, "Notify", new() { DeadLetterTarget = dlq });
        topic.Subscribe(notify);
        await using var cloud = await LocalCloud.StartAsync(stack);

        cloud.Topic("Alerts").Publish("disk full");
        await cloud.WaitForIdleAsync();
        Assert.Single(cloud.Function("Notify").Invocations);
        Assert.Equal(0, cloud.Queue("NotifyDLQ").GetCounts().Total);

        // Lambda retries an asynchronous invocation after about 1 and then 2 more minutes.
        await cloud.AdvanceAsync(TimeSpan.FromMinutes(5));
        var attempts = cloud.Function("Notify").Invocations;
        Assert.Equal(3, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(LocalInvocationOutcome.FunctionError, a.Outcome));
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], [attempts[1].Start - attempts[0].Start, attempts[2].Start - attempts[1].Start]);
        var dead = Assert.Single(cloud.Queue("NotifyDLQ").PeekMessages());
        Assert.Contains("disk full", dead.Body);
        Assert.Equal("downstream is down", dead.MessageAttributes!["ErrorMessage"].StringValue);
    }

    [Fact]
    public async Task Partial_batch_failures_return_only_the_failed_message_which_is_redriven_after_max_receives()
    {
        var stack = ExampleApps.Stack("redrive");
        var dlq = new Queue(stack, "WorkDLQ");
        var work = new Queue(stack, "Work", new() { VisibilityTimeout = TimeSpan.FromSeconds(30), DeadLetterQueue = new DeadLetterQueue { Queue = dlq, MaxReceiveCount = 3 } });
        var consumer = new Function<PickyQueueHandler>(stack, "Consumer");
        work.Trigger(consumer, new() { ReportBatchItemFailures = true, BatchSize = 10 });
        await using var cloud = await LocalCloud.StartAsync(stack);

        cloud.Queue("Work").SendMessage("good");
        cloud.Queue("Work").SendMessage("bad");
        await cloud.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.Equal("bad", Assert.Single(cloud.Queue("WorkDLQ").PeekMessages()).Body);
        Assert.Equal(0, cloud.Queue("Work").GetCounts().Total);
        // The good message was received once; the bad one three times (then redriven).
        Assert.Equal(3, cloud.Function("Consumer").Invocations.Count);
    }

    [Fact]
    public async Task A_handler_that_never_returns_times_out_with_Lambdas_message_when_the_clock_passes_its_timeout()
    {
        var stack = ExampleApps.Stack("timeouts");
        new Function<HangingHandler>(stack, "Hang", new() { Timeout = TimeSpan.FromSeconds(5) });
        await using var cloud = await LocalCloud.StartAsync(stack);

        var pending = cloud.Function("Hang").InvokeAsync("{}", InvocationType.RequestResponse);
        await cloud.WaitForIdleAsync();
        Assert.False(pending.IsCompleted);
        cloud.Clock.Advance(TimeSpan.FromSeconds(5));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Unhandled", result.FunctionError);
        Assert.Equal("Sandbox.Timedout", result.Error!.ErrorType);
        Assert.True(result.Error.ErrorMessage.Contains("Task timed out after 5.00 seconds", StringComparison.Ordinal), result.Error.ErrorMessage);
        Assert.Equal(LocalInvocationOutcome.TimedOut, Assert.Single(cloud.Function("Hang").Invocations).Outcome);
    }

    [Fact]
    public async Task Lookups_name_what_exists_when_nothing_matches()
    {
        var stack = ExampleApps.Stack("lookups");
        new Queue(stack, "Orders");
        await using var cloud = await LocalCloud.StartAsync(stack);
        var error = Assert.Throws<KeyNotFoundException>(() => cloud.Queue("Order"));
        Assert.Contains("lookups/Orders", error.Message);
        Assert.Same(cloud.Queue("Orders"), cloud.Queue("lookups/Orders"));
    }

    [Fact]
    public async Task A_stack_with_errors_does_not_start()
    {
        var stack = ExampleApps.Stack("broken");
        new Function<HangingHandler>(stack, "Hang", new() { Timeout = TimeSpan.FromMinutes(20) });
        var error = await Assert.ThrowsAsync<SynthesisException>(() => LocalCloud.StartAsync(stack));
        Assert.Contains("broken/Hang", error.Message);
    }
}
