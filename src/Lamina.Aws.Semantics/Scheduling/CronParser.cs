using System.Globalization;

namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>Describes one of the six cron fields.</summary>
internal sealed record CronFieldInfo(string Name, int Min, int Max, string Allowed, int MaxIncrement, string[]? Names, string Wildcards)
{
    public static readonly CronFieldInfo Minutes = new("minutes", 0, 59, "0-59", 59, null, ", - * /");
    public static readonly CronFieldInfo Hours = new("hours", 0, 23, "0-23", 23, null, ", - * /");
    public static readonly CronFieldInfo DayOfMonth = new("day-of-month", 1, 31, "1-31", 31, null, ", - * ? / L W");
    public static readonly CronFieldInfo Month = new("month", 1, 12, "1-12 (JAN-DEC)", 12, CronNames.MonthNames, ", - * /");
    public static readonly CronFieldInfo DayOfWeek = new("day-of-week", 1, 7, "1-7 (SUN-SAT)", 0, CronNames.DayNames, ", - * ? L #");
    public static readonly CronFieldInfo Year = new("year", 1970, 2199, "1970-2199", int.MaxValue, null, ", - * /");

    /// <summary>The bit index used for a value: years are offset from 1970, other fields use the value itself.</summary>
    public int BitBase => this == Year ? 1970 : 0;
}

internal enum DayOfMonthKind
{
    /// <summary><c>?</c>.</summary>
    Unspecified,

    /// <summary>A set of days (<c>*</c>, lists, ranges, increments).</summary>
    Set,

    /// <summary><c>L</c>: last day of the month.</summary>
    Last,

    /// <summary><c>LW</c>: last weekday (Mon-Fri) of the month.</summary>
    LastWeekday,

    /// <summary><c>nW</c>: weekday nearest to day n, not leaving the month.</summary>
    NearestWeekday,
}

internal enum DayOfWeekKind
{
    /// <summary><c>?</c>.</summary>
    Unspecified,

    /// <summary>A set of weekdays (<c>*</c>, lists, ranges, <c>L</c> = SAT).</summary>
    Set,

    /// <summary><c>nL</c>: the last weekday n of the month.</summary>
    LastOfMonth,

    /// <summary><c>n#k</c>: the k-th weekday n of the month.</summary>
    Nth,
}

/// <summary>The compiled form of a cron expression: bit sets per field plus the day rules.</summary>
internal sealed class CronSpec
{
    public ulong Minutes;
    public ulong Hours;
    public ulong Months;
    public readonly ulong[] Years = new ulong[4];
    public DayOfMonthKind DomKind;
    public ulong DomSet;
    public int DomDay;
    public DayOfWeekKind DowKind;
    public ulong DowSet;
    public int DowDay;
    public int DowNth;
}

/// <summary>Parses the six cron fields into a <see cref="CronSpec"/>, collecting every error.</summary>
internal static class CronParser
{
    private static readonly char[] FieldSeparators = [' ', '\t'];

