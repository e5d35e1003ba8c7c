using System.Text.Json;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;
using Lamina.Local.RuntimeApi;

namespace Lamina.Local.Tests.RuntimeApi;

/// <summary>The generic registry serves the named handler contracts with their source-generated JSON context.</summary>
public sealed class NamedContractTests
{
    private sealed class Hello : IHttpApiHandler
    {
        public Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context)
        {
            var name = input.QueryStringParameters?.GetValueOrDefault("name") ?? "world";
            return Task.FromResult(HttpApiResponse.Text(200, $"Hello, {name}!"));
        }
    }

    [Fact]
    public async Task Serves_an_http_api_handler_registered_with_LambdaEventsJsonContext()
    {
        await using var test = await RuntimeUnderTest.StartAsync(
            handlers => handlers.Add<Hello, HttpApiRequest, HttpApiResponse>("Hello",
                LambdaEventsJsonContext.Default.HttpApiRequest, LambdaEventsJsonContext.Default.HttpApiResponse),
            "Hello");

        var result = await test.InvokeAsync("""
            {"version":"2.0","routeKey":"GET /hello","rawPath":"/hello","rawQueryString":"name=Ada",
             "queryStringParameters":{"name":"Ada"},"headers":{"accept":"*/*"},
             "requestContext":{"http":{"method":"GET","path":"/hello"}},"isBase64Encoded":false}
            """);

        Assert.Equal(InvocationOutcome.Success, result.Outcome);
        using var document = JsonDocument.Parse(result.Payload);
        Assert.Equal(200, document.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("Hello, Ada!", document.RootElement.GetProperty("body").GetString());
    }
}
