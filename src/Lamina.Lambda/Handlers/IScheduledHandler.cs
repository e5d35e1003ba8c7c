using Lamina.Lambda.Events;

namespace Lamina.Lambda;

/// <summary>
/// A handler run by an EventBridge schedule rule (<c>rate(...)</c> or <c>cron(...)</c>).
/// </summary>
/// <example>
/// <code>
/// public sealed class Nightly : IScheduledHandler
/// {
///     public Task&lt;LambdaVoid&gt; HandleAsync(ScheduledEvent input, ILambdaContext context)
///     {
///         context.Logger.LogInformation($"{input.DetailType} at {input.Time} from {input.Resources?.FirstOrDefault()}");
///         return LambdaVoid.Completed;
///     }
/// }
/// </code>
/// </example>
public interface IScheduledHandler : ILambdaHandler<ScheduledEvent, LambdaVoid>;
