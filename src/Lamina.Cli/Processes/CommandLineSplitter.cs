using System.Text;

namespace Lamina.Cli.Processes;

/// <summary>
/// Splits a command line into arguments the way a POSIX shell splits words, without running a shell (like Python's
/// <c>shlex.split</c>): blanks separate words; <c>'single quotes'</c> keep everything literally; <c>"double quotes"</c>
/// keep everything except the escapes <c>\"</c>, <c>\\</c>, <c>\$</c>, <c>\`</c> and a backslash-newline; outside quotes
/// a backslash keeps the next character literally and a backslash-newline joins lines; quoted and unquoted parts that
/// touch form one word (<c>--name='a b'</c>); <c>''</c> is an empty argument; a <c>#</c> that starts a word starts a
/// comment that runs to the end of the line.
/// </summary>
/// <remarks>
/// What needs a shell is refused with a <see cref="FormatException"/> instead of being passed on literally: unquoted
/// <c>| &amp; ; &lt; &gt; ( )</c>, and <c>$</c> or <c>`</c> outside single quotes (expansions). Tildes and globs are
/// not expanded.
/// </remarks>
public static class CommandLineSplitter
{
    private const string ShellOperators = "|&;<>()";

    /// <summary>Splits <paramref name="commandLine"/> into arguments.</summary>
    /// <exception cref="FormatException">An unterminated quote, a trailing backslash, or a construct that needs a shell.</exception>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var s = commandLine;
        var args = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                if (inWord)
                {
                    args.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
                i++;
                continue;
            }
            if (c == '#' && !inWord)
            {
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }
                continue;
            }
            switch (c)
            {
                case '\'':
                {
                    var end = s.IndexOf('\'', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"unterminated single quote at position {i} in: {s}");
                    }
                    word.Append(s, i + 1, end - i - 1);
                    inWord = true;
                    i = end + 1;
                    break;
                }
                case '"':
                {
                    var start = i;
                    i++;
                    while (true)
                    {
                        if (i >= s.Length)
                        {
                            throw new FormatException($"unterminated double quote at position {start} in: {s}");
                        }
                        var d = s[i];
                        if (d == '"')
                        {
                            i++;
                            break;
                        }
                        if (d == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                        {
                            if (s[i + 1] != '\n')
                            {
                                word.Append(s[i + 1]);
                            }
                            i += 2;
                            continue;
                        }
                        if (d is '$' or '`')
                        {
                            throw Unsupported(d, i, s, "expansions need a shell; quote it with single quotes or escape it");
                        }
                        word.Append(d);
                        i++;
                    }
                    inWord = true;
                    break;
                }
                case '\\':
                    if (i + 1 >= s.Length)
                    {
                        throw new FormatException($"trailing backslash at position {i} in: {s}");
                    }
                    if (s[i + 1] == '\n')
                    {
                        i += 2; // line continuation: not part of any word
                    }
                    else if (s[i + 1] == '\r' && i + 2 < s.Length && s[i + 2] == '\n')
                    {
                        i += 3;
                    }
                    else
                    {
                        word.Append(s[i + 1]);
                        inWord = true;
                        i += 2;
                    }
                    break;
                case '$' or '`':
                    throw Unsupported(c, i, s, "expansions need a shell; quote it with single quotes or escape it");
                default:
                    if (ShellOperators.Contains(c))
                    {
                        throw Unsupported(c, i, s, "lamina runs the command without a shell; quote it if it is part of an argument");
                    }
                    word.Append(c);
                    inWord = true;
                    i++;
                    break;
            }
        }
        if (inWord)
        {
            args.Add(word.ToString());
        }
        return args;
    }

    /// <summary>Quotes one argument so that <see cref="Split"/> (and a POSIX shell) reads it back unchanged.</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && argument.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./=:,+@%".Contains(ch)))
        {
            return argument;
        }
        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Joins arguments into one command line with <see cref="Quote"/>.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(Quote));

    private static FormatException Unsupported(char c, int position, string s, string hint) =>
        new($"'{c}' at position {position} is not supported ({hint}) in: {s}");
}
