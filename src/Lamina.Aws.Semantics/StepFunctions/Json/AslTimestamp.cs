using System.Globalization;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// Timestamps as the States Language defines them: an RFC 3339 profile of ISO 8601 with an uppercase
/// <c>T</c> between date and time and either an uppercase <c>Z</c> or a numeric offset.
/// </summary>
public static class AslTimestamp
{
    /// <summary>Parses a States Language timestamp such as <c>2016-03-14T01:59:00Z</c>.</summary>
    /// <param name="text">The candidate text.</param>
    /// <param name="value">The parsed instant.</param>
    /// <returns>True when <paramref name="text"/> is a valid timestamp.</returns>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length < 20)
        {
            return false;
        }

        var s = text.AsSpan();
        // yyyy-MM-ddTHH:mm:ss
        if (!Digits(s, 0, 4) || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' || !Digits(s, 8, 2) || s[10] != 'T'
            || !Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2) || s[16] != ':' || !Digits(s, 17, 2))
        {
            return false;
        }

        var pos = 19;
        long fractionTicks = 0;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            var start = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }

            if (pos == start)
            {
                return false;
            }

            var fraction = s[start..pos];
            var scale = 1_000_000L;
            for (var i = 0; i < fraction.Length && i < 7; i++)
            {
                fractionTicks += (fraction[i] - '0') * scale;
                scale /= 10;
            }
        }

        if (pos >= s.Length)
        {
            return false;
        }

        TimeSpan offset;
        if (s[pos] == 'Z')
        {
            offset = TimeSpan.Zero;
            pos++;
        }
        else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.Length && Digits(s, pos + 1, 2) && s[pos + 3] == ':' && Digits(s, pos + 4, 2))
        {
            var hours = Number(s, pos + 1, 2);
            var minutes = Number(s, pos + 4, 2);
            if (hours > 23 || minutes > 59)
            {
                return false;
            }

            offset = new TimeSpan(hours, minutes, 0);
            if (s[pos] == '-')
            {
                offset = -offset;
            }

            pos += 6;
        }
        else
        {
            return false;
        }

        if (pos != s.Length)
        {
            return false;
        }

        var year = Number(s, 0, 4);
        var month = Number(s, 5, 2);
        var day = Number(s, 8, 2);
        var hour = Number(s, 11, 2);
        var minute = Number(s, 14, 2);
        var second = Number(s, 17, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(fractionTicks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Formats an instant the way Step Functions writes timestamps: UTC with milliseconds, e.g. <c>2019-03-26T20:14:13.192Z</c>.</summary>
    /// <param name="value">The instant.</param>
    /// <returns>The formatted text.</returns>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool Digits(ReadOnlySpan<char> s, int start, int count)
    {
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<char> s, int start, int count)
    {
        var n = 0;
        for (var i = start; i < start + count; i++)
        {
            n = (n * 10) + (s[i] - '0');
        }

        return n;
    }
}
