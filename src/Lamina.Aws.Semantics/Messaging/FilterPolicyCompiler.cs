using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// Validates a filter policy against the rules SNS enforces (collecting every error with its JSON path) and builds
/// the matcher tree.
/// </summary>
internal sealed class FilterPolicyCompiler
{
    private const string OrKey = "$or";
    private const string SupportedOperators = "prefix, suffix, equals-ignore-case, anything-but, numeric, exists and cidr";
    private const string NumericRangeText = "between -1,000,000,000 and 1,000,000,000";

    /// <summary>Field names that make an object a match expression, so an <c>$or</c> holding them is no operator.</summary>
    private static readonly HashSet<string> ReservedKeywords = new(StringComparer.Ordinal)
    {
        "prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "cidr", "wildcard", "exact",
    };

    private static readonly HashSet<string> NumericOperators = new(StringComparer.Ordinal) { "=", "<", "<=", ">", ">=" };

    private readonly FilterPolicyScope _scope;
    private readonly List<FilterPolicyError> _errors = [];
    private readonly Dictionary<string, BodyPath> _paths = new(StringComparer.Ordinal);

    private FilterPolicyCompiler(FilterPolicyScope scope) => _scope = scope;

    public static (FilterPolicy? Policy, IReadOnlyList<FilterPolicyError> Errors) Compile(string json, FilterPolicyScope scope)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown filter policy scope.");
        }

        return new FilterPolicyCompiler(scope).Run(json);
    }

    private (FilterPolicy? Policy, IReadOnlyList<FilterPolicyError> Errors) Run(string json)
    {
        var size = Encoding.UTF8.GetByteCount(json);
        if (size > FilterPolicyLimits.MaxPolicySizeBytes)
        {
            Error("$", $"the policy is {size:N0} bytes of UTF-8; SNS accepts at most 262,144 bytes (256 KB)");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            Error("$", $"the policy is not valid JSON ({e.Message}); SNS requires a JSON object of strict JSON " +
                       "(no comments, no trailing commas)");
            return (null, _errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", $"a filter policy must be a JSON object whose keys are {KeyNoun()}s, not {Describe(root)}");
                return (null, _errors);
            }

            if (!HasProperties(root))
            {
                Error("$", "the policy is an empty object, which SNS rejects; to receive every message, set no " +
                           "filter policy at all");
                return (null, _errors);
            }

            var and = new AndBuilder();
            var combinations = ParseObject(root, null, "$", 1, and, out var keys);
            CheckLimits(combinations, keys);
            if (_errors.Count > 0)
            {
                return (null, _errors);
            }

            var policy = new FilterPolicy(json, _scope, Build(and), (int)combinations, keys.Count);
            return (policy, []);
        }
    }

    private void CheckLimits(double combinations, List<string> keys)
    {
        if (keys.Count > FilterPolicyLimits.MaxKeys)
        {
            var names = string.Join(", ", keys.Select(k => "\"" + k + "\""));
            Error("$", _scope == FilterPolicyScope.MessageBody
                ? $"the policy has {keys.Count} top-level keys ({names}); SNS allows at most 5 top-level keys in " +
                  "the MessageBody scope (nested keys do not count; an $or counts its largest branch)"
                : $"the policy has {keys.Count} attribute names ({names}); SNS allows at most 5 in the " +
                  "MessageAttributes scope (an $or counts its largest branch)");
        }

        if (combinations > FilterPolicyLimits.MaxCombinations)
        {
            var text = combinations > 1e15 ? "more than 10^15" : combinations.ToString("N0", CultureInfo.InvariantCulture);
            Error("$", $"the policy's total combination of values is {text}; SNS allows at most 150 (multiply the " +
                       "number of values in each array" +
                       (_scope == FilterPolicyScope.MessageBody ? " times its key's nesting depth" : string.Empty) +
                       ", adding up the branches of an $or)");
        }
    }

    // ------------------------------------------------------------------ structure

    /// <summary>
    /// Parses the keys of one object into <paramref name="and"/> and returns the object's combination count.
    /// <paramref name="depth"/> is the number of path segments of the object's keys (1 at the top level).
    /// </summary>
    private double ParseObject(JsonElement obj, string? prefix, string path, int depth, AndBuilder and, out List<string> keys)
    {
        keys = [];
        double combinations = 1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            var name = property.Name;
            var keyPath = PolicyPath.Property(path, name);
            var value = property.Value;
            if (!seen.Add(name))
            {
                Error(keyPath, $"duplicate key \"{name}\"; each key may appear only once in an object");
                continue;
            }

            if (name == OrKey)
            {
                switch (ClassifyOr(value, keyPath))
                {
                    case OrShape.Operator:
                        combinations *= ParseOr(value, prefix, keyPath, depth, and, keys);
                        continue;
                    case OrShape.Invalid:
                        continue;
                }
            }

            keys.Add(name);
            var fullName = prefix is null ? name : prefix + "." + name;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when _scope == FilterPolicyScope.MessageAttributes:
                    Error(keyPath, IsMatchExpression(value)
                        ? $"a match expression must be inside an array, as in \"{name}\": [{Compact(value)}]"
                        : "nested objects are only allowed when FilterPolicyScope is MessageBody; in the " +
                          "MessageAttributes scope every key is an attribute name whose value is an array of " +
                          "match values");
                    break;
                case JsonValueKind.Object when !HasProperties(value):
                    Error(keyPath, "empty objects are not allowed; a nested object must contain at least one key");
                    break;
                case JsonValueKind.Object:
                    combinations *= ParseObject(value, fullName, keyPath, depth + 1, and, out _);
                    break;
                case JsonValueKind.Array:
                    combinations *= value.GetArrayLength() * (double)depth;
                    if (ParseMatchValues(value, keyPath) is { } builder)
                    {
                        and.Keys.Add((fullName, builder));
                    }

                    break;
                default:
                    Error(keyPath, $"\"{name}\" must be an object or an array, not {Describe(value)}; list match " +
                                   $"values in an array, as in \"{name}\": [{Compact(value)}]" +
                                   (ReservedKeywords.Contains(name)
                                       ? $" (to use the \"{name}\" operator, put {{\"{name}\": ...}} inside the parent key's array)"
                                       : string.Empty));
                    break;
            }
        }

        return combinations;
    }

    private enum OrShape
    {
        Regular,
        Operator,
        Invalid,
    }

    /// <summary>
    /// SNS treats <c>$or</c> as an operator only when it holds an array of at least two objects none of which uses
    /// reserved keywords; otherwise it is an ordinary key. An array of sub-policy-like objects that breaks the rule
    /// is reported here, since SNS would reject it as an ordinary key anyway.
    /// </summary>
    private OrShape ClassifyOr(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return OrShape.Regular;
        }

        var objects = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            objects++;
            foreach (var property in element.EnumerateObject())
            {
                if (ReservedKeywords.Contains(property.Name))
                {
                    return OrShape.Regular;
                }
            }
        }

        if (objects == 0)
        {
            return OrShape.Regular;
        }

        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error(PolicyPath.Index(path, index),
                    $"every element of $or must be an object (a sub-policy), not {Describe(element)}");
            }

            index++;
        }

        if (objects < 2)
        {
            Error(path, "$or must contain at least two sub-policies (objects); with only one, SNS reads \"$or\" as an " +
                        "ordinary key and rejects the policy. Move the sub-policy's keys into the enclosing object instead");
            return OrShape.Invalid;
        }

        return OrShape.Operator;
    }

    private double ParseOr(JsonElement value, string? prefix, string path, int depth, AndBuilder and, List<string> keys)
    {
        var or = new OrBuilder();
        double sum = 0;
        List<string> largestBranch = [];
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var branchPath = PolicyPath.Index(path, index++);
            if (element.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (!HasProperties(element))
            {
                Error(branchPath, "empty objects are not allowed; each $or sub-policy needs at least one key");
                continue;
            }

            var branch = new AndBuilder();
            sum += ParseObject(element, prefix, branchPath, depth, branch, out var branchKeys);
            if (branchKeys.Count > largestBranch.Count)
            {
                largestBranch = branchKeys;
            }

            or.Branches.Add(branch);
        }

        and.Ors.Add(or);
        keys.AddRange(largestBranch);
        return sum;
    }

    // ------------------------------------------------------------------ match values

    private KeyMatcherBuilder? ParseMatchValues(JsonElement array, string path)
    {
        if (array.GetArrayLength() == 0)
        {
            Error(path, "empty arrays are not allowed; list at least one match value or match expression");
            return null;
        }

        var builder = new KeyMatcherBuilder();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var elementPath = PolicyPath.Index(path, index++);
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    builder.ExactStrings.Add(element.GetString()!);
                    break;
                case JsonValueKind.Number:
                    if (TryReadNumber(element, elementPath, out var number))
                    {
                        if (FilterNumber.TryQuantize(number, out var scaled))
                        {
                            builder.ExactNumbers.Add(scaled);
                        }
                        else
                        {
                            builder.ExactUnscaledNumbers.Add(number);
                        }
                    }

                    break;
                case JsonValueKind.True:
                    builder.MatchTrue = true;
                    break;
                case JsonValueKind.False:
                    builder.MatchFalse = true;
                    break;
                case JsonValueKind.Null:
                    builder.MatchNull = true;
                    break;
                case JsonValueKind.Object:
                    ParseMatchExpression(element, elementPath, builder);
                    break;
                default:
                    Error(elementPath, "a match value must be a string, a number, true, false, null or a " +
                                       "match-expression object; arrays cannot be nested");
                    break;
            }
        }

        return builder;
    }

    private void ParseMatchExpression(JsonElement expression, string path, KeyMatcherBuilder builder)
    {
        var properties = expression.EnumerateObject().ToList();
        if (properties.Count == 0)
        {
            Error(path, $"an empty object is not a match expression; use exactly one operator ({SupportedOperators}), " +
                        "as in {\"prefix\": \"abc\"}");
            return;
        }

        if (properties.Count > 1)
        {
            var names = string.Join(", ", properties.Select(p => "\"" + p.Name + "\""));
            Error(path, $"a match expression must have exactly one operator, but this one has {properties.Count} " +
                        $"({names}); put each operator in its own object in the array (values in an array are OR-ed)");
            return;
        }

        var name = properties[0].Name;
        var value = properties[0].Value;
        var operatorPath = PolicyPath.Property(path, name);
        switch (name)
        {
            case "prefix":
            case "suffix":
            case "equals-ignore-case":
                if (value.ValueKind != JsonValueKind.String)
                {
                    Error(operatorPath, $"{name} takes a string, not {Describe(value)}");
                    return;
                }

                var text = value.GetString()!;
                builder.Patterns.Add(name switch
                {
                    "prefix" => new PrefixPattern(text),
                    "suffix" => new SuffixPattern(text),
                    _ => new EqualsIgnoreCasePattern(text),
                });
                return;
            case "anything-but":
                ParseAnythingBut(value, operatorPath, builder);
                return;
            case "numeric":
                ParseNumeric(value, operatorPath, builder);
                return;
            case "exists":
                if (value.ValueKind is JsonValueKind.True)
                {
                    builder.ExistsTrue = true;
                }
                else if (value.ValueKind is JsonValueKind.False)
                {
                    builder.ExistsFalse = true;
                }
                else
                {
                    Error(operatorPath, $"exists takes true or false (unquoted), not {Describe(value)}");
                }

                return;
            case "cidr":
                if (value.ValueKind != JsonValueKind.String)
                {
                    Error(operatorPath, $"cidr takes a string such as \"10.0.0.0/24\" or \"2001:db8::/32\", not {Describe(value)}");
                    return;
                }

                if (IpCidr.TryParse(value.GetString()!, out var cidr, out var problem))
                {
                    builder.Patterns.Add(new CidrPattern(cidr!));
                }
                else
                {
                    Error(operatorPath, $"invalid CIDR block \"{value.GetString()}\": {problem}");
                }

                return;
            case "wildcard":
            case "exact":
                Error(operatorPath, $"\"{name}\" is an EventBridge event-pattern operator that SNS filter policies do " +
                                    $"not support; SNS supports {SupportedOperators}");
                return;
            default:
                Error(operatorPath, $"unknown operator \"{name}\"; SNS supports {SupportedOperators}");
                return;
        }
    }

    private void ParseAnythingBut(JsonElement value, string path, KeyMatcherBuilder builder)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                builder.Patterns.Add(new AnythingButStringsPattern(new HashSet<string>(StringComparer.Ordinal) { value.GetString()! }));
                return;
            case JsonValueKind.Number:
                if (TryReadAnythingButNumber(value, path, out var single))
                {
                    builder.Patterns.Add(new AnythingButNumbersPattern([single]));
                }

                return;
            case JsonValueKind.Array:
                ParseAnythingButList(value, path, builder);
                return;
            case JsonValueKind.Object:
                var properties = value.EnumerateObject().ToList();
                if (properties.Count != 1)
                {
                    Error(path, "anything-but with an object takes exactly one operator: {\"prefix\": \"...\"}");
                    return;
                }

                var name = properties[0].Name;
                var inner = properties[0].Value;
                var innerPath = PolicyPath.Property(path, name);
                if (name == "prefix")
                {
                    if (inner.ValueKind != JsonValueKind.String)
                    {
                        Error(innerPath, $"the anything-but prefix must be a string, not {Describe(inner)}");
                    }
                    else if (inner.GetString()!.Length == 0)
                    {
                        Error(innerPath, "the anything-but prefix must not be empty");
                    }
                    else
                    {
                        builder.Patterns.Add(new AnythingButPrefixPattern(inner.GetString()!));
                    }
                }
                else if (name is "suffix" or "equals-ignore-case" or "wildcard")
                {
                    Error(innerPath, $"SNS supports only \"prefix\" inside anything-but; \"{name}\" inside " +
                                     "anything-but is an EventBridge-only form");
                }
                else
                {
                    Error(innerPath, $"unknown operator \"{name}\" inside anything-but; SNS accepts only " +
                                     "{\"prefix\": \"...\"} there");
                }

                return;
            default:
                Error(path, "anything-but takes a string, a number, a list of strings or of numbers, or " +
                            $"{{\"prefix\": \"...\"}}; not {Describe(value)}");
                return;
        }
    }

    private void ParseAnythingButList(JsonElement array, string path, KeyMatcherBuilder builder)
    {
        if (array.GetArrayLength() == 0)
        {
            Error(path, "the anything-but list is empty; list at least one string or number to exclude");
            return;
        }

        var strings = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<long>();
        var hasString = false;
        var hasNumber = false;
        var valid = true;
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var elementPath = PolicyPath.Index(path, index++);
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    hasString = true;
                    strings.Add(element.GetString()!);
                    break;
                case JsonValueKind.Number:
                    hasNumber = true;
                    if (TryReadAnythingButNumber(element, elementPath, out var scaled))
                    {
                        numbers.Add(scaled);
                    }
                    else
                    {
                        valid = false;
                    }

                    break;
                default:
                    valid = false;
                    Error(elementPath, $"an anything-but list may contain only strings or only numbers, not {Describe(element)}");
                    break;
            }
        }

        if (hasString && hasNumber)
        {
            Error(path, "an anything-but list must contain only strings or only numbers, not a mix of both");
            return;
        }

        if (valid)
        {
            builder.Patterns.Add(hasNumber ? new AnythingButNumbersPattern(numbers) : new AnythingButStringsPattern(strings));
        }
    }

    private void ParseNumeric(JsonElement value, string path, KeyMatcherBuilder builder)
    {
        const string Shape = "an operator (=, <, <=, >, >=) followed by a number, or a range such as [\">\", 0, \"<=\", 100]";
        if (value.ValueKind != JsonValueKind.Array)
        {
            Error(path, $"numeric takes an array: {Shape}; not {Describe(value)}");
            return;
        }

        var items = value.EnumerateArray().ToArray();
        if (items.Length == 0)
        {
            Error(path, $"numeric needs {Shape}");
            return;
        }

        if (!TryReadOperator(items[0], PolicyPath.Index(path, 0), out var first))
        {
            return;
        }

        if (items.Length < 2)
        {
            Error(path, $"operator \"{first}\" must be followed by a number");
            return;
        }

        var firstOk = TryReadOperand(items[1], PolicyPath.Index(path, 1), first, out var firstValue, out var firstScaled);
        if (first is "=" or "<" or "<=")
        {
            if (items.Length > 2)
            {
                var reversed = first is "<" or "<=" && items[2].ValueKind == JsonValueKind.String &&
                               items[2].GetString() is ">" or ">=";
                Error(PolicyPath.Index(path, 2), reversed
                    ? "in a numeric range the lower bound (> or >=) comes first and the upper bound (< or <=) " +
                      "second, as in [\">\", 0, \"<=\", 100]"
                    : $"\"{first}\" takes a single number; only > and >= can be followed by an upper bound (< or <=)");
                return;
            }

            if (firstOk)
            {
                builder.Patterns.Add(first switch
                {
                    "=" => new NumericRangePattern(firstScaled, true, firstScaled, true),
                    "<" => new NumericRangePattern(null, false, firstScaled, false),
                    _ => new NumericRangePattern(null, false, firstScaled, true),
                });
            }

            return;
        }

        // > or >=: a lower bound, optionally followed by an upper bound.
        if (items.Length == 2)
        {
            if (firstOk)
            {
                builder.Patterns.Add(new NumericRangePattern(firstScaled, first == ">=", null, false));
            }

            return;
        }

        var secondPath = PolicyPath.Index(path, 2);
        if (items[2].ValueKind != JsonValueKind.String || items[2].GetString() is not ("<" or "<="))
        {
            Error(secondPath, items[2].ValueKind == JsonValueKind.String && NumericOperators.Contains(items[2].GetString()!)
                ? $"the second operator of a numeric range must be an upper bound (< or <=), not \"{items[2].GetString()}\""
                : $"expected an upper-bound operator (< or <=) here, not {Describe(items[2])}");
            return;
        }

        var second = items[2].GetString()!;
        if (items.Length == 3)
        {
            Error(path, $"upper-bound operator \"{second}\" must be followed by a number");
            return;
        }

        var secondOk = TryReadOperand(items[3], PolicyPath.Index(path, 3), second, out var secondValue, out var secondScaled);
        if (items.Length > 4)
        {
            Error(PolicyPath.Index(path, 4), "a numeric range has at most four elements: lower operator, number, " +
                                             "upper operator, number");
            return;
        }

        if (firstOk && secondOk)
        {
            if (firstScaled >= secondScaled)
            {
                Error(path, $"the lower bound {FilterNumber.Format(firstValue)} must be less than the upper bound " +
                            $"{FilterNumber.Format(secondValue)} (compared to five decimal places)");
                return;
            }

            builder.Patterns.Add(new NumericRangePattern(firstScaled, first == ">=", secondScaled, second == "<="));
        }
    }

    private bool TryReadOperator(JsonElement element, string path, out string op)
    {
        op = string.Empty;
        if (element.ValueKind != JsonValueKind.String)
        {
            Error(path, $"expected a numeric operator (=, <, <=, >, >=) here, not {Describe(element)}");
            return false;
        }

        op = element.GetString()!;
        if (!NumericOperators.Contains(op))
        {
            Error(path, $"unknown numeric operator \"{op}\"; SNS supports =, <, <=, > and >=");
            return false;
        }

        return true;
    }

    private bool TryReadOperand(JsonElement element, string path, string op, out double value, out long scaled)
    {
        scaled = 0;
        value = 0;
        if (element.ValueKind != JsonValueKind.Number)
        {
            Error(path, $"operator \"{op}\" must be followed by a number (unquoted), not {Describe(element)}");
            return false;
        }

        if (!TryReadNumber(element, path, out value))
        {
            return false;
        }

        if (!FilterNumber.TryQuantize(value, out scaled))
        {
            Error(path, $"numeric operands must be {NumericRangeText}, not {element.GetRawText()}");
            return false;
        }

        return true;
    }

    private bool TryReadAnythingButNumber(JsonElement element, string path, out long scaled)
    {
        scaled = 0;
        if (!TryReadNumber(element, path, out var value))
        {
            return false;
        }

        if (!FilterNumber.TryQuantize(value, out scaled))
        {
            Error(path, $"numbers in anything-but must be {NumericRangeText}, not {element.GetRawText()}");
            return false;
        }

        return true;
    }

    private bool TryReadNumber(JsonElement element, string path, out double value)
    {
        if (element.TryGetDouble(out value) && double.IsFinite(value))
        {
            return true;
        }

        Error(path, $"the number {element.GetRawText()} is too large to represent");
        return false;
    }

    // ------------------------------------------------------------------ tree

    private AndNode Build(AndBuilder and) =>
        new(
            [.. and.Keys.Select(k => new KeyMatcher(k.Name, PathFor(k.Name), k.Builder))],
            [.. and.Ors.Select(o => new OrNode([.. o.Branches.Select(Build)]))]);

    private BodyPath? PathFor(string name)
    {
        if (_scope != FilterPolicyScope.MessageBody)
        {
            return null;
        }

        if (!_paths.TryGetValue(name, out var path))
        {
            path = BodyPath.Create(name);
            _paths[name] = path;
        }

        return path;
    }

    // ------------------------------------------------------------------ helpers

    private void Error(string path, string message) => _errors.Add(new FilterPolicyError(path, message));

    private string KeyNoun() => _scope == FilterPolicyScope.MessageBody ? "message body property name" : "attribute name";

    private static bool HasProperties(JsonElement obj)
    {
        using var enumerator = obj.EnumerateObject();
        return enumerator.MoveNext();
    }

    private static bool IsMatchExpression(JsonElement obj)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (ReservedKeywords.Contains(property.Name))
            {
                return true;
            }
        }

        return false;
    }

    private static string Compact(JsonElement value)
    {
        var text = value.GetRawText();
        text = string.Join(' ', text.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => "the string " + Compact(value),
            JsonValueKind.Number => "the number " + value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => "null",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => "nothing",
        };

    private sealed class AndBuilder
    {
        public List<(string Name, KeyMatcherBuilder Builder)> Keys { get; } = [];

        public List<OrBuilder> Ors { get; } = [];
    }

    private sealed class OrBuilder
    {
        public List<AndBuilder> Branches { get; } = [];
    }
}

/// <summary>JSONPath rendering for error locations.</summary>
internal static class PolicyPath
{
    public static string Property(string parent, string name) =>
        IsSimple(name) ? parent + "." + name : parent + "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";

    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static bool IsSimple(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '$'))
            {
                return false;
            }
        }

        return true;
    }
}
