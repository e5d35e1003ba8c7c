namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// The limits SNS puts on subscription filter policies, as stated in the Amazon SNS Developer Guide page
/// "Filter policy constraints in Amazon SNS"
/// (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html) and the pages on
/// numeric value matching and the <c>$or</c> operator.
/// </summary>
public static class FilterPolicyLimits
{
    /// <summary>
    /// Maximum number of keys: five. In the attribute scope every key counts; in the body scope only top-level keys
    /// count (nested keys do not). Within an <c>$or</c>, the largest branch is what counts.
    /// </summary>
    /// <remarks>Source: the "Key counting in filter policies" section of the constraints page.</remarks>
    public const int MaxKeys = 5;

    /// <summary>
    /// Maximum total combination of values: 150. The combination is the product, over the arrays of match values,
    /// of each array's length multiplied by its key's nesting depth (1 at the top level); an <c>$or</c> contributes
    /// the sum of its branches' combinations.
    /// </summary>
    /// <remarks>
    /// Source: the "Filter policy complexity" item and the nested-key example (3 x 4 x 2 x 3 = 72) of the constraints
    /// page; the <c>$or</c> summation follows how SNS counts each OR branch as its own rule.
    /// </remarks>
    public const int MaxCombinations = 150;

    /// <summary>Maximum size of the policy JSON: 256 KB (262,144 bytes of UTF-8).</summary>
    /// <remarks>Source: "Additional considerations" on the constraints page.</remarks>
    public const int MaxPolicySizeBytes = 256 * 1024;

    /// <summary>
    /// Largest magnitude usable in numeric matching: 10^9. Operands of <c>numeric</c> and numbers in
    /// <c>anything-but</c> must lie in [-10^9, 10^9]; message values outside it never satisfy a numeric comparison.
    /// </summary>
    /// <remarks>Source: the "Numeric matching" item of the constraints page.</remarks>
    public const double MaxNumericMagnitude = 1_000_000_000d;

    /// <summary>
    /// Digits of accuracy after the decimal point in numeric matching: five. Numbers are compared after rounding to
    /// five decimal places, so <c>0.000001</c> equals <c>0</c>.
    /// </summary>
    /// <remarks>Source: the "Numeric matching" item of the constraints page.</remarks>
    public const int NumericDecimalPlaces = 5;
}
