using System.Globalization;
using System.Text;
using Lamina.Values;

namespace Lamina.Synthesis;

/// <summary>
/// Writes a <see cref="PulumiProgram"/> as YAML: block style, two-space indentation, '\n' line ends, strings quoted
/// whenever a YAML 1.1 or 1.2 reader could take them for anything but a string. The same program always gives the
/// same bytes.
/// </summary>
public static class YamlWriter
{
    /// <summary>Writes a whole program.</summary>
    public static string Write(PulumiProgram program)
    {
        var writer = new StringWriter(new StringBuilder(4096 + program.Resources.Count * 700), System.Globalization.CultureInfo.InvariantCulture);
        Write(program, writer);
        return writer.ToString();
    }

    /// <summary>Writes a whole program to <paramref name="output"/> (streams: no copy of the whole text in memory).</summary>
    public static void Write(PulumiProgram program, TextWriter output)
    {
        var sb = new StringBuilder(8192);
        void Flush()
        {
            if (sb.Length > 4096)
            {
                output.Write(sb);
                sb.Clear();
            }
        }
        sb.Append("name: ").Append(Scalar(program.Name)).Append('\n');
        sb.Append("runtime: ").Append(Scalar(program.Runtime)).Append('\n');
        if (program.Description is not null)
        {
            sb.Append("description: ").Append(Scalar(program.Description)).Append('\n');
        }
        if (program.Config.Count > 0)
        {
            sb.Append("config:\n");
            foreach (var c in program.Config)
            {
                sb.Append("  ").Append(Key(c.Name)).Append(":\n");
                sb.Append("    type: ").Append(Scalar(c.Type)).Append('\n');
                if (c.Secret)
                {
                    sb.Append("    secret: true\n");
                }
            }
        }
        if (program.Variables.Count > 0)
        {
            sb.Append("variables:\n");
            foreach (var (k, v) in program.Variables)
            {
                Entry(sb, 1, k, v);
            }
        }
        sb.Append("resources:");
        if (program.Resources.Count == 0)
        {
            sb.Append(" {}\n");
        }
        else
        {
            sb.Append('\n');
            foreach (var r in program.Resources)
            {
                Flush();
                sb.Append("  ").Append(Key(r.Name)).Append(":\n");
                sb.Append("    type: ").Append(Scalar(r.Type)).Append('\n');
                if (r.Properties.Entries.Count > 0)
                {
                    Entry(sb, 2, "properties", r.Properties);
                }
                if (r.Options is { Entries.Count: > 0 })
                {
                    Entry(sb, 2, "options", r.Options);
                }
            }
        }
        if (program.Outputs.Count > 0)
        {
            sb.Append("outputs:\n");
            foreach (var (k, v) in program.Outputs)
            {
                Entry(sb, 1, k, v);
            }
        }
        output.Write(sb);
    }

    /// <summary>Writes a single value as a YAML document (for messages and tests).</summary>
    public static string WriteValue(Expr value)
    {
        var sb = new StringBuilder();
        Entry(sb, 0, "value", value);
        return sb.ToString();
    }

    private static void Indent(StringBuilder sb, int level) => sb.Append(' ', level * 2);

    private static void Entry(StringBuilder sb, int level, string key, Expr value)
    {
        Indent(sb, level);
        sb.Append(Key(key)).Append(':');
        Value(sb, level, value);
    }

    // Writes what follows "key:" or "-": either " scalar\n" or "\n" + nested block.
    private static void Value(StringBuilder sb, int level, Expr value)
    {
        switch (value)
        {
            case LazyExpr lazy:
                Value(sb, level, lazy.Value);
                return;
            case ObjectExpr { Entries.Count: 0 }:
                sb.Append(" {}\n");
                return;
            case ListExpr { Items.Count: 0 }:
                sb.Append(" []\n");
                return;
            case ObjectExpr obj:
                sb.Append('\n');
                foreach (var (k, v) in obj.Entries)
                {
                    Entry(sb, level + 1, k, v);
                }
                return;
            case ListExpr list:
                sb.Append('\n');
                foreach (var item in list.Items)
                {
                    Indent(sb, level + 1);
                    sb.Append('-');
                    ListItem(sb, level + 1, item);
                }
                return;
            case CallExpr call:
                sb.Append('\n');
                Entry(sb, level + 1, call.Function, call.Argument);
                return;
            default:
                sb.Append(' ').Append(ScalarOf(value)).Append('\n');
                return;
        }
    }

