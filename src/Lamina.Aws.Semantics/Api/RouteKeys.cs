using System.Text.RegularExpressions;

namespace Lamina.Aws.Semantics.Api;

/// <summary>One segment of an API path: a literal, a <c>{name}</c> parameter, or a greedy <c>{name+}</c> parameter.</summary>
/// <param name="Text">The segment as written, such as <c>orders</c>, <c>{id}</c> or <c>{proxy+}</c>.</param>
/// <param name="Parameter">The parameter's name, or null for a literal segment.</param>
/// <param name="Greedy">True for a greedy parameter (<c>{name+}</c>), which matches the rest of the path.</param>
public readonly record struct ApiPathSegment(string Text, string? Parameter, bool Greedy);

/// <summary>
/// API Gateway route keys and resource paths as Lamina validates them at synthesis and the local gateway routes them
/// (the same rules for HTTP and REST APIs): a method (one of <see cref="Methods"/>), a path that starts with '/',
/// segments of letters, digits, '.', '_' and '-', whole-segment parameters <c>{name}</c>, a greedy <c>{name+}</c> only
/// as the last segment, and no parameter name twice. HTTP APIs also accept the route key <c>$default</c>.
/// </summary>
public static class RouteKeys
{
    /// <summary>The HTTP methods a route or method may use (<c>ANY</c> matches every method).</summary>
    public static readonly IReadOnlyList<string> Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY"];

    /// <summary>The HTTP API catch-all route key.</summary>
    public const string DefaultRouteKey = "$default";

    /// <summary>What a route key or path must look like (used in error messages).</summary>
    public const string Rules =
        "a route key is 'METHOD /path' (one space) with METHOD one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY, or '$default'; " +
        "the path starts with '/', has no empty segments and no trailing '/', its segments use letters, digits, '.', '_' and '-', " +
        "a parameter is a whole segment '{name}' (name: letters, digits, '.', '_', '-'), a greedy '{name+}' only as the last segment, and no parameter name appears twice";

    private static readonly Regex Literal = new("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Parameter = new(@"^\{([A-Za-z0-9._-]+)(\+?)\}$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Splits a route key (<c>GET /orders/{id}</c>, <c>ANY /{proxy+}</c>, <c>$default</c>) into method and path segments.
    /// Returns null when valid, else what is wrong (without the rules).
    /// </summary>
    public static string? TryParseRouteKey(string? routeKey, out string method, out IReadOnlyList<ApiPathSegment> segments)
    {
        method = "";
        segments = [];
        if (string.IsNullOrEmpty(routeKey))
        {
            return "the route key is empty";
        }
        if (routeKey == DefaultRouteKey)
        {
            method = DefaultRouteKey;
            return null;
        }
        var space = routeKey.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return "it is neither '$default' nor 'METHOD /path'";
        }
        var m = routeKey[..space];
        var error = CheckMethod(m);
        if (error is not null)
        {
            return error;
        }
        method = m;
        return TryParsePath(routeKey[(space + 1)..], out segments);
    }

    /// <summary>Checks a method name: one of <see cref="Methods"/>, upper case. Returns null when valid.</summary>
    public static string? CheckMethod(string? method) =>
        method is not null && Methods.Contains(method)
            ? null
            : $"method '{method}' is not one of {string.Join(", ", Methods)} (upper case)";

    /// <summary>Splits a resource path (<c>/</c>, <c>/orders/{id}</c>) into segments. Returns null when valid, else what is wrong.</summary>
    public static string? TryParsePath(string? path, out IReadOnlyList<ApiPathSegment> segments)
    {
        segments = [];
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return $"path '{path}' does not start with '/'";
        }
        if (path == "/")
        {
            return null;
        }
        if (path.EndsWith('/'))
        {
            return $"path '{path}' ends with '/'";
        }
        var list = new List<ApiPathSegment>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var parts = path[1..].Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Length == 0)
            {
                return $"path '{path}' has an empty segment ('//')";
            }
            var p = Parameter.Match(part);
            if (p.Success)
            {
                var name = p.Groups[1].Value;
                var greedy = p.Groups[2].Length > 0;
                if (greedy && i != parts.Length - 1)
                {
                    return $"greedy parameter '{part}' is not the last segment of path '{path}'";
                }
                if (!names.Add(name))
                {
                    return $"parameter '{name}' appears twice in path '{path}'";
                }
                list.Add(new ApiPathSegment(part, name, greedy));
            }
            else if (Literal.IsMatch(part))
            {
                list.Add(new ApiPathSegment(part, null, false));
            }
            else
            {
                return $"segment '{part}' of path '{path}' is neither a literal (letters, digits, '.', '_', '-') nor a whole-segment parameter '{{name}}' / '{{name+}}'";
            }
        }
        segments = list;
        return null;
    }

}
