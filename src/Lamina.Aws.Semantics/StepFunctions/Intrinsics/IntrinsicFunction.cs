using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// A parsed intrinsic function invocation such as <c>States.Format('Hello, {}', $.name)</c>, usable wherever a
/// field name ends in <c>.$</c>. Arguments may be string literals (with <c>\'</c>, <c>\{</c>, <c>\}</c>,
/// <c>\\</c> escapes), numbers, <c>true</c>/<c>false</c>/<c>null</c>, paths (<c>$</c> or <c>$$</c>) or nested
/// invocations (up to 10 deep).
/// </summary>
public sealed class IntrinsicFunction
{
    /// <summary>Maximum nesting depth Step Functions allows.</summary>
    public const int MaxNestingDepth = 10;

    private static readonly Dictionary<string, (int Min, int Max)> Arity = new(StringComparer.Ordinal)
    {
        ["States.Format"] = (1, int.MaxValue),
        ["States.StringToJson"] = (1, 1),
        ["States.JsonToString"] = (1, 1),
        ["States.Array"] = (0, int.MaxValue),
        ["States.ArrayPartition"] = (2, 2),
        ["States.ArrayContains"] = (2, 2),
        ["States.ArrayRange"] = (3, 3),
        ["States.ArrayGetItem"] = (2, 2),
        ["States.ArrayLength"] = (1, 1),
        ["States.ArrayUnique"] = (1, 1),
        ["States.Base64Encode"] = (1, 1),
        ["States.Base64Decode"] = (1, 1),
        ["States.Hash"] = (2, 2),
        ["States.JsonMerge"] = (3, 3),
        ["States.MathRandom"] = (2, 3),
        ["States.MathAdd"] = (2, 2),
        ["States.StringSplit"] = (2, 2),
        ["States.UUID"] = (0, 0),
    };

    internal IntrinsicFunction(string name, IntrinsicArgument[] arguments)
    {
        Name = name;
        Arguments = arguments;
    }

    /// <summary>The function name, e.g. <c>States.Format</c>.</summary>
    public string Name { get; }

    /// <summary>Every function name this implementation knows.</summary>
    public static IEnumerable<string> KnownFunctions => Arity.Keys;

    internal IntrinsicArgument[] Arguments { get; }

    /// <summary>True when <paramref name="text"/> looks like an invocation (starts with <c>States.</c>), as opposed to a path.</summary>
    /// <param name="text">A value of a field whose name ends in <c>.$</c>.</param>
    /// <returns>True for intrinsic-looking text.</returns>
    public static bool LooksLikeInvocation(string text) => text.AsSpan().TrimStart().StartsWith("States.", StringComparison.Ordinal);

    /// <summary>Parses an invocation, throwing <see cref="FormatException"/> when it is malformed.</summary>
    /// <param name="text">The invocation text.</param>
    /// <returns>The parsed function.</returns>
    public static IntrinsicFunction Parse(string text) =>
        TryParse(text, out var function, out var error) ? function : throw new FormatException($"Invalid intrinsic function '{text}': {error}");

    /// <summary>Parses an invocation, checking function names, argument counts, literal argument types and nesting depth.</summary>
    /// <param name="text">The invocation text.</param>
    /// <param name="function">The parsed function when parsing succeeds.</param>
    /// <param name="error">Why parsing failed, otherwise null.</param>
    /// <returns>True when <paramref name="text"/> is a valid invocation.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IntrinsicFunction? function, out string? error)
    {
        function = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the invocation is empty";
            return false;
        }

        var parser = new Parser(text);
        try
        {
            parser.SkipWhitespace();
            function = parser.ParseCall(depth: 1);
            parser.SkipWhitespace();
            if (!parser.AtEnd)
            {
                throw new FormatException($"unexpected '{text[parser.Position..]}' after the invocation");
            }

            error = null;
            return true;
        }
        catch (FormatException e)
        {
            function = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Evaluates the invocation against a state input and (for <c>$$</c> arguments) a context object.</summary>
    /// <param name="input">The document <c>$</c> refers to.</param>
    /// <param name="contextObject">The document <c>$$</c> refers to, or null.</param>
    /// <param name="random">Source for States.UUID and unseeded States.MathRandom; a shared instance when null.</param>
    /// <returns>The result value.</returns>
    /// <exception cref="StatesError">States.IntrinsicFailure (bad arguments) or States.Runtime (a path selected nothing).</exception>
    public JsonNode? Evaluate(JsonNode? input, JsonNode? contextObject = null, Random? random = null) =>
        Evaluate(input, new SimpleEnvironment(contextObject, random ?? Random.Shared));

    internal JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment)
    {
        var values = new JsonNode?[Arguments.Length];
        for (var i = 0; i < Arguments.Length; i++)
        {
            values[i] = Arguments[i].Evaluate(input, environment);
        }

        return IntrinsicEvaluator.Invoke(this, values, environment);
    }

