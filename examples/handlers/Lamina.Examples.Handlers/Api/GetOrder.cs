using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Api;

/// <summary>
/// <c>GET /orders/{id}</c> (HTTP API, payload 2.0): <c>200</c> with the order, <c>404</c> when there is none,
/// <c>400</c> when the id is not an order id. See <see cref="IOrderStore"/> for where orders are kept.
/// </summary>
public sealed class GetOrder : IHttpApiHandler
{
    private readonly IOrderStore _store;

    /// <summary>The handler Lambda runs, reading the process-wide store.</summary>
    public GetOrder() : this(InMemoryOrderStore.Shared)
    {
    }

    /// <summary>A handler reading <paramref name="store"/>.</summary>
    public GetOrder(IOrderStore store) => _store = store;

    /// <inheritdoc />
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context)
    {
        var id = input.PathParameters?.GetValueOrDefault("id");
        if (!OrderRules.IsOrderId(id))
        {
            return HttpApiResponse.Json(new ErrorResponse { Errors = [$"'{id}' is not an order id (ord_ and 16 lower-case hex digits)"] },
                ExamplesJsonContext.Default.ErrorResponse, 400);
        }
        var order = await _store.FindAsync(id!, context.CancellationToken).ConfigureAwait(false);
        return order is null
            ? HttpApiResponse.Json(new ErrorResponse { Errors = [$"order {id} was not found"] }, ExamplesJsonContext.Default.ErrorResponse, 404)
            : HttpApiResponse.Json(order, ExamplesJsonContext.Default.Order);
    }
}
