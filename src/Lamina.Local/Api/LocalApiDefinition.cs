using System.Security.Cryptography;
using System.Text;
using Lamina.Local.Lambda;

namespace Lamina.Local.Api;

/// <summary>Which API Gateway flavour a local API imitates.</summary>
public enum LocalApiKind
{
    /// <summary>An HTTP API (API Gateway v2): routes such as <c>GET /orders/{id}</c> or <c>$default</c>, payload
    /// format 2.0 or 1.0, CORS, JWT and IAM authorization; unmatched requests get 404 <c>Not Found</c>.</summary>
    HttpApi,

    /// <summary>A REST API (API Gateway v1) with Lambda proxy integrations: a resource tree, payload format 1.0,
    /// the stage as the first URL segment; unmatched requests get 403 <c>Missing Authentication Token</c>.</summary>
    RestApi,
}

/// <summary>The event format a route's function receives.</summary>
public enum LocalPayloadFormat
{
    /// <summary>Payload format 2.0 (<c>HttpApiRequest</c> / <c>HttpApiResponse</c>); HTTP APIs only.</summary>
    V2,

    /// <summary>Payload format 1.0, the REST proxy format (<c>RestApiRequest</c> / <c>RestApiResponse</c>).</summary>
    V1,
}

/// <summary>How callers of a route are authorized.</summary>
public enum LocalRouteAuthorization
{
    /// <summary>Anyone may call the route.</summary>
    None,

    /// <summary>AWS Signature Version 4 (<c>AWS_IAM</c>). Locally the signature is <b>not</b> verified: a request
    /// whose <c>Authorization</c> header starts with <c>AWS4-HMAC-SHA256</c> (or a presigned URL with
    /// <c>X-Amz-Algorithm=AWS4-HMAC-SHA256</c>) is accepted; any other request is refused with 403 as AWS refuses
    /// an unsigned one.</summary>
    Iam,

    /// <summary>A JWT checked by the API's <see cref="LocalApiDefinition.JwtAuthorizer"/> (HTTP APIs only).</summary>
    Jwt,
}

/// <summary>
/// One API served by <see cref="LocalApiGateway"/>: what the construct tree says about an HTTP API or a REST API, in
/// a shape that does not depend on Lamina's construct library (an adapter fills it in).
/// </summary>
public sealed record LocalApiDefinition
{
    private string? _apiId;
    private string? _stageName;
    private TimeSpan? _integrationTimeout;

    /// <summary>The display name, for example the construct path <c>shop/Api</c>; unique within a gateway.</summary>
    public required string Name { get; init; }

    /// <summary>HTTP API or REST API.</summary>
    public required LocalApiKind Kind { get; init; }

    /// <summary>The 10-character API id sent in <c>requestContext.apiId</c>. Default: derived from
    /// <see cref="Name"/> (lower-case letters and digits of its SHA-256), the same on every run.</summary>
    public string ApiId
    {
        get => _apiId ?? DeriveApiId(Name);
        init => _apiId = value;
    }

    /// <summary>The stage. Default: <c>$default</c> for an HTTP API (no stage segment in its URLs) and <c>Prod</c>
    /// for a REST API (its URL paths start with <c>/Prod</c>). An HTTP API with another stage name is served
    /// under <c>/{stage}/</c>, as AWS serves named stages.</summary>
    public string StageName
    {
        get => _stageName ?? (Kind == LocalApiKind.RestApi ? "Prod" : "$default");
        init => _stageName = value;
    }

    /// <summary>The routes: <c>METHOD /path</c> (<c>ANY</c> for every method, <c>{name}</c> parameters, a final
    /// greedy <c>{name+}</c>) and, for HTTP APIs, <c>$default</c>.</summary>
    public required IReadOnlyList<LocalApiRoute> Routes { get; init; }

    /// <summary>CORS, with HTTP API semantics (the gateway answers preflight requests and adds the headers). Default:
    /// none.</summary>
    public LocalCorsConfig? Cors { get; init; }

    /// <summary>The JWT authorizer of routes with <see cref="LocalRouteAuthorization.Jwt"/>. Default: none.</summary>
    public LocalJwtAuthorizer? JwtAuthorizer { get; init; }

    /// <summary>How long the gateway waits for the function. Default: 30 seconds for an HTTP API (then 503
    /// <c>Service Unavailable</c>), 29 seconds for a REST API (then 504 <c>Endpoint request timed out</c>).</summary>
    public TimeSpan IntegrationTimeout
    {
        get => _integrationTimeout ?? (Kind == LocalApiKind.RestApi ? TimeSpan.FromSeconds(29) : TimeSpan.FromSeconds(30));
        init => _integrationTimeout = value;
    }