    /// <inheritdoc />
    public override string ToString() => Name + "(" + string.Join(", ", Arguments.Select(a => a.ToString())) + ")";

    private sealed class Parser(string text)
    {
        internal int Position { get; private set; }

        internal bool AtEnd => Position >= text.Length;

        internal void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Position++;
            }
        }

        internal IntrinsicFunction ParseCall(int depth)
        {
            if (depth > MaxNestingDepth)
            {
                throw new FormatException($"intrinsic functions can be nested at most {MaxNestingDepth} deep");
            }

            var start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[Position]) || text[Position] is '.' or '_'))
            {
                Position++;
            }

            var name = text[start..Position];
            if (name.Length == 0)
            {
                throw new FormatException($"expected a function name at position {start}");
            }

            if (!Arity.TryGetValue(name, out var arity))
            {
                throw new FormatException($"unknown intrinsic function '{name}'");
            }

            SkipWhitespace();
            if (AtEnd || text[Position] != '(')
            {
                throw new FormatException($"expected '(' after {name}");
            }

            Position++;
            var arguments = new List<IntrinsicArgument>();
            SkipWhitespace();
            if (!AtEnd && text[Position] == ')')
            {
                Position++;
            }
            else
            {
                while (true)
                {
                    SkipWhitespace();
                    arguments.Add(ParseArgument(depth));
                    SkipWhitespace();
                    if (AtEnd)
                    {
                        throw new FormatException($"unterminated argument list of {name}");
                    }

                    if (text[Position] == ',')
                    {
                        Position++;
                        continue;
                    }

                    if (text[Position] == ')')
                    {
                        Position++;
                        break;
                    }

                    throw new FormatException($"expected ',' or ')' at position {Position}");
                }
            }

            if (arguments.Count < arity.Min || arguments.Count > arity.Max)
            {
                var expected = arity.Min == arity.Max ? arity.Min.ToString(CultureInfo.InvariantCulture)
                    : arity.Max == int.MaxValue ? "at least " + arity.Min : arity.Min + " to " + arity.Max;
                throw new FormatException($"{name} takes {expected} argument(s) but was given {arguments.Count}");
            }

            var function = new IntrinsicFunction(name, [.. arguments]);
            IntrinsicEvaluator.CheckLiteralArguments(function);
            return function;
        }

        private IntrinsicArgument ParseArgument(int depth)
        {
            if (AtEnd)
            {
                throw new FormatException("unterminated argument list: expected an argument");
            }

            var c = text[Position];
            if (c == '\'')
            {
                return ParseString();
            }

            if (c == '$')
            {
                return ParsePath();
            }

            if (c == '-' || char.IsAsciiDigit(c))
            {
                var start = Position;
                Position++;
                while (!AtEnd && (char.IsAsciiDigit(text[Position]) || text[Position] is '.' or 'e' or 'E' or '+' or '-'))
                {
                    Position++;
                }

                var literal = text[start..Position];
                if (long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return new LiteralArgument(JsonValue.Create(integer), literal);
                }

                if (double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    return new LiteralArgument(JsonValue.Create(number), literal);
                }

                throw new FormatException($"invalid number '{literal}'");
            }

            foreach (var (word, value) in new (string, JsonNode?)[] { ("true", JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null) })
            {
                if (string.CompareOrdinal(text, Position, word, 0, word.Length) == 0
                    && (Position + word.Length >= text.Length || !char.IsAsciiLetterOrDigit(text[Position + word.Length])))
                {
                    Position += word.Length;
                    return new LiteralArgument(value, word);
                }
            }

            if (char.IsAsciiLetter(c))
            {
                return new CallArgument(ParseCall(depth + 1));
            }

            throw new FormatException($"unexpected character '{c}' at position {Position}");
        }

        private LiteralArgument ParseString()
        {
            Position++; // opening quote
            var value = new StringBuilder();
            var pieces = new List<string>();
            var piece = new StringBuilder();
            while (true)
            {
                if (AtEnd)
                {
                    throw new FormatException("unterminated string literal");
                }

                var c = text[Position++];
                if (c == '\'')
                {
                    break;
                }

                if (c == '\\')
                {
                    if (AtEnd)
                    {
                        throw new FormatException("open escape '\\' at the end of the invocation");
                    }

                    var escaped = text[Position++];
                    if (escaped is not ('\'' or '{' or '}' or '\\'))
                    {
                        throw new FormatException($"invalid escape '\\{escaped}': only \\', \\{{, \\}} and \\\\ are allowed");
                    }

                    value.Append(escaped);
                    piece.Append(escaped);
                    continue;
                }

                if (c == '{' && !AtEnd && text[Position] == '}')
                {
                    Position++;
                    value.Append("{}");
                    pieces.Add(piece.ToString());
                    piece.Clear();
                    continue;
                }

                value.Append(c);
                piece.Append(c);
            }

            pieces.Add(piece.ToString());
            return new LiteralArgument(JsonValue.Create(value.ToString()), null, [.. pieces]);
        }

        private PathArgument ParsePath()
        {
            // A path runs until a ',' or ')' outside brackets and quotes.
            var start = Position;
            var bracketDepth = 0;
            var parenDepth = 0;
            char quote = '\0';
            while (!AtEnd)
            {
                var c = text[Position];
                if (quote != '\0')
                {
                    if (c == '\\')
                    {
                        Position++;
                    }
                    else if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c is '\'' or '"' && bracketDepth > 0)
                {
                    quote = c;
                }
                else if (c == '[')
                {
                    bracketDepth++;
                }
                else if (c == ']')
                {
                    bracketDepth--;
                }
                else if (c == '(' && bracketDepth > 0)
                {
                    parenDepth++;
                }
                else if (c == ')' && parenDepth > 0)
                {
                    parenDepth--;
                }
                else if (bracketDepth == 0 && c is ',' or ')')
                {
                    break;
                }

                Position++;
            }

            var pathText = text[start..Position].TrimEnd();
            if (!JsonPath.TryParse(pathText, out var path, out var error))
            {
                throw new FormatException($"invalid path argument '{pathText}': {error}");
            }

            return new PathArgument(path);
        }
    }

    private sealed class SimpleEnvironment(JsonNode? contextObject, Random random) : IEvaluationEnvironment
    {
        public JsonNode? GetContextObject() => contextObject;

        public double NextDouble()
        {
            lock (random)
            {
                return random.NextDouble();
            }
        }

        public void NextBytes(Span<byte> buffer)
        {
            lock (random)
            {
                random.NextBytes(buffer);
            }
        }
    }
}

