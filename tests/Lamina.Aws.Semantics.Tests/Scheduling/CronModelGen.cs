using System.Globalization;
using CsCheck;

namespace Lamina.Aws.Semantics.Tests.Scheduling;

/// <summary>A generated cron expression text together with its meaning, written independently of the parser.</summary>
/// <param name="Text">The <c>cron(...)</c> text.</param>
/// <param name="DayMatches">Whether a date matches the year, month and day rules, computed from the generated model.</param>
/// <param name="TimeMatches">Whether an hour and minute match.</param>
public sealed record CronCase(string Text, Func<DateTime, bool> DayMatches, Func<int, int, bool> TimeMatches)
{
    /// <summary>Whether a wall-clock minute matches.</summary>
    public bool Matches(DateTime t) => DayMatches(t.Date) && TimeMatches(t.Hour, t.Minute);

    public override string ToString() => Text;
}

/// <summary>
/// CsCheck generators for valid EventBridge cron expressions. Each generator builds the text and, alongside it, a
/// predicate from first principles (explicit value lists, brute-force nearest weekday, ...), so the property tests
/// compare the library against a model that shares no code with it.
/// </summary>
internal static class CronModelGen
{
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private sealed record Field(string Text, Func<int, bool> Contains);

    private sealed record DayRule(string Dom, string Dow, Func<DateTime, bool> Matches);

    public static readonly Gen<CronCase> Case = Gen.Select(
        Gen.Frequency((2, Gen.Const(Star(0, 59))), (5, ListOf(Item(0, 59, 0, 59, null, 59, wrap: true)))),
        Gen.Frequency((3, Gen.Const(Star(0, 23))), (4, ListOf(Item(0, 23, 0, 23, null, 23, wrap: true)))),
        Gen.Frequency((1, DayOfMonthRule), (1, DayOfWeekRule)),
        Gen.Frequency((4, Gen.Const(Star(1, 12))), (2, ListOf(Item(1, 12, 1, 12, MonthNames, 12, wrap: true)))),
        Gen.Frequency((6, Gen.Const(Star(1970, 2199))), (2, ListOf(Item(1970, 2199, 2015, 2035, null, 6, wrap: false)))),
        Gen.Int[0, 5],
        (minutes, hours, day, months, years, spacing) =>
        {
            var separator = spacing == 0 ? "  " : " ";
            var text = "cron(" + string.Join(separator, minutes.Text, hours.Text, day.Dom, months.Text, day.Dow, years.Text) + ")";
            return new CronCase(
                text,
                d => months.Contains(d.Month) && years.Contains(d.Year) && day.Matches(d),
                (h, m) => hours.Contains(h) && minutes.Contains(m));
        });

    private static Gen<DayRule> DayOfMonthRule => Gen.Frequency(
        (6, ListOf(Item(1, 31, 1, 31, null, 31, wrap: true)).Select(f => new DayRule(f.Text, "?", d => f.Contains(d.Day)))),
        (1, Gen.Const(new DayRule("L", "?", d => d.Day == DaysIn(d)))),
        (1, Gen.Const(new DayRule("lw", "?", d => d.Day == LastWeekday(d)))),
        (2, Gen.Frequency((2, Gen.Int[1, 31]), (1, Gen.OneOf(1, 2, 28, 29, 30, 31)))
            .Select(n => new DayRule($"{n}W", "?", d => d.Day == NearestWeekday(d, n)))));

    private static Gen<DayRule> DayOfWeekRule => Gen.Frequency(
        (6, Gen.Frequency((1, Gen.Const(Star(1, 7))), (4, ListOf(Item(1, 7, 1, 7, DayNames, 0, wrap: true))))
            .Select(f => new DayRule("?", f.Text, d => f.Contains(Weekday(d))))),
        (1, Gen.Const(new DayRule("?", "L", d => d.DayOfWeek == DayOfWeek.Saturday))),
        (2, Gen.Int[1, 7].SelectMany(x => Render(x, DayNames)
            .Select(t => new DayRule("?", t + "L", d => Weekday(d) == x && d.Day + 7 > DaysIn(d))))),
        (2, Gen.Select(Gen.Int[1, 7], Gen.Int[1, 5]).SelectMany((x, k) => Render(x, DayNames)
            .Select(t => new DayRule("?", $"{t}#{k}", d => Weekday(d) == x && ((d.Day - 1) / 7) + 1 == k)))));

