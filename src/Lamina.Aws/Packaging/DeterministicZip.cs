using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Lamina.Aws.Packaging;

/// <summary>One file of a <see cref="DeterministicZip"/>.</summary>
/// <param name="Name">The entry name: a relative path with forward slashes, such as <c>bootstrap</c> or <c>lib/a.so</c>.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="UnixMode">The permission bits, such as <c>0755</c> (octal; pass <see cref="DeterministicZip.ExecutableMode"/> or <see cref="DeterministicZip.RegularMode"/>).</param>
public sealed record ZipFileEntry(string Name, ReadOnlyMemory<byte> Content, int UnixMode);

/// <summary>
/// Writes zip archives that depend only on their entries: the same files give byte-identical zips on every
/// machine and every run, so Pulumi (which hashes the archive) sees no change when nothing changed.
/// </summary>
/// <remarks>
/// Rules: entries sorted ordinally by name; every timestamp 1980-01-01 00:00 (the earliest DOS date); no extra
/// fields, comments or data descriptors; "version made by" Unix, with the Unix mode (regular file, plus
/// <see cref="ZipFileEntry.UnixMode"/>) in the high 16 bits of the external attributes, which is where Lambda reads
/// the executable bit of <c>bootstrap</c>; deflate (or stored when deflate does not shrink the file); no
/// directory entries. Zip64 is not written: files and archives over 4 GiB, or more than 65,535 entries, are refused
/// (Lambda's own limits are far below).
/// </remarks>
/// <example>
/// <code>
/// DeterministicZip.Write("out.zip", [
///     new ZipFileEntry("bootstrap", File.ReadAllBytes("publish/MyApp"), DeterministicZip.ExecutableMode),
///     new ZipFileEntry("appsettings.json", File.ReadAllBytes("publish/appsettings.json"), DeterministicZip.RegularMode),
/// ]);
/// </code>
/// </example>
public static class DeterministicZip
{
    /// <summary><c>rwxr-xr-x</c> (0755): executables such as <c>bootstrap</c>.</summary>
    public const int ExecutableMode = 0b111_101_101;

    /// <summary><c>rw-r--r--</c> (0644): every other file.</summary>
    public const int RegularMode = 0b110_100_100;

    /// <summary>The timestamp of every entry: 1980-01-01 00:00:00, DOS date 0x0021, time 0.</summary>
    public static readonly DateTime Timestamp = new(1980, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private const ushort DosDate = (0 << 9) | (1 << 5) | 1;
    private const ushort DosTime = 0;
    private const ushort VersionNeeded = 20;
    private const ushort VersionMadeBy = (3 << 8) | 20; // 3 = Unix
    private const int RegularFileType = 0x8000; // S_IFREG

    /// <summary>Writes the archive to <paramref name="path"/> (through a temporary file, replaced at the end).</summary>
    public static void Write(string path, IEnumerable<ZipFileEntry> entries)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Write(stream, entries);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes the archive to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">An invalid or duplicate name, a negative mode, or a size beyond the zip (non-Zip64) limits.</exception>
    public static void Write(Stream output, IEnumerable<ZipFileEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (sorted.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"{sorted.Count} entries: at most 65,535 are supported", nameof(entries));
        }
        for (var i = 0; i < sorted.Count; i++)
        {
            Validate(sorted[i]);
            if (i > 0 && sorted[i].Name == sorted[i - 1].Name)
            {
                throw new ArgumentException($"duplicate entry '{sorted[i].Name}'", nameof(entries));
            }
        }

        var central = new MemoryStream();
        long offset = 0;
        Span<byte> local = stackalloc byte[30];
        Span<byte> header = stackalloc byte[46];
        foreach (var entry in sorted)
        {
            var name = Encoding.UTF8.GetBytes(entry.Name);
            var flags = (ushort)(entry.Name.Any(c => c > 0x7F) ? 0x0800 : 0); // bit 11: UTF-8 name
            var data = entry.Content.Span;
            var crc = Crc32.Compute(data);
            var (method, compressed) = Compress(entry.Content);
            if (offset + compressed.Length > uint.MaxValue)
            {
                throw new ArgumentException($"'{entry.Name}' does not fit in a zip without Zip64 (4 GiB limit)", nameof(entries));
            }

            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local[4..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(local[6..], flags);
            BinaryPrimitives.WriteUInt16LittleEndian(local[8..], method);
            BinaryPrimitives.WriteUInt16LittleEndian(local[10..], DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(local[12..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(local[14..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(local[18..], (uint)compressed.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local[22..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local[26..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(local[28..], 0); // no extra field
            output.Write(local);
            output.Write(name);
            output.Write(compressed.Span);

            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], VersionMadeBy);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], VersionNeeded);
            BinaryPrimitives.WriteUInt16LittleEndian(header[8..], flags);
            BinaryPrimitives.WriteUInt16LittleEndian(header[10..], method);
            BinaryPrimitives.WriteUInt16LittleEndian(header[12..], DosTime);
            BinaryPrimitives.WriteUInt16LittleEndian(header[14..], DosDate);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)compressed.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[30..], 0); // extra field length
            BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 0); // comment length
            BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 0); // disk number
            BinaryPrimitives.WriteUInt16LittleEndian(header[36..], 0); // internal attributes
            BinaryPrimitives.WriteUInt32LittleEndian(header[38..], (uint)(RegularFileType | entry.UnixMode) << 16);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], (uint)offset);
            central.Write(header);
            central.Write(name);

            offset += local.Length + name.Length + compressed.Length;
        }

        if (offset > uint.MaxValue || central.Length > uint.MaxValue)
        {
            throw new ArgumentException("the archive does not fit in a zip without Zip64 (4 GiB limit)", nameof(entries));
        }
        central.Position = 0;
        central.CopyTo(output);

        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[4..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(end[6..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)sorted.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)sorted.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)offset);
        BinaryPrimitives.WriteUInt16LittleEndian(end[20..], 0);
        output.Write(end);
        output.Flush();
    }

    private static void Validate(ZipFileEntry entry)
    {
        var n = entry.Name;
        if (string.IsNullOrEmpty(n) || n.StartsWith('/') || n.EndsWith('/') || n.Contains('\\') || n.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new ArgumentException($"entry name '{n}' must be a relative path with forward slashes, without empty, '.' or '..' segments", nameof(entry));
        }
        if (entry.UnixMode is < 0 or > 0xFFF)
        {
            throw new ArgumentException($"unix mode of '{n}' must be between 0 and 07777 (octal)", nameof(entry));
        }
    }

    private static (ushort Method, ReadOnlyMemory<byte> Data) Compress(ReadOnlyMemory<byte> data)
    {
        if (data.Length == 0)
        {
            return (0, data);
        }
        var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data.Span);
        }
        return buffer.Length < data.Length ? ((ushort)8, buffer.GetBuffer().AsMemory(0, (int)buffer.Length)) : ((ushort)0, data);
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip requires.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Compute(ReadOnlySpan<byte> data)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
            return ~crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                var c = i;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }
                table[i] = c;
            }
            return table;
        }
    }
}
