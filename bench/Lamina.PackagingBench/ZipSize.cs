using System.Globalization;
using System.IO.Compression;
using Lamina.Aws.Lambda;

namespace Lamina.PackagingBench;

/// <summary>The size of the hello deployment zip (native AOT, linux-x64) and of what it holds.</summary>
internal static class ZipSize
{
    public static int Run(TextWriter output)
    {
        var zip = Bench.PublishHello(DotnetPackaging.NativeAot, Console.Error);
        using var archive = ZipFile.OpenRead(zip);
        var size = new FileInfo(zip).Length;
        output.WriteLine($"deployment zip {Path.GetFileName(zip)}: {Mb(size)} MB ({size} bytes), target < 10 MB");
        foreach (var e in archive.Entries)
        {
            output.WriteLine($"  {e.FullName}: {Mb(e.Length)} MB uncompressed, {Mb(e.CompressedLength)} MB compressed");
        }
        return size < 10 * 1024 * 1024 ? 0 : 1;
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture);
}
