using Lamina.Aws.Semantics.Api;
using System.Globalization;
using System.Text.RegularExpressions;
using Lamina.Aws.Lambda;
using Lamina.Lambda;
using Lamina.Resources;
using Lamina.Values;
using Gw = Lamina.Aws.Resources.ApiGateway;
using Permission = Lamina.Aws.Resources.Lambda.Permission;

namespace Lamina.Aws.Api;

/// <summary>One method of a <see cref="RestApi"/> and the resources behind it.</summary>
public sealed class RestApiMethod
{
    internal RestApiMethod(string httpMethod, string path, FunctionBase function, RestAuthorization authorization, Gw.Method method, Gw.Integration integration, Permission permission)
    {
        HttpMethod = httpMethod;
        ResourcePath = path;
        Function = function;
        Authorization = authorization;
        Method = method;
        Integration = integration;
        Permission = permission;
    }

    /// <summary>The HTTP method (<c>GET</c>, …, or <c>ANY</c>).</summary>
    public string HttpMethod { get; }

    /// <summary>The resource path, such as <c>/orders/{id}</c>.</summary>
    public string ResourcePath { get; }

    /// <summary>The method's key: <c>GET /orders/{id}</c>.</summary>
    public string Key => HttpMethod + " " + ResourcePath;

    /// <summary>The function behind the method.</summary>
    public FunctionBase Function { get; }

    /// <summary>How callers are authorized.</summary>
    public RestAuthorization Authorization { get; }

    /// <summary>The <c>aws:apigateway:Method</c>.</summary>
    public Gw.Method Method { get; }

    /// <summary>The method's <c>AWS_PROXY</c> <c>aws:apigateway:Integration</c>.</summary>
    public Gw.Integration Integration { get; }

    /// <summary>The <c>aws:lambda:Permission</c> letting this API invoke the function for this method and path only.</summary>
    public Permission Permission { get; }
}

/// <summary>
/// An API Gateway REST API (v1, <c>aws:apigateway:RestApi</c>) whose methods call Lambda functions through
/// <c>AWS_PROXY</c> integrations (payload format 1.0: <c>RestApiRequest</c> / <c>RestApiResponse</c>). It creates a
/// resource per path segment (nested; <c>{name}</c> parameters and a greedy <c>{proxy+}</c>), a method, integration and
/// scoped <c>aws:lambda:Permission</c> per route, one deployment that is replaced whenever the set of routes changes
/// (its <c>triggers.redeployment</c> is a hash of the routes) and that depends on every method and integration, and a
/// stage (default <c>Prod</c>). The stage URL is added as the stack output <c>&lt;id&gt;Url</c>.
/// </summary>
/// <remarks>
/// Checks at synthesis: method and path are validated as API Gateway does; a method added twice on a path, or two
/// different parameter segments under one parent (<c>/orders/{id}</c> and <c>/orders/{orderId}</c>), is an error; an API
/// without methods is an error (API Gateway refuses to deploy it); a function whose timeout exceeds the 29-second default
/// integration timeout is a warning. Changes made through transforms are not part of the redeployment hash.
/// </remarks>
/// <example>
/// <code>
/// var api = new RestApi(stack, "Api");
/// api.AddRoute("GET", "/", new Function&lt;Home&gt;(stack, "Home"));                 // Home : IRestApiHandler
/// api.AddRoute("ANY", "/items/{proxy+}", new Function(stack, "Items", new CodeFunctionProps
/// {
///     Code = "examples/items", Runtime = Runtime.Python313, Handler = "app.handler", Handles = EventSources.RestApi,
/// }));
/// // stack output "ApiUrl": https://&lt;api-id&gt;.execute-api.&lt;region&gt;.amazonaws.com/Prod
/// </code>
/// </example>
public sealed class RestApi : Construct
{
    /// <summary>How long a REST API waits for an integration by default, in seconds (Regional and private APIs may raise it through a quota request).</summary>
    public const int DefaultIntegrationTimeoutSeconds = 29;

