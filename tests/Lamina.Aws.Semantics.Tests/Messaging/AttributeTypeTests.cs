using Lamina.Aws.Semantics.Messaging;
using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class AttributeTypeTests
{
    [Fact]
    public void String_array_matches_when_any_element_matches()
    {
        var policy = AttributePolicy("""{"topics": ["chess", "go"]}""");
        Assert.True(policy.Matches(Attributes(("topics", MessageAttributeValue.FromStringArray("poker", "go")))));
        Assert.True(policy.Matches(ArrayAttribute("topics", """["chess"]""")));
        Assert.False(policy.Matches(ArrayAttribute("topics", """["poker", "bridge"]""")));
        Assert.False(policy.Matches(ArrayAttribute("topics", "[]")));
    }

    [Fact]
    public void String_array_elements_work_with_prefix_suffix_and_ignore_case()
    {
        var policy = AttributePolicy("""{"tags": [{"prefix": "env:"}, {"suffix": ":pii"}, {"equals-ignore-case": "URGENT"}]}""");
        Assert.True(policy.Matches(ArrayAttribute("tags", """["team:a", "env:prod"]""")));
        Assert.True(policy.Matches(ArrayAttribute("tags", """["email:pii"]""")));
        Assert.True(policy.Matches(ArrayAttribute("tags", """["Urgent"]""")));
        Assert.False(policy.Matches(ArrayAttribute("tags", """["team:a", "prod"]""")));
    }

    [Fact]
    public void String_array_may_hold_numbers_booleans_and_null()
    {
        Assert.True(AttributePolicy("""{"codes": [{"numeric": [">", 400]}]}""").Matches(ArrayAttribute("codes", "[200, 503]")));
        Assert.False(AttributePolicy("""{"codes": [{"numeric": [">", 400]}]}""").Matches(ArrayAttribute("codes", "[200, 301]")));
        Assert.True(AttributePolicy("""{"flags": [true]}""").Matches(ArrayAttribute("flags", "[false, true]")));
        Assert.False(AttributePolicy("""{"flags": [true]}""").Matches(ArrayAttribute("flags", """["true"]""")));
        Assert.True(AttributePolicy("""{"flags": [null]}""").Matches(ArrayAttribute("flags", "[null]")));
    }

    [Fact]
    public void Anything_but_on_a_string_array_matches_only_when_no_element_is_excluded()
    {
        var policy = AttributePolicy("""{"topics": [{"anything-but": ["chess", "go"]}]}""");
        Assert.True(policy.Matches(ArrayAttribute("topics", """["poker", "bridge"]""")));
        Assert.False(policy.Matches(ArrayAttribute("topics", """["poker", "go"]""")));
        Assert.False(policy.Matches(ArrayAttribute("topics", "[]")));

        var prefix = AttributePolicy("""{"topics": [{"anything-but": {"prefix": "int-"}}]}""");
        Assert.True(prefix.Matches(ArrayAttribute("topics", """["ext-a", "ext-b"]""")));
        Assert.False(prefix.Matches(ArrayAttribute("topics", """["ext-a", "int-b"]""")));
    }

    [Fact]
    public void A_string_attribute_holding_json_is_not_an_array()
    {
        var policy = AttributePolicy("""{"topics": ["go"]}""");
        Assert.False(policy.Matches(StringAttribute("topics", """["go"]""")));
        Assert.True(AttributePolicy("""{"topics": ["[\"go\"]"]}""").Matches(StringAttribute("topics", """["go"]""")));
    }

    [Fact]
    public void Binary_attributes_are_ignored()
    {
        var exact = AttributePolicy("""{"payload": [{"exists": true}]}""");
        var attributes = Attributes(
            ("payload", MessageAttributeValue.Binary()),
            ("kind", MessageAttributeValue.FromString("x")));
        Assert.False(exact.Matches(attributes));
        Assert.True(AttributePolicy("""{"payload": [{"exists": false}]}""").Matches(attributes));
        Assert.False(AttributePolicy("""{"payload": [{"anything-but": "x"}]}""").Matches(attributes));
        Assert.False(exact.Matches(Attributes(("payload", new MessageAttributeValue("Binary.gzip", null)))));
    }

    [Fact]
    public void Custom_string_type_labels_are_strings()
    {
        var policy = AttributePolicy("""{"doc": [{"prefix": "{"}]}""");
        Assert.True(policy.Matches(Attributes(("doc", new MessageAttributeValue("String.json", "{}")))));
    }

    [Fact]
    public void String_array_factory_writes_a_json_array()
    {
        var value = MessageAttributeValue.FromStringArray("a\"b", "c");
        Assert.Equal("String.Array", value.DataType);
        Assert.Equal("""["a\u0022b","c"]""", value.StringValue);
        Assert.True(AttributePolicy("""{"x": ["a\"b"]}""").Matches(Attributes(("x", value))));
    }
}
