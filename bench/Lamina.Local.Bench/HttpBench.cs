// Throughput of the local API Gateway (src/Lamina.Local/Api) against a bare Kestrel endpoint returning the same JSON
// body, both driven by wrk in alternating rounds:
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- http [ROUNDS] [SECONDS] [CONNECTIONS]
//
// (a) bare: KestrelServer on 127.0.0.1 with an application that writes the constant body (no routing, no middleware);
// (b) gateway: LocalApiGateway with one HTTP API route (GET /hello, payload 2.0) to an in-process function of a
//     LocalLambdaHost whose handler returns a constant HttpApiResponse with that body;
// (c) gateway alone: the same API with an invoker that answers the constant response without any Lambda host (how much
//     of (b) is the gateway itself).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Lamina.Lambda;
using Lamina.Local.Api;
using Lamina.Local.Lambda;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

internal static partial class HttpBench
{
    private const string Body = """{"message":"Hello, world!","ok":true}""";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var connections = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
        if (!OnPath("wrk"))
        {
            Console.Error.WriteLine("wrk is not installed: run bench/http.sh (it installs the Debian package) or apt-get install -y wrk.");
            return 2;
        }

        var bodyBytes = Encoding.UTF8.GetBytes(Body);
        await using var bare = await BareServer.StartAsync(bodyBytes);
        await using var host = new LocalLambdaHost();
        var response = Encoding.UTF8.GetBytes($$"""{"statusCode":200,"headers":{"content-type":"application/json"},"body":{{System.Text.Json.JsonSerializer.Serialize(Body)}}}""");
        host.AddFunction(new LocalFunctionConfig
        {
            Name = "hello",
            Handler = LocalFunctionHandler.InProcessRaw("hello.Handler", _ => new ConstantHandler(response)),
        });
        await using var gateway = await LocalApiGateway.StartAsync(
            [new LocalApiDefinition { Name = "bench", Kind = LocalApiKind.HttpApi, Routes = [new LocalApiRoute { RouteKey = "GET /hello", FunctionName = "hello" }] }],
            LocalApiGateway.InvokerFor(host));

        var constant = new LocalInvokeResult
        {
            StatusCode = 200,
            RequestId = "constant",
            InvocationType = Lamina.Lambda.Invoke.InvocationType.RequestResponse,
            Payload = response,
        };
        var constantTask = Task.FromResult(constant);
        await using var alone = await LocalApiGateway.StartAsync(
            [new LocalApiDefinition { Name = "alone", Kind = LocalApiKind.HttpApi, Routes = [new LocalApiRoute { RouteKey = "GET /hello", FunctionName = "hello" }] }],
            (_, _, _) => constantTask);

        var bareUrl = $"{bare.BaseUrl}hello";
        var gatewayUrl = $"{gateway.GetBaseUrl("bench")}hello";
        var aloneUrl = $"{alone.GetBaseUrl("alone")}hello";
        using (var client = new HttpClient())
        {
            var fromBare = await client.GetByteArrayAsync(bareUrl);
            var fromGateway = await client.GetByteArrayAsync(gatewayUrl);
            var fromAlone = await client.GetByteArrayAsync(aloneUrl);
            if (!fromBare.AsSpan().SequenceEqual(bodyBytes) || !fromGateway.AsSpan().SequenceEqual(bodyBytes) || !fromAlone.AsSpan().SequenceEqual(bodyBytes))
            {
                Console.Error.WriteLine($"bodies differ: bare '{Encoding.UTF8.GetString(fromBare)}', gateway '{Encoding.UTF8.GetString(fromGateway)}'");
                return 1;
            }
        }

