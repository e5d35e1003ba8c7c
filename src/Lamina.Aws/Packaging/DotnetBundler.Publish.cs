using System.Globalization;
using Lamina.Aws.Lambda;

namespace Lamina.Aws.Packaging;

/// <summary>One publish (or reuse) of a handler project for a runtime identifier and packaging mode.</summary>
public sealed record DotnetBuild
{
    /// <summary>The project file (full path).</summary>
    public required string Project { get; init; }

    /// <summary>The runtime identifier: <c>linux-x64</c> or <c>linux-arm64</c>.</summary>
    public required string Rid { get; init; }

    /// <summary>How it was published (native AOT, or self-contained when AOT was asked for but no toolchain could build it).</summary>
    public required DotnetPackaging Packaging { get; init; }

    /// <summary>The zip, relative to the project root with forward slashes: <c>.lamina/assets/&lt;project&gt;-&lt;rid&gt;-&lt;hash16&gt;.zip</c>.</summary>
    public required string ZipPath { get; init; }

    /// <summary>The content hash (SHA-256, hex) of the project's inputs and build settings; see <see cref="DotnetProject.ContentHash"/>.</summary>
    public required string Hash { get; init; }

    /// <summary>True when an up-to-date zip was found and nothing was built.</summary>
    public required bool Reused { get; init; }

    /// <summary>How long publishing and zipping took (zero when reused).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Why the build failed, or null.</summary>
    public string? Error { get; init; }
}

public sealed partial class DotnetBundler
{
    private readonly Dictionary<(string Project, string Rid, DotnetPackaging Mode), DotnetBuild> _builds = new();
    private readonly List<DotnetBuild> _buildList = new();
    private readonly Dictionary<string, AotToolchain> _toolchains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _sdkVersions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _projectsByAssembly = new(StringComparer.Ordinal);
    private IReadOnlyList<string>? _allProjects;

    /// <summary>Runs <c>dotnet</c>. Default: <see cref="SystemProcessRunner.Instance"/>; tests put a fake here (before creating functions).</summary>
    public IProcessRunner Runner { get; set; } = SystemProcessRunner.Instance;

    /// <summary>Decides whether native AOT can be built per runtime identifier. Default: <see cref="AotToolchainProbe.ForThisMachine"/>.</summary>
    public IAotToolchainProbe Toolchains { get; set; } = AotToolchainProbe.ForThisMachine;

    /// <summary>The clock for durations and lock waits. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Computes the key that decides the SDK version in a folder. Default: <see cref="DotnetSdk.ResolutionKey(string)"/>; null disables the cache.</summary>
    public Func<string, string?> SdkKey { get; set; } = DotnetSdk.ResolutionKey;

    /// <summary>Where progress and warnings go. Default: standard error (never standard output, which carries the program).</summary>
    public TextWriter Log { get; set; } = Console.Error;

    /// <summary>The builds of this app so far, one per project, runtime identifier and packaging mode, in order.</summary>
    public IReadOnlyList<DotnetBuild> Builds => _buildList;

    /// <summary>The output folder (full path): <see cref="AppOptions.OutputDirectory"/>, default <c>.lamina</c> under the project root.</summary>
    public string OutputDirectory => Path.GetFullPath(App.Options.OutputDirectory is { Length: > 0 } o ? Path.Combine(App.RootDirectory, o) : Path.Combine(App.RootDirectory, ".lamina"));

