using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.StaticFiles;

namespace Lamina.Local.Storage;

/// <summary>
/// The files of one bucket in disk mode: <c>&lt;root&gt;/&lt;key&gt;</c> holds the content (a <c>/</c> in a key is a
/// subfolder); <c>&lt;root&gt;/.lamina-meta/objects/&lt;sha256 of key&gt;.json</c> holds the content type, metadata and
/// entity tag the engine wrote; <c>&lt;root&gt;/.lamina-meta/tmp</c> holds files being written (then moved into place).
/// </summary>
internal sealed class DiskBucketStore
{
    internal const string MetaFolder = ".lamina-meta";
    private const string DefaultContentType = "binary/octet-stream";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private static readonly string[] TempSuffixes =
        ["~", ".tmp", ".temp", ".swp", ".swo", ".swx", ".part", ".partial", ".crdownload", ".download", ".lock"];
    private static readonly string[] TempPrefixes = [".~lock.", "~$", ".#"];
    private static readonly string[] JunkNames = ["4913", ".DS_Store", "Thumbs.db", "desktop.ini"];

    private readonly string _objectsMeta;
    private readonly string _temp;

    internal DiskBucketStore(string root)
    {
        Root = Path.GetFullPath(root);
        _objectsMeta = Path.Combine(Root, MetaFolder, "objects");
        _temp = Path.Combine(Root, MetaFolder, "tmp");
        Directory.CreateDirectory(_objectsMeta);
        Directory.CreateDirectory(_temp);
    }

    internal string Root { get; }

    /// <summary>Files that editors, browsers and operating systems write while saving: never objects.</summary>
    internal static bool IsTemporaryName(string fileName) =>
        TempSuffixes.Any(s => fileName.EndsWith(s, StringComparison.OrdinalIgnoreCase))
        || TempPrefixes.Any(p => fileName.StartsWith(p, StringComparison.Ordinal))
        || JunkNames.Contains(fileName, StringComparer.Ordinal);

    /// <summary>The key of a path relative to the bucket folder, or null when it is not an object (engine files, temporary files).</summary>
    internal static string? KeyOfRelativePath(string relative)
    {
        if (relative.Length == 0)
        {
            return null;
        }

        var key = Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
        if (key == MetaFolder || key.StartsWith(MetaFolder + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var name = key[(key.LastIndexOf('/') + 1)..];
        return IsTemporaryName(name) ? null : key;
    }

    /// <summary>The file of a key, or an error when the key cannot be a path under the bucket folder.</summary>
    internal string PathOf(string key)
    {
        var segments = key.Split('/');
        var invalid = Path.GetInvalidFileNameChars();
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                throw NotStorable(key, "empty, '.' and '..' path segments (and keys ending with '/') have no file");
            }

            if (segment.IndexOfAny(invalid) >= 0)
            {
                throw NotStorable(key, "it contains a character file names cannot");
            }

            if (Encoding.UTF8.GetByteCount(segment) > 255)
            {
                throw NotStorable(key, "a path segment is longer than 255 bytes");
            }
        }

        if (segments[0] == MetaFolder)
        {
            throw NotStorable(key, $"'{MetaFolder}' is the engine's folder");
        }

        if (IsTemporaryName(segments[^1]))
        {
            throw NotStorable(key, "the file name looks like a temporary file, which the engine ignores on disk");
        }

        return Path.Combine(Root, Path.Combine(segments));
    }

    internal static LocalS3Exception NotStorable(string key, string why) =>
        new("KeyNotStorableOnDisk", $"The key '{key}' cannot be stored as a file under the bucket folder: {why}. Use the in-memory mode for such keys.");

    /// <summary>Writes content atomically (temporary file, then move), making parent folders.</summary>
    internal void WriteObject(string key, string path, ReadOnlySpan<byte> body)
    {
        PrepareParents(key, path);
        if (Directory.Exists(path))
        {
            if (Directory.EnumerateFileSystemEntries(path).Any())
            {
                throw NotStorable(key, "a folder of that name holds other objects");
            }

            Directory.Delete(path);
        }

        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(temp, body.ToArray());
        File.Move(temp, path, overwrite: true);
    }

