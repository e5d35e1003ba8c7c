using System.Globalization;
using System.Text;

namespace Lamina.Testing;

/// <summary>A line diff (Myers' algorithm) printed as unified-diff hunks with a line-number gutter.</summary>
internal static class TextDiff
{
    /// <summary>The most edits searched for before giving up on a minimal diff (the middle is then shown as replaced).</summary>
    private const int MaxEdits = 4000;

    /// <summary>The most diff lines printed.</summary>
    private const int MaxLines = 400;

    internal enum Op { Equal, Delete, Insert }

    internal readonly record struct Edit(Op Op, int OldIndex, int NewIndex, string Text);

    internal sealed record Result(string Text, int Removed, int Added);

    /// <summary>
    /// The differences from <paramref name="oldText"/> to <paramref name="newText"/>: hunks headed
    /// <c>@@ -old,count +new,count @@</c>, then lines as <c>old new | -text</c> with the old and new line numbers.
    /// </summary>
    public static Result Unified(string oldText, string newText, int context = 3)
    {
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var edits = Diff(a, b);
        var removed = edits.Count(e => e.Op == Op.Delete);
        var added = edits.Count(e => e.Op == Op.Insert);
        var sb = new StringBuilder();
        var printed = 0;
        var omitted = 0;
        foreach (var (start, end) in Hunks(edits, context))
        {
            var oldStart = edits[start].OldIndex;
            var newStart = edits[start].NewIndex;
            var oldCount = 0;
            var newCount = 0;
            for (var i = start; i < end; i++)
            {
                if (edits[i].Op != Op.Insert)
                {
                    oldCount++;
                }
                if (edits[i].Op != Op.Delete)
                {
                    newCount++;
                }
            }
            var hunk = new StringBuilder();
            hunk.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart + 1},{oldCount} +{newStart + 1},{newCount} @@\n");
            for (var i = start; i < end; i++)
            {
                var e = edits[i];
                var oldNo = e.Op == Op.Insert ? "" : (e.OldIndex + 1).ToString(CultureInfo.InvariantCulture);
                var newNo = e.Op == Op.Delete ? "" : (e.NewIndex + 1).ToString(CultureInfo.InvariantCulture);
                var mark = e.Op switch { Op.Delete => '-', Op.Insert => '+', _ => ' ' };
                hunk.Append(CultureInfo.InvariantCulture, $"{oldNo,5} {newNo,5} |{mark}{e.Text}\n");
            }
            var lines = end - start + 1;
            if (omitted > 0 || (printed + lines > MaxLines && printed > 0))
            {
                omitted += lines;
                continue;
            }
            printed += lines;
            sb.Append(hunk);
        }
        if (omitted > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"… ({omitted} more diff lines not shown)\n");
        }
        return new Result(sb.ToString(), removed, added);
    }

    internal static string[] SplitLines(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        // A final newline ends the last line rather than starting an empty one.
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>The edit script turning <paramref name="a"/> into <paramref name="b"/>, every line of both in order.</summary>
    internal static List<Edit> Diff(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }
        var edits = new List<Edit>(a.Length + b.Length);
        for (var i = 0; i < prefix; i++)
        {
            edits.Add(new Edit(Op.Equal, i, i, a[i]));
        }
        var midA = a[prefix..(a.Length - suffix)];
        var midB = b[prefix..(b.Length - suffix)];
        var middle = Myers(midA, midB) ?? Replace(midA, midB);
        foreach (var e in middle)
        {
            edits.Add(e with { OldIndex = e.OldIndex + prefix, NewIndex = e.NewIndex + prefix });
        }
        for (var i = 0; i < suffix; i++)
        {
            edits.Add(new Edit(Op.Equal, a.Length - suffix + i, b.Length - suffix + i, a[a.Length - suffix + i]));
        }
        return edits;
    }

    private static List<Edit> Replace(string[] a, string[] b)
    {
        var edits = new List<Edit>(a.Length + b.Length);
        for (var i = 0; i < a.Length; i++)
        {
            edits.Add(new Edit(Op.Delete, i, 0, a[i]));
        }
        for (var j = 0; j < b.Length; j++)
        {
            edits.Add(new Edit(Op.Insert, a.Length, j, b[j]));
        }
        return Renumber(edits);
    }

    // Myers' O((N+M)D) greedy algorithm; trace[d] keeps V (for k in -d-1..d+1) as it was before round d.
    private static List<Edit>? Myers(string[] a, string[] b)
    {
        int n = a.Length, m = b.Length;
        if (n == 0 || m == 0)
        {
            return Replace(a, b);
        }
        var max = n + m;
        var offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        var found = -1;
        for (var d = 0; d <= Math.Min(max, MaxEdits); d++)
        {
            var slice = new int[2 * d + 3];
            Array.Copy(v, offset - d - 1, slice, 0, slice.Length);
            trace.Add(slice);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    found = d;
                    break;
                }
            }
            if (found >= 0)
            {
                break;
            }
        }
        if (found < 0)
        {
            return null;
        }
        var reversed = new List<Edit>(n + m);
        int cx = n, cy = m;
        for (var d = found; d >= 0; d--)
        {
            var prev = trace[d];
            int At(int k) => prev[k + d + 1];
            var k0 = cx - cy;
            var prevK = k0 == -d || (k0 != d && At(k0 - 1) < At(k0 + 1)) ? k0 + 1 : k0 - 1;
            var prevX = d == 0 ? 0 : At(prevK);
            var prevY = d == 0 ? 0 : prevX - prevK;
            while (cx > prevX && cy > prevY)
            {
                cx--;
                cy--;
                reversed.Add(new Edit(Op.Equal, cx, cy, a[cx]));
            }
            if (d > 0)
            {
                if (cx == prevX)
                {
                    cy--;
                    reversed.Add(new Edit(Op.Insert, cx, cy, b[cy]));
                }
                else
                {
                    cx--;
                    reversed.Add(new Edit(Op.Delete, cx, cy, a[cx]));
                }
            }
        }
        reversed.Reverse();
        return Renumber(reversed);
    }

    // Gives every edit the old and new line positions at which it happens (an insert's old index is the next old line).
    private static List<Edit> Renumber(List<Edit> edits)
    {
        int oi = 0, ni = 0;
        for (var i = 0; i < edits.Count; i++)
        {
            var e = edits[i];
            edits[i] = e with { OldIndex = oi, NewIndex = ni };
            if (e.Op != Op.Insert)
            {
                oi++;
            }
            if (e.Op != Op.Delete)
            {
                ni++;
            }
        }
        return edits;
    }

    private static IEnumerable<(int Start, int End)> Hunks(List<Edit> edits, int context)
    {
        var i = 0;
        while (i < edits.Count)
        {
            while (i < edits.Count && edits[i].Op == Op.Equal)
            {
                i++;
            }
            if (i >= edits.Count)
            {
                yield break;
            }
            var start = Math.Max(0, i - context);
            var end = i;
            // Extend while the next change is within 2*context unchanged lines.
            while (true)
            {
                while (end < edits.Count && edits[end].Op != Op.Equal)
                {
                    end++;
                }
                var run = 0;
                while (end + run < edits.Count && edits[end + run].Op == Op.Equal)
                {
                    run++;
                }
                if (end + run < edits.Count && run <= 2 * context)
                {
                    end += run;
                    continue;
                }
                end = Math.Min(edits.Count, end + context);
                break;
            }
            yield return (start, end);
            i = end;
        }
    }
}
