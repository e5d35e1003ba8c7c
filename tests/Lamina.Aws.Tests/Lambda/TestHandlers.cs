using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Aws.Tests.Lambda;

public sealed class GetOrder : IHttpApiHandler
{
    public Task<HttpApiResponse> HandleAsync(HttpApiRequest request, ILambdaContext context) =>
        Task.FromResult(HttpApiResponse.Text(200, request.PathParameters?["id"] ?? ""));
}

public sealed class ShipOrder : ISqsHandler
{
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
}

public sealed record Order(string Id, decimal Amount);

public sealed class ValidateOrder : ILambdaHandler<Order, bool>
{
    public Task<bool> HandleAsync(Order input, ILambdaContext context) => Task.FromResult(input.Amount > 0);
}
