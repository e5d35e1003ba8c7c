using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Lamina.Local.Lambda;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lamina.Local.Api;

/// <summary>The state of one request while the gateway handles it.</summary>
internal sealed class Exchange
{
    private string? _traceId;
    private List<KeyValuePair<string, List<string>>>? _query;
    private bool _queryParsed;

    public required IHttpRequestFeature Request { get; init; }

    public required IHttpResponseFeature Response { get; init; }

    public required IHttpResponseBodyFeature ResponseBody { get; init; }

    public required CancellationToken Aborted { get; init; }

    public required string Method { get; init; }

    /// <summary>The path as sent (percent-encoded), with the stage segment.</summary>
    public required string RawPath { get; init; }

    /// <summary>The path after the stage segment (the whole path for the <c>$default</c> stage).</summary>
    public string RoutePath { get; set; } = "/";

    /// <summary>The query string as sent, without '?'.</summary>
    public required string RawQuery { get; init; }

    public required string RequestId { get; init; }

    public required string ExtendedRequestId { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required string SourceIp { get; init; }

    public required string Host { get; init; }

    public string UserAgent => Request.Headers.UserAgent.ToString();

    public string TraceId => _traceId ??= GatewayIds.TraceId(Now);

    public CompiledRoute? Route { get; set; }

    public KeyValuePair<string, string>[]? PathParameters { get; set; }

    public JwtPrincipal? Jwt { get; set; }

    public string? IamAccessKey { get; set; }

    public ReadOnlyMemory<byte> RequestBody { get; set; }

    public bool HasBody { get; set; }

    public LocalApiOutcome Outcome { get; set; } = LocalApiOutcome.Integration;

    public string? Detail { get; set; }

    /// <summary>The query parameters in order of first appearance, names and values percent-decoded ('+' kept),
    /// or null when there are none.</summary>
    public List<KeyValuePair<string, List<string>>>? Query
    {
        get
        {
            if (!_queryParsed)
            {
                _query = ParseQuery(RawQuery);
                _queryParsed = true;
            }

            return _query;
        }
    }

    private static List<KeyValuePair<string, List<string>>>? ParseQuery(string raw)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        List<KeyValuePair<string, List<string>>>? result = null;
        foreach (var range in raw.AsSpan().Split('&'))
        {
            var pair = raw.AsSpan()[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = RouteTable.PercentDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : RouteTable.PercentDecode(pair[(equals + 1)..]);
            if (name.Length == 0)
            {
                continue;
            }

            result ??= [];
            var found = false;
            foreach (var (existing, values) in result)
            {
                if (existing == name)
                {
                    values.Add(value);
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                result.Add(new(name, [value]));
            }
        }

        return result;
    }
}

/// <summary>One API of the gateway, compiled: routes, authorizer, throttling, CORS and the request pipeline.</summary>
internal sealed class ApiRuntime : IDisposable
{
    private static readonly ErrorResponse HttpNotFound = new(404, "{\"message\":\"Not Found\"}", null);
    private static readonly ErrorResponse HttpInternal = new(500, "{\"message\":\"Internal Server Error\"}", null);
    private static readonly ErrorResponse HttpUnavailable = new(503, "{\"message\":\"Service Unavailable\"}", null);
    private static readonly ErrorResponse HttpUnauthorized = new(401, "{\"message\":\"Unauthorized\"}", null);
    private static readonly ErrorResponse HttpForbidden = new(403, "{\"message\":\"Forbidden\"}", null);
    private static readonly ErrorResponse HttpTooMany = new(429, "{\"message\":\"Too Many Requests\"}", null);
    private static readonly ErrorResponse HttpTooLarge = new(413, "{\"message\":\"Request Too Long\"}", null);
    private static readonly ErrorResponse HttpLambdaTooLarge = new(413, "{\"message\":\"Request Entity Too Large\"}", null);
    private static readonly ErrorResponse RestMissingToken = new(403, "{\"message\":\"Missing Authentication Token\"}", "MissingAuthenticationTokenException");
    private static readonly ErrorResponse RestForbidden = new(403, "{\"message\":\"Forbidden\"}", "ForbiddenException");
    private static readonly ErrorResponse RestBadGateway = new(502, "{\"message\": \"Internal server error\"}", "InternalServerErrorException");
    private static readonly ErrorResponse RestInternal = new(500, "{\"message\": \"Internal server error\"}", "InternalServerErrorException");
    private static readonly ErrorResponse RestTimeout = new(504, "{\"message\": \"Endpoint request timed out\"}", null);
    private static readonly ErrorResponse RestTooMany = new(429, "{\"message\":\"Too Many Requests\"}", "TooManyRequestsException");
    private static readonly ErrorResponse RestTooLarge = new(413, "{\"message\":\"Request Too Long\"}", null);
    private static readonly ErrorResponse RestLambdaTooLarge = new(413, "{\"message\":\"Request Entity Too Large\"}", null);

    private readonly LocalApiGateway _gateway;
    private readonly LocalApiInvoker _invoker;
    private readonly TimeProvider _clock;
    private readonly TokenBucket? _bucket;
    private readonly CorsPolicy? _cors;
    private readonly string _stagePrefix;
    private readonly long _maxBody;
    private readonly Func<string>? _requestIds;
    private HostPrefix? _lastPrefix;

    public ApiRuntime(LocalApiDefinition definition, LocalApiGateway gateway, LocalApiInvoker invoker, LocalApiGatewayOptions options, int requestedPort)
    {
        if (string.IsNullOrEmpty(definition.Name))
        {
            throw new ArgumentException("An API has no name.", nameof(definition));
        }

        if (definition.Routes is null)
        {
            throw new ArgumentException($"API '{definition.Name}' has no route list.", nameof(definition));
        }

        if (definition.IntegrationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"API '{definition.Name}': IntegrationTimeout must be positive.", nameof(definition));
        }

        if (string.IsNullOrEmpty(definition.StageName) || definition.StageName.Contains('/'))
        {
            throw new ArgumentException($"API '{definition.Name}': stage name '{definition.StageName}' is not valid.", nameof(definition));
        }

        if (definition.Kind == LocalApiKind.RestApi && definition.StageName == "$default")
        {
            throw new ArgumentException($"API '{definition.Name}': a REST API stage cannot be named '$default'.", nameof(definition));
        }

        if (definition.ThrottlingRateLimit is < 0 || definition.ThrottlingBurstLimit is < 0)
        {
            throw new ArgumentException($"API '{definition.Name}': throttling limits cannot be negative.", nameof(definition));
        }

        if (definition.Cors is not null && definition.Kind == LocalApiKind.RestApi)
        {
            throw new ArgumentException($"API '{definition.Name}': CORS configuration is an HTTP API feature (REST APIs answer OPTIONS through their own routes).", nameof(definition));
        }

        Definition = definition;
        _gateway = gateway;
        _invoker = invoker;
        _clock = options.TimeProvider;
        _maxBody = options.MaxRequestBodyBytes;
        _requestIds = options.RequestIdFactory;
        RequestedPort = requestedPort;
        IsRest = definition.Kind == LocalApiKind.RestApi;
        Routes = new RouteTable(definition);
        Jwt = definition.JwtAuthorizer is null ? null : new JwtValidator(definition.JwtAuthorizer, _clock);
        if (definition.ThrottlingRateLimit is not null || definition.ThrottlingBurstLimit is not null)
        {
            var rate = definition.ThrottlingRateLimit ?? definition.ThrottlingBurstLimit!.Value;
            var burst = definition.ThrottlingBurstLimit ?? Math.Max(1, rate);
            _bucket = new TokenBucket(rate, burst, _clock);
        }

        _cors = definition.Cors is null ? null : new CorsPolicy(definition.Cors);
        _stagePrefix = !IsRest && definition.StageName == "$default" ? "" : "/" + definition.StageName;
        ApiIdJson = JsonEncodedText.Encode(definition.ApiId, PayloadJson.Encoder);
        StageJson = JsonEncodedText.Encode(definition.StageName, PayloadJson.Encoder);
        AccountIdJson = JsonEncodedText.Encode(options.AccountId, PayloadJson.Encoder);
        DeploymentIdJson = JsonEncodedText.Encode(LocalApiDefinition.DeriveApiId(definition.Name + "/deployment")[..6], PayloadJson.Encoder);
    }

    public LocalApiDefinition Definition { get; }

    public RouteTable Routes { get; }

    public JwtValidator? Jwt { get; }

    public bool IsRest { get; }

    public int RequestedPort { get; }

    public int Port { get; private set; }

    public string PortText { get; private set; } = "";

    public Uri BaseUrl { get; private set; } = null!;

    public JsonEncodedText ApiIdJson { get; }

    public JsonEncodedText StageJson { get; }

    public JsonEncodedText AccountIdJson { get; }

    public JsonEncodedText DeploymentIdJson { get; }

    public void Bound(int port)
    {
        Port = port;
        PortText = port.ToString(CultureInfo.InvariantCulture);
        BaseUrl = new Uri($"http://127.0.0.1:{PortText}{_stagePrefix}/");
    }

    /// <summary>The first label of the host the client called; the API id for <c>localhost</c> and IP addresses.</summary>
    public string DomainPrefix(string host)
    {
        var last = Volatile.Read(ref _lastPrefix);
        if (last is not null && string.Equals(last.Host, host, StringComparison.Ordinal))
        {
            return last.Prefix;
        }

        var name = host.AsSpan();
        if (name.StartsWith("["))
        {
            name = ""; // an IPv6 literal
        }
        else if (name.LastIndexOf(':') is var colon and >= 0)
        {
            name = name[..colon];
        }

        string prefix;
        if (name.IsEmpty || name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(name, out _))
        {
            prefix = Definition.ApiId;
        }
        else
        {
            var dot = name.IndexOf('.');
            prefix = (dot < 0 ? name : name[..dot]).ToString();
        }

        Volatile.Write(ref _lastPrefix, new HostPrefix(host, prefix));
        return prefix;
    }

    public void Dispose() => Jwt?.Dispose();

    /// <summary>Handles one request end to end and records it.</summary>
    public async Task HandleAsync(IFeatureCollection features)
    {
        var started = _clock.GetTimestamp();
        var now = _clock.GetUtcNow();
        var request = features.Get<IHttpRequestFeature>()!;
        var response = features.Get<IHttpResponseFeature>()!;
        var connection = features.Get<IHttpConnectionFeature>();
        SplitTarget(request, out var rawPath, out var rawQuery);
        var shortId = _requestIds?.Invoke() ?? GatewayIds.ShortId();
        var host = request.Headers.Host.ToString();
        var exchange = new Exchange
        {
            Request = request,
            Response = response,
            ResponseBody = features.Get<IHttpResponseBodyFeature>()!,
            Aborted = features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? default,
            Method = request.Method,
            RawPath = rawPath,
            RawQuery = rawQuery,
            RequestId = IsRest ? (_requestIds is null ? Guid.NewGuid().ToString() : shortId) : shortId,
            ExtendedRequestId = shortId,
            Now = now,
            SourceIp = SourceIp(connection),
            Host = host.Length > 0 ? host : "127.0.0.1:" + PortText,
        };

        var headers = response.Headers;
        if (IsRest)
        {
            headers["x-amzn-RequestId"] = exchange.RequestId;
            headers["x-amz-apigw-id"] = exchange.ExtendedRequestId;
        }
        else
        {
            headers["apigw-requestid"] = exchange.RequestId;
        }

        try
        {
            await HandleCoreAsync(exchange, features).ConfigureAwait(false);
        }
        catch (Exception exception) when (!response.HasStarted)
        {
            exchange.Detail = "the gateway failed: " + exception.Message;
            await WriteErrorAsync(exchange, IsRest ? RestInternal : HttpInternal, LocalApiOutcome.GatewayError, exchange.Detail).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            exchange.Outcome = exchange.Aborted.IsCancellationRequested ? LocalApiOutcome.ClientClosed : LocalApiOutcome.GatewayError;
            exchange.Detail = exception.Message;
        }

        _gateway.Record(new LocalApiRequestRecord
        {
            ApiName = Definition.Name,
            RequestId = exchange.RequestId,
            Method = exchange.Method,
            Path = exchange.RawPath,
            QueryString = exchange.RawQuery,
            RouteKey = exchange.Route?.Route.RouteKey,
            FunctionName = exchange.Outcome is LocalApiOutcome.Integration or LocalApiOutcome.FunctionError or LocalApiOutcome.InvalidResponse
                or LocalApiOutcome.IntegrationTimeout or LocalApiOutcome.LambdaServiceError or LocalApiOutcome.ClientClosed
                ? exchange.Route?.FunctionName
                : null,
            StatusCode = exchange.Outcome == LocalApiOutcome.ClientClosed ? 499 : response.StatusCode,
            Outcome = exchange.Outcome,
            Detail = exchange.Detail,
            StartTime = now,
            Duration = _clock.GetElapsedTime(started),
        });
    }

    private async Task HandleCoreAsync(Exchange x, IFeatureCollection features)
    {
        var request = x.Request;
        if (request.Headers.ContentLength is long declared && declared > _maxBody)
        {
            if (declared <= DrainLimit)
            {
                await DrainAsync(request, x.Aborted).ConfigureAwait(false);
            }

            await WriteErrorAsync(x, IsRest ? RestTooLarge : HttpTooLarge, LocalApiOutcome.PayloadTooLarge,
                $"the body ({declared} bytes) is over the limit of {_maxBody} bytes").ConfigureAwait(false);
            return;
        }

        if (_bucket is not null && !_bucket.TryTake())
        {
            await WriteErrorAsync(x, IsRest ? RestTooMany : HttpTooMany, LocalApiOutcome.Throttled, "the stage's throttling limit was exceeded").ConfigureAwait(false);
            return;
        }

        // The stage: REST APIs and named HTTP API stages are served under /{stage}.
        var path = x.RawPath;
        if (_stagePrefix.Length > 0)
        {
            if (!path.StartsWith(_stagePrefix, StringComparison.Ordinal) || (path.Length > _stagePrefix.Length && path[_stagePrefix.Length] != '/'))
            {
                await WriteErrorAsync(x, IsRest ? RestForbidden : HttpNotFound, LocalApiOutcome.NoRoute,
                    $"the path is not under the stage '{_stagePrefix}'").ConfigureAwait(false);
                return;
            }

            path = path.Length == _stagePrefix.Length ? "/" : path[_stagePrefix.Length..];
        }

        x.RoutePath = path;

        // CORS preflight: answered by the gateway when the API has a CORS configuration.
        if (_cors is not null && x.Method == "OPTIONS" && request.Headers.Origin.Count > 0
            && request.Headers.AccessControlRequestMethod.Count > 0)
        {
            x.Outcome = LocalApiOutcome.CorsPreflight;
            x.Response.StatusCode = 204;
            if (_cors.AllowedOrigin(request.Headers.Origin.ToString()) is { } allowed)
            {
                _cors.AddPreflightHeaders(x.Response.Headers, allowed);
            }
            else
            {
                x.Detail = "the origin is not allowed";
            }

            return;
        }

        var match = Routes.Match(x.Method, path);
        if (match is not { } found)
        {
            await WriteErrorAsync(x, IsRest ? RestMissingToken : HttpNotFound, LocalApiOutcome.NoRoute, "no route matches").ConfigureAwait(false);
            return;
        }

        x.Route = found.Route;
        x.PathParameters = found.PathParameters;

        if (!await AuthorizeAsync(x, found.Route).ConfigureAwait(false))
        {
            return;
        }

        // The body.
        byte[]? rented = null;
        try
        {
            var canHaveBody = features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
            if (canHaveBody)
            {
                var (buffer, length, tooLarge) = await ReadBodyAsync(request, x.Aborted).ConfigureAwait(false);
                rented = buffer;
                if (tooLarge)
                {
                    await DrainAsync(request, x.Aborted).ConfigureAwait(false);
                    await WriteErrorAsync(x, IsRest ? RestTooLarge : HttpTooLarge, LocalApiOutcome.PayloadTooLarge,
                        $"the body is over the limit of {_maxBody} bytes").ConfigureAwait(false);
                    return;
                }

                if (length > 0)
                {
                    x.RequestBody = buffer.AsMemory(0, length);
                    x.HasBody = true;
                }
            }

            await InvokeAsync(x, found.Route).ConfigureAwait(false);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private async ValueTask<bool> AuthorizeAsync(Exchange x, CompiledRoute route)
    {
        switch (route.Route.Authorization)
        {
            case LocalRouteAuthorization.Iam:
            {
                if (SigV4AccessKey(x) is { } accessKey)
                {
                    x.IamAccessKey = accessKey;
                    return true;
                }

                await WriteErrorAsync(x, IsRest ? RestMissingToken : HttpForbidden, LocalApiOutcome.Forbidden,
                    "the route requires IAM authorization and the request is not signed with AWS4-HMAC-SHA256").ConfigureAwait(false);
                return false;
            }

            case LocalRouteAuthorization.Jwt:
            {
                var validator = Jwt!;
                string? token = null;
                if (validator.HeaderName is { } headerName)
                {
                    token = x.Request.Headers[headerName].ToString();
                }
                else if (x.Query is { } query)
                {
                    token = query.FirstOrDefault(p => p.Key == validator.QueryName).Value?.FirstOrDefault();
                }

                var check = validator.Check(token, route.ScopeSet, out var principal, out var problem);
                switch (check)
                {
                    case JwtCheck.Valid:
                        x.Jwt = principal;
                        return true;
                    case JwtCheck.InsufficientScope:
                        x.Response.Headers["www-authenticate"] =
                            $"Bearer scope=\"{string.Join(' ', route.Route.Scopes)}\" error=\"insufficient_scope\" error_description=\"{problem}\"";
                        await WriteErrorAsync(x, HttpForbidden, LocalApiOutcome.Forbidden, problem).ConfigureAwait(false);
                        return false;
                    default:
                        if (check == JwtCheck.Invalid)
                        {
                            x.Response.Headers["www-authenticate"] = $"Bearer scope=\"\" error=\"invalid_token\" error_description=\"{problem}\"";
                        }

                        await WriteErrorAsync(x, HttpUnauthorized, LocalApiOutcome.Unauthorized, problem).ConfigureAwait(false);
                        return false;
                }
            }

            default:
                return true;
        }
    }

    /// <summary>The access key of a SigV4-signed request (header or presigned query), or null when unsigned. The
    /// signature itself is not checked.</summary>
    private static string? SigV4AccessKey(Exchange x)
    {
        var authorization = x.Request.Headers.Authorization.ToString();
        string? credential = null;
        if (authorization.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            credential = at < 0 ? "" : authorization[(at + 11)..];
        }
        else if (x.Query is { } query && query.Any(p => p.Key == "X-Amz-Algorithm" && p.Value.Contains("AWS4-HMAC-SHA256")))
        {
            credential = query.FirstOrDefault(p => p.Key == "X-Amz-Credential").Value?.FirstOrDefault() ?? "";
        }

        if (credential is null)
        {
            return null;
        }

        var slash = credential.IndexOfAny(['/', ',', ' ']);
        var key = slash < 0 ? credential : credential[..slash];
        return key.Length > 0 ? key : "UNKNOWN";
    }

    private async ValueTask<(byte[]? Buffer, int Length, bool TooLarge)> ReadBodyAsync(IHttpRequestFeature request, CancellationToken aborted)
    {
        var declared = request.Headers.ContentLength;
        if (declared == 0)
        {
            return (null, 0, false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(declared is long n ? (int)Math.Max(1, n) : 4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= _maxBody)
                    {
                        // One more byte would be over the limit: look for it.
                        var probe = new byte[1];
                        if (await request.Body.ReadAsync(probe, aborted).ConfigureAwait(false) > 0)
                        {
                            return (buffer, length, true);
                        }

                        return (buffer, length, false);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(_maxBody, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), aborted).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length, false);
                }

                length += read;
                if (length > _maxBody)
                {
                    return (buffer, length, true);
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (buffer, length, true);
        }
    }

    /// <summary>How much of an oversized body is read and discarded before the 413, so that a client still sending
    /// it receives the answer instead of a reset connection; beyond it the connection is closed.</summary>
    private long DrainLimit => Math.Max(_maxBody, 1024 * 1024) * 3;

    private async Task DrainAsync(IHttpRequestFeature request, CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long total = 0;
            int read;
            while (total < DrainLimit && (read = await request.Body.ReadAsync(buffer, aborted).ConfigureAwait(false)) > 0)
            {
                total += read;
            }
        }
        catch (Exception exception) when (exception is IOException or BadHttpRequestException or OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task InvokeAsync(Exchange x, CompiledRoute route)
    {
        var payload = PayloadBuffer.Rent();
        var reusable = true;
        try
        {
            PayloadWriter.Write(payload.Writer, this, x);
            Task<LocalInvokeResult> task;
            try
            {
                task = _invoker(route.FunctionName, payload.Buffer.WrittenMemory, x.Aborted);
            }
            catch (Exception exception)
            {
                await WriteErrorAsync(x, IsRest ? RestInternal : HttpInternal, LocalApiOutcome.GatewayError,
                    "the invoker failed: " + exception.Message).ConfigureAwait(false);
                return;
            }

            LocalInvokeResult result;
            try
            {
                result = task.IsCompleted
                    ? await task.ConfigureAwait(false)
                    : await task.WaitAsync(Definition.IntegrationTimeout, _clock, x.Aborted).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                reusable = false; // the invocation may still read the payload
                await WriteErrorAsync(x, IsRest ? RestTimeout : HttpUnavailable, LocalApiOutcome.IntegrationTimeout,
                    string.Create(CultureInfo.InvariantCulture, $"the function did not answer within {Definition.IntegrationTimeout.TotalSeconds} s")).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (x.Aborted.IsCancellationRequested)
            {
                reusable = task.IsCompleted;
                x.Outcome = LocalApiOutcome.ClientClosed;
                x.Detail = "the client went away before the function answered";
                return;
            }
            catch (Exception exception)
            {
                await WriteErrorAsync(x, IsRest ? RestInternal : HttpInternal, LocalApiOutcome.GatewayError,
                    "the invoker failed: " + exception.Message).ConfigureAwait(false);
                return;
            }

            await RespondAsync(x, route, result).ConfigureAwait(false);
        }
        finally
        {
            if (reusable)
            {
                PayloadBuffer.Return(payload);
            }
        }
    }

    private async Task RespondAsync(Exchange x, CompiledRoute route, LocalInvokeResult result)
    {
        if (result.ServiceError is { } serviceError || result.StatusCode is < 200 or > 299)
        {
            var status = result.ServiceError?.StatusCode ?? result.StatusCode;
            var detail = $"Lambda answered {status}{(result.ServiceError is { } e ? $" {e.ErrorType}: {e.Message}" : "")}";
            var error = status switch
            {
                // A throttled function: REST APIs answer 500, HTTP APIs 503.
                429 => IsRest ? RestInternal : HttpUnavailable,
                413 => IsRest ? RestLambdaTooLarge : HttpLambdaTooLarge,
                _ => IsRest ? RestInternal : HttpInternal,
            };
            await WriteErrorAsync(x, error, LocalApiOutcome.LambdaServiceError, detail).ConfigureAwait(false);
            return;
        }

        if (result.FunctionError is not null)
        {
            var detail = result.Error is { } functionError ? $"{functionError.ErrorType}: {functionError.ErrorMessage}" : "the function failed";
            await WriteErrorAsync(x, IsRest ? RestBadGateway : HttpInternal, LocalApiOutcome.FunctionError, detail).ConfigureAwait(false);
            return;
        }

        string problem;
        using var parsed = route.Format == LocalPayloadFormat.V2
            ? ProxyResponse.ReadV2(result.Payload, out problem)
            : ProxyResponse.ReadV1(result.Payload, out problem);
        if (parsed is null)
        {
            await WriteErrorAsync(x, IsRest ? RestBadGateway : HttpInternal, LocalApiOutcome.InvalidResponse, problem).ConfigureAwait(false);
            return;
        }

        if (parsed.IsBase64Encoded)
        {
            var decode = !IsRest || MediaTypes.MatchesAny(x.Request.Headers.Accept.ToString(), Definition.BinaryMediaTypes)
                || MediaTypes.MatchesAny(parsed.Headers.FirstOrDefault(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)).Value, Definition.BinaryMediaTypes);
            if (decode && !parsed.TryDecodeBase64(out problem))
            {
                await WriteErrorAsync(x, IsRest ? RestBadGateway : HttpInternal, LocalApiOutcome.InvalidResponse, problem).ConfigureAwait(false);
                return;
            }
        }

        var response = x.Response;
        var headers = response.Headers;
        try
        {
            var hasContentType = false;
            foreach (var (name, value) in parsed.Headers)
            {
                if (IsHopHeader(name) || (_cors is not null && name.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                hasContentType |= name.Equals("content-type", StringComparison.OrdinalIgnoreCase);
                headers.Append(name, value);
            }

            if (parsed.Cookies is { } cookies)
            {
                foreach (var cookie in cookies)
                {
                    headers.Append("set-cookie", cookie);
                }
            }

            if (!hasContentType)
            {
                // REST APIs default to JSON; HTTP APIs to plain text.
                headers.ContentType = IsRest ? "application/json" : "text/plain; charset=utf-8";
            }
        }
        catch (InvalidOperationException exception)
        {
            headers.Clear();
            RestoreIdHeaders(x);
            await WriteErrorAsync(x, IsRest ? RestBadGateway : HttpInternal, LocalApiOutcome.InvalidResponse,
                "a response header is not valid: " + exception.Message).ConfigureAwait(false);
            return;
        }

        AddCorsHeaders(x);
        response.StatusCode = parsed.StatusCode;
        await WriteBodyAsync(x, parsed.Body).ConfigureAwait(false);
    }

    private static bool IsHopHeader(string name) =>
        name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase);

    private void RestoreIdHeaders(Exchange x)
    {
        var headers = x.Response.Headers;
        if (IsRest)
        {
            headers["x-amzn-RequestId"] = x.RequestId;
            headers["x-amz-apigw-id"] = x.ExtendedRequestId;
        }
        else
        {
            headers["apigw-requestid"] = x.RequestId;
        }
    }

    private void AddCorsHeaders(Exchange x)
    {
        if (_cors is not null && x.Request.Headers.Origin.Count > 0 && _cors.AllowedOrigin(x.Request.Headers.Origin.ToString()) is { } allowed)
        {
            _cors.AddResponseHeaders(x.Response.Headers, allowed);
        }
    }

    private async Task WriteErrorAsync(Exchange x, ErrorResponse error, LocalApiOutcome outcome, string? detail)
    {
        x.Outcome = outcome;
        x.Detail = detail;
        var response = x.Response;
        response.StatusCode = error.Status;
        var headers = response.Headers;
        headers.ContentType = "application/json";
        if (error.ErrorType is not null)
        {
            headers["x-amzn-ErrorType"] = error.ErrorType;
        }

        AddCorsHeaders(x);
        await WriteBodyAsync(x, error.Body).ConfigureAwait(false);
    }

    private static async Task WriteBodyAsync(Exchange x, ReadOnlyMemory<byte> body)
    {
        var response = x.Response;
        if (response.StatusCode is 204 or 304)
        {
            return;
        }

        response.Headers.ContentLength = body.Length;
        if (body.Length > 0)
        {
            await x.ResponseBody.Writer.WriteAsync(body, x.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>Splits the request target as sent into the raw path and the raw query.</summary>
    private static void SplitTarget(IHttpRequestFeature request, out string rawPath, out string rawQuery)
    {
        var target = request.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            // Absolute-form or '*' targets: fall back to the decoded path Kestrel parsed.
            rawPath = string.IsNullOrEmpty(request.Path) ? "/" : request.PathBase + request.Path;
            rawQuery = request.QueryString.Length > 1 ? request.QueryString[1..] : "";
            return;
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            rawPath = target;
            rawQuery = "";
        }
        else
        {
            rawPath = target[..question];
            rawQuery = target[(question + 1)..];
        }
    }

    private static string SourceIp(IHttpConnectionFeature? connection) =>
        connection?.RemoteIpAddress is not { } address ? "127.0.0.1"
        : address.Equals(IPAddress.Loopback) ? "127.0.0.1"
        : address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString()
        : address.ToString();

    /// <summary>The last host seen and its domain prefix (the host rarely changes).</summary>
    private sealed record HostPrefix(string Host, string Prefix);

    private sealed class ErrorResponse(int status, string body, string? errorType)
    {
        public int Status { get; } = status;

        public byte[] Body { get; } = Encoding.UTF8.GetBytes(body);

        public string? ErrorType { get; } = errorType;
    }
}
