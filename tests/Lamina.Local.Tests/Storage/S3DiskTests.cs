using System.Security.Cryptography;
using System.Text;
using Lamina.Local.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Storage;

public sealed class S3DiskTests
{
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task Objects_are_files_under_the_bucket_folder_and_survive_a_restart()
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("disk-bucket");
        Assert.Equal(Path.Combine(f.Root!, "disk-bucket"), bucket.Directory);
        await bucket.PutObjectAsync("reports/2025/q1.csv", S3Fixture.Bytes("a,b\n1,2"), "text/csv", new Dictionary<string, string> { ["team"] = "ops" });
        await bucket.PutObjectAsync("top.txt", S3Fixture.Bytes("top"));

        var file = Path.Combine(f.Root!, "disk-bucket", "reports", "2025", "q1.csv");
        Assert.Equal("a,b\n1,2", File.ReadAllText(file));
        Assert.True(Directory.Exists(Path.Combine(f.Root!, "disk-bucket", ".lamina-meta")));
        Assert.Equal(["reports/2025/q1.csv", "top.txt"], bucket.List().Select(o => o.Key));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(f.Root!, "disk-bucket", ".lamina-meta", "tmp")));

        // A new engine on the same folder finds the objects with their content types and metadata.
        await using var restarted = new LocalS3(new FakeTimeProvider(S3Fixture.Start.AddDays(1)), new LocalS3Options { RootDirectory = f.Root });
        var again = restarted.CreateBucket("disk-bucket");
        var info = again.Head("reports/2025/q1.csv")!;
        Assert.Equal(("text/csv", "ops", Md5("a,b\n1,2"), S3Fixture.Start), (info.ContentType, info.Metadata["team"], info.ETag, info.LastModified));
        Assert.Equal("top", Encoding.UTF8.GetString((await again.GetObjectAsync("top.txt"))!.Body.Span));
        Assert.Equal(2, again.Count);
    }

    [Fact]
    public async Task Deleting_removes_the_file_and_folders_left_empty()
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("delete-bucket");
        await bucket.PutObjectAsync("a/b/c.txt", S3Fixture.Bytes("c"));
        await bucket.PutObjectAsync("a/keep.txt", S3Fixture.Bytes("k"));
        Assert.True(await bucket.DeleteObjectAsync("a/b/c.txt"));
        Assert.False(Directory.Exists(Path.Combine(f.Root!, "delete-bucket", "a", "b")));
        Assert.True(File.Exists(Path.Combine(f.Root!, "delete-bucket", "a", "keep.txt")));
        Assert.True(await bucket.DeleteObjectAsync("a/keep.txt"));
        Assert.False(Directory.Exists(Path.Combine(f.Root!, "delete-bucket", "a")));
        Assert.True(Directory.Exists(Path.Combine(f.Root!, "delete-bucket")));
    }

    [Theory]
    [InlineData("a//b")]
    [InlineData("folder/")]
    [InlineData("../escape")]
    [InlineData("a/./b")]
    [InlineData(".lamina-meta/x")]
    [InlineData("draft.tmp")]
    [InlineData("nul\0char")]
    public async Task Keys_that_cannot_be_files_are_rejected_in_disk_mode(string key)
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("strict-bucket");
        var error = await Assert.ThrowsAsync<LocalS3Exception>(() => bucket.PutObjectAsync(key, S3Fixture.Bytes("x")));
        Assert.Equal("KeyNotStorableOnDisk", error.ErrorCode);
        Assert.Equal(0, bucket.Count);

        // The in-memory mode stores any key.
        using var memory = new S3Fixture();
        await memory.Engine.CreateBucket("strict-bucket").PutObjectAsync(key, S3Fixture.Bytes("x"));
    }

    [Fact]
    public async Task A_key_cannot_be_both_a_file_and_a_folder_on_disk()
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("conflict-bucket");
        await bucket.PutObjectAsync("a", S3Fixture.Bytes("file"));
        Assert.Equal("KeyNotStorableOnDisk", (await Assert.ThrowsAsync<LocalS3Exception>(() => bucket.PutObjectAsync("a/b", S3Fixture.Bytes("x")))).ErrorCode);
        await bucket.PutObjectAsync("c/d", S3Fixture.Bytes("x"));
        Assert.Equal("KeyNotStorableOnDisk", (await Assert.ThrowsAsync<LocalS3Exception>(() => bucket.PutObjectAsync("c", S3Fixture.Bytes("x")))).ErrorCode);
        Assert.Equal(["a", "c/d"], bucket.List().Select(o => o.Key));
    }

    [Fact]
    public async Task Rescan_turns_changes_made_on_disk_into_events()
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("rescan-bucket");
        f.Notify("rescan-bucket", "all", ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]);
        await bucket.PutObjectAsync("kept.txt", S3Fixture.Bytes("same"));
        await bucket.PutObjectAsync("edited.txt", S3Fixture.Bytes("before"));
        await bucket.PutObjectAsync("removed.txt", S3Fixture.Bytes("gone"));
        await f.Engine.RunUntilIdleAsync();
        f.Delivered.Clear();

        var folder = bucket.Directory!;
        File.WriteAllText(Path.Combine(folder, "edited.txt"), "after!");
        File.Delete(Path.Combine(folder, "removed.txt"));
        Directory.CreateDirectory(Path.Combine(folder, "new dir"));
        File.WriteAllText(Path.Combine(folder, "new dir", "page.html"), "<p>");
        File.WriteAllText(Path.Combine(folder, "new dir", "page.html.swp"), "editor swap file");
        File.WriteAllText(Path.Combine(folder, "kept.txt"), "same");

        Assert.Equal(3, f.Engine.Rescan());
        await f.Engine.RunUntilIdleAsync();

        var records = f.DeliveredRecords();
        Assert.Equal([("ObjectCreated:Put", "edited.txt"), ("ObjectCreated:Put", "new+dir/page.html"), ("ObjectRemoved:Delete", "removed.txt")],
            records.Select(r => (r.EventName!, r.S3!.Object!.Key!)));
        Assert.Equal(Md5("after!"), records[0].S3!.Object!.ETag);
        Assert.Equal("text/html", bucket.Head("new dir/page.html")!.ContentType);
        Assert.Equal(["edited.txt", "kept.txt", "new dir/page.html"], bucket.List().Select(o => o.Key));
        Assert.All(f.Events.Where(e => e.Key != "kept.txt").TakeLast(3), e => Assert.True(e.FromFileSystem));
        Assert.Equal(0, f.Engine.Rescan());
    }

    [Fact]
    public void Watching_needs_disk_mode()
    {
        using var f = new S3Fixture();
        Assert.Throws<InvalidOperationException>(() => f.Engine.StartWatching());
        Assert.Throws<InvalidOperationException>(() => f.Engine.Rescan());
    }

    [Fact]
    public async Task The_watcher_turns_files_the_user_writes_changes_and_deletes_into_notifications()
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("watched-bucket");
        f.Notify("watched-bucket", "all", ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]);
        f.Engine.StartWatching();
        Assert.True(f.Engine.IsWatching);
        var folder = bucket.Directory!;
        bool Has(string eventName, string key, string? etag = null) =>
            f.DeliveredRecords().Any(r => r.EventName == eventName && r.S3!.Object!.GetDecodedKey() == key && (etag is null || r.S3.Object.ETag == etag));

        // A new file.
        File.WriteAllText(Path.Combine(folder, "dropped in.txt"), "first");
        await f.WaitForAsync(() => Has("ObjectCreated:Put", "dropped in.txt", Md5("first")), "the created file");
        Assert.Equal("first", Encoding.UTF8.GetString((await bucket.GetObjectAsync("dropped in.txt"))!.Body.Span));
        Assert.True(f.Events.Last(e => e.Key == "dropped in.txt").FromFileSystem);

        // The same file changed.
        File.WriteAllText(Path.Combine(folder, "dropped in.txt"), "second version");
        await f.WaitForAsync(() => Has("ObjectCreated:Put", "dropped in.txt", Md5("second version")), "the changed file");
        Assert.Equal(14, bucket.Head("dropped in.txt")!.Size);

        // A new folder with a file in it.
        Directory.CreateDirectory(Path.Combine(folder, "nested", "deeper"));
        File.WriteAllText(Path.Combine(folder, "nested", "deeper", "data.json"), "{}");
        await f.WaitForAsync(() => Has("ObjectCreated:Put", "nested/deeper/data.json"), "the file in a new folder");

        // Deleted.
        File.Delete(Path.Combine(folder, "dropped in.txt"));
        await f.WaitForAsync(() => Has("ObjectRemoved:Delete", "dropped in.txt"), "the deleted file");
        Assert.Null(bucket.Head("dropped in.txt"));

        // A folder deleted with its files.
        Directory.Delete(Path.Combine(folder, "nested"), recursive: true);
        await f.WaitForAsync(() => Has("ObjectRemoved:Delete", "nested/deeper/data.json"), "the deleted folder");
        Assert.Equal(0, bucket.Count);

        // Each change was notified exactly once.
        var keys = f.DeliveredRecords().Select(r => (r.EventName, r.S3!.Object!.Key, r.S3.Object.ETag)).ToList();
        Assert.Equal(keys.Distinct().Count(), keys.Count);
        Assert.Equal(5, keys.Count);
    }

    [Fact]
    public async Task The_watcher_ignores_files_the_engine_writes_and_temporary_files()
    {
        using var f = new S3Fixture(disk: true);
        var bucket = f.Engine.CreateBucket("quiet-bucket");
        f.Notify("quiet-bucket", "all", ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]);
        f.Engine.StartWatching();
        var folder = bucket.Directory!;

        await bucket.PutObjectAsync("engine/written.bin", S3Fixture.Bytes("by the engine"));
        await bucket.PutObjectAsync("engine/written.bin", S3Fixture.Bytes("and again"));
        await bucket.PutObjectAsync("engine/deleted.bin", S3Fixture.Bytes("short-lived"));
        await bucket.DeleteObjectAsync("engine/deleted.bin");
        File.WriteAllText(Path.Combine(folder, "notes.txt~"), "backup");
        File.WriteAllText(Path.Combine(folder, "download.crdownload"), "partial");
        File.WriteAllText(Path.Combine(folder, ".~lock.sheet.ods#"), "lock");
        File.WriteAllText(Path.Combine(folder, "report.tmp"), "temp");

        // The watcher reports events in order: once the sentinel is seen, everything before it was looked at.
        File.WriteAllText(Path.Combine(folder, "sentinel.txt"), "last");
        await f.WaitForAsync(() => f.DeliveredRecords().Any(r => r.S3!.Object!.Key == "sentinel.txt"), "the sentinel");
        await f.WaitForAsync(() => f.Engine.PendingFileChanges == 0, "quiet");

        Assert.Equal(
            [("ObjectCreated:Put", "engine/written.bin"), ("ObjectCreated:Put", "engine/written.bin"), ("ObjectCreated:Put", "engine/deleted.bin"),
             ("ObjectRemoved:Delete", "engine/deleted.bin"), ("ObjectCreated:Put", "sentinel.txt")],
            f.DeliveredRecords().Select(r => (r.EventName!, r.S3!.Object!.Key!)));
        Assert.Equal(["engine/written.bin", "sentinel.txt"], bucket.List().Select(o => o.Key));
        Assert.All(f.Events.Take(4), e => Assert.False(e.FromFileSystem));
    }

    [Fact]
    public async Task Buckets_created_while_watching_are_watched_and_stopping_stops()
    {
        using var f = new S3Fixture(disk: true);
        f.Engine.StartWatching();
        var bucket = f.Engine.CreateBucket("late-bucket");
        f.Notify("late-bucket", "all", ["s3:ObjectCreated:*"]);
        File.WriteAllText(Path.Combine(bucket.Directory!, "a.txt"), "a");
        await f.WaitForAsync(() => f.DeliveredRecords().Count == 1, "the file in the late bucket");

        f.Engine.StopWatching();
        Assert.False(f.Engine.IsWatching);
        File.WriteAllText(Path.Combine(bucket.Directory!, "b.txt"), "b");
        await Task.Delay(100);
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        await f.Engine.RunUntilIdleAsync();
        Assert.Single(f.DeliveredRecords());
        Assert.Equal(0, f.Engine.PendingFileChanges);
        // A rescan still sees it.
        Assert.Equal(1, f.Engine.Rescan("late-bucket"));
    }

    [Fact]
    public async Task Changes_wait_for_the_debounce_on_the_engine_clock()
    {
        using var f = new S3Fixture(disk: true, debounce: TimeSpan.FromSeconds(5));
        var bucket = f.Engine.CreateBucket("debounce-bucket");
        f.Notify("debounce-bucket", "all", ["s3:ObjectCreated:*"]);
        f.Engine.StartWatching();
        File.WriteAllText(Path.Combine(bucket.Directory!, "slow.txt"), "data");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (f.Engine.PendingFileChanges == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the watcher reported nothing");
            await Task.Delay(10);
        }

        Assert.True(f.Engine.NextDueTime > f.Clock.GetUtcNow());
        f.Clock.Advance(TimeSpan.FromSeconds(4));
        await f.Engine.RunUntilIdleAsync();
        Assert.Empty(f.Delivered);
        await f.WaitForAsync(() => f.DeliveredRecords().Count == 1, "the debounced change");
    }
}
