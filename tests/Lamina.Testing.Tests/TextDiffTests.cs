namespace Lamina.Testing.Tests;

public class TextDiffTests
{
    [Fact]
    public void A_changed_line_gives_one_hunk_with_line_numbers()
    {
        var d = TextDiff.Unified("a\nb\nc\n", "a\nB\nc\n");
        Assert.Equal(1, d.Removed);
        Assert.Equal(1, d.Added);
        Assert.Equal(
            "@@ -1,3 +1,3 @@\n" +
            "    1     1 | a\n" +
            "    2       |-b\n" +
            "          2 |+B\n" +
            "    3     3 | c\n", d.Text);
    }

    [Fact]
    public void Distant_changes_give_separate_hunks_with_limited_context()
    {
        var old = Enumerable.Range(1, 40).Select(i => $"line {i}").ToList();
        var @new = old.ToList();
        @new[4] = "changed 5";
        @new.RemoveAt(30); // "line 31"
        var d = TextDiff.Unified(string.Join("\n", old) + "\n", string.Join("\n", @new) + "\n", context: 2);
        var headers = d.Text.Split('\n').Where(l => l.StartsWith("@@", StringComparison.Ordinal)).ToList();
        Assert.Equal(["@@ -3,5 +3,5 @@", "@@ -29,5 +29,4 @@"], headers);
        Assert.DoesNotContain("line 20", d.Text);
        Assert.Equal(2, d.Removed);
        Assert.Equal(1, d.Added);
    }

    [Fact]
    public void Close_changes_share_a_hunk()
    {
        var d = TextDiff.Unified("1\n2\n3\n4\n5\n6\n7\n8\n", "1\nX\n3\n4\n5\nY\n7\n8\n", context: 2);
        Assert.Single(d.Text.Split('\n'), l => l.StartsWith("@@", StringComparison.Ordinal));
    }

    [Fact]
    public void The_edit_script_is_minimal_and_rebuilds_both_texts()
    {
        var random = new Random(1234);
        for (var round = 0; round < 200; round++)
        {
            var a = Enumerable.Range(0, random.Next(0, 30)).Select(_ => ((char)('a' + random.Next(4))).ToString()).ToArray();
            var b = Enumerable.Range(0, random.Next(0, 30)).Select(_ => ((char)('a' + random.Next(4))).ToString()).ToArray();
            var edits = TextDiff.Diff(a, b);
            Assert.Equal(a, edits.Where(e => e.Op != TextDiff.Op.Insert).Select(e => e.Text));
            Assert.Equal(b, edits.Where(e => e.Op != TextDiff.Op.Delete).Select(e => e.Text));
            Assert.Equal(a.Length + b.Length - 2 * Lcs(a, b), edits.Count(e => e.Op != TextDiff.Op.Equal));
        }
    }

    [Fact]
    public void Identical_texts_give_no_hunks()
    {
        var d = TextDiff.Unified("a\nb\n", "a\nb\n");
        Assert.Equal("", d.Text);
        Assert.Equal(0, d.Added + d.Removed);
    }

    private static int Lcs(string[] a, string[] b)
    {
        var t = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                t[i, j] = a[i - 1] == b[j - 1] ? t[i - 1, j - 1] + 1 : Math.Max(t[i - 1, j], t[i, j - 1]);
            }
        }
        return t[a.Length, b.Length];
    }
}