/// <summary>What evaluating paths and intrinsic functions needs beyond the state input.</summary>
internal interface IEvaluationEnvironment
{
    /// <summary>The context object <c>$$</c> refers to.</summary>
    JsonNode? GetContextObject();

    /// <summary>
    /// Evaluates a <c>$$</c> path. Environments override this to build (or reuse) only the part of the context object
    /// the path reads.
    /// </summary>
    bool TrySelectContext(JsonPath path, out JsonNode? value) => path.TrySelect(GetContextObject(), out value);

    /// <summary>A uniformly distributed number in [0, 1).</summary>
    double NextDouble();

    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    void NextBytes(Span<byte> buffer);
}

internal abstract class IntrinsicArgument
{
    internal abstract JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment);
}

internal sealed class LiteralArgument(JsonNode? value, string? source, string[]? formatPieces = null) : IntrinsicArgument
{
    internal JsonNode? Value { get; } = value;

    /// <summary>For string literals: the text between unescaped <c>{}</c> placeholders.</summary>
    internal string[]? FormatPieces { get; } = formatPieces;

    // The shared literal is never modified or attached: every function copies the values it puts into its result.
    internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment) => Value;

    public override string ToString() => source ?? "'" + AslJson.ToJson(Value).Trim('"') + "'";
}

internal sealed class PathArgument(JsonPath path) : IntrinsicArgument
{
    internal JsonPath Path { get; } = path;

    internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment)
    {
        if (!Path.TrySelect(input, environment, out var value))
        {
            throw new StatesError(StatesErrorNames.Runtime,
                $"The JSONPath {Path.Text} specified as an intrinsic function argument could not be found in the input {AslJson.ToJson(Path.IsContextPath ? environment.GetContextObject() : input)}");
        }

        return value;
    }

    public override string ToString() => Path.Text;
}

internal sealed class CallArgument(IntrinsicFunction function) : IntrinsicArgument
{
    internal IntrinsicFunction Function { get; } = function;

    internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment) => Function.Evaluate(input, environment);

    public override string ToString() => Function.ToString();
}
