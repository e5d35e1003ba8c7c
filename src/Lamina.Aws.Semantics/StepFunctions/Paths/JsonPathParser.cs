using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>Recursive-descent parser for <see cref="JsonPath"/> and its filter expressions.</summary>
internal sealed class JsonPathParser(string text, int position, bool filterMode)
{
    private sealed class ParseError(string message) : Exception(message);

    internal int Position { get; private set; } = position;

    private bool AtEnd => Position >= text.Length;

    private char Current => text[Position];

    internal bool TryParseRoot(out bool isContext, out PathSegment[] segments, out string? error)
    {
        isContext = false;
        segments = [];
        try
        {
            if (AtEnd || Current != '$')
            {
                throw new ParseError("a path must start with '$'");
            }

            Position++;
            if (!AtEnd && Current == '$')
            {
                isContext = true;
                Position++;
            }

            segments = ParseSegments();
            error = null;
            return true;
        }
        catch (ParseError e)
        {
            error = e.Message;
            return false;
        }
    }

    private PathSegment[] ParseSegments()
    {
        var segments = new List<PathSegment>();
        while (!AtEnd)
        {
            var c = Current;
            if (c == '.')
            {
                Position++;
                if (!AtEnd && Current == '.')
                {
                    Position++;
                    segments.Add(new DeepScanSegment(ParseAfterDot(deep: true)));
                }
                else
                {
                    segments.Add(ParseAfterDot(deep: false));
                }
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket());
            }
            else if (filterMode)
            {
                break;
            }
            else
            {
                throw new ParseError($"unexpected character '{c}' at position {Position}");
            }
        }

