// Throughput of Lamina's in-memory SNS + SQS engine: a topic fanned out to 2 queues, each drained by an SQS event
// source mapping (batch size 10) whose handler does nothing. Counts published messages per second end to end
// (publish, 2 queue deliveries, receive, 2 handler invocations per 10 messages, delete).
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- [MESSAGES] [ROUNDS]
//
// The `sfn` mode measures the Step Functions interpreter instead (StepFunctionsBench.cs):
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- sfn [ROUNDS] [SECONDS_PER_ROUND]
//
// The `cloud` mode measures the harness end to end through LocalCloud (CloudBench.cs): per-invoke overhead and
// SNS -> SQS -> Lambda fan-out with .NET handlers in-process:
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- cloud [MESSAGES] [ROUNDS]
//
// The `dev-start` mode measures `lamina dev` on the Shop stack from start to the first answered request (DevStartBench.cs):
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- dev-start [ROUNDS]
//
// The `http` mode measures the local API Gateway against bare Kestrel with wrk (HttpBench.cs, bench/http.sh):
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- http [ROUNDS] [SECONDS] [CONNECTIONS]
using System.Diagnostics;
using Lamina.Lambda.Events;
using Lamina.Local.Messaging;

if (args.Length > 0 && args[0] == "http")
{
    return await HttpBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "cloud")
{
    return await CloudBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "dev-start")
{
    return await DevStartBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "sfn")
{
    return await StepFunctionsBench.RunAsync(args[1..]);
}

var messages = args.Length > 0 ? int.Parse(args[0]) : 200_000;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 5;

Console.WriteLine($"messages per round: {messages:N0}, rounds: {rounds} (+1 warm-up), cores: {Environment.ProcessorCount}, " +
    $"load average: {LoadAverage()}");
Console.WriteLine("mode                                   | median msg/s | best msg/s | deliveries/s (median) | alloc/msg");
foreach (var (name, raw, chunk, publishers) in new[]
{
    ("raw, drain every 1,000", true, 1_000, 1),
    ("envelope, drain every 1,000", false, 1_000, 1),
    ("envelope, drain every 100", false, 100, 1),
    ("envelope, 2 publisher threads + pump", false, -1, 2),
    ("raw, publish all, then drain", true, 0, 1),
    ("envelope, publish all, then drain", false, 0, 1),
})
{
    var rates = new List<double>();
    long allocated = 0;
    for (var round = 0; round <= rounds; round++)
    {
        var (seconds, bytes) = await RunAsync(messages, raw, chunk, publishers);
        if (round > 0)
        {
            rates.Add(messages / seconds);
            allocated += bytes;
        }
    }

    rates.Sort();
    var median = rates[rates.Count / 2];
    Console.WriteLine($"{name,-38} | {median,12:N0} | {rates[^1],10:N0} | {2 * median,21:N0} | {allocated / rounds / messages,6:N0} B");
}

return 0;

static async Task<(double Seconds, long Bytes)> RunAsync(int count, bool raw, int chunk, int publishers)
{
    var engine = new LocalMessaging(TimeProvider.System);
    var topic = engine.CreateTopic(new TopicSettings { Name = "orders" });
    long handled = 0;
    foreach (var name in new[] { "billing", "shipping" })
    {
        engine.CreateQueue(new QueueSettings { Name = name });
        engine.SubscribeQueue(new QueueSubscriptionSettings { TopicName = "orders", QueueName = name, RawMessageDelivery = raw });
        engine.AddEventSourceMapping(new EventSourceMappingSettings { QueueName = name, FunctionName = name, BatchSize = 10 },
            (e, _) =>
            {
                handled += e.Records.Count;
                return Task.FromResult<SqsBatchResponse?>(null);
            });
    }

    var body = "{\"orderId\":\"12345\",\"amount\":42.5,\"currency\":\"EUR\"}";
    GC.Collect();
    var before = GC.GetAllocatedBytesForCurrentThread();
    var beforeAll = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    if (publishers > 1)
    {
        var per = count / publishers;
        var tasks = Enumerable.Range(0, publishers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < per; i++)
            {
                topic.Publish(body);
            }
        })).ToArray();
        var all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            await engine.RunUntilIdleAsync();
        }

        await all;
        for (var i = per * publishers; i < count; i++)
        {
            topic.Publish(body);
        }
    }
    else
    {
        for (var i = 0; i < count; i++)
        {
            topic.Publish(body);
            if (chunk > 0 && (i + 1) % chunk == 0)
            {
                await engine.RunUntilIdleAsync();
            }
        }
    }

    await engine.RunUntilIdleAsync();
    watch.Stop();
    var bytes = publishers > 1 ? GC.GetTotalAllocatedBytes(precise: true) - beforeAll : GC.GetAllocatedBytesForCurrentThread() - before;
    if (handled != 2L * count)
    {
        throw new InvalidOperationException($"handled {handled} deliveries, expected {2L * count}");
    }

    return (watch.Elapsed.TotalSeconds, bytes);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
