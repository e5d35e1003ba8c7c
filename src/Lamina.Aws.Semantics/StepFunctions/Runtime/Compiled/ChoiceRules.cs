using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>A compiled Choice rule.</summary>
internal abstract class ChoiceRule
{
    internal abstract bool Evaluate(JsonNode? input, IEvaluationEnvironment environment);

    internal static ChoiceRule Compile(JsonObject rule)
    {
        if (rule.TryGetPropertyValue("And", out var and))
        {
            return new AndRule([.. and!.AsArray().Select(r => Compile(r!.AsObject()))]);
        }

        if (rule.TryGetPropertyValue("Or", out var or))
        {
            return new OrRule([.. or!.AsArray().Select(r => Compile(r!.AsObject()))]);
        }

        if (rule.TryGetPropertyValue("Not", out var not))
        {
            return new NotRule(Compile(not!.AsObject()));
        }

        var variable = JsonPath.Parse(rule["Variable"]!.GetValue<string>());
        foreach (var (key, value) in rule)
        {
            if (key is "Variable" or "Next" or "Comment")
            {
                continue;
            }

            return ComparisonRule.Create(variable, key, value);
        }

        throw new InvalidOperationException("A choice rule has no comparison operator.");
    }

    private sealed class AndRule(ChoiceRule[] rules) : ChoiceRule
    {
        internal override bool Evaluate(JsonNode? input, IEvaluationEnvironment environment)
        {
            foreach (var rule in rules)
            {
                if (!rule.Evaluate(input, environment))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class OrRule(ChoiceRule[] rules) : ChoiceRule
    {
        internal override bool Evaluate(JsonNode? input, IEvaluationEnvironment environment)
        {
            foreach (var rule in rules)
            {
                if (rule.Evaluate(input, environment))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class NotRule(ChoiceRule rule) : ChoiceRule
    {
        internal override bool Evaluate(JsonNode? input, IEvaluationEnvironment environment) => !rule.Evaluate(input, environment);
    }
}

internal enum ComparisonKind
{
    String,
    Numeric,
    Boolean,
    Timestamp,
    StringMatches,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

internal enum ComparisonOp
{
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

/// <summary>A leaf rule: Variable compared with a literal or with the value at a *Path, or a type test.</summary>
internal sealed class ComparisonRule : ChoiceRule
{
    private readonly JsonPath _variable;
    private readonly ComparisonKind _kind;
    private readonly ComparisonOp _op;
    private readonly JsonNode? _literal;
    private readonly JsonPath? _operandPath;
    private readonly bool _expected;
    private readonly string? _stringLiteral;
    private readonly double _numberLiteral;
    private readonly DateTimeOffset _timestampLiteral;
    private readonly StringMatchPattern? _pattern;

    private ComparisonRule(JsonPath variable, ComparisonKind kind, ComparisonOp op, JsonNode? literal, JsonPath? operandPath)
    {
        _variable = variable;
        _kind = kind;
        _op = op;
        _literal = literal;
        _operandPath = operandPath;
        if (operandPath is null)
        {
            switch (kind)
            {
                case ComparisonKind.String:
                    AslJson.IsString(literal, out var s);
                    _stringLiteral = s;
                    break;
                case ComparisonKind.Numeric:
                    AslJson.TryGetNumber(literal, out _numberLiteral);
                    break;
                case ComparisonKind.Timestamp:
                    AslJson.IsString(literal, out var t);
                    AslTimestamp.TryParse(t, out _timestampLiteral);
                    break;
                case ComparisonKind.StringMatches:
                    AslJson.IsString(literal, out var p);
                    StringMatchPattern.TryParse(p, out _pattern, out _);
                    break;
                case ComparisonKind.Boolean:
                case >= ComparisonKind.IsNull:
                    AslJson.IsBoolean(literal, out _expected);
                    break;
            }
        }
    }

    internal static ComparisonRule Create(JsonPath variable, string op, JsonNode? value)
    {
        var isPath = op.EndsWith("Path", StringComparison.Ordinal) && op != "IsPresent";
        var name = isPath ? op[..^4] : op;
        JsonPath? operandPath = isPath ? JsonPath.Parse(value!.GetValue<string>()) : null;

        (ComparisonKind, ComparisonOp) Parse(string prefix, ComparisonKind kind) => name[prefix.Length..] switch
        {
            "Equals" => (kind, ComparisonOp.Equals),
            "LessThan" => (kind, ComparisonOp.LessThan),
            "GreaterThan" => (kind, ComparisonOp.GreaterThan),
            "LessThanEquals" => (kind, ComparisonOp.LessThanEquals),
            "GreaterThanEquals" => (kind, ComparisonOp.GreaterThanEquals),
            _ => throw new InvalidOperationException($"Unknown comparison operator {op}."),
        };

        var (kind, comparison) = name switch
        {
            "StringMatches" => (ComparisonKind.StringMatches, ComparisonOp.Equals),
            "IsNull" => (ComparisonKind.IsNull, ComparisonOp.Equals),
            "IsPresent" => (ComparisonKind.IsPresent, ComparisonOp.Equals),
            "IsNumeric" => (ComparisonKind.IsNumeric, ComparisonOp.Equals),
            "IsString" => (ComparisonKind.IsString, ComparisonOp.Equals),
            "IsBoolean" => (ComparisonKind.IsBoolean, ComparisonOp.Equals),
            "IsTimestamp" => (ComparisonKind.IsTimestamp, ComparisonOp.Equals),
            "BooleanEquals" => (ComparisonKind.Boolean, ComparisonOp.Equals),
            _ when name.StartsWith("String", StringComparison.Ordinal) => Parse("String", ComparisonKind.String),
            _ when name.StartsWith("Numeric", StringComparison.Ordinal) => Parse("Numeric", ComparisonKind.Numeric),
            _ when name.StartsWith("Timestamp", StringComparison.Ordinal) => Parse("Timestamp", ComparisonKind.Timestamp),
            _ => throw new InvalidOperationException($"Unknown comparison operator {op}."),
        };

        return new ComparisonRule(variable, kind, comparison, isPath ? null : value?.DeepClone(), operandPath);
    }

    internal override bool Evaluate(JsonNode? input, IEvaluationEnvironment environment)
    {
        var present = _variable.TrySelect(input, environment, out var value);
        if (_kind == ComparisonKind.IsPresent)
        {
            return present == _expected;
        }

        if (!present)
        {
            throw new StatesError(StatesErrorNames.Runtime, $"Invalid path '{_variable.Text}': The choice state's condition path references an invalid value.");
        }

        switch (_kind)
        {
            case ComparisonKind.IsNull:
                return (value is null) == _expected;
            case ComparisonKind.IsNumeric:
                return AslJson.IsNumber(value) == _expected;
            case ComparisonKind.IsString:
                return AslJson.IsString(value, out _) == _expected;
            case ComparisonKind.IsBoolean:
                return AslJson.IsBoolean(value, out _) == _expected;
            case ComparisonKind.IsTimestamp:
                return (AslJson.IsString(value, out var ts) && AslTimestamp.TryParse(ts, out _)) == _expected;
        }

        JsonNode? operand = _literal;
        if (_operandPath is not null)
        {
            if (!_operandPath.TrySelect(input, environment, out operand))
            {
                throw new StatesError(StatesErrorNames.Runtime, $"Invalid path '{_operandPath.Text}': The choice state's condition path references an invalid value.");
            }
        }

        switch (_kind)
        {
            case ComparisonKind.Boolean:
                {
                    if (!AslJson.IsBoolean(value, out var actual))
                    {
                        return false;
                    }

                    bool expected;
                    if (_operandPath is null)
                    {
                        expected = _expected;
                    }
                    else if (!AslJson.IsBoolean(operand, out expected))
                    {
                        return false;
                    }

                    return actual == expected;
                }

            case ComparisonKind.String:
                {
                    if (!AslJson.IsString(value, out var actual))
                    {
                        return false;
                    }

                    string expected;
                    if (_operandPath is null)
                    {
                        expected = _stringLiteral!;
                    }
                    else if (!AslJson.IsString(operand, out expected))
                    {
                        return false;
                    }

                    return Compare(string.CompareOrdinal(actual, expected));
                }

            case ComparisonKind.Numeric:
                {
                    if (!AslJson.TryGetNumber(value, out var actual))
                    {
                        return false;
                    }

                    double expected;
                    if (_operandPath is null)
                    {
                        expected = _numberLiteral;
                    }
                    else if (!AslJson.TryGetNumber(operand, out expected))
                    {
                        return false;
                    }

                    return Compare(actual.CompareTo(expected));
                }

            case ComparisonKind.Timestamp:
                {
                    if (!AslJson.IsString(value, out var text) || !AslTimestamp.TryParse(text, out var actual))
                    {
                        return false;
                    }

                    DateTimeOffset expected;
                    if (_operandPath is null)
                    {
                        expected = _timestampLiteral;
                    }
                    else if (!AslJson.IsString(operand, out var operandText) || !AslTimestamp.TryParse(operandText, out expected))
                    {
                        return false;
                    }

                    return Compare(actual.UtcTicks.CompareTo(expected.UtcTicks));
                }

            case ComparisonKind.StringMatches:
                return AslJson.IsString(value, out var s) && _pattern!.IsMatch(s);
            default:
                return false;
        }
    }

    private bool Compare(int comparison) => _op switch
    {
        ComparisonOp.Equals => comparison == 0,
        ComparisonOp.LessThan => comparison < 0,
        ComparisonOp.GreaterThan => comparison > 0,
        ComparisonOp.LessThanEquals => comparison <= 0,
        _ => comparison >= 0,
    };
}
