using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Lamina.Aws.Packaging;

namespace Lamina.Examples.Tests.Packaging;

public class DeterministicZipTests
{
    private static readonly byte[] Executable = [0x7F, (byte)'E', (byte)'L', (byte)'F', .. Enumerable.Range(0, 5000).Select(i => (byte)(i % 7))];

    private static List<ZipFileEntry> Entries() =>
    [
        new("lib/libz.so", Encoding.UTF8.GetBytes(new string('z', 3000)), DeterministicZip.RegularMode),
        new("bootstrap", Executable, DeterministicZip.ExecutableMode),
        new("appsettings.json", Encoding.UTF8.GetBytes("""{"a":1}"""), DeterministicZip.RegularMode),
        new("empty.txt", Array.Empty<byte>(), DeterministicZip.RegularMode),
        new("Zeta.txt", Encoding.UTF8.GetBytes("upper case sorts before lower case"), DeterministicZip.RegularMode),
    ];

    private static byte[] Zip(IEnumerable<ZipFileEntry> entries)
    {
        var stream = new MemoryStream();
        DeterministicZip.Write(stream, entries);
        return stream.ToArray();
    }

    [Fact]
    public void The_same_entries_give_byte_identical_zips_whatever_their_order()
    {
        var a = Zip(Entries());
        var b = Zip(Entries().AsEnumerable().Reverse());
        Assert.Equal(a, b);
        var changed = Entries();
        changed[2] = changed[2] with { Content = Encoding.UTF8.GetBytes("""{"a":2}""") };
        Assert.NotEqual(a, Zip(changed));
    }

    [Fact]
    public void Entries_are_sorted_ordinally_with_fixed_timestamps_unix_modes_and_no_extra_fields()
    {
        var bytes = Zip(Entries());
        var central = ReadCentralDirectory(bytes);
        Assert.Equal(["Zeta.txt", "appsettings.json", "bootstrap", "empty.txt", "lib/libz.so"], central.Select(e => e.Name));
        foreach (var e in central)
        {
            Assert.Equal(3, e.VersionMadeBy >> 8); // Unix
            Assert.Equal(0, e.ExtraLength);
            Assert.Equal(0, e.CommentLength);
            Assert.Equal(0x0021, e.Date); // 1980-01-01
            Assert.Equal(0, e.Time);
            Assert.Equal(0, e.LocalExtraLength);
            Assert.Equal(0, e.Flags & 0x0008); // no data descriptor
        }
        Assert.Equal(0x81EDu, central.Single(e => e.Name == "bootstrap").ExternalAttributes >> 16);       // regular file, 0755
        Assert.All(central.Where(e => e.Name != "bootstrap"), e => Assert.Equal(0x81A4u, e.ExternalAttributes >> 16)); // 0644
    }

    [Fact]
    public void The_zip_reads_back_with_System_IO_Compression_and_the_same_contents()
    {
        using var archive = new ZipArchive(new MemoryStream(Zip(Entries())), ZipArchiveMode.Read);
        foreach (var expected in Entries())
        {
            var entry = archive.GetEntry(expected.Name)!;
            using var content = new MemoryStream();
            entry.Open().CopyTo(content);
            Assert.Equal(expected.Content.ToArray(), content.ToArray());
            Assert.Equal(new DateTime(1980, 1, 1), entry.LastWriteTime.DateTime);
            Assert.Equal((0x8000 | expected.UnixMode) << 16, entry.ExternalAttributes);
        }
        Assert.Equal(5, archive.Entries.Count);
        Assert.True(archive.GetEntry("lib/libz.so")!.CompressedLength < 3000, "compressible entries are deflated");
    }

    [Fact]
    public void The_unzip_tool_lists_bootstrap_as_executable()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "a.zip");
        DeterministicZip.Write(path, Entries());
        var psi = new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import zipfile,sys,stat\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, stat.filemode(i.external_attr >> 16))", path])
        {
            RedirectStandardOutput = true,
        };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var listing = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("bootstrap -rwxr-xr-x", listing);
        Assert.Contains("lib/libz.so -rw-r--r--", listing);
    }

    [Theory]
    [InlineData("/abs")]
    [InlineData("a/../b")]
    [InlineData("dir/")]
    [InlineData("a\\b")]
    [InlineData("")]
    public void Invalid_names_are_refused(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => Zip([new ZipFileEntry(name, new byte[1], DeterministicZip.RegularMode)]));
        Assert.Contains("relative path with forward slashes", e.Message);
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Zip([new("a", new byte[1], 0x1A4), new("a", new byte[2], 0x1A4)]));
        Assert.Contains("duplicate entry 'a'", e.Message);
    }

    private sealed record CentralEntry(string Name, int VersionMadeBy, int Flags, int Time, int Date, int ExtraLength, int CommentLength, uint ExternalAttributes, int LocalExtraLength);

    /// <summary>Reads the central directory by hand (ZipArchive hides extra fields and "version made by").</summary>
    private static List<CentralEntry> ReadCentralDirectory(byte[] zip)
    {
        var end = zip.Length - 22;
        Assert.Equal(0x06054b50u, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end)));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));
        var list = new List<CentralEntry>();
        for (var i = 0; i < count; i++)
        {
            var h = zip.AsSpan(offset);
            Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(h));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            int extra = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
            int comment = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
            var localOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(h[42..]);
            Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(localOffset)));
            list.Add(new CentralEntry(
                Encoding.UTF8.GetString(h.Slice(46, nameLength)),
                BinaryPrimitives.ReadUInt16LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[12..]),
                BinaryPrimitives.ReadUInt16LittleEndian(h[14..]),
                extra,
                comment,
                BinaryPrimitives.ReadUInt32LittleEndian(h[38..]),
                BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(localOffset + 28))));
            offset += 46 + nameLength + extra + comment;
        }
        return list;
    }
}
