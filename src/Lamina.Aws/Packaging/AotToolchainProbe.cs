using System.Runtime.InteropServices;

namespace Lamina.Aws.Packaging;

/// <summary>Whether this machine can publish native AOT for a runtime identifier, and how.</summary>
public sealed record AotToolchain
{
    /// <summary>True when native AOT can be published for the runtime identifier.</summary>
    public required bool Available { get; init; }

    /// <summary>What was found (such as <c>gcc</c>, or <c>clang-14 with the aarch64-linux-gnu sysroot</c>), or, when
    /// not <see cref="Available"/>, what is missing and how to get it.</summary>
    public required string Description { get; init; }

    /// <summary>MSBuild properties (<c>Name=Value</c>) <c>dotnet publish</c> needs for this toolchain, such as
    /// <c>CppCompilerAndLinker=clang-14</c> or <c>SysRoot=/path</c>.</summary>
    public IReadOnlyList<string> MsBuildProperties { get; init; } = [];
}

/// <summary>Finds the native toolchain native AOT needs for a runtime identifier.</summary>
public interface IAotToolchainProbe
{
    /// <summary>The toolchain for <paramref name="rid"/> (<c>linux-x64</c> or <c>linux-arm64</c>).</summary>
    AotToolchain Probe(string rid);
}

/// <summary>
/// Looks for what native AOT needs to link a Linux executable, without running anything. Native AOT compiles on the
/// build machine and links with the platform's C toolchain, so:
/// <list type="bullet">
/// <item>Same architecture, Linux host: <c>clang</c> or <c>gcc</c> on PATH (what the ILCompiler itself looks for).</item>
/// <item>Other architecture (arm64 on an x64 machine, or the reverse): a <c>clang</c> (any <c>clang-N</c>), a sysroot of the
/// target (<c>LAMINA_SYSROOT_ARM64</c> / <c>LAMINA_SYSROOT_X64</c>, or Debian's cross packages under
/// <c>/usr/aarch64-linux-gnu</c> / <c>/usr/x86_64-linux-gnu</c> with the gcc-cross start files), and a linker for it
/// (<c>aarch64-linux-gnu-ld</c> or <c>ld.lld</c>).</item>
/// <item>A non-Linux host: native AOT cannot cross-compile to Linux at all.</item>
/// </list>
/// When something is missing, <see cref="AotToolchain.Available"/> is false and the description says what to install;
/// <see cref="DotnetBundler"/> then publishes self-contained instead, and says so.
/// </summary>
public sealed class AotToolchainProbe : IAotToolchainProbe
{
    private static readonly string[] ClangNames = ["clang", .. Enumerable.Range(13, 12).Reverse().Select(v => $"clang-{v}")];

    private readonly Architecture _hostArchitecture;
    private readonly bool _hostIsLinux;
    private readonly Func<string, string?> _findOnPath;
    private readonly Func<string, bool> _exists;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates a probe over an explicit machine description (for tests).</summary>
    /// <param name="hostArchitecture">The build machine's architecture.</param>
    /// <param name="hostIsLinux">Whether the build machine runs Linux.</param>
    /// <param name="findOnPath">Returns the full path of a program found on PATH, or null.</param>
    /// <param name="exists">Whether a file or directory exists.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public AotToolchainProbe(Architecture hostArchitecture, bool hostIsLinux, Func<string, string?> findOnPath, Func<string, bool> exists, Func<string, string?> environment)
    {
        _hostArchitecture = hostArchitecture;
        _hostIsLinux = hostIsLinux;
        _findOnPath = findOnPath;
        _exists = exists;
        _environment = environment;
    }

    /// <summary>The probe of this machine (PATH, the file system and the process environment).</summary>
    public static AotToolchainProbe ForThisMachine { get; } = new(
        RuntimeInformation.OSArchitecture,
        OperatingSystem.IsLinux(),
        PathLookup.Find,
        p => File.Exists(p) || Directory.Exists(p),
        Environment.GetEnvironmentVariable);

