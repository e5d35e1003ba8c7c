using System.Globalization;
using System.Text.RegularExpressions;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Aws.Messaging;

/// <summary>Physical names and small checks shared by <see cref="Queue"/> and <see cref="Topic"/>.</summary>
internal static partial class MessagingNames
{
    public const string FifoSuffix = ".fifo";

    [GeneratedRegex("^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameChars();

    /// <summary>
    /// <c>&lt;project&gt;-&lt;stack&gt;-&lt;ids below the stack&gt;</c>, characters outside [A-Za-z0-9_-] turned into '-',
    /// cut with a hash of the path to fit <paramref name="max"/> characters, including <c>.fifo</c> when <paramref name="fifo"/>.
    /// </summary>
    public static string Physical(Construct c, int max, bool fifo) => LogicalNames.PhysicalName(c, max, fifo ? FifoSuffix : "");

    /// <summary>An explicit name with the <c>.fifo</c> suffix added for FIFO resources when missing.</summary>
    public static string Explicit(string name, bool fifo) => fifo && !name.EndsWith(FifoSuffix, StringComparison.Ordinal) ? name + FifoSuffix : name;

    /// <summary>The problem with a queue or topic name, or null when the service accepts it.</summary>
    public static string? Problem(string name, bool fifo, int max, string what)
    {
        var stem = fifo && name.EndsWith(FifoSuffix, StringComparison.Ordinal) ? name[..^FifoSuffix.Length] : name;
        if (name.Length > max)
        {
            return $"{what} name '{name}' has {name.Length} characters; {Service(what)} allows at most {max} (including the '.fifo' suffix of FIFO {what}s)";
        }
        if (!fifo && name.EndsWith(FifoSuffix, StringComparison.Ordinal))
        {
            return $"{what} name '{name}' ends with '.fifo', which only FIFO {what}s may do; set Fifo = true or choose another name";
        }
        if (stem.Length == 0 || !NameChars().IsMatch(stem))
        {
            return $"{what} name '{name}' is invalid: use 1-{max} letters, digits, '-' and '_'" + (fifo ? " followed by '.fifo'" : "");
        }
        return null;
    }

    private static string Service(string what) => what == "queue" ? "SQS" : "SNS";

    /// <summary>A literal string, or null when the value is an output.</summary>
    public static string? Literal(Input<string>? value) => value?.ToExpr() is LiteralExpr { Value: string s } ? s : null;

    /// <summary>A literal number, or null when the value is missing or an output.</summary>
    public static double? Literal(Input<double>? value) => value?.ToExpr() is LiteralExpr { Value: double d } ? d : null;

    /// <summary>Whether <paramref name="value"/> is whole seconds within [<paramref name="min"/>, <paramref name="max"/>] seconds.</summary>
    public static bool WholeSecondsIn(TimeSpan value, double min, double max) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0 && value.TotalSeconds >= min && value.TotalSeconds <= max;

    /// <summary>Seconds written for messages: "45 s".</summary>
    public static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    /// <summary>A child id that is free under <paramref name="scope"/>: <paramref name="id"/>, else id2, id3, ….</summary>
    public static string FreeId(Construct scope, string id)
    {
        if (scope.TryFindChild(id) is null)
        {
            return id;
        }
        for (var i = 2; ; i++)
        {
            var candidate = id + i.ToString(CultureInfo.InvariantCulture);
            if (candidate.Length > Construct.MaxIdLength)
            {
                candidate = id[..(Construct.MaxIdLength - 8)] + i.ToString(CultureInfo.InvariantCulture);
            }
            if (scope.TryFindChild(candidate) is null)
            {
                return candidate;
            }
        }
    }

    /// <summary>A construct id made from <paramref name="prefix"/> and <paramref name="id"/>, cut to the id limit.</summary>
    public static string Combine(string prefix, string id)
    {
        var s = prefix + id;
        return s.Length <= Construct.MaxIdLength ? s : s[..Construct.MaxIdLength];
    }
}
