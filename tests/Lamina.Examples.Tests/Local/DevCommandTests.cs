using System.Text;
using System.Text.Json.Nodes;
using Lamina.Configuration;
using Lamina.Local.Hosting;
using Shop;

namespace Lamina.Examples.Tests.Local;

/// <summary><c>dev</c> as <c>lamina dev</c> runs it (in-process handlers here): table, session file, control endpoint, logs, stop.</summary>
public sealed class DevCommandTests
{
    [Fact]
    public async Task Dev_serves_the_apis_answers_triggers_logs_invocations_and_cleans_up_on_stop()
    {
        using var temp = new TempDir();
        var app = new App(new AppOptions
        {
            ProjectName = "shop",
            StackName = "dev",
            Config = StackConfigSource.FromValues(("aws:region", "us-east-1")),
            Bundle = false,
            RootDirectory = temp.Path,
        });
        var shop = ShopStack.Define(app);
        var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        // SyncTextWriter locks on itself: read the text under the same lock.
        string Text()
        {
            lock (synchronized)
            {
                return output.ToString();
            }
        }
        using var stop = new CancellationTokenSource();
        var context = new LaminaAppCommandContext(app, shop.Stack, [], Stream.Null, synchronized, _ => null);
        var run = Task.Run(() => DevCommand.RunAsync(context, port: 0, inProcess: true, stop.Token));

        var session = Path.Combine(temp.Path, ".lamina", "dev.json");
        for (var i = 0; i < 600 && !Text().Contains("lamina dev: ready", StringComparison.Ordinal); i++)
        {
            Assert.False(run.IsCompleted, Text());
            await Task.Delay(50);
        }
        var json = JsonNode.Parse(File.ReadAllText(session))!;
        Assert.Equal(Environment.ProcessId, json["pid"]!.GetValue<int>());
        var control = new Uri(json["controlUrl"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", control.Host);

        using var http = new HttpClient();
        var trigger = await http.PostAsync(new Uri(control, "_lamina/trigger/NightlyReport"), new StringContent(""));
        Assert.True(trigger.IsSuccessStatusCode, await trigger.Content.ReadAsStringAsync());
        var unknown = await http.PostAsync(new Uri(control, "_lamina/trigger/Nope"), new StringContent(""));
        Assert.Equal(400, (int)unknown.StatusCode);
        Assert.Contains("NightlyReport", await unknown.Content.ReadAsStringAsync());

        var queued = await http.PostAsync(new Uri(control, "_lamina/trigger/OrderEvents"), new StringContent("""{"orderId":"o-9","type":"cancelled"}""", Encoding.UTF8));
        Assert.True(queued.IsSuccessStatusCode);

        // The table names the Orders API's URL; the API answers there.
        var table = Text();
        var ordersLine = table.Split('\n').First(l => l.Contains("shop/OrdersApi", StringComparison.Ordinal));
        var url = ordersLine[ordersLine.IndexOf("http://", StringComparison.Ordinal)..].Trim();
        var missing = await http.GetAsync(new Uri(new Uri(url), "orders/ord_0000000000000000"));
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("errors", await missing.Content.ReadAsStringAsync());

        for (var i = 0; i < 200 && !Text().Contains("shop-dev-ShipOrder", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        var log = Text();
        Assert.Contains("Schedules", log);
        Assert.Contains("shop-dev-BuildReport", log);       // the triggered schedule ran and was logged
        Assert.Contains("shop-dev-ShipOrder", log);         // the published message reached the shipping function
        Assert.Contains("shop-dev-GetOrder", log);
        Assert.Contains("lamina dev: stopped", log);
        Assert.False(File.Exists(session));
    }

    [Fact]
    public void Invoke_runs_one_function_with_the_event_file_and_prints_its_response_on_stdout()
    {
        using var temp = new TempDir();
        var eventFile = temp.Write("event.json", """{"version":"2.0","routeKey":"GET /orders/{id}","rawPath":"/orders/x","pathParameters":{"id":"x"}}""");
        var app = new App(new AppOptions
        {
            ProjectName = "shop",
            StackName = "dev",
            Config = StackConfigSource.FromValues(("aws:region", "us-east-1")),
            Bundle = false,
            RootDirectory = temp.Path,
        });
        var shop = ShopStack.Define(app);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var exit = LocalAppCommands.Invoke(new LaminaAppCommandContext(app, shop.Stack, ["GetOrder", "--event", eventFile], stdout, stderr, _ => null));
        Assert.Equal(0, exit);
        var response = JsonNode.Parse(Encoding.UTF8.GetString(stdout.ToArray()))!;
        Assert.Equal(400, response["statusCode"]!.GetValue<int>());
        Assert.Contains("REPORT RequestId:", stderr.ToString());

        var unknown = LocalAppCommands.Invoke(new LaminaAppCommandContext(app, shop.Stack, ["NoSuchFunction"], new MemoryStream(), stderr, _ => null));
        Assert.Equal(1, unknown);
        Assert.Contains("shop/GetOrder", stderr.ToString());
    }
}
