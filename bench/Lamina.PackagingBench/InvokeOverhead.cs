using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hello.Handlers;
using Lamina.Lambda;
using Lamina.Lambda.Client;
using Lamina.Lambda.Events;
using Lamina.Local.RuntimeApi;

namespace Lamina.PackagingBench;

/// <summary>A REST API handler that does nothing: what is left is the runtime's own cost.</summary>
internal sealed class NoopRestHandler : IRestApiHandler
{
    private static readonly RestApiResponse Ok = new() { StatusCode = 200, Body = "ok" };

    public Task<RestApiResponse> HandleAsync(RestApiRequest input, ILambdaContext context) => Task.FromResult(Ok);
}

/// <summary>
/// Per-invoke overhead of the Lamina runtime loop (next → deserialize a 1 KB REST API event → context → handler →
/// serialize → post), measured two ways, each minus a baseline that does the same Runtime API exchange without the
/// runtime (a bare loop: GET next, read the body, POST a fixed response):
/// <list type="number">
/// <item>In memory: the runtime's <see cref="HttpClient"/> talks to an in-process <see cref="HttpMessageHandler"/> that
/// serves invocations from memory, so no sockets are involved. Wall time and process CPU time over N invokes.</item>
/// <item>Over loopback HTTP: <see cref="LocalRuntimeApiServer"/> with the runtime in the same process, invocations sent
/// one at a time (latency, including Kestrel and the socket round trips).</item>
/// </list>
/// </summary>
internal static class InvokeOverhead
{
    public static readonly byte[] Event = MakeEvent(1024);

