using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lamina;
using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Configuration;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Invoke;
using Lamina.Local.Cloud;

/// <summary>An SQS handler that does nothing (reports no failures).</summary>
public sealed class NoOpQueueHandler : ISqsHandler
{
    /// <inheritdoc />
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(new SqsBatchResponse());
}

/// <summary>A direct-invoke handler that answers "pong".</summary>
public sealed class PingHandler : ILambdaHandler<string, string>
{
    /// <inheritdoc />
    public Task<string> HandleAsync(string input, ILambdaContext context) => Task.FromResult("pong");
}

/// <summary>
/// `cloud` mode: the local harness end to end through LocalCloud, built from constructs, handlers in-process.
/// (1) Per-invoke overhead: a warm synchronous invoke of a typed handler through the Lambda host, minus nothing (the
/// handler does no work). (2) SNS → SQS → Lambda fan-out: a topic fanned out (FanOut, SNS envelope) to two queues, each
/// drained by an event source mapping (batch 10) invoking a no-op .NET ISqsHandler through the Lambda host; counts
/// published messages per second until every message was processed and deleted.
/// </summary>
internal static class CloudBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var raw = args.Contains("--raw");
        var app = new App(new AppOptions { ProjectName = "bench", StackName = "dev", Config = StackConfigSource.FromValues(("aws:region", "us-east-1")), Bundle = false });
        var stack = new Stack(app, "bench");
        new Function<PingHandler>(stack, "Ping");
        var topic = new Topic(stack, "Events");
        topic.FanOut(
            FanOutTarget.To("A", new Function<NoOpQueueHandler>(stack, "DrainA", new() { Timeout = TimeSpan.FromSeconds(30) }), options: new() { RawMessageDelivery = raw }),
            FanOutTarget.To("B", new Function<NoOpQueueHandler>(stack, "DrainB", new() { Timeout = TimeSpan.FromSeconds(30) }), options: new() { RawMessageDelivery = raw }));
        await using var cloud = await LocalCloud.StartAsync(stack, new LocalCloudOptions { Clock = LocalClock.WallClock(), ServeApis = false });
        Console.WriteLine($"cores: {Environment.ProcessorCount}, load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, messages per round: {messages:N0}, rounds: {rounds} (+1 warm-up)");

        // (1) invoke overhead
        var ping = cloud.Function("Ping");
        var payload = Encoding.UTF8.GetBytes("\"ping\"");
        var perInvoke = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            const int count = 100_000;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                var result = await cloud.Lambda.InvokeAsync(ping.Name, payload, InvocationType.RequestResponse);
                if (result.HasFunctionError)
                {
                    throw new InvalidOperationException(result.PayloadText);
                }
            }
            if (round > 0)
            {
                perInvoke.Add(watch.Elapsed.TotalMicroseconds / count);
            }
        }
        perInvoke.Sort();
        Console.WriteLine($"warm synchronous invoke through LocalCloud's Lambda host: median {perInvoke[perInvoke.Count / 2]:0.00} µs, best {perInvoke[0]:0.00} µs per invoke");

        // (2) fan-out
        var events = cloud.Topic("Events");
        var rates = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < messages; i++)
            {
                events.Publish("{\"n\":1}");
                if (i % 1000 == 999)
                {
                    await cloud.Messaging.RunUntilIdleAsync();
                }
            }
            await cloud.WaitForIdleAsync();
            watch.Stop();
            foreach (var q in new[] { "Events/A", "Events/B" })
            {
                if (cloud.Queue(q).GetCounts().Total != 0)
                {
                    throw new InvalidOperationException($"{q} still holds messages");
                }
            }
            if (round > 0)
            {
                rates.Add(messages / watch.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"  round {round}: {messages / watch.Elapsed.TotalSeconds:N0} msg/s");
        }
        rates.Sort();
        Console.WriteLine($"SNS → SQS → Lambda fan-out through LocalCloud (2 queues, {(raw ? "raw" : "envelope")}, batch 10): median {rates[rates.Count / 2]:N0} published msg/s, best {rates[^1]:N0}");
        return 0;
    }
}
