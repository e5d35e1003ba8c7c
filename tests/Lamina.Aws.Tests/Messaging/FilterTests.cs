using Lamina.Aws.Messaging;
using Lamina.Aws.Semantics.Messaging;

namespace Lamina.Aws.Tests.Messaging;

public class FilterTests
{
    [Theory]
    [MemberData(nameof(Cases))]
    public void Helpers_write_the_policy_sns_documents(Filter filter, string json)
    {
        Assert.Equal(json, filter.Json);
        // Every helper's output is a policy SNS accepts (in the attribute scope, or the body scope for nesting).
        var scope = json.Contains("{\"order\":{", StringComparison.Ordinal) ? FilterPolicyScope.MessageBody : FilterPolicyScope.MessageAttributes;
        Assert.Empty(FilterPolicy.Validate(json, scope));
    }

    public static TheoryData<Filter, string> Cases() => new()
    {
        { Filter.Attribute("type", "created", "updated"), """{"type":["created","updated"]}""" },
        { Filter.Number("qty", 1, 2.5), """{"qty":[{"numeric":["=",1]},{"numeric":["=",2.5]}]}""" },
        { Filter.Prefix("region", "eu-"), """{"region":[{"prefix":"eu-"}]}""" },
        { Filter.Suffix("file", ".jpg"), """{"file":[{"suffix":".jpg"}]}""" },
        { Filter.EqualsIgnoreCase("tier", "Gold"), """{"tier":[{"equals-ignore-case":"Gold"}]}""" },
        { Filter.AnythingBut("store", "test", "dev"), """{"store":[{"anything-but":["test","dev"]}]}""" },
        { Filter.Exists("coupon"), """{"coupon":[{"exists":true}]}""" },
        { Filter.Exists("coupon", false), """{"coupon":[{"exists":false}]}""" },
        { Filter.Numeric("price", ">=", 100), """{"price":[{"numeric":[">=",100]}]}""" },
        { Filter.Numeric("price", ">", 0, "<", 10.5), """{"price":[{"numeric":[">",0,"<",10.5]}]}""" },
        { Filter.Between("price", 1, 9), """{"price":[{"numeric":[">=",1,"<=",9]}]}""" },
        { Filter.Attribute("type", "created").And(Filter.Prefix("region", "eu+")), """{"type":["created"],"region":[{"prefix":"eu+"}]}""" },
        { Filter.Or(Filter.Attribute("type", "a"), Filter.Numeric("price", ">", 5)), """{"$or":[{"type":["a"]},{"price":[{"numeric":[">",5]}]}]}""" },
        { Filter.Within("order", Filter.Attribute("status", "paid").And(Filter.Exists("coupon"))), """{"order":{"status":["paid"],"coupon":[{"exists":true}]}}""" },
    };

    [Fact]
    public void Any_means_no_policy_and_is_neutral_in_combinations()
    {
        Assert.True(Filter.Any.IsAny);
        Assert.Null(Filter.Any.Json);
        var type = Filter.Attribute("type", "a");
        Assert.Same(type, Filter.Any.And(type));
        Assert.Same(type, type.And(Filter.Any));
        Assert.True(Filter.Or(type, Filter.Any).IsAny);
    }

    [Fact]
    public void Combining_two_filters_on_one_key_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Filter.Attribute("type", "a").And(Filter.Prefix("type", "b")));
        Assert.Contains("'type'", e.Message);
    }

    [Fact]
    public void Json_text_is_kept_as_given_and_checked_at_synthesis()
    {
        Assert.Equal("{\"a\": [1]}", Filter.FromJson("{\"a\": [1]}").Json);
        Assert.Throws<ArgumentException>(() => Filter.FromJson("[1]").And(Filter.Attribute("a", "b")));
    }
}
