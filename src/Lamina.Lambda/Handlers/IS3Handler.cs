using Lamina.Lambda.Events;

namespace Lamina.Lambda;

/// <summary>
/// A handler of S3 event notifications (object created, removed, ...). S3 invokes it asynchronously.
/// </summary>
/// <example>
/// <code>
/// public sealed class Thumbnails : IS3Handler
/// {
///     public Task&lt;LambdaVoid&gt; HandleAsync(S3Event input, ILambdaContext context)
///     {
///         foreach (var record in input.Records)
///         {
///             context.Logger.LogInformation($"{record.EventName} {record.S3?.Bucket?.Name}/{record.S3?.Object?.GetDecodedKey()}");
///         }
///         return LambdaVoid.Completed;
///     }
/// }
/// </code>
/// </example>
public interface IS3Handler : ILambdaHandler<S3Event, LambdaVoid>;
