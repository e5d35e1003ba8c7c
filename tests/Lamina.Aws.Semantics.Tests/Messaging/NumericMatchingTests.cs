using Lamina.Aws.Semantics.Messaging;
using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class NumericMatchingTests
{
    [Theory]
    [InlineData("412.25", true)]
    [InlineData("4.1225e2", true)]
    [InlineData("412.250", true)]
    [InlineData("41225E-2", true)]
    [InlineData("412.26", false)]
    [InlineData("-412.25", false)]
    public void Numeric_equals_compares_numbers_not_text(string value, bool expected)
    {
        var policy = AttributePolicy("""{"weight": [{"numeric": ["=", 412.25]}]}""");
        Assert.Equal(expected, policy.Matches(NumberAttribute("weight", value)));
        Assert.Equal(expected, BodyPolicy("""{"weight": [{"numeric": ["=", 412.25]}]}""").MatchesJson($$"""{"weight": {{value}}}"""));
    }

    [Theory]
    [InlineData("700", true)]
    [InlineData("7e2", true)]
    [InlineData("700.0", true)]
    [InlineData("701", false)]
    public void Exact_number_values_are_compared_numerically(string value, bool expected)
    {
        var policy = AttributePolicy("""{"port": [700, 9000]}""");
        Assert.Equal(expected, policy.Matches(NumberAttribute("port", value)));
        Assert.Equal(expected, BodyPolicy("""{"port": [700, 9000]}""").MatchesJson($$"""{"port": {{value}}}"""));
    }

    [Fact]
    public void Numbers_do_not_match_strings_and_strings_do_not_match_numbers()
    {
        var numeric = AttributePolicy("""{"port": [700, {"numeric": [">", 0]}]}""");
        Assert.False(numeric.Matches(StringAttribute("port", "700")));

        var text = AttributePolicy("""{"port": ["700"]}""");
        Assert.False(text.Matches(NumberAttribute("port", "700")));
        Assert.True(text.Matches(StringAttribute("port", "700")));
    }

    [Fact]
    public void Numbers_are_compared_with_five_decimal_places_of_accuracy()
    {
        var policy = AttributePolicy("""{"ratio": [{"numeric": ["=", 0.5]}]}""");
        Assert.True(policy.Matches(NumberAttribute("ratio", "0.500001")));
        Assert.False(policy.Matches(NumberAttribute("ratio", "0.50001")));

        var positive = AttributePolicy("""{"ratio": [{"numeric": [">", 0]}]}""");
        Assert.False(positive.Matches(NumberAttribute("ratio", "0.000001")));
        Assert.True(positive.Matches(NumberAttribute("ratio", "0.00001")));
    }

    [Theory]
    [InlineData("-0.01", true)]
    [InlineData("-1000", true)]
    [InlineData("0", false)]
    [InlineData("3", false)]
    public void Less_than(string value, bool expected) =>
        Assert.Equal(expected, AttributePolicy("""{"delta": [{"numeric": ["<", 0]}]}""").Matches(NumberAttribute("delta", value)));

    [Theory]
    [InlineData("0", true)]
    [InlineData("-5", true)]
    [InlineData("0.00001", false)]
    public void Less_than_or_equal(string value, bool expected) =>
        Assert.Equal(expected, AttributePolicy("""{"delta": [{"numeric": ["<=", 0]}]}""").Matches(NumberAttribute("delta", value)));

    [Theory]
    [InlineData("18", false)]
    [InlineData("18.00001", true)]
    [InlineData("99", true)]
    public void Greater_than(string value, bool expected) =>
        Assert.Equal(expected, AttributePolicy("""{"age": [{"numeric": [">", 18]}]}""").Matches(NumberAttribute("age", value)));

    [Theory]
    [InlineData("18", true)]
    [InlineData("17.99999", false)]
    public void Greater_than_or_equal(string value, bool expected) =>
        Assert.Equal(expected, AttributePolicy("""{"age": [{"numeric": [">=", 18]}]}""").Matches(NumberAttribute("age", value)));

    [Theory]
    [InlineData("10", false)]
    [InlineData("10.5", true)]
    [InlineData("250", true)]
    [InlineData("250.00001", false)]
    [InlineData("-3", false)]
    public void Range_with_open_lower_and_closed_upper_bound(string value, bool expected)
    {
        const string Json = """{"amount": [{"numeric": [">", 10, "<=", 250]}]}""";
        Assert.Equal(expected, AttributePolicy(Json).Matches(NumberAttribute("amount", value)));
        Assert.Equal(expected, BodyPolicy(Json).MatchesJson($$"""{"amount": {{value}}}"""));
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("249.99999", true)]
    [InlineData("250", false)]
    public void Range_with_closed_lower_and_open_upper_bound(string value, bool expected) =>
        Assert.Equal(expected, AttributePolicy("""{"amount": [{"numeric": [">=", 10, "<", 250]}]}""").Matches(NumberAttribute("amount", value)));

    [Fact]
    public void Several_ranges_in_one_array_are_ored()
    {
        var policy = AttributePolicy("""{"amount": [{"numeric": ["<", 0]}, {"numeric": [">", 100, "<", 200]}]}""");
        Assert.True(policy.Matches(NumberAttribute("amount", "-1")));
        Assert.True(policy.Matches(NumberAttribute("amount", "150")));
        Assert.False(policy.Matches(NumberAttribute("amount", "50")));
    }

    [Theory]
    [InlineData("41", true)]
    [InlineData("40.5", true)]
    [InlineData("40", false)]
    [InlineData("4e1", false)]
    [InlineData("90", false)]
    public void Anything_but_numbers(string value, bool expected)
    {
        const string Json = """{"status": [{"anything-but": [40, 90]}]}""";
        Assert.Equal(expected, AttributePolicy(Json).Matches(NumberAttribute("status", value)));
        Assert.Equal(expected, BodyPolicy(Json).MatchesJson($$"""{"status": {{value}}}"""));
    }

    [Fact]
    public void Anything_but_a_single_number()
    {
        var policy = AttributePolicy("""{"status": [{"anything-but": 404}]}""");
        Assert.True(policy.Matches(NumberAttribute("status", "200")));
        Assert.False(policy.Matches(NumberAttribute("status", "404.0")));
    }

    [Fact]
    public void Message_numbers_beyond_the_numeric_range_never_satisfy_a_comparison()
    {
        var policy = AttributePolicy("""{"bytes": [{"numeric": [">", 0]}]}""");
        Assert.True(policy.Matches(NumberAttribute("bytes", "1000000000")));
        Assert.False(policy.Matches(NumberAttribute("bytes", "1000000001")));
    }

    [Fact]
    public void Exact_numbers_beyond_the_numeric_range_are_accepted_and_match_exactly()
    {
        var policy = BodyPolicy("""{"account": [123456789012]}""");
        Assert.True(policy.MatchesJson("""{"account": 123456789012}"""));
        Assert.False(policy.MatchesJson("""{"account": 123456789013}"""));
    }

    [Fact]
    public void A_number_attribute_with_a_custom_type_label_is_still_a_number()
    {
        var policy = AttributePolicy("""{"temp": [{"numeric": [">=", 20.5]}]}""");
        var attributes = Attributes(("temp", new MessageAttributeValue("Number.celsius", "21")));
        Assert.True(policy.Matches(attributes));
    }
}