    private static void ListItem(StringBuilder sb, int level, Expr item)
    {
        if (item is LazyExpr lazy)
        {
            ListItem(sb, level, lazy.Value);
            return;
        }
        if (item is ObjectExpr { Entries.Count: > 0 } obj)
        {
            // "- key: value" with the following keys aligned under the first.
            var first = true;
            foreach (var (k, v) in obj.Entries)
            {
                if (first)
                {
                    sb.Append(' ').Append(Key(k)).Append(':');
                    first = false;
                }
                else
                {
                    Indent(sb, level + 1);
                    sb.Append(Key(k)).Append(':');
                }
                Value(sb, level + 1, v);
            }
            return;
        }
        if (item is CallExpr call)
        {
            sb.Append(' ').Append(Key(call.Function)).Append(':');
            Value(sb, level + 1, call.Argument);
            return;
        }
        Value(sb, level, item);
    }

    private static string ScalarOf(Expr value) => value switch
    {
        LiteralExpr { Value: null } => "null",
        LiteralExpr { Value: bool b } => b ? "true" : "false",
        LiteralExpr { Value: double d } => Number(d),
        LiteralExpr { Value: string s } => Scalar(EscapeDollars(s)),
        RefExpr r => Scalar("${" + r.Render() + "}"),
        InterpolationExpr i => Scalar(Interpolation(i)),
        _ => throw new InvalidOperationException($"Cannot write {value.GetType().Name} as a scalar."),
    };

    /// <summary>Renders an interpolation as Pulumi YAML text: literal parts with '$' escaped, references as <c>${...}</c>.</summary>
    public static string Interpolation(InterpolationExpr i)
    {
        var sb = new StringBuilder();
        foreach (var p in i.Parts)
        {
            switch (p)
            {
                case string s:
                    sb.Append(EscapeDollars(s));
                    break;
                case RefExpr r:
                    sb.Append("${").Append(r.Render()).Append('}');
                    break;
                case LiteralExpr l:
                    sb.Append(EscapeDollars(l.ToString()));
                    break;
                case LazyExpr { Value: var v }:
                    sb.Append(v is LiteralExpr lv ? EscapeDollars(lv.ToString()) : v is RefExpr rv ? "${" + rv.Render() + "}" : throw new InvalidOperationException("Only text and references can be interpolated."));
                    break;
                default:
                    throw new InvalidOperationException("Only text and references can be interpolated into a string; use Output.Json for documents.");
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Escapes literal text for Pulumi YAML, where "${" starts an interpolation and "$$" stands for "$":
    /// a '$' followed by '{' or '$' is doubled.
    /// </summary>
    public static string EscapeDollars(string s)
    {
        if (!s.Contains('$'))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length + 4);
        for (var i = 0; i < s.Length; i++)
        {
            sb.Append(s[i]);
            if (s[i] == '$' && i + 1 < s.Length && (s[i + 1] == '{' || s[i + 1] == '$'))
            {
                sb.Append('$');
            }
        }
        return sb.ToString();
    }

    /// <summary>Formats a number the way YAML and JSON read it back exactly.</summary>
    public static string Number(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return double.IsNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
        }
        if (d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            return ((long)d).ToString(CultureInfo.InvariantCulture);
        }
        return d.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Key(string key) => Scalar(key);

    /// <summary>A string as a YAML scalar: plain when that reads back as the same string, double-quoted otherwise.</summary>
    public static string Scalar(string s) => NeedsQuotes(s) ? Quote(s) : s;

    private static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || s[0] == ' ' || s[^1] == ' ')
        {
            return true;
        }
        var c0 = s[0];
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(c0))
        {
            // "-" alone or "- x", "? ", ": " are indicators; be conservative and quote anything starting with one,
            // except a '-' followed by a letter (e.g. "-x" is not special) - still quote: cheap and safe.
            return true;
        }
        if (char.IsDigit(c0) || c0 == '+' || c0 == '.' || c0 == '~')
        {
            return true; // numbers, dates, times, octals, sexagesimals in YAML 1.1
        }
        if (s.Length <= 5 && IsYamlWord(s))
        {
            return true;
        }
        foreach (var ch in s)
        {
            if (ch < 0x20 || ch == 0x7f || ch == '\u0085' || ch == '\u2028' || ch == '\u2029' || ch == '\ufeff')
            {
                return true;
            }
        }
        return s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal) || s.EndsWith(':');
    }

    private static readonly string[] YamlWords = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

    private static bool IsYamlWord(string s)
    {
        foreach (var w in YamlWords)
        {
            if (string.Equals(s, w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (ch < 0x20 || ch == 0x7f || ch == '\u0085' || ch == '\u2028' || ch == '\u2029' || ch == '\ufeff')
                    {
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(ch);
                    }
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}