    private partial string Publish(FunctionBase function, string assembly, string? project, string rid, DotnetPackaging packaging)
    {
        var csproj = ResolveProject(function, assembly, project);
        if (csproj is null)
        {
            return $".lamina/no-bundle/{assembly}-{rid}.zip";
        }
        var name = Path.GetFileNameWithoutExtension(csproj);

        var mode = packaging;
        IReadOnlyList<string> toolchainProperties = [];
        string? fallback = null;
        if (packaging == DotnetPackaging.NativeAot)
        {
            if (!_toolchains.TryGetValue(rid, out var toolchain))
            {
                toolchain = _toolchains[rid] = Toolchains.Probe(rid);
            }
            if (toolchain.Available)
            {
                toolchainProperties = toolchain.MsBuildProperties;
            }
            else
            {
                mode = DotnetPackaging.SelfContained;
                fallback = $"native AOT for {rid} needs {toolchain.Description}; {name} is published self-contained (single file) for {rid} instead: a larger zip and a slower cold start. " +
                    "Install the toolchain, or set Packaging = DotnetPackaging.SelfContained to silence this warning";
            }
        }

        var key = (csproj, rid, mode);
        if (!_builds.TryGetValue(key, out var build))
        {
            if (fallback is not null)
            {
                Log.WriteLine($"lamina: warning: {fallback}");
            }
            build = Build(csproj, name, rid, mode, toolchainProperties);
            _builds[key] = build;
            _buildList.Add(build);
        }
        if (fallback is not null)
        {
            function.AddWarning("Code", fallback);
        }
        if (build.Error is not null)
        {
            function.AddError("Code", build.Error);
        }
        return build.ZipPath;
    }

    private DotnetBuild Build(string csproj, string name, string rid, DotnetPackaging mode, IReadOnlyList<string> properties)
    {
        var label = $"{name} for {rid} ({ModeLabel(mode)})";
        var projectDir = Path.GetDirectoryName(csproj)!;
        var sdk = SdkVersion(projectDir);
        if (sdk is null)
        {
            return Failed($"could not run 'dotnet --version' in {Relative(projectDir)}: the .NET SDK is needed to publish {label}");
        }

        var hash = DotnetProject.ContentHash(DotnetProject.Inputs(csproj, App.RootDirectory), rid, ModeTag(mode), sdk, properties);
        var assets = Path.Combine(OutputDirectory, "assets");
        var zip = Path.Combine(assets, $"{name}-{rid}-{hash[..16]}.zip");
        var stamp = zip + ".sha256";
        if (UpToDate(zip, stamp, hash))
        {
            Log.WriteLine($"lamina: {label} is up to date: {Relative(zip)}");
            return Result(reused: true, TimeSpan.Zero);
        }

        var buildDir = Path.Combine(OutputDirectory, "build", $"{name}-{rid}-{ModeTag(mode)}");
        Directory.CreateDirectory(buildDir);
        using var gate = BuildLock.Acquire(buildDir + ".lock", Log, label, Clock);
        if (UpToDate(zip, stamp, hash))
        {
            // Another process published the same inputs while this one waited.
            Log.WriteLine($"lamina: {label} is up to date: {Relative(zip)}");
            return Result(reused: true, TimeSpan.Zero);
        }

        Log.WriteLine($"lamina: publishing {label}...");
        var started = Clock.GetTimestamp();
        var publishDir = Path.Combine(buildDir, "publish");
        if (Directory.Exists(publishDir))
        {
            Directory.Delete(publishDir, recursive: true);
        }
        var args = new List<string>
        {
            "publish", csproj, "-c", "Release", "-r", rid, "-o", publishDir,
            "--artifacts-path", Path.Combine(buildDir, "artifacts"),
            "--nologo", "-v", "q", "-clp:NoSummary", "-p:GenerateDocumentationFile=false",
        };
        args.AddRange(mode == DotnetPackaging.NativeAot
            ? ["-p:PublishAot=true", "-p:PublishSingleFile=false"]
            : ["-p:PublishAot=false", "-p:PublishSingleFile=true", "--self-contained", "true"]);
        args.AddRange(properties.Select(p => "-p:" + p));
        var result = Runner.Run(new ProcessSpec { FileName = "dotnet", Arguments = args, WorkingDirectory = projectDir });
        if (result.ExitCode != 0)
        {
            return Failed($"'dotnet publish' of {label} failed (exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)}):\n{Excerpt(result.Output)}");
        }

        var executable = DotnetProject.AssemblyNameOf(csproj);
        var entries = new List<ZipFileEntry>();
        var foundExecutable = false;
        foreach (var file in Directory.Exists(publishDir) ? Directory.GetFiles(publishDir, "*", SearchOption.AllDirectories) : [])
        {
            var rel = Path.GetRelativePath(publishDir, file).Replace('\\', '/');
            if (rel.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) || rel.EndsWith(".dbg", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var isExecutable = rel == executable || rel == "bootstrap";
            if (isExecutable && foundExecutable)
            {
                return Failed($"the publish output of {label} holds both '{executable}' and 'bootstrap'; keep one executable");
            }
            foundExecutable |= isExecutable;
            entries.Add(new ZipFileEntry(isExecutable ? "bootstrap" : rel, File.ReadAllBytes(file), isExecutable ? DeterministicZip.ExecutableMode : DeterministicZip.RegularMode));
        }
        if (!foundExecutable)
        {
            return Failed($"'dotnet publish' of {label} produced no executable '{executable}' in {Relative(publishDir)}: the project must be an executable " +
                "(<OutputType>Exe</OutputType>) whose entry point runs the handlers, e.g. Program.cs: return await LambdaRuntime.RunAsync(args, h => h.AddHttpApi<MyHandler>()); " +
                "if the handlers live in a library, set DotnetFunctionProps.Project to that executable project");
        }

        DeterministicZip.Write(zip, entries);
        WriteAtomically(stamp, $"sha256={hash}\npackaging={ModeTag(mode)}\nsdk={sdk}\n");
        RemoveStale(assets, name, rid, mode, zip);
        var elapsed = Clock.GetElapsedTime(started);
        var size = new FileInfo(zip).Length / 1024.0 / 1024.0;
        Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"lamina: published {label} in {elapsed.TotalSeconds:0.0} s: {Relative(zip)} ({size:0.0} MB)"));
        return Result(reused: false, elapsed);

