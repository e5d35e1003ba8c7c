using System.IO.Compression;
using System.Text.RegularExpressions;
using Hello.Handlers;
using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Testing;
using Lamina.Values;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Examples.Tests.Packaging;

/// <summary>
/// DotnetBundler with a fake <c>dotnet</c> over a throw-away project tree holding a <c>Hello.Handlers.csproj</c> (the
/// assembly of <see cref="HelloHandler"/>) that references <c>lib/Lib.csproj</c>.
/// </summary>
public sealed class DotnetBundlerTests : IDisposable
{
    private readonly TempDir _root = new();
    private readonly FakeDotnet _dotnet = new();
    private readonly StringWriter _log = new();
    private string? _sdkKey = "sdk-key-1";

    public DotnetBundlerTests()
    {
        _root.Write("Directory.Build.props", "<Project><PropertyGroup><Nullable>enable</Nullable></PropertyGroup></Project>");
        _root.Write("handlers/Hello.Handlers.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><PublishAot>true</PublishAot></PropertyGroup>
              <ItemGroup><ProjectReference Include="..\lib\Lib.csproj" /></ItemGroup>
            </Project>
            """);
        _root.Write("handlers/HelloHandler.cs", "class HelloHandler {}");
        _root.Write("handlers/Properties/launchSettings.json", "{}");
        _root.Write("handlers/bin/Release/net10.0/stale.cs", "// build output");
        _root.Write("handlers/obj/project.assets.json", "{}");
        _root.Write("lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _root.Write("lib/Util.cs", "static class Util {}");
        _root.Write("docs/notes.md", "not an input");
    }

    public void Dispose() => _root.Dispose();

    private (App App, Lamina.Stack Stack, DotnetBundler Bundler) NewApp(IAotToolchainProbe? toolchains = null)
    {
        var app = Repo.App(_root.Path, bundle: true);
        var bundler = DotnetBundler.For(app);
        bundler.Runner = _dotnet;
        bundler.Log = _log;
        bundler.Toolchains = toolchains ?? new FakeToolchains();
        bundler.Clock = new FakeTimeProvider();
        bundler.SdkKey = _ => _sdkKey;
        return (app, new Lamina.Stack(app, "hello"), bundler);
    }

    private static string CodePath(Lamina.Stack stack, string logicalName) =>
        Template.From(stack).FindResources("aws:lambda:Function")[logicalName]["properties"]!["code"]!["fn::fileArchive"]!.GetValue<string>();

    private string Full(string relative) => Path.Combine(_root.Path, relative);

    [Fact]
    public void A_handler_project_is_published_with_native_AOT_once_per_rid_into_a_zip_with_bootstrap()
    {
        var (_, stack, bundler) = NewApp();
        new Function<HelloHandler>(stack, "A");
        new Function<Failing>(stack, "B");
        new Function<HelloHandler>(stack, "C", new() { Architecture = Architecture.Arm64 });

        var publishes = _dotnet.Publishes.ToList();
        Assert.Equal(2, publishes.Count); // A and B share one build; C is another architecture
        var x64 = publishes[0].Arguments;
        Assert.Equal(Full("handlers/Hello.Handlers.csproj"), x64[1]);
        Assert.Equal(["-c", "Release", "-r", "linux-x64"], x64.Skip(2).Take(4));
        Assert.Contains("-p:PublishAot=true", x64);
        Assert.DoesNotContain("--self-contained", x64);
        Assert.Equal(Full(".lamina/build/Hello.Handlers-linux-x64-aot/publish"), x64[x64.ToList().IndexOf("-o") + 1]);
        Assert.Equal(Full("handlers"), publishes[0].WorkingDirectory);
        Assert.Contains("linux-arm64", publishes[1].Arguments);

        var a = CodePath(stack, "A");
        Assert.Matches(new Regex("^\\.lamina/assets/Hello\\.Handlers-linux-x64-[0-9a-f]{16}\\.zip$"), a);
        Assert.Equal(a, CodePath(stack, "B"));
        Assert.Matches(new Regex("^\\.lamina/assets/Hello\\.Handlers-linux-arm64-[0-9a-f]{16}\\.zip$"), CodePath(stack, "C"));
        Assert.Equal([a, CodePath(stack, "C")], bundler.Builds.Select(b => b.ZipPath));

        using var zip = ZipFile.OpenRead(Full(a));
        Assert.Equal(["bootstrap", "native/libextra.so"], zip.Entries.Select(e => e.FullName));
        Assert.Equal(0x81EDu, (uint)zip.GetEntry("bootstrap")!.ExternalAttributes >> 16);
        Assert.Equal(0x81A4u, (uint)zip.GetEntry("native/libextra.so")!.ExternalAttributes >> 16);
        var log = _log.ToString();
        Assert.Contains("lamina: publishing Hello.Handlers for linux-x64 (native AOT)...", log);
        Assert.Contains("lamina: published Hello.Handlers for linux-x64 (native AOT) in 0.0 s: " + a, log);
        Assert.Equal($"sha256={bundler.Builds[0].Hash}", File.ReadAllLines(Full(a) + ".sha256")[0]);
    }

    [Fact]
    public void Unchanged_inputs_are_not_published_again_and_a_changed_source_or_reference_is()
    {
        var (_, s1, b1) = NewApp();
        new Function<HelloHandler>(s1, "Fn");
        Assert.Single(_dotnet.Publishes);
        var first = b1.Builds.Single();
        Assert.False(first.Reused);

        // A second synthesis (a new app) with the same inputs: no publish, same zip.
        var (_, s2, b2) = NewApp();
        new Function<HelloHandler>(s2, "Fn");
        Assert.Single(_dotnet.Publishes);
        Assert.True(b2.Builds.Single().Reused);
        Assert.Equal(first.ZipPath, CodePath(s2, "Fn"));
        Assert.Contains("lamina: Hello.Handlers for linux-x64 (native AOT) is up to date: " + first.ZipPath, _log.ToString());

        // Build outputs and files that are not inputs change nothing.
        _root.Write("handlers/bin/Release/net10.0/stale.cs", "// rebuilt");
        _root.Write("handlers/obj/project.assets.json", "{\"changed\":true}");
        _root.Write("docs/notes.md", "edited");
        var (_, s3, b3) = NewApp();
        new Function<HelloHandler>(s3, "Fn");
        Assert.Single(_dotnet.Publishes);
        Assert.Equal(first.Hash, b3.Builds.Single().Hash);

        // A source file of a referenced project is an input: published again, under a new name; the old zip is removed.
        _root.Write("lib/Util.cs", "static class Util { const int X = 1; }");
        var (_, s4, b4) = NewApp();
        new Function<HelloHandler>(s4, "Fn");
        Assert.Equal(2, _dotnet.Publishes.Count());
        Assert.NotEqual(first.ZipPath, b4.Builds.Single().ZipPath);
        Assert.False(File.Exists(Full(first.ZipPath)));
        Assert.True(File.Exists(Full(b4.Builds.Single().ZipPath)));

        // So is the SDK version (found again when what decides it changes), and a build file above the project.
        _dotnet.SdkVersion = "10.0.200";
        _sdkKey = "sdk-key-2";
        var (_, s5, _) = NewApp();
        new Function<HelloHandler>(s5, "Fn");
        Assert.Equal(3, _dotnet.Publishes.Count());
        _root.Write("Directory.Build.props", "<Project />");
        var (_, s6, _) = NewApp();
        new Function<HelloHandler>(s6, "Fn");
        Assert.Equal(4, _dotnet.Publishes.Count());
    }

    [Fact]
    public void The_SDK_version_is_asked_once_per_resolution_key_and_cached_on_disk()
    {
        var (_, s1, _) = NewApp();
        new Function<HelloHandler>(s1, "Fn");
        Assert.Single(_dotnet.Calls, c => c.Arguments is ["--version"]);
        Assert.Equal("10.0.100\n", File.ReadAllText(Assert.Single(Directory.GetFiles(Full(".lamina/cache"), "sdk-*"))));

        var (_, s2, _) = NewApp();
        new Function<HelloHandler>(s2, "Fn");
        Assert.Single(_dotnet.Calls, c => c.Arguments is ["--version"]); // from .lamina/cache: no process at all
        Assert.Single(_dotnet.Calls, c => c.Arguments[0] == "publish");

        _sdkKey = null; // no key (no dotnet on PATH): always asked
        var (_, s3, _) = NewApp();
        new Function<HelloHandler>(s3, "Fn");
        Assert.Equal(2, _dotnet.Calls.Count(c => c.Arguments is ["--version"]));
    }

    [Fact]
    public void The_SDK_resolution_key_follows_the_installed_SDKs_global_json_and_environment()
    {
        var host = _root.Write("dotnet-home/dotnet", "host");
        Directory.CreateDirectory(Full("dotnet-home/sdk/10.0.100"));
        var env = new Dictionary<string, string>();
        string? Key() => DotnetSdk.ResolutionKey(Full("handlers"), p => p == "dotnet" ? host : null, v => env.GetValueOrDefault(v));
        var k1 = Key();
        Assert.Matches("^[0-9a-f]{64}$", k1);
        Assert.Equal(k1, Key());
        Directory.CreateDirectory(Full("dotnet-home/sdk/10.0.200"));
        var k2 = Key();
        Assert.NotEqual(k1, k2);
        _root.Write("global.json", "{\"sdk\":{\"version\":\"10.0.100\"}}");
        var k3 = Key();
        Assert.NotEqual(k2, k3);
        env["DOTNET_ROOT"] = "/elsewhere";
        Assert.NotEqual(k3, Key());
        Assert.Null(DotnetSdk.ResolutionKey(Full("handlers"), _ => null, _ => null));
    }

    [Fact]
    public void The_same_inputs_give_a_byte_identical_zip()
    {
        var (_, s1, b1) = NewApp();
        new Function<HelloHandler>(s1, "Fn");
        var bytes = File.ReadAllBytes(Full(b1.Builds[0].ZipPath));
        File.Delete(Full(b1.Builds[0].ZipPath));
        var (_, s2, b2) = NewApp();
        new Function<HelloHandler>(s2, "Fn");
        Assert.Equal(2, _dotnet.Publishes.Count());
        Assert.Equal(b1.Builds[0].ZipPath, b2.Builds[0].ZipPath);
        Assert.Equal(bytes, File.ReadAllBytes(Full(b2.Builds[0].ZipPath)));
    }

    [Fact]
    public void Without_a_cross_toolchain_arm64_falls_back_to_self_contained_and_says_so()
    {
        var (app, stack, bundler) = NewApp(FakeToolchains.WithoutArm64());
        new Function<HelloHandler>(stack, "Graviton", new() { Architecture = Architecture.Arm64 });
        new Function<Failing>(stack, "Graviton2", new() { Architecture = Architecture.Arm64 });
        new Function<HelloHandler>(stack, "Intel");

        var publishes = _dotnet.Publishes.ToList();
        Assert.Equal(2, publishes.Count);
        var arm = publishes[0].Arguments;
        Assert.Contains("linux-arm64", arm);
        Assert.Contains("-p:PublishSingleFile=true", arm);
        Assert.Contains("-p:PublishAot=false", arm);
        Assert.Equal("true", arm[arm.ToList().IndexOf("--self-contained") + 1]);
        Assert.Equal(Full(".lamina/build/Hello.Handlers-linux-arm64-self-contained/publish"), arm[arm.ToList().IndexOf("-o") + 1]);
        Assert.Contains("-p:PublishAot=true", publishes[1].Arguments); // x64 keeps native AOT
        Assert.Equal([DotnetPackaging.SelfContained, DotnetPackaging.NativeAot], bundler.Builds.Select(b => b.Packaging));

        var warnings = app.AllDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        Assert.Equal(["hello/Graviton", "hello/Graviton2"], warnings.Select(w => w.Path));
        Assert.All(warnings, w =>
        {
            Assert.Equal("Code", w.Property);
            Assert.Contains("native AOT for linux-arm64 needs a cross toolchain for linux-arm64, and this machine lacks clang", w.Message);
            Assert.Contains("published self-contained (single file) for linux-arm64 instead", w.Message);
        });
        Assert.Single(Regex.Matches(_log.ToString(), "lamina: warning: native AOT for linux-arm64"));
        Assert.Contains("publishing Hello.Handlers for linux-arm64 (self-contained single file)...", _log.ToString());
        Assert.Equal(3, Template.From(stack).FindResources("aws:lambda:Function").Count); // synthesizes: warnings only
    }

    [Fact]
    public void Self_contained_packaging_asked_for_is_used_without_a_warning()
    {
        var (app, stack, _) = NewApp(FakeToolchains.WithoutArm64());
        new Function<HelloHandler>(stack, "Fn", new() { Architecture = Architecture.Arm64, Packaging = DotnetPackaging.SelfContained });
        Assert.Contains("-p:PublishSingleFile=true", _dotnet.Publishes.Single().Arguments);
        Assert.Empty(app.AllDiagnostics);
    }

    [Fact]
    public void The_toolchain_properties_reach_dotnet_publish()
    {
        var (_, stack, _) = NewApp(new FakeToolchains(("linux-arm64", new AotToolchain
        {
            Available = true,
            Description = "clang-14 with the sysroot /opt/arm64 and ld.lld",
            MsBuildProperties = ["CppCompilerAndLinker=clang-14", "SysRoot=/opt/arm64", "LinkerFlavor=lld"],
        })));
        new Function<HelloHandler>(stack, "Fn", new() { Architecture = Architecture.Arm64 });
        var args = _dotnet.Publishes.Single().Arguments;
        Assert.Contains("-p:PublishAot=true", args);
        Assert.Equal(["-p:CppCompilerAndLinker=clang-14", "-p:SysRoot=/opt/arm64", "-p:LinkerFlavor=lld"], args.TakeLast(3));
    }

    [Fact]
    public void A_failed_publish_is_a_synthesis_error_with_the_compiler_errors()
    {
        _dotnet.PublishExitCode = 1;
        var (_, stack, _) = NewApp();
        new Function<HelloHandler>(stack, "Fn");
        var e = Assert.Throws<SynthesisException>(() => stack.Synth());
        var error = Assert.Single(e.Errors);
        Assert.Equal("hello/Fn", error.Path);
        Assert.Equal("Code", error.Property);
        Assert.Contains("'dotnet publish' of Hello.Handlers for linux-x64 (native AOT) failed (exit code 1)", error.Message);
        Assert.Contains("error CS1002: ; expected", error.Message);
        Assert.Contains("lamina: error:", _log.ToString());
    }

    [Fact]
    public void A_project_without_an_executable_is_an_error_explaining_the_entry_point()
    {
        _dotnet.ExecutableName = "SomethingElse";
        var (_, stack, _) = NewApp();
        new Function<HelloHandler>(stack, "Fn");
        var error = Assert.Single(Assert.Throws<SynthesisException>(() => stack.Synth()).Errors);
        Assert.Equal("Code", error.Property);
        Assert.Contains("produced no executable 'Hello.Handlers'", error.Message);
        Assert.Contains("<OutputType>Exe</OutputType>", error.Message);
        Assert.Contains("LambdaRuntime.RunAsync", error.Message);
    }

    [Fact]
    public void A_missing_project_is_an_error_naming_the_Project_property()
    {
        File.Delete(Full("handlers/Hello.Handlers.csproj"));
        var (_, stack, _) = NewApp();
        new Function<HelloHandler>(stack, "Fn");
        var error = Assert.Single(Assert.Throws<SynthesisException>(() => stack.Synth()).Errors);
        Assert.Equal(("hello/Fn", "Project"), (error.Path, error.Property));
        Assert.Contains("no project builds assembly 'Hello.Handlers'", error.Message);
        Assert.Contains("set DotnetFunctionProps.Project", error.Message);
        Assert.Empty(_dotnet.Calls);
    }

    [Fact]
    public void An_explicit_project_folder_or_file_is_used_and_a_wrong_one_is_an_error()
    {
        _root.Write("apps/Entry/Entry.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>entry-point</AssemblyName></PropertyGroup></Project>");
        _dotnet.ExecutableName = "entry-point";
        var (_, stack, bundler) = NewApp();
        new Function<HelloHandler>(stack, "ByFolder", new() { Project = "apps/Entry" });
        new Function<HelloHandler>(stack, "ByFile", new() { Project = "apps/Entry/Entry.csproj" });
        Assert.Equal(Full("apps/Entry/Entry.csproj"), _dotnet.Publishes.Single().Arguments[1]);
        Assert.StartsWith(".lamina/assets/Entry-linux-x64-", bundler.Builds.Single().ZipPath);
        using (var zip = ZipFile.OpenRead(Full(bundler.Builds[0].ZipPath)))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "bootstrap");
        }

        var (_, bad, _) = NewApp();
        new Function<HelloHandler>(bad, "Missing", new() { Project = "apps/Nope" });
        new Function<HelloHandler>(bad, "Ambiguous", new() { Project = "." });
        var errors = Assert.Throws<SynthesisException>(() => bad.Synth()).Errors;
        Assert.Equal(["Project", "Project"], errors.Select(e => e.Property));
        Assert.Contains("project 'apps/Nope' does not exist", errors[0].Message);
        Assert.Contains("folder '.' holds 0 .csproj files", errors[1].Message);
    }

    [Fact]
    public void A_project_is_found_by_its_AssemblyName_when_its_file_is_named_otherwise()
    {
        File.Delete(Full("handlers/Hello.Handlers.csproj"));
        _root.Write("handlers/Handlers.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>Hello.Handlers</AssemblyName></PropertyGroup></Project>");
        _dotnet.ExecutableName = "Hello.Handlers"; // what dotnet publish names the executable of that project
        var (_, stack, _) = NewApp();
        new Function<HelloHandler>(stack, "Fn");
        Assert.Equal(Full("handlers/Handlers.csproj"), _dotnet.Publishes.Single().Arguments[1]);
        Assert.Matches("^\\.lamina/assets/Handlers-linux-x64-", CodePath(stack, "Fn"));
    }

    [Fact]
    public void Without_bundling_nothing_runs_and_the_archive_is_a_placeholder()
    {
        var app = Repo.App(_root.Path, bundle: false);
        DotnetBundler.For(app).Runner = _dotnet;
        var stack = new Lamina.Stack(app, "hello");
        new Function<HelloHandler>(stack, "Fn");
        Assert.Empty(_dotnet.Calls);
        Assert.Equal(".lamina/no-bundle/Hello.Handlers-linux-x64.zip", CodePath(stack, "Fn"));
    }

    [Fact]
    public void The_output_directory_option_moves_builds_and_assets()
    {
        var app = Repo.App(_root.Path, bundle: true, output: "out/cache");
        var bundler = DotnetBundler.For(app);
        bundler.Runner = _dotnet;
        bundler.Log = _log;
        bundler.Toolchains = new FakeToolchains();
        new Function<HelloHandler>(new Lamina.Stack(app, "hello"), "Fn");
        Assert.StartsWith("out/cache/assets/Hello.Handlers-linux-x64-", bundler.Builds.Single().ZipPath);
        Assert.Equal(Full("out/cache/build/Hello.Handlers-linux-x64-aot/publish"), _dotnet.Publishes.Single().Arguments[7]);
    }

    [Fact]
    public void The_inputs_are_the_project_closure_sources_and_build_files_above_them()
    {
        var inputs = DotnetProject.Inputs(Full("handlers/Hello.Handlers.csproj"), _root.Path).Select(i => i.RelativePath).ToList();
        Assert.Equal(
            ["Directory.Build.props", "handlers/Hello.Handlers.csproj", "handlers/HelloHandler.cs", "handlers/Properties/launchSettings.json", "lib/Lib.csproj", "lib/Util.cs"],
            inputs);
        Assert.Equal([Full("lib/Lib.csproj")], DotnetProject.ProjectReferences(Full("handlers/Hello.Handlers.csproj")));
    }

    [Fact]
    public void The_content_hash_covers_paths_contents_rid_mode_sdk_and_properties()
    {
        var inputs = DotnetProject.Inputs(Full("handlers/Hello.Handlers.csproj"), _root.Path);
        var baseline = DotnetProject.ContentHash(inputs, "linux-x64", "aot", "10.0.100");
        Assert.Matches("^[0-9a-f]{64}$", baseline);
        Assert.Equal(baseline, DotnetProject.ContentHash(inputs, "linux-x64", "aot", "10.0.100"));
        Assert.NotEqual(baseline, DotnetProject.ContentHash(inputs, "linux-arm64", "aot", "10.0.100"));
        Assert.NotEqual(baseline, DotnetProject.ContentHash(inputs, "linux-x64", "self-contained", "10.0.100"));
        Assert.NotEqual(baseline, DotnetProject.ContentHash(inputs, "linux-x64", "aot", "10.0.101"));
        Assert.NotEqual(baseline, DotnetProject.ContentHash(inputs, "linux-x64", "aot", "10.0.100", ["SysRoot=/x"]));
        var renamed = inputs.Select(i => i.RelativePath == "lib/Util.cs" ? i with { RelativePath = "lib/Util2.cs" } : i).ToList();
        Assert.NotEqual(baseline, DotnetProject.ContentHash(renamed, "linux-x64", "aot", "10.0.100"));
    }
}
