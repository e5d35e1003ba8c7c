using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Hello.Handlers;
using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Examples.Tests.Hello;
using Lamina.Local.RuntimeApi;

namespace Lamina.Examples.Tests.Packaging;

/// <summary>
/// The real thing: publishes examples/hello/Hello.Handlers with native AOT through DotnetBundler (1-3 minutes the
/// first time; reused from .lamina/ when unchanged), unzips it, runs the <c>bootstrap</c> against a local Runtime API
/// and invokes it. Skip with <c>--filter "Category!=Packaging"</c>.
/// </summary>
[Trait("Category", "Packaging")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class PackagingEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_published_native_AOT_bootstrap_serves_invocations_from_the_Runtime_API()
    {
        var app = Repo.App(Repo.Root, bundle: true);
        var bundler = DotnetBundler.For(app);
        var log = new StringWriter();
        bundler.Log = log;
        var stack = new Lamina.Stack(app, "hello");
        new Function<HelloHandler>(stack, "HelloDotnet");
        new Function<Failing>(stack, "Failing");
        Assert.True(app.AllDiagnostics.Count == 0, string.Join("\n", app.AllDiagnostics) + "\n" + log);
        var build = Assert.Single(bundler.Builds);
        Assert.Equal(DotnetPackaging.NativeAot, build.Packaging);
        Assert.Matches("^\\.lamina/assets/Hello\\.Handlers-linux-x64-[0-9a-f]{16}\\.zip$", build.ZipPath);
        var zipFile = Path.Combine(Repo.Root, build.ZipPath);
        Assert.True(new FileInfo(zipFile).Length < 10 * 1024 * 1024, "the zip is under 10 MB");

        using var dir = new TempDir();
        using (var zip = ZipFile.OpenRead(zipFile))
        {
            Assert.DoesNotContain(zip.Entries, e => e.FullName.EndsWith(".dbg", StringComparison.Ordinal) || e.FullName.EndsWith(".pdb", StringComparison.Ordinal));
            foreach (var entry in zip.Entries)
            {
                // Extract by hand with the mode the zip records, as Lambda does: bootstrap must come out executable.
                var target = Path.Combine(dir.Path, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
                File.SetUnixFileMode(target, (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF));
            }
        }
        var bootstrap = Path.Combine(dir.Path, "bootstrap");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(bootstrap));
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(bootstrap)[..4]);

        // The echo handler.
        await using (var server = await LocalRuntimeApiServer.StartAsync())
        {
            using var process = StartBootstrap(bootstrap, server, Function<HelloHandler>.HandlerName);
            try
            {
                var result = await server.InvokeAsync(Encoding.UTF8.GetBytes(SeedEvent.Json), new InvocationOptions { Timeout = Patience }).WaitAsync(Patience);
                Assert.True(result.IsSuccess, result.PayloadText + "\n" + Output(process));
                var response = JsonNode.Parse(result.PayloadText)!;
                Assert.Equal(200, (int)response["statusCode"]!);
                var body = JsonNode.Parse((string)response["body"]!)!;
                Assert.Equal("/", (string?)body["path"]);
                Assert.Equal("12345", (string?)body["queryStringParameters"]!["postcode"]);
                Assert.Equal("text/html", (string?)body["multiValueHeaders"]!["accept"]![0]);

                // The same process serves the next invocation too.
                var second = await server.InvokeAsync(Encoding.UTF8.GetBytes("""{"path":"/second","httpMethod":"POST","body":"hi"}"""), new InvocationOptions { Timeout = Patience }).WaitAsync(Patience);
                Assert.Equal("/second", (string?)JsonNode.Parse((string)JsonNode.Parse(second.PayloadText)!["body"]!)!["path"]);
            }
            finally
            {
                Stop(process);
            }
        }

        // The failing handler: an invocation error with the exception's type and message.
        await using (var server = await LocalRuntimeApiServer.StartAsync())
        {
            using var process = StartBootstrap(bootstrap, server, Function<Failing>.HandlerName);
            try
            {
                var result = await server.InvokeAsync(Encoding.UTF8.GetBytes(SeedEvent.Json), new InvocationOptions { Timeout = Patience }).WaitAsync(Patience);
                Assert.Equal(InvocationOutcome.FunctionError, result.Outcome);
                Assert.Equal("InvalidOperationException", result.Error!.ErrorType);
                Assert.Equal(Failing.Message, result.Error.ErrorMessage);
                var payload = JsonNode.Parse(result.PayloadText)!;
                Assert.Equal("InvalidOperationException", (string?)payload["errorType"]);
                Assert.Equal(Failing.Message, (string?)payload["errorMessage"]);
            }
            finally
            {
                Stop(process);
            }
        }

        // A second synthesis with unchanged inputs reuses the zip: no publish.
        var again = Repo.App(Repo.Root, bundle: true);
        var counting = new CountingRunner();
        DotnetBundler.For(again).Runner = counting;
        DotnetBundler.For(again).Log = TextWriter.Null;
        new Function<HelloHandler>(new Lamina.Stack(again, "hello"), "HelloDotnet");
        Assert.Equal(0, counting.Publishes);
        Assert.True(DotnetBundler.For(again).Builds.Single().Reused);
        Assert.Equal(build.ZipPath, DotnetBundler.For(again).Builds.Single().ZipPath);
    }

    private static Process StartBootstrap(string bootstrap, LocalRuntimeApiServer server, string handler)
    {
        var psi = new ProcessStartInfo(bootstrap)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(bootstrap)!,
        };
        psi.Environment["AWS_LAMBDA_RUNTIME_API"] = server.RuntimeApiAddress;
        psi.Environment["_HANDLER"] = handler;
        psi.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "hello-dev-HelloDotnet";
        psi.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128";
        psi.Environment["LAMBDA_TASK_ROOT"] = Path.GetDirectoryName(bootstrap)!;
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Output(Process process) => process.HasExited ? $"(bootstrap exited with {process.ExitCode})" : "(bootstrap running)";

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Runs commands for real and counts the publishes.</summary>
    private sealed class CountingRunner : IProcessRunner
    {
        public int Publishes { get; private set; }

        public ProcessResult Run(ProcessSpec spec)
        {
            if (spec.Arguments.Count > 0 && spec.Arguments[0] == "publish")
            {
                Publishes++;
            }
            return SystemProcessRunner.Instance.Run(spec);
        }
    }
}
