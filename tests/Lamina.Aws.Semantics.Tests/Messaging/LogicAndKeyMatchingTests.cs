using Lamina.Aws.Semantics.Messaging;
using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class LogicAndKeyMatchingTests
{
    [Fact]
    public void Exists_true_matches_when_the_attribute_is_present_with_any_value()
    {
        var policy = AttributePolicy("""{"tenant": [{"exists": true}]}""");
        Assert.True(policy.Matches(StringAttribute("tenant", "acme")));
        Assert.True(policy.Matches(NumberAttribute("tenant", "7")));
        Assert.True(policy.Matches(ArrayAttribute("tenant", """["a"]""")));
        Assert.False(policy.Matches(StringAttribute("region", "north")));
        Assert.False(policy.Matches(new Dictionary<string, MessageAttributeValue>()));
    }

    [Fact]
    public void Exists_false_matches_when_the_attribute_is_absent()
    {
        var policy = AttributePolicy("""{"tenant": [{"exists": false}]}""");
        Assert.True(policy.Matches(StringAttribute("region", "north")));
        Assert.False(policy.Matches(StringAttribute("tenant", "acme")));
    }

    [Fact]
    public void Exists_false_does_not_match_a_message_without_any_attributes()
    {
        var policy = AttributePolicy("""{"tenant": [{"exists": false}]}""");
        Assert.False(policy.Matches(new Dictionary<string, MessageAttributeValue>()));
        Assert.False(policy.Matches(Attributes(("blob", MessageAttributeValue.Binary()))));

        var body = BodyPolicy("""{"tenant": [{"exists": false}]}""");
        Assert.False(body.MatchesJson("{}"));
        Assert.True(body.MatchesJson("""{"region": "north"}"""));
    }

    [Fact]
    public void Exists_in_the_body_applies_to_leaves_only()
    {
        var present = BodyPolicy("""{"meta": [{"exists": true}]}""");
        Assert.True(present.MatchesJson("""{"meta": "x"}"""));
        Assert.True(present.MatchesJson("""{"meta": ["x"]}"""));
        Assert.False(present.MatchesJson("""{"meta": {"inner": "x"}}"""));
        Assert.False(present.MatchesJson("""{"meta": null}"""));
        Assert.False(present.MatchesJson("""{"meta": []}"""));

        var absent = BodyPolicy("""{"meta": [{"exists": false}]}""");
        Assert.True(absent.MatchesJson("""{"meta": {"inner": "x"}}"""));
        Assert.True(absent.MatchesJson("""{"other": 1}"""));
        Assert.False(absent.MatchesJson("""{"meta": 0}"""));
    }

    [Fact]
    public void Keys_are_anded()
    {
        var policy = AttributePolicy("""{"kind": ["refund"], "amount": [{"numeric": [">", 500]}]}""");
        Assert.True(policy.Matches(Attributes(
            ("kind", MessageAttributeValue.FromString("refund")),
            ("amount", MessageAttributeValue.FromNumber(900)))));
        Assert.False(policy.Matches(Attributes(
            ("kind", MessageAttributeValue.FromString("refund")),
            ("amount", MessageAttributeValue.FromNumber(20)))));
        Assert.False(policy.Matches(Attributes(("kind", MessageAttributeValue.FromString("refund")))));
    }

    [Fact]
    public void Attributes_not_named_in_the_policy_are_ignored()
    {
        var policy = AttributePolicy("""{"kind": ["refund"]}""");
        Assert.True(policy.Matches(Attributes(
            ("kind", MessageAttributeValue.FromString("refund")),
            ("noise", MessageAttributeValue.FromString("anything")))));
    }

    [Fact]
    public void Top_level_or_matches_either_branch_and_keeps_sibling_keys_anded()
    {
        const string Json = """
            {
              "origin": ["billing"],
              "$or": [
                {"currency": ["EUR", "NOK"]},
                {"amount": [{"numeric": [">=", 1000]}]}
              ]
            }
            """;
        var policy = AttributePolicy(Json);
        Assert.True(policy.Matches(Attributes(
            ("origin", MessageAttributeValue.FromString("billing")),
            ("currency", MessageAttributeValue.FromString("NOK")))));
        Assert.True(policy.Matches(Attributes(
            ("origin", MessageAttributeValue.FromString("billing")),
            ("amount", MessageAttributeValue.FromNumber(5000)))));
        Assert.False(policy.Matches(Attributes(
            ("origin", MessageAttributeValue.FromString("billing")),
            ("currency", MessageAttributeValue.FromString("USD")),
            ("amount", MessageAttributeValue.FromNumber(5)))));
        Assert.False(policy.Matches(Attributes(
            ("origin", MessageAttributeValue.FromString("shipping")),
            ("currency", MessageAttributeValue.FromString("EUR")))));
    }

    [Fact]
    public void Nested_or_inside_an_or_branch()
    {
        const string Json = """
            {
              "$or": [
                {"channel": ["sms"]},
                {
                  "channel": ["email"],
                  "$or": [{"locale": ["nb-NO"]}, {"vip": ["yes"]}]
                }
              ]
            }
            """;
        var policy = AttributePolicy(Json);
        Assert.True(policy.Matches(StringAttribute("channel", "sms")));
        Assert.True(policy.Matches(Attributes(
            ("channel", MessageAttributeValue.FromString("email")),
            ("vip", MessageAttributeValue.FromString("yes")))));
        Assert.False(policy.Matches(StringAttribute("channel", "email")));
    }

    [Fact]
    public void Or_nested_inside_a_body_object_addresses_nested_keys()
    {
        const string Json = """
            {
              "job": {
                "state": ["FAILED"],
                "$or": [{"queue": ["gpu"]}, {"retries": [{"numeric": [">", 3]}]}]
              }
            }
            """;
        var policy = BodyPolicy(Json);
        Assert.True(policy.MatchesJson("""{"job": {"state": "FAILED", "queue": "gpu"}}"""));
        Assert.True(policy.MatchesJson("""{"job": {"state": "FAILED", "queue": "cpu", "retries": 4}}"""));
        Assert.False(policy.MatchesJson("""{"job": {"state": "FAILED", "queue": "cpu", "retries": 1}}"""));
        Assert.False(policy.MatchesJson("""{"job": {"state": "DONE", "queue": "gpu"}}"""));
        Assert.False(policy.MatchesJson("""{"queue": "gpu", "job": {"state": "FAILED"}}"""));
    }

    [Fact]
    public void An_or_whose_objects_use_reserved_keywords_is_an_ordinary_key()
    {
        var policy = AttributePolicy("""{"$or": [{"prefix": "a"}, {"suffix": "z"}]}""");
        Assert.True(policy.Matches(StringAttribute("$or", "abc")));
        Assert.True(policy.Matches(StringAttribute("$or", "xyz")));
        Assert.False(policy.Matches(StringAttribute("$or", "mmm")));
        Assert.False(policy.Matches(StringAttribute("other", "abc")));
    }

    [Fact]
    public void Policy_exposes_its_scope_text_and_counts()
    {
        const string Json = """{"a": ["x", "y"], "$or": [{"b": ["1"]}, {"c": ["2", "3"], "d": ["4"]}]}""";
        var policy = AttributePolicy(Json);
        Assert.Equal(FilterPolicyScope.MessageAttributes, policy.Scope);
        Assert.Equal(Json, policy.Json);
        Assert.Equal(Json, policy.ToString());
        Assert.Equal(2 * (1 + 2), policy.Combinations);
        Assert.Equal(3, policy.KeyCount);
    }

    [Fact]
    public void Matching_in_the_wrong_scope_is_refused()
    {
        var attributes = AttributePolicy("""{"a": ["x"]}""");
        var body = BodyPolicy("""{"a": ["x"]}""");
        Assert.Throws<InvalidOperationException>(() => attributes.MatchesBody("""{"a": "x"}"""));
        Assert.Throws<InvalidOperationException>(() => body.Matches(StringAttribute("a", "x")));
    }
}