    /// <inheritdoc />
    public AotToolchain Probe(string rid)
    {
        var target = rid.EndsWith("-arm64", StringComparison.Ordinal) ? Architecture.Arm64 : Architecture.X64;
        if (!_hostIsLinux)
        {
            return new AotToolchain { Available = false, Description = $"a Linux build machine (native AOT cannot cross-compile from {RuntimeInformation.OSDescription} to {rid}; build on Linux or in CI)" };
        }
        if (target == _hostArchitecture)
        {
            foreach (var cc in new[] { "clang", "gcc" })
            {
                if (_findOnPath(cc) is not null)
                {
                    var props = StripProperties(cc == "clang" ? ["llvm-objcopy", "objcopy"] : ["objcopy"]);
                    return new AotToolchain { Available = true, Description = cc, MsBuildProperties = props };
                }
            }
            return new AotToolchain { Available = false, Description = "clang or gcc on PATH (Debian: apt-get install clang zlib1g-dev)" };
        }
        return ProbeCross(rid, target);
    }

    private AotToolchain ProbeCross(string rid, Architecture target)
    {
        var triple = target == Architecture.Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        var debianPackages = target == Architecture.Arm64
            ? "clang binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
            : "clang binutils-x86-64-linux-gnu gcc-x86-64-linux-gnu libc6-dev-amd64-cross";
        var sysrootVariable = target == Architecture.Arm64 ? "LAMINA_SYSROOT_ARM64" : "LAMINA_SYSROOT_X64";
        var missing = new List<string>();
        var props = new List<string>();

        var clang = ClangNames.FirstOrDefault(n => _findOnPath(n) is not null);
        if (clang is null)
        {
            missing.Add("clang");
        }
        else if (clang != "clang")
        {
            props.Add($"CppCompilerAndLinker={clang}");
        }

        string sysrootDescription;
        if (_environment(sysrootVariable) is { Length: > 0 } sysroot)
        {
            if (_exists(sysroot))
            {
                props.Add($"SysRoot={sysroot}");
                sysrootDescription = $"the sysroot {sysroot}";
            }
            else
            {
                missing.Add($"the sysroot {sysrootVariable}={sysroot} (not found)");
                sysrootDescription = "";
            }
        }
        else if (_exists($"/usr/{triple}/lib/libc.so.6") && _exists($"/usr/lib/gcc-cross/{triple}"))
        {
            // Debian's cross packages: clang --target=<triple> finds headers, libraries and start files by itself.
            sysrootDescription = $"the /usr/{triple} cross libraries";
        }
        else
        {
            missing.Add($"a {triple} sysroot (set {sysrootVariable}, or install Debian's cross libraries)");
            sysrootDescription = "";
        }

        string linker;
        if (_findOnPath($"{triple}-ld") is not null)
        {
            linker = $"{triple}-ld";
        }
        else if (_findOnPath("ld.lld") is not null)
        {
            linker = "ld.lld";
            props.Add("LinkerFlavor=lld");
        }
        else
        {
            missing.Add($"a linker for {triple} ({triple}-ld or ld.lld)");
            linker = "";
        }

        if (missing.Count > 0)
        {
            return new AotToolchain
            {
                Available = false,
                Description = $"a cross toolchain for {rid}, and this machine lacks {string.Join(", ", missing)} (Debian: apt-get install {debianPackages})",
            };
        }

        // Symbols are stripped into a .dbg file (left out of the zip) by an objcopy that reads the target's ELF.
        if (_findOnPath("llvm-objcopy") is null)
        {
            props.Add(_findOnPath($"{triple}-objcopy") is not null ? $"ObjCopyName={triple}-objcopy" : "StripSymbols=false");
        }
        return new AotToolchain { Available = true, Description = $"{clang} with {sysrootDescription} and {linker}", MsBuildProperties = props };
    }

    private List<string> StripProperties(string[] objcopyNames) =>
        objcopyNames.Any(n => _findOnPath(n) is not null) ? [] : ["StripSymbols=false"];
}
