using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Aws.Tests.Api;

public sealed class GetItem : IHttpApiHandler
{
    public Task<HttpApiResponse> HandleAsync(HttpApiRequest request, ILambdaContext context) =>
        Task.FromResult(HttpApiResponse.Text(200, request.PathParameters?["id"] ?? ""));
}

public sealed class PutItem : IHttpApiHandler
{
    public Task<HttpApiResponse> HandleAsync(HttpApiRequest request, ILambdaContext context) => Task.FromResult(HttpApiResponse.Text(201, "created"));
}

public sealed class LegacyItem : IRestApiHandler
{
    public Task<RestApiResponse> HandleAsync(RestApiRequest request, ILambdaContext context) =>
        Task.FromResult(RestApiResponse.Text(200, request.Path ?? "/"));
}

public sealed class QueueWorker : ISqsHandler
{
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
}
