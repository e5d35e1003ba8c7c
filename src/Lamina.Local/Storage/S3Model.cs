using System.Collections;

namespace Lamina.Local.Storage;

/// <summary>Options of a <see cref="LocalS3"/> engine.</summary>
public sealed record LocalS3Options
{
    /// <summary>The region put into the <c>awsRegion</c> of event records.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// Null to keep objects in memory; otherwise a folder holding one folder per bucket, each object a file at
    /// <c>RootDirectory/&lt;bucket&gt;/&lt;key&gt;</c> (a <c>/</c> in a key is a subfolder), with content types and
    /// user metadata in the bucket's <c>.lamina-meta</c> folder.
    /// </summary>
    public string? RootDirectory { get; init; }

    /// <summary>The <c>userIdentity.principalId</c> of event records (who made the request).</summary>
    public string PrincipalId { get; init; } = "AWS:AIDALAMINALOCALUSER";

    /// <summary>The <c>bucket.ownerIdentity.principalId</c> of event records.</summary>
    public string OwnerPrincipalId { get; init; } = "A1LAMINALOCALOWNER";

    /// <summary>The <c>requestParameters.sourceIPAddress</c> of event records.</summary>
    public string SourceIPAddress { get; init; } = "127.0.0.1";

    /// <summary>
    /// Disk mode with <see cref="LocalS3.StartWatching"/>: how long a path must stay quiet after a file-system event
    /// before the engine looks at it (measured on the engine's clock).
    /// </summary>
    public TimeSpan WatchDebounce { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Seed of request ids and generated configuration ids (same seed and operations, same ids).</summary>
    public ulong IdSeed { get; init; }
}

/// <summary>An object's metadata, as <c>HeadObject</c> and <c>ListObjectsV2</c> report it.</summary>
public record LocalS3ObjectInfo
{
    /// <summary>The key.</summary>
    public required string Key { get; init; }

    /// <summary>The size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The entity tag: the lowercase hex MD5 of the content, without the quotes S3's HTTP headers add.</summary>
    public required string ETag { get; init; }

    /// <summary>When the object was written (engine clock, whole milliseconds).</summary>
    public required DateTimeOffset LastModified { get; init; }

    /// <summary>The content type (S3's default for a put without one is <c>binary/octet-stream</c>).</summary>
    public required string ContentType { get; init; }

    /// <summary>User metadata (<c>x-amz-meta-*</c> without the prefix).</summary>
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
}

/// <summary>An object with its content, as <c>GetObject</c> returns it.</summary>
public sealed record LocalS3Object : LocalS3ObjectInfo
{
    /// <summary>The content.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }
}

/// <summary>
/// One page of <see cref="LocalBucket.List"/>, with <c>ListObjectsV2</c>'s fields. Enumerating it enumerates
/// <see cref="Contents"/>.
/// </summary>
public sealed class LocalS3ListResult : IReadOnlyList<LocalS3ObjectInfo>
{
    internal LocalS3ListResult(IReadOnlyList<LocalS3ObjectInfo> contents, IReadOnlyList<string> commonPrefixes, bool isTruncated,
        string? nextContinuationToken)
    {
        Contents = contents;
        CommonPrefixes = commonPrefixes;
        IsTruncated = isTruncated;
        NextContinuationToken = nextContinuationToken;
    }

    /// <summary>The objects of the page, in UTF-8 byte order of keys.</summary>
    public IReadOnlyList<LocalS3ObjectInfo> Contents { get; }

    /// <summary>The rolled-up prefixes (prefix + text up to and including the first delimiter after it), in order.</summary>
    public IReadOnlyList<string> CommonPrefixes { get; }

    /// <summary>Whether more results follow (pass <see cref="NextContinuationToken"/> to get them).</summary>
    public bool IsTruncated { get; }

    /// <summary>The token of the next page, or null when the listing is complete.</summary>
    public string? NextContinuationToken { get; }

    /// <summary><c>KeyCount</c>: objects plus common prefixes on this page.</summary>
    public int KeyCount => Contents.Count + CommonPrefixes.Count;

    /// <inheritdoc />
    public int Count => Contents.Count;

