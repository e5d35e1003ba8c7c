using System.Text.Json.Nodes;
using Lamina.Aws.Resources.Sqs;

namespace Lamina.Testing.Tests;

public class MatchTests
{
    private static MatchResult Run(Matcher m, string json) => m.Test(JsonNode.Parse(json), "");

    private static void Passes(Matcher m, string json)
    {
        var r = Run(m, json);
        Assert.True(r.IsSuccess, r.ToString());
    }

    private static MatchFailure FailsAt(Matcher m, string json, string path)
    {
        var r = Run(m, json);
        Assert.False(r.IsSuccess, $"{m} should not match {json}");
        var f = r.Failures.FirstOrDefault(f => f.Path == path);
        Assert.True(f is not null, $"no failure at '{path}': {r}");
        return f!;
    }

    [Fact]
    public void ObjectLike_allows_extra_keys_at_any_depth()
    {
        var m = Match.ObjectLike(new D { ["a"] = 1, ["b"] = new D { ["c"] = "x" } });
        Passes(m, """{"a": 1, "z": true, "b": {"c": "x", "d": 2}}""");
        var f = FailsAt(m, """{"a": 1, "b": {"d": 2}}""", "b");
        Assert.Equal("expected key 'c' (\"x\") but it is missing; keys present: 'd'", f.Message);
        Assert.Contains("expected 1 but found 2", FailsAt(m, """{"a": 2, "b": {"c": "x"}}""", "a").Message);
        Assert.Contains("expected an object (objectLike) but found an array", FailsAt(m, "[]", "").Message);
    }

    [Fact]
    public void ObjectEquals_refuses_extra_keys_but_ignores_key_order()
    {
        var m = Match.ObjectEquals(new D { ["a"] = 1, ["b"] = new D { ["c"] = "x" } });
        Passes(m, """{"b": {"c": "x"}, "a": 1}""");
        Assert.Contains("unexpected key 'z'", FailsAt(m, """{"a": 1, "b": {"c": "x"}, "z": 0}""", "").Message);
        Assert.Contains("unexpected key 'd'", FailsAt(m, """{"a": 1, "b": {"c": "x", "d": 0}}""", "b").Message);
        Assert.Throws<ArgumentException>(() => Match.ObjectEquals(new[] { 1 }));
        Assert.Throws<ArgumentException>(() => Match.ObjectLike("text"));
    }

    [Fact]
    public void ArrayWith_finds_items_in_order_among_others()
    {
        var m = Match.ArrayWith("b", Match.ObjectLike(new D { ["k"] = 1 }));
        Passes(m, """["a", "b", "x", {"k": 1, "j": 2}, "z"]""");
        var order = FailsAt(m, """[{"k": 1}, "b"]""", "");
        Assert.Contains("no item after index 1 matches arrayWith pattern [1]", order.Message);
        Assert.Contains("expected an array (arrayWith) but found an object", FailsAt(m, "{}", "").Message);
    }

    [Fact]
    public void ArrayWith_reports_the_closest_item_and_where_it_differs()
    {
        var m = Match.ObjectLike(new D { ["list"] = Match.ArrayWith(new D { ["name"] = "b", ["size"] = 2 }) });
        var r = Run(m, """{"list": [{"name": "a", "size": 1}, {"name": "b", "size": 3}]}""");
        Assert.Contains(r.Failures, f => f.Path == "list" && f.Message.StartsWith("no item matches arrayWith pattern [0]", StringComparison.Ordinal));
        Assert.Contains(r.Failures, f => f.Path == "list[1].size" && f.Message == "expected 2 but found 3");
    }

    [Fact]
    public void ArrayEquals_needs_the_same_items_in_the_same_order()
    {
        var m = Match.ArrayEquals("a", 2, true);
        Passes(m, """["a", 2.0, true]""");
        Assert.Contains("expected 3 items but found 2", FailsAt(m, """["a", 2]""", "").Message);
        Assert.Contains("expected \"a\" but found \"b\"", FailsAt(m, """["b", 2, true]""", "[0]").Message);
        Assert.Contains("expected a number 2 but found a string \"2\"", FailsAt(m, """["a", "2", true]""", "[1]").Message);
        // Items of ArrayEquals are exact: an object item with more keys does not match.
        Assert.Contains("unexpected key 'y'", FailsAt(Match.ArrayEquals(new D { ["x"] = 1 }), """[{"x": 1, "y": 2}]""", "[0]").Message);
    }

    [Fact]
    public void AnyValue_accepts_any_present_non_null_value()
    {
        var m = Match.ObjectLike(new D { ["a"] = Match.AnyValue() });
        Passes(m, """{"a": 0}""");
        Passes(m, """{"a": {"x": []}}""");
        Assert.Equal("expected any value but found null", FailsAt(m, """{"a": null}""", "a").Message);
        Assert.StartsWith("expected key 'a' (anyValue())", FailsAt(m, """{"b": 1}""", "").Message);
    }

    [Fact]
    public void Absent_accepts_only_a_missing_key()
    {
        var m = Match.ObjectLike(new D { ["a"] = Match.Absent() });
        Passes(m, """{"b": 1}""");
        Assert.Contains("expected no value (absent) but found a number 1", FailsAt(m, """{"a": 1}""", "a").Message);
        Assert.Contains("found null", FailsAt(m, """{"a": null}""", "a").Message);
    }

