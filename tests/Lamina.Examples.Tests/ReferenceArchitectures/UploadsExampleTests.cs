using System.Text;
using System.Text.Json;
using Lamina.Examples.Handlers.Uploads;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;
using Lamina.Testing;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

public class UploadsExampleTests
{
    [Fact]
    public void The_example_program_passes_the_checker_with_no_broad_wildcards() => ExampleApps.AssertProgramPassesTheChecker("uploads");

    private static (UploadsExample Example, Template Template) Build()
    {
        var stack = ExampleApps.Stack("uploads");
        var example = UploadsExample.Define(stack);
        return (example, ExampleApps.SynthesizedTemplate(stack));
    }

    [Fact]
    public void One_bucket_notification_sends_images_jpg_creations_to_the_function_after_its_permission_exists()
    {
        var (_, t) = Build();
        var notification = Assert.Single(t.FindResources("aws:s3:BucketNotification"));
        Assert.Equal("Uploads-Notifications", notification.Key);
        t.HasResource("aws:s3:BucketNotification", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["bucket"] = "${Uploads.bucket}",
                ["lambdaFunctions"] = Match.ArrayEquals(Match.ObjectEquals(new D
                {
                    ["events"] = new[] { "s3:ObjectCreated:*" },
                    ["filterPrefix"] = "images/",
                    ["filterSuffix"] = ".jpg",
                    ["lambdaFunctionArn"] = "${MakeThumbnail.arn}",
                })),
            }),
            ["options"] = new D { ["dependsOn"] = Match.ArrayWith("${Uploads-Invoke-MakeThumbnail}") },
        });

        // S3 may invoke the function from the uploads bucket of this account only.
        var permission = Assert.Single(t.FindResources("aws:lambda:Permission"));
        Assert.Equal("Uploads-Invoke-MakeThumbnail", permission.Key);
        var p = permission.Value["properties"]!;
        Assert.Equal("s3.amazonaws.com", (string?)p["principal"]);
        Assert.Equal("${Uploads.arn}", (string?)p["sourceArn"]);
        Assert.Equal("${awsCallerIdentity.accountId}", (string?)p["sourceAccount"]);
        Assert.Equal("${MakeThumbnail.name}", (string?)p["function"]);
    }

    [Fact]
    public void The_function_may_write_only_thumbnails_of_the_second_bucket_and_read_only_images_of_the_first()
    {
        var (_, t) = Build();
        var statements = ExampleApps.Statements(t, "MakeThumbnail-Role-Policy");
        var writes = statements.Where(s => ExampleApps.List(s!["Action"]).Any(a => a is "s3:PutObject" or "s3:DeleteObject" or "s3:AbortMultipartUpload")).ToList();
        var write = Assert.Single(writes)!;
        Assert.Equal(["s3:PutObject", "s3:AbortMultipartUpload"], ExampleApps.List(write["Action"]));
        Assert.Equal(["${Thumbnails.arn}/thumbnails/*"], ExampleApps.List(write["Resource"]));

        var reads = statements.Where(s => ExampleApps.List(s!["Action"]).Any(a => a.StartsWith("s3:", StringComparison.Ordinal)) && s != write).ToList();
        Assert.Equal(2, reads.Count);
        Assert.All(reads, r => Assert.All(ExampleApps.List(r!["Resource"]), res => Assert.StartsWith("${Uploads.arn}", res, StringComparison.Ordinal)));
        Assert.Contains(reads, r => ExampleApps.List(r!["Resource"]).SequenceEqual(["${Uploads.arn}/images/*"]) && ExampleApps.List(r["Action"]).SequenceEqual(["s3:GetObject"]));

        // The function finds the target bucket in its environment; neither bucket is public.
        t.HasResourceProperties("aws:lambda:Function", new D
        {
            ["name"] = "shop-dev-MakeThumbnail",
            ["environment"] = Match.ObjectEquals(new D { ["variables"] = Match.ObjectEquals(new D { ["THUMBNAILS_BUCKET"] = "${Thumbnails.bucket}" }) }),
        });
        t.ResourcePropertiesCountIs("aws:s3:BucketPublicAccessBlock", new D { ["blockPublicAcls"] = true, ["blockPublicPolicy"] = true, ["ignorePublicAcls"] = true, ["restrictPublicBuckets"] = true }, 2);
        t.HasOutput("thumbnailsBucketName", "${Thumbnails.bucket}");
    }

    // Handler behaviour --------------------------------------------------------------------------------------------

    private static S3Event Event(string eventName, string bucket, string encodedKey) => JsonSerializer.Deserialize(
        """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"2026-11-27T10:00:00.000Z",
          "eventName":"EVENT","s3":{"s3SchemaVersion":"1.0","configurationId":"images",
          "bucket":{"name":"BUCKET","arn":"arn:aws:s3:::BUCKET"},"object":{"key":"KEY","size":11,"eTag":"0123"}}}]}
        """.Replace("EVENT", eventName, StringComparison.Ordinal).Replace("BUCKET", bucket, StringComparison.Ordinal).Replace("KEY", encodedKey, StringComparison.Ordinal),
        LambdaEventsJsonContext.Default.S3Event)!;

    private static Func<string, string?> Env(string? bucket) => name => name == MakeThumbnail.TargetBucketVariable ? bucket : null;

    [Fact]
    public async Task MakeThumbnail_decodes_the_key_and_writes_the_thumbnail_to_the_target_bucket()
    {
        var store = new InMemoryObjectStore();
        await store.PutAsync("uploads-bucket", "images/2026/cat photo(1).jpg", Encoding.UTF8.GetBytes("jpeg bytes!"), "image/jpeg", CancellationToken.None);
        var context = new TestContext();

        await new MakeThumbnail(store, Env("thumbs-bucket")).HandleAsync(Event("ObjectCreated:Put", "uploads-bucket", "images/2026/cat+photo%281%29.jpg"), context);

        var (content, contentType) = store.Objects[("thumbs-bucket", "thumbnails/2026/cat photo(1).jpg")];
        Assert.Equal("jpeg bytes!", Encoding.UTF8.GetString(content));
        Assert.Equal("image/jpeg", contentType);
        Assert.Equal(2, store.Objects.Count);
        Assert.Equal(["s3://uploads-bucket/images/2026/cat photo(1).jpg -> s3://thumbs-bucket/thumbnails/2026/cat photo(1).jpg"], context.Messages(LambdaLogLevel.Info));
    }

    [Fact]
    public async Task MakeThumbnail_needs_its_target_bucket_and_skips_records_it_must_not_process()
    {
        var store = new InMemoryObjectStore();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new MakeThumbnail(store, Env(null)).HandleAsync(Event("ObjectCreated:Put", "u", "images/a.jpg"), new TestContext()));
        Assert.Contains("THUMBNAILS_BUCKET", e.Message, StringComparison.Ordinal);

        var context = new TestContext();
        await new MakeThumbnail(store, Env("thumbs")).HandleAsync(Event("ObjectRemoved:Delete", "u", "images/a.jpg"), context);
        await new MakeThumbnail(store, Env("thumbs")).HandleAsync(Event("ObjectCreated:Put", "thumbs", "thumbnails/a.jpg"), context);
        Assert.Empty(store.Objects);
        Assert.Equal(2, context.Messages(LambdaLogLevel.Warn).Count());
    }

    [Theory]
    [InlineData("images/a.jpg", "thumbnails/a.jpg")]
    [InlineData("images/2026/11/b.jpg", "thumbnails/2026/11/b.jpg")]
    [InlineData("other/c.jpg", "thumbnails/other/c.jpg")]
    public void Thumbnail_keys_replace_the_images_prefix(string source, string thumbnail) =>
        Assert.Equal(thumbnail, MakeThumbnail.ThumbnailKey(source));
}
