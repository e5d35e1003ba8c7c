using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>What a compiled policy is evaluated against; a struct so the tree walk is specialised per source.</summary>
internal interface IMessageSource
{
    bool MatchKey(KeyMatcher key);
}

internal readonly struct AttributeSource(IReadOnlyDictionary<string, MessageAttributeValue> attributes, bool hasFields)
    : IMessageSource
{
    public bool MatchKey(KeyMatcher key) => key.MatchAttributes(attributes, hasFields);
}

internal readonly struct ElementSource(JsonElement root, bool hasFields) : IMessageSource
{
    public bool MatchKey(KeyMatcher key) => key.MatchBody(root, hasFields);
}

internal readonly struct NodeSource(JsonObject root, bool hasFields) : IMessageSource
{
    public bool MatchKey(KeyMatcher key) => key.MatchBody(root, hasFields);
}

/// <summary>Keys AND-ed together, plus <c>$or</c> groups that must each have a matching branch.</summary>
internal sealed class AndNode(KeyMatcher[] keys, OrNode[] ors)
{
    public bool Matches<TSource>(in TSource source)
        where TSource : struct, IMessageSource
    {
        foreach (var key in keys)
        {
            if (!source.MatchKey(key))
            {
                return false;
            }
        }

        foreach (var or in ors)
        {
            if (!or.Matches(source))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An <c>$or</c>: at least one branch must match.</summary>
internal sealed class OrNode(AndNode[] branches)
{
    public bool Matches<TSource>(in TSource source)
        where TSource : struct, IMessageSource
    {
        foreach (var branch in branches)
        {
            if (branch.Matches(source))
            {
                return true;
            }
        }

        return false;
    }
}
