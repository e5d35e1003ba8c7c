// Throughput of the local API Gateway (src/Lamina.Local/Api) against a bare Kestrel endpoint returning the same JSON
// body, both driven by wrk in alternating rounds:
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- http [ROUNDS] [SECONDS] [CONNECTIONS]
//
// (a) bare: KestrelServer on 127.0.0.1 with an application that writes the constant body (no routing, no middleware);
// (b) gateway: LocalApiGateway with one HTTP API route (GET /hello, payload 2.0) to an in-process function of a
//     LocalLambdaHost whose handler returns a constant HttpApiResponse with that body.
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

        var bareUrl = $"{bare.BaseUrl}hello";
        var gatewayUrl = $"{gateway.GetBaseUrl("bench")}hello";
        using (var client = new HttpClient())
        {
            var fromBare = await client.GetByteArrayAsync(bareUrl);
            var fromGateway = await client.GetByteArrayAsync(gatewayUrl);
            if (!fromBare.AsSpan().SequenceEqual(bodyBytes) || !fromGateway.AsSpan().SequenceEqual(bodyBytes))
            {
                Console.Error.WriteLine($"bodies differ: bare '{Encoding.UTF8.GetString(fromBare)}', gateway '{Encoding.UTF8.GetString(fromGateway)}'");
                return 1;
            }
        }

        Console.WriteLine($"wrk -t1 -c{connections} -d{seconds}s, {rounds} alternating rounds (+1 warm-up of 2 s each), cores: {Environment.ProcessorCount}, " +
            $"load average: {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"body: {Body} ({bodyBytes.Length} bytes)");
        await WrkAsync(bareUrl, 2, connections);
        await WrkAsync(gatewayUrl, 2, connections);

        var bareRates = new List<double>();
        var gatewayRates = new List<double>();
        var ratios = new List<double>();
        Console.WriteLine("round | bare req/s | gateway req/s | ratio | load");
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate which one goes first, so both see the same drift in machine load.
            double bareRate, gatewayRate;
            if (round % 2 == 1)
            {
                bareRate = await WrkAsync(bareUrl, seconds, connections);
                gatewayRate = await WrkAsync(gatewayUrl, seconds, connections);
            }
            else
            {
                gatewayRate = await WrkAsync(gatewayUrl, seconds, connections);
                bareRate = await WrkAsync(bareUrl, seconds, connections);
            }

            bareRates.Add(bareRate);
            gatewayRates.Add(gatewayRate);
            ratios.Add(gatewayRate / bareRate);
            Console.WriteLine($"{round,5} | {bareRate,10:N0} | {gatewayRate,13:N0} | {gatewayRate / bareRate,5:P0} | {LoadAverage()}");
        }

        var bareMedian = Median(bareRates);
        var gatewayMedian = Median(gatewayRates);
        Console.WriteLine($"median: bare {bareMedian:N0} req/s, gateway {gatewayMedian:N0} req/s, ratio of medians {gatewayMedian / bareMedian:P1}, " +
            $"median of round ratios {Median(ratios):P1}");
        Console.WriteLine($"gateway requests recorded: {gateway.Requests.Count:N0} (kept), failures: {gateway.Requests.Count(r => r.StatusCode != 200)}");
        return 0;
    }

    private static async Task<double> WrkAsync(string url, int seconds, int connections)
    {
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

        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

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
