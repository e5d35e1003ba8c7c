using System.Text;
using Lamina.Aws.Packaging;
using Lamina.Configuration;

namespace Lamina.Examples.Tests;

/// <summary>Paths and apps shared by the tests.</summary>
internal static class Repo
{
    /// <summary>The repository root (the folder of Constructs.sln).</summary>
    public static string Root { get; } = FindRoot();

    public static App App(string root, bool bundle, string? output = null) => new(new AppOptions
    {
        ProjectName = "hello",
        StackName = "dev",
        Config = StackConfigSource.FromValues(("aws:region", "us-east-1")),
        Bundle = bundle,
        RootDirectory = root,
        OutputDirectory = output,
    });

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("Constructs.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lamina-test-" + Guid.NewGuid().ToString("N")[..12]);

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A fake <c>dotnet</c>: answers <c>--version</c>, and for <c>publish</c> writes what a native AOT publish of the project
/// writes into the <c>-o</c> folder (the executable, its .dbg symbols, a referenced library's .pdb, a native library).
/// </summary>
internal sealed class FakeDotnet : IProcessRunner
{
    public List<ProcessSpec> Calls { get; } = new();

    public int PublishExitCode { get; set; }

    public string SdkVersion { get; set; } = "10.0.100";

    /// <summary>The executable name the fake publish writes (the project's assembly name).</summary>
    public string? ExecutableName { get; set; }

    public IEnumerable<ProcessSpec> Publishes => Calls.Where(c => c.Arguments.Count > 0 && c.Arguments[0] == "publish");

    public ProcessResult Run(ProcessSpec spec)
    {
        Calls.Add(spec);
        if (spec.Arguments is ["--version"])
        {
            return new ProcessResult(0, SdkVersion + "\n");
        }
        if (spec.Arguments[0] != "publish")
        {
            return new ProcessResult(1, "unexpected command " + spec);
        }
        if (PublishExitCode != 0)
        {
            return new ProcessResult(PublishExitCode, "  Determining projects to restore...\n/src/Handler.cs(3,1): error CS1002: ; expected\n");
        }
        var output = spec.Arguments[spec.Arguments.ToList().IndexOf("-o") + 1];
        var name = ExecutableName ?? System.IO.Path.GetFileNameWithoutExtension(spec.Arguments[1]);
        Directory.CreateDirectory(System.IO.Path.Combine(output, "native"));
        File.WriteAllBytes(System.IO.Path.Combine(output, name), [0x7F, (byte)'E', (byte)'L', (byte)'F', .. Encoding.UTF8.GetBytes(string.Join(' ', spec.Arguments))]);
        File.WriteAllText(System.IO.Path.Combine(output, name + ".dbg"), "symbols");
        File.WriteAllText(System.IO.Path.Combine(output, "Lamina.Lambda.pdb"), "pdb");
        File.WriteAllText(System.IO.Path.Combine(output, "native", "libextra.so"), "native library");
        return new ProcessResult(0, "");
    }
}

/// <summary>A toolchain probe with fixed answers per runtime identifier.</summary>
internal sealed class FakeToolchains(params (string Rid, AotToolchain Toolchain)[] answers) : IAotToolchainProbe
{
    public AotToolchain Probe(string rid) => answers.FirstOrDefault(a => a.Rid == rid).Toolchain
        ?? new AotToolchain { Available = true, Description = "gcc" };

    public static FakeToolchains WithoutArm64() => new(("linux-arm64", new AotToolchain
    {
        Available = false,
        Description = "a cross toolchain for linux-arm64, and this machine lacks clang",
    }));
}
