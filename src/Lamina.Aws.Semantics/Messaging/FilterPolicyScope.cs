namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// What an SNS subscription filter policy is evaluated against (the subscription's <c>FilterPolicyScope</c>
/// attribute).
/// </summary>
public enum FilterPolicyScope
{
    /// <summary>
    /// The policy is matched against the message attributes (SNS's default). Policies in this scope are flat:
    /// every key is an attribute name whose value is an array of match values.
    /// </summary>
    MessageAttributes,

    /// <summary>
    /// The policy is matched against the message body, which must be a JSON object. Policies in this scope may
    /// nest objects to address nested properties of the body.
    /// </summary>
    MessageBody,
}