    /// <summary>The steady-state request rate (requests per second) of the stage; requests beyond the token bucket
    /// get 429 <c>Too Many Requests</c>. Default: null, not limited (with only a burst limit, the rate equals it).</summary>
    public int? ThrottlingRateLimit { get; init; }

    /// <summary>The token bucket's size (burst). Default: null (with only a rate limit, the burst equals the rate).</summary>
    public int? ThrottlingBurstLimit { get; init; }

    /// <summary>REST APIs: the media types treated as binary (<c>binaryMediaTypes</c>, for example
    /// <c>image/png</c> or <c>*/*</c>). A function response with <c>isBase64Encoded: true</c> is decoded only when
    /// the request's <c>Accept</c> or the response's <c>Content-Type</c> matches one; otherwise the client gets the
    /// base64 text, as from AWS. Default: none. HTTP APIs always decode.</summary>
    public IReadOnlyList<string> BinaryMediaTypes { get; init; } = [];

    /// <summary>Stage variables sent in <c>stageVariables</c>. Default: none (null in the event).</summary>
    public IReadOnlyDictionary<string, string>? StageVariables { get; init; }

    /// <summary>A 10-character API id derived from <paramref name="name"/>: lower-case letters and digits.</summary>
    /// <param name="name">The API's display name.</param>
    public static string DeriveApiId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        var id = new char[10];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[hash[i] % alphabet.Length];
        }

        return new string(id);
    }
}

/// <summary>One route of a <see cref="LocalApiDefinition"/>.</summary>
public sealed record LocalApiRoute
{
    /// <summary>The route key: <c>GET /orders/{id}</c>, <c>ANY /{proxy+}</c>, <c>GET /</c>, or (HTTP APIs)
    /// <c>$default</c>.</summary>
    public required string RouteKey { get; init; }

    /// <summary>The function the route invokes (the name given to the <see cref="LocalApiInvoker"/>).</summary>
    public required string FunctionName { get; init; }

    /// <summary>The payload format. Default: <see cref="LocalPayloadFormat.V2"/>. REST API routes always use
    /// 1.0, whatever this says.</summary>
    public LocalPayloadFormat PayloadFormat { get; init; } = LocalPayloadFormat.V2;

    /// <summary>How callers are authorized. Default: <see cref="LocalRouteAuthorization.None"/>.</summary>
    public LocalRouteAuthorization Authorization { get; init; } = LocalRouteAuthorization.None;

    /// <summary>JWT routes: the token must hold at least one of these scopes (<c>scope</c> or <c>scp</c> claim),
    /// else 403 <c>Forbidden</c>. Default: none required.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}

/// <summary>The CORS configuration of an HTTP API. When set, the gateway answers preflight requests
/// (<c>OPTIONS</c> with <c>Origin</c> and <c>Access-Control-Request-Method</c>) itself with 204, adds
/// <c>access-control-*</c> headers to responses for allowed origins, and drops the <c>access-control-*</c>
/// headers functions return.</summary>
public sealed record LocalCorsConfig
{
    /// <summary>Allowed origins: exact (<c>https://www.example.com</c>), with a <c>*</c> wildcard
    /// (<c>https://*.example.com</c>), or <c>*</c> for any.</summary>
    public IReadOnlyList<string> AllowOrigins { get; init; } = [];

    /// <summary>Allowed methods, sent in <c>access-control-allow-methods</c> of preflight responses.</summary>
    public IReadOnlyList<string> AllowMethods { get; init; } = [];

    /// <summary>Allowed request headers, sent in <c>access-control-allow-headers</c> of preflight responses.</summary>
    public IReadOnlyList<string> AllowHeaders { get; init; } = [];

    /// <summary>Response headers browsers may read, sent in <c>access-control-expose-headers</c>.</summary>
    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];

    /// <summary>How long browsers may cache a preflight result (<c>access-control-max-age</c>, whole seconds), or
    /// null to send none.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Whether <c>access-control-allow-credentials: true</c> is sent.</summary>
    public bool AllowCredentials { get; init; }
}

/// <summary>
/// Invokes a function for the gateway. The payload is a buffer the gateway reuses after the returned task
/// completes: an invoker that keeps it longer must copy it. <paramref name="cancellationToken"/> is cancelled when
/// the client goes away; at the integration timeout the gateway stops waiting (the task may go on).
/// </summary>
/// <param name="functionName">The route's <see cref="LocalApiRoute.FunctionName"/>.</param>
/// <param name="payload">The event (UTF-8 JSON, payload format 1.0 or 2.0).</param>
/// <param name="cancellationToken">Cancelled when the client disconnects.</param>
/// <returns>Lambda's answer, as <see cref="LocalLambdaHost.InvokeAsync"/> gives it.</returns>
public delegate Task<LocalInvokeResult> LocalApiInvoker(string functionName, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
