using System.Collections.Concurrent;
using Lamina.Lambda;

namespace Lamina.Examples.Handlers.Uploads;

/// <summary>Reads and writes objects of S3 buckets.</summary>
/// <remarks>
/// Calling S3 is out of scope for Lamina's runtime library (it has no AWS SDK), so the deployed handler uses
/// <see cref="LoggingObjectStore"/>, which makes no call and logs what it would do; tests and local runs use
/// <see cref="InMemoryObjectStore"/>. A real implementation (the AWS SDK's <c>GetObject</c> / <c>PutObject</c>, or a
/// SigV4-signed HTTP request) goes behind this interface; the function's role already allows exactly the
/// <c>s3:PutObject</c> it needs on the thumbnails bucket.
/// </remarks>
public interface IObjectStore
{
    /// <summary>The content of <c>s3://<paramref name="bucket"/>/<paramref name="key"/></c>, or null when unavailable.</summary>
    Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Writes <c>s3://<paramref name="bucket"/>/<paramref name="key"/></c>.</summary>
    Task PutAsync(string bucket, string key, byte[] content, string contentType, CancellationToken cancellationToken);
}

/// <summary>An <see cref="IObjectStore"/> that calls nothing: reads return null and writes are logged (see <see cref="IObjectStore"/>).</summary>
public sealed class LoggingObjectStore(ILambdaLogger logger) : IObjectStore
{
    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        logger.LogDebug($"no S3 client in this build: not reading s3://{bucket}/{key}");
        return Task.FromResult<byte[]?>(null);
    }

    /// <inheritdoc />
    public Task PutAsync(string bucket, string key, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        logger.LogInformation($"no S3 client in this build: would write s3://{bucket}/{key} ({content.Length} bytes, {contentType})");
        return Task.CompletedTask;
    }
}

/// <summary>An <see cref="IObjectStore"/> in memory, for tests and local runs.</summary>
public sealed class InMemoryObjectStore : IObjectStore
{
    private readonly ConcurrentDictionary<(string Bucket, string Key), (byte[] Content, string ContentType)> _objects = new();

    /// <summary>Every object, by bucket and key.</summary>
    public IReadOnlyDictionary<(string Bucket, string Key), (byte[] Content, string ContentType)> Objects => _objects;

    /// <inheritdoc />
    public Task<byte[]?> GetAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue((bucket, key), out var o) ? o.Content : null);

    /// <inheritdoc />
    public Task PutAsync(string bucket, string key, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        _objects[(bucket, key)] = (content, contentType);
        return Task.CompletedTask;
    }
}
