using Lamina.Aws.Resources.S3;

namespace Lamina.Testing.Tests;

public sealed class SnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lamina-snapshots-").FullName;

    private SnapshotOptions Local(bool update = false, bool ci = false) => new() { Directory = _dir, Update = update, ContinuousIntegration = ci };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_first_run_writes_the_snapshot_and_the_next_one_matches()
    {
        Assert.Equal(SnapshotOutcome.Created, Snapshot.Match(Shop.Build().Stack, "shop", Local()));
        var file = Path.Combine(_dir, "shop.yaml");
        var text = File.ReadAllText(file);
        Assert.StartsWith("name: shop\nruntime: yaml\n", text);
        Assert.Contains("visibilityTimeoutSeconds: 60", text);
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.Match(Shop.Build().Stack, "shop", Local()));
    }

    [Fact]
    public void Without_a_directory_the_snapshot_goes_to___snapshots___next_to_the_calling_file()
    {
        var caller = Path.Combine(_dir, "ShopTests.cs");
        Snapshot.Match(Shop.Build().Stack, "shop", new SnapshotOptions { ContinuousIntegration = false, Update = false }, caller);
        Assert.True(File.Exists(Path.Combine(_dir, "__snapshots__", "shop.yaml")));
    }

    [Fact]
    public void A_change_fails_with_a_unified_diff_and_leaves_the_snapshot_alone()
    {
        Snapshot.Match(Shop.Build().Stack, "shop", Local());
        var file = Path.Combine(_dir, "shop.yaml");
        var before = File.ReadAllText(file);
        var line = Array.IndexOf(before.Split('\n'), "      visibilityTimeoutSeconds: 60") + 1;
        Assert.True(line > 0);

        var e = Assert.Throws<TemplateAssertionException>(() => Snapshot.Match(Shop.Build(visibility: 30).Stack, "shop", Local()));
        Assert.Contains("Snapshot 'shop' does not match", e.Message);
        Assert.Contains("1 line removed, 1 added", e.Message);
        Assert.Contains($"@@ -{line - 3},7 +{line - 3},7 @@", e.Message);
        Assert.Contains($"{line,5}       |-      visibilityTimeoutSeconds: 60\n", e.Message);
        Assert.Contains($"      {line,5} |+      visibilityTimeoutSeconds: 30\n", e.Message);
        Assert.Contains($"{line - 1,5} {line - 1,5} | ", e.Message); // context with both line numbers
        Assert.Contains("LAMINA_UPDATE_SNAPSHOTS=1", e.Message);
        Assert.DoesNotContain("messageRetentionSeconds", e.Message); // far from the change
        Assert.Equal(before, File.ReadAllText(file));
    }

    [Fact]
    public void Update_mode_overwrites_a_changed_snapshot()
    {
        Snapshot.Match(Shop.Build().Stack, "shop", Local());
        Assert.Equal(SnapshotOutcome.Updated, Snapshot.Match(Shop.Build(visibility: 30).Stack, "shop", Local(update: true)));
        Assert.Contains("visibilityTimeoutSeconds: 30", File.ReadAllText(Path.Combine(_dir, "shop.yaml")));
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.Match(Shop.Build(visibility: 30).Stack, "shop", Local()));
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.Match(Shop.Build(visibility: 30).Stack, "shop", Local(update: true)));
    }

    [Fact]
    public void In_CI_a_missing_snapshot_fails_instead_of_being_written()
    {
        var e = Assert.Throws<TemplateAssertionException>(() => Snapshot.Match(Shop.Build().Stack, "shop", Local(ci: true)));
        Assert.Contains("does not exist", e.Message);
        Assert.Contains("CI", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "shop.yaml")));
        // An explicit update still writes.
        Assert.Equal(SnapshotOutcome.Created, Snapshot.Match(Shop.Build().Stack, "shop", Local(update: true, ci: true)));
    }

    [Fact]
    public void Windows_line_endings_in_a_stored_snapshot_still_match()
    {
        Snapshot.Match(Shop.Build().Stack, "shop", Local());
        var file = Path.Combine(_dir, "shop.yaml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("\n", "\r\n"));
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.Match(Shop.Build().Stack, "shop", Local()));
    }

    [Fact]
    public void Asset_paths_with_a_content_hash_become_placeholders()
    {
        var a = Snapshot.Render(Shop.Build(code: ".lamina/assets/3f2a9c0d1e4b5a6978c1d2e3f4a5b6c7/fn.zip").Stack.Synth().Program);
        var b = Snapshot.Render(Shop.Build(code: ".lamina/assets/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/fn.zip").Stack.Synth().Program);
        Assert.Equal(a, b);
        Assert.Contains("fn::fileArchive: <asset:Fn>", a);
        Assert.DoesNotContain("3f2a9c0d", a);

        // Outside .lamina/assets a 16+ hex-digit run also marks a hashed path; Windows separators are handled.
        var c = Snapshot.Render(Shop.Build(code: "build\\out-0123456789abcdef0123\\fn.zip").Stack.Synth().Program);
        Assert.Contains("fn::fileArchive: <asset:Fn>", c);
        var d = Snapshot.Render(Shop.Build(code: "C:\\work\\.lamina\\assets\\abc\\fn.zip").Stack.Synth().Program);
        Assert.Contains("fn::fileArchive: <asset:Fn>", d);
    }

    [Fact]
    public void Paths_without_a_hash_and_short_hex_runs_are_kept()
    {
        var text = Snapshot.Render(Shop.Build(extra: s =>
            s.AddOutput("account", Lamina.Values.Output.Format($"arn:aws:iam::123456789012:role/x"))).Stack.Synth().Program);
        Assert.Contains("fn::fileArchive: \"./app\"", text);
        Assert.Contains("123456789012", text);
    }

    [Fact]
    public void Hex_runs_in_other_strings_and_source_code_hashes_become_hash_placeholders()
    {
        var stack = Shop.Build(extra: s =>
        {
            var bucket = new Bucket(s, "Site");
            s.AddOutput("build", Lamina.Values.Output.Format($"{bucket.Arn}/releases/0123456789ABCDEF0123456789ABCDEF/index.html"));
            s.AddOutput("hashes", Lamina.Values.Expr.From(new D
            {
                ["sourceCodeHash"] = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=",
                ["etag"] = "d41d8cd98f00b204e9800998ecf8427e",
            }) is var e ? new Lamina.Values.Input<object>(e) : null!);
        }).Stack;
        var text = Snapshot.Render(stack.Synth().Program);
        Assert.Contains("build: ${Site.arn}/releases/<hash>/index.html", text);
        Assert.Contains("sourceCodeHash: <hash>", text);
        Assert.Contains("etag: <hash>", text);
        Assert.DoesNotContain("q83vEjRW", text);
    }

    [Fact]
    public void Several_hashed_assets_in_one_resource_are_numbered()
    {
        var program = Shop.Build(extra: s =>
        {
            var fn = s.Resources.OfType<Lamina.Aws.Resources.Lambda.Function>().Single();
            fn.AddPropertyOverride("layersCode", new object[]
            {
                Lamina.Values.Archive.File(".lamina/assets/aaaaaaaaaaaaaaaa/a.zip"),
                Lamina.Values.Archive.File(".lamina/assets/bbbbbbbbbbbbbbbb/b.zip"),
            });
            fn.AddPropertyOverride("code", Lamina.Values.Archive.File(".lamina/assets/cccccccccccccccc/fn.zip"));
        }).Stack.Synth().Program;
        var text = Snapshot.Render(program);
        Assert.Contains("fn::fileArchive: <asset:Fn>", text);
        Assert.Contains("fn::fileArchive: <asset:Fn#2>", text);
        Assert.Contains("fn::fileArchive: <asset:Fn#3>", text);
    }

    [Fact]
    public void Normalisation_keeps_unchanged_snapshots_stable_across_code_changes()
    {
        Assert.Equal(SnapshotOutcome.Created, Snapshot.Match(Shop.Build(code: ".lamina/assets/0000111122223333aaaa/fn.zip").Stack, "fn", Local()));
        Assert.Equal(SnapshotOutcome.Matched, Snapshot.Match(Shop.Build(code: ".lamina/assets/4444555566667777bbbb/fn.zip").Stack, "fn", Local()));
    }

    [Fact]
    public void Snapshot_names_must_be_file_names()
    {
        Assert.Throws<ArgumentException>(() => Snapshot.Match(Shop.Build().Stack, "../escape", Local()));
        Assert.Throws<ArgumentException>(() => Snapshot.Match(Shop.Build().Stack, "a/b", Local()));
        Assert.Throws<ArgumentException>(() => Snapshot.MatchText("x", "ok", new SnapshotOptions { ContinuousIntegration = false }, callerFile: ""));
    }
}
