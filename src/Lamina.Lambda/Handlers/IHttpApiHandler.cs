using Lamina.Lambda.Events;

namespace Lamina.Lambda;

/// <summary>
/// A handler behind an API Gateway HTTP API route or a function URL (payload format 2.0).
/// </summary>
/// <example>
/// <code>
/// public sealed class Hello : IHttpApiHandler
/// {
///     public Task&lt;HttpApiResponse&gt; HandleAsync(HttpApiRequest input, ILambdaContext context)
///     {
///         var name = input.QueryStringParameters?.GetValueOrDefault("name") ?? "world";
///         return Task.FromResult(HttpApiResponse.Text(200, $"Hello, {name}!"));
///     }
/// }
/// </code>
/// </example>
public interface IHttpApiHandler : ILambdaHandler<HttpApiRequest, HttpApiResponse>;