    public static CronSpec? Parse(string text, List<string> errors, out string[] fields)
    {
        fields = [];
        if (!text.EndsWith(')'))
        {
            errors.Add("cron: missing closing ')'; expected cron(minutes hours day-of-month month day-of-week year)");
            return null;
        }

        var inner = text["cron(".Length..^1];
        var parts = inner.Split(FieldSeparators, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"cron: expected 6 fields (minutes hours day-of-month month day-of-week year) separated by white space, found {parts.Length}")
                + (parts.Length == 5 ? "; the year field is required" : string.Empty));
            return null;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = parts[i].ToUpperInvariant();
        }

        fields = parts;
        var spec = new CronSpec();
        var before = errors.Count;

        var bits = new ulong[4];
        if (ParseList(parts[0], CronFieldInfo.Minutes, errors, bits))
        {
            spec.Minutes = bits[0];
        }

        Array.Clear(bits);
        if (ParseList(parts[1], CronFieldInfo.Hours, errors, bits))
        {
            spec.Hours = bits[0];
        }

        ParseDayOfMonth(parts[2], errors, spec);

        Array.Clear(bits);
        if (ParseList(parts[3], CronFieldInfo.Month, errors, bits))
        {
            spec.Months = bits[0];
        }

        ParseDayOfWeek(parts[4], errors, spec);

        ParseList(parts[5], CronFieldInfo.Year, errors, spec.Years);

        var domUnspecified = parts[2] == "?";
        var dowUnspecified = parts[4] == "?";
        if (domUnspecified && dowUnspecified)
        {
            errors.Add("cron: exactly one of day-of-month and day-of-week must be '?' (both are '?')");
        }
        else if (!domUnspecified && !dowUnspecified)
        {
            errors.Add($"cron: exactly one of day-of-month and day-of-week must be '?' (day-of-month is '{parts[2]}', day-of-week is '{parts[4]}')");
        }

        return errors.Count == before ? spec : null;
    }

    private static void ParseDayOfMonth(string t, List<string> errors, CronSpec spec)
    {
        var f = CronFieldInfo.DayOfMonth;
        if (t == "?")
        {
            spec.DomKind = DayOfMonthKind.Unspecified;
            return;
        }

        if (t == "L")
        {
            spec.DomKind = DayOfMonthKind.Last;
            return;
        }

        if (t == "LW")
        {
            spec.DomKind = DayOfMonthKind.LastWeekday;
            return;
        }

        if (t.Contains('L') || t.Contains('W'))
        {
            if (t.Contains(','))
            {
                errors.Add($"day-of-month: 'L' and 'W' cannot be combined with other values in a list ('{t}'); use a single L, LW or nW");
            }
            else if (t.StartsWith("L-", StringComparison.Ordinal))
            {
                errors.Add($"day-of-month: '{t}': offsets from the last day (L-n) are not part of EventBridge's cron syntax; allowed: L, LW, nW");
            }
            else if (t.Length > 1 && t[^1] == 'W' && IsDigits(t.AsSpan(0, t.Length - 1)))
            {
                if (TryValue(t[..^1], f, t, errors, out var day))
                {
                    spec.DomKind = DayOfMonthKind.NearestWeekday;
                    spec.DomDay = day;
                }
            }
            else if (t.Contains('W'))
            {
                errors.Add($"day-of-month: 'W' must follow a single day number, e.g. 15W (nearest weekday to the 15th); '{t}' is not valid");
            }
            else
            {
                errors.Add($"day-of-month: 'L' must stand alone (last day of the month) or be written LW (last weekday); '{t}' is not valid");
            }

            return;
        }

        var bits = new ulong[4];
        if (ParseList(t, f, errors, bits))
        {
            spec.DomKind = DayOfMonthKind.Set;
            spec.DomSet = bits[0];
        }
    }

    private static void ParseDayOfWeek(string t, List<string> errors, CronSpec spec)
    {
        var f = CronFieldInfo.DayOfWeek;
        if (t == "?")
        {
            spec.DowKind = DayOfWeekKind.Unspecified;
            return;
        }

        if (t.Contains('#'))
        {
            var hash = t.IndexOf('#');
            if (t.Contains(',') || t.IndexOf('#', hash + 1) >= 0)
            {
                errors.Add($"day-of-week: with '#' only one expression is allowed in the field (e.g. 3#2); '{t}' is not valid");
                return;
            }

            var dayText = t[..hash];
            var nthText = t[(hash + 1)..];
            var ok = TryValue(dayText, f, t, errors, out var day);
            if (!IsDigits(nthText) || !int.TryParse(nthText, NumberStyles.None, CultureInfo.InvariantCulture, out var nth) || nth is < 1 or > 5)
            {
                errors.Add($"day-of-week: the occurrence after '#' must be 1-5 (e.g. 3#2 = second Tuesday); got '{nthText}' in '{t}'");
                ok = false;
            }
            else if (ok)
            {
                spec.DowKind = DayOfWeekKind.Nth;
                spec.DowDay = day;
                spec.DowNth = nth;
            }

            return;
        }

        if (t == "L")
        {
            // 'L' alone in day-of-week is the last day of the week: Saturday.
            spec.DowKind = DayOfWeekKind.Set;
            spec.DowSet = 1UL << 7;
            return;
        }

        if (t.Contains('L'))
        {
            if (t.Contains(','))
            {
                errors.Add($"day-of-week: 'L' cannot be combined with other values in a list ('{t}'); use a single nL (e.g. 6L = last Friday)");
            }
            else if (t.Length > 1 && t[^1] == 'L' && t.IndexOf('L') == t.Length - 1 && !t.Contains('-') && !t.Contains('/') && !t.Contains('*'))
            {
                if (TryValue(t[..^1], f, t, errors, out var day))
                {
                    spec.DowKind = DayOfWeekKind.LastOfMonth;
                    spec.DowDay = day;
                }
            }
            else
            {
                errors.Add($"day-of-week: 'L' must stand alone (Saturday) or follow a single day (e.g. 6L or FRIL = last Friday of the month); '{t}' is not valid");
            }

            return;
        }

        var bits = new ulong[4];
        if (ParseList(t, f, errors, bits))
        {
            spec.DowKind = DayOfWeekKind.Set;
            spec.DowSet = bits[0];
        }
    }

    /// <summary>Parses <c>item[,item...]</c> where item is <c>*</c>, <c>*/n</c>, <c>a</c>, <c>a-b</c>, <c>a/n</c> or <c>a-b/n</c>.</summary>
    private static bool ParseList(string text, CronFieldInfo f, List<string> errors, ulong[] bits)
    {
        var ok = true;
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                errors.Add($"{f.Name}: empty element in list '{text}'");
                ok = false;
                continue;
            }

            ok &= ParseItem(item, f, errors, bits);
        }

        return ok;
    }

    private static bool ParseItem(string item, CronFieldInfo f, List<string> errors, ulong[] bits)
    {
        if (item.Contains('?'))
        {
            errors.Add($"{f.Name}: '?' is only allowed, alone, in the day-of-month or day-of-week field; '{item}' is not valid");
            return false;
        }

        if (item.Contains('#'))
        {
            errors.Add($"{f.Name}: '#' is only allowed in the day-of-week field, as a single expression (e.g. 3#2); '{item}' is not valid");
            return false;
        }

        if (f.Names is null && (item.Contains('L') || item.Contains('W')))
        {
            errors.Add(item.Contains('L')
                ? $"{f.Name}: 'L' is only allowed in the day-of-month and day-of-week fields; '{item}' is not valid"
                : $"{f.Name}: 'W' is only allowed in the day-of-month field (e.g. 15W); '{item}' is not valid");
            return false;
        }

        var step = 0;
        var left = item;
        var slash = item.IndexOf('/');
        if (slash >= 0)
        {
            if (f.MaxIncrement == 0)
            {
                errors.Add($"{f.Name}: increments ('/') are not allowed in the {f.Name} field (allowed wildcards: {f.Wildcards}); '{item}' is not valid");
                return false;
            }

            var stepText = item[(slash + 1)..];
            left = item[..slash];
            if (!IsDigits(stepText) || !int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1)
            {
                errors.Add($"{f.Name}: the increment after '/' must be a positive integer; '{item}' is not valid");
                return false;
            }

            if (step > f.MaxIncrement)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{f.Name}: increment {step} in '{item}' is out of range 1-{f.MaxIncrement}"));
                return false;
            }

            if (left.Length == 0)
            {
                errors.Add($"{f.Name}: '/' must follow '*' or a start value (e.g. 0/15); '{item}' is not valid");
                return false;
            }
        }

        int start, end;
        if (left == "*")
        {
            start = f.Min;
            end = f.Max;
        }
        else
        {
            var dash = left.IndexOf('-');
            if (dash >= 0)
            {
                var a = left[..dash];
                var b = left[(dash + 1)..];
                if (a.Length == 0 || b.Length == 0 || b.Contains('-'))
                {
                    errors.Add($"{f.Name}: a range must be written start-end (e.g. {Example(f)}); '{item}' is not valid");
                    return false;
                }

                var okA = TryValue(a, f, item, errors, out start);
                var okB = TryValue(b, f, item, errors, out end);
                if (!okA || !okB)
                {
                    return false;
                }
            }
            else
            {
                if (!TryValue(left, f, item, errors, out start))
                {
                    return false;
                }

                // "a/n" runs from a to the end of the field's range.
                end = step > 0 ? f.Max : start;
            }
        }

        if (step == 0)
        {
            step = 1;
        }

        if (end < start)
        {
            if (f == CronFieldInfo.Year)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"year: range {start}-{end} in '{item}' is reversed; year ranges must be ascending"));
                return false;
            }

            // Overflowing range (e.g. hours 22-2, months NOV-FEB): wraps past the end of the field.
            var period = f.Max - f.Min + 1;
            for (var i = start; i <= end + period; i += step)
            {
                Set(bits, (i > f.Max ? i - period : i) - f.BitBase);
            }
        }
        else
        {
            for (var v = start; v <= end; v += step)
            {
                Set(bits, v - f.BitBase);
            }
        }

        return true;
    }

    private static bool TryValue(string s, CronFieldInfo f, string item, List<string> errors, out int value)
    {
        value = 0;
        if (s.Length == 0)
        {
            errors.Add($"{f.Name}: missing value in '{item}'; allowed values: {f.Allowed}");
            return false;
        }

        if (IsDigits(s))
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < f.Min || value > f.Max)
            {
                errors.Add($"{f.Name}: value {s.TrimStart('0').PadLeft(1, '0')} is out of range {f.Allowed}");
                return false;
            }

            return true;
        }

        if (f.Names is not null)
        {
            value = CronNames.Lookup(f.Names, s);
            if (value > 0)
            {
                return true;
            }

            var kind = f == CronFieldInfo.Month ? "month name" : "day name";
            errors.Add($"{f.Name}: '{s}' is not a {kind} or number; allowed values: {f.Allowed}");
            return false;
        }

        errors.Add($"{f.Name}: '{s}' is not a number; allowed values: {f.Allowed}");
        return false;
    }

    private static string Example(CronFieldInfo f) => f.Name switch
    {
        "minutes" => "0-30",
        "hours" => "8-17",
        "day-of-month" => "1-15",
        "month" => "JAN-MAR",
        "day-of-week" => "MON-FRI",
        _ => "2025-2030",
    };

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static void Set(ulong[] bits, int index) => bits[index >> 6] |= 1UL << (index & 63);
}
