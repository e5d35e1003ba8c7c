using System.Diagnostics.CodeAnalysis;

namespace Lamina.Aws.Semantics.Messaging;

/// <summary>
/// One reason SNS would reject a subscription filter policy.
/// </summary>
/// <param name="Path">
/// Where in the policy the problem is, as a JSONPath from the policy root: <c>$</c> is the whole policy,
/// <c>$.price[0].numeric[1]</c> the second element of a <c>numeric</c> expression. Keys made only of letters, digits,
/// <c>_</c>, <c>-</c> and <c>$</c> use dot notation; any other key uses <c>['key']</c>.
/// </param>
/// <param name="Message">What is wrong and what SNS allows there.</param>
public sealed record FilterPolicyError(string Path, string Message)
{
    /// <summary>Formats the error as <c>path: message</c>.</summary>
    /// <returns>The formatted error.</returns>
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// The outcome of <see cref="FilterPolicy.Parse(string, FilterPolicyScope)"/>: either a compiled policy or every
/// error found in it.
/// </summary>
public sealed class FilterPolicyParseResult
{
    internal FilterPolicyParseResult(FilterPolicy? policy, IReadOnlyList<FilterPolicyError> errors)
    {
        Policy = policy;
        Errors = errors;
    }

    /// <summary>The compiled policy, or <see langword="null"/> when the policy is invalid.</summary>
    public FilterPolicy? Policy { get; }

    /// <summary>Every error found; empty when the policy is valid.</summary>
    public IReadOnlyList<FilterPolicyError> Errors { get; }

    /// <summary>Whether the policy is valid (and <see cref="Policy"/> is set).</summary>
    [MemberNotNullWhen(true, nameof(Policy))]
    public bool IsValid => Policy is not null;
}

/// <summary>
/// Thrown by <see cref="FilterPolicy.Compile(string, FilterPolicyScope)"/> when SNS would reject the policy.
/// </summary>
public sealed class FilterPolicyException : Exception
{
    /// <summary>Creates the exception from the errors found.</summary>
    /// <param name="errors">Every error found in the policy.</param>
    public FilterPolicyException(IReadOnlyList<FilterPolicyError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found in the policy.</summary>
    public IReadOnlyList<FilterPolicyError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<FilterPolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "Invalid SNS filter policy:" + Environment.NewLine +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e));
    }
}
