using Lamina.Aws.Semantics.Api;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lamina.Local.Api;

/// <summary>One segment of a route path.</summary>
internal readonly record struct RouteSegment(string Text, string? Parameter, bool Greedy);

/// <summary>A route, parsed and ready to write into payloads.</summary>
internal sealed class CompiledRoute
{
    public CompiledRoute(LocalApiRoute route, string method, RouteSegment[] segments, LocalApiKind kind)
    {
        Route = route;
        Method = method;
        Segments = segments;
        IsDefault = method == RouteTable.DefaultRouteKey;
        ResourcePath = IsDefault ? RouteTable.DefaultRouteKey : "/" + string.Join('/', segments.Select(s => s.Text));
        Format = kind == LocalApiKind.RestApi ? LocalPayloadFormat.V1 : route.PayloadFormat;
        RouteKeyJson = JsonEncodedText.Encode(route.RouteKey, PayloadJson.Encoder);
        ResourceJson = JsonEncodedText.Encode(ResourcePath, PayloadJson.Encoder);
        FunctionName = route.FunctionName;
        ResourceId = LocalApiDefinition.DeriveApiId(ResourcePath)[..6];
        ScopeSet = route.Scopes.Count == 0 ? null : route.Scopes.ToHashSet(StringComparer.Ordinal);
    }

    public LocalApiRoute Route { get; }

    public string Method { get; }

    public RouteSegment[] Segments { get; }

    public bool IsDefault { get; }

    /// <summary>The path part (<c>/orders/{id}</c>), or <c>$default</c>.</summary>
    public string ResourcePath { get; }

    public string ResourceId { get; }

    public LocalPayloadFormat Format { get; }

    public JsonEncodedText RouteKeyJson { get; }

    public JsonEncodedText ResourceJson { get; }

    public string FunctionName { get; }

    public HashSet<string>? ScopeSet { get; }

    public bool HasParameters => Segments.Any(static s => s.Parameter is not null);
}

/// <summary>The result of matching a request path.</summary>
internal readonly record struct RouteMatch(CompiledRoute Route, KeyValuePair<string, string>[]? PathParameters);

/// <summary>
/// The routes of one API compiled into a segment tree. Matching walks the tree depth first, at each level trying a
/// literal child, then a <c>{param}</c> child, then a greedy <c>{param+}</c> child (which takes the rest of the path,
/// at least one segment); a node matches when it has a route for the method (an explicit method before <c>ANY</c>).
/// When nothing matches, an HTTP API falls back to <c>$default</c>.
/// </summary>
internal sealed partial class RouteTable
{
    public const string DefaultRouteKey = RouteKeys.DefaultRouteKey;

    private readonly Node _root = new();
    private readonly CompiledRoute? _default;

    public RouteTable(LocalApiDefinition api)
    {
        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        var routes = new List<CompiledRoute>();
        foreach (var route in api.Routes)
        {
            ArgumentNullException.ThrowIfNull(route, nameof(api.Routes));
            var error = TryParse(route.RouteKey, out var method, out var segments);
            if (error is not null)
            {
                throw new ArgumentException($"API '{api.Name}': route key '{route.RouteKey}' is invalid: {error}.", nameof(api));
            }

            if (string.IsNullOrEmpty(route.FunctionName))
            {
                throw new ArgumentException($"API '{api.Name}': route '{route.RouteKey}' has no function name.", nameof(api));
            }

            if (api.Kind == LocalApiKind.RestApi && method == DefaultRouteKey)
            {
                throw new ArgumentException($"API '{api.Name}': a REST API has no '$default' route; use 'ANY /{{proxy+}}'.", nameof(api));
            }

            if (api.Kind == LocalApiKind.RestApi && route.Authorization == LocalRouteAuthorization.Jwt)
            {
                throw new ArgumentException($"API '{api.Name}': route '{route.RouteKey}': REST APIs support None and Iam authorization only.", nameof(api));
            }

            if (route.Authorization == LocalRouteAuthorization.Jwt && api.JwtAuthorizer is null)
            {
                throw new ArgumentException($"API '{api.Name}': route '{route.RouteKey}' uses JWT authorization but the API has no JwtAuthorizer.", nameof(api));
            }

            var shape = method == DefaultRouteKey ? DefaultRouteKey
                : method + " /" + string.Join('/', segments.Select(static s => s.Parameter is null ? s.Text : s.Greedy ? "{+}" : "{}"));
            if (!shapes.TryAdd(shape, route.RouteKey))
            {
                throw new ArgumentException($"API '{api.Name}': route '{route.RouteKey}' matches the same requests as '{shapes[shape]}'.", nameof(api));
            }

            var compiled = new CompiledRoute(route, method, segments, api.Kind);
            routes.Add(compiled);
            if (compiled.IsDefault)
            {
                _default = compiled;
            }
            else
            {
                Insert(compiled);
            }
        }

        Routes = routes;
    }

    public IReadOnlyList<CompiledRoute> Routes { get; }

