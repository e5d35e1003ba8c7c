namespace Lamina.Lambda;

/// <summary>
/// A handler at the byte level: the invocation payload in, the response payload out. Every registration in
/// <see cref="LambdaHandlerRegistry"/> is adapted to this shape; register one directly with
/// <see cref="LambdaHandlerRegistry.AddRaw"/> to take over serialization entirely.
/// </summary>
public interface IRawLambdaHandler
{
    /// <summary>Handles one invocation.</summary>
    /// <param name="payload">The event payload as received (UTF-8 JSON).</param>
    /// <param name="context">The invocation context.</param>
    /// <returns>The response payload to post to the Runtime API.</returns>
    Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context);
}
