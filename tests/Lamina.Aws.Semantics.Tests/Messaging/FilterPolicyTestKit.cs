using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.Messaging;

namespace Lamina.Aws.Semantics.Tests.Messaging;

/// <summary>Shorthands for the filter policy tests.</summary>
internal static class FilterPolicyTestKit
{
    public static FilterPolicy AttributePolicy(string json) => FilterPolicy.Compile(json, FilterPolicyScope.MessageAttributes);

    public static FilterPolicy BodyPolicy(string json) => FilterPolicy.Compile(json, FilterPolicyScope.MessageBody);

    /// <summary>Matches a body through all three entry points and insists they agree.</summary>
    public static bool MatchesJson(this FilterPolicy policy, string body)
    {
        var fromText = policy.MatchesBody(body);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(fromText, policy.Matches(document.RootElement));
        Assert.Equal(fromText, policy.Matches(JsonNode.Parse(body)));
        return fromText;
    }

    public static Dictionary<string, MessageAttributeValue> Attributes(params (string Name, MessageAttributeValue Value)[] attributes) =>
        attributes.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);

    public static Dictionary<string, MessageAttributeValue> StringAttribute(string name, string value) =>
        Attributes((name, MessageAttributeValue.FromString(value)));

    public static Dictionary<string, MessageAttributeValue> NumberAttribute(string name, string value) =>
        Attributes((name, MessageAttributeValue.FromNumber(value)));

    public static Dictionary<string, MessageAttributeValue> ArrayAttribute(string name, string json) =>
        Attributes((name, new MessageAttributeValue("String.Array", json)));

    /// <summary>Parses a policy expected to be invalid and returns its errors.</summary>
    public static IReadOnlyList<FilterPolicyError> Errors(string json, FilterPolicyScope scope = FilterPolicyScope.MessageAttributes)
    {
        var result = FilterPolicy.Parse(json, scope);
        Assert.False(result.IsValid, $"expected the policy to be rejected: {json}");
        Assert.Null(result.Policy);
        Assert.NotEmpty(result.Errors);
        return result.Errors;
    }

    /// <summary>Asserts the policy is rejected with exactly one error, at <paramref name="path"/>, mentioning every fragment.</summary>
    public static FilterPolicyError SingleError(string json, string path, params string[] fragments) =>
        SingleError(json, FilterPolicyScope.MessageAttributes, path, fragments);

    public static FilterPolicyError SingleError(string json, FilterPolicyScope scope, string path, params string[] fragments)
    {
        var errors = Errors(json, scope);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        return error;
    }
}
