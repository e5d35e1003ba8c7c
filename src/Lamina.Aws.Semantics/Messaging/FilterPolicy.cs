using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// An SNS subscription filter policy, validated against the rules SNS enforces and compiled once into a matcher
/// tree. Matching a message never re-parses the policy.
/// </summary>
/// <remarks>
/// <para>
/// Semantics follow the Amazon SNS Developer Guide ("Amazon SNS subscription filter policies" and the pages on AND/OR
/// logic, key matching, string, numeric and IP address matching, and filter policy constraints): keys are AND-ed,
/// the values in a key's array are OR-ed, <c>$or</c> ORs whole sub-policies, and every key must be satisfied.
/// </para>
/// <para>
/// Types are strict: a string in the policy matches only string values, a number only numbers (compared numerically
/// with five decimal places of accuracy, so <c>301.5</c> matches <c>3.015e2</c>), and <c>true</c>, <c>false</c> and
/// <c>null</c> match only themselves. <c>String</c> attributes are strings, <c>Number</c> attributes numbers,
/// <c>String.Array</c> attributes JSON arrays whose elements are matched one by one, and <c>Binary</c> attributes are
/// ignored (treated as absent).
/// </para>
/// <para>Instances are immutable and safe to share between threads.</para>
/// </remarks>
public sealed class FilterPolicy
{
    private readonly AndNode _root;

    internal FilterPolicy(string json, FilterPolicyScope scope, AndNode root, int combinations, int keyCount)
    {
        Json = json;
        Scope = scope;
        _root = root;
        Combinations = combinations;
        KeyCount = keyCount;
    }

    /// <summary>The policy's JSON text, as given.</summary>
    public string Json { get; }

    /// <summary>What the policy is matched against.</summary>
    public FilterPolicyScope Scope { get; }

    /// <summary>The total combination of values, as SNS computes it (at most <see cref="FilterPolicyLimits.MaxCombinations"/>).</summary>
    public int Combinations { get; }

    /// <summary>The number of keys SNS counts against <see cref="FilterPolicyLimits.MaxKeys"/>.</summary>
    public int KeyCount { get; }

    /// <summary>
    /// Validates and compiles a policy, returning either the compiled policy or every error found, each naming the
    /// JSON path of the problem inside the policy.
    /// </summary>
    /// <param name="json">The policy JSON.</param>
    /// <param name="scope">What the policy will be matched against.</param>
    /// <returns>The compiled policy or the errors.</returns>
    public static FilterPolicyParseResult Parse(string json, FilterPolicyScope scope)
    {
        ArgumentNullException.ThrowIfNull(json);
        var (policy, errors) = FilterPolicyCompiler.Compile(json, scope);
        return new FilterPolicyParseResult(policy, errors);
    }

    /// <summary>
    /// Checks a policy the way SNS does when it is set on a subscription. Synthesis uses this to reject policies SNS
    /// would reject.
    /// </summary>
    /// <param name="json">The policy JSON.</param>
    /// <param name="scope">What the policy will be matched against.</param>
    /// <returns>Every error found; empty when SNS would accept the policy.</returns>
    public static IReadOnlyList<FilterPolicyError> Validate(string json, FilterPolicyScope scope) =>
        Parse(json, scope).Errors;

    /// <summary>Validates and compiles a policy, throwing when SNS would reject it.</summary>
    /// <param name="json">The policy JSON.</param>
    /// <param name="scope">What the policy will be matched against.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="FilterPolicyException">The policy is invalid; the exception lists every error.</exception>
    public static FilterPolicy Compile(string json, FilterPolicyScope scope)
    {
        var result = Parse(json, scope);
        return result.IsValid ? result.Policy : throw new FilterPolicyException(result.Errors);
    }

    /// <summary>Whether a message with these attributes passes an attribute-scope policy.</summary>
    /// <param name="attributes">The message attributes, by name.</param>
    /// <returns><see langword="true"/> when SNS would deliver the message to the subscription.</returns>
    /// <exception cref="InvalidOperationException">The policy's scope is <see cref="FilterPolicyScope.MessageBody"/>.</exception>
    public bool Matches(IReadOnlyDictionary<string, MessageAttributeValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        RequireScope(FilterPolicyScope.MessageAttributes);
        var hasFields = false;
        foreach (var attribute in attributes.Values)
        {
            if (attribute is not null && AttributeTypes.Classify(attribute.DataType) != AttributeKind.Binary)
            {
                hasFields = true;
                break;
            }
        }

        return _root.Matches(new AttributeSource(attributes, hasFields));
    }

    /// <summary>
    /// Whether a message body passes a body-scope policy. A body that is not a JSON object never matches.
    /// </summary>
    /// <param name="body">The parsed message body.</param>
    /// <returns><see langword="true"/> when SNS would deliver the message to the subscription.</returns>
    /// <exception cref="InvalidOperationException">The policy's scope is <see cref="FilterPolicyScope.MessageAttributes"/>.</exception>
    public bool Matches(JsonNode? body)
    {
        RequireScope(FilterPolicyScope.MessageBody);
        return body is JsonObject root && _root.Matches(new NodeSource(root, root.Count > 0));
    }

    /// <summary>
    /// Whether a message body passes a body-scope policy. A body that is not a JSON object never matches.
    /// </summary>
    /// <param name="body">The parsed message body.</param>
    /// <returns><see langword="true"/> when SNS would deliver the message to the subscription.</returns>
    /// <exception cref="InvalidOperationException">The policy's scope is <see cref="FilterPolicyScope.MessageAttributes"/>.</exception>
    public bool Matches(JsonElement body)
    {
        RequireScope(FilterPolicyScope.MessageBody);
        if (body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        using var properties = body.EnumerateObject();
        return _root.Matches(new ElementSource(body, properties.MoveNext()));
    }

    /// <summary>
    /// Whether a raw message body passes a body-scope policy. A body that is not well-formed JSON, or not a JSON
    /// object, never matches (SNS assumes body-filtered payloads are JSON objects).
    /// </summary>
    /// <param name="body">The message body text as published.</param>
    /// <returns><see langword="true"/> when SNS would deliver the message to the subscription.</returns>
    /// <exception cref="InvalidOperationException">The policy's scope is <see cref="FilterPolicyScope.MessageAttributes"/>.</exception>
    public bool MatchesBody(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        RequireScope(FilterPolicyScope.MessageBody);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            return Matches(document.RootElement);
        }
    }

    /// <summary>Returns the policy JSON.</summary>
    /// <returns>The policy JSON.</returns>
    public override string ToString() => Json;

    private void RequireScope(FilterPolicyScope expected)
    {
        if (Scope != expected)
        {
            throw new InvalidOperationException(
                $"This filter policy has scope {Scope}; it cannot be matched against the message " +
                (expected == FilterPolicyScope.MessageBody ? "body" : "attributes") + ".");
        }
    }
}
