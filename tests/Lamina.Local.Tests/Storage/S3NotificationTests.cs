using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Local.Storage;

namespace Lamina.Local.Tests.Storage;

public sealed class S3NotificationTests
{
    [Fact]
    public async Task A_put_sends_the_documented_event_message()
    {
        using var f = new S3Fixture();
        f.Engine.CreateBucket("uploads-bucket");
        f.Notify("uploads-bucket", "on-upload", ["s3:ObjectCreated:*"]);
        var body = S3Fixture.Bytes("{\"hello\":\"world\"}");

        await f.Engine.GetBucket("uploads-bucket").PutObjectAsync("incoming/report 2025.json", body, "application/json");
        Assert.Empty(f.Delivered);
        Assert.Equal(1, f.Engine.PendingNotifications);
        Assert.Equal(S3Fixture.Start, f.Engine.NextDueTime);

        Assert.Equal(1, f.Engine.ProcessDue());
        var (config, json) = Assert.Single(f.Delivered);
        Assert.Equal("on-upload", config);

        using var document = JsonDocument.Parse(json);
        var records = document.RootElement.GetProperty("Records");
        Assert.Equal(1, records.GetArrayLength());
        var r = records[0];
        Assert.Equal(
            ["eventVersion", "eventSource", "awsRegion", "eventTime", "eventName", "userIdentity", "requestParameters", "responseElements", "s3"],
            r.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2.1", r.GetProperty("eventVersion").GetString());
        Assert.Equal("aws:s3", r.GetProperty("eventSource").GetString());
        Assert.Equal("eu-west-1", r.GetProperty("awsRegion").GetString());
        Assert.Equal("2025-03-01T12:00:00.123Z", r.GetProperty("eventTime").GetString());
        Assert.Equal("ObjectCreated:Put", r.GetProperty("eventName").GetString());
        Assert.StartsWith("AWS:", r.GetProperty("userIdentity").GetProperty("principalId").GetString());
        Assert.Equal("127.0.0.1", r.GetProperty("requestParameters").GetProperty("sourceIPAddress").GetString());
        var response = r.GetProperty("responseElements");
        Assert.Matches("^[0-9A-F]{16}$", response.GetProperty("x-amz-request-id").GetString());
        Assert.Matches("^[A-Za-z0-9+/]{76}$", response.GetProperty("x-amz-id-2").GetString());

        var s3 = r.GetProperty("s3");
        Assert.Equal(["s3SchemaVersion", "configurationId", "bucket", "object"], s3.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.0", s3.GetProperty("s3SchemaVersion").GetString());
        Assert.Equal("on-upload", s3.GetProperty("configurationId").GetString());
        var bucket = s3.GetProperty("bucket");
        Assert.Equal("uploads-bucket", bucket.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(bucket.GetProperty("ownerIdentity").GetProperty("principalId").GetString()));
        Assert.Equal("arn:aws:s3:::uploads-bucket", bucket.GetProperty("arn").GetString());
        var obj = s3.GetProperty("object");
        Assert.Equal(["key", "size", "eTag", "sequencer"], obj.EnumerateObject().Select(p => p.Name));
        Assert.Equal("incoming/report+2025.json", obj.GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Number, obj.GetProperty("size").ValueKind);
        Assert.Equal(body.Length, obj.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(body.Span)), obj.GetProperty("eTag").GetString());
        Assert.Matches("^[0-9A-F]{18}$", obj.GetProperty("sequencer").GetString());
    }

    [Fact]
    public async Task The_event_deserializes_into_the_S3Event_type_with_no_unknown_fields()
    {
        using var f = new S3Fixture();
        f.Engine.CreateBucket("typed-bucket");
        f.Notify("typed-bucket", "all", ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]);
        var bucket = f.Engine.GetBucket("typed-bucket");
        await bucket.PutObjectAsync("dir/naïve café+(1).txt", S3Fixture.Bytes("abc"));
        await bucket.DeleteObjectAsync("dir/naïve café+(1).txt");
        await f.Engine.RunUntilIdleAsync();

        var records = f.DeliveredRecords();
        Assert.Equal(2, records.Count);
        foreach (var record in records)
        {
            Assert.Equal("2.1", record.EventVersion);
            Assert.Equal("aws:s3", record.EventSource);
            Assert.Equal("eu-west-1", record.AwsRegion);
            Assert.NotNull(record.UserIdentity?.PrincipalId);
            Assert.NotNull(record.RequestParameters?.SourceIPAddress);
            Assert.NotNull(record.ResponseElements?.XAmzRequestId);
            Assert.NotNull(record.ResponseElements?.XAmzId2);
            Assert.Equal("1.0", record.S3?.S3SchemaVersion);
            Assert.Equal("all", record.S3?.ConfigurationId);
            Assert.Equal("typed-bucket", record.S3?.Bucket?.Name);
            Assert.Equal("arn:aws:s3:::typed-bucket", record.S3?.Bucket?.Arn);
            Assert.NotNull(record.S3?.Bucket?.OwnerIdentity?.PrincipalId);
            Assert.Equal("dir/naïve café+(1).txt", record.S3!.Object!.GetDecodedKey());
            Assert.Null(record.S3.Object.VersionId);
            AssertNoUnknownFields(record);
        }

        Assert.Equal("ObjectCreated:Put", records[0].EventName);
        Assert.Equal(3, records[0].S3!.Object!.Size);
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", records[0].S3!.Object!.ETag);
        Assert.Equal("ObjectRemoved:Delete", records[1].EventName);
        Assert.Null(records[1].S3!.Object!.Size);
        Assert.Null(records[1].S3!.Object!.ETag);
        Assert.True(string.CompareOrdinal(records[0].S3!.Object!.Sequencer, records[1].S3!.Object!.Sequencer) < 0);
    }

