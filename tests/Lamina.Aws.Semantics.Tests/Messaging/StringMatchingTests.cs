using Lamina.Aws.Semantics.Messaging;
using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class StringMatchingTests
{
    [Theory]
    [InlineData("ferry", true)]
    [InlineData("tram", true)]
    [InlineData("bus", false)]
    [InlineData("Ferry", false)] // string matching is case-sensitive
    [InlineData("ferry ", false)]
    public void Exact_string_matches_any_listed_value_case_sensitively(string value, bool expected)
    {
        var policy = AttributePolicy("""{"vehicle": ["ferry", "tram"]}""");
        Assert.Equal(expected, policy.Matches(StringAttribute("vehicle", value)));
        Assert.Equal(expected, BodyPolicy("""{"vehicle": ["ferry", "tram"]}""").MatchesJson($$"""{"vehicle": "{{value}}"}"""));
    }

    [Fact]
    public void Exact_string_does_not_match_a_missing_key_or_another_type()
    {
        var policy = AttributePolicy("""{"vehicle": ["ferry"]}""");
        Assert.False(policy.Matches(StringAttribute("other", "ferry")));
        Assert.False(policy.Matches(new Dictionary<string, MessageAttributeValue>()));

        var body = BodyPolicy("""{"code": ["42"]}""");
        Assert.True(body.MatchesJson("""{"code": "42"}"""));
        Assert.False(body.MatchesJson("""{"code": 42}"""));
    }

    [Theory]
    [InlineData("order-created", true)]
    [InlineData("order-", true)]
    [InlineData("Order-created", false)]
    [InlineData("reorder-created", false)]
    public void Prefix_matches_strings_that_start_with_it(string value, bool expected)
    {
        var policy = AttributePolicy("""{"event": [{"prefix": "order-"}]}""");
        Assert.Equal(expected, policy.Matches(StringAttribute("event", value)));
        Assert.Equal(expected, BodyPolicy("""{"event": [{"prefix": "order-"}]}""").MatchesJson($$"""{"event": "{{value}}"}"""));
    }

    [Fact]
    public void Prefix_applies_to_strings_only()
    {
        var policy = AttributePolicy("""{"zip": [{"prefix": "12"}]}""");
        Assert.True(policy.Matches(StringAttribute("zip", "12345")));
        Assert.False(policy.Matches(NumberAttribute("zip", "12345")));
    }

    [Theory]
    [InlineData("invoice.pdf", true)]
    [InlineData(".pdf", true)]
    [InlineData("invoice.PDF", false)]
    [InlineData("invoice.pdf.zip", false)]
    public void Suffix_matches_strings_that_end_with_it(string value, bool expected)
    {
        var policy = AttributePolicy("""{"file": [{"suffix": ".pdf"}]}""");
        Assert.Equal(expected, policy.Matches(StringAttribute("file", value)));
        Assert.Equal(expected, BodyPolicy("""{"file": [{"suffix": ".pdf"}]}""").MatchesJson($$"""{"file": "{{value}}"}"""));
    }

    [Theory]
    [InlineData("Oslo", true)]
    [InlineData("OSLO", true)]
    [InlineData("oslo", true)]
    [InlineData("Osloo", false)]
    [InlineData("Bergen", false)]
    public void Equals_ignore_case_compares_without_case(string value, bool expected)
    {
        var policy = AttributePolicy("""{"city": [{"equals-ignore-case": "oSlO"}]}""");
        Assert.Equal(expected, policy.Matches(StringAttribute("city", value)));
        Assert.Equal(expected, BodyPolicy("""{"city": [{"equals-ignore-case": "oSlO"}]}""").MatchesJson($$"""{"city": "{{value}}"}"""));
    }

    [Theory]
    [InlineData("gold", true)]
    [InlineData("bronze", true)]
    [InlineData("silver", false)]
    [InlineData("platinum", false)]
    public void Anything_but_a_list_matches_every_other_value(string value, bool expected)
    {
        var policy = AttributePolicy("""{"tier": [{"anything-but": ["silver", "platinum"]}]}""");
        Assert.Equal(expected, policy.Matches(StringAttribute("tier", value)));
        Assert.Equal(expected, BodyPolicy("""{"tier": [{"anything-but": ["silver", "platinum"]}]}""").MatchesJson($$"""{"tier": "{{value}}"}"""));
    }

    [Fact]
    public void Anything_but_a_single_string()
    {
        var policy = AttributePolicy("""{"tier": [{"anything-but": "silver"}]}""");
        Assert.True(policy.Matches(StringAttribute("tier", "gold")));
        Assert.False(policy.Matches(StringAttribute("tier", "silver")));
    }

    [Fact]
    public void Anything_but_needs_the_key_to_be_present_unless_combined_with_exists_false()
    {
        var policy = AttributePolicy("""{"tier": [{"anything-but": "silver"}]}""");
        var otherAttributeOnly = StringAttribute("region", "north");
        Assert.False(policy.Matches(otherAttributeOnly));

        var withAbsence = AttributePolicy("""{"tier": [{"anything-but": "silver"}, {"exists": false}]}""");
        Assert.True(withAbsence.Matches(otherAttributeOnly));
        Assert.True(withAbsence.Matches(StringAttribute("tier", "gold")));
        Assert.False(withAbsence.Matches(StringAttribute("tier", "silver")));
    }

    [Fact]
    public void Anything_but_strings_passes_values_of_another_type()
    {
        var policy = BodyPolicy("""{"level": [{"anything-but": ["3"]}]}""");
        Assert.True(policy.MatchesJson("""{"level": 3}"""));
        Assert.False(policy.MatchesJson("""{"level": "3"}"""));
        Assert.False(policy.MatchesJson("""{"level": null}"""));
    }

    [Theory]
    [InlineData("eu-west-1", true)]
    [InlineData("ap-south-1", true)]
    [InlineData("us-east-1", false)]
    [InlineData("us-", false)]
    public void Anything_but_prefix_matches_values_not_starting_with_it(string value, bool expected)
    {
        var policy = AttributePolicy("""{"region": [{"anything-but": {"prefix": "us-"}}]}""");
        Assert.Equal(expected, policy.Matches(StringAttribute("region", value)));
        Assert.Equal(expected, BodyPolicy("""{"region": [{"anything-but": {"prefix": "us-"}}]}""").MatchesJson($$"""{"region": "{{value}}"}"""));
    }

    [Fact]
    public void Values_in_one_array_are_ored_across_operators()
    {
        var policy = AttributePolicy("""{"sku": ["X-1", {"prefix": "KIT-"}, {"suffix": "-refurb"}]}""");
        Assert.True(policy.Matches(StringAttribute("sku", "X-1")));
        Assert.True(policy.Matches(StringAttribute("sku", "KIT-9")));
        Assert.True(policy.Matches(StringAttribute("sku", "LAMP-refurb")));
        Assert.False(policy.Matches(StringAttribute("sku", "LAMP-new")));
    }

    [Fact]
    public void Booleans_and_null_match_only_themselves_in_the_body()
    {
        var policy = BodyPolicy("""{"urgent": [true], "owner": [null]}""");
        Assert.True(policy.MatchesJson("""{"urgent": true, "owner": null}"""));
        Assert.False(policy.MatchesJson("""{"urgent": "true", "owner": null}"""));
        Assert.False(policy.MatchesJson("""{"urgent": true, "owner": "null"}"""));
        Assert.False(policy.MatchesJson("""{"urgent": false, "owner": null}"""));
    }
}