    /// <inheritdoc />
    public LocalS3ObjectInfo this[int index] => Contents[index];

    /// <inheritdoc />
    public IEnumerator<LocalS3ObjectInfo> GetEnumerator() => Contents.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A bucket notification configuration whose destination is a function (S3 invokes Lambda asynchronously with the
/// event JSON).
/// </summary>
public sealed record LocalBucketNotification
{
    /// <summary>
    /// The event types, e.g. <c>s3:ObjectCreated:*</c>, <c>s3:ObjectCreated:Put</c>, <c>s3:ObjectCreated:Copy</c>,
    /// <c>s3:ObjectRemoved:*</c>, <c>s3:ObjectRemoved:Delete</c>. Any S3 event type is accepted; the engine emits
    /// <c>ObjectCreated:Put</c>, <c>ObjectCreated:Copy</c> and <c>ObjectRemoved:Delete</c>.
    /// </summary>
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary>Key prefix filter, matched against the raw (decoded) key; null or empty matches every key.</summary>
    public string? Prefix { get; init; }

    /// <summary>Key suffix filter, matched against the raw (decoded) key; null or empty matches every key.</summary>
    public string? Suffix { get; init; }

    /// <summary>
    /// The destination: receives the S3 event JSON (<c>{"Records":[...]}</c>, one record) and the engine's lifetime
    /// token. Throwing or a faulted task is recorded in <see cref="LocalS3.FailedDeliveries"/>; retrying is the
    /// Lambda host's business, not S3's.
    /// </summary>
    public required Func<ReadOnlyMemory<byte>, CancellationToken, Task> Target { get; init; }

    /// <summary>The configuration id (the record's <c>s3.configurationId</c>); empty for an engine-generated one, as S3 does.</summary>
    public string Id { get; init; } = "";
}

/// <summary>An S3 event the engine produced (for logs), whatever notifications matched it.</summary>
/// <param name="BucketName">The bucket.</param>
/// <param name="Key">The raw key.</param>
/// <param name="EventName">The event name without <c>s3:</c>, e.g. <c>ObjectCreated:Put</c>.</param>
/// <param name="Size">The object size (null for removals).</param>
/// <param name="ETag">The hex MD5 (null for removals).</param>
/// <param name="Sequencer">The event's sequencer.</param>
/// <param name="Time">The event time.</param>
/// <param name="ConfigurationIds">The notification configurations it was queued for.</param>
/// <param name="FromFileSystem">True when a file changed in the bucket folder caused it (disk mode watching).</param>
public sealed record S3EventRecordInfo(
    string BucketName,
    string Key,
    string EventName,
    long? Size,
    string? ETag,
    string Sequencer,
    DateTimeOffset Time,
    IReadOnlyList<string> ConfigurationIds,
    bool FromFileSystem);

/// <summary>A notification whose target failed.</summary>
/// <param name="ConfigurationId">The notification configuration.</param>
/// <param name="BucketName">The bucket.</param>
/// <param name="Key">The raw key.</param>
/// <param name="EventName">The event name, e.g. <c>ObjectCreated:Put</c>.</param>
/// <param name="Time">When the failure was observed (engine clock).</param>
/// <param name="Error">The exception.</param>
public sealed record S3FailedDelivery(string ConfigurationId, string BucketName, string Key, string EventName, DateTimeOffset Time, Exception Error);

/// <summary>
/// An error S3 would return, named by its error code (<c>NoSuchBucket</c>, <c>NoSuchKey</c>, <c>InvalidBucketName</c>,
/// <c>BucketAlreadyOwnedByYou</c>, <c>KeyTooLongError</c>, <c>MetadataTooLarge</c>, <c>InvalidArgument</c>), or the
/// local-only <c>KeyNotStorableOnDisk</c> (disk mode cannot represent the key as a file).
/// </summary>
public sealed class LocalS3Exception : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The error code.</param>
    /// <param name="message">What is wrong.</param>
    public LocalS3Exception(string errorCode, string message)
        : base($"{errorCode}: {message}")
    {
        ErrorCode = errorCode;
    }

    /// <summary>The error code.</summary>
    public string ErrorCode { get; }
}