    [Fact]
    public void StringLike_uses_star_wildcards_over_the_whole_string()
    {
        var m = Match.StringLike("arn:aws:sqs:*:orders-*");
        Passes(m, "\"arn:aws:sqs:us-east-1:123456789012:orders-dlq\"");
        Assert.Contains("expected a string like 'arn:aws:sqs:*:orders-*' but found \"xarn", FailsAt(m, "\"xarn:aws:sqs:r:orders-1\"", "").Message);
        Assert.Contains("found a number 5", FailsAt(m, "5", "").Message);
        Passes(Match.StringLike("a.b"), "\"a.b\"");
        FailsAt(Match.StringLike("a.b"), "\"axb\"", "");
        Passes(Match.StringLike("*"), "\"\"");
    }

    [Fact]
    public void StringLikeRegexp_finds_a_match_anywhere_unless_anchored()
    {
        Passes(Match.StringLikeRegexp("orders-[0-9]+"), "\"my-orders-42-queue\"");
        FailsAt(Match.StringLikeRegexp("^orders-[0-9]+$"), "\"my-orders-42-queue\"", "");
        Passes(Match.StringLikeRegexp(new System.Text.RegularExpressions.Regex("^\\$\\{[A-Za-z]+\\.arn\\}$")), "\"${Queue.arn}\"");
        Passes(Match.StringLike(new System.Text.RegularExpressions.Regex("ARN", System.Text.RegularExpressions.RegexOptions.IgnoreCase)), "\"an arn\"");
    }

    [Fact]
    public void Exact_matches_objects_deeply_equal()
    {
        var m = Match.Exact(new D { ["a"] = new D { ["b"] = 1 } });
        Passes(m, """{"a": {"b": 1}}""");
        Assert.Contains("unexpected key 'c'", FailsAt(m, """{"a": {"b": 1, "c": 2}}""", "a").Message);
        Passes(Match.Exact(null), "null");
        Assert.Contains("expected null but found a number 0", FailsAt(Match.Exact(null), "0", "").Message);
        Passes(Match.Exact(true), "true");
        FailsAt(Match.Exact(true), "false", "");
        // A matcher inside Exact still applies.
        Passes(Match.Exact(new D { ["a"] = Match.AnyValue() }), """{"a": [1]}""");
    }

    [Fact]
    public void Not_inverts_a_matcher_or_a_value()
    {
        var m = Match.ObjectLike(new D { ["a"] = Match.Not("x"), ["b"] = Match.Not(Match.Absent()) });
        Passes(m, """{"a": "y", "b": 0}""");
        Assert.Contains("expected a value that does not match \"x\" but found \"x\"", FailsAt(m, """{"a": "x", "b": 0}""", "a").Message);
        Assert.StartsWith("expected key 'b' (not(absent()))", FailsAt(m, """{"a": "y"}""", "").Message);
        // A missing key does not match "x", so Not("x") accepts it.
        Passes(Match.ObjectLike(new D { ["a"] = Match.Not("x") }), "{}");
    }

    [Fact]
    public void Json_matches_an_fn_toJSON_document_or_a_string_holding_JSON()
    {
        var m = Match.Json(new D { ["Version"] = "2012-10-17", ["Statement"] = Match.ArrayWith(new D { ["Effect"] = "Allow" }) });
        Passes(m, """{"fn::toJSON": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}}""");
        Passes(m, "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"}]}\"");
        Assert.Contains("expected \"2012-10-17\" but found \"2008\"", FailsAt(m, """{"fn::toJSON": {"Version": "2008", "Statement": [{"Effect": "Allow"}]}}""", "fn::toJSON.Version").Message);
        FailsAt(m, "\"{\\\"Version\\\":\\\"2008\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\"}]}\"", "<json>.Version");
        Assert.Contains("not valid JSON", FailsAt(m, "\"{not json\"", "").Message);
        Assert.Contains("expected a JSON document (fn::toJSON or a string holding JSON) but found a number", FailsAt(m, "3", "").Message);
        Assert.Contains("found an object", FailsAt(m, """{"fn::secret": "x"}""", "").Message);
    }

    [Fact]
    public void Reference_matches_the_reference_text_of_a_resource_output()
    {
        var stack = new Stack(Shop.NewApp(), "shop");
        var q = new Queue(stack, "Orders");
        var other = new Queue(stack, "Other");
        Passes(Match.Reference(q, "arn"), "\"${Orders.arn}\"");
        Passes(Match.Reference(q), "\"${Orders}\"");
        var f = FailsAt(Match.Reference(q, "arn"), "\"${Other.arn}\"", "");
        Assert.Equal("expected the reference ${Orders.arn} (shop/Orders.arn) but found a string \"${Other.arn}\"", f.Message);
        FailsAt(Match.Reference(q, "arn"), "\"prefix ${Orders.arn}\"", "");
        Assert.Equal("Other", other.LogicalName);
    }

    [Fact]
    public void Keys_that_need_it_are_quoted_in_paths()
    {
        var m = Match.ObjectLike(new D { ["a.b"] = new D { ["c d"] = 1 } });
        FailsAt(m, """{"a.b": {"c d": 2}}""", "['a.b']['c d']");
    }

    [Fact]
    public void Numbers_compare_by_value_across_representations()
    {
        Passes(Matcher.From(60), "60.0");
        Passes(Matcher.From(60.0m), "60");
        Passes(Matcher.From(0.5f), "0.5");
        FailsAt(Matcher.From(60), "61", "");
    }
}
