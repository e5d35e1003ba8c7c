namespace Lamina.Configuration;

/// <summary>
/// A small reader for the simple YAML of Pulumi project and stack files (top-level <c>key: scalar</c> entries and a
/// <c>config:</c> mapping of scalars or <c>secure:</c> values), so that synthesis does not load a full YAML parser at
/// start-up. Anything else (nested values, anchors, block scalars, flow collections) makes it give up and returns null;
/// callers then use YamlDotNet.
/// </summary>
internal static class SimpleYaml
{
    /// <summary>The top-level scalars and the config entries, or null when the text is not simple enough.</summary>
    public static (Dictionary<string, string> TopLevel, Dictionary<string, ConfigEntry> Config)? Read(string text)
    {
        var top = new Dictionary<string, string>(StringComparer.Ordinal);
        var config = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        string? section = null;
        string? pendingKey = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = StripComment(raw);
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var indent = line.Length - line.TrimStart(' ').Length;
            if (line.Contains('\t') || line.TrimStart().StartsWith('-') || line.Contains('&') || line.Contains('*') && !line.Contains('"'))
            {
                return null;
            }
            var (key, value) = SplitEntry(line.Trim());
            if (key is null)
            {
                return null;
            }
            if (indent == 0)
            {
                pendingKey = null;
                section = null;
                if (value.Length == 0)
                {
                    section = key;
                }
                else
                {
                    var v = Scalar(value);
                    if (v is null) return null;
                    top[key] = v;
                }
            }
            else if (section == "config" && indent == 2)
            {
                if (value.Length == 0)
                {
                    pendingKey = key;
                }
                else
                {
                    var v = Scalar(value);
                    if (v is null) return null;
                    config[key] = new ConfigEntry(v, false);
                    pendingKey = null;
                }
            }
            else if (section == "config" && indent == 4 && pendingKey is not null && key == "secure")
            {
                config[pendingKey] = new ConfigEntry(null, true);
                pendingKey = null;
            }
            else if (section is not null and not "config")
            {
                continue; // other sections (runtime options, ...) are not needed here
            }
            else
            {
                return null;
            }
        }
        return pendingKey is null ? (top, config) : null;
    }

    private static string StripComment(string line)
    {
        var inSingle = false;
        var inDouble = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'' && !inDouble) inSingle = !inSingle;
            else if (c == '"' && !inSingle) inDouble = !inDouble;
            else if (c == '#' && !inSingle && !inDouble && (i == 0 || line[i - 1] == ' ')) return line[..i].TrimEnd();
        }
        return line.TrimEnd();
    }

    private static (string? Key, string Value) SplitEntry(string s)
    {
        var colon = s.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            return s.EndsWith(':') ? (s[..^1], "") : (null, "");
        }
        return (s[..colon], s[(colon + 2)..].Trim());
    }

    private static string? Scalar(string v)
    {
        if (v.Length >= 2 && v[0] == '"' && v[^1] == '"')
        {
            var inner = v[1..^1];
            return inner.Contains('\\') ? null : inner;
        }
        if (v.Length >= 2 && v[0] == '\'' && v[^1] == '\'')
        {
            return v[1..^1].Replace("''", "'");
        }
        if (v[0] is '[' or '{' or '|' or '>' or '!' or '&' or '*')
        {
            return null;
        }
        return v;
    }
}
