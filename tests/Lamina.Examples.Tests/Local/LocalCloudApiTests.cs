using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Examples.Tests.ReferenceArchitectures;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Local.Api;
using Lamina.Local.Cloud;

namespace Lamina.Examples.Tests.Local;

/// <summary>Returns the caller's JWT claims.</summary>
public sealed class WhoAmI : IHttpApiHandler
{
    /// <inheritdoc />
    public Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context) =>
        Task.FromResult(new HttpApiResponse { StatusCode = 200, Body = input.RequestContext?.Authorizer?.Jwt?.Claims?.GetValueOrDefault("sub") ?? "anonymous" });
}

/// <summary>An HttpApi's JWT authorizer and CORS configuration, from the constructs, enforced by the local gateway.</summary>
public sealed class LocalCloudApiTests
{
    private const string Issuer = "https://issuer.example.com";

    private static string Token(RSA key, string audience, DateTimeOffset expires, string scope)
    {
        static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = B64(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT","kid":"k1"}"""));
        var payload = B64(Encoding.UTF8.GetBytes(new JsonObject
        {
            ["iss"] = Issuer, ["aud"] = audience, ["sub"] = "user-42", ["scope"] = scope,
            ["exp"] = expires.ToUnixTimeSeconds(), ["iat"] = expires.AddHours(-1).ToUnixTimeSeconds(),
        }.ToJsonString()));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + B64(signature);
    }

    [Fact]
    public async Task Jwt_routes_accept_a_valid_token_and_refuse_expired_foreign_or_unscoped_ones_and_cors_preflight_is_answered()
    {
        using var key = RSA.Create(2048);
        var stack = ExampleApps.Stack("secured");
        var api = new HttpApi(stack, "Api", new()
        {
            JwtAuthorizer = new() { Issuer = Issuer, Audiences = ["shop-app"] },
            Cors = new() { AllowOrigins = ["https://shop.example.com"], AllowMethods = ["GET"], AllowHeaders = ["authorization"] },
        });
        api.AddRoute("GET /me", new Function<WhoAmI>(stack, "WhoAmI"), new() { Authorization = RouteAuthorization.Jwt, Scopes = ["profile:read"] });
        await using var cloud = await LocalCloud.StartAsync(stack, new LocalCloudOptions
        {
            JwtSigningKeys = [new LocalJwtSigningKey("k1", key.ExportParameters(false))],
        });
        using var http = cloud.CreateHttpClient("Api");
        var now = cloud.Clock.GetUtcNow();

        async Task<HttpResponseMessage> Get(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            return await http.SendAsync(request);
        }

        var ok = await Get(Token(key, "shop-app", now.AddHours(1), "profile:read"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("user-42", await ok.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(key, "shop-app", now.AddMinutes(-1), "profile:read"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(key, "other-app", now.AddHours(1), "profile:read"))).StatusCode);
        using var stranger = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(Token(stranger, "shop-app", now.AddHours(1), "profile:read"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(Token(key, "shop-app", now.AddHours(1), "orders:write"))).StatusCode);
        // The token expires on the local clock: an hour later the same token is refused.
        var token = Token(key, "shop-app", now.AddMinutes(30), "profile:read");
        Assert.Equal(HttpStatusCode.OK, (await Get(token)).StatusCode);
        cloud.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(token)).StatusCode);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/me");
        preflight.Headers.Add("Origin", "https://shop.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        var answer = await http.SendAsync(preflight);
        Assert.True(answer.IsSuccessStatusCode);
        Assert.Equal("https://shop.example.com", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        // Only the two accepted requests reached the function.
        Assert.Equal(2, cloud.Function("WhoAmI").Invocations.Count);
    }
}
