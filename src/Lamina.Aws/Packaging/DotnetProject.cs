using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Lamina.Aws.Packaging;

/// <summary>A file that goes into a project's content hash.</summary>
/// <param name="RelativePath">The path relative to the project root, with forward slashes (the hash uses it, so moving the whole repository changes nothing).</param>
/// <param name="FullPath">The absolute path.</param>
public sealed record ProjectInput(string RelativePath, string FullPath);

/// <summary>
/// Finding a handler project and hashing what its build depends on (the content hash that decides whether
/// <see cref="DotnetBundler"/> publishes again).
/// </summary>
public static class DotnetProject
{
    /// <summary>The extensions of the project files hashed: <c>.cs</c>, <c>.csproj</c>, <c>.props</c>, <c>.targets</c>, <c>.json</c>.</summary>
    public static readonly IReadOnlyList<string> SourceExtensions = [".cs", ".csproj", ".props", ".targets", ".json"];

    /// <summary>Build files MSBuild, NuGet and the SDK read from a project's folder or any folder above it.</summary>
    public static readonly IReadOnlyList<string> AncestorFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", "NuGet.Config"];

    /// <summary>A version of the packaging recipe, hashed too: changing how zips are made invalidates old ones.</summary>
    public const string RecipeVersion = "lamina-dotnet-bundle/1";

    /// <summary>True for folders never searched or hashed: <c>bin</c>, <c>obj</c>, <c>node_modules</c> and hidden folders (<c>.git</c>, <c>.lamina</c>, ...).</summary>
    public static bool IsSkippedDirectory(string name) =>
        name is "bin" or "obj" or "node_modules" || name.StartsWith('.');

    /// <summary>Every <c>.csproj</c> under <paramref name="root"/>, skipping <see cref="IsSkippedDirectory"/> folders, sorted.</summary>
    public static IReadOnlyList<string> FindProjects(string root)
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(root));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<string> files, dirs;
            try
            {
                files = Directory.EnumerateFiles(dir, "*.csproj");
                dirs = Directory.EnumerateDirectories(dir);
                found.AddRange(files);
                foreach (var d in dirs)
                {
                    if (!IsSkippedDirectory(Path.GetFileName(d)))
                    {
                        pending.Push(d);
                    }
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or IOException)
            {
                // Unreadable folders are not searched.
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// The projects among <paramref name="projects"/> that build assembly <paramref name="assemblyName"/>: those named
    /// <c>&lt;assemblyName&gt;.csproj</c>, else those that set <c>&lt;AssemblyName&gt;</c> to it.
    /// </summary>
    public static IReadOnlyList<string> MatchAssembly(IEnumerable<string> projects, string assemblyName)
    {
        var list = projects.ToList();
        var byName = list.Where(p => Path.GetFileName(p) == assemblyName + ".csproj").ToList();
        return byName.Count > 0 ? byName : list.Where(p => DeclaredAssemblyName(p) == assemblyName).ToList();
    }

    /// <summary>The assembly (and executable) name a project builds: its literal <c>&lt;AssemblyName&gt;</c>, else its file name.</summary>
    public static string AssemblyNameOf(string csproj) => DeclaredAssemblyName(csproj) ?? Path.GetFileNameWithoutExtension(csproj);

    /// <summary>The projects <paramref name="csproj"/> references (<c>&lt;ProjectReference Include&gt;</c>), as full paths.</summary>
    public static IReadOnlyList<string> ProjectReferences(string csproj)
    {
        var doc = Load(csproj);
        if (doc is null)
        {
            return [];
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(csproj))!;
        return doc.Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(i => !string.IsNullOrWhiteSpace(i))
            .SelectMany(i => i!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(i => i.Replace("$(MSBuildThisFileDirectory)", "", StringComparison.OrdinalIgnoreCase)
                .Replace("$(MSBuildProjectDirectory)", "", StringComparison.OrdinalIgnoreCase)
                .Replace('\\', '/'))
            .Select(i => Path.GetFullPath(Path.Combine(dir, i)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The files whose content decides the build of <paramref name="csproj"/>: the <see cref="SourceExtensions"/> files of its
    /// folder and of every project it references (transitively), outside <c>bin</c>/<c>obj</c>, plus the
    /// <see cref="AncestorFiles"/> above each; sorted ordinally by relative path.
    /// </summary>
    public static IReadOnlyList<ProjectInput> Inputs(string csproj, string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(Path.GetFullPath(csproj));
        while (queue.Count > 0)
        {
            var project = queue.Dequeue();
            if (!seen.Add(project))
            {
                continue;
            }
            var dir = Path.GetDirectoryName(project)!;
            if (File.Exists(project))
            {
                Add(project);
            }
            foreach (var file in SourceFiles(dir))
            {
                Add(file);
            }
            for (var d = new DirectoryInfo(dir); d is not null; d = d.Parent)
            {
                foreach (var name in AncestorFiles)
                {
                    var candidate = Path.Combine(d.FullName, name);
                    if (File.Exists(candidate))
                    {
                        Add(candidate);
                    }
                }
            }
            foreach (var reference in ProjectReferences(project))
            {
                queue.Enqueue(reference);
            }
        }
        return files.Select(kv => new ProjectInput(kv.Key, kv.Value)).ToList();

        void Add(string full) => files[Path.GetRelativePath(root, full).Replace('\\', '/')] = full;
    }

    /// <summary>
    /// The SHA-256 (lower-case hex) of <paramref name="inputs"/> (each relative path and content, in order) and of the
    /// build settings: <see cref="RecipeVersion"/>, the runtime identifier, the packaging mode, the SDK version and
    /// any extra MSBuild properties.
    /// </summary>
    public static string ContentHash(IReadOnlyList<ProjectInput> inputs, string rid, string mode, string sdkVersion, IEnumerable<string>? properties = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(RecipeVersion);
        AppendText(rid);
        AppendText(mode);
        AppendText(sdkVersion);
        foreach (var p in properties ?? [])
        {
            AppendText(p);
        }
        Span<byte> length = stackalloc byte[8];
        foreach (var input in inputs)
        {
            AppendText(input.RelativePath);
            var content = File.ReadAllBytes(input.FullPath);
            BinaryPrimitives.WriteInt64LittleEndian(length, content.LongLength);
            sha.AppendData(length);
            sha.AppendData(content);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());

        void AppendText(string s)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(s));
            sha.AppendData([0]);
        }
    }

    private static IEnumerable<string> SourceFiles(string dir)
    {
        var pending = new Stack<string>();
        pending.Push(dir);
        while (pending.Count > 0)
        {
            var d = pending.Pop();
            string[] files, dirs;
            try
            {
                files = Directory.GetFiles(d);
                dirs = Directory.GetDirectories(d);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or IOException)
            {
                continue;
            }
            foreach (var f in files)
            {
                if (SourceExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                {
                    yield return f;
                }
            }
            foreach (var sub in dirs)
            {
                if (!IsSkippedDirectory(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }
        }
    }

    private static string? DeclaredAssemblyName(string csproj)
    {
        var value = Load(csproj)?.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value.Trim();
        return string.IsNullOrEmpty(value) || value.Contains("$(", StringComparison.Ordinal) ? null : value;
    }

    private static XDocument? Load(string csproj)
    {
        try
        {
            return XDocument.Load(csproj);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return null;
        }
    }
}