    private static void AssertNoUnknownFields(S3EventRecord record)
    {
        LambdaEventObject?[] parts =
        [
            record, record.UserIdentity, record.RequestParameters, record.ResponseElements, record.S3, record.S3?.Bucket,
            record.S3?.Bucket?.OwnerIdentity, record.S3?.Object,
        ];
        Assert.All(parts, p => Assert.Null(p!.AdditionalProperties));
    }

    [Theory]
    [InlineData("simple.txt", "simple.txt")]
    [InlineData("photos/2025/my cat.jpg", "photos/2025/my+cat.jpg")]
    [InlineData("a+b=c&d", "a%2Bb%3Dc%26d")]
    [InlineData("year=2025/month=03/data.parquet", "year%3D2025/month%3D03/data.parquet")]
    [InlineData("report (final)!.pdf", "report+%28final%29%21.pdf")]
    [InlineData("café/日本.txt", "caf%C3%A9/%E6%97%A5%E6%9C%AC.txt")]
    [InlineData("tilde~and'quote\"", "tilde%7Eand%27quote%22")]
    [InlineData("keep-these_.*", "keep-these_.*")]
    [InlineData("100%", "100%25")]
    public async Task Keys_are_URL_encoded_as_S3_does_and_decode_back(string key, string encoded)
    {
        using var f = new S3Fixture();
        f.Engine.CreateBucket("keys-bucket");
        f.Notify("keys-bucket", "n", ["s3:ObjectCreated:Put"]);
        await f.Engine.GetBucket("keys-bucket").PutObjectAsync(key, S3Fixture.Bytes("x"));
        f.Engine.ProcessDue();
        var record = Assert.Single(f.DeliveredRecords());
        Assert.Equal(encoded, record.S3!.Object!.Key);
        Assert.Equal(key, record.S3.Object.GetDecodedKey());
    }

    [Fact]
    public async Task Event_types_prefixes_and_suffixes_filter_on_the_raw_key()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("filter-bucket");
        f.Notify("filter-bucket", "images", ["s3:ObjectCreated:Put"], prefix: "my images/", suffix: ".png");
        f.Notify("filter-bucket", "any-create", ["s3:ObjectCreated:*"], prefix: "docs/");
        f.Notify("filter-bucket", "deletes", ["s3:ObjectRemoved:Delete"]);

