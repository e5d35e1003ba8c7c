using Lamina.Lambda.Events;

namespace Lamina.Lambda;

/// <summary>
/// A handler behind an API Gateway REST API Lambda proxy integration (payload format 1.0).
/// </summary>
/// <example>
/// <code>
/// public sealed class GetItem : IRestApiHandler
/// {
///     public Task&lt;RestApiResponse&gt; HandleAsync(RestApiRequest input, ILambdaContext context)
///     {
///         var id = input.PathParameters?.GetValueOrDefault("id");
///         return Task.FromResult(id is null
///             ? RestApiResponse.Text(400, "missing id")
///             : RestApiResponse.Json(new JsonObject { ["id"] = id }));
///     }
/// }
/// </code>
/// </example>
public interface IRestApiHandler : ILambdaHandler<RestApiRequest, RestApiResponse>;
