using System.Collections.Concurrent;
using System.Net;
using Lamina.Lambda.Invoke;
using Lamina.Local.Lambda;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lamina.Local.Api;

/// <summary>
/// A local API Gateway: serves HTTP APIs and REST APIs on Kestrel, one listener per API bound to 127.0.0.1 only, and
/// turns each request into a Lambda proxy event (payload format 2.0 or 1.0) for a <see cref="LocalApiInvoker"/>
/// (usually a <see cref="LocalLambdaHost"/>, see <see cref="InvokerFor"/>), then the function's response back into
/// HTTP, with API Gateway's routing, errors, CORS, JWT authorization and throttling.
/// </summary>
/// <remarks>
/// <para><b>Routing.</b> Literal segments before <c>{param}</c> before a greedy <c>{param+}</c> (which needs at
/// least one segment), depth first with backtracking; at the matching path an explicit method before
/// <c>ANY</c>; then, for HTTP APIs, <c>$default</c>. Unmatched: HTTP API 404 <c>{"message":"Not Found"}</c>;
/// REST API 403 <c>{"message":"Missing Authentication Token"}</c> (403 <c>{"message":"Forbidden"}</c> outside
/// the stage). Path parameters are percent-decoded; a greedy one gets the rest of the path.</para>
/// <para><b>Events.</b> <c>requestContext.domainName</c> is the <c>Host</c> the client called (for example
/// <c>127.0.0.1:51234</c>), so self-links work locally; <c>domainPrefix</c> is its first label, or the API id for
/// <c>localhost</c> and IP addresses. Format 2.0 leaves out members AWS leaves out when empty (<c>cookies</c>,
/// <c>queryStringParameters</c>, <c>pathParameters</c>, <c>stageVariables</c>, <c>body</c>); format 1.0 sends them as
/// null. HTTP API bodies are base64-encoded unless their content type is textual (text/*, JSON, XML, JavaScript);
/// REST API bodies are text unless they match <see cref="LocalApiDefinition.BinaryMediaTypes"/> or are not
/// UTF-8. Query values are percent-decoded ('+' is kept).</para>
/// <para><b>Errors.</b> Function error (including the function's own timeout): HTTP API 500
/// <c>Internal Server Error</c>, REST API 502 <c>Internal server error</c>. Invalid proxy response: the same.
/// Lambda throttling: HTTP API 503 <c>Service Unavailable</c>, REST API 500 <c>Internal server error</c>. Other
/// Lambda service errors: 500. Integration timeout: HTTP API 503 <c>Service Unavailable</c>, REST API 504
/// <c>Endpoint request timed out</c>. Body over the limit: 413 <c>Request Too Long</c>. Stage throttling: 429
/// <c>Too Many Requests</c>. JWT missing or invalid: 401 <c>Unauthorized</c> (with <c>www-authenticate</c> for an
/// invalid one); missing scope: 403 <c>Forbidden</c>. IAM routes: an unsigned request gets HTTP API 403
/// <c>Forbidden</c>, REST API 403 <c>Missing Authentication Token</c>; a request with a SigV4
/// <c>Authorization</c> header is accepted <b>without verifying the signature</b>. Responses carry
/// <c>apigw-requestid</c> (HTTP APIs) or <c>x-amzn-RequestId</c> and <c>x-amz-apigw-id</c> (REST APIs).</para>
/// <para><b>Not simulated:</b> custom domains and base path mappings, Lambda authorizers, API keys and usage plans,
/// request validation, mapping templates and non-proxy integrations, response compression, account-level
/// throttling, TLS, the 29/30-second hard limits (the timeout is whatever the definition says), and fetching the
/// issuer's JWKS (give the keys with <see cref="LocalJwtAuthorizer.SigningKeys"/> or
/// <see cref="LocalJwtAuthorizer.Jwks"/>; without keys JWT signatures are not checked).</para>
/// </remarks>
public sealed class LocalApiGateway : IAsyncDisposable
{
    private readonly LocalApiGatewayOptions _options;
    private readonly ConcurrentQueue<LocalApiRequestRecord> _records = new();
    private ApiRuntime[] _apis = [];
    private KestrelServer? _server;
    private int _recordCount;
    private int _disposed;

    private LocalApiGateway(LocalApiGatewayOptions options)
    {
        _options = options;
    }

    /// <summary>Raised after each request completes (on the request's thread; exceptions of handlers are ignored).</summary>
    public event Action<LocalApiRequestRecord>? RequestCompleted;

    /// <summary>The APIs served, in the order given.</summary>
    public IReadOnlyList<LocalApiEndpoint> Endpoints { get; private set; } = [];

    /// <summary>The requests handled (at most <see cref="LocalApiGatewayOptions.MaxRequestRecords"/>, oldest first).</summary>
    public IReadOnlyList<LocalApiRequestRecord> Requests => _records.ToArray();

    /// <summary>
    /// Validates <paramref name="apis"/> and starts serving them, each on its own port of 127.0.0.1.
    /// </summary>
    /// <param name="apis">The APIs; names must be unique.</param>
    /// <param name="invoker">Invokes the functions behind the routes.</param>
    /// <param name="options">Settings; default: system clock, ephemeral ports, 10 MB bodies.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">An API is not valid (duplicate name, bad route key, JWT route without
    /// authorizer, ...).</exception>
    public static async Task<LocalApiGateway> StartAsync(
        IReadOnlyList<LocalApiDefinition> apis,
        LocalApiInvoker invoker,
        LocalApiGatewayOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apis);
        ArgumentNullException.ThrowIfNull(invoker);
        options ??= new LocalApiGatewayOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        if (options.MaxRequestBodyBytes is <= 0 or > int.MaxValue)
        {
            throw new ArgumentException("MaxRequestBodyBytes must be between 1 and 2^31-1.", nameof(options));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var api in apis)
        {
            ArgumentNullException.ThrowIfNull(api, nameof(apis));
            if (!names.Add(api.Name))
            {
                throw new ArgumentException($"Two APIs are named '{api.Name}'.", nameof(apis));
            }
        }

