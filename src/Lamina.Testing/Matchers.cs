using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lamina.Testing;

/// <summary>An exact scalar (string, number, boolean) or null. Numbers compare by value (<c>60</c> equals <c>60.0</c>).</summary>
internal sealed class LiteralMatcher(JsonNode? expected) : Matcher
{
    public override string Name => "exact";

    public override string Describe() => JsonText.Short(expected);

    public override MatchResult Test(JsonNode? actual, string path)
    {
        if (expected is null)
        {
            return actual is null ? MatchResult.Success() : MatchResult.Failure(path, $"expected null but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
        }
        if (actual is not JsonValue)
        {
            return MatchResult.Failure(path, $"expected {JsonText.Short(expected)} but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
        }
        var ev = (JsonValue)expected;
        var av = (JsonValue)actual;
        var ek = Normalize(ev.GetValueKind());
        var ak = Normalize(av.GetValueKind());
        if (ek != ak)
        {
            return MatchResult.Failure(path, $"expected {JsonText.Kind(expected)} {JsonText.Short(expected)} but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
        }
        var equal = ek switch
        {
            JsonValueKind.Number => JsonText.AsNumber(ev) == JsonText.AsNumber(av),
            JsonValueKind.String => JsonText.AsString(ev) == JsonText.AsString(av),
            JsonValueKind.True => ev.GetValueKind() == av.GetValueKind(),
            _ => ev.ToJsonString() == av.ToJsonString(),
        };
        if (equal)
        {
            return MatchResult.Success();
        }
        var hint = "";
        if (JsonText.AsString(ev) is { } es && JsonText.AsString(av) is { } acts && es.Replace("$$", "$", StringComparison.Ordinal) == acts.Replace("$$", "$", StringComparison.Ordinal))
        {
            hint = " (literal text is escaped as in Pulumi YAML: '$' before '{' or '$' is doubled)";
        }
        return MatchResult.Failure(path, $"expected {JsonText.Short(expected)} but found {JsonText.Short(actual)}{hint}");
    }

    private static JsonValueKind Normalize(JsonValueKind k) => k == JsonValueKind.False ? JsonValueKind.True : k;
}

/// <summary>An object whose listed keys match; with <c>partial</c> it may hold more keys.</summary>
internal sealed class ObjectMatcher(IReadOnlyList<KeyValuePair<string, Matcher>> entries, bool partial) : Matcher
{
    public override string Name => partial ? "objectLike" : "objectEquals";

    public override string Describe()
    {
        var keys = string.Join(", ", entries.Select(e => e.Key));
        return $"{Name}({{{(keys.Length > 80 ? keys[..79] + "…" : keys)}}})";
    }

    public override MatchResult Test(JsonNode? actual, string path)
    {
        if (actual is not JsonObject obj)
        {
            return MatchResult.Failure(path, $"expected an object ({Name}) but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
        }
        var result = MatchResult.Success();
        foreach (var (key, matcher) in entries)
        {
            var childPath = JsonText.Key(path, key);
            if (obj.TryGetPropertyValue(key, out var child))
            {
                result.Merge(matcher.Test(child, childPath));
            }
            else
            {
                var missing = matcher.TestMissing(childPath);
                if (missing.IsSuccess)
                {
                    result.Merge(missing);
                }
                else
                {
                    var present = obj.Count == 0 ? "the object is empty" : "keys present: " + string.Join(", ", obj.Select(kv => $"'{kv.Key}'"));
                    result.AddFailure(path, $"expected key '{key}' ({matcher.Describe()}) but it is missing; {present}");
                }
            }
        }
        if (!partial)
        {
            var expectedKeys = entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, value) in obj)
            {
                if (!expectedKeys.Contains(key))
                {
                    result.AddFailure(path, $"unexpected key '{key}' = {JsonText.Short(value, 60)} ({Name} allows only the keys given)");
                }
            }
        }
        return result;
    }
}

/// <summary>An array: exactly the items in order, or (subsequence) the items in order among others.</summary>
internal sealed class ArrayMatcher(IReadOnlyList<Matcher> items, bool subsequence, string name) : Matcher
{
    public override string Name => name;

    public override string Describe()
    {
        var d = $"{Name}([{string.Join(", ", items.Select(i => i.Describe()))}])";
        return d.Length > 120 ? d[..119] + "…" : d;
    }

    public override MatchResult Test(JsonNode? actual, string path)
    {
        if (actual is not JsonArray array)
        {
            return MatchResult.Failure(path, $"expected an array ({Name}) but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
        }
        return subsequence ? TestSubsequence(array, path) : TestExact(array, path);
    }

    private MatchResult TestExact(JsonArray array, string path)
    {
        if (array.Count != items.Count)
        {
            return MatchResult.Failure(path, $"expected {items.Count} item{(items.Count == 1 ? "" : "s")} but found {array.Count}: {JsonText.Short(array)}");
        }
        var result = MatchResult.Success();
        for (var i = 0; i < items.Count; i++)
        {
            result.Merge(items[i].Test(array[i], JsonText.Index(path, i)));
        }
        return result;
    }

    private MatchResult TestSubsequence(JsonArray array, string path)
    {
        var result = MatchResult.Success();
        var next = 0;
        for (var p = 0; p < items.Count; p++)
        {
            MatchResult? closest = null;
            var found = false;
            for (var k = next; k < array.Count; k++)
            {
                var attempt = items[p].Test(array[k], JsonText.Index(path, k));
                if (attempt.IsSuccess)
                {
                    result.Merge(attempt);
                    next = k + 1;
                    found = true;
                    break;
                }
                if (closest is null || attempt.Failures.Count < closest.Failures.Count)
                {
                    closest = attempt;
                }
            }
            if (!found)
            {
                var where = next == 0 ? "" : $" after index {next - 1}";
                result.AddFailure(path, $"no item{where} matches {Name} pattern [{p}] {items[p].Describe()} (the array has {array.Count} item{(array.Count == 1 ? "" : "s")})");
                if (closest is not null)
                {
                    foreach (var f in closest.Failures)
                    {
                        result.AddFailure(f.Path, f.Message);
                    }
                }
                return result;
            }
        }
        return result;
    }
}

/// <summary>Any value but null (and not missing).</summary>
internal sealed class AnyValueMatcher : Matcher
{
    public override string Name => "anyValue";

    public override string Describe() => "anyValue()";

    public override MatchResult Test(JsonNode? actual, string path) =>
        actual is null ? MatchResult.Failure(path, "expected any value but found null") : MatchResult.Success();
}

/// <summary>A missing key.</summary>
internal sealed class AbsentMatcher : Matcher
{
    public override string Name => "absent";

    public override string Describe() => "absent()";

    public override MatchResult Test(JsonNode? actual, string path) =>
        MatchResult.Failure(path, $"expected no value (absent) but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");

    public override MatchResult TestMissing(string path) => MatchResult.Success();
}

/// <summary>A string matching a regular expression.</summary>
internal sealed class StringLikeMatcher(Regex regex, string display) : Matcher
{
    public override string Name => "stringLike";

    public override string Describe() => $"stringLike({display})";

    public override MatchResult Test(JsonNode? actual, string path)
    {
        if (JsonText.AsString(actual) is not { } s)
        {
            return MatchResult.Failure(path, $"expected a string like {display} but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
        }
        return regex.IsMatch(s) ? MatchResult.Success() : MatchResult.Failure(path, $"expected a string like {display} but found {JsonText.Short(actual)}");
    }
}

/// <summary>Anything the inner matcher rejects.</summary>
internal sealed class NotMatcher(Matcher inner) : Matcher
{
    public override string Name => "not";

    public override string Describe() => $"not({inner.Describe()})";

    public override MatchResult Test(JsonNode? actual, string path) =>
        inner.Test(actual, path).IsSuccess
            ? MatchResult.Failure(path, $"expected a value that does not match {inner.Describe()} but found {JsonText.Short(actual)}")
            : MatchResult.Success();

    public override MatchResult TestMissing(string path) =>
        inner.TestMissing(path).IsSuccess
            ? MatchResult.Failure(path, $"expected a value that does not match {inner.Describe()} but it is missing")
            : MatchResult.Success();
}

/// <summary>A JSON document: the argument of <c>fn::toJSON</c>, or a string holding JSON.</summary>
internal sealed class JsonDocumentMatcher(Matcher inner) : Matcher
{
    public override string Name => "json";

    public override string Describe() => $"json({inner.Describe()})";

    public override MatchResult Test(JsonNode? actual, string path)
    {
        if (actual is JsonObject { Count: 1 } call && call.TryGetPropertyValue("fn::toJSON", out var document))
        {
            return inner.Test(document, JsonText.Key(path, "fn::toJSON"));
        }
        if (JsonText.AsString(actual) is { } text)
        {
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                return MatchResult.Failure(path, $"expected a JSON document but the string is not valid JSON ({e.Message}): {JsonText.Short(actual)}");
            }
            return inner.Test(parsed, path + "<json>");
        }
        return MatchResult.Failure(path, $"expected a JSON document (fn::toJSON or a string holding JSON) but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
    }
}

/// <summary>The exact reference text <c>${Name.property}</c>.</summary>
internal sealed class ReferenceMatcher(string text, string describe) : Matcher
{
    public override string Name => "reference";

    public override string Describe() => $"reference {text} ({describe})";

    public override MatchResult Test(JsonNode? actual, string path)
    {
        var s = JsonText.AsString(actual);
        if (s == text)
        {
            return MatchResult.Success();
        }
        return MatchResult.Failure(path, $"expected the reference {text} ({describe}) but found {JsonText.Kind(actual)} {JsonText.Short(actual)}");
    }
}
