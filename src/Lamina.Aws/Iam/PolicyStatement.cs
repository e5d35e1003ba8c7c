using Lamina.Values;

namespace Lamina.Aws.Iam;

/// <summary>
/// One IAM policy statement, built with specific actions and resources (Lamina's grant methods never write
/// <c>"Resource": "*"</c> except where AWS offers no resource-level permission; see the README's list).
/// </summary>
/// <example>
/// <code>
/// fn.AddToRolePolicy(new PolicyStatement
/// {
///     Actions = ["dynamodb:GetItem"],
///     Resources = [Output.Format($"arn:aws:dynamodb:us-east-1:123456789012:table/orders")],
/// });
/// </code>
/// </example>
public sealed record PolicyStatement
{
    /// <summary>A statement id (letters and digits). Default: none.</summary>
    public string? Sid { get; init; }

    /// <summary>Allow or Deny. Default: Allow.</summary>
    public string Effect { get; init; } = "Allow";

    /// <summary>The actions, such as <c>sqs:SendMessage</c>. Required.</summary>
    public required IReadOnlyList<string> Actions { get; init; }

    /// <summary>The resource ARNs (outputs or text). Required for identity policies.</summary>
    public IReadOnlyList<Input<string>> Resources { get; init; } = [];

    /// <summary>For resource policies: the principal, such as <c>{"Service": "sns.amazonaws.com"}</c>. Default: none.</summary>
    public IReadOnlyDictionary<string, object?>? Principal { get; init; }

    /// <summary>Conditions: operator → key → value(s), such as <c>ArnEquals → aws:SourceArn → topic ARN</c>. Default: none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>>? Conditions { get; init; }

    /// <summary>The statement as a JSON-ready dictionary (keys in IAM's usual order).</summary>
    public Dictionary<string, object?> ToDocument()
    {
        var d = new Dictionary<string, object?>();
        if (Sid is not null)
        {
            d["Sid"] = Sid;
        }
        d["Effect"] = Effect;
        if (Principal is not null)
        {
            d["Principal"] = Principal;
        }
        d["Action"] = Actions.Count == 1 ? Actions[0] : Actions.ToArray();
        if (Resources.Count > 0)
        {
            d["Resource"] = Resources.Count == 1 ? Resources[0] : Resources.ToArray();
        }
        if (Conditions is not null)
        {
            d["Condition"] = Conditions.ToDictionary(c => c.Key, c => (object?)c.Value.ToDictionary(k => k.Key, k => k.Value));
        }
        return d;
    }
}

/// <summary>An IAM policy document.</summary>
public static class PolicyDocument
{
    /// <summary>The policy language version Lamina writes.</summary>
    public const string Version = "2012-10-17";

    /// <summary>A document holding <paramref name="statements"/>, rendered through <c>fn::toJSON</c>.</summary>
    public static Output<string> Of(IEnumerable<PolicyStatement> statements) => Output.Json(new Dictionary<string, object?>
    {
        ["Version"] = Version,
        ["Statement"] = statements.Select(s => (object?)s.ToDocument()).ToArray(),
    });

    /// <summary>A trust policy letting <paramref name="service"/> (such as <c>lambda.amazonaws.com</c>) assume a role.</summary>
    public static Output<string> AssumeRole(string service) => Of([new PolicyStatement
    {
        Actions = ["sts:AssumeRole"],
        Principal = new Dictionary<string, object?> { ["Service"] = service },
    }]);
}

/// <summary>Something that can be granted permissions: it has an IAM role whose policy grows with each grant.</summary>
public interface IGrantable
{
    /// <summary>The construct path (for messages).</summary>
    string Path { get; }

    /// <summary>Adds a statement to the role's policy.</summary>
    void AddToRolePolicy(PolicyStatement statement);
}
