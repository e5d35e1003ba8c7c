using System.Security.Cryptography;
using System.Text.Json;
using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Api;

/// <summary>
/// <c>POST /orders</c> (HTTP API, payload 2.0): reads an <see cref="OrderRequest"/> from the JSON body, checks it with
/// <see cref="OrderRules.Check"/>, stores the order and answers <c>201 Created</c> with the order and a <c>location</c>
/// header. A missing or malformed body, or an invalid order, gets <c>400</c> with every problem listed.
/// </summary>
public sealed class PlaceOrder : IHttpApiHandler
{
    private readonly IOrderStore _store;
    private readonly TimeProvider _clock;
    private readonly Func<string> _newId;

    /// <summary>The handler Lambda runs: the process-wide store, the system clock, random ids.</summary>
    public PlaceOrder() : this(InMemoryOrderStore.Shared, TimeProvider.System, NewOrderId)
    {
    }

    /// <summary>A handler with an explicit store, clock and id source (for tests and local runs).</summary>
    public PlaceOrder(IOrderStore store, TimeProvider clock, Func<string> newId)
    {
        _store = store;
        _clock = clock;
        _newId = newId;
    }

    /// <summary>A new random order id: <c>ord_</c> and 16 lower-case hex digits.</summary>
    public static string NewOrderId() => "ord_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <inheritdoc />
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context)
    {
        var body = input.GetBodyText();
        if (string.IsNullOrWhiteSpace(body))
        {
            return Problems("the request body is missing: send a JSON order such as {\"customerId\":\"c-1\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1}]}");
        }
        OrderRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body, ExamplesJsonContext.Default.OrderRequest);
        }
        catch (JsonException e)
        {
            return Problems($"the request body is not a JSON order: {e.Message}");
        }
        if (request is null)
        {
            return Problems("the request body is JSON null, not an order");
        }
        var problems = OrderRules.Check(request);
        if (problems.Count > 0)
        {
            return HttpApiResponse.Json(new ErrorResponse { Errors = problems }, ExamplesJsonContext.Default.ErrorResponse, 400);
        }

        var order = new Order
        {
            Id = _newId(),
            CustomerId = request.CustomerId!,
            Items = request.Items!,
            Status = "placed",
            PlacedAt = _clock.GetUtcNow(),
        };
        if (!await _store.TryAddAsync(order, context.CancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"order id {order.Id} is already taken");
        }
        context.Logger.LogInformation($"placed order {order.Id} for {order.CustomerId}: {order.Items.Count} line(s)");
        var response = HttpApiResponse.Json(order, ExamplesJsonContext.Default.Order, 201);
        response.Headers!["location"] = "/orders/" + order.Id;
        return response;
    }

    private static HttpApiResponse Problems(string problem) =>
        HttpApiResponse.Json(new ErrorResponse { Errors = [problem] }, ExamplesJsonContext.Default.ErrorResponse, 400);
}
