using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// A compiled JSONPath expression in the dialect Step Functions accepts (Jayway JsonPath): <c>$</c> or <c>$$</c>
/// (context object) followed by <c>.name</c>, <c>['name']</c>, <c>[n]</c> (negative counts from the end),
/// <c>[*]</c>/<c>.*</c>, unions <c>[a,b]</c>/<c>['a','b']</c>, slices <c>[start:end:step]</c>, deep scan <c>..</c>
/// and filters <c>[?(@.price &gt; 10 &amp;&amp; @.tag == 'x')]</c>.
/// </summary>
/// <remarks>
/// A <em>definite</em> path (only names and single indexes) selects at most one node; any other path selects a
/// list and evaluates to a JSON array, as in Step Functions. A <em>reference path</em> is a definite path, the only
/// form allowed for ResultPath, ItemsPath, Choice variables and the *Path fields.
/// </remarks>
public sealed class JsonPath
{
    private readonly PathSegment[] _segments;

    private JsonPath(string text, bool isContext, PathSegment[] segments)
    {
        Text = text;
        IsContextPath = isContext;
        _segments = segments;
        IsDefinite = segments.All(s => s is NameSegment or IndexSegment);
        IsReferencePath = IsDefinite;
        IsRoot = segments.Length == 0;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>True for paths starting with <c>$$</c>, which select from the context object.</summary>
    public bool IsContextPath { get; }

    /// <summary>True when the path can select at most one node (names and single indexes only).</summary>
    public bool IsDefinite { get; }

    /// <summary>True when the path is a States Language reference path (no wildcards, filters, unions, slices or deep scan).</summary>
    public bool IsReferencePath { get; }

    /// <summary>True for <c>$</c> or <c>$$</c> alone.</summary>
    public bool IsRoot { get; }

    internal PathSegment[] Segments => _segments;

    /// <summary>Parses a path, throwing <see cref="FormatException"/> when it is malformed.</summary>
    /// <param name="text">The path text.</param>
    /// <returns>The compiled path.</returns>
    public static JsonPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException($"Invalid JSONPath '{text}': {error}");

    /// <summary>Parses a path.</summary>
    /// <param name="text">The path text.</param>
    /// <param name="path">The compiled path when parsing succeeds.</param>
    /// <param name="error">Why parsing failed, otherwise null.</param>
    /// <returns>True when <paramref name="text"/> is a well-formed path.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out JsonPath? path, out string? error)
    {
        path = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "a path must start with '$'";
            return false;
        }

        var parser = new JsonPathParser(text, 0, filterMode: false);
        if (!parser.TryParseRoot(out var isContext, out var segments, out error))
        {
            return false;
        }

        if (parser.Position != text.Length)
        {
            error = $"unexpected character '{text[parser.Position]}' at position {parser.Position}";
            return false;
        }

        path = new JsonPath(text, isContext, segments);
        return true;
    }

    /// <summary>
    /// Evaluates the path against <paramref name="root"/> (the state input for <c>$</c>, the context object for <c>$$</c>).
    /// A definite path yields the selected node itself (not a copy) and fails when nothing is there; any other path
    /// always succeeds with a new array holding copies of the matches.
    /// </summary>
    /// <param name="root">The document the path starts from.</param>
    /// <param name="value">The selected value.</param>
    /// <returns>False when a definite path selects nothing.</returns>
    public bool TrySelect(JsonNode? root, out JsonNode? value)
    {
        if (IsDefinite)
        {
            return TrySelectDefinite(root, out value);
        }

        var matches = SelectAll(root);
        var array = new JsonArray();
        foreach (var match in matches)
        {
            array.Add(AslJson.Clone(match));
        }

        value = array;
        return true;
    }

    /// <summary>Evaluates the path and returns every matching node (references into <paramref name="root"/>, not copies).</summary>
    /// <param name="root">The document the path starts from.</param>
    /// <returns>The matches in document order.</returns>
    public IReadOnlyList<JsonNode?> SelectAll(JsonNode? root)
    {
        if (IsDefinite)
        {
            return TrySelectDefinite(root, out var single) ? [single] : [];
        }

        return Evaluate(_segments, root, root);
    }

    internal static List<JsonNode?> Evaluate(PathSegment[] segments, JsonNode? start, JsonNode? documentRoot)
    {
        var current = new List<JsonNode?> { start };
        var next = new List<JsonNode?>();
        foreach (var segment in segments)
        {
            next.Clear();
            foreach (var node in current)
            {
                segment.Select(node, documentRoot, next);
            }

            (current, next) = (next, current);
        }

        return current;
    }

    /// <summary>The name of the first segment (<c>Execution</c> in <c>$$.Execution.Id</c>), or null.</summary>
    internal string? FirstName => _segments.Length > 0 && _segments[0] is NameSegment name ? name.Name : null;

    /// <summary>Evaluates against the state input, or for <c>$$</c> paths against the environment's context object.</summary>
    internal bool TrySelect(JsonNode? input, IEvaluationEnvironment environment, out JsonNode? value) =>
        IsContextPath ? environment.TrySelectContext(this, out value) : TrySelect(input, out value);

    /// <summary>Applies the segments from <paramref name="start"/> on to <paramref name="root"/>, with <see cref="TrySelect(JsonNode?, out JsonNode?)"/>'s results.</summary>
    internal bool TrySelectFrom(int start, JsonNode? root, out JsonNode? value)
    {
        if (start == 0)
        {
            return TrySelect(root, out value);
        }

        if (IsDefinite)
        {
            return TryWalk(start, root, out value);
        }

        var array = new JsonArray();
        foreach (var match in Evaluate(_segments[start..], root, root))
        {
            array.Add(AslJson.Clone(match));
        }

        value = array;
        return true;
    }

    internal bool TrySelectDefinite(JsonNode? root, out JsonNode? value) => TryWalk(0, root, out value);

    private bool TryWalk(int start, JsonNode? root, out JsonNode? value)
    {
        var node = root;
        for (var s = start; s < _segments.Length; s++)
        {
            var segment = _segments[s];
            if (segment is NameSegment name)
            {
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(name.Name, out node))
                {
                    value = null;
                    return false;
                }
            }
            else
            {
                var index = ((IndexSegment)segment).Index;
                if (node is not JsonArray array)
                {
                    value = null;
                    return false;
                }

                if (index < 0)
                {
                    index += array.Count;
                }

                if (index < 0 || index >= array.Count)
                {
                    value = null;
                    return false;
                }

                node = array[index];
            }
        }

        value = node;
        return true;
    }

    /// <summary>Renders the path the way Jayway normalizes it in error messages, e.g. <c>$['a'][0]</c>.</summary>
    /// <returns>The normalized form.</returns>
    internal string Normalized()
    {
        var sb = new System.Text.StringBuilder(IsContextPath ? "$$" : "$");
        foreach (var segment in _segments)
        {
            sb.Append(segment.ToString());
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
