using System.Text.Json;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Examples.Handlers.Api;

/// <summary>
/// The seed note's sample handler behind a REST API (payload format 1.0): answers <c>200</c> with the request event
/// itself as the JSON body (<c>{'statusCode': 200, 'body': json.dumps(event)}</c> in the note's Python), fields the
/// event type does not name included.
/// </summary>
public sealed class Echo : IRestApiHandler
{
    /// <inheritdoc />
    public Task<RestApiResponse> HandleAsync(RestApiRequest input, ILambdaContext context) =>
        Task.FromResult(RestApiResponse.Json(JsonSerializer.Serialize(input, LambdaEventsJsonContext.Default.RestApiRequest)));
}
