using System.Text.Json;
using Lamina.Local.Api;
using static Lamina.Local.Tests.Api.ApiTest;

namespace Lamina.Local.Tests.Api;

public sealed class JwtTests : IClassFixture<JwtTests.Keys>
{
    private readonly TestTokens _tokens;

    public JwtTests(Keys keys)
    {
        _tokens = keys.Tokens;
    }

    /// <summary>One RSA key for the class (generating one takes a while).</summary>
    public sealed class Keys : IDisposable
    {
        public TestTokens Tokens { get; } = new();

        public TestTokens Other { get; } = new("other-key");

        public void Dispose()
        {
            Tokens.Dispose();
            Other.Dispose();
        }
    }

    private LocalApiDefinition Api(LocalJwtAuthorizer? authorizer = null) =>
        Http("h",
            Route("GET /orders", "list", authorization: LocalRouteAuthorization.Jwt),
            Route("POST /orders", "create", LocalPayloadFormat.V2, LocalRouteAuthorization.Jwt, "orders/write", "admin"),
            Route("GET /legacy", "legacy", LocalPayloadFormat.V1, LocalRouteAuthorization.Jwt, "orders/read"),
            Route("GET /public", "public")) with
        {
            JwtAuthorizer = authorizer ?? new LocalJwtAuthorizer
            {
                Issuer = TestTokens.Issuer,
                Audiences = [TestTokens.Audience, "second-client"],
                SigningKeys = [_tokens.PublicKey],
            },
        };

