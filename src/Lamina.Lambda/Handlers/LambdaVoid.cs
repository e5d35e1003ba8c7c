using System.Text.Json.Serialization;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda;

/// <summary>
/// The result of a handler that returns nothing (SNS, S3, scheduled events). It serializes as JSON <c>null</c>,
/// which is what Lambda records as the result of a function that returns no value.
/// </summary>
/// <example>
/// <code>
/// public Task&lt;LambdaVoid&gt; HandleAsync(SnsEvent input, ILambdaContext context) =&gt; LambdaVoid.Completed;
/// </code>
/// </example>
[JsonConverter(typeof(LambdaVoidJsonConverter))]
public readonly struct LambdaVoid : IEquatable<LambdaVoid>
{
    /// <summary>The only value.</summary>
    public static LambdaVoid Value => default;

    /// <summary>A completed task holding <see cref="Value"/>, to return from synchronous handlers.</summary>
    public static Task<LambdaVoid> Completed { get; } = Task.FromResult(default(LambdaVoid));

    /// <inheritdoc />
    public bool Equals(LambdaVoid other) => true;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is LambdaVoid;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    /// <inheritdoc />
    public override string ToString() => "null";

    /// <summary>Always true: all values are equal.</summary>
    public static bool operator ==(LambdaVoid left, LambdaVoid right) => true;

    /// <summary>Always false: all values are equal.</summary>
    public static bool operator !=(LambdaVoid left, LambdaVoid right) => false;
}
