namespace Lamina.Local.Api;

/// <summary>How the gateway handled one request.</summary>
public enum LocalApiOutcome
{
    /// <summary>The function answered and its response was sent.</summary>
    Integration,

    /// <summary>The gateway answered a CORS preflight request itself (204).</summary>
    CorsPreflight,

    /// <summary>No route matched (HTTP API 404 <c>Not Found</c>; REST API 403 <c>Missing Authentication Token</c>,
    /// or 403 <c>Forbidden</c> outside the stage).</summary>
    NoRoute,

    /// <summary>The JWT was missing or invalid (401 <c>Unauthorized</c>).</summary>
    Unauthorized,

    /// <summary>The caller was refused: insufficient JWT scope or an unsigned request to an IAM route (403).</summary>
    Forbidden,

    /// <summary>The stage's throttling limit was exceeded (429 <c>Too Many Requests</c>).</summary>
    Throttled,

    /// <summary>The request body was over the limit (413).</summary>
    PayloadTooLarge,

    /// <summary>The function failed (error, crash, its own timeout): HTTP API 500, REST API 502.</summary>
    FunctionError,

    /// <summary>Lambda refused the invocation (throttled, unknown function, payload too large).</summary>
    LambdaServiceError,

    /// <summary>The function's response was not a valid proxy response: HTTP API 500, REST API 502.</summary>
    InvalidResponse,

    /// <summary>The function did not answer within the integration timeout: HTTP API 503, REST API 504.</summary>
    IntegrationTimeout,

    /// <summary>The client went away before the answer.</summary>
    ClientClosed,

    /// <summary>The gateway itself failed (a bug, or an invoker that threw): 500.</summary>
    GatewayError,
}

/// <summary>One request the gateway handled (for the development log).</summary>
public sealed record LocalApiRequestRecord
{
    /// <summary>The API's <see cref="LocalApiDefinition.Name"/>.</summary>
    public required string ApiName { get; init; }

    /// <summary>The request id (<c>requestContext.requestId</c>).</summary>
    public required string RequestId { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The path as the client sent it (with the stage segment, without the query).</summary>
    public required string Path { get; init; }

    /// <summary>The query string without <c>?</c>, empty when none.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>The matched route key, or null when none matched (or before routing, such as a throttled request).</summary>
    public string? RouteKey { get; init; }

    /// <summary>The function invoked, or null when none was.</summary>
    public string? FunctionName { get; init; }

    /// <summary>The status sent to the client (499 when the client went away).</summary>
    public required int StatusCode { get; init; }

    /// <summary>What happened.</summary>
    public required LocalApiOutcome Outcome { get; init; }

    /// <summary>A detail of an error (the function's error type and message, what is wrong with a response or a
    /// token), or null.</summary>
    public string? Detail { get; init; }

    /// <summary>When the request arrived (gateway clock).</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>How long the gateway took (gateway clock).</summary>
    public required TimeSpan Duration { get; init; }
}

/// <summary>An API the gateway serves (for the development table of endpoints).</summary>
public sealed record LocalApiEndpoint
{
    /// <summary>The API's <see cref="LocalApiDefinition.Name"/>.</summary>
    public required string Name { get; init; }

    /// <summary>HTTP API or REST API.</summary>
    public required LocalApiKind Kind { get; init; }

    /// <summary>The API id.</summary>
    public required string ApiId { get; init; }

    /// <summary>The stage.</summary>
    public required string StageName { get; init; }

    /// <summary>The base URL: <c>http://127.0.0.1:PORT/</c>, or <c>http://127.0.0.1:PORT/{stage}/</c> for REST
    /// APIs and named HTTP API stages.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The routes, as defined.</summary>
    public required IReadOnlyList<LocalApiRoute> Routes { get; init; }
}
