using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;
using Lamina.Examples.Tests.ReferenceArchitectures;
using Lamina.Local.Cloud;
using Lamina.Local.Lambda;
using Lamina.Local.Messaging;
using Shop;

namespace Lamina.Examples.Tests.Local;

/// <summary>The composed Shop stack (all five reference architectures) running on LocalCloud, in-process.</summary>
public sealed class ShopLocalCloudTests
{
    private static async Task<(LocalCloud Cloud, ShopStack Shop)> StartAsync()
    {
        var shop = ShopStack.Define(ExampleApps.App());
        var cloud = await LocalCloud.StartAsync(shop.Stack);
        return (cloud, shop);
    }

    [Fact]
    public async Task Every_resource_that_runs_on_AWS_runs_locally_with_no_warnings()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        Assert.Empty(cloud.Warnings);
        int Count(LocalResourceKind kind) => cloud.Resources.Count(r => r.Kind == kind);
        Assert.Equal(10, Count(LocalResourceKind.Function));
        Assert.Equal(2, Count(LocalResourceKind.HttpApi));
        Assert.Equal(1, Count(LocalResourceKind.RestApi));
        Assert.Equal(4, Count(LocalResourceKind.Queue));
        Assert.Equal(1, Count(LocalResourceKind.Topic));
        Assert.Equal(2, Count(LocalResourceKind.Bucket));
        Assert.Equal(1, Count(LocalResourceKind.Schedule));
        Assert.Equal(1, Count(LocalResourceKind.StateMachine));
        // Every API listens on the loopback address only.
        Assert.All(cloud.Resources.Where(r => r.Url is not null && r.Kind is LocalResourceKind.HttpApi or LocalResourceKind.RestApi),
            r => Assert.StartsWith("http://127.0.0.1:", r.Url));
    }

    [Fact]
    public async Task Orders_api_places_and_reads_an_order_and_answers_unknown_routes_like_API_Gateway()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        using var http = cloud.CreateHttpClient("OrdersApi");
        var placed = await http.PostAsync("/orders", new StringContent("""{"customerId":"c-1","items":[{"sku":"A1","quantity":2}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = JsonNode.Parse(await placed.Content.ReadAsStringAsync())!;
        var id = order["id"]!.GetValue<string>();

        var read = await http.GetAsync($"/orders/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("c-1", JsonNode.Parse(await read.Content.ReadAsStringAsync())!["customerId"]!.GetValue<string>());

        var bad = await http.PostAsync("/orders", new StringContent("""{"items":[]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var missing = await http.GetAsync("/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await missing.Content.ReadAsStringAsync());

        // Both functions ran, each in its own cold instance.
        Assert.Equal(2, cloud.Function("PlaceOrder").Invocations.Count);
        Assert.Single(cloud.Function("PlaceOrder").Invocations, i => i.Cold);
        Assert.Single(cloud.Function("GetOrder").Invocations);
    }

    [Fact]
    public async Task Rest_api_serves_the_stage_path_with_the_1_0_payload()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        using var http = cloud.CreateHttpClient("EchoApi");
        Assert.EndsWith("/Prod/", http.BaseAddress!.ToString());
        var response = await http.GetAsync("some/path?x=1&x=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("/some/path", echoed["path"]!.GetValue<string>());
        Assert.Equal("/{proxy+}", echoed["resource"]!.GetValue<string>());
        Assert.Equal("some/path", echoed["pathParameters"]!["proxy"]!.GetValue<string>());
        Assert.Equal(["1", "2"], echoed["multiValueQueryStringParameters"]!["x"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Advancing_the_clock_three_days_runs_the_nightly_report_three_times_with_each_scheduled_time()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        cloud.Clock.Advance(TimeSpan.FromDays(3));
        await cloud.WaitForIdleAsync();
        var runs = cloud.Function("BuildReport").Invocations;
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(LocalInvocationOutcome.Success, r.Outcome));
        // Each run got the event of its own occurrence (02:00 UTC on each day), whatever order they ran in.
        var logs = cloud.Function("BuildReport").Logs.Select(l => l.Message).Where(m => m.StartsWith("nightly report", StringComparison.Ordinal)).Select(m => m[..29]).Order();
        Assert.Equal(["nightly report for 2025-12-31", "nightly report for 2026-01-01", "nightly report for 2026-01-02"], logs);
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 2, 0, 0, TimeSpan.Zero), cloud.Scheduler.Schedules.Single().LastScheduledTime);
    }

    [Fact]
    public async Task AdvanceAsync_runs_each_occurrence_at_its_own_instant_in_order()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        await cloud.AdvanceAsync(TimeSpan.FromDays(3));
        var runs = cloud.Function("BuildReport").Invocations;
        Assert.Equal(
            [new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 3, 2, 0, 0, TimeSpan.Zero)],
            runs.Select(r => r.Start));
        var logs = cloud.Function("BuildReport").Logs.Select(l => l.Message).Where(m => m.StartsWith("nightly report", StringComparison.Ordinal)).Select(m => m[..29]);
        Assert.Equal(["nightly report for 2025-12-31", "nightly report for 2026-01-01", "nightly report for 2026-01-02"], logs);
        Assert.Equal(new DateTimeOffset(2026, 1, 4, 0, 0, 0, TimeSpan.Zero), cloud.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Fan_out_delivers_created_orders_to_billing_and_every_order_to_shipping()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        var topic = cloud.Topic("OrderEvents");
        topic.Publish("""{"orderId":"o-1","type":"created","customerId":"c-1","amount":12.5,"currency":"EUR"}""",
            messageAttributes: new Dictionary<string, MessageAttribute> { ["type"] = MessageAttribute.String("created") });
        topic.Publish("""{"orderId":"o-2","type":"cancelled","customerId":"c-1","amount":0,"currency":"EUR"}""",
            messageAttributes: new Dictionary<string, MessageAttribute> { ["type"] = MessageAttribute.String("cancelled") });
        await cloud.WaitForIdleAsync();

        var charged = cloud.Function("ChargeCustomer").Logs.Where(l => l.Message.StartsWith("charged", StringComparison.Ordinal)).ToList();
        Assert.Single(charged);
        Assert.Contains("order o-1", charged[0].Message);
        var shipped = cloud.Function("ShipOrder").Logs.Select(l => l.Message).ToList();
        Assert.Contains(shipped, m => m.Contains("o-1", StringComparison.Ordinal));
        Assert.Contains(shipped, m => m.Contains("o-2", StringComparison.Ordinal));
        // Everything was processed and deleted: nothing left in any queue, nothing dead-lettered.
        Assert.All(cloud.Resources.Where(r => r.Kind == LocalResourceKind.Queue), q => Assert.Equal(0, cloud.Queue(q.LogicalName).GetCounts().Total));
    }

    [Fact]
    public async Task An_upload_under_images_with_jpg_suffix_invokes_the_thumbnailer_with_the_S3_event()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        await cloud.Bucket("Uploads").PutObjectAsync("images/my cat.jpg", new byte[] { 1, 2, 3 });
        await cloud.Bucket("Uploads").PutObjectAsync("images/other.png", new byte[] { 1 });
        await cloud.WaitForIdleAsync();
        var runs = cloud.Function("MakeThumbnail").Invocations;
        Assert.Single(runs);
        Assert.Equal(LocalInvocationOutcome.Success, runs[0].Outcome);
        // The thumbnails bucket's local name reached the function through its environment (THUMBNAILS_BUCKET).
        var thumbnails = cloud.Find("Thumbnails", LocalResourceKind.Bucket).LocalName;
        Assert.Contains(cloud.Function("MakeThumbnail").Logs, l => l.Message.Contains($"s3://{thumbnails}/thumbnails/my cat.jpg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Checkout_state_machine_charges_a_valid_order_and_rejects_an_invalid_one()
    {
        var (cloud, _) = await StartAsync();
        await using var _ = cloud;
        var checkout = cloud.StateMachine("Checkout");
        var ok = await checkout.StartExecutionAsync("""{"orderId":"o-1","customerId":"c-1","amount":25,"currency":"EUR","cardNumber":"4242424242424242"}""");
        Assert.Equal(ExecutionStatus.Succeeded, ok.Status);
        Assert.Contains(cloud.Function("ChargeCard").Invocations, i => i.Outcome == LocalInvocationOutcome.Success);

        var invalid = await checkout.StartExecutionAsync("""{"orderId":"o-2","customerId":"c-1","amount":-1,"currency":"XXX","cardNumber":"1"}""");
        Assert.Equal(ExecutionStatus.Failed, invalid.Status);
        Assert.DoesNotContain(cloud.Function("ChargeCard").Invocations, i => i.Start > ok.StopDate);
    }

    [Fact]
    public async Task Nightly_report_runs_at_two_utc_as_the_user_experience_sketch_writes_it()
    {
        // design/user-experience.md's test, with the clock started where the test wants it (SetUtcNow would move time
        // and fire every nightly report since the default start, as AWS would have).
        var shop = ShopStack.Define(ExampleApps.App());
        await using var cloud = await LocalCloud.StartAsync(shop.Stack, new LocalCloudOptions
        {
            Clock = LocalClock.Manual(new DateTimeOffset(2026, 11, 27, 1, 59, 0, TimeSpan.Zero)),
        });
        await cloud.Clock.AdvanceAsync(TimeSpan.FromMinutes(2));
        var run = Assert.Single(cloud.Invocations.Of("BuildReport"));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero), run.Start);
        Assert.Empty(cloud.Invocations.Of("shop/ChargeCard"));
        Assert.Throws<KeyNotFoundException>(() => cloud.Invocations.Of("Nope"));
    }
}
