using System.Text.RegularExpressions;

using Lamina.Aws.Semantics.Api;
using Lamina.Values;

namespace Lamina.Aws.Api;

/// <summary>
/// API Gateway route keys and resource paths as Lamina validates them (the same rules for HTTP and REST APIs):
/// a method (one of <see cref="Methods"/>), a path that starts with '/', segments of letters, digits, '.', '_' and '-',
/// whole-segment parameters <c>{name}</c>, a greedy <c>{name+}</c> only as the last segment, and no parameter name twice.
/// HTTP APIs also accept the route key <c>$default</c>.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The HTTP methods a route or method may use (<c>ANY</c> matches every method).</summary>
    public static IReadOnlyList<string> Methods => RouteKeys.Methods;

    /// <summary>The HTTP API catch-all route key.</summary>
    public const string DefaultRouteKey = RouteKeys.DefaultRouteKey;

    /// <summary>What a route key or path must look like (used in error messages).</summary>
    public const string Rules = RouteKeys.Rules;

    /// <inheritdoc cref="RouteKeys.TryParseRouteKey"/>
    public static string? TryParseRouteKey(string? routeKey, out string method, out IReadOnlyList<ApiPathSegment> segments) =>
        RouteKeys.TryParseRouteKey(routeKey, out method, out segments);

    /// <inheritdoc cref="RouteKeys.CheckMethod"/>
    public static string? CheckMethod(string? method) => RouteKeys.CheckMethod(method);

    /// <inheritdoc cref="RouteKeys.TryParsePath"/>
    public static string? TryParsePath(string? path, out IReadOnlyList<ApiPathSegment> segments) => RouteKeys.TryParsePath(path, out segments);

    /// <summary>
    /// The route's shape for duplicate detection: parameter names do not matter (<c>GET /orders/{id}</c> and
    /// <c>GET /orders/{orderId}</c> match the same requests).
    /// </summary>
    public static string Shape(string method, IReadOnlyList<ApiPathSegment> segments) =>
        method == DefaultRouteKey ? DefaultRouteKey : method + " /" + string.Join('/', segments.Select(s => s.Parameter is null ? s.Text : s.Greedy ? "{+}" : "{}"));

    /// <summary>The path again from its segments (<c>/</c> for the root).</summary>
    public static string PathOf(IReadOnlyList<ApiPathSegment> segments) => "/" + string.Join('/', segments.Select(s => s.Text));

    /// <summary>
    /// The part of an <c>execute-api</c> ARN after the API's execution ARN that matches the route from any stage:
    /// <c>*/GET/orders/{id}</c>, <c>*/*/orders</c> for ANY, <c>*/$default</c> for the HTTP API default route,
    /// <c>*/GET/</c> for the root path.
    /// </summary>
    public static string SourceArnSuffix(string method, IReadOnlyList<ApiPathSegment> segments) =>
        method == DefaultRouteKey ? "*/$default" : $"*/{(method == "ANY" ? "*" : method)}{PathOf(segments)}";

    /// <summary>A construct id for a route: <c>GET-orders-id</c>, <c>ANY-proxy</c>, <c>GET-root</c>, <c>default</c>.</summary>
    internal static string ConstructId(string method, IReadOnlyList<ApiPathSegment> segments)
    {
        if (method == DefaultRouteKey)
        {
            return "default";
        }
        var parts = new List<string> { method };
        parts.AddRange(segments.Count == 0 ? ["root"] : segments.Select(s => Sanitize(s.Parameter ?? s.Text)));
        return Fit(string.Join('-', parts), method + " " + PathOf(segments));
    }

    /// <summary>A construct id for a path resource: <c>orders-id</c> for <c>/orders/{id}</c> (prefixed with 'p' when it would not start with a letter).</summary>
    internal static string ResourceId(IReadOnlyList<ApiPathSegment> segments)
    {
        var id = string.Join('-', segments.Select(s => Sanitize(s.Parameter ?? s.Text)));
        return Fit(char.IsAsciiLetter(id[0]) ? id : "p" + id, PathOf(segments));
    }

    /// <summary>A construct id from a function's path below its stack (<c>Orders-GetOrder</c>).</summary>
    internal static string IdFromPath(Construct c, string suffix = "")
    {
        var ids = new List<string>();
        for (Construct? x = c; x is not null and not Lamina.Stack; x = x.Scope)
        {
            ids.Add(x.Id);
        }
        ids.Reverse();
        return Fit(string.Join('-', ids) + suffix, c.Path + suffix);
    }

    /// <summary>
    /// <paramref name="id"/> made unique by <paramref name="key"/>: cut to leave room and suffixed with
    /// <c>-</c> and <see cref="Lamina.Resources.LogicalNames.ShortHash"/> of the key (for two routes or paths whose ids clash or are too long).
    /// </summary>
    internal static string WithHash(string id, string key) =>
        id[..Math.Min(id.Length, Construct.MaxIdLength - 9)] + "-" + Lamina.Resources.LogicalNames.ShortHash(key);

    private static readonly Regex OutputName = new("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Adds the stack output <paramref name="name"/> holding an API's URL, or reports on <paramref name="api"/>'s
    /// <c>UrlOutputName</c> why it cannot (an invalid name, or one the stack already has). Returns the name.
    /// </summary>
    internal static string AddUrlOutput(Construct api, string name, Output<string> url)
    {
        if (!OutputName.IsMatch(name))
        {
            api.AddError("UrlOutputName", $"stack output name '{name}' is invalid: it must start with a letter and use letters, digits and '_'");
        }
        else if (api.Stack.Outputs.ContainsKey(name))
        {
            api.AddError("UrlOutputName", $"the stack already has an output named '{name}'; set UrlOutputName to another name or UrlOutput = false");
        }
        else
        {
            api.Stack.AddOutput(name, url);
        }
        return name;
    }

    private static string Sanitize(string s) => Regex.Replace(s, "[^A-Za-z0-9_-]", "_");

    private static string Fit(string id, string key) => id.Length <= Construct.MaxIdLength ? id : WithHash(id, key);
}
