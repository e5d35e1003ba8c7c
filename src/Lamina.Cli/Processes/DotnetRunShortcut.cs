using System.Text.RegularExpressions;

namespace Lamina.Cli.Processes;

/// <summary>
/// Starts a built app directly when the compiler command is <c>dotnet run --project P ... -- args</c> and P's build
/// output is newer than every input of P and of the projects it references: <c>dotnet exec bin/…/P.dll args</c> skips
/// MSBuild's up-to-date check of the whole project graph (seconds on a small machine), which is what <c>lamina dev</c>
/// would otherwise pay at every start. Anything else — another command shape, a missing or older build, a
/// <c>--framework</c> or <c>--runtime</c> option — keeps the command as it is, so <c>dotnet run</c> builds.
/// Set <c>LAMINA_NO_SHORTCUT=1</c> to always use the compiler command as written.
/// </summary>
public static partial class DotnetRunShortcut
{
    private static readonly string[] InputExtensions = [".cs", ".csproj", ".props", ".targets", ".json", ".resx"];
    private static readonly string[] AncestorFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    /// <summary>The <c>dotnet exec</c> command for <paramref name="arguments"/> when the build is up to date, else null.</summary>
    /// <param name="arguments">The full command (the compiler command with the app's arguments).</param>
    /// <param name="workingDirectory">Where the command runs.</param>
    public static IReadOnlyList<string>? TryShortcut(IReadOnlyList<string> arguments, string workingDirectory)
    {
        if (arguments.Count < 4 || Path.GetFileNameWithoutExtension(arguments[0]) != "dotnet" || arguments[1] != "run")
        {
            return null;
        }
        string? project = null;
        var configuration = "Debug";
        var separator = -1;
        for (var i = 2; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--":
                    separator = i;
                    i = arguments.Count;
                    break;
                case "--project" or "-p" when i + 1 < arguments.Count:
                    project = arguments[++i];
                    break;
                case "--configuration" or "-c" when i + 1 < arguments.Count:
                    configuration = arguments[++i];
                    break;
                case var a when a.StartsWith("-clp:", StringComparison.Ordinal) || a.StartsWith("-v", StringComparison.Ordinal) || a is "--no-restore" or "--nologo":
                    break;
                default:
                    // --framework, --runtime, --launch-profile, properties, ...: let dotnet run decide.
                    return null;
            }
        }
        if (project is null || separator < 0)
        {
            return null;
        }
        var path = Path.GetFullPath(project, workingDirectory);
        var csproj = Directory.Exists(path) ? Directory.GetFiles(path, "*.csproj").SingleOrDefault() : File.Exists(path) ? path : null;
        if (csproj is null)
        {
            return null;
        }
        var dll = Output(csproj, configuration);
        if (dll is null || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
        {
            return null;
        }
        var built = File.GetLastWriteTimeUtc(dll);
        foreach (var input in Inputs(csproj))
        {
            if (File.GetLastWriteTimeUtc(input) > built)
            {
                return null;
            }
        }
        return ["dotnet", "exec", dll, .. arguments.Skip(separator + 1)];
    }

    private static string? Output(string csproj, string configuration)
    {
        var text = File.ReadAllText(csproj);
        var name = AssemblyName().Match(text) is { Success: true } m ? m.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(csproj);
        var bin = Path.Combine(Path.GetDirectoryName(csproj)!, "bin", configuration);
        if (!Directory.Exists(bin))
        {
            return null;
        }
        return Directory.GetDirectories(bin)
            .Select(d => Path.Combine(d, name + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>The files of the project and of every project it references (transitively), and the shared build files above them.</summary>
    private static IEnumerable<string> Inputs(string csproj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([Path.GetFullPath(csproj)]);
        while (queue.Count > 0)
        {
            var project = queue.Dequeue();
            if (!seen.Add(project) || !File.Exists(project))
            {
                continue;
            }
            var directory = Path.GetDirectoryName(project)!;
            foreach (var file in Files(directory))
            {
                yield return file;
            }
            for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
            {
                foreach (var name in AncestorFiles)
                {
                    var candidate = Path.Combine(d.FullName, name);
                    if (File.Exists(candidate))
                    {
                        yield return candidate;
                    }
                }
            }
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(project)))
            {
                queue.Enqueue(Path.GetFullPath(Path.Combine(directory, reference.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar))));
            }
        }
    }

    private static IEnumerable<string> Files(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (InputExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                yield return file;
            }
        }
        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(sub);
            if (name is "bin" or "obj" or "node_modules" or ".lamina" or ".git" || name.StartsWith('.'))
            {
                continue;
            }
            // A nested project is its own project (reached through a reference, if at all).
            if (Directory.EnumerateFiles(sub, "*.csproj").Any())
            {
                continue;
            }
            foreach (var file in Files(sub))
            {
                yield return file;
            }
        }
    }

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
