namespace Lamina.Lambda;

/// <summary>
/// The contract every .NET Lambda handler implements: one event in, one result out.
/// </summary>
/// <typeparam name="TEvent">The event the function receives, deserialized from the invocation payload.</typeparam>
/// <typeparam name="TResult">The result serialized back to the caller.</typeparam>
/// <example>
/// <code>
/// public sealed class Echo : ILambdaHandler&lt;JsonElement, JsonElement&gt;
/// {
///     public Task&lt;JsonElement&gt; HandleAsync(JsonElement input, ILambdaContext context) =&gt; Task.FromResult(input);
/// }
/// </code>
/// </example>
public interface ILambdaHandler<TEvent, TResult>
{
    /// <summary>Handles one invocation. <see cref="ILambdaContext.CancellationToken"/> fires at the function's deadline.</summary>
    Task<TResult> HandleAsync(TEvent input, ILambdaContext context);
}
