using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Lamina.Values;

/// <summary>
/// A value known only when Pulumi deploys the program: an output property of a resource
/// (<c>function.Arn</c>), a config value, or a string built from such values. Use it as an input of other
/// resources; it renders as a <c>${...}</c> interpolation.
/// </summary>
/// <remarks>
/// An output has no text at synthesis time. Turning it into a string (<c>ToString()</c>, string concatenation,
/// a plain <c>$"..."</c> string) is a mistake that Lamina detects: the result carries a marker, and synthesis reports
/// the construct path and property where the marker ended up. Use <see cref="Output.Format"/> instead.
/// </remarks>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class Output<T> : IInput
{
    private readonly Expr _expr;

    /// <summary>Wraps a program node.</summary>
    public Output(Expr expr) => _expr = expr;

    /// <inheritdoc />
    public Expr ToExpr() => _expr;

    /// <summary>An output property below this one (for object-typed outputs): <c>endpoint.Property&lt;string&gt;("address")</c>.</summary>
    public Output<TProperty> Property<TProperty>(string name) => _expr is RefExpr r
        ? new(new RefExpr(r.Target, r.PropertyPath is null ? name : $"{r.PropertyPath}.{name}"))
        : throw new InvalidOperationException("Only a direct output of a resource can be navigated.");

    /// <summary>The item at <paramref name="index"/> of a list-typed output.</summary>
    public Output<TItem> Index<TItem>(int index) => _expr is RefExpr r
        ? new(new RefExpr(r.Target, $"{r.PropertyPath}[{index.ToString(CultureInfo.InvariantCulture)}]"))
        : throw new InvalidOperationException("Only a direct output of a resource can be indexed.");

    /// <summary>
    /// Misuse guard: returns a marker that synthesis reports as an error wherever it ends up.
    /// Build strings from outputs with <see cref="Output.Format"/>.
    /// </summary>
    public override string ToString() => ReferenceText.Token(_expr);
}

/// <summary>Builds values from outputs.</summary>
public static class Output
{
    /// <summary>
    /// An interpolated string that may contain outputs: <c>Output.Format($"{bucket.Arn}/uploads/*")</c>
    /// renders as <c>${Bucket.arn}/uploads/*</c>.
    /// </summary>
    public static Output<string> Format(ref FormatHandler text) => new(text.Build());

    /// <summary>
    /// A JSON document that may contain outputs (an IAM policy, a state-machine definition). Renders as
    /// <c>fn::toJSON</c> so Pulumi fills the outputs in. Accepts dictionaries (order kept), lists, scalars and outputs.
    /// </summary>
    public static Output<string> Json(object? document) => new(new CallExpr("fn::toJSON", Expr.From(document)));

    /// <summary>Marks a value secret (<c>fn::secret</c>): Pulumi encrypts it in state and hides it in output.</summary>
    public static Output<T> Secret<T>(Input<T> value) => new(new CallExpr("fn::secret", value.ToExpr()));

    /// <summary>A value produced at synthesis time (after every construct is configured).</summary>
    public static Output<T> Lazy<T>(Func<Input<T>> produce) => new(new LazyExpr(() => produce().ToExpr()));

    /// <summary>The Pulumi stack name (<c>${pulumi.stack}</c>).</summary>
    public static Output<string> StackName { get; } = new(new RefExpr(PulumiBuiltin.Instance, "stack"));

    /// <summary>The Pulumi project name (<c>${pulumi.project}</c>).</summary>
    public static Output<string> ProjectName { get; } = new(new RefExpr(PulumiBuiltin.Instance, "project"));

    /// <summary>Collects the parts of <see cref="Format"/>; outputs become references, everything else text.</summary>
    [InterpolatedStringHandler]
    public ref struct FormatHandler
    {
        private readonly List<object> _parts;

        /// <summary>Called by the compiler.</summary>
        public FormatHandler(int literalLength, int formattedCount)
        {
            _parts = new List<object>(formattedCount * 2 + 1);
        }

        /// <summary>Called by the compiler for literal text.</summary>
        public readonly void AppendLiteral(string text) => _parts.Add(text);

        /// <summary>Called by the compiler for each hole.</summary>
        public readonly void AppendFormatted<TValue>(TValue value)
        {
            switch (value)
            {
                case IInput input:
                    _parts.Add(input.ToExpr());
                    break;
                case IFormattable f:
                    _parts.Add(f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    _parts.Add(value?.ToString() ?? "");
                    break;
            }
        }

        /// <summary>Called by the compiler for each hole with a format.</summary>
        public readonly void AppendFormatted<TValue>(TValue value, string? format)
        {
            if (value is IFormattable f && value is not IInput)
            {
                _parts.Add(f.ToString(format, CultureInfo.InvariantCulture));
            }
            else
            {
                AppendFormatted(value);
            }
        }

        internal readonly Expr Build()
        {
            var e = new InterpolationExpr(_parts);
            return e.Parts.Count == 1 && e.Parts[0] is Expr only ? only : e.Parts.Count == 1 && e.Parts[0] is string s ? Expr.Of(s) : e;
        }
    }
}

/// <summary>The <c>pulumi</c> built-in variable (<c>${pulumi.stack}</c>, <c>${pulumi.project}</c>).</summary>
public sealed class PulumiBuiltin : IReferenceTarget
{
    /// <summary>The single instance.</summary>
    public static readonly PulumiBuiltin Instance = new();

    private PulumiBuiltin()
    {
    }

    /// <inheritdoc />
    public string ReferenceName => "pulumi";

    /// <inheritdoc />
    public Construct? Owner => null;
}

/// <summary>
/// The marker an output turns into when it is used as text. Synthesis finds it in literal strings and reports
/// the misuse with the construct path and property.
/// </summary>
public static class ReferenceText
{
    /// <summary>The start of the marker.</summary>
    public const string Start = "\u27e6lamina-ref:";

    /// <summary>The end of the marker.</summary>
    public const string End = "\u27e7";

    /// <summary>The marker for a value.</summary>
    public static string Token(Expr expr)
    {
        var what = expr switch
        {
            RefExpr r => r.Describe(),
            InterpolationExpr i => string.Concat(i.Parts.Select(p => p is RefExpr r ? "{" + r.Describe() + "}" : p as string ?? "{...}")),
            CallExpr c => c.Function,
            _ => "a value",
        };
        return Start + what + End;
    }

    /// <summary>Finds misused references in <paramref name="text"/>: each returned item names the reference.</summary>
    public static IEnumerable<string> FindMisuses(string text)
    {
        var at = 0;
        while ((at = text.IndexOf(Start, at, StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf(End, at, StringComparison.Ordinal);
            if (end < 0)
            {
                yield return text[(at + Start.Length)..];
                yield break;
            }
            yield return text[(at + Start.Length)..end];
            at = end + End.Length;
        }
    }

    internal static bool Contains(string text) => text.Contains(Start, StringComparison.Ordinal);

    internal static string Describe(string text)
    {
        var sb = new StringBuilder();
        foreach (var m in FindMisuses(text))
        {
            sb.Append(sb.Length == 0 ? "" : ", ").Append(m);
        }
        return sb.ToString();
    }
}