    private static async Task<(int Status, string Body, HttpResponseMessage Response)> CallAsync(HttpClient client, string? token,
        HttpMethod? method = null, string path = "orders", string scheme = "Bearer ")
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", scheme + token);
        }

        return await SendAsync(client, request);
    }

    [Fact]
    public async Task A_valid_token_reaches_the_function_with_its_claims()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        await using var gateway = await StartAsync(functions, clock, Api());
        using var client = gateway.CreateClient("h");
        var token = _tokens.Make(clock.GetUtcNow(), extraClaims: "\"groups\":[\"a\",\"b\"],\"email_verified\":true");
        var (status, _, _) = await CallAsync(client, token);
        Assert.Equal(200, status);

        var jwt = functions.LastEvent().GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt");
        var claims = jwt.GetProperty("claims");
        Assert.Equal("user-42", claims.Str("sub"));
        Assert.Equal(TestTokens.Issuer, claims.Str("iss"));
        Assert.Equal(TestTokens.Audience, claims.Str("aud"));
        Assert.Equal((clock.GetUtcNow() + TimeSpan.FromHours(1)).ToUnixTimeSeconds().ToString(), claims.Str("exp"));
        Assert.Equal("[a b]", claims.Str("groups"));
        Assert.Equal("true", claims.Str("email_verified"));
        Assert.Equal(JsonValueKind.Null, jwt.GetProperty("scopes").ValueKind);

        // Without the Bearer prefix too.
        (status, _, _) = await CallAsync(client, token, scheme: "");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Scopes_are_checked_and_passed_on()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        await using var gateway = await StartAsync(functions, clock, Api());
        using var client = gateway.CreateClient("h");
        var (status, body, response) = await CallAsync(client, _tokens.Make(clock.GetUtcNow(), scope: "orders/read"), HttpMethod.Post);
        Assert.Equal(403, status);
        Assert.Equal("{\"message\":\"Forbidden\"}", body);
        Assert.Contains("insufficient_scope", Header(response, "www-authenticate"));
        Assert.Empty(functions.Calls);

        (status, _, _) = await CallAsync(client, _tokens.Make(clock.GetUtcNow(), scope: "profile orders/write"), HttpMethod.Post);
        Assert.Equal(200, status);
        Assert.Equal(["profile", "orders/write"], functions.LastEvent().GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt")
            .GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());

        // scp as an array (Okta style), on a 1.0 route: authorizer.claims / authorizer.scopes.
        (status, _, _) = await CallAsync(client, _tokens.Make(clock.GetUtcNow(), scope: null, extraClaims: "\"scp\":[\"orders/read\"]"), path: "legacy");
        Assert.Equal(200, status);
        var authorizer = functions.LastEvent().GetProperty("requestContext").GetProperty("authorizer");
        Assert.Equal("user-42", authorizer.Str("claims", "sub"));
        Assert.Equal("orders/read", authorizer.GetProperty("scopes")[0].GetString());
    }

    [Fact]
    public async Task Missing_expired_and_foreign_tokens_are_unauthorized()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        await using var gateway = await StartAsync(functions, clock, Api());
        using var client = gateway.CreateClient("h");
        var now = clock.GetUtcNow();

        var (status, body, response) = await CallAsync(client, null);
        Assert.Equal(401, status);
        Assert.Equal("{\"message\":\"Unauthorized\"}", body);
        Assert.Equal("", Header(response, "www-authenticate"));

        var cases = new (string Token, string Problem)[]
        {
            (_tokens.Make(now - TimeSpan.FromHours(2)), "expired"),
            (_tokens.Make(now, audience: "someone-else"), "audience"),
            (_tokens.Make(now, issuer: "https://other-issuer.example.com"), "issuer"),
            (_tokens.Make(now, audience: null), "no accepted aud or client_id"),
            (_tokens.Make(now, extraClaims: $"\"nbf\":{(now + TimeSpan.FromMinutes(5)).ToUnixTimeSeconds()}"), "nbf"),
            (_tokens.Make(now, sign: false), "signature"),
            (_tokens.Make(now, alg: "HS256"), "algorithm"),
            (_tokens.Make(now, kid: "unknown-kid"), "kid"),
            ("not-a-jwt", "JWS"),
            ("a.b", "JWS"),
            ("e30.e30.e30", "algorithm"),
        };
        foreach (var (token, problem) in cases)
        {
            (status, body, response) = await CallAsync(client, token);
            Assert.Equal(401, status);
            Assert.Equal("{\"message\":\"Unauthorized\"}", body);
            Assert.Contains("invalid_token", Header(response, "www-authenticate"));
            Assert.Contains(problem, gateway.Requests[^1].Detail);
        }

        Assert.Empty(functions.Calls);
        Assert.Equal(200, (await CallAsync(client, null, path: "public")).Status);
    }

    [Fact]
    public async Task A_token_expires_on_the_gateway_clock()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        await using var gateway = await StartAsync(functions, clock, Api());
        using var client = gateway.CreateClient("h");
        var token = _tokens.Make(clock.GetUtcNow(), lifetime: TimeSpan.FromMinutes(5));
        Assert.Equal(200, (await CallAsync(client, token)).Status);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(401, (await CallAsync(client, token)).Status);
    }

    [Fact]
    public async Task Client_id_stands_in_for_a_missing_audience()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        await using var gateway = await StartAsync(functions, clock, Api());
        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await CallAsync(client, _tokens.Make(clock.GetUtcNow(), audience: null, extraClaims: "\"client_id\":\"second-client\""))).Status);
        Assert.Equal(401, (await CallAsync(client, _tokens.Make(clock.GetUtcNow(), audience: null, extraClaims: "\"client_id\":\"nobody\""))).Status);
    }

    [Fact]
    public async Task Keys_can_come_from_a_jwks_document()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        using var other = new TestTokens("rotated");
        var authorizer = new LocalJwtAuthorizer { Issuer = TestTokens.Issuer, Audiences = [TestTokens.Audience], Jwks = other.Jwks };
        await using var gateway = await StartAsync(functions, clock, Api(authorizer));
        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await CallAsync(client, other.Make(clock.GetUtcNow()))).Status);
        Assert.Equal(401, (await CallAsync(client, _tokens.Make(clock.GetUtcNow(), kid: "rotated"))).Status);
    }

    [Fact]
    public async Task Without_keys_signatures_are_not_verified_locally()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        var authorizer = new LocalJwtAuthorizer { Issuer = TestTokens.Issuer, Audiences = [TestTokens.Audience] };
        await using var gateway = await StartAsync(functions, clock, Api(authorizer));
        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await CallAsync(client, _tokens.Make(clock.GetUtcNow(), sign: false, alg: "none"))).Status);
        Assert.Equal(401, (await CallAsync(client, _tokens.Make(clock.GetUtcNow() - TimeSpan.FromDays(1), sign: false))).Status);
        Assert.Equal(401, (await CallAsync(client, "e30.e30.")).Status);
        Assert.Contains("no exp claim", gateway.Requests[^1].Detail);
    }

    [Fact]
    public async Task The_identity_source_can_be_a_query_parameter()
    {
        var functions = new FakeFunctions();
        var clock = Clock();
        var authorizer = new LocalJwtAuthorizer
        {
            Issuer = TestTokens.Issuer,
            Audiences = [TestTokens.Audience],
            IdentitySource = "$request.querystring.token",
            SigningKeys = [_tokens.PublicKey],
        };
        await using var gateway = await StartAsync(functions, clock, Api(authorizer));
        using var client = gateway.CreateClient("h");
        Assert.Equal(200, (await CallAsync(client, null, path: "orders?token=" + _tokens.Make(clock.GetUtcNow()))).Status);
        Assert.Equal(401, (await CallAsync(client, _tokens.Make(clock.GetUtcNow()))).Status);
    }
}
