using System.Security.Cryptography;
using System.Text;

namespace Lamina.Aws.Packaging;

/// <summary>
/// What decides which .NET SDK <c>dotnet</c> picks in a folder, as a key: when the key is unchanged, the SDK version is
/// too, so <see cref="DotnetBundler"/> caches <c>dotnet --version</c> (which takes a few hundred milliseconds) per key in
/// <c>.lamina/cache/</c>.
/// </summary>
public static class DotnetSdk
{
    /// <summary>Environment variables that change the SDK the <c>dotnet</c> host resolves.</summary>
    public static readonly IReadOnlyList<string> ResolutionVariables =
        ["DOTNET_ROOT", "DOTNET_MSBUILD_SDK_RESOLVER_SDKS_DIR", "DOTNET_MSBUILD_SDK_RESOLVER_SDKS_VER", "DOTNET_MSBUILD_SDK_RESOLVER_CLI_DIR"];

    /// <summary>
    /// A SHA-256 (hex) of the <c>dotnet</c> found on PATH (its real path), the names of the SDKs installed beside it,
    /// every <c>global.json</c> from <paramref name="directory"/> up, and <see cref="ResolutionVariables"/>; null when no
    /// <c>dotnet</c> is on PATH.
    /// </summary>
    public static string? ResolutionKey(string directory) => ResolutionKey(directory, PathLookup.Find, Environment.GetEnvironmentVariable);

    /// <summary>The same key with explicit PATH lookup and environment (for tests).</summary>
    public static string? ResolutionKey(string directory, Func<string, string?> findOnPath, Func<string, string?> environment)
    {
        if (findOnPath("dotnet") is not { } host)
        {
            return null;
        }
        var real = new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(host);
        var text = new StringBuilder(real).Append('\0');
        var sdkDir = Path.Combine(Path.GetDirectoryName(real)!, "sdk");
        if (Directory.Exists(sdkDir))
        {
            foreach (var sdk in Directory.GetDirectories(sdkDir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                text.Append(sdk).Append('\0');
            }
        }
        for (var d = new DirectoryInfo(Path.GetFullPath(directory)); d is not null; d = d.Parent)
        {
            var globalJson = Path.Combine(d.FullName, "global.json");
            if (File.Exists(globalJson))
            {
                text.Append(globalJson).Append('\0').Append(File.ReadAllText(globalJson)).Append('\0');
            }
        }
        foreach (var v in ResolutionVariables)
        {
            text.Append(v).Append('=').Append(environment(v)).Append('\0');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>Finds programs on PATH.</summary>
internal static class PathLookup
{
    /// <summary>The full path of <paramref name="program"/> in the first PATH folder holding it, or null.</summary>
    public static string? Find(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
