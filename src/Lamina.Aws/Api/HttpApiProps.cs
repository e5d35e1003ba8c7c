using Lamina.Values;

namespace Lamina.Aws.Api;

/// <summary>How callers of a route are authorized.</summary>
public enum RouteAuthorization
{
    /// <summary>Anyone may call the route (<c>authorizationType NONE</c>).</summary>
    None,
    /// <summary>Callers sign requests with AWS Signature Version 4 and need <c>execute-api:Invoke</c> (<c>AWS_IAM</c>).</summary>
    Iam,
    /// <summary>Callers send a JWT checked by the API's JWT authorizer (<c>JWT</c>); needs <see cref="HttpApiProps.JwtAuthorizer"/>.</summary>
    Jwt,
}

/// <summary>The payload format API Gateway uses to call a function behind an HTTP API route.</summary>
public enum PayloadFormat
{
    /// <summary>Version 2.0: the function receives <c>HttpApiRequest</c> and returns <c>HttpApiResponse</c>.</summary>
    V2,
    /// <summary>Version 1.0 (the REST API proxy format): the function receives <c>RestApiRequest</c> and returns <c>RestApiResponse</c>.</summary>
    V1,
}

/// <summary>Options of one HTTP API route.</summary>
public sealed record RouteOptions
{
    /// <summary>How callers are authorized. Default: the API's <see cref="HttpApiProps.DefaultAuthorization"/>.</summary>
    public RouteAuthorization? Authorization { get; init; }

    /// <summary>
    /// OAuth scopes of which the caller's JWT must hold at least one (JWT routes only; each 1-255 characters, no spaces).
    /// Default: none (any valid token).
    /// </summary>
    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>
/// The CORS configuration of an HTTP API: API Gateway answers preflight <c>OPTIONS</c> requests itself and adds
/// the headers to responses (ignoring CORS headers the functions return).
/// </summary>
public sealed record HttpApiCors
{
    /// <summary>Allowed origins, such as <c>https://www.example.com</c>, <c>https://*</c> or <c>*</c>. Required: at least one.</summary>
    public required IReadOnlyList<string> AllowOrigins { get; init; }

    /// <summary>Allowed methods (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or <c>*</c>). Default: none listed (API Gateway then allows none beyond simple requests).</summary>
    public IReadOnlyList<string>? AllowMethods { get; init; }

    /// <summary>Allowed request headers (or <c>*</c>). Default: none listed.</summary>
    public IReadOnlyList<string>? AllowHeaders { get; init; }

    /// <summary>Response headers the browser may read (or <c>*</c>). Default: none listed.</summary>
    public IReadOnlyList<string>? ExposeHeaders { get; init; }

    /// <summary>How long browsers may cache preflight results, 0-86,400 s in whole seconds. Default: not sent (browser default).</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Whether requests may carry credentials (cookies, Authorization); not allowed with the origin <c>*</c>. Default: false.</summary>
    public bool AllowCredentials { get; init; }
}

/// <summary>A JWT authorizer of an HTTP API (such as a Cognito user pool or any OpenID Connect issuer).</summary>
public sealed record JwtAuthorizerProps
{
    /// <summary>The token issuer, an <c>https://</c> URL whose <c>/.well-known/openid-configuration</c> API Gateway reads. Required.</summary>
    public required Input<string> Issuer { get; init; }

    /// <summary>Accepted audiences: a token's <c>aud</c> (or <c>client_id</c>) must match one. Required: at least one.</summary>
    public required IReadOnlyList<Input<string>> Audiences { get; init; }

    /// <summary>Where the token is read from. Default: <c>$request.header.Authorization</c>.</summary>
    public string IdentitySource { get; init; } = "$request.header.Authorization";

    /// <summary>The authorizer's name (1-128 characters). Default: <c>jwt</c>.</summary>
    public string Name { get; init; } = "jwt";
}

/// <summary>Access logging of an API's stage to a CloudWatch log group the construct creates.</summary>
public sealed record AccessLogProps
{
    /// <summary>
    /// Days CloudWatch keeps the logs, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
    /// 2192, 2557, 2922, 3288, 3653; 0 keeps them forever. Default: 14.
    /// </summary>
    public int RetentionDays { get; init; } = 14;

    /// <summary>
    /// The log line format with <c>$context</c> variables; it must contain <c>$context.requestId</c> or
    /// <c>$context.extendedRequestId</c>. Default: a JSON object with requestId, ip, requestTime, httpMethod, routeKey,
    /// path, status, protocol, responseLength, integrationError and integrationLatency (see <see cref="HttpApi.DefaultAccessLogFormat"/>).
    /// </summary>
    public string? Format { get; init; }
}

/// <summary>Callbacks that adjust an HTTP API's underlying resources before synthesis (an escape hatch).</summary>
public sealed record HttpApiTransforms
{
    /// <summary>Adjusts the <c>aws:apigatewayv2:Api</c> arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGatewayV2.ApiArgs>? Api { get; init; }

    /// <summary>Adjusts the <c>$default</c> stage's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGatewayV2.StageArgs>? Stage { get; init; }

    /// <summary>Adjusts every route's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGatewayV2.RouteArgs>? Route { get; init; }

    /// <summary>Adjusts every integration's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGatewayV2.IntegrationArgs>? Integration { get; init; }

    /// <summary>Adjusts the JWT authorizer's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGatewayV2.AuthorizerArgs>? Authorizer { get; init; }

    /// <summary>Adjusts the access log group's arguments.</summary>
    public Action<Lamina.Aws.Resources.CloudWatch.LogGroupArgs>? AccessLogGroup { get; init; }
}

/// <summary>Options of an <see cref="HttpApi"/>. Every option is validated at construction.</summary>
public sealed record HttpApiProps
{
    /// <summary>The API's name (1-128 characters). Default: <c>&lt;project&gt;-&lt;stack&gt;-&lt;construct path&gt;</c>.</summary>
    public string? Name { get; init; }

    /// <summary>A description (at most 1,024 characters). Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>CORS. Default: none (API Gateway adds no CORS headers).</summary>
    public HttpApiCors? Cors { get; init; }

    /// <summary>A JWT authorizer for routes with <see cref="RouteAuthorization.Jwt"/>. Default: none.</summary>
    public JwtAuthorizerProps? JwtAuthorizer { get; init; }

    /// <summary>The authorization of routes that do not set one. Default: <see cref="RouteAuthorization.None"/>.</summary>
    public RouteAuthorization DefaultAuthorization { get; init; } = RouteAuthorization.None;

    /// <summary>Access logs of the <c>$default</c> stage. Default: none.</summary>
    public AccessLogProps? AccessLogs { get; init; }

    /// <summary>Whether the API's URL (the <c>$default</c> stage's invoke URL) is added as a stack output. Default: true.</summary>
    public bool UrlOutput { get; init; } = true;

    /// <summary>The name of that stack output. Default: <c>&lt;construct id&gt;Url</c> (an API with id <c>Api</c> adds <c>ApiUrl</c>).</summary>
    public string? UrlOutputName { get; init; }

    /// <summary>Adjusts the underlying resources before synthesis. Default: none.</summary>
    public HttpApiTransforms? Transform { get; init; }
}
