using System.Security.Cryptography;
using System.Text;

namespace Lamina.Local.Storage;

/// <summary>
/// A bucket of a <see cref="LocalS3"/> engine (unversioned): objects in memory, or files under the bucket's folder in
/// disk mode. Every operation is thread-safe and takes effect at once; notifications it causes are queued on the
/// engine and delivered by its pump.
/// </summary>
public sealed class LocalBucket
{
    private const string DefaultContentType = "binary/octet-stream";

    private readonly LocalS3 _s3;
    private readonly object _gate = new();
    private readonly Dictionary<string, Stored> _objects = new(StringComparer.Ordinal);
    private readonly List<string> _sorted = [];
    private readonly DiskBucketStore? _disk;
    private LocalBucketNotification[] _notifications = [];

    internal LocalBucket(LocalS3 s3, string name, DiskBucketStore? disk)
    {
        _s3 = s3;
        Name = name;
        _disk = disk;
        if (disk is not null)
        {
            Load(disk);
        }
    }

    /// <summary>The bucket's name.</summary>
    public string Name { get; }

    /// <summary>The bucket's ARN, <c>arn:aws:s3:::name</c>.</summary>
    public string Arn => "arn:aws:s3:::" + Name;

    /// <summary>The bucket's folder in disk mode, or null in memory mode.</summary>
    public string? Directory => _disk?.Root;

