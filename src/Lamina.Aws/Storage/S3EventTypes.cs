using Lamina.Aws.Lambda;

namespace Lamina.Aws.Storage;

/// <summary>
/// The S3 event types a bucket notification can deliver to a Lambda function (S3 User Guide, "Event notification types
/// and destinations"). A type ending in <c>:*</c> covers every type of its family.
/// </summary>
public static class S3EventTypes
{
    /// <summary>Any object creation (<c>s3:ObjectCreated:*</c>).</summary>
    public const string ObjectCreated = "s3:ObjectCreated:*";
    /// <summary>Object created by PUT.</summary>
    public const string ObjectCreatedPut = "s3:ObjectCreated:Put";
    /// <summary>Object created by POST (browser form upload).</summary>
    public const string ObjectCreatedPost = "s3:ObjectCreated:Post";
    /// <summary>Object created by COPY.</summary>
    public const string ObjectCreatedCopy = "s3:ObjectCreated:Copy";
    /// <summary>Object created by completing a multipart upload.</summary>
    public const string ObjectCreatedCompleteMultipartUpload = "s3:ObjectCreated:CompleteMultipartUpload";
    /// <summary>Any object removal (<c>s3:ObjectRemoved:*</c>); lifecycle expirations are not included.</summary>
    public const string ObjectRemoved = "s3:ObjectRemoved:*";
    /// <summary>Object deleted, or a version permanently deleted.</summary>
    public const string ObjectRemovedDelete = "s3:ObjectRemoved:Delete";
    /// <summary>Delete marker created for a versioned object.</summary>
    public const string ObjectRemovedDeleteMarkerCreated = "s3:ObjectRemoved:DeleteMarkerCreated";
    /// <summary>Any restore event.</summary>
    public const string ObjectRestore = "s3:ObjectRestore:*";
    /// <summary>Restore started.</summary>
    public const string ObjectRestorePost = "s3:ObjectRestore:Post";
    /// <summary>Restore completed.</summary>
    public const string ObjectRestoreCompleted = "s3:ObjectRestore:Completed";
    /// <summary>Restored copy expired.</summary>
    public const string ObjectRestoreDelete = "s3:ObjectRestore:Delete";
    /// <summary>An RRS object was lost.</summary>
    public const string ReducedRedundancyLostObject = "s3:ReducedRedundancyLostObject";
    /// <summary>Any replication event.</summary>
    public const string Replication = "s3:Replication:*";
    /// <summary>Replication failed.</summary>
    public const string ReplicationOperationFailedReplication = "s3:Replication:OperationFailedReplication";
    /// <summary>Replication exceeded the 15-minute threshold.</summary>
    public const string ReplicationOperationMissedThreshold = "s3:Replication:OperationMissedThreshold";
    /// <summary>Replicated after the 15-minute threshold.</summary>
    public const string ReplicationOperationReplicatedAfterThreshold = "s3:Replication:OperationReplicatedAfterThreshold";
    /// <summary>No longer tracked by replication metrics.</summary>
    public const string ReplicationOperationNotTracked = "s3:Replication:OperationNotTracked";
    /// <summary>Any lifecycle expiration.</summary>
    public const string LifecycleExpiration = "s3:LifecycleExpiration:*";
    /// <summary>Lifecycle deleted an object or version.</summary>
    public const string LifecycleExpirationDelete = "s3:LifecycleExpiration:Delete";
    /// <summary>Lifecycle created a delete marker.</summary>
    public const string LifecycleExpirationDeleteMarkerCreated = "s3:LifecycleExpiration:DeleteMarkerCreated";
    /// <summary>Lifecycle moved an object to another storage class.</summary>
    public const string LifecycleTransition = "s3:LifecycleTransition";
    /// <summary>Intelligent-Tiering archived an object.</summary>
    public const string IntelligentTiering = "s3:IntelligentTiering";
    /// <summary>Any tagging event.</summary>
    public const string ObjectTagging = "s3:ObjectTagging:*";
    /// <summary>Tag set or changed.</summary>
    public const string ObjectTaggingPut = "s3:ObjectTagging:Put";
    /// <summary>Tag removed.</summary>
    public const string ObjectTaggingDelete = "s3:ObjectTagging:Delete";
    /// <summary>Object ACL changed.</summary>
    public const string ObjectAclPut = "s3:ObjectAcl:Put";

