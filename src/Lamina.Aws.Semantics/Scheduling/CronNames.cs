namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>Month and day names accepted in cron fields.</summary>
internal static class CronNames
{
    /// <summary>Index 0 = SUN … 6 = SAT, matching <see cref="DayOfWeek"/>; cron value = index + 1.</summary>
    public static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Index 0 = JAN … 11 = DEC; cron value = index + 1.</summary>
    public static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    /// <summary>Looks up a three-letter name (already upper case); returns the 1-based value or -1.</summary>
    public static int Lookup(string[] names, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (name.SequenceEqual(names[i]))
            {
                return i + 1;
            }
        }

        return -1;
    }
}
