using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// The pattern of a <c>StringMatches</c> choice rule: <c>*</c> matches any run of characters (including none);
/// <c>\*</c> is a literal asterisk and <c>\\</c> a literal backslash.
/// </summary>
internal sealed class StringMatchPattern
{
    private readonly string[] _parts; // literal text between wildcards; N parts means N-1 wildcards

    private StringMatchPattern(string[] parts) => _parts = parts;

    internal static bool TryParse(string pattern, [NotNullWhen(true)] out StringMatchPattern? result, out string? error)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '\\'))
                {
                    result = null;
                    error = "a backslash must be followed by '*' or '\\'";
                    return false;
                }

                current.Append(pattern[++i]);
            }
            else if (c == '*')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        result = new StringMatchPattern([.. parts]);
        error = null;
        return true;
    }

    internal bool IsMatch(string text)
    {
        if (_parts.Length == 1)
        {
            return string.Equals(text, _parts[0], StringComparison.Ordinal);
        }

        var first = _parts[0];
        var last = _parts[^1];
        if (text.Length < first.Length + last.Length
            || !text.StartsWith(first, StringComparison.Ordinal)
            || !text.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        var position = first.Length;
        var limit = text.Length - last.Length;
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var part = _parts[i];
            if (part.Length == 0)
            {
                continue;
            }

            var found = text.IndexOf(part, position, limit - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + part.Length;
        }

        return true;
    }
}