        Console.WriteLine($"wrk -t1 -c{connections} -d{seconds}s, {rounds} alternating rounds (+1 warm-up of 2 s each), cores: {Environment.ProcessorCount}, " +
            $"load average: {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"body: {Body} ({bodyBytes.Length} bytes)");
        _ = await WrkAsync(bareUrl, 2, connections);
        _ = await WrkAsync(gatewayUrl, 2, connections);
        _ = await WrkAsync(aloneUrl, 2, connections);

        var bareRates = new List<double>();
        var gatewayRates = new List<double>();
        var aloneRates = new List<double>();
        var ratios = new List<double>();
        var bareCpu = new List<double>();
        var gatewayCpu = new List<double>();
        var aloneCpu = new List<double>();
        Console.WriteLine("round | bare req/s (CPU µs/req) | gateway req/s (CPU µs/req) | ratio | gateway alone req/s (CPU µs/req) | ratio | load");
        for (var round = 1; round <= rounds; round++)
        {
            // Rotate the order, so all three see the same drift in machine load.
            var results = new Dictionary<string, (double Rate, double Cpu)>();
            string[] order = (round % 3) switch
            {
                1 => ["bare", "gateway", "alone"],
                2 => ["gateway", "alone", "bare"],
                _ => ["alone", "bare", "gateway"],
            };
            foreach (var name in order)
            {
                results[name] = await WrkAsync(name switch { "bare" => bareUrl, "gateway" => gatewayUrl, _ => aloneUrl }, seconds, connections);
            }

            var (bareRate, bareMicros) = results["bare"];
            var (gatewayRate, gatewayMicros) = results["gateway"];
            var (aloneRate, aloneMicros) = results["alone"];
            bareRates.Add(bareRate);
            gatewayRates.Add(gatewayRate);
            aloneRates.Add(aloneRate);
            ratios.Add(gatewayRate / bareRate);
            bareCpu.Add(bareMicros);
            gatewayCpu.Add(gatewayMicros);
            aloneCpu.Add(aloneMicros);
            Console.WriteLine($"{round,5} | {bareRate,10:N0} ({bareMicros,5:N1}) | {gatewayRate,13:N0} ({gatewayMicros,5:N1}) | {gatewayRate / bareRate,5:P0} | " +
                $"{aloneRate,19:N0} ({aloneMicros,5:N1}) | {aloneRate / bareRate,5:P0} | {LoadAverage()}");
        }

        var bareMedian = Median(bareRates);
        var gatewayMedian = Median(gatewayRates);
        Console.WriteLine($"median: bare {bareMedian:N0} req/s, gateway {gatewayMedian:N0} req/s, ratio of medians {gatewayMedian / bareMedian:P1}, " +
            $"median of round ratios {Median(ratios):P1}; gateway alone {Median(aloneRates):N0} req/s ({Median(aloneRates) / bareMedian:P1})");
        Console.WriteLine($"server CPU per request (median): bare {Median(bareCpu):N1} µs, gateway {Median(gatewayCpu):N1} µs " +
            $"(bare/gateway {Median(bareCpu) / Median(gatewayCpu):P1}), gateway alone {Median(aloneCpu):N1} µs");
        Console.WriteLine($"gateway requests recorded: {gateway.Requests.Count:N0} (kept), failures: {gateway.Requests.Count(r => r.StatusCode != 200)}");
        return 0;
    }

    /// <summary>Runs wrk; returns requests/s and the server's (this process's) CPU time per request in µs.</summary>
    private static async Task<(double Rate, double CpuMicros)> WrkAsync(string url, int seconds, int connections)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(false);
        var start = new ProcessStartInfo("wrk", ["-t1", $"-c{connections}", $"-d{seconds}s", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var match = RequestsPerSecond().Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException("wrk printed no Requests/sec: " + output + await process.StandardError.ReadToEndAsync());
        }

        if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            Console.WriteLine("  wrk reported errors: " + string.Join(" / ", output.Split('\n').Where(l => l.Contains("Non-2xx") || l.Contains("Socket errors")).Select(l => l.Trim())));
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(false) - allocatedBefore;
        var requests = RequestCount().Match(output) is { Success: true } count ? long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (requests > 0 && Environment.GetEnvironmentVariable("HTTP_BENCH_ALLOC") == "1")
        {
            Console.WriteLine($"  {url}: {allocated / requests:N0} bytes allocated per request");
        }

        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), requests == 0 ? 0 : cpu.TotalMicroseconds / requests);
    }

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestCount();

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static bool OnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, executable)));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>A raw handler returning the same response bytes every time.</summary>
    private sealed class ConstantHandler(byte[] response) : IRawLambdaHandler
    {
        public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context) =>
            Task.FromResult<ReadOnlyMemory<byte>>(response);
    }

    /// <summary>Kestrel with an application that writes the constant body: the baseline.</summary>
    private sealed class BareServer : IHttpApplication<IFeatureCollection>, IAsyncDisposable
    {
        private readonly byte[] _body;
        private KestrelServer _server = null!;

        private BareServer(byte[] body)
        {
            _body = body;
        }

        public string BaseUrl { get; private set; } = "";

        public static async Task<BareServer> StartAsync(byte[] body)
        {
            var server = new BareServer(body);
            var options = new KestrelServerOptions { AddServerHeader = false };
            ListenOptions listen = null!;
            options.Listen(IPAddress.Loopback, 0, l => listen = l);
            var loggers = NullLoggerFactory.Instance;
            server._server = new KestrelServer(Options.Create(options),
                new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers), loggers);
            await server._server.StartAsync(server, CancellationToken.None);
            server.BaseUrl = $"http://127.0.0.1:{listen.IPEndPoint!.Port}/";
            return server;
        }

        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }

        public async Task ProcessRequestAsync(IFeatureCollection context)
        {
            var response = context.Get<IHttpResponseFeature>()!;
            response.StatusCode = 200;
            response.Headers.ContentType = "application/json";
            response.Headers.ContentLength = _body.Length;
            await context.Get<IHttpResponseBodyFeature>()!.Writer.WriteAsync(_body);
        }

        public async ValueTask DisposeAsync()
        {
            await _server.StopAsync(CancellationToken.None);
            _server.Dispose();
        }
    }
}
