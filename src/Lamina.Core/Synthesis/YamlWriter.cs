using System.Buffers;
using System.Globalization;
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
        var sink = new Sink(null);
        try
        {
            WriteProgram(sink, program);
            return sink.ToText();
        }
        finally
        {
            sink.Release();
        }
    }

    /// <summary>Writes a whole program to <paramref name="output"/> (streams: no copy of the whole text in memory).</summary>
    public static void Write(PulumiProgram program, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sink = new Sink(output);
        try
        {
            WriteProgram(sink, program);
            sink.Flush();
        }
        finally
        {
            sink.Release();
        }
    }

    /// <summary>Writes a single value as a YAML document (for messages and tests).</summary>
    public static string WriteValue(Expr value)
    {
        var sink = new Sink(null);
        try
        {
            Entry(sink, 0, "value", value);
            return sink.ToText();
        }
        finally
        {
            sink.Release();
        }
    }

    private static void WriteProgram(Sink sb, PulumiProgram program)
    {
        sb.Append("name: ");
        PlainOrQuoted(sb, program.Name);
        sb.Append('\n');
        sb.Append("runtime: ");
        PlainOrQuoted(sb, program.Runtime);
        sb.Append('\n');
        if (program.Description is not null)
        {
            sb.Append("description: ");
            PlainOrQuoted(sb, program.Description);
            sb.Append('\n');
        }
        if (program.Config.Count > 0)
        {
            sb.Append("config:\n");
            foreach (var c in program.Config)
            {
                sb.Append("  ");
                PlainOrQuoted(sb, c.Name);
                sb.Append(":\n");
                sb.Append("    type: ");
                PlainOrQuoted(sb, c.Type);
                sb.Append('\n');
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
        var resources = program.Resources;
        if (resources.Count == 0)
        {
            sb.Append(" {}\n");
        }
        else
        {
            sb.Append('\n');
            for (var i = 0; i < resources.Count; i++)
            {
                var r = resources[i];
                sb.Append("  ");
                PlainOrQuoted(sb, r.Name);
                sb.Append(":\n");
                sb.Append("    type: ");
                PlainOrQuoted(sb, r.Type);
                sb.Append('\n');
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
    }

    private static void Entry(Sink sb, int level, string key, Expr value)
    {
        sb.Append(' ', level * 2);
        PlainOrQuoted(sb, key);
        sb.Append(':');
        Value(sb, level, value);
    }

    // Writes what follows "key:" or "-": either " scalar\n" or "\n" + nested block.
    private static void Value(Sink sb, int level, Expr value)
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
            {
                sb.Append('\n');
                var entries = obj.Entries;
                for (var i = 0; i < entries.Count; i++)
                {
                    var (k, v) = entries[i];
                    Entry(sb, level + 1, k, v);
                }
                return;
            }
            case ListExpr list:
            {
                sb.Append('\n');
                var items = list.Items;
                for (var i = 0; i < items.Count; i++)
                {
                    sb.Append(' ', (level + 1) * 2);
                    sb.Append('-');
                    ListItem(sb, level + 1, items[i]);
                }
                return;
            }
            case CallExpr call:
                sb.Append('\n');
                Entry(sb, level + 1, call.Function, call.Argument);
                return;
            default:
                sb.Append(' ');
                WriteScalar(sb, value);
                sb.Append('\n');
                return;
        }
    }

    private static void ListItem(Sink sb, int level, Expr item)
    {
        if (item is LazyExpr lazy)
        {
            ListItem(sb, level, lazy.Value);
            return;
        }
        if (item is ObjectExpr { Entries.Count: > 0 } obj)
        {
            // "- key: value" with the following keys aligned under the first.
            var entries = obj.Entries;
            for (var i = 0; i < entries.Count; i++)
            {
                var (k, v) = entries[i];
                if (i == 0)
                {
                    sb.Append(' ');
                }
                else
                {
                    sb.Append(' ', (level + 1) * 2);
                }
                PlainOrQuoted(sb, k);
                sb.Append(':');
                Value(sb, level + 1, v);
            }
            return;
        }
        if (item is CallExpr call)
        {
            sb.Append(' ');
            PlainOrQuoted(sb, call.Function);
            sb.Append(':');
            Value(sb, level + 1, call.Argument);
            return;
        }
        Value(sb, level, item);
    }

    // A scalar value, written straight into the output: no temporary string per reference, number or escaped text.
    private static void WriteScalar(Sink sb, Expr value)
    {
        switch (value)
        {
            case LiteralExpr { Value: null }:
                sb.Append("null");
                return;
            case LiteralExpr { Value: bool b }:
                sb.Append(b ? "true" : "false");
                return;
            case LiteralExpr { Value: double d }:
            {
                Span<char> digits = stackalloc char[NumberChars];
                sb.Append(digits[..FormatNumber(d, digits)]);
                return;
            }
            case LiteralExpr { Value: string s }:
                if (!s.Contains('$'))
                {
                    PlainOrQuoted(sb, s);
                    return;
                }
                break;
            case RefExpr or InterpolationExpr:
                break;
            default:
                throw new InvalidOperationException($"Cannot write {value.GetType().Name} as a scalar.");
        }
        // Text that must be composed first ("${...}", escaped '$'): built in the writer's scratch buffer.
        var scratch = sb.Scratch;
        scratch.Clear();
        switch (value)
        {
            case LiteralExpr { Value: string s }:
                AppendEscapedDollars(scratch, s);
                break;
            case RefExpr r:
                AppendReference(scratch, r);
                break;
            case InterpolationExpr i:
                AppendInterpolation(scratch, i);
                break;
        }
        PlainOrQuoted(sb, scratch.Span);
    }

    /// <summary>Renders an interpolation as Pulumi YAML text: literal parts with '$' escaped, references as <c>${...}</c>.</summary>
    public static string Interpolation(InterpolationExpr i)
    {
        var scratch = new CharBuffer(64);
        AppendInterpolation(scratch, i);
        return scratch.Span.ToString();
    }

    private static void AppendInterpolation(CharBuffer sb, InterpolationExpr i)
    {
        foreach (var p in i.Parts)
        {
            switch (p)
            {
                case string s:
                    AppendEscapedDollars(sb, s);
                    break;
                case RefExpr r:
                    AppendReference(sb, r);
                    break;
                case LiteralExpr l:
                    AppendEscapedDollars(sb, l.ToString());
                    break;
                case LazyExpr { Value: var v }:
                    if (v is LiteralExpr lv)
                    {
                        AppendEscapedDollars(sb, lv.ToString());
                    }
                    else if (v is RefExpr rv)
                    {
                        AppendReference(sb, rv);
                    }
                    else
                    {
                        throw new InvalidOperationException("Only text and references can be interpolated.");
                    }
                    break;
                default:
                    throw new InvalidOperationException("Only text and references can be interpolated into a string; use Output.Json for documents.");
            }
        }
    }

    // "${" + RefExpr.Render() + "}", without building the rendered string.
    private static void AppendReference(CharBuffer sb, RefExpr r)
    {
        sb.Append("${");
        sb.Append(r.Target.ReferenceName);
        if (r.PropertyPath is { } path)
        {
            if (!path.StartsWith('['))
            {
                sb.Append('.');
            }
            sb.Append(path);
        }
        sb.Append('}');
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
        var sb = new CharBuffer(s.Length + 4);
        AppendEscapedDollars(sb, s);
        return sb.Span.ToString();
    }

    private static void AppendEscapedDollars(CharBuffer sb, string s)
    {
        if (!s.Contains('$'))
        {
            sb.Append(s);
            return;
        }
        for (var i = 0; i < s.Length; i++)
        {
            sb.Append(s[i]);
            if (s[i] == '$' && i + 1 < s.Length && (s[i + 1] == '{' || s[i + 1] == '$'))
            {
                sb.Append('$');
            }
        }
    }

    /// <summary>Formats a number the way YAML and JSON read it back exactly.</summary>
    public static string Number(double d)
    {
        Span<char> digits = stackalloc char[NumberChars];
        return digits[..FormatNumber(d, digits)].ToString();
    }

    // Enough for "R" formatting of any double ("-1.7976931348623157E+308" is 24) and for any long.
    private const int NumberChars = 32;

    private static int FormatNumber(double d, Span<char> into)
    {
        string? word = null;
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            word = double.IsNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
        }
        else if (d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            if (((long)d).TryFormat(into, out var n, default, CultureInfo.InvariantCulture))
            {
                return n;
            }
            word = ((long)d).ToString(CultureInfo.InvariantCulture);
        }
        else if (d.TryFormat(into, out var m, "R", CultureInfo.InvariantCulture))
        {
            return m;
        }
        else
        {
            word = d.ToString("R", CultureInfo.InvariantCulture);
        }
        word.AsSpan().CopyTo(into);
        return word.Length;
    }

    /// <summary>A string as a YAML scalar: plain when that reads back as the same string, double-quoted otherwise.</summary>
    public static string Scalar(string s)
    {
        if (!NeedsQuotes(s))
        {
            return s;
        }
        // The one quoting routine the writer uses, into a sink of its own.
        var sink = new Sink(null);
        try
        {
            PlainOrQuoted(sink, s);
            return sink.ToText();
        }
        finally
        {
            sink.Release();
        }
    }

    private static void PlainOrQuoted(Sink sb, string s) => PlainOrQuoted(sb, s.AsSpan());

    // Writes the scalar plain, or quoted straight into the output.
    private static void PlainOrQuoted(Sink sb, ReadOnlySpan<char> s)
    {
        if (NeedsQuotes(s))
        {
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
                        if (IsSpecial(ch))
                        {
                            sb.Append("\\u");
                            sb.Append(Hex[(ch >> 12) & 0xf]);
                            sb.Append(Hex[(ch >> 8) & 0xf]);
                            sb.Append(Hex[(ch >> 4) & 0xf]);
                            sb.Append(Hex[ch & 0xf]);
                        }
                        else
                        {
                            sb.Append(ch);
                        }
                        break;
                }
            }
            sb.Append('"');
        }
        else
        {
            sb.Append(s);
        }
    }

    private static bool NeedsQuotes(ReadOnlySpan<char> s)
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
            if (IsSpecial(ch))
            {
                return true;
            }
        }
        return s.IndexOf(": ", StringComparison.Ordinal) >= 0 || s.IndexOf(" #", StringComparison.Ordinal) >= 0 || s[^1] == ':';
    }

    private const string Hex = "0123456789abcdef";

    private static bool IsSpecial(char ch) =>
        ch < 0x20 || ch == 0x7f || ch == '\u0085' || ch == '\u2028' || ch == '\u2029' || ch == '\ufeff';

    private static readonly string[] YamlWords = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

    private static bool IsYamlWord(ReadOnlySpan<char> s)
    {
        foreach (var w in YamlWords)
        {
            if (s.Equals(w, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A small growable character buffer (for one scalar at a time).</summary>
    private sealed class CharBuffer(int capacity)
    {
        private char[] _chars = new char[Math.Max(16, capacity)];
        private int _length;

        public ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

        public void Clear() => _length = 0;

        public void Append(char c)
        {
            if (_length == _chars.Length)
            {
                Grow(1);
            }
            _chars[_length++] = c;
        }

        public void Append(ReadOnlySpan<char> s)
        {
            if (_length + s.Length > _chars.Length)
            {
                Grow(s.Length);
            }
            s.CopyTo(_chars.AsSpan(_length));
            _length += s.Length;
        }

        private void Grow(int more) => Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + more));
    }

    /// <summary>
    /// Where the text goes: pooled chunks that grow geometrically, either written to a <see cref="TextWriter"/> as they
    /// fill (streaming) or copied once into the result string at the end. No intermediate copy of the whole text.
    /// </summary>
    private sealed class Sink(TextWriter? output)
    {
        private const int FirstChunk = 4096;
        private const int StreamChunk = 16384;
        private const int LargestChunk = 1 << 20;

        private readonly TextWriter? _output = output;
        private List<char[]>? _full;
        private char[] _chunk = ArrayPool<char>.Shared.Rent(output is null ? FirstChunk : StreamChunk);
        private int _length;
        private CharBuffer? _scratch;

        public CharBuffer Scratch => _scratch ??= new CharBuffer(128);

        public void Append(char c)
        {
            if (_length == _chunk.Length)
            {
                Spill();
            }
            _chunk[_length++] = c;
        }

        public void Append(char c, int count)
        {
            while (count > 0)
            {
                if (_length == _chunk.Length)
                {
                    Spill();
                }
                var n = Math.Min(count, _chunk.Length - _length);
                _chunk.AsSpan(_length, n).Fill(c);
                _length += n;
                count -= n;
            }
        }

        public void Append(string s) => Append(s.AsSpan());

        public void Append(ReadOnlySpan<char> s)
        {
            while (true)
            {
                var room = _chunk.Length - _length;
                if (s.Length <= room)
                {
                    s.CopyTo(_chunk.AsSpan(_length));
                    _length += s.Length;
                    return;
                }
                s[..room].CopyTo(_chunk.AsSpan(_length));
                _length = _chunk.Length;
                s = s[room..];
                Spill();
            }
        }

        // The current chunk is full: stream it, or keep it and continue in a larger one.
        private void Spill()
        {
            if (_output is not null)
            {
                _output.Write(_chunk, 0, _length);
                _length = 0;
                return;
            }
            (_full ??= new List<char[]>()).Add(_chunk);
            _chunk = ArrayPool<char>.Shared.Rent(Math.Min(LargestChunk, _chunk.Length * 2));
            _length = 0;
        }

        public void Flush()
        {
            _output?.Write(_chunk, 0, _length);
            _length = 0;
        }

        public string ToText()
        {
            if (_full is null)
            {
                return new string(_chunk, 0, _length);
            }
            var total = _length;
            foreach (var c in _full)
            {
                total += c.Length; // spilled chunks are full
            }
            return string.Create(total, this, static (span, sink) =>
            {
                var at = 0;
                foreach (var c in sink._full!)
                {
                    c.CopyTo(span[at..]);
                    at += c.Length;
                }
                sink._chunk.AsSpan(0, sink._length).CopyTo(span[at..]);
            });
        }

        public void Release()
        {
            if (_full is not null)
            {
                foreach (var c in _full)
                {
                    ArrayPool<char>.Shared.Return(c);
                }
                _full = null;
            }
            ArrayPool<char>.Shared.Return(_chunk);
            _chunk = [];
            _length = 0;
        }
    }
}
