using System.Text.Json;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Hello.Handlers;

/// <summary>
/// The seed note's handler in C#: answers status 200 with the event itself, as JSON, in the body (the Python
/// version returns <c>{'statusCode': 200, 'body': json.dumps(event)}</c>). The event is a REST API proxy event
/// (payload format 1.0); fields the event type does not name are kept and echoed too.
/// </summary>
public sealed class HelloHandler : IRestApiHandler
{
    /// <inheritdoc />
    public Task<RestApiResponse> HandleAsync(RestApiRequest input, ILambdaContext context) =>
        Task.FromResult(new RestApiResponse
        {
            StatusCode = 200,
            // Source-generated metadata: no reflection, so the native AOT bootstrap needs no trimming hints.
            Body = JsonSerializer.Serialize(input, LambdaEventsJsonContext.Default.RestApiRequest),
        });
}