    /// <summary>Finds the route of <paramref name="method"/> <paramref name="path"/> (the raw path after the stage,
    /// starting with '/'), or null.</summary>
    public RouteMatch? Match(string method, ReadOnlySpan<char> path)
    {
        // Segment boundaries, without the leading '/', and without one trailing empty segment ("/a/" is "/a").
        var full = path.Length > 0 && path[0] == '/' ? path[1..] : path;
        var body = full;
        if (body.Length > 0 && body[^1] == '/')
        {
            body = body[..^1];
        }

        Span<Range> buffer = stackalloc Range[32];
        var count = body.IsEmpty ? 0 : body.Count('/') + 1;
        var ranges = count <= buffer.Length ? buffer[..count] : new Range[count];
        if (count > 0)
        {
            body.Split(ranges, '/');
        }

        var found = Walk(_root, method, body, ranges, 0, out var greedyAt);
        if (found is null)
        {
            return _default is null ? null : new RouteMatch(_default, null);
        }

        return new RouteMatch(found, found.HasParameters ? Parameters(found, full, ranges, greedyAt) : null);
    }

    private static CompiledRoute? Walk(Node node, string method, ReadOnlySpan<char> body, ReadOnlySpan<Range> ranges, int index, out int greedyAt)
    {
        greedyAt = -1;
        if (index == ranges.Length)
        {
            return node.For(method);
        }

        var segment = body[ranges[index]];
        if (node.Literals is { } literals)
        {
            var decoded = segment.Contains('%') ? PercentDecode(segment) : null;
            var lookup = literals.GetAlternateLookup<ReadOnlySpan<char>>();
            if (decoded is not null ? literals.TryGetValue(decoded, out var child) : lookup.TryGetValue(segment, out child))
            {
                var found = Walk(child, method, body, ranges, index + 1, out greedyAt);
                if (found is not null)
                {
                    return found;
                }
            }
        }

        if (node.Parameter is { } parameter && !segment.IsEmpty)
        {
            var found = Walk(parameter, method, body, ranges, index + 1, out greedyAt);
            if (found is not null)
            {
                return found;
            }
        }

        if (node.Greedy?.For(method) is { } greedy)
        {
            greedyAt = index;
            return greedy;
        }

        return null;
    }

    /// <summary>The route's parameters; <paramref name="body"/> is the path without its leading '/' (ranges are
    /// offsets into it), a trailing '/' included.</summary>
    private static KeyValuePair<string, string>[] Parameters(CompiledRoute route, ReadOnlySpan<char> body, ReadOnlySpan<Range> ranges, int greedyAt)
    {
        var result = new List<KeyValuePair<string, string>>(route.Segments.Length);
        for (var i = 0; i < route.Segments.Length; i++)
        {
            var segment = route.Segments[i];
            if (segment.Parameter is null)
            {
                continue;
            }

            ReadOnlySpan<char> raw;
            if (segment.Greedy)
            {
                // The rest of the path from the greedy segment on, as sent (a trailing '/' included).
                var start = ranges[greedyAt].Start.GetOffset(body.Length);
                raw = body[start..];
            }
            else
            {
                raw = body[ranges[i]];
            }

            result.Add(new(segment.Parameter, raw.Contains('%') ? PercentDecode(raw) : raw.ToString()));
        }

        return result.ToArray();
    }

    private void Insert(CompiledRoute route)
    {
        var node = _root;
        foreach (var segment in route.Segments)
        {
            if (segment.Greedy)
            {
                node = node.Greedy ??= new Node();
            }
            else if (segment.Parameter is not null)
            {
                node = node.Parameter ??= new Node();
            }
            else
            {
                node.Literals ??= new Dictionary<string, Node>(StringComparer.Ordinal);
                if (!node.Literals.TryGetValue(segment.Text, out var child))
                {
                    node.Literals[segment.Text] = child = new Node();
                }

                node = child;
            }
        }

        node.Add(route);
    }

    /// <summary>Decodes %XX escapes (UTF-8); '+' stays '+'. Malformed escapes are kept as written.</summary>
    public static string PercentDecode(ReadOnlySpan<char> text)
    {
        if (!text.Contains('%'))
        {
            return text.ToString();
        }

        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text.ToString();
        }
    }

    /// <summary>Parses a route key with the rules synthesis validates (<see cref="RouteKeys"/>); returns null when valid, else what is wrong.</summary>
    public static string? TryParse(string? routeKey, out string method, out RouteSegment[] segments)
    {
        var error = RouteKeys.TryParseRouteKey(routeKey, out method, out var parsed);
        segments = error is null ? parsed.Select(p => new RouteSegment(p.Text, p.Parameter, p.Greedy)).ToArray() : [];
        return error;
    }

    private sealed class Node
    {
        private CompiledRoute? _any;
        private List<CompiledRoute>? _methods;

        public Dictionary<string, Node>? Literals { get; set; }

        public Node? Parameter { get; set; }

        public Node? Greedy { get; set; }

        public void Add(CompiledRoute route)
        {
            if (route.Method == "ANY")
            {
                _any = route;
            }
            else
            {
                (_methods ??= []).Add(route);
            }
        }

        public CompiledRoute? For(string method)
        {
            if (_methods is { } methods)
            {
                foreach (var route in methods)
                {
                    if (string.Equals(route.Method, method, StringComparison.Ordinal))
                    {
                        return route;
                    }
                }
            }

            return _any;
        }
    }
}
