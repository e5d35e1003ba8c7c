using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>A predicate inside <c>[?( ... )]</c>.</summary>
internal abstract class FilterExpression
{
    internal abstract bool Test(JsonNode? current, JsonNode? documentRoot);
}

internal sealed class OrFilter(FilterExpression[] operands) : FilterExpression
{
    internal override bool Test(JsonNode? current, JsonNode? documentRoot)
    {
        foreach (var operand in operands)
        {
            if (operand.Test(current, documentRoot))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class AndFilter(FilterExpression[] operands) : FilterExpression
{
    internal override bool Test(JsonNode? current, JsonNode? documentRoot)
    {
        foreach (var operand in operands)
        {
            if (!operand.Test(current, documentRoot))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class NotFilter(FilterExpression operand) : FilterExpression
{
    internal override bool Test(JsonNode? current, JsonNode? documentRoot) => !operand.Test(current, documentRoot);
}

internal sealed class ExistsFilter(FilterOperand operand) : FilterExpression
{
    internal override bool Test(JsonNode? current, JsonNode? documentRoot)
    {
        if (!operand.TryEvaluate(current, documentRoot, out var value))
        {
            return false;
        }

        // A literal on its own is tested for truthiness; a path for existence.
        return operand is not LiteralOperand || (AslJson.IsBoolean(value, out var b) && b);
    }
}

internal enum FilterOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Matches,
}

internal sealed class ComparisonFilter(FilterOperand left, FilterOperator op, FilterOperand right) : FilterExpression
{
    internal override bool Test(JsonNode? current, JsonNode? documentRoot)
    {
        var hasLeft = left.TryEvaluate(current, documentRoot, out var l);
        if (op == FilterOperator.Matches)
        {
            return hasLeft && right is RegexOperand regex && AslJson.IsString(l, out var text) && regex.Regex.IsMatch(text);
        }

        var hasRight = right.TryEvaluate(current, documentRoot, out var r);
        if (!hasLeft || !hasRight)
        {
            return op == FilterOperator.NotEqual && hasLeft != hasRight;
        }

        switch (op)
        {
            case FilterOperator.Equal:
                return AslJson.DeepEquals(l, r);
            case FilterOperator.NotEqual:
                return !AslJson.DeepEquals(l, r);
        }

        int comparison;
        if (AslJson.TryGetNumber(l, out var ln) && AslJson.TryGetNumber(r, out var rn))
        {
            comparison = ln.CompareTo(rn);
        }
        else if (AslJson.IsString(l, out var ls) && AslJson.IsString(r, out var rs))
        {
            comparison = string.CompareOrdinal(ls, rs);
        }
        else
        {
            return false;
        }

        return op switch
        {
            FilterOperator.Less => comparison < 0,
            FilterOperator.LessOrEqual => comparison <= 0,
            FilterOperator.Greater => comparison > 0,
            FilterOperator.GreaterOrEqual => comparison >= 0,
            _ => false,
        };
    }
}

internal abstract class FilterOperand
{
    internal abstract bool TryEvaluate(JsonNode? current, JsonNode? documentRoot, out JsonNode? value);
}

internal sealed class LiteralOperand(JsonNode? value) : FilterOperand
{
    internal override bool TryEvaluate(JsonNode? current, JsonNode? documentRoot, out JsonNode? result)
    {
        result = value;
        return true;
    }
}

internal sealed class RegexOperand(Regex regex) : FilterOperand
{
    internal Regex Regex { get; } = regex;

    internal override bool TryEvaluate(JsonNode? current, JsonNode? documentRoot, out JsonNode? value)
    {
        value = null;
        return true;
    }
}

internal sealed class PathOperand(bool relative, PathSegment[] segments) : FilterOperand
{
    private readonly bool _definite = segments.All(s => s is NameSegment or IndexSegment);

    internal override bool TryEvaluate(JsonNode? current, JsonNode? documentRoot, out JsonNode? value)
    {
        var start = relative ? current : documentRoot;
        var matches = JsonPath.Evaluate(segments, start, documentRoot);
        if (_definite)
        {
            if (matches.Count == 0)
            {
                value = null;
                return false;
            }

            value = matches[0];
            return true;
        }

        var array = new JsonArray();
        foreach (var match in matches)
        {
            array.Add(AslJson.Clone(match));
        }

        value = array;
        return true;
    }
}
