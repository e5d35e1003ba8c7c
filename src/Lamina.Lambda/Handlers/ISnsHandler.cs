using Lamina.Lambda.Events;

namespace Lamina.Lambda;

/// <summary>
/// A handler subscribed to an SNS topic. SNS invokes it asynchronously; throwing makes Lambda retry.
/// </summary>
/// <example>
/// <code>
/// public sealed class Notify : ISnsHandler
/// {
///     public Task&lt;LambdaVoid&gt; HandleAsync(SnsEvent input, ILambdaContext context)
///     {
///         foreach (var record in input.Records)
///         {
///             context.Logger.LogInformation($"{record.Sns?.Subject}: {record.Sns?.Message}");
///         }
///         return LambdaVoid.Completed;
///     }
/// }
/// </code>
/// </example>
public interface ISnsHandler : ILambdaHandler<SnsEvent, LambdaVoid>;
