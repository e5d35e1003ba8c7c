using Lamina.Aws.Semantics.Api;
using System.Globalization;
using System.Text.RegularExpressions;
using Lamina.Aws.Lambda;
using Lamina.Aws.Resources.ApiGatewayV2;
using Lamina.Aws.Resources.ApiGatewayV2.Inputs;
using Lamina.Aws.Resources.CloudWatch;
using Lamina.Lambda;
using Lamina.Values;
using Permission = Lamina.Aws.Resources.Lambda.Permission;
using ApiResource = Lamina.Aws.Resources.ApiGatewayV2.Api;

namespace Lamina.Aws.Api;

/// <summary>One route of an <see cref="HttpApi"/> and the resources behind it.</summary>
public sealed class HttpApiRoute
{
    internal HttpApiRoute(string routeKey, FunctionBase function, PayloadFormat payloadFormat, RouteAuthorization authorization, Route route, Integration integration, Permission permission)
    {
        RouteKey = routeKey;
        Function = function;
        PayloadFormat = payloadFormat;
        Authorization = authorization;
        Route = route;
        Integration = integration;
        Permission = permission;
    }

    /// <summary>The route key, such as <c>GET /orders/{id}</c> or <c>$default</c>.</summary>
    public string RouteKey { get; }

    /// <summary>The function behind the route.</summary>
    public FunctionBase Function { get; }

    /// <summary>The payload format the function receives.</summary>
    public PayloadFormat PayloadFormat { get; }

    /// <summary>How callers are authorized.</summary>
    public RouteAuthorization Authorization { get; }

    /// <summary>The <c>aws:apigatewayv2:Route</c>.</summary>
    public Route Route { get; }

    /// <summary>The function's <c>aws:apigatewayv2:Integration</c> (shared by the function's routes with the same payload format).</summary>
    public Integration Integration { get; }

    /// <summary>The <c>aws:lambda:Permission</c> letting this API invoke the function for this route only.</summary>
    public Permission Permission { get; }
}

/// <summary>
/// An API Gateway HTTP API (<c>aws:apigatewayv2:Api</c>, protocol HTTP) with a <c>$default</c> stage that deploys
/// automatically. Each route sends requests to a Lambda function through an <c>AWS_PROXY</c> integration (one per
/// function and payload format) and has its own <c>aws:lambda:Permission</c> whose source ARN names this API, the
/// route's method and path only. Routes may be public, IAM-signed (<c>AWS_IAM</c>) or JWT-authorized.
/// The API's URL is added as the stack output <c>&lt;id&gt;Url</c> (<see cref="HttpApiProps.UrlOutput"/>).
/// </summary>
/// <remarks>
/// Checks at synthesis: route keys are validated as API Gateway does (see <see cref="ApiRoutes"/>); a key added twice, or
/// two keys that differ only in parameter names, is an error naming the key; a function whose timeout exceeds the 30-second
/// HTTP API integration timeout is a warning.
/// </remarks>
/// <example>
/// <code>
/// var api = new HttpApi(stack, "Api", new()
/// {
///     Cors = new() { AllowOrigins = ["https://shop.example.com"], AllowMethods = ["GET", "POST"] },
/// });
/// api.AddRoute("GET /orders/{id}", new Function&lt;GetOrder&gt;(stack, "GetOrder"));     // GetOrder : IHttpApiHandler
/// api.AddRoute("POST /orders", new Function&lt;PlaceOrder&gt;(stack, "PlaceOrder"), new() { Authorization = RouteAuthorization.Iam });
/// checkout.GrantStartExecution(api.Function("POST /orders"));
/// // stack output "ApiUrl": https://&lt;api-id&gt;.execute-api.&lt;region&gt;.amazonaws.com/
/// </code>
/// </example>
public sealed class HttpApi : Construct
{
    /// <summary>How long an HTTP API waits for an integration, in seconds (the quota's maximum; it cannot be raised).</summary>
    public const int IntegrationTimeoutSeconds = 30;

    /// <summary>The access log format used when <see cref="AccessLogProps.Format"/> is not set: one JSON object per request.</summary>
    public const string DefaultAccessLogFormat =
        "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\",\"requestTime\":\"$context.requestTime\"," +
        "\"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\",\"path\":\"$context.path\",\"status\":\"$context.status\"," +
        "\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\"," +
        "\"integrationError\":\"$context.integrationErrorMessage\",\"integrationLatency\":\"$context.integrationLatency\"}";