    private static Field Star(int min, int max) => new("*", v => v >= min && v <= max);

    private static Gen<Field> ListOf(Gen<Field> item)
        => item.Array[1, 3].Select(items => new Field(string.Join(",", items.Select(i => i.Text)), v => items.Any(i => i.Contains(v))));

    /// <summary>One list element over [min, max]; generated values are drawn from [lo, hi].</summary>
    private static Gen<Field> Item(int min, int max, int lo, int hi, string[]? names, int maxStep, bool wrap)
    {
        var value = Gen.Int[lo, hi];
        var pair = wrap
            ? Gen.Select(value, value)
            : Gen.Select(value, value, (a, b) => (Math.Min(a, b), Math.Max(a, b)));
        var step = Gen.Int[1, Math.Max(1, maxStep)];
        var options = new List<(int, IGen<Field>)>
        {
            (3, value.SelectMany(v => Render(v, names).Select(t => Seq(t, v, v, 1, min, max)))),
            (3, pair.SelectMany((a, b) => Gen.Select(Render(a, names), Render(b, names), (ta, tb) => Seq($"{ta}-{tb}", a, b, 1, min, max)))),
        };
        if (maxStep > 0)
        {
            options.Add((2, step.Select(s => Seq($"*/{s}", min, max, s, min, max))));
            options.Add((2, Gen.Select(value, step).SelectMany((a, s) => Render(a, names).Select(t => Seq($"{t}/{s}", a, max, s, min, max)))));
            options.Add((2, Gen.Select(pair, step).SelectMany((ab, s) =>
                Gen.Select(Render(ab.Item1, names), Render(ab.Item2, names), (ta, tb) => Seq($"{ta}-{tb}/{s}", ab.Item1, ab.Item2, s, min, max)))));
        }

        return Gen.Frequency([.. options]);
    }

    /// <summary>The values a..b (wrapping through max back to min when b &lt; a), keeping every step-th one.</summary>
    private static Field Seq(string text, int a, int b, int step, int min, int max)
    {
        var ordered = new List<int>();
        if (a <= b)
        {
            for (var v = a; v <= b; v++)
            {
                ordered.Add(v);
            }
        }
        else
        {
            for (var v = a; v <= max; v++)
            {
                ordered.Add(v);
            }

            for (var v = min; v <= b; v++)
            {
                ordered.Add(v);
            }
        }

        var kept = ordered.Where((_, i) => i % step == 0).ToHashSet();
        return new Field(text, kept.Contains);
    }

    private static Gen<string> Render(int value, string[]? names)
        => names is null
            ? Gen.Const(value.ToString(CultureInfo.InvariantCulture))
            : Gen.Select(Gen.Bool, Gen.Int[0, 2], (useName, casing) => !useName
                ? value.ToString(CultureInfo.InvariantCulture)
                : casing switch
                {
                    0 => names[value - 1],
                    1 => names[value - 1].ToLowerInvariant(),
                    _ => names[value - 1][..1] + names[value - 1][1..].ToLowerInvariant(),
                });

    private static int DaysIn(DateTime d) => DateTime.DaysInMonth(d.Year, d.Month);

    /// <summary>Cron weekday: 1 = Sunday … 7 = Saturday.</summary>
    private static int Weekday(DateTime d) => (int)d.DayOfWeek + 1;

    private static bool IsWorkday(DateTime d) => d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday;

    private static int LastWeekday(DateTime d)
    {
        for (var day = DaysIn(d); ; day--)
        {
            if (IsWorkday(new DateTime(d.Year, d.Month, day)))
            {
                return day;
            }
        }
    }

    /// <summary>Brute force: the Monday-Friday day of the same month closest to day n; none when n is not in the month.</summary>
    private static int NearestWeekday(DateTime d, int n)
    {
        if (n > DaysIn(d))
        {
            return -1;
        }

        var best = -1;
        for (var day = 1; day <= DaysIn(d); day++)
        {
            if (IsWorkday(new DateTime(d.Year, d.Month, day)) && (best < 0 || Math.Abs(day - n) < Math.Abs(best - n)))
            {
                best = day;
            }
        }

        return best;
    }
}
