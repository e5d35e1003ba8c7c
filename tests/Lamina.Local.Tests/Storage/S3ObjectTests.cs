using System.Text;
using CsCheck;
using Lamina.Local.Storage;

namespace Lamina.Local.Tests.Storage;

public sealed class S3ObjectTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("my-bucket.example.1")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("1.2.3")]
    [InlineData("192.168.5.4x")]
    public void Valid_bucket_names_are_accepted(string name)
    {
        using var f = new S3Fixture();
        Assert.Equal(name, f.Engine.CreateBucket(name).Name);
        Assert.Same(f.Engine.GetBucket(name), f.Engine.Buckets[name]);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("My-Bucket")]
    [InlineData("my_bucket")]
    [InlineData("-bucket")]
    [InlineData("bucket-")]
    [InlineData("my..bucket")]
    [InlineData("192.168.5.4")]
    [InlineData("xn--bucket")]
    [InlineData("sthree-bucket")]
    [InlineData("amzn-s3-demo-bucket")]
    [InlineData("bucket-s3alias")]
    [InlineData("bucket--ol-s3")]
    [InlineData("bucket.mrap")]
    [InlineData("bucket--x-s3")]
    public void Invalid_bucket_names_are_rejected(string name)
    {
        using var f = new S3Fixture();
        Assert.Equal("InvalidBucketName", Assert.Throws<LocalS3Exception>(() => f.Engine.CreateBucket(name)).ErrorCode);
    }

    [Fact]
    public void Buckets_are_unique_and_must_exist()
    {
        using var f = new S3Fixture();
        f.Engine.CreateBucket("only-bucket");
        Assert.Equal("BucketAlreadyOwnedByYou", Assert.Throws<LocalS3Exception>(() => f.Engine.CreateBucket("only-bucket")).ErrorCode);
        Assert.Equal("NoSuchBucket", Assert.Throws<LocalS3Exception>(() => f.Engine.GetBucket("other-bucket")).ErrorCode);
    }

    [Fact]
    public async Task Put_get_head_and_delete()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("objects-bucket");
        var put = await bucket.PutObjectAsync("a/b.txt", S3Fixture.Bytes("hello"), metadata: new Dictionary<string, string> { ["Owner"] = "me" });
        Assert.Equal("5d41402abc4b2a76b9719d911017c592", put.ETag);
        Assert.Equal(5, put.Size);
        Assert.Equal("binary/octet-stream", put.ContentType);
        Assert.Equal(S3Fixture.Start, put.LastModified);
        Assert.Equal("me", put.Metadata["owner"]);

        var got = await bucket.GetObjectAsync("a/b.txt");
        Assert.Equal("hello", Encoding.UTF8.GetString(got!.Body.Span));
        Assert.Equal(put.ETag, got.ETag);
        var head = bucket.Head("a/b.txt");
        Assert.Equal(("a/b.txt", 5L, put.ETag), (head!.Key, head.Size, head.ETag));
        Assert.IsNotType<LocalS3Object>(head);

        f.Clock.Advance(TimeSpan.FromSeconds(3));
        var replaced = await bucket.PutObjectAsync("a/b.txt", S3Fixture.Bytes("bye"), "text/plain");
        Assert.Equal(S3Fixture.Start.AddSeconds(3), replaced.LastModified);
        Assert.Equal("text/plain", bucket.Head("a/b.txt")!.ContentType);
        Assert.Empty(bucket.Head("a/b.txt")!.Metadata);
        Assert.Equal(1, bucket.Count);

        Assert.True(await bucket.DeleteObjectAsync("a/b.txt"));
        Assert.False(await bucket.DeleteObjectAsync("a/b.txt"));
        Assert.Null(await bucket.GetObjectAsync("a/b.txt"));
        Assert.Null(bucket.Head("a/b.txt"));
    }

    [Fact]
    public async Task Keys_and_metadata_are_validated()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("limits-bucket");
        async Task<string> Code(Func<Task> action) => (await Assert.ThrowsAsync<LocalS3Exception>(action)).ErrorCode;

        Assert.Equal("InvalidArgument", await Code(() => bucket.PutObjectAsync("", S3Fixture.Bytes("x"))));
        Assert.Equal("KeyTooLongError", await Code(() => bucket.PutObjectAsync(new string('é', 513), S3Fixture.Bytes("x"))));
        await bucket.PutObjectAsync(new string('é', 512), S3Fixture.Bytes("x"));
        Assert.Equal("MetadataTooLarge", await Code(() => bucket.PutObjectAsync("m", S3Fixture.Bytes("x"),
            metadata: new Dictionary<string, string> { ["big"] = new string('v', 2046) })));
        Assert.Equal("InvalidArgument", await Code(() => bucket.PutObjectAsync("bad\ud800", S3Fixture.Bytes("x"))));
    }

    [Fact]
    public async Task Copy_within_and_across_buckets()
    {
        using var f = new S3Fixture();
        var source = f.Engine.CreateBucket("source-bucket");
        var target = f.Engine.CreateBucket("target-bucket");
        await source.PutObjectAsync("doc.json", S3Fixture.Bytes("{}"), "application/json", new Dictionary<string, string> { ["a"] = "1" });

        var copy = await source.CopyObjectAsync("doc.json", "copies/doc.json", "target-bucket");
        Assert.Equal(("application/json", "1"), (copy.ContentType, copy.Metadata["a"]));
        Assert.Equal("{}", Encoding.UTF8.GetString((await target.GetObjectAsync("copies/doc.json"))!.Body.Span));

        var replaced = await source.CopyObjectAsync("doc.json", "doc.json", metadata: new Dictionary<string, string> { ["b"] = "2" });
        Assert.Equal(["b"], replaced.Metadata.Keys);

        Assert.Equal("InvalidRequest", (await Assert.ThrowsAsync<LocalS3Exception>(() => source.CopyObjectAsync("doc.json", "doc.json"))).ErrorCode);
        Assert.Equal("NoSuchKey", (await Assert.ThrowsAsync<LocalS3Exception>(() => source.CopyObjectAsync("missing", "x"))).ErrorCode);
        Assert.Equal("NoSuchBucket", (await Assert.ThrowsAsync<LocalS3Exception>(() => source.CopyObjectAsync("doc.json", "x", "nope-bucket"))).ErrorCode);
    }

    [Fact]
    public async Task Listing_with_prefix_delimiter_and_pages()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("list-bucket");
        foreach (var key in new[] { "photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/index.html", "readme.md", "photos/2025/d.jpg", "zeta" })
        {
            await bucket.PutObjectAsync(key, S3Fixture.Bytes(key));
        }

        var all = bucket.List();
        Assert.Equal(["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg", "photos/2025/d.jpg", "photos/index.html", "readme.md", "zeta"],
            all.Select(o => o.Key));
        Assert.False(all.IsTruncated);
        Assert.Null(all.NextContinuationToken);

        var top = bucket.List(delimiter: "/");
        Assert.Equal(["photos/"], top.CommonPrefixes);
        Assert.Equal(["readme.md", "zeta"], top.Contents.Select(o => o.Key));
        Assert.Equal(3, top.KeyCount);

        var photos = bucket.List(prefix: "photos/", delimiter: "/");
        Assert.Equal(["photos/2024/", "photos/2025/"], photos.CommonPrefixes);
        Assert.Equal(["photos/index.html"], photos.Contents.Select(o => o.Key));

        // Pages of two; a common prefix counts as one and is never repeated.
        var page1 = bucket.List(prefix: "photos/", delimiter: "/", maxKeys: 2);
        Assert.True(page1.IsTruncated);
        Assert.Equal(["photos/2024/", "photos/2025/"], page1.CommonPrefixes);
        Assert.Empty(page1.Contents);
        var page2 = bucket.List(prefix: "photos/", delimiter: "/", maxKeys: 2, continuationToken: page1.NextContinuationToken);
        Assert.Equal(["photos/index.html"], page2.Contents.Select(o => o.Key));
        Assert.Empty(page2.CommonPrefixes);
        Assert.False(page2.IsTruncated);

        Assert.Equal(["photos/2025/d.jpg", "photos/index.html", "readme.md", "zeta"], bucket.List(startAfter: "photos/2025/c.jpg").Select(o => o.Key));
        Assert.Equal(["photos/2025/", "photos/index.html"], bucket.List(prefix: "photos/", delimiter: "/", startAfter: "photos/2024/z")
            .CommonPrefixes.Concat(bucket.List(prefix: "photos/", delimiter: "/", startAfter: "photos/2024/z").Contents.Select(o => o.Key)));
        Assert.Empty(bucket.List(maxKeys: 0));
        Assert.Equal(7, bucket.List(maxKeys: 5000).Count);
        Assert.Equal("InvalidArgument", Assert.Throws<LocalS3Exception>(() => bucket.List(maxKeys: -1)).ErrorCode);
        Assert.Equal("InvalidArgument", Assert.Throws<LocalS3Exception>(() => bucket.List(continuationToken: "bm90IGEgdG9rZW4=")).ErrorCode);
    }

    [Fact]
    public async Task A_page_holds_at_most_1000_keys()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("big-bucket");
        for (var i = 0; i < 1001; i++)
        {
            await bucket.PutObjectAsync($"k{i:D4}", ReadOnlyMemory<byte>.Empty);
        }

        var first = bucket.List(maxKeys: 5000);
        Assert.Equal(1000, first.Count);
        Assert.True(first.IsTruncated);
        Assert.Equal(["k1000"], bucket.List(continuationToken: first.NextContinuationToken).Select(o => o.Key));
    }

    [Fact]
    public async Task Keys_are_listed_in_UTF8_byte_order_not_UTF16_order()
    {
        using var f = new S3Fixture();
        var bucket = f.Engine.CreateBucket("order-bucket");
        // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 (D83D DE00).
        string[] keys = ["\U0001F600", "\uFFFD", "a", "Z", "é", "\uE000"];
        foreach (var key in keys)
        {
            await bucket.PutObjectAsync(key, S3Fixture.Bytes("x"));
        }

        var expected = keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
        Assert.Equal(["Z", "a", "é", "\uE000", "\uFFFD", "\U0001F600"], expected);
        Assert.Equal(expected, bucket.List().Select(o => o.Key));
    }

    [Fact]
    public void Paging_through_any_listing_gives_the_whole_listing_once()
    {
        var keyGen = Gen.Select(Gen.Int[1, 4], Gen.Int[0, 4], Gen.Int[0, 4], Gen.Int[0, 3],
            (depth, a, b, c) => string.Join("/", new[] { "a", "b", "é", "\U0001F600", "a b" }.Skip(a).Take(depth).Append($"{b}{"x-/".Substring(0, c)}")));
        var gen = Gen.Select(keyGen.Array[0, 40], Gen.OneOf("", "a", "a/", "b/", "é"), Gen.OneOf<string?>(null, "/", "-", "b"), Gen.Int[1, 7],
            (keys, prefix, delimiter, maxKeys) => (keys, prefix, delimiter, maxKeys));
        gen.Sample(c =>
        {
            using var f = new S3Fixture();
            var bucket = f.Engine.CreateBucket("paging-bucket");
            foreach (var key in c.keys.Distinct())
            {
                bucket.PutObjectAsync(key, S3Fixture.Bytes("x")).GetAwaiter().GetResult();
            }

            // The reference: sort by UTF-8 bytes, filter by prefix, roll up by delimiter.
            var sorted = c.keys.Distinct().Where(k => k.StartsWith(c.prefix, StringComparison.Ordinal))
                .OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))).ToList();
            var expected = new List<string>();
            foreach (var key in sorted)
            {
                var cut = c.delimiter is null ? -1 : key.IndexOf(c.delimiter, c.prefix.Length, StringComparison.Ordinal);
                var item = cut < 0 ? "K:" + key : "P:" + key[..(cut + c.delimiter!.Length)];
                if (expected.Count == 0 || expected[^1] != item)
                {
                    expected.Add(item);
                }
            }

            var actual = new List<string>();
            string? token = null;
            var pages = 0;
            do
            {
                var page = bucket.List(c.prefix, c.delimiter, c.maxKeys, continuationToken: token);
                Assert.True(page.KeyCount <= c.maxKeys);
                Assert.Equal(page.IsTruncated, page.NextContinuationToken is not null);
                // Within a page, objects and prefixes interleave in key order; merge them to compare.
                actual.AddRange(page.Contents.Select(o => "K:" + o.Key).Concat(page.CommonPrefixes.Select(p => "P:" + p))
                    .OrderBy(s => Encoding.UTF8.GetBytes(s[2..]), Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y))));
                token = page.NextContinuationToken;
                Assert.True(++pages < 100);
            }
            while (token is not null);

            Assert.Equal(expected, actual);
        }, iter: 300);
    }
}
