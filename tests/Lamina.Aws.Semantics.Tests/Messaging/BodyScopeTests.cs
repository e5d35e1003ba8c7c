using System.Text.Json.Nodes;
using static Lamina.Aws.Semantics.Tests.Messaging.FilterPolicyTestKit;

namespace Lamina.Aws.Semantics.Tests.Messaging;

public class BodyScopeTests
{
    [Fact]
    public void Nested_policy_objects_address_nested_body_properties()
    {
        var policy = BodyPolicy("""{"shipment": {"address": {"country": ["NO", "SE"]}}, "kind": ["parcel"]}""");
        Assert.True(policy.MatchesJson("""{"kind": "parcel", "shipment": {"id": 9, "address": {"country": "SE", "zip": "111"}}}"""));
        Assert.False(policy.MatchesJson("""{"kind": "parcel", "shipment": {"address": {"country": "DK"}}}"""));
        Assert.False(policy.MatchesJson("""{"kind": "parcel", "country": "SE"}"""));
        Assert.False(policy.MatchesJson("""{"kind": "parcel", "shipment": {"country": "SE"}}"""));
    }

    [Fact]
    public void A_body_array_matches_when_any_element_matches()
    {
        var policy = BodyPolicy("""{"labels": ["fragile"]}""");
        Assert.True(policy.MatchesJson("""{"labels": ["heavy", "fragile"]}"""));
        Assert.True(policy.MatchesJson("""{"labels": [["nested", ["fragile"]]]}"""));
        Assert.False(policy.MatchesJson("""{"labels": ["heavy"]}"""));
        Assert.False(policy.MatchesJson("""{"labels": []}"""));
    }

    [Fact]
    public void Arrays_of_objects_are_searched_element_by_element()
    {
        var policy = BodyPolicy("""{"items": {"sku": [{"prefix": "BK-"}]}}""");
        Assert.True(policy.MatchesJson("""{"items": [{"sku": "PN-1"}, {"sku": "BK-7"}]}"""));
        Assert.True(policy.MatchesJson("""{"items": [[{"sku": "BK-7"}]]}"""));
        Assert.False(policy.MatchesJson("""{"items": [{"sku": "PN-1"}, {"name": "BK-7"}]}"""));
    }

    [Fact]
    public void Anything_but_on_a_body_array_matches_when_some_element_is_not_excluded()
    {
        var policy = BodyPolicy("""{"labels": [{"anything-but": ["fragile"]}]}""");
        Assert.True(policy.MatchesJson("""{"labels": ["fragile", "heavy"]}"""));
        Assert.False(policy.MatchesJson("""{"labels": ["fragile"]}"""));
    }

    [Fact]
    public void Dotted_names_and_nesting_are_interchangeable()
    {
        var dotted = BodyPolicy("""{"order.customer.tier": ["gold"]}""");
        Assert.True(dotted.MatchesJson("""{"order": {"customer": {"tier": "gold"}}}"""));
        Assert.True(dotted.MatchesJson("""{"order.customer": {"tier": "gold"}}"""));
        Assert.True(dotted.MatchesJson("""{"order": {"customer.tier": "gold"}}"""));
        Assert.True(dotted.MatchesJson("""{"order.customer.tier": "gold"}"""));
        Assert.False(dotted.MatchesJson("""{"order": {"customer": {"tier": "silver"}}}"""));

        var nested = BodyPolicy("""{"order": {"customer": {"tier": ["gold"]}}}""");
        Assert.True(nested.MatchesJson("""{"order.customer.tier": "gold"}"""));
    }

    [Fact]
    public void A_body_that_is_not_a_json_object_never_matches()
    {
        var policy = BodyPolicy("""{"kind": [{"exists": false}]}""");
        Assert.False(policy.MatchesBody("plain text"));
        Assert.False(policy.MatchesBody("\"a json string\""));
        Assert.False(policy.MatchesJson("[1, 2]"));
        Assert.False(policy.Matches((JsonNode?)null));
        Assert.True(policy.MatchesJson("""{"other": 1}"""));
    }

    [Fact]
    public void Json_node_bodies_built_in_code_are_matched()
    {
        var policy = BodyPolicy("""{"count": [{"numeric": [">", 2]}], "name": ["x"], "on": [true], "id": [{"prefix": "0"}]}""");
        var body = new JsonObject
        {
            ["count"] = 3,
            ["name"] = "x",
            ["on"] = true,
            ["id"] = JsonValue.Create(Guid.Empty),
        };
        Assert.True(policy.Matches(body));
        body["count"] = 2L;
        Assert.False(policy.Matches(body));
    }

    [Fact]
    public void Policy_keys_are_case_sensitive_in_the_body()
    {
        var policy = BodyPolicy("""{"Status": ["ok"]}""");
        Assert.True(policy.MatchesJson("""{"Status": "ok"}"""));
        Assert.False(policy.MatchesJson("""{"status": "ok"}"""));
    }
}
