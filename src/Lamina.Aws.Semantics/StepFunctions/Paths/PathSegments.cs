using System.Globalization;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

internal abstract class PathSegment
{
    /// <summary>Appends to <paramref name="output"/> the nodes this segment selects from <paramref name="node"/>.</summary>
    internal abstract void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output);

    internal static string Quote(string name) => "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";
}

internal sealed class NameSegment(string name) : PathSegment
{
    internal string Name { get; } = name;

    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        if (node is JsonObject obj && obj.TryGetPropertyValue(Name, out var child))
        {
            output.Add(child);
        }
    }

    public override string ToString() => Quote(Name);
}

internal sealed class IndexSegment(int index) : PathSegment
{
    internal int Index { get; } = index;

    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        if (node is JsonArray array)
        {
            var i = Index < 0 ? Index + array.Count : Index;
            if (i >= 0 && i < array.Count)
            {
                output.Add(array[i]);
            }
        }
    }

    public override string ToString() => "[" + Index.ToString(CultureInfo.InvariantCulture) + "]";
}

internal sealed class WildcardSegment : PathSegment
{
    internal static readonly WildcardSegment Instance = new();

    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    output.Add(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    output.Add(item);
                }

                break;
        }
    }

    public override string ToString() => "[*]";
}

internal sealed class NamesSegment(string[] names) : PathSegment
{
    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        if (node is JsonObject obj)
        {
            foreach (var name in names)
            {
                if (obj.TryGetPropertyValue(name, out var child))
                {
                    output.Add(child);
                }
            }
        }
    }

    public override string ToString() => "[" + string.Join(",", names.Select(n => "'" + n + "'")) + "]";
}

internal sealed class IndexesSegment(int[] indexes) : PathSegment
{
    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        if (node is JsonArray array)
        {
            foreach (var index in indexes)
            {
                var i = index < 0 ? index + array.Count : index;
                if (i >= 0 && i < array.Count)
                {
                    output.Add(array[i]);
                }
            }
        }
    }

    public override string ToString() => "[" + string.Join(",", indexes) + "]";
}

internal sealed class SliceSegment(int? start, int? end, int? step) : PathSegment
{
    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        if (node is not JsonArray array)
        {
            return;
        }

        var count = array.Count;
        var s = step ?? 1;
        if (s == 0)
        {
            return;
        }

        if (s > 0)
        {
            var from = Normalize(start ?? 0, count);
            var to = Normalize(end ?? count, count);
            for (var i = from; i < to; i += s)
            {
                output.Add(array[i]);
            }
        }
        else
        {
            var from = start is null ? count - 1 : Math.Min(Normalize(start.Value, count), count - 1);
            var to = end is null ? -1 : Normalize(end.Value, count);
            for (var i = from; i > to; i += s)
            {
                output.Add(array[i]);
            }
        }
    }

    private static int Normalize(int index, int count) => index < 0 ? Math.Max(0, index + count) : Math.Min(index, count);

    public override string ToString() => "[" + start + ":" + end + (step is null ? "" : ":" + step) + "]";
}

internal sealed class DeepScanSegment(PathSegment inner) : PathSegment
{
    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output) => Visit(node, documentRoot, output);

    private void Visit(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        inner.Select(node, documentRoot, output);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Visit(value, documentRoot, output);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Visit(item, documentRoot, output);
                }

                break;
        }
    }

    public override string ToString() => ".." + inner;
}

internal sealed class FilterSegment(FilterExpression expression) : PathSegment
{
    internal override void Select(JsonNode? node, JsonNode? documentRoot, List<JsonNode?> output)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (expression.Test(item, documentRoot))
                    {
                        output.Add(item);
                    }
                }

                break;
            case JsonObject obj:
                // Jayway applies a filter on an object to the object itself.
                if (expression.Test(obj, documentRoot))
                {
                    output.Add(obj);
                }

                break;
        }
    }

    public override string ToString() => "[?(...)]";
}
