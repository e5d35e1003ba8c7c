using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Uploads;

/// <summary>
/// The processing function of examples/uploads, notified when an object is created under <c>images/</c> with the suffix
/// <c>.jpg</c> in the uploads bucket. For each record it decodes the key (S3 URL-encodes keys in events, spaces as
/// <c>+</c>), computes the thumbnail's key (<see cref="ThumbnailKey"/>) and writes it to the bucket named by the
/// <c>THUMBNAILS_BUCKET</c> environment variable, which the stack sets. Resizing the image is out of scope (there is no
/// imaging library here): the thumbnail's content is the source's bytes. S3 itself is reached through
/// <see cref="IObjectStore"/>; see its remarks for what is simulated.
/// </summary>
public sealed class MakeThumbnail : IS3Handler
{
    /// <summary>The environment variable holding the target bucket's name.</summary>
    public const string TargetBucketVariable = "THUMBNAILS_BUCKET";

    /// <summary>The key prefix of thumbnails in the target bucket.</summary>
    public const string ThumbnailPrefix = "thumbnails/";

    /// <summary>The key prefix the uploads bucket notifies for.</summary>
    public const string SourcePrefix = "images/";

    private readonly Func<ILambdaContext, IObjectStore> _store;
    private readonly Func<string, string?> _environment;

    /// <summary>The handler Lambda runs: the process environment and a <see cref="LoggingObjectStore"/>.</summary>
    public MakeThumbnail() : this(context => new LoggingObjectStore(context.Logger), LambdaEnvironment.Get)
    {
    }

    /// <summary>A handler with an explicit object store and environment (for tests and local runs).</summary>
    public MakeThumbnail(IObjectStore store, Func<string, string?> environment) : this(_ => store, environment)
    {
    }

    private MakeThumbnail(Func<ILambdaContext, IObjectStore> store, Func<string, string?> environment)
    {
        _store = store;
        _environment = environment;
    }

    /// <summary>
    /// The thumbnail's key for a decoded source key: <see cref="SourcePrefix"/> replaced by <see cref="ThumbnailPrefix"/>
    /// (<c>images/2026/cat photo.jpg</c> gives <c>thumbnails/2026/cat photo.jpg</c>); other keys are put under
    /// <see cref="ThumbnailPrefix"/> whole.
    /// </summary>
    public static string ThumbnailKey(string sourceKey) =>
        ThumbnailPrefix + (sourceKey.StartsWith(SourcePrefix, StringComparison.Ordinal) ? sourceKey[SourcePrefix.Length..] : sourceKey);

    /// <summary>The content type for a key, from its extension.</summary>
    public static string ContentTypeOf(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

    /// <inheritdoc />
    public async Task<LambdaVoid> HandleAsync(S3Event input, ILambdaContext context)
    {
        var target = _environment(TargetBucketVariable);
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new InvalidOperationException($"{TargetBucketVariable} is not set: the stack sets it to the thumbnails bucket's name");
        }
        var store = _store(context);
        foreach (var record in input.Records)
        {
            var bucket = record.S3?.Bucket?.Name;
            var key = record.S3?.Object?.GetDecodedKey();
            if (bucket is null || key is null || record.EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) != true)
            {
                context.Logger.LogWarning($"skipping a record that is not an object creation with a bucket and key ({record.EventName})");
                continue;
            }
            if (bucket == target && key.StartsWith(ThumbnailPrefix, StringComparison.Ordinal))
            {
                // Never process our own output (a guard against a notification loop if the buckets were the same).
                context.Logger.LogWarning($"skipping s3://{bucket}/{key}: it is a thumbnail");
                continue;
            }
            var content = await store.GetAsync(bucket, key, context.CancellationToken).ConfigureAwait(false) ?? [];
            var thumbnailKey = ThumbnailKey(key);
            await store.PutAsync(target, thumbnailKey, content, ContentTypeOf(key), context.CancellationToken).ConfigureAwait(false);
            context.Logger.LogInformation($"s3://{bucket}/{key} -> s3://{target}/{thumbnailKey}");
        }
        return LambdaVoid.Value;
    }
}