        DotnetBuild Result(bool reused, TimeSpan duration) => new()
        {
            Project = csproj, Rid = rid, Packaging = mode, ZipPath = Relative(zip), Hash = hash, Reused = reused, Duration = duration,
        };

        DotnetBuild Failed(string error)
        {
            Log.WriteLine($"lamina: error: {error}");
            return new()
            {
                Project = csproj, Rid = rid, Packaging = mode, ZipPath = $".lamina/no-bundle/{name}-{rid}.zip", Hash = "", Reused = false, Error = error,
            };
        }
    }

    /// <summary>Finds the handler project: <paramref name="project"/> when given, else the project building <paramref name="assembly"/> under the root.</summary>
    private string? ResolveProject(FunctionBase function, string assembly, string? project)
    {
        if (project is not null)
        {
            var full = Path.GetFullPath(Path.Combine(App.RootDirectory, project));
            if (File.Exists(full) && full.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                return full;
            }
            if (Directory.Exists(full))
            {
                var inFolder = Directory.GetFiles(full, "*.csproj");
                if (inFolder.Length == 1)
                {
                    return inFolder[0];
                }
                function.AddError("Project", $"folder '{project}' holds {inFolder.Length.ToString(CultureInfo.InvariantCulture)} .csproj files; name exactly one project (a .csproj path, or a folder holding one .csproj)");
                return null;
            }
            function.AddError("Project", $"project '{project}' does not exist (relative to the project root {App.RootDirectory}); give a .csproj path or a folder holding one .csproj");
            return null;
        }

        if (!_projectsByAssembly.TryGetValue(assembly, out var matches))
        {
            _allProjects ??= DotnetProject.FindProjects(App.RootDirectory);
            matches = _projectsByAssembly[assembly] = DotnetProject.MatchAssembly(_allProjects, assembly);
        }
        if (matches.Count == 1)
        {
            return matches[0];
        }
        function.AddError("Project", matches.Count == 0
            ? $"no project builds assembly '{assembly}' under the project root {App.RootDirectory} (looked for {assembly}.csproj and <AssemblyName>{assembly}</AssemblyName>, skipping bin, obj and hidden folders); set DotnetFunctionProps.Project to the handler project's .csproj"
            : $"several projects build assembly '{assembly}': {string.Join(", ", matches.Select(Relative))}; set DotnetFunctionProps.Project to one of them");
        return null;
    }

    /// <summary>The SDK version <c>dotnet</c> uses in <paramref name="projectDir"/>: from <c>.lamina/cache/sdk-&lt;hash of the key&gt;</c> when
    /// the <see cref="DotnetSdk.ResolutionKey(string)"/> is unchanged, else from <c>dotnet --version</c> (then cached).</summary>
    private string? SdkVersion(string projectDir)
    {
        if (_sdkVersions.TryGetValue(projectDir, out var version))
        {
            return version;
        }
        var key = SdkKey(projectDir);
        var cache = key is null ? null : Path.Combine(OutputDirectory, "cache", $"sdk-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16]}");
        if (cache is not null && File.Exists(cache) && File.ReadAllText(cache).Trim() is { Length: > 0 } cached)
        {
            return _sdkVersions[projectDir] = cached;
        }
        var result = Runner.Run(new ProcessSpec { FileName = "dotnet", Arguments = ["--version"], WorkingDirectory = projectDir });
        var line = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        version = _sdkVersions[projectDir] = result.ExitCode == 0 && line is { Length: > 0 } ? line : null;
        if (version is not null && cache is not null)
        {
            WriteAtomically(cache, version + "\n");
        }
        return version;
    }

    /// <summary>Writes through a temporary file and a rename, so a concurrent reader sees the old or the new text, never a part.</summary>
    private static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    private static bool UpToDate(string zip, string stamp, string hash) =>
        File.Exists(zip) && File.Exists(stamp) && File.ReadAllLines(stamp).Contains($"sha256={hash}", StringComparer.Ordinal);

    /// <summary>Deletes older zips of the same project, runtime identifier and mode (their inputs changed since).</summary>
    private static void RemoveStale(string assets, string name, string rid, DotnetPackaging mode, string keep)
    {
        foreach (var old in Directory.GetFiles(assets, $"{name}-{rid}-*.zip"))
        {
            var stamp = old + ".sha256";
            if (old == keep || Path.GetFileName(old).Length != $"{name}-{rid}-".Length + 16 + 4 || !File.Exists(stamp)
                || !File.ReadAllLines(stamp).Contains($"packaging={ModeTag(mode)}", StringComparer.Ordinal))
            {
                continue;
            }
            try
            {
                File.Delete(old);
                File.Delete(stamp);
            }
            catch (IOException)
            {
                // In use elsewhere: left for the next publish.
            }
        }
    }

    private static string Excerpt(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(15).ToList();
        return string.Join('\n', (errors.Count > 0 ? errors : lines.TakeLast(20)).Select(l => "  " + l));
    }

    private string Relative(string path) => Path.GetRelativePath(App.RootDirectory, path).Replace('\\', '/');

    private static string ModeTag(DotnetPackaging mode) => mode == DotnetPackaging.NativeAot ? "aot" : "self-contained";

    private static string ModeLabel(DotnetPackaging mode) => mode == DotnetPackaging.NativeAot ? "native AOT" : "self-contained single file";

    /// <summary>An exclusive lock file, so two processes never publish into the same build folder at once.</summary>
    private sealed class BuildLock : IDisposable
    {
        private readonly FileStream _stream;

        private BuildLock(FileStream stream) => _stream = stream;

        public static BuildLock Acquire(string path, TextWriter log, string label, TimeProvider clock)
        {
            var started = clock.GetTimestamp();
            var told = false;
            while (true)
            {
                try
                {
                    return new BuildLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (clock.GetElapsedTime(started) < TimeSpan.FromMinutes(30))
                {
                    if (!told)
                    {
                        log.WriteLine($"lamina: waiting for another process publishing {label}...");
                        told = true;
                    }
                    Thread.Sleep(250);
                }
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
