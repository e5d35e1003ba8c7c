using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Lamina.Bench;

/// <summary>A summary column dividing a per-operation figure by the benchmark's <c>N</c> parameter (resources).</summary>
public sealed class PerResourceColumn : IColumn
{
    private readonly bool _bytes;

    private PerResourceColumn(bool bytes) => _bytes = bytes;

    /// <summary>Mean time per resource (mean / N).</summary>
    public static readonly PerResourceColumn Time = new(false);

    /// <summary>Allocated bytes per resource (allocated / N).</summary>
    public static readonly PerResourceColumn Allocated = new(true);

    /// <inheritdoc />
    public string Id => _bytes ? "AllocPerResource" : "TimePerResource";

    /// <inheritdoc />
    public string ColumnName => _bytes ? "Alloc/resource" : "Mean/resource";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => _bytes ? 1 : 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => _bytes ? UnitType.Size : UnitType.Time;

    /// <inheritdoc />
    public string Legend => _bytes ? "Allocated bytes per operation divided by N (resources)" : "Mean time per operation divided by N (resources)";

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report is null || benchmarkCase.Parameters["N"] is not int n || n <= 0)
        {
            return "-";
        }
        if (_bytes)
        {
            var bytes = report.GcStats.GetBytesAllocatedPerOperation(benchmarkCase);
            return bytes is long b ? Format.Bytes(b / (double)n) : "-";
        }
        var mean = report.ResultStatistics?.Mean;
        return mean is double ns ? Format.Nanoseconds(ns / n) : "-";
    }

    /// <inheritdoc />
    public override string ToString() => ColumnName;
}

/// <summary>Human-readable units for times (given in nanoseconds) and sizes (bytes).</summary>
public static class Format
{
    /// <summary>Formats nanoseconds as ns, μs, ms or s.</summary>
    public static string Nanoseconds(double ns) => ns switch
    {
        < 1e3 => $"{ns:0.0} ns",
        < 1e6 => $"{ns / 1e3:0.00} μs",
        < 1e9 => $"{ns / 1e6:0.00} ms",
        _ => $"{ns / 1e9:0.000} s",
    };

    /// <summary>Formats bytes as B, KB or MB (1 KB = 1024 B).</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        < 1024 => $"{bytes:0} B",
        < 1024 * 1024 => $"{bytes / 1024:0.00} KB",
        _ => $"{bytes / (1024 * 1024):0.00} MB",
    };
}