        await bucket.PutObjectAsync("my images/a.png", S3Fixture.Bytes("1"));
        await bucket.PutObjectAsync("my images/a.jpg", S3Fixture.Bytes("2"));
        await bucket.PutObjectAsync("other/a.png", S3Fixture.Bytes("3"));
        await bucket.PutObjectAsync("docs/readme.md", S3Fixture.Bytes("4"));
        await bucket.CopyObjectAsync("my images/a.png", "my images/b.png");
        await bucket.CopyObjectAsync("my images/a.png", "docs/copy.png");
        await bucket.DeleteObjectAsync("docs/readme.md");
        Assert.False(await bucket.DeleteObjectAsync("docs/never-existed.md"));
        await f.Engine.RunUntilIdleAsync();

        Assert.Equal(["my+images/a.png"], f.DeliveredRecords("images").Select(r => r.S3!.Object!.Key));
        Assert.Equal([("docs/readme.md", "ObjectCreated:Put"), ("docs/copy.png", "ObjectCreated:Copy")],
            f.DeliveredRecords("any-create").Select(r => (r.S3!.Object!.Key!, r.EventName!)));
        Assert.Equal(["docs/readme.md"], f.DeliveredRecords("deletes").Select(r => r.S3!.Object!.Key));

        // Every change is an event for the logs, matched or not.
        Assert.Equal(7, f.Events.Count);
        Assert.Empty(f.Events.Single(e => e.Key == "other/a.png").ConfigurationIds);
    }

    [Fact]
    public async Task Notifications_are_delivered_in_order_with_increasing_sequencers_per_key()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("order-bucket");
        f.Notify("order-bucket", "all", ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]);
        for (var i = 0; i < 20; i++)
        {
            await bucket.PutObjectAsync($"k{i % 3}", S3Fixture.Bytes($"v{i}"));
            f.Clock.Advance(TimeSpan.FromMilliseconds(5));
        }

        await bucket.DeleteObjectAsync("k1");
        Assert.Equal(21, f.Engine.PendingNotifications);
        Assert.Equal(21, f.Engine.ProcessDue());

        var records = f.DeliveredRecords();
        Assert.Equal(21, records.Count);
        var sequencers = records.Select(r => r.S3!.Object!.Sequencer!).ToList();
        Assert.Equal(sequencers.Order(StringComparer.Ordinal), sequencers);
        Assert.Equal(sequencers.Count, sequencers.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"v{i}")))),
            records.Take(20).Select(r => r.S3!.Object!.ETag));
        var times = records.Select(r => DateTimeOffset.Parse(r.EventTime!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(S3Fixture.Start.AddMilliseconds(100), times[^1]);
    }

    [Fact]
    public async Task A_failing_target_is_recorded_and_does_not_stop_other_deliveries()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("fail-bucket");
        var calls = 0;
        f.Engine.AddNotification("fail-bucket", new LocalBucketNotification
        {
            Id = "flaky",
            Events = ["s3:ObjectCreated:*"],
            Prefix = "flaky/",
            Target = async (_, _) =>
            {
                var n = Interlocked.Increment(ref calls);
                if (n == 1)
                {
                    throw new InvalidOperationException("sync failure");
                }

                await Task.Yield();
                if (n == 2)
                {
                    throw new TimeoutException("async failure");
                }
            },
        });
        f.Notify("fail-bucket", "steady", ["s3:ObjectCreated:*"], prefix: "steady/");

        await bucket.PutObjectAsync("flaky/1", S3Fixture.Bytes("1"));
        await bucket.PutObjectAsync("steady/1", S3Fixture.Bytes("1"));
        await bucket.PutObjectAsync("flaky/2", S3Fixture.Bytes("2"));
        await bucket.PutObjectAsync("flaky/3", S3Fixture.Bytes("3"));
        await f.Engine.RunUntilIdleAsync();

        Assert.Equal(3, calls);
        Assert.Single(f.DeliveredRecords("steady"));
        var failures = f.Engine.FailedDeliveries;
        Assert.Equal([("flaky", "flaky/1", "sync failure"), ("flaky", "flaky/2", "async failure")],
            failures.Select(x => (x.ConfigurationId, x.Key, x.Error.Message)));
        Assert.All(failures, x => Assert.Equal("ObjectCreated:Put", x.EventName));
        Assert.Equal(0, f.Engine.InFlightDeliveries);
    }

    [Fact]
    public async Task RunUntilIdle_waits_for_targets_and_delivers_what_they_cause()
    {
        using var f = new S3Fixture();
        var raw = f.Engine.CreateBucket("raw-bucket");
        f.Engine.CreateBucket("processed-bucket");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Engine.AddNotification("raw-bucket", new LocalBucketNotification
        {
            Events = ["s3:ObjectCreated:*"],
            Target = async (json, _) =>
            {
                await gate.Task;
                var key = S3Fixture.Parse(Encoding.UTF8.GetString(json.Span)).Records[0].S3!.Object!.GetDecodedKey()!;
                await f.Engine.GetBucket("processed-bucket").PutObjectAsync(key + ".out", S3Fixture.Bytes("done"));
            },
        });
        f.Notify("processed-bucket", "processed", ["s3:ObjectCreated:*"]);

        await raw.PutObjectAsync("input.csv", S3Fixture.Bytes("a,b"));
        var idle = f.Engine.RunUntilIdleAsync();
        await Task.Delay(20);
        Assert.False(idle.IsCompleted);
        Assert.Equal(1, f.Engine.InFlightDeliveries);
        gate.SetResult();
        await idle.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["input.csv.out"], f.DeliveredRecords("processed").Select(r => r.S3!.Object!.Key));
        // The raw bucket's notification got a generated configuration id.
        Assert.False(string.IsNullOrEmpty(raw.Notifications.Single().Id));
    }

    [Fact]
    public async Task RunAsync_delivers_as_objects_are_written()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("live-bucket");
        var received = new SemaphoreSlim(0);
        f.Engine.AddNotification("live-bucket", new LocalBucketNotification
        {
            Events = ["s3:ObjectCreated:*"],
            Target = (_, _) =>
            {
                received.Release();
                return Task.CompletedTask;
            },
        });
        using var cts = new CancellationTokenSource();
        var loop = f.Engine.RunAsync(cts.Token);
        await bucket.PutObjectAsync("one", S3Fixture.Bytes("1"));
        Assert.True(await received.WaitAsync(TimeSpan.FromSeconds(10)));
        await bucket.PutObjectAsync("two", S3Fixture.Bytes("2"));
        Assert.True(await received.WaitAsync(TimeSpan.FromSeconds(10)));
        cts.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Notification_configurations_follow_S3_rules()
    {
        using var f = new S3Fixture();
        f.Engine.CreateBucket("rules-bucket");
        f.Notify("rules-bucket", "images", ["s3:ObjectCreated:*"], prefix: "images/", suffix: ".jpg");

        LocalS3Exception Rejected(string id, string[] events, string? prefix = null, string? suffix = null) =>
            Assert.Throws<LocalS3Exception>(() => f.Notify("rules-bucket", id, events, prefix, suffix));

        // Same event type with filters that can match the same key.
        Assert.Contains("Configurations overlap", Rejected("a", ["s3:ObjectCreated:Put"], "images/thumbs/", ".jpg").Message);
        Assert.Contains("Configurations overlap", Rejected("b", ["s3:ObjectCreated:*"]).Message);
        Assert.Contains("Configurations overlap", Rejected("c", ["s3:ObjectCreated:Copy"], "images/", "large.jpg").Message);
        Assert.Contains("Same ID", Rejected("images", ["s3:ObjectRemoved:*"]).Message);
        Assert.Equal("InvalidArgument", Rejected("d", ["s3:ObjectCreated"]).ErrorCode);
        Assert.Equal("InvalidArgument", Rejected("e", []).ErrorCode);
        Assert.Equal("NoSuchBucket", Assert.Throws<LocalS3Exception>(() => f.Notify("missing-bucket", "x", ["s3:ObjectCreated:*"])).ErrorCode);

        // Accepted: another event type, or filters that cannot both match.
        f.Notify("rules-bucket", "removed", ["s3:ObjectRemoved:*"], prefix: "images/");
        f.Notify("rules-bucket", "videos", ["s3:ObjectCreated:*"], prefix: "videos/");
        f.Notify("rules-bucket", "pngs", ["s3:ObjectCreated:Put"], prefix: "images/", suffix: ".png");
        Assert.Equal(["images", "removed", "videos", "pngs"], f.Engine.GetBucket("rules-bucket").Notifications.Select(n => n.Id));
        Assert.True(f.Engine.RemoveNotification("rules-bucket", "pngs"));
        Assert.False(f.Engine.RemoveNotification("rules-bucket", "pngs"));
    }
}