    /// <summary>Every event type a notification configuration accepts.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        ObjectCreated, ObjectCreatedPut, ObjectCreatedPost, ObjectCreatedCopy, ObjectCreatedCompleteMultipartUpload,
        ObjectRemoved, ObjectRemovedDelete, ObjectRemovedDeleteMarkerCreated,
        ObjectRestore, ObjectRestorePost, ObjectRestoreCompleted, ObjectRestoreDelete,
        ReducedRedundancyLostObject,
        Replication, ReplicationOperationFailedReplication, ReplicationOperationMissedThreshold, ReplicationOperationReplicatedAfterThreshold, ReplicationOperationNotTracked,
        LifecycleExpiration, LifecycleExpirationDelete, LifecycleExpirationDeleteMarkerCreated,
        LifecycleTransition, IntelligentTiering,
        ObjectTagging, ObjectTaggingPut, ObjectTaggingDelete,
        ObjectAclPut,
    ];

    /// <summary>
    /// Whether one S3 event can match both types: they are equal, or one is a family wildcard (<c>s3:ObjectCreated:*</c>)
    /// covering the other (<c>s3:ObjectCreated:Put</c>).
    /// </summary>
    public static bool Intersect(string a, string b) => a == b || Covers(a, b) || Covers(b, a);

    private static bool Covers(string wildcard, string other) =>
        wildcard.EndsWith(":*", StringComparison.Ordinal) && other.StartsWith(wildcard[..^1], StringComparison.Ordinal);
}

/// <summary>
/// One entry of a bucket's notification configuration: <see cref="Events"/> on keys starting with <see cref="Prefix"/>
/// and ending with <see cref="Suffix"/> invoke <see cref="Function"/>.
/// </summary>
/// <param name="Function">The function invoked.</param>
/// <param name="Events">The event types (see <see cref="S3EventTypes"/>).</param>
/// <param name="Prefix">The key prefix filter, or null for every key.</param>
/// <param name="Suffix">The key suffix filter, or null for every key.</param>
public sealed record BucketEventNotification(FunctionBase Function, IReadOnlyList<string> Events, string? Prefix, string? Suffix)
{
    /// <summary>
    /// Whether S3 rejects having both this and <paramref name="other"/> on one bucket ("Configurations overlap"): some
    /// object key and event match both. That holds when an event type of one intersects an event type of the other
    /// (<see cref="S3EventTypes.Intersect"/>), one prefix is a prefix of the other (a missing prefix matches every key)
    /// and one suffix is a suffix of the other (S3 User Guide, "Configuring event notifications using object key name filtering").
    /// </summary>
    public bool OverlapsWith(BucketEventNotification other)
    {
        var events = Events.Any(a => other.Events.Any(b => S3EventTypes.Intersect(a, b)));
        string p1 = Prefix ?? "", p2 = other.Prefix ?? "", s1 = Suffix ?? "", s2 = other.Suffix ?? "";
        var prefixes = p1.StartsWith(p2, StringComparison.Ordinal) || p2.StartsWith(p1, StringComparison.Ordinal);
        var suffixes = s1.EndsWith(s2, StringComparison.Ordinal) || s2.EndsWith(s1, StringComparison.Ordinal);
        return events && prefixes && suffixes;
    }

    /// <summary>The notification in words, for messages: function, events and filters.</summary>
    public string Describe() =>
        $"function {Function.Path} on {string.Join(", ", Events)} with prefix {(Prefix is null ? "(any)" : $"'{Prefix}'")} and suffix {(Suffix is null ? "(any)" : $"'{Suffix}'")}";
}