    private void PrepareParents(string key, string path)
    {
        var parent = Path.GetDirectoryName(path)!;
        for (var folder = parent; folder.Length > Root.Length; folder = Path.GetDirectoryName(folder)!)
        {
            if (File.Exists(folder))
            {
                throw NotStorable(key, $"'{Path.GetRelativePath(Root, folder)}' is an object (a file), so it cannot also be a folder");
            }
        }

        Directory.CreateDirectory(parent);
    }

    internal byte[]? ReadObject(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes an object's file and sidecar, and the folders that became empty.</summary>
    internal void DeleteObject(string key, string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        DeleteSidecar(key);
        for (var folder = Path.GetDirectoryName(path)!; folder.Length > Root.Length; folder = Path.GetDirectoryName(folder)!)
        {
            try
            {
                if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    break;
                }

                Directory.Delete(folder);
            }
            catch (IOException)
            {
                break;
            }
        }
    }

    /// <summary>The content MD5 (lowercase hex) and size of a file, or null when it is missing.</summary>
    internal static (string ETag, long Size)? Fingerprint(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var hash = MD5.HashData(stream);
            return (Convert.ToHexStringLower(hash), stream.Length);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The content type S3's console would give a file of that name.</summary>
    internal static string GuessContentType(string key) =>
        ContentTypes.TryGetContentType(key, out var type) ? type : DefaultContentType;

    /// <summary>Every object file under the bucket folder (keys with '/'), skipping engine and temporary files.</summary>
    internal IEnumerable<string> EnumerateKeys(string relativeFolder = "")
    {
        var start = relativeFolder.Length == 0 ? Root : Path.Combine(Root, relativeFolder);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(start, "*", options))
        {
            if (KeyOfRelativePath(Path.GetRelativePath(Root, file)) is { } key)
            {
                yield return key;
            }
        }
    }

    private string SidecarPath(string key) =>
        Path.Combine(_objectsMeta, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".json");

    internal void WriteSidecar(LocalS3ObjectInfo info)
    {
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        using (var stream = File.Create(temp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("key", info.Key);
            w.WriteString("eTag", info.ETag);
            w.WriteNumber("size", info.Size);
            w.WriteString("lastModified", info.LastModified.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("contentType", info.ContentType);
            w.WriteStartObject("metadata");
            foreach (var (name, value) in info.Metadata)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        File.Move(temp, SidecarPath(info.Key), overwrite: true);
    }

    internal void DeleteSidecar(string key)
    {
        var path = SidecarPath(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>The sidecar of a key, or null when missing, unreadable or for another key.</summary>
    internal LocalS3ObjectInfo? ReadSidecar(string key)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(SidecarPath(key)));
            var root = document.RootElement;
            if (root.GetProperty("key").GetString() != key)
            {
                return null;
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.GetProperty("metadata").EnumerateObject())
            {
                metadata[property.Name] = property.Value.GetString() ?? "";
            }

            return new LocalS3ObjectInfo
            {
                Key = key,
                ETag = root.GetProperty("eTag").GetString()!,
                Size = root.GetProperty("size").GetInt64(),
                LastModified = DateTimeOffset.Parse(root.GetProperty("lastModified").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                ContentType = root.GetProperty("contentType").GetString()!,
                Metadata = metadata,
            };
        }
        catch (Exception error) when (error is IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes sidecars whose object is gone and leftovers of interrupted writes.</summary>
    internal void CleanUp(ICollection<string> keys)
    {
        var live = keys.Select(k => Path.GetFileName(SidecarPath(k))).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_objectsMeta, "*.json"))
        {
            if (!live.Contains(Path.GetFileName(file)))
            {
                TryDelete(file);
            }
        }

        foreach (var file in Directory.EnumerateFiles(_temp))
        {
            TryDelete(file);
        }

        static void TryDelete(string file)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // In use: left for the next start.
            }
        }
    }
}