    /// <summary>How many objects the bucket holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _objects.Count;
            }
        }
    }

    /// <summary>The notification configurations, in the order they were added (with their configuration ids).</summary>
    public IReadOnlyList<LocalBucketNotification> Notifications => Volatile.Read(ref _notifications);

    internal object Gate => _gate;

    /// <summary>
    /// Stores an object (replacing any object of that key) and queues <c>ObjectCreated:Put</c> notifications.
    /// </summary>
    /// <param name="key">The key: 1 to 1024 bytes of UTF-8 (in disk mode, also a valid relative file path).</param>
    /// <param name="body">The content (copied).</param>
    /// <param name="contentType">The content type; null for S3's default <c>binary/octet-stream</c>.</param>
    /// <param name="metadata">User metadata (names are stored lower-case, as S3 returns them); at most 2 KB.</param>
    /// <returns>The stored object.</returns>
    /// <exception cref="LocalS3Exception">The key or metadata is invalid, or disk mode cannot store the key.</exception>
    public Task<LocalS3Object> PutObjectAsync(string key, ReadOnlyMemory<byte> body, string? contentType = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        try
        {
            return Task.FromResult(Put(key, body, contentType, S3Rules.CopyMetadata(metadata), "ObjectCreated:Put"));
        }
        catch (Exception error)
        {
            return Task.FromException<LocalS3Object>(error);
        }
    }

    /// <summary>Reads an object.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The object, or null when there is none (S3's <c>NoSuchKey</c>).</returns>
    public Task<LocalS3Object?> GetObjectAsync(string key)
    {
        try
        {
            return Task.FromResult(Get(key));
        }
        catch (Exception error)
        {
            return Task.FromException<LocalS3Object?>(error);
        }
    }

    /// <summary>An object's metadata without its content (<c>HeadObject</c>).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The metadata, or null when there is no such object.</returns>
    public LocalS3ObjectInfo? Head(string key)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(key, out var stored) ? stored.Info : null;
        }
    }

    /// <summary>
    /// Lists objects with <c>ListObjectsV2</c> semantics: keys in UTF-8 byte order, filtered by
    /// <paramref name="prefix"/>; with a <paramref name="delimiter"/>, keys that contain it after the prefix are rolled
    /// up into <see cref="LocalS3ListResult.CommonPrefixes"/>; each object and common prefix counts towards
    /// <paramref name="maxKeys"/>.
    /// </summary>
    /// <param name="prefix">Only keys starting with it.</param>
    /// <param name="delimiter">The roll-up delimiter (usually <c>/</c>); null or empty for none.</param>
    /// <param name="maxKeys">Page size, 0 to 1000 (larger values are capped at 1000, as S3 does).</param>
    /// <param name="startAfter">Only keys after it (ignored when <paramref name="continuationToken"/> is given).</param>
    /// <param name="continuationToken">The <see cref="LocalS3ListResult.NextContinuationToken"/> of the previous page.</param>
    /// <returns>The page.</returns>
    /// <exception cref="LocalS3Exception"><c>InvalidArgument</c>: negative <paramref name="maxKeys"/> or a token this bucket did not issue.</exception>
    public LocalS3ListResult List(string? prefix = null, string? delimiter = null, int maxKeys = 1000, string? startAfter = null,
        string? continuationToken = null)
    {
        if (maxKeys < 0)
        {
            throw new LocalS3Exception("InvalidArgument", "max-keys must be between 0 and 1000.");
        }

        maxKeys = Math.Min(maxKeys, 1000);
        prefix ??= "";
        var separator = string.IsNullOrEmpty(delimiter) ? null : delimiter;
        string? after = startAfter;
        string? skipPrefix = null;
        if (continuationToken is not null)
        {
            (after, var isPrefix) = DecodeToken(continuationToken);
            skipPrefix = isPrefix ? after : null;
        }

        var contents = new List<LocalS3ObjectInfo>();
        var prefixes = new List<string>();
        if (maxKeys == 0)
        {
            return new LocalS3ListResult(contents, prefixes, false, null);
        }

        lock (_gate)
        {
            var i = LowerBound(prefix);
            if (after is not null)
            {
                i = Math.Max(i, UpperBound(after));
            }

            if (skipPrefix is not null)
            {
                while (i < _sorted.Count && _sorted[i].StartsWith(skipPrefix, StringComparison.Ordinal))
                {
                    i++;
                }
            }

            string? last = null;
            var lastIsPrefix = false;
            var truncated = false;
            while (i < _sorted.Count)
            {
                var key = _sorted[i];
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    break;
                }

                if (contents.Count + prefixes.Count == maxKeys)
                {
                    truncated = true;
                    break;
                }

                var cut = separator is null ? -1 : key.IndexOf(separator, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    var common = key[..(cut + separator!.Length)];
                    prefixes.Add(common);
                    (last, lastIsPrefix) = (common, true);
                    while (i < _sorted.Count && _sorted[i].StartsWith(common, StringComparison.Ordinal))
                    {
                        i++;
                    }

                    continue;
                }

                contents.Add(_objects[key].Info);
                (last, lastIsPrefix) = (key, false);
                i++;
            }

            return new LocalS3ListResult(contents, prefixes, truncated, truncated ? EncodeToken(last!, lastIsPrefix) : null);
        }
    }

    /// <summary>Deletes an object and queues <c>ObjectRemoved:Delete</c> notifications when there was one.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether an object was deleted (S3 answers 204 either way).</returns>
    public Task<bool> DeleteObjectAsync(string key)
    {
        try
        {
            S3Rules.ValidateKey(key);
            lock (_gate)
            {
                if (!_objects.Remove(key))
                {
                    return Task.FromResult(false);
                }

                _sorted.RemoveAt(_sorted.BinarySearch(key, Utf8KeyComparer.Instance));
                if (_disk is not null)
                {
                    _disk.DeleteObject(key, FilePath(key));
                }

                _s3.Emit(this, key, "ObjectRemoved:Delete", null, null, fromFileSystem: false);
                return Task.FromResult(true);
            }
        }
        catch (Exception error)
        {
            return Task.FromException<bool>(error);
        }
    }

    /// <summary>
    /// Copies an object (<c>CopyObject</c>) and queues <c>ObjectCreated:Copy</c> notifications on the destination.
    /// </summary>
    /// <param name="sourceKey">The key of the object in this bucket.</param>
    /// <param name="destinationKey">The new key.</param>
    /// <param name="destinationBucket">The destination bucket's name; null for this bucket.</param>
    /// <param name="contentType">The new content type; null to keep the source's.</param>
    /// <param name="metadata">New user metadata (S3's <c>REPLACE</c> directive); null to copy the source's (<c>COPY</c>).</param>
    /// <returns>The copy.</returns>
    /// <exception cref="LocalS3Exception">
    /// <c>NoSuchKey</c>; <c>NoSuchBucket</c>; <c>InvalidRequest</c> when copying an object onto itself without changing anything.
    /// </exception>
    public async Task<LocalS3ObjectInfo> CopyObjectAsync(string sourceKey, string destinationKey, string? destinationBucket = null,
        string? contentType = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var target = destinationBucket is null ? this : _s3.GetBucket(destinationBucket);
        if (ReferenceEquals(target, this) && string.Equals(sourceKey, destinationKey, StringComparison.Ordinal)
            && contentType is null && metadata is null)
        {
            throw new LocalS3Exception("InvalidRequest",
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata or content type.");
        }

        var source = await GetObjectAsync(sourceKey).ConfigureAwait(false)
            ?? throw new LocalS3Exception("NoSuchKey", $"The specified key does not exist: '{sourceKey}'.");
        var copy = target.Put(destinationKey, source.Body, contentType ?? source.ContentType,
            metadata is null ? new Dictionary<string, string>(source.Metadata, StringComparer.Ordinal) : S3Rules.CopyMetadata(metadata),
            "ObjectCreated:Copy");
        return Info(copy);
    }

    internal void SetNotifications(LocalBucketNotification[] notifications) => Volatile.Write(ref _notifications, notifications);

    private LocalS3Object Put(string key, ReadOnlyMemory<byte> body, string? contentType, Dictionary<string, string> metadata, string eventName)
    {
        S3Rules.ValidateKey(key);
        var etag = Convert.ToHexStringLower(MD5.HashData(body.Span));
        lock (_gate)
        {
            var info = new LocalS3ObjectInfo
            {
                Key = key,
                Size = body.Length,
                ETag = etag,
                LastModified = _s3.Now,
                ContentType = contentType ?? DefaultContentType,
                Metadata = metadata,
            };
            byte[]? copy = null;
            if (_disk is not null)
            {
                _disk.WriteObject(key, _disk.PathOf(key), body.Span);
                _disk.WriteSidecar(info);
            }
            else
            {
                copy = body.ToArray();
            }

            Upsert(new Stored(info, copy));
            _s3.Emit(this, key, eventName, info.Size, info.ETag, fromFileSystem: false);
            return WithBody(info, copy ?? body.ToArray());
        }
    }

    private LocalS3Object? Get(string key)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue(key, out var stored))
            {
                return null;
            }

            if (_disk is null)
            {
                return WithBody(stored.Info, stored.Body!);
            }

            // The file may have been edited since the engine last looked at it; serve what is there now.
            if (_disk.ReadObject(FilePath(key)) is not { } bytes)
            {
                return null;
            }

            var etag = Convert.ToHexStringLower(MD5.HashData(bytes));
            var info = etag == stored.Info.ETag ? stored.Info : stored.Info with { ETag = etag, Size = bytes.Length };
            return WithBody(info, bytes);
        }
    }

    /// <summary>
    /// Disk mode: compares the files under a path (relative to the bucket folder; empty for all) with the index and
    /// applies the differences as puts and deletes from the file system, queuing their notifications.
    /// </summary>
    /// <returns>How many objects changed.</returns>
    internal int Reconcile(string relative)
    {
        var disk = _disk!;
        lock (_gate)
        {
            var changes = 0;
            var full = relative.Length == 0 ? disk.Root : Path.Combine(disk.Root, relative);
            var relativeKey = relative.Length == 0 ? "" : relative.Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Length == 0 || System.IO.Directory.Exists(full))
            {
                var found = disk.EnumerateKeys(relative).ToHashSet(StringComparer.Ordinal);
                foreach (var key in found.Order(Utf8KeyComparer.Instance))
                {
                    changes += ReconcileKey(disk, key);
                }

                var under = relativeKey.Length == 0 ? "" : relativeKey + "/";
                foreach (var key in KeysUnder(under).Where(k => !found.Contains(k)).ToList())
                {
                    changes += ReconcileKey(disk, key);
                }

                return changes;
            }

            if (DiskBucketStore.KeyOfRelativePath(relative) is { } single)
            {
                changes += ReconcileKey(disk, single);
            }

            // A folder that was deleted or moved away takes its objects with it.
            foreach (var key in KeysUnder(relativeKey + "/").ToList())
            {
                changes += ReconcileKey(disk, key);
            }

            return changes;
        }
    }

    private int ReconcileKey(DiskBucketStore disk, string key)
    {
        var known = _objects.TryGetValue(key, out var stored) ? stored.Info : null;
        var fingerprint = DiskBucketStore.Fingerprint(FilePath(key));
        if (fingerprint is not { } current)
        {
            if (known is null)
            {
                return 0;
            }

            _objects.Remove(key);
            _sorted.RemoveAt(_sorted.BinarySearch(key, Utf8KeyComparer.Instance));
            disk.DeleteSidecar(key);
            _s3.Emit(this, key, "ObjectRemoved:Delete", null, null, fromFileSystem: true);
            return 1;
        }

        if (known is not null && known.ETag == current.ETag && known.Size == current.Size)
        {
            return 0;
        }

        var info = new LocalS3ObjectInfo
        {
            Key = key,
            Size = current.Size,
            ETag = current.ETag,
            LastModified = _s3.Now,
            ContentType = DiskBucketStore.GuessContentType(key),
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal),
        };
        disk.WriteSidecar(info);
        Upsert(new Stored(info, null));
        _s3.Emit(this, key, "ObjectCreated:Put", info.Size, info.ETag, fromFileSystem: true);
        return 1;
    }

    private void Load(DiskBucketStore disk)
    {
        foreach (var key in disk.EnumerateKeys())
        {
            var path = FilePath(key);
            if (DiskBucketStore.Fingerprint(path) is not { } current)
            {
                continue;
            }

            var info = disk.ReadSidecar(key) is { } saved && saved.ETag == current.ETag && saved.Size == current.Size
                ? saved
                : new LocalS3ObjectInfo
                {
                    Key = key,
                    Size = current.Size,
                    ETag = current.ETag,
                    LastModified = TruncateToMilliseconds(new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero)),
                    ContentType = DiskBucketStore.GuessContentType(key),
                    Metadata = new Dictionary<string, string>(StringComparer.Ordinal),
                };
            Upsert(new Stored(info, null));
        }

        disk.CleanUp(_objects.Keys);
    }

    private string FilePath(string key) =>
        Path.Combine(_disk!.Root, Path.DirectorySeparatorChar == '/' ? key : key.Replace('/', Path.DirectorySeparatorChar));

    private IEnumerable<string> KeysUnder(string prefix)
    {
        for (var i = LowerBound(prefix); i < _sorted.Count && _sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return _sorted[i];
        }
    }

    private void Upsert(Stored stored)
    {
        var key = stored.Info.Key;
        if (!_objects.ContainsKey(key))
        {
            var index = _sorted.BinarySearch(key, Utf8KeyComparer.Instance);
            _sorted.Insert(~index, key);
        }

        _objects[key] = stored;
    }

    /// <summary>The index of the first key not less than <paramref name="key"/>.</summary>
    private int LowerBound(string key)
    {
        var index = _sorted.BinarySearch(key, Utf8KeyComparer.Instance);
        return index >= 0 ? index : ~index;
    }

    /// <summary>The index of the first key greater than <paramref name="key"/>.</summary>
    private int UpperBound(string key)
    {
        var index = _sorted.BinarySearch(key, Utf8KeyComparer.Instance);
        return index >= 0 ? index + 1 : ~index;
    }

    private string EncodeToken(string last, bool isPrefix) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes((isPrefix ? "P" : "K") + Name + "\n" + last));

    private (string After, bool IsPrefix) DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline > 0 && text[0] is 'P' or 'K' && text.AsSpan(1, newline - 1).SequenceEqual(Name))
            {
                return (text[(newline + 1)..], text[0] == 'P');
            }
        }
        catch (FormatException)
        {
        }

        throw new LocalS3Exception("InvalidArgument", "The continuation token provided is incorrect.");
    }

    internal static DateTimeOffset TruncateToMilliseconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private static LocalS3ObjectInfo Info(LocalS3ObjectInfo info) => new()
    {
        Key = info.Key,
        Size = info.Size,
        ETag = info.ETag,
        LastModified = info.LastModified,
        ContentType = info.ContentType,
        Metadata = info.Metadata,
    };

    private static LocalS3Object WithBody(LocalS3ObjectInfo info, ReadOnlyMemory<byte> body) => new()
    {
        Key = info.Key,
        Size = info.Size,
        ETag = info.ETag,
        LastModified = info.LastModified,
        ContentType = info.ContentType,
        Metadata = info.Metadata,
        Body = body,
    };

    private sealed record Stored(LocalS3ObjectInfo Info, byte[]? Body);
}
