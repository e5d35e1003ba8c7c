using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Values;

namespace Lamina.Aws.Scheduling;

/// <summary>Turns a constant JSON input into a program value (written through <c>fn::toJSON</c>).</summary>
internal static class ScheduleJson
{
    private const long MaxExactInteger = 9_007_199_254_740_992; // 2^53: larger integers do not survive the program's numbers

    public static Expr ToExpr(JsonNode? node, string at, List<string> problems)
    {
        switch (node)
        {
            case null:
                return Expr.Null;
            case JsonObject obj:
                var entries = new List<KeyValuePair<string, Expr>>(obj.Count);
                foreach (var (key, child) in obj)
                {
                    if (key.StartsWith("fn::", StringComparison.Ordinal))
                    {
                        problems.Add($"key '{key}' at {at} starts with 'fn::', which Pulumi YAML reads as a built-in function; rename it");
                    }
                    entries.Add(new(key, ToExpr(child, $"{at}.{key}", problems)));
                }
                return new ObjectExpr(entries);
            case JsonArray array:
                var items = new List<Expr>(array.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    items.Add(ToExpr(array[i], $"{at}[{i.ToString(CultureInfo.InvariantCulture)}]", problems));
                }
                return new ListExpr(items);
            default:
                var value = node.AsValue();
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        return Expr.Of(value.GetValue<string>());
                    case JsonValueKind.True:
                        return Expr.Of(true);
                    case JsonValueKind.False:
                        return Expr.Of(false);
                    case JsonValueKind.Null:
                        return Expr.Null;
                    case JsonValueKind.Number:
                        var text = value.ToJsonString();
                        var number = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) && Math.Abs(integer) > MaxExactInteger)
                        {
                            problems.Add($"number {text} at {at} is larger than 2^53 and would lose precision; send it as a string");
                        }
                        return Expr.Of(number);
                    default:
                        problems.Add($"value at {at} is not JSON");
                        return Expr.Null;
                }
        }
    }
}
