using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Examples.Handlers.Api;
using Lamina.Examples.Handlers.Workflow;
using Lamina.Local.RuntimeApi;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

/// <summary>
/// The examples' real <c>bootstrap</c>: publishes examples/handlers/Lamina.Examples.Handlers with native AOT through
/// DotnetBundler (about 2-3 minutes on a loaded 2-core machine; reused from .lamina/ when unchanged) and invokes three
/// of its handlers through a local Runtime API, including the typed workflow payloads of ExamplesJsonContext and the
/// error type the workflow's Catch matches. Skip with <c>--filter "Category!=Packaging"</c>.
/// </summary>
[Trait("Category", "Packaging")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ExamplesBootstrapTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_one_native_AOT_bootstrap_serves_http_and_typed_workflow_handlers_and_reports_errors_by_type()
    {
        var app = Repo.App(Repo.Root, bundle: true);
        var log = new StringWriter();
        DotnetBundler.For(app).Log = log;
        var stack = new Stack(app, "workflow");
        new Function<PlaceOrder>(stack, "PlaceOrder");
        new Function<ValidateOrder>(stack, "ValidateOrder");
        new Function<ChargeCard>(stack, "ChargeCard");
        Assert.True(app.AllDiagnostics.Count == 0, string.Join("\n", app.AllDiagnostics) + "\n" + log);
        var build = Assert.Single(DotnetBundler.For(app).Builds);
        Assert.Equal(DotnetPackaging.NativeAot, build.Packaging);

        using var dir = new TempDir();
        using (var zip = ZipFile.OpenRead(Path.Combine(Repo.Root, build.ZipPath)))
        {
            var entry = Assert.Single(zip.Entries);
            Assert.Equal("bootstrap", entry.FullName);
            entry.ExtractToFile(Path.Combine(dir.Path, "bootstrap"));
            File.SetUnixFileMode(Path.Combine(dir.Path, "bootstrap"), (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF));
        }
        var bootstrap = Path.Combine(dir.Path, "bootstrap");

        var placed = await InvokeAsync(bootstrap, Function<PlaceOrder>.HandlerName,
            """{"version":"2.0","routeKey":"POST /orders","rawPath":"/orders","body":"{\"customerId\":\"c-1\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1}]}","isBase64Encoded":false}""");
        Assert.True(placed.IsSuccess, placed.PayloadText);
        var response = JsonNode.Parse(placed.PayloadText)!;
        Assert.Equal(201, (int)response["statusCode"]!);
        Assert.Matches("^/orders/ord_[0-9a-f]{16}$", (string)response["headers"]!["location"]!);

        var validated = await InvokeAsync(bootstrap, Function<ValidateOrder>.HandlerName,
            $$"""{"orderId":"o-1","customerId":"c-1","amount":10.5,"currency":"EUR","cardNumber":"{{CheckoutRules.GoodCard}}"}""");
        Assert.True(validated.IsSuccess, validated.PayloadText);
        Assert.True((bool)JsonNode.Parse(validated.PayloadText)!["valid"]!);
        Assert.Equal(10.5m, (decimal)JsonNode.Parse(validated.PayloadText)!["order"]!["amount"]!);

        var declined = await InvokeAsync(bootstrap, Function<ChargeCard>.HandlerName,
            $$"""{"valid":true,"order":{"orderId":"o-2","customerId":"c-1","amount":10,"currency":"EUR","cardNumber":"{{CheckoutRules.DeclinedCard}}"},"problems":[]}""");
        Assert.Equal(InvocationOutcome.FunctionError, declined.Outcome);
        // The error type Step Functions sees, and the workflow's Catch names.
        Assert.Equal(nameof(PaymentDeclinedException), declined.Error!.ErrorType);
    }

    private static async Task<InvocationResult> InvokeAsync(string bootstrap, string handler, string payload)
    {
        await using var server = await LocalRuntimeApiServer.StartAsync();
        var psi = new ProcessStartInfo(bootstrap)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(bootstrap)!,
        };
        psi.Environment["AWS_LAMBDA_RUNTIME_API"] = server.RuntimeApiAddress;
        psi.Environment["_HANDLER"] = handler;
        psi.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "shop-dev-Test";
        psi.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128";
        using var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return await server.InvokeAsync(Encoding.UTF8.GetBytes(payload), new InvocationOptions { Timeout = Patience }).WaitAsync(Patience);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
    }
}