    internal static readonly int[] RetentionValues = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
    private static readonly string[] CorsMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "*"];

    private readonly Dictionary<string, HttpApiRoute> _routes = new(StringComparer.Ordinal);
    private readonly List<HttpApiRoute> _routeList = new();
    private readonly Dictionary<string, string> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<(FunctionBase, PayloadFormat), Integration> _integrations = new();
    private Construct? _routeScope;
    private Construct? _integrationScope;

    /// <summary>Creates the API, its <c>$default</c> stage and, as configured, its JWT authorizer, access log group and URL output.</summary>
    public HttpApi(Construct scope, string id, HttpApiProps? props = null) : base(scope, id)
    {
        Props = props ??= new HttpApiProps();
        ValidateProps(props);
        ApiName = props.Name ?? Lamina.Resources.LogicalNames.PhysicalName(this, 128);

        Resource = new ApiResource(this, DefaultChildId, new ApiArgs
        {
            Name = ApiName,
            ProtocolType = "HTTP",
            Description = props.Description is { } d ? (Input<string>)d : null,
            CorsConfiguration = props.Cors is { } c ? CorsArgs(c) : null,
        });

        if (props.JwtAuthorizer is { } jwt)
        {
            var audiences = new InputList<string>();
            foreach (var a in jwt.Audiences)
            {
                audiences.Add(a);
            }
            Authorizer = new Authorizer(this, "JwtAuthorizer", new AuthorizerArgs
            {
                ApiId = Resource.ResourceId,
                AuthorizerType = "JWT",
                Name = jwt.Name,
                IdentitySources = [jwt.IdentitySource],
                JwtConfiguration = new AuthorizerJwtConfigurationArgs { Issuer = jwt.Issuer, Audiences = audiences },
            });
        }

        if (props.AccessLogs is { } logs)
        {
            AccessLogGroup = new LogGroup(this, "AccessLogs", new LogGroupArgs
            {
                Name = "/aws/apigateway/" + Lamina.Resources.LogicalNames.PhysicalName(this, 200),
                RetentionInDays = logs.RetentionDays == 0 ? null : logs.RetentionDays,
            });
        }

        Stage = new Stage(this, "Stage", new StageArgs
        {
            ApiId = Resource.ResourceId,
            Name = "$default",
            AutoDeploy = true,
            AccessLogSettings = AccessLogGroup is null ? null : new StageAccessLogSettingsArgs
            {
                DestinationArn = AccessLogGroup.Arn,
                Format = props.AccessLogs!.Format ?? DefaultAccessLogFormat,
            },
        });

        if (props.UrlOutput)
        {
            UrlOutputName = ApiRoutes.AddUrlOutput(this, props.UrlOutputName ?? id + "Url", Url);
        }
    }

    /// <summary>The options the API was created with.</summary>
    public HttpApiProps Props { get; }

    /// <summary>The API's name.</summary>
    public string ApiName { get; }

    /// <summary>The <c>aws:apigatewayv2:Api</c> resource.</summary>
    public ApiResource Resource { get; }

    /// <summary>The <c>$default</c> stage (auto-deployed).</summary>
    public Stage Stage { get; }

    /// <summary>The JWT authorizer, when <see cref="HttpApiProps.JwtAuthorizer"/> is set.</summary>
    public Authorizer? Authorizer { get; }

    /// <summary>The access log group, when <see cref="HttpApiProps.AccessLogs"/> is set.</summary>
    public LogGroup? AccessLogGroup { get; }

    /// <summary>The name of the stack output holding <see cref="Url"/>, or null when none is added.</summary>
    public string? UrlOutputName { get; }

    /// <summary>The API's id.</summary>
    public Output<string> ApiId => Resource.ResourceId;

    /// <summary>The API's execution ARN (<c>arn:aws:execute-api:&lt;region&gt;:&lt;account&gt;:&lt;api-id&gt;</c>).</summary>
    public Output<string> ExecutionArn => Resource.ExecutionArn;

    /// <summary>The URL of the <c>$default</c> stage, such as <c>https://abc123.execute-api.us-east-1.amazonaws.com/</c>.</summary>
    public Output<string> Url => Stage.InvokeUrl;

    /// <summary>The routes, in the order they were added.</summary>
    public IReadOnlyList<HttpApiRoute> Routes => _routeList;

    /// <summary>Adds a route to a .NET function whose handler takes HTTP API events (payload format 2.0), checked by the compiler.</summary>
    /// <param name="routeKey"><c>METHOD /path</c> (such as <c>GET /orders/{id}</c> or <c>ANY /{proxy+}</c>) or <c>$default</c>.</param>
    /// <param name="function">The function; its handler implements <see cref="IHttpApiHandler"/>.</param>
    /// <param name="options">Authorization of the route. Default: the API's default authorization.</param>
    public HttpApi AddRoute<THandler>(string routeKey, Function<THandler> function, RouteOptions? options = null)
        where THandler : class, IHttpApiHandler
        => Add(routeKey, function, PayloadFormat.V2, options);

    /// <summary>Adds a route to a .NET function whose handler takes REST API proxy events (payload format 1.0), checked by the compiler.</summary>
    /// <param name="routeKey"><c>METHOD /path</c> or <c>$default</c>.</param>
    /// <param name="function">The function; its handler implements <see cref="IRestApiHandler"/>.</param>
    /// <param name="options">Authorization of the route. Default: the API's default authorization.</param>
    public HttpApi AddRouteV1<THandler>(string routeKey, Function<THandler> function, RouteOptions? options = null)
        where THandler : class, IRestApiHandler
        => Add(routeKey, function, PayloadFormat.V1, options);

    /// <summary>
    /// Adds a route (payload format 2.0) to a function in another language; it must declare
    /// <see cref="EventSources.HttpApi"/> (checked at synthesis).
    /// </summary>
    /// <param name="routeKey"><c>METHOD /path</c> or <c>$default</c>.</param>
    /// <param name="function">The function.</param>
    /// <param name="options">Authorization of the route. Default: the API's default authorization.</param>
    public HttpApi AddRoute(string routeKey, Function function, RouteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        function.RequireEvents(EventSources.HttpApi, this);
        return Add(routeKey, function, PayloadFormat.V2, options);
    }

    /// <summary>
    /// Adds a route (payload format 1.0) to a function in another language; it must declare
    /// <see cref="EventSources.RestApi"/> (checked at synthesis).
    /// </summary>
    /// <param name="routeKey"><c>METHOD /path</c> or <c>$default</c>.</param>
    /// <param name="function">The function.</param>
    /// <param name="options">Authorization of the route. Default: the API's default authorization.</param>
    public HttpApi AddRouteV1(string routeKey, Function function, RouteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        function.RequireEvents(EventSources.RestApi, this);
        return Add(routeKey, function, PayloadFormat.V1, options);
    }

    /// <summary>The function behind <paramref name="routeKey"/> (as written when the route was added).</summary>
    /// <exception cref="ArgumentException">The API has no such route.</exception>
    public FunctionBase Function(string routeKey) => _routes.TryGetValue(routeKey, out var r)
        ? r.Function
        : throw new ArgumentException($"{Path}: there is no route '{routeKey}'; routes: {(_routes.Count == 0 ? "none" : string.Join(", ", _routes.Keys.Select(k => $"'{k}'")))}.", nameof(routeKey));

    /// <summary>The route with key <paramref name="routeKey"/>, or null.</summary>
    public HttpApiRoute? TryGetRoute(string routeKey) => _routes.GetValueOrDefault(routeKey);

    private HttpApi Add(string routeKey, FunctionBase function, PayloadFormat format, RouteOptions? options)
    {
        ArgumentNullException.ThrowIfNull(function);
        var error = ApiRoutes.TryParseRouteKey(routeKey, out var method, out var segments);
        if (error is not null)
        {
            AddError("routeKey", $"route key '{routeKey}' is invalid: {error}. Rules: {ApiRoutes.Rules}");
            return this;
        }
        if (_routes.TryGetValue(routeKey, out var existing))
        {
            AddError("routeKey", $"route key '{routeKey}' is added twice (to {existing.Function.Path} and {function.Path}); each route key may appear once in an API");
            return this;
        }
        var shape = ApiRoutes.Shape(method, segments);
        if (_shapes.TryGetValue(shape, out var twin))
        {
            AddError("routeKey", $"route key '{routeKey}' matches the same requests as '{twin}' (only the parameter names differ); keep one of them");
            return this;
        }

        var authorization = options?.Authorization ?? Props.DefaultAuthorization;
        var valid = true;
        if (authorization == RouteAuthorization.Jwt && Authorizer is null)
        {
            AddError("Authorization", $"route '{routeKey}' uses JWT authorization but the API has no JWT authorizer: set HttpApiProps.JwtAuthorizer, or use None or Iam");
            valid = false;
        }
        if (options?.Scopes is { Count: > 0 } scopes)
        {
            if (authorization != RouteAuthorization.Jwt)
            {
                AddError("Scopes", $"route '{routeKey}' sets authorization scopes but its authorization is {authorization}; scopes apply to JWT routes only");
                valid = false;
            }
            foreach (var s in scopes.Where(s => string.IsNullOrEmpty(s) || s.Length > 255 || s.Any(char.IsWhiteSpace)))
            {
                AddError("Scopes", $"route '{routeKey}' has an invalid scope '{s}': a scope has 1-255 characters and no spaces");
                valid = false;
            }
        }
        if (!valid)
        {
            return this;
        }

        var integration = IntegrationFor(function, format);
        _routeScope ??= new Construct(this, "Routes");
        var constructId = ApiRoutes.ConstructId(method, segments);
        if (_routeScope.TryFindChild(constructId) is not null)
        {
            constructId = ApiRoutes.WithHash(constructId, routeKey);
        }
        var routeConstruct = new Construct(_routeScope, constructId);
        var route = new Route(routeConstruct, DefaultChildId, new RouteArgs
        {
            ApiId = Resource.ResourceId,
            RouteKey = routeKey,
            Target = Output.Format($"integrations/{integration.ResourceId}"),
            AuthorizationType = authorization switch
            {
                RouteAuthorization.Iam => "AWS_IAM",
                RouteAuthorization.Jwt => "JWT",
                _ => "NONE",
            },
            AuthorizerId = authorization == RouteAuthorization.Jwt ? (Input<string>)Authorizer!.ResourceId : null,
            AuthorizationScopes = authorization == RouteAuthorization.Jwt && options?.Scopes is { Count: > 0 } sc ? (InputList<string>)sc.ToArray() : null,
        });
        var permission = LambdaPermissions.AllowInvoke(routeConstruct, "Permission", function, "apigateway.amazonaws.com",
            Output.Format($"{Resource.ExecutionArn}/{ApiRoutes.SourceArnSuffix(method, segments)}"));

        var r = new HttpApiRoute(routeKey, function, format, authorization, route, integration, permission);
        _routes.Add(routeKey, r);
        _routeList.Add(r);
        _shapes.Add(shape, routeKey);
        return this;
    }

    private Integration IntegrationFor(FunctionBase function, PayloadFormat format)
    {
        if (_integrations.TryGetValue((function, format), out var existing))
        {
            return existing;
        }
        _integrationScope ??= new Construct(this, "Integrations");
        var id = ApiRoutes.IdFromPath(function, format == PayloadFormat.V1 ? "-v1" : "");
        var integration = new Integration(_integrationScope, id, new IntegrationArgs
        {
            ApiId = Resource.ResourceId,
            IntegrationType = "AWS_PROXY",
            IntegrationMethod = "POST",
            IntegrationUri = function.InvokeArn,
            PayloadFormatVersion = format == PayloadFormat.V1 ? "1.0" : "2.0",
        });
        _integrations.Add((function, format), integration);
        return integration;
    }

    /// <inheritdoc />
    protected override void Prepare()
    {
        var t = Props.Transform;
        if (t is null)
        {
            return;
        }
        t.Api?.Invoke(Resource.Args);
        t.Stage?.Invoke(Stage.Args);
        if (Authorizer is not null)
        {
            t.Authorizer?.Invoke(Authorizer.Args);
        }
        if (AccessLogGroup is not null)
        {
            t.AccessLogGroup?.Invoke(AccessLogGroup.Args);
        }
        foreach (var i in _integrations.Values)
        {
            t.Integration?.Invoke(i.Args);
        }
        foreach (var r in _routeList)
        {
            t.Route?.Invoke(r.Route.Args);
        }
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        foreach (var group in _routeList.GroupBy(r => r.Function))
        {
            var fn = group.Key;
            if (fn.Timeout > TimeSpan.FromSeconds(IntegrationTimeoutSeconds))
            {
                AddWarning("routes", $"function {fn.Path} (behind {string.Join(", ", group.Select(r => $"'{r.RouteKey}'"))}) has a timeout of " +
                    $"{fn.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, but an HTTP API waits at most {IntegrationTimeoutSeconds} s for an integration " +
                    "(a quota that cannot be raised): callers get an error after 30 s while the function keeps running. Lower the timeout to 30 s or less, " +
                    "or hand long work to a queue or state machine (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html)");
            }
        }
        if (Props.Cors is not null && _routes.TryGetValue(ApiRoutes.DefaultRouteKey, out var def) && def.Authorization != RouteAuthorization.None)
        {
            AddWarning("routes", $"the '$default' route requires {def.Authorization} authorization and CORS is configured: browsers' preflight OPTIONS requests " +
                "(which carry no credentials) reach the $default route and fail authorization. Add an 'OPTIONS /{proxy+}' route without authorization " +
                "(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html)");
        }
    }

    private void ValidateProps(HttpApiProps p)
    {
        if (p.Name is { } name && (name.Length is 0 or > 128))
        {
            AddError("Name", $"API name '{name}' has {name.Length} characters; API Gateway allows 1-128");
        }
        if (p.Description is { Length: > 1024 })
        {
            AddError("Description", $"description has {p.Description.Length} characters; API Gateway allows at most 1,024");
        }
        if (p.Cors is { } cors)
        {
            if (cors.AllowOrigins.Count == 0)
            {
                AddError("Cors.AllowOrigins", "CORS needs at least one allowed origin: '*', 'https://*', or origins such as 'https://www.example.com'");
            }
            foreach (var o in cors.AllowOrigins.Where(o => o != "*" && !o.StartsWith("https://", StringComparison.Ordinal) && !o.StartsWith("http://", StringComparison.Ordinal)))
            {
                AddError("Cors.AllowOrigins", $"CORS origin '{o}' is invalid: use '*' or a scheme and host such as 'https://www.example.com' (or 'https://*')");
            }
            if (cors.AllowCredentials && cors.AllowOrigins.Contains("*"))
            {
                AddError("Cors.AllowCredentials", "CORS with AllowCredentials = true cannot use the origin '*' (API Gateway rejects it, and browsers refuse credentials with a wildcard origin): list the allowed origins explicitly");
            }
            foreach (var m in (cors.AllowMethods ?? []).Where(m => !CorsMethods.Contains(m)))
            {
                AddError("Cors.AllowMethods", $"CORS method '{m}' is invalid: use {string.Join(", ", CorsMethods)}");
            }
            if (cors.MaxAge is { } age && (age < TimeSpan.Zero || age > TimeSpan.FromSeconds(86400) || age.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                AddError("Cors.MaxAge", $"CORS max age {age} is out of range: 0-86,400 seconds, in whole seconds");
            }
        }
        if (p.JwtAuthorizer is { } jwt)
        {
            if (jwt.Issuer.ToExpr() is LiteralExpr { Value: string issuer } && !issuer.StartsWith("https://", StringComparison.Ordinal))
            {
                AddError("JwtAuthorizer.Issuer", $"JWT issuer '{issuer}' must be an https:// URL, such as 'https://cognito-idp.us-east-1.amazonaws.com/<user-pool-id>'");
            }
            if (jwt.Audiences.Count == 0)
            {
                AddError("JwtAuthorizer.Audiences", "a JWT authorizer needs at least one audience (such as an app client id)");
            }
            if (jwt.Name.Length is 0 or > 128)
            {
                AddError("JwtAuthorizer.Name", $"authorizer name '{jwt.Name}' has {jwt.Name.Length} characters; API Gateway allows 1-128");
            }
            if (!jwt.IdentitySource.StartsWith("$request.", StringComparison.Ordinal))
            {
                AddError("JwtAuthorizer.IdentitySource", $"identity source '{jwt.IdentitySource}' is invalid: use a request selection expression such as '$request.header.Authorization'");
            }
        }
        else if (p.DefaultAuthorization == RouteAuthorization.Jwt)
        {
            AddError("DefaultAuthorization", "the default authorization is Jwt but the API has no JWT authorizer: set JwtAuthorizer, or use None or Iam");
        }
        if (p.AccessLogs is { } logs)
        {
            if (Array.IndexOf(RetentionValues, logs.RetentionDays) < 0)
            {
                AddError("AccessLogs.RetentionDays", $"log retention {logs.RetentionDays} days is not one CloudWatch accepts: 0 (forever) or one of {string.Join(", ", RetentionValues.Skip(1))}");
            }
            if (logs.Format is { } f && !f.Contains("$context.requestId", StringComparison.Ordinal) && !f.Contains("$context.extendedRequestId", StringComparison.Ordinal))
            {
                AddError("AccessLogs.Format", "the access log format must contain $context.requestId or $context.extendedRequestId (API Gateway rejects other formats)");
            }
        }
    }

    private static ApiCorsConfigurationArgs CorsArgs(HttpApiCors c) => new()
    {
        AllowOrigins = c.AllowOrigins.ToArray(),
        AllowMethods = c.AllowMethods is { Count: > 0 } m ? (InputList<string>)m.ToArray() : null,
        AllowHeaders = c.AllowHeaders is { Count: > 0 } h ? (InputList<string>)h.ToArray() : null,
        ExposeHeaders = c.ExposeHeaders is { Count: > 0 } e ? (InputList<string>)e.ToArray() : null,
        MaxAge = c.MaxAge is { } age ? age.TotalSeconds : null,
        AllowCredentials = c.AllowCredentials ? true : null,
    };
}