    public static async Task<int> RunAsync(int count, TextWriter output)
    {
        var warm = Math.Max(1000, count / 10);
        output.WriteLine($"runtime overhead per invoke, {Event.Length}-byte REST API event, in memory ({count} invokes after {warm} warm-up; 3 rounds, best round):");
        var noop = new List<(double Wall, double Cpu)>();
        var echo = new List<(double Wall, double Cpu)>();
        var bare = new List<(double Wall, double Cpu)>();
        for (var round = 0; round < 3; round++)
        {
            bare.Add(await BareInMemoryAsync(warm, count));
            noop.Add(await RuntimeInMemoryAsync(r => r.AddRestApi<NoopRestHandler>(), typeof(NoopRestHandler).FullName!, warm, count));
            echo.Add(await RuntimeInMemoryAsync(HelloHandlers.Register, typeof(HelloHandler).FullName!, warm, count));
        }
        var (bw, bc) = Best(bare);
        var (nw, nc) = Best(noop);
        var (ew, ec) = Best(echo);
        output.WriteLine($"  baseline (bare GET/POST loop):      {Us(bw)} µs wall, {Us(bc)} µs CPU");
        output.WriteLine($"  runtime + no-op REST handler:       {Us(nw)} µs wall, {Us(nc)} µs CPU  => runtime overhead {Us(nw - bw)} µs wall, {Us(nc - bc)} µs CPU");
        output.WriteLine($"  runtime + HelloHandler (echo):      {Us(ew)} µs wall, {Us(ec)} µs CPU  => {Us(ew - bw)} µs wall, {Us(ec - bc)} µs CPU over the baseline");

        var loopCount = Math.Max(500, count / 10);
        output.WriteLine($"over loopback HTTP through LocalRuntimeApiServer ({loopCount} sequential invokes after {loopCount / 5} warm-up, best of 3):");
        var bareHttp = new List<double>();
        var runtimeHttp = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            bareHttp.Add(await LoopbackAsync(runtime: false, loopCount / 5, loopCount));
            runtimeHttp.Add(await LoopbackAsync(runtime: true, loopCount / 5, loopCount));
        }
        output.WriteLine($"  baseline (bare client loop):        {Us(bareHttp.Min())} µs per invoke");
        output.WriteLine($"  runtime + no-op REST handler:       {Us(runtimeHttp.Min())} µs per invoke  => runtime overhead {Us(runtimeHttp.Min() - bareHttp.Min())} µs");
        output.WriteLine($"  load average after: {Bench.LoadAverage()}");
        return 0;
    }

    private static (double, double) Best(List<(double Wall, double Cpu)> rounds) => (rounds.Min(r => r.Wall), rounds.Min(r => r.Cpu));

    private static string Us(double seconds) => (seconds * 1e6).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task<(double Wall, double Cpu)> RuntimeInMemoryAsync(Action<LambdaHandlerRegistry> register, string handler, int warm, int count)
    {
        var api = new InMemoryRuntimeApi(Event, warm, count);
        using var http = new HttpClient(api) { Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var environment = new InMemoryEnvironmentVariables(new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = "runtime.invalid:9001",
            ["_HANDLER"] = handler,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "bench",
        });
        var run = Task.Run(() => LambdaRuntime.RunAsync([], register,
            new LambdaRuntimeOptions { Environment = environment, HttpClient = http, LogOutput = TextWriter.Null }, stop.Token));
        var result = await api.Measured;
        await stop.CancelAsync();
        await run;
        return result;
    }

    private static async Task<(double Wall, double Cpu)> BareInMemoryAsync(int warm, int count)
    {
        var api = new InMemoryRuntimeApi(Event, warm, count);
        using var http = new HttpClient(api) { Timeout = Timeout.InfiniteTimeSpan };
        var response = Encoding.UTF8.GetBytes("""{"statusCode":200,"body":"ok","isBase64Encoded":false}""");
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var next = await http.GetAsync("http://runtime.invalid:9001" + RuntimeApiHeaders.NextPath, stop.Token);
                var id = next.Headers.GetValues(RuntimeApiHeaders.AwsRequestId).First();
                _ = await next.Content.ReadAsByteArrayAsync(stop.Token);
                using var content = new ByteArrayContent(response);
                using var posted = await http.PostAsync("http://runtime.invalid:9001" + RuntimeApiHeaders.ResponsePath(id), content, stop.Token);
            }
        });
        var result = await api.Measured;
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }
        return result;
    }

    private static async Task<double> LoopbackAsync(bool runtime, int warm, int count)
    {
        await using var server = await LocalRuntimeApiServer.StartAsync(new LocalRuntimeApiOptions { DefaultTimeout = TimeSpan.FromSeconds(30) });
        using var stop = new CancellationTokenSource();
        Task client;
        if (runtime)
        {
            var environment = new InMemoryEnvironmentVariables(new Dictionary<string, string>
            {
                ["AWS_LAMBDA_RUNTIME_API"] = server.RuntimeApiAddress,
                ["_HANDLER"] = typeof(NoopRestHandler).FullName!,
                ["AWS_LAMBDA_FUNCTION_NAME"] = "bench",
            });
            client = Task.Run(() => LambdaRuntime.RunAsync([], r => r.AddRestApi<NoopRestHandler>(),
                new LambdaRuntimeOptions { Environment = environment, LogOutput = TextWriter.Null }, stop.Token));
        }
        else
        {
            var http = RuntimeApiClient.CreateHttpClient();
            var response = Encoding.UTF8.GetBytes("""{"statusCode":200,"body":"ok","isBase64Encoded":false}""");
            var baseUri = "http://" + server.RuntimeApiAddress;
            client = Task.Run(async () =>
            {
                using (http)
                {
                    try
                    {
                        while (!stop.IsCancellationRequested)
                        {
                            using var next = await http.GetAsync(baseUri + RuntimeApiHeaders.NextPath, stop.Token);
                            var id = next.Headers.GetValues(RuntimeApiHeaders.AwsRequestId).First();
                            _ = await next.Content.ReadAsByteArrayAsync(stop.Token);
                            using var content = new ByteArrayContent(response);
                            using var posted = await http.PostAsync(baseUri + RuntimeApiHeaders.ResponsePath(id), content, stop.Token);
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });
        }

        for (var i = 0; i < warm; i++)
        {
            Check(await server.InvokeAsync(Event));
        }
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            Check(await server.InvokeAsync(Event));
        }
        var perInvoke = sw.Elapsed.TotalSeconds / count;
        await stop.CancelAsync();
        await client.WaitAsync(TimeSpan.FromSeconds(10));
        return perInvoke;

        static void Check(InvocationResult r)
        {
            if (!r.IsSuccess)
            {
                throw new InvalidOperationException("invocation failed: " + r.PayloadText);
            }
        }
    }

    /// <summary>A REST API proxy event of exactly <paramref name="size"/> bytes (the body pads it).</summary>
    private static byte[] MakeEvent(int size)
    {
        JsonObject Build(string body) => new()
        {
            ["resource"] = "/orders/{id}",
            ["path"] = "/orders/42",
            ["httpMethod"] = "POST",
            ["headers"] = new JsonObject
            {
                ["accept"] = "application/json",
                ["content-type"] = "application/json",
                ["Host"] = "abc123.execute-api.us-east-1.amazonaws.com",
                ["User-Agent"] = "bench/1.0",
                ["X-Forwarded-For"] = "203.0.113.7",
            },
            ["multiValueHeaders"] = new JsonObject { ["accept"] = new JsonArray("application/json") },
            ["queryStringParameters"] = new JsonObject { ["postcode"] = "12345" },
            ["pathParameters"] = new JsonObject { ["id"] = "42" },
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "abc123",
                ["httpMethod"] = "POST",
                ["path"] = "/prod/orders/42",
                ["requestId"] = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                ["requestTimeEpoch"] = 1764244800000,
                ["resourcePath"] = "/orders/{id}",
                ["stage"] = "prod",
                ["identity"] = new JsonObject { ["sourceIp"] = "203.0.113.7", ["userAgent"] = "bench/1.0" },
            },
            ["body"] = body,
            ["isBase64Encoded"] = false,
        };
        var without = Encoding.UTF8.GetByteCount(Build("").ToJsonString());
        var padding = Math.Max(0, size - without);
        return Encoding.UTF8.GetBytes(Build(new string('x', padding)).ToJsonString());
    }

    /// <summary>
    /// Serves invocations from memory: <c>GET /next</c> returns the event with fresh request ids, posts are accepted.
    /// Measures wall and process CPU time between the <c>warm</c>-th and the <c>warm + count</c>-th posted response.
    /// </summary>
    private sealed class InMemoryRuntimeApi(byte[] payload, int warm, int count) : HttpMessageHandler
    {
        private static readonly byte[] Accepted = """{"status":"OK"}"""u8.ToArray();
        private readonly TaskCompletionSource<(double, double)> _measured = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string _deadline = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        private long _issued;
        private long _posted;
        private long _startTicks;
        private TimeSpan _startCpu;

        public Task<(double Wall, double Cpu)> Measured => _measured.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get)
            {
                if (Interlocked.Increment(ref _issued) > warm + count)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(payload) };
                response.Headers.TryAddWithoutValidation(RuntimeApiHeaders.AwsRequestId, _issued.ToString(CultureInfo.InvariantCulture));
                response.Headers.TryAddWithoutValidation(RuntimeApiHeaders.DeadlineMs, _deadline);
                response.Headers.TryAddWithoutValidation(RuntimeApiHeaders.InvokedFunctionArn, "arn:aws:lambda:us-east-1:123456789012:function:bench");
                return response;
            }

            if (request.Content is not null)
            {
                _ = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            }
            var posted = Interlocked.Increment(ref _posted);
            if (posted == warm)
            {
                _startCpu = Process.GetCurrentProcess().TotalProcessorTime;
                _startTicks = Stopwatch.GetTimestamp();
            }
            else if (posted == warm + count)
            {
                var wall = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds / count;
                var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _startCpu).TotalSeconds / count;
                _measured.TrySetResult((wall, cpu));
            }
            return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new ByteArrayContent(Accepted) };
        }
    }
}
