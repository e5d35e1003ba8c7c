using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Examples.Handlers.Api;

namespace Lamina.Examples;

/// <summary>
/// examples/api: the seed note's first use case, an API in front of functions. An HTTP API (payload 2.0) routes
/// <c>POST /orders</c> to <see cref="PlaceOrder"/> and <c>GET /orders/{id}</c> to <see cref="GetOrder"/>, and
/// <c>GET /echo</c> to <see cref="Echo"/> with payload 1.0; a REST API sends <c>GET /</c> and <c>ANY /{proxy+}</c> to
/// <see cref="Echo"/>, the seed note's sample handler. Every route has its own Lambda permission, scoped to its API,
/// method and path.
/// </summary>
/// <param name="HttpApi">The HTTP API (stack output <c>OrdersApiUrl</c>).</param>
/// <param name="RestApi">The REST API (stack output <c>EchoApiUrl</c>, stage <c>Prod</c>).</param>
/// <param name="PlaceOrder">The function behind <c>POST /orders</c>.</param>
/// <param name="GetOrder">The function behind <c>GET /orders/{id}</c>.</param>
/// <param name="Echo">The function behind the REST API and <c>GET /echo</c>.</param>
public sealed record ApiExample(HttpApi HttpApi, RestApi RestApi, Function<PlaceOrder> PlaceOrder, Function<GetOrder> GetOrder, Function<Echo> Echo)
{
    /// <summary>Defines the example's resources in <paramref name="scope"/> (a stack, or any construct in one).</summary>
    /// <example>
    /// <code>
    /// return LaminaApp.Run(args, app => ApiExample.Define(new Stack(app, "api")));
    /// </code>
    /// </example>
    public static ApiExample Define(Construct scope)
    {
        var placeOrder = new Function<PlaceOrder>(scope, "PlaceOrder", new() { MemorySize = 256, Description = "POST /orders: validates and places an order" });
        var getOrder = new Function<GetOrder>(scope, "GetOrder", new() { MemorySize = 256, Description = "GET /orders/{id}" });
        var echo = new Function<Echo>(scope, "Echo", new() { Description = "Answers with the request event (the seed note's sample)" });

        var http = new HttpApi(scope, "OrdersApi", new()
        {
            Cors = new() { AllowOrigins = ["https://shop.example.com"], AllowMethods = ["GET", "POST"], AllowHeaders = ["content-type"] },
        });
        http.AddRoute("POST /orders", placeOrder);
        http.AddRoute("GET /orders/{id}", getOrder);
        http.AddRouteV1("GET /echo", echo);          // a REST (payload 1.0) handler behind an HTTP API route

        var rest = new RestApi(scope, "EchoApi");
        rest.AddRoute("GET", "/", echo);
        rest.AddRoute("ANY", "/{proxy+}", echo);

        return new ApiExample(http, rest, placeOrder, getOrder, echo);
    }
}