        var gateway = new LocalApiGateway(options);
        var runtimes = new List<ApiRuntime>();
        try
        {
            for (var i = 0; i < apis.Count; i++)
            {
                var api = apis[i];
                var port = options.PortFor?.Invoke(api) ?? (options.FirstPort is { } first ? first + i : 0);
                if (port is < 0 or > 65535)
                {
                    throw new ArgumentException($"API '{api.Name}': port {port} is not valid.", nameof(options));
                }

                runtimes.Add(new ApiRuntime(api, gateway, invoker, options, port));
            }

            gateway._apis = runtimes.ToArray();
            await gateway.StartServerAsync(cancellationToken).ConfigureAwait(false);
            gateway.Endpoints = gateway._apis.Select(runtime => new LocalApiEndpoint
            {
                Name = runtime.Definition.Name,
                Kind = runtime.Definition.Kind,
                ApiId = runtime.Definition.ApiId,
                StageName = runtime.Definition.StageName,
                BaseUrl = runtime.BaseUrl,
                Routes = runtime.Definition.Routes,
            }).ToArray();
            return gateway;
        }
        catch
        {
            foreach (var runtime in runtimes)
            {
                runtime.Dispose();
            }

            await gateway.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An invoker that calls <paramref name="host"/> synchronously (<c>RequestResponse</c>).</summary>
    /// <param name="host">The local Lambda host running the functions.</param>
    public static LocalApiInvoker InvokerFor(LocalLambdaHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return (functionName, payload, cancellationToken) =>
            host.InvokeAsync(functionName, payload, InvocationType.RequestResponse, cancellationToken);
    }

    /// <summary>The base URL of an API: <c>http://127.0.0.1:PORT/</c> for an HTTP API's <c>$default</c> stage,
    /// <c>http://127.0.0.1:PORT/{stage}/</c> otherwise (REST: <c>/Prod/</c> by default).</summary>
    /// <param name="apiName">The API's <see cref="LocalApiDefinition.Name"/>.</param>
    /// <exception cref="ArgumentException">No API has that name.</exception>
    public Uri GetBaseUrl(string apiName) => Find(apiName).BaseUrl;

    /// <summary>A new <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the API's base URL
    /// (relative URIs without a leading '/' keep the stage). The caller disposes it.</summary>
    /// <param name="apiName">The API's <see cref="LocalApiDefinition.Name"/>.</param>
    public HttpClient CreateClient(string apiName) => new() { BaseAddress = GetBaseUrl(apiName) };

    /// <summary>Stops the listeners (in-flight requests get a few seconds to finish).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_server is { } server)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await server.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            server.Dispose();
            _server = null;
        }

        foreach (var api in _apis)
        {
            api.Dispose();
        }
    }

    internal void Record(LocalApiRequestRecord record)
    {
        _records.Enqueue(record);
        if (Interlocked.Increment(ref _recordCount) > _options.MaxRequestRecords && _records.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _recordCount);
        }

        var handlers = RequestCompleted;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<LocalApiRequestRecord>)handler)(record);
            }
            catch (Exception)
            {
                // A failing log handler must not break the gateway.
            }
        }
    }

    private ApiRuntime Find(string apiName)
    {
        foreach (var api in _apis)
        {
            if (api.Definition.Name == apiName)
            {
                return api;
            }
        }

        throw new ArgumentException($"No API is named '{apiName}'; APIs: {string.Join(", ", _apis.Select(a => $"'{a.Definition.Name}'"))}.", nameof(apiName));
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        if (_apis.Length == 0)
        {
            // Kestrel without endpoints would bind its default address; no API, no listener.
            return;
        }

        var kestrel = new KestrelServerOptions { AddServerHeader = false };
        // The gateway enforces the body limit itself (and reads an oversized body before answering 413).
        kestrel.Limits.MaxRequestBodySize = null;
        var listeners = new ListenOptions[_apis.Length];
        for (var i = 0; i < _apis.Length; i++)
        {
            var index = i;
            kestrel.Listen(IPAddress.Loopback, _apis[i].RequestedPort, listen => listeners[index] = listen);
        }

        var loggers = NullLoggerFactory.Instance;
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers);
        _server = new KestrelServer(Options.Create(kestrel), transport, loggers);
        await _server.StartAsync(new Application(this), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < _apis.Length; i++)
        {
            _apis[i].Bound(listeners[i].IPEndPoint!.Port);
        }
    }

    /// <summary>Kestrel's application: dispatches each request to the API whose port it arrived on.</summary>
    private sealed class Application(LocalApiGateway gateway) : IHttpApplication<IFeatureCollection>
    {
        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }

        public Task ProcessRequestAsync(IFeatureCollection context)
        {
            var port = context.Get<IHttpConnectionFeature>()?.LocalPort ?? 0;
            foreach (var api in gateway._apis)
            {
                if (api.Port == port)
                {
                    return api.HandleAsync(context);
                }
            }

            context.Get<IHttpResponseFeature>()!.StatusCode = 404;
            return Task.CompletedTask;
        }
    }
}