    private static readonly Regex StageNamePattern = new("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, RestApiMethod> _methods = new(StringComparer.Ordinal);
    private readonly List<RestApiMethod> _methodList = new();
    private readonly Dictionary<string, Gw.Resource> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _variableChildren = new(StringComparer.Ordinal);
    private Construct? _routeScope;
    private Construct? _resourceScope;

    /// <summary>Creates the API, its deployment and stage and, unless disabled, the URL output.</summary>
    public RestApi(Construct scope, string id, RestApiProps? props = null) : base(scope, id)
    {
        Props = props ??= new RestApiProps();
        if (props.Name is { Length: 0 or > 1024 })
        {
            AddError("Name", $"API name has {props.Name.Length} characters; API Gateway allows 1-1,024");
        }
        if (!StageNamePattern.IsMatch(props.StageName ?? ""))
        {
            AddError("StageName", $"stage name '{props.StageName}' is invalid: use 1-128 letters, digits, '-' and '_'");
        }
        ApiName = props.Name ?? Lamina.Resources.LogicalNames.PhysicalName(this, 1024);

        Resource = new Gw.RestApi(this, DefaultChildId, new Gw.RestApiArgs
        {
            Name = ApiName,
            Description = props.Description is { } d ? (Input<string>)d : null,
            EndpointConfiguration = new Gw.Inputs.RestApiEndpointConfigurationArgs
            {
                Types = props.EndpointType == RestApiEndpointType.Edge ? "EDGE" : "REGIONAL",
            },
        });
        Deployment = new Gw.Deployment(this, "Deployment", new Gw.DeploymentArgs
        {
            RestApi = Resource.ResourceId,
            Triggers = new InputMap<string> { ["redeployment"] = Output.Lazy<string>(() => RouteSetHash()) },
        }, new ResourceOptions());
        Stage = new Gw.Stage(this, "Stage", new Gw.StageArgs
        {
            RestApi = Resource.ResourceId,
            Deployment = Deployment.ResourceId,
            StageName = props.StageName ?? "",
        });

        if (props.UrlOutput)
        {
            UrlOutputName = ApiRoutes.AddUrlOutput(this, props.UrlOutputName ?? id + "Url", Url);
        }
    }

    /// <summary>The options the API was created with.</summary>
    public RestApiProps Props { get; }

    /// <summary>The API's name.</summary>
    public string ApiName { get; }

    /// <summary>The <c>aws:apigateway:RestApi</c> resource.</summary>
    public Gw.RestApi Resource { get; }

    /// <summary>The deployment (replaced when the routes change).</summary>
    public Gw.Deployment Deployment { get; }

    /// <summary>The stage.</summary>
    public Gw.Stage Stage { get; }

    /// <summary>The name of the stack output holding <see cref="Url"/>, or null when none is added.</summary>
    public string? UrlOutputName { get; }

    /// <summary>The API's execution ARN.</summary>
    public Output<string> ExecutionArn => Resource.ExecutionArn;

    /// <summary>The stage's URL, such as <c>https://abc123.execute-api.us-east-1.amazonaws.com/Prod</c>.</summary>
    public Output<string> Url => Stage.InvokeUrl;

    /// <summary>The methods, in the order they were added.</summary>
    public IReadOnlyList<RestApiMethod> Methods => _methodList;

    /// <summary>The path resources by path (<c>/orders</c>, <c>/orders/{id}</c>); the root <c>/</c> is the API's own root resource.</summary>
    public IReadOnlyDictionary<string, Gw.Resource> PathResources => _resources;

    /// <summary>Adds a method calling a .NET function whose handler takes REST API proxy events, checked by the compiler.</summary>
    /// <param name="method">GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY.</param>
    /// <param name="path">The resource path, such as <c>/</c>, <c>/orders/{id}</c> or <c>/{proxy+}</c>.</param>
    /// <param name="function">The function; its handler implements <see cref="IRestApiHandler"/>.</param>
    /// <param name="options">Authorization. Default: the API's default authorization.</param>
    public RestApi AddRoute<THandler>(string method, string path, Function<THandler> function, RestRouteOptions? options = null)
        where THandler : class, IRestApiHandler
        => Add(method, path, function, options);

    /// <summary>
    /// Adds a method calling a function in another language; it must declare <see cref="EventSources.RestApi"/>
    /// (checked at synthesis).
    /// </summary>
    /// <param name="method">GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY.</param>
    /// <param name="path">The resource path.</param>
    /// <param name="function">The function.</param>
    /// <param name="options">Authorization. Default: the API's default authorization.</param>
    public RestApi AddRoute(string method, string path, Function function, RestRouteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        function.RequireEvents(EventSources.RestApi, this);
        return Add(method, path, function, options);
    }

    /// <summary>The function behind <paramref name="method"/> on <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The API has no such method.</exception>
    public FunctionBase Function(string method, string path) => Function(method + " " + path);

    /// <summary>The function behind a method given as <c>METHOD /path</c>, such as <c>GET /orders/{id}</c>.</summary>
    /// <exception cref="ArgumentException">The API has no such method.</exception>
    public FunctionBase Function(string key) => _methods.TryGetValue(key, out var m)
        ? m.Function
        : throw new ArgumentException($"{Path}: there is no method '{key}'; methods: {(_methods.Count == 0 ? "none" : string.Join(", ", _methods.Keys.Select(k => $"'{k}'")))}.", nameof(key));

    private RestApi Add(string method, string path, FunctionBase function, RestRouteOptions? options)
    {
        ArgumentNullException.ThrowIfNull(function);
        var key = method + " " + path;
        var error = ApiRoutes.CheckMethod(method) ?? ApiRoutes.TryParsePath(path, out _);
        if (error is not null)
        {
            AddError("routeKey", $"route '{key}' is invalid: {error}. Rules: {ApiRoutes.Rules}");
            return this;
        }
        ApiRoutes.TryParsePath(path, out var segments);
        if (_methods.TryGetValue(key, out var existing))
        {
            AddError("routeKey", $"route '{key}' is added twice (to {existing.Function.Path} and {function.Path}); a path has at most one of each method");
            return this;
        }
        // A parent resource has at most one parameter child ({id} or {proxy+}); API Gateway rejects a second one.
        var parent = "";
        foreach (var s in segments)
        {
            if (s.Parameter is not null && _variableChildren.TryGetValue(parent, out var other) && other != s.Text)
            {
                AddError("routeKey", $"route '{key}' conflicts with the existing path segment '{other}' under '{(parent.Length == 0 ? "/" : parent)}': " +
                    "API Gateway allows one parameter segment per parent resource; use the same parameter name in both routes");
                return this;
            }
            parent += "/" + s.Text;
        }

        var resource = EnsureResources(segments);
        var authorization = options?.Authorization ?? Props.DefaultAuthorization;
        _routeScope ??= new Construct(this, "Routes");
        var constructId = ApiRoutes.ConstructId(method, segments);
        if (_routeScope.TryFindChild(constructId) is not null)
        {
            constructId = ApiRoutes.WithHash(constructId, key);
        }
        var routeConstruct = new Construct(_routeScope, constructId);
        var resourceId = resource?.ResourceId ?? Resource.RootResourceId;
        var m = new Gw.Method(routeConstruct, DefaultChildId, new Gw.MethodArgs
        {
            RestApi = Resource.ResourceId,
            ResourceIdValue = resourceId,
            HttpMethod = method,
            Authorization = authorization == RestAuthorization.Iam ? "AWS_IAM" : "NONE",
        });
        var integration = new Gw.Integration(routeConstruct, "Integration", new Gw.IntegrationArgs
        {
            RestApi = Resource.ResourceId,
            ResourceIdValue = resourceId,
            HttpMethod = m.HttpMethod,
            IntegrationHttpMethod = "POST",
            TypeValue = "AWS_PROXY",
            Uri = function.InvokeArn,
        });
        var permission = LambdaPermissions.AllowInvoke(routeConstruct, "Permission", function, "apigateway.amazonaws.com",
            Output.Format($"{Resource.ExecutionArn}/{ApiRoutes.SourceArnSuffix(method, segments)}"));
        Deployment.Options.DependsOn.Add(m);
        Deployment.Options.DependsOn.Add(integration);

        var added = new RestApiMethod(method, ApiRoutes.PathOf(segments), function, authorization, m, integration, permission);
        _methods.Add(key, added);
        _methodList.Add(added);
        return this;
    }

    private Gw.Resource? EnsureResources(IReadOnlyList<ApiPathSegment> segments)
    {
        Gw.Resource? parent = null;
        var path = "";
        foreach (var s in segments)
        {
            var parentPath = path;
            path += "/" + s.Text;
            if (!_resources.TryGetValue(path, out var r))
            {
                _resourceScope ??= new Construct(this, "Resources");
                var id = ApiRoutes.ResourceId(segments.Take(path.Count(c => c == '/')).ToList());
                if (_resourceScope.TryFindChild(id) is not null)
                {
                    id = ApiRoutes.WithHash(id, path);
                }
                r = new Gw.Resource(_resourceScope, id, new Gw.ResourceArgs
                {
                    RestApi = Resource.ResourceId,
                    ParentId = parent?.ResourceId ?? Resource.RootResourceId,
                    PathPart = s.Text,
                });
                _resources.Add(path, r);
                if (s.Parameter is not null)
                {
                    _variableChildren[parentPath] = s.Text;
                }
            }
            parent = r;
        }
        return parent;
    }

    private string RouteSetHash()
    {
        var lines = _methodList
            .Select(m => $"{m.HttpMethod} {m.ResourcePath} {m.Authorization} {m.Function.Path}")
            .Order(StringComparer.Ordinal);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))).AsSpan(0, 16));
    }

    /// <inheritdoc />
    protected override void Prepare()
    {
        var t = Props.Transform;
        if (t is null)
        {
            return;
        }
        t.RestApi?.Invoke(Resource.Args);
        t.Deployment?.Invoke(Deployment.Args);
        t.Stage?.Invoke(Stage.Args);
        foreach (var m in _methodList)
        {
            t.Method?.Invoke(m.Method.Args);
            t.Integration?.Invoke(m.Integration.Args);
        }
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        if (_methodList.Count == 0)
        {
            AddError(null, "the REST API has no methods: API Gateway refuses to deploy it ('The REST API doesn't contain any methods'); add a route with AddRoute " +
                "(https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html)");
        }
        foreach (var group in _methodList.GroupBy(m => m.Function))
        {
            var fn = group.Key;
            if (fn.Timeout > TimeSpan.FromSeconds(DefaultIntegrationTimeoutSeconds))
            {
                AddWarning("routes", $"function {fn.Path} (behind {string.Join(", ", group.Select(m => $"'{m.Key}'"))}) has a timeout of " +
                    $"{fn.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, but a REST API waits {DefaultIntegrationTimeoutSeconds} s for an integration by default: " +
                    "callers get 504 after 29 s while the function keeps running. Lower the timeout, or raise the integration timeout quota (Regional and private APIs only) " +
                    "and set the integration's timeoutMilliseconds through Transform (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)");
            }
        }
    }
}
