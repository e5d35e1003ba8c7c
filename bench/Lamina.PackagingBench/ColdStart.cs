using System.Diagnostics;
using System.Text;
using Hello.Handlers;
using Lamina.Aws.Lambda;
using Lamina.Local.RuntimeApi;

namespace Lamina.PackagingBench;

/// <summary>
/// Cold start of the published hello bootstrap: an invocation is queued on a running local Runtime API, then the
/// clock starts, the <c>bootstrap</c> process is started (<c>_HANDLER=Hello.Handlers.HelloHandler</c>), and the clock
/// stops when its response reaches the server. That covers process start, runtime initialization, the first
/// <c>/next</c>, the handler (which serializes the event) and the <c>/response</c> post. The process's own CPU time
/// (from /proc, 10 ms resolution) is read at that moment too. One untimed warm-up run first (page cache).
/// A <c>/bin/true</c> start is timed the same number of times as the process-spawn baseline.
/// </summary>
internal static class ColdStart
{
    private static readonly byte[] Event = Encoding.UTF8.GetBytes("""
        {"resource":"/","path":"/","httpMethod":"GET","headers":{"accept":"text/html"},"queryStringParameters":{"postcode":"12345"},"body":null,"isBase64Encoded":false}
        """);

    public static async Task<int> RunAsync(int runs, bool selfContained, TextWriter output)
    {
        var modes = selfContained ? new[] { DotnetPackaging.NativeAot, DotnetPackaging.SelfContained } : [DotnetPackaging.NativeAot];
        foreach (var mode in modes)
        {
            var zip = Bench.PublishHello(mode, Console.Error);
            var dir = Bench.Extract(zip);
            try
            {
                var bootstrap = Path.Combine(dir, "bootstrap");
                await using var server = await LocalRuntimeApiServer.StartAsync();
                await OnceAsync(bootstrap, server); // warm-up
                var wall = new List<double>();
                var cpu = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var (w, c) = await OnceAsync(bootstrap, server);
                    wall.Add(w);
                    cpu.Add(c);
                }
                output.WriteLine($"cold start, {mode} bootstrap ({new FileInfo(bootstrap).Length / 1024} KB), start -> first response:");
                output.WriteLine($"  wall: {Bench.Summary(wall, "ms")}");
                output.WriteLine($"  bootstrap CPU (user+sys, 10 ms ticks): {Bench.Summary(cpu, "ms", "0")}");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        var spawn = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
            await p.WaitForExitAsync();
            spawn.Add(sw.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"  baseline /bin/true start -> exit: {Bench.Summary(spawn, "ms", "0.00")}");
        output.WriteLine($"  load average after: {Bench.LoadAverage()}");
        return 0;
    }

    private static async Task<(double WallMs, double CpuMs)> OnceAsync(string bootstrap, LocalRuntimeApiServer server)
    {
        // The previous bootstrap's abandoned long poll must be gone before queuing, or it could take the invocation.
        for (var i = 0; server.WaitingPollCount > 0 && i < 200; i++)
        {
            await Task.Delay(10);
        }
        var invocation = server.InvokeAsync(Event, new InvocationOptions { Timeout = TimeSpan.FromSeconds(30) });
        var psi = new ProcessStartInfo(bootstrap)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(bootstrap)!,
        };
        psi.Environment["AWS_LAMBDA_RUNTIME_API"] = server.RuntimeApiAddress;
        psi.Environment["_HANDLER"] = Function<HelloHandler>.HandlerName;
        psi.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "hello-dev-HelloDotnet";
        psi.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128";
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var result = await invocation.WaitAsync(TimeSpan.FromSeconds(30));
        var wall = sw.Elapsed.TotalMilliseconds;
        var cpu = Bench.ProcessCpuMs(process.Id);
        process.Kill();
        await process.WaitForExitAsync();
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("the bootstrap failed: " + result.PayloadText);
        }
        return (wall, cpu);
    }
}
