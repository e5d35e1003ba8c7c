using System.Text.Json.Nodes;
using Hello.Stack;
using Lamina.Examples.Tests.Hello;
using Lamina.Local.Cloud;
using Lamina.Local.Lambda;

namespace Lamina.Examples.Tests.Local;

/// <summary>LocalHandlerMode.Published: the deployment package (native AOT bootstrap) runs against the local Runtime API.</summary>
public sealed class PublishedModeTests
{
    [Fact]
    public async Task The_native_aot_package_synthesis_built_runs_locally()
    {
        var app = Repo.App(Repo.Root, bundle: true);
        HelloApp.Define(app);
        await using var cloud = await LocalCloud.StartAsync(app.SelectStack(), new LocalCloudOptions { HandlerMode = LocalHandlerMode.Published });
        var function = cloud.Function("HelloDotnet");
        var result = await function.InvokeAsync(SeedEvent.Json);
        Assert.Null(result.FunctionError);
        Assert.Equal(200, JsonNode.Parse(result.PayloadText)!["statusCode"]!.GetValue<int>());
        var record = Assert.Single(function.Invocations);
        Assert.True(record.Cold);
        Assert.Equal(LocalInvocationOutcome.Success, record.Outcome);
        // The executable that ran is the package's bootstrap, unpacked under .lamina/local/packages.
        Assert.Contains(Directory.GetDirectories(Path.Combine(Repo.Root, ".lamina", "local", "packages")),
            d => Path.GetFileName(d).StartsWith("Hello.Handlers-linux-x64-", StringComparison.Ordinal) && File.Exists(Path.Combine(d, "bootstrap")));
    }

    [Fact]
    public async Task Without_bundling_the_published_mode_says_what_is_missing()
    {
        var app = Repo.App(Repo.Root, bundle: false);
        HelloApp.Define(app);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalCloud.StartAsync(app.SelectStack(), new LocalCloudOptions { HandlerMode = LocalHandlerMode.Published }));
        Assert.Contains("hello/HelloDotnet", error.Message);
        Assert.Contains("Bundle = true", error.Message);
    }
}
