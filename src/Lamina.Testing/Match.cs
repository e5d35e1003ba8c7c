using System.Text.RegularExpressions;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Testing;

/// <summary>
/// Matchers for <see cref="Template"/> assertions, as the AWS CDK's <c>Match</c>. Wherever a matcher is accepted, a
/// plain value works too: dictionaries (or anonymous objects) match objects, lists match arrays item by item,
/// scalars match exactly, and Lamina values match their reference text (<c>queue.Arn</c> matches <c>"${Queue.arn}"</c>).
/// Plain objects inside <see cref="ObjectLike"/>, <see cref="ArrayWith"/>, <see cref="Json"/> and the template
/// assertions are matched object-like (extra keys allowed, at any depth); inside <see cref="ObjectEquals"/>,
/// <see cref="ArrayEquals"/> and <see cref="Exact"/> they must be equal.
/// </summary>
public static class Match
{
    /// <summary>An object holding at least the given keys, each matching (deeply, objects may hold more keys).</summary>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is not object-like.</exception>
    public static Matcher ObjectLike(object pattern) => RequireObject(Matcher.From(pattern, partial: true), nameof(ObjectLike));

    /// <summary>An object with exactly the given keys, each equal (deeply, unless a nested matcher says otherwise).</summary>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is not object-like.</exception>
    public static Matcher ObjectEquals(object pattern) => RequireObject(Matcher.From(pattern, partial: false), nameof(ObjectEquals));

    /// <summary>
    /// An array containing the given items in this order, possibly with other items before, between and after them.
    /// Plain objects among <paramref name="items"/> match object-like.
    /// </summary>
    public static Matcher ArrayWith(params object?[] items) =>
        new ArrayMatcher(items.Select(i => Matcher.From(i, partial: true)).ToList(), subsequence: true, "arrayWith");

    /// <summary>An array of exactly the given items, in this order (each equal unless it is a matcher).</summary>
    public static Matcher ArrayEquals(params object?[] items) =>
        new ArrayMatcher(items.Select(i => Matcher.From(i, partial: false)).ToList(), subsequence: false, "arrayEquals");

    /// <summary>Any present value that is not null.</summary>
    public static Matcher AnyValue() => new AnyValueMatcher();

    /// <summary>A key that is not set.</summary>
    public static Matcher Absent() => new AbsentMatcher();

    /// <summary>
    /// A string matching a pattern where <c>*</c> stands for any run of characters (possibly empty) and everything
    /// else is literal; the whole string must match: <c>StringLike("arn:aws:sqs:*")</c>.
    /// </summary>
    public static Matcher StringLike(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = new Regex("^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return new StringLikeMatcher(regex, "'" + pattern + "'");
    }

    /// <summary>A string in which <paramref name="regex"/> finds a match (anchor it with <c>^…$</c> for a whole-string match).</summary>
    public static Matcher StringLike(Regex regex)
    {
        ArgumentNullException.ThrowIfNull(regex);
        return new StringLikeMatcher(regex, "/" + regex + "/");
    }

    /// <summary>A string in which the regular expression <paramref name="pattern"/> finds a match (unanchored, as the CDK's <c>stringLikeRegexp</c>).</summary>
    public static Matcher StringLikeRegexp(string pattern) => StringLike(new Regex(pattern, RegexOptions.CultureInvariant));

    /// <summary>A string in which <paramref name="regex"/> finds a match.</summary>
    public static Matcher StringLikeRegexp(Regex regex) => StringLike(regex);

    /// <summary>Exactly <paramref name="value"/>: objects with no other keys, at any depth (nested matchers still apply).</summary>
    public static Matcher Exact(object? value) => Matcher.From(value, partial: false);

    /// <summary>Anything that does not match <paramref name="pattern"/> (a matcher or a plain value, matched object-like).</summary>
    public static Matcher Not(object? pattern) => new NotMatcher(Matcher.From(pattern, partial: true));

    /// <summary>
    /// A JSON document matching <paramref name="pattern"/>: the argument of an <c>fn::toJSON</c> call (what
    /// <c>Output.Json</c> produces, such as an IAM policy), or a string holding JSON, which is parsed. Failure paths
    /// go through <c>fn::toJSON</c>, or through <c>&lt;json&gt;</c> for a parsed string.
    /// </summary>
    public static Matcher Json(object? pattern) => new JsonDocumentMatcher(Matcher.From(pattern, partial: true));

    /// <summary>The reference to <paramref name="resource"/>'s output <paramref name="property"/> (<c>"${Queue.arn}"</c>), or to the whole resource (<c>"${Queue}"</c>) when it is null.</summary>
    public static Matcher Reference(Resource resource, string? property = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var reference = new RefExpr(resource, property);
        return new ReferenceMatcher("${" + reference.Render() + "}", reference.Describe());
    }

    private static Matcher RequireObject(Matcher m, string name) => m is ObjectMatcher
        ? m
        : throw new ArgumentException($"Match.{name} needs a dictionary, an anonymous object or a JSON object, not {m.Describe()}.");
}
