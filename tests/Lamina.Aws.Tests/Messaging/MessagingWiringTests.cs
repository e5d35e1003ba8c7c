namespace Lamina.Aws.Tests.Messaging;

/// <summary>Queues accept only SQS handlers, topics only SNS handlers, fan-out only SQS handlers: checked by the compiler.</summary>
public class MessagingWiringTests
{
    private const string Handlers = """
        using Lamina.Aws.Messaging;

        public sealed class SqsWorker : ISqsHandler
        {
            public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
        }

        public sealed class SqsBiller : ISqsHandler
        {
            public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
        }

        public sealed class SnsNotifier : ISnsHandler
        {
            public Task<LambdaVoid> HandleAsync(SnsEvent input, ILambdaContext context) => LambdaVoid.Completed;
        }

        public sealed class HttpGet : IHttpApiHandler
        {
            public Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context) => Task.FromResult(HttpApiResponse.Text(200, "ok"));
        }

        """;

    private static string Snippet(string body) => Handlers + $$"""
        public static class Program
        {
            public static void Wire(Stack stack)
            {
                var queue = new Queue(stack, "Jobs");
                var topic = new Topic(stack, "Orders");
                {{body}}
            }
        }
        """;

    // CS0311: no implicit reference conversion to the constraint; CS1503: argument type mismatch once the constrained
    // candidate is dropped; CS1929/CS1061-like errors are not expected.
    private static readonly string[] ConstraintErrors = ["CS0311", "CS0315", "CS1503"];

    [Fact]
    public void The_design_sketch_fan_out_compiles_with_tuples()
    {
        CompileCheck.Compiles(Snippet("""
            var orders = new Topic(stack, "OrderEvents");
            orders.FanOut(
                ("Billing",  new Function<SqsBiller>(stack, "Charge"), Filter.Attribute("type", "created")),
                ("Shipping", new Function<SqsWorker>(stack, "Ship"),   Filter.Any));
            orders.FanOut(FanOutTarget.To("Audit", new Function<SqsWorker>(stack, "Audit"), Filter.Prefix("type", "order-")));
            queue.Trigger(new Function<SqsWorker>(stack, "Worker"), new TriggerOptions { BatchSize = 5 });
            topic.Subscribe(new Function<SnsNotifier>(stack, "Notify"), new SubscribeOptions { Filter = Filter.Exists("type") });
            topic.Subscribe(queue);
            """));
    }

    [Fact]
    public void A_queue_does_not_trigger_an_http_handler()
    {
        var errors = CompileCheck.FailsWith(Snippet("""queue.Trigger(new Function<HttpGet>(stack, "Fn"));"""), ConstraintErrors);
        Assert.Contains(errors, e => e.GetMessage().Contains("HttpGet"));
    }

    [Fact]
    public void A_queue_does_not_trigger_an_sns_handler()
    {
        CompileCheck.FailsWith(Snippet("""queue.Trigger(new Function<SnsNotifier>(stack, "Fn"));"""), ConstraintErrors);
    }

    [Fact]
    public void A_topic_does_not_deliver_to_an_sqs_handler()
    {
        var errors = CompileCheck.FailsWith(Snippet("""topic.Subscribe(new Function<SqsWorker>(stack, "Fn"));"""), ConstraintErrors);
        Assert.Contains(errors, e => e.GetMessage().Contains("SqsWorker"));
    }

    [Fact]
    public void Fan_out_does_not_accept_a_non_sqs_handler_in_a_tuple()
    {
        CompileCheck.FailsWith(Snippet("""
            topic.FanOut(
                ("Billing", new Function<SqsBiller>(stack, "Charge"), Filter.Any),
                ("Web",     new Function<HttpGet>(stack, "Web"),      Filter.Any));
            """), ConstraintErrors);
    }

    [Fact]
    public void Fan_out_does_not_accept_a_non_sqs_handler_in_a_target()
    {
        CompileCheck.FailsWith(Snippet("""topic.FanOut(FanOutTarget.To("Notify", new Function<SnsNotifier>(stack, "Notify")));"""), ConstraintErrors);
    }
}
