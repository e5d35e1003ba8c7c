using System.Globalization;
using System.IO.Compression;
using Hello.Handlers;
using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Configuration;

namespace Lamina.PackagingBench;

/// <summary>Shared helpers: the repository, the published hello bootstrap, statistics.</summary>
internal static class Bench
{
    public static string Root { get; } = FindRoot();

    public static App NewApp(bool bundle, string? outputDirectory = null) => new(new AppOptions
    {
        ProjectName = "hello",
        StackName = "dev",
        Config = StackConfigSource.FromValues(("aws:region", "us-east-1")),
        Bundle = bundle,
        RootDirectory = Root,
        OutputDirectory = outputDirectory,
    });

    /// <summary>Publishes (or reuses) Hello.Handlers for <paramref name="packaging"/> and returns the zip's full path.</summary>
    public static string PublishHello(DotnetPackaging packaging, TextWriter log)
    {
        var app = NewApp(bundle: true);
        var bundler = DotnetBundler.For(app);
        bundler.Log = log;
        new Function<HelloHandler>(new Stack(app, "hello"), "HelloDotnet", new() { Packaging = packaging });
        if (app.AllDiagnostics.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", app.AllDiagnostics));
        }
        return Path.Combine(Root, bundler.Builds.Single().ZipPath);
    }

    /// <summary>Extracts <paramref name="zip"/> into a new temporary folder with the modes it records; returns the folder.</summary>
    public static string Extract(string zip)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lamina-bench-" + Guid.NewGuid().ToString("N")[..8]);
        using var archive = ZipFile.OpenRead(zip);
        foreach (var entry in archive.Entries)
        {
            var target = Path.Combine(dir, entry.FullName);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(target, (UnixFileMode)((entry.ExternalAttributes >> 16) & 0x1FF));
            }
        }
        return dir;
    }

    public static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }

    public static string MachineLine() =>
        $"{Environment.ProcessorCount} CPUs, .NET {Environment.Version}, load average {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>min / median / p90 / max of <paramref name="values"/> (nearest rank), formatted with <paramref name="unit"/>.</summary>
    public static string Summary(IReadOnlyCollection<double> values, string unit, string format = "0.0")
    {
        var s = values.OrderBy(v => v).ToArray();
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        double Rank(double p) => s[Math.Clamp((int)Math.Ceiling(p * s.Length) - 1, 0, s.Length - 1)];
        return $"min {F(s[0])} {unit}, median {F(Rank(0.5))} {unit}, p90 {F(Rank(0.9))} {unit}, max {F(s[^1])} {unit} (n={s.Length})";
    }

    /// <summary>CPU time (user + system) of process <paramref name="pid"/> from /proc, in milliseconds, or NaN.</summary>
    public static double ProcessCpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
            {
                return d.FullName;
            }
        }
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("run from inside the repository (Constructs.sln not found)");
    }
}