        return [.. segments];
    }

    private PathSegment ParseAfterDot(bool deep)
    {
        if (AtEnd)
        {
            throw new ParseError("a path must not end with '.'");
        }

        if (Current == '*')
        {
            Position++;
            return WildcardSegment.Instance;
        }

        if (Current == '[')
        {
            return ParseBracket();
        }

        var start = Position;
        while (!AtEnd && !IsNameTerminator(Current))
        {
            Position++;
        }

        if (Position == start)
        {
            throw new ParseError($"expected a field name at position {start}" + (deep ? " after '..'" : ""));
        }

        return new NameSegment(text[start..Position]);
    }

    private static bool IsNameTerminator(char c) => c is '.' or '[' or ']' or '(' or ')' or ',' or '\'' or '"' or ' ' or '\t' or '\r' or '\n'
        or '<' or '>' or '=' or '!' or '&' or '|' or '?' or '@' or '$' or '\\' or '{' or '}';

    private PathSegment ParseBracket()
    {
        Position++; // [
        SkipWhitespace();
        if (AtEnd)
        {
            throw new ParseError("unterminated '['");
        }

        PathSegment segment;
        var c = Current;
        if (c == '*')
        {
            Position++;
            segment = WildcardSegment.Instance;
        }
        else if (c == '?')
        {
            Position++;
            SkipWhitespace();
            Expect('(');
            var expression = ParseOr();
            SkipWhitespace();
            Expect(')');
            segment = new FilterSegment(expression);
        }
        else if (c is '\'' or '"')
        {
            var names = new List<string> { ParseQuoted() };
            SkipWhitespace();
            while (!AtEnd && Current == ',')
            {
                Position++;
                SkipWhitespace();
                if (AtEnd || Current is not ('\'' or '"'))
                {
                    throw new ParseError($"expected a quoted name at position {Position}");
                }

                names.Add(ParseQuoted());
                SkipWhitespace();
            }

            segment = names.Count == 1 ? new NameSegment(names[0]) : new NamesSegment([.. names]);
        }
        else if (c == '-' || c == ':' || char.IsAsciiDigit(c))
        {
            segment = ParseIndexOrSlice();
        }
        else
        {
            throw new ParseError($"unexpected character '{c}' inside brackets at position {Position}");
        }

        SkipWhitespace();
        Expect(']');
        return segment;
    }

    private PathSegment ParseIndexOrSlice()
    {
        int? first = TryParseInt();
        SkipWhitespace();
        if (!AtEnd && Current == ':')
        {
            Position++;
            SkipWhitespace();
            var end = TryParseInt();
            SkipWhitespace();
            int? step = null;
            if (!AtEnd && Current == ':')
            {
                Position++;
                SkipWhitespace();
                step = TryParseInt();
                if (step == 0)
                {
                    throw new ParseError("a slice step must not be 0");
                }
            }

            return new SliceSegment(first, end, step);
        }

        if (first is null)
        {
            throw new ParseError($"expected an index at position {Position}");
        }

        var indexes = new List<int> { first.Value };
        while (!AtEnd && Current == ',')
        {
            Position++;
            SkipWhitespace();
            indexes.Add(TryParseInt() ?? throw new ParseError($"expected an index at position {Position}"));
            SkipWhitespace();
        }

        return indexes.Count == 1 ? new IndexSegment(indexes[0]) : new IndexesSegment([.. indexes]);
    }

    private int? TryParseInt()
    {
        var start = Position;
        if (!AtEnd && Current == '-')
        {
            Position++;
        }

        while (!AtEnd && char.IsAsciiDigit(Current))
        {
            Position++;
        }

        if (Position == start)
        {
            return null;
        }

        if (!int.TryParse(text.AsSpan(start, Position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new ParseError($"invalid index '{text[start..Position]}'");
        }

        return value;
    }

    private string ParseQuoted()
    {
        var quote = Current;
        Position++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw new ParseError("unterminated quoted name");
            }

            var c = Current;
            Position++;
            if (c == quote)
            {
                return sb.ToString();
            }

            if (c == '\\')
            {
                if (AtEnd)
                {
                    throw new ParseError("unterminated escape in quoted name");
                }

                sb.Append(Current);
                Position++;
            }
            else
            {
                sb.Append(c);
            }
        }
    }

    private void Expect(char c)
    {
        if (AtEnd || Current != c)
        {
            throw new ParseError(AtEnd ? $"expected '{c}' at the end" : $"expected '{c}' at position {Position} but found '{Current}'");
        }

        Position++;
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            Position++;
        }
    }

    private bool TryConsume(string token)
    {
        if (string.CompareOrdinal(text, Position, token, 0, token.Length) == 0)
        {
            Position += token.Length;
            return true;
        }

        return false;
    }

    private FilterExpression ParseOr()
    {
        var operands = new List<FilterExpression> { ParseAnd() };
        while (true)
        {
            SkipWhitespace();
            if (!TryConsume("||"))
            {
                break;
            }

            operands.Add(ParseAnd());
        }

        return operands.Count == 1 ? operands[0] : new OrFilter([.. operands]);
    }

    private FilterExpression ParseAnd()
    {
        var operands = new List<FilterExpression> { ParseUnary() };
        while (true)
        {
            SkipWhitespace();
            if (!TryConsume("&&"))
            {
                break;
            }

            operands.Add(ParseUnary());
        }

        return operands.Count == 1 ? operands[0] : new AndFilter([.. operands]);
    }

    private FilterExpression ParseUnary()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw new ParseError("unterminated filter expression");
        }

        if (Current == '!' && (Position + 1 >= text.Length || text[Position + 1] != '='))
        {
            Position++;
            return new NotFilter(ParseUnary());
        }

        if (Current == '(')
        {
            Position++;
            var inner = ParseOr();
            SkipWhitespace();
            Expect(')');
            return inner;
        }

        var left = ParseOperand();
        SkipWhitespace();
        FilterOperator? op = null;
        if (TryConsume("==")) op = FilterOperator.Equal;
        else if (TryConsume("!=")) op = FilterOperator.NotEqual;
        else if (TryConsume("<=")) op = FilterOperator.LessOrEqual;
        else if (TryConsume(">=")) op = FilterOperator.GreaterOrEqual;
        else if (TryConsume("=~")) op = FilterOperator.Matches;
        else if (TryConsume("<")) op = FilterOperator.Less;
        else if (TryConsume(">")) op = FilterOperator.Greater;

        if (op is null)
        {
            return new ExistsFilter(left);
        }

        SkipWhitespace();
        var right = op == FilterOperator.Matches ? ParseRegex() : ParseOperand();
        return new ComparisonFilter(left, op.Value, right);
    }

    private FilterOperand ParseRegex()
    {
        if (AtEnd || Current != '/')
        {
            throw new ParseError($"expected a /regex/ at position {Position}");
        }

        Position++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw new ParseError("unterminated regular expression");
            }

            var c = Current;
            Position++;
            if (c == '/')
            {
                break;
            }

            if (c == '\\' && !AtEnd && Current == '/')
            {
                sb.Append('/');
                Position++;
                continue;
            }

            sb.Append(c);
        }

        var options = RegexOptions.CultureInvariant;
        while (!AtEnd && char.IsAsciiLetter(Current))
        {
            if (Current == 'i')
            {
                options |= RegexOptions.IgnoreCase;
            }

            Position++;
        }

        try
        {
            return new RegexOperand(new Regex(sb.ToString(), options, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new ParseError("invalid regular expression: " + e.Message);
        }
    }

    private FilterOperand ParseOperand()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw new ParseError("expected an operand in filter expression");
        }

        var c = Current;
        if (c is '@' or '$')
        {
            Position++;
            var nested = new JsonPathParser(text, Position, filterMode: true);
            var segments = nested.ParseSegments();
            Position = nested.Position;
            return new PathOperand(c == '@', segments);
        }

        if (c is '\'' or '"')
        {
            return new LiteralOperand(JsonValue.Create(ParseQuoted()));
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            var start = Position;
            Position++;
            while (!AtEnd && (char.IsAsciiDigit(Current) || Current is '.' or 'e' or 'E' or '+' or '-'))
            {
                Position++;
            }

            var number = text[start..Position];
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new ParseError($"invalid number '{number}'");
            }

            return new LiteralOperand(AslJson.Number(value));
        }

        if (TryConsume("true"))
        {
            return new LiteralOperand(JsonValue.Create(true));
        }

        if (TryConsume("false"))
        {
            return new LiteralOperand(JsonValue.Create(false));
        }

        if (TryConsume("null"))
        {
            return new LiteralOperand(null);
        }

        throw new ParseError($"unexpected character '{c}' in filter expression at position {Position}");
    }
}
