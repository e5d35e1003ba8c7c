using System.Globalization;
using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Cron;

/// <summary>
/// The nightly job of examples/cron (EventBridge rule <c>cron(0 2 * * ? *)</c>): works out which day the report covers
/// (the whole UTC day before the scheduled time in the event) and logs the report's window. Producing the report itself
/// (querying a store, writing a file) is left out: the example is about the schedule.
/// </summary>
public sealed class BuildReport : IScheduledHandler
{
    private readonly TimeProvider _clock;

    /// <summary>The handler Lambda runs (system clock, used only when the event carries no time).</summary>
    public BuildReport() : this(TimeProvider.System)
    {
    }

    /// <summary>A handler with an explicit clock.</summary>
    public BuildReport(TimeProvider clock) => _clock = clock;

    /// <summary>
    /// The day a run at <paramref name="scheduledAt"/> reports on: from midnight UTC of the day before, to midnight UTC
    /// of the scheduled day (end excluded).
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) ReportWindow(DateTimeOffset scheduledAt)
    {
        var end = new DateTimeOffset(scheduledAt.UtcDateTime.Date, TimeSpan.Zero);
        return (end.AddDays(-1), end);
    }

    /// <inheritdoc />
    public Task<LambdaVoid> HandleAsync(ScheduledEvent input, ILambdaContext context)
    {
        DateTimeOffset scheduledAt;
        if (input.Time is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out scheduledAt))
            {
                throw new FormatException($"the scheduled event's time '{text}' is not an ISO 8601 timestamp");
            }
        }
        else
        {
            scheduledAt = _clock.GetUtcNow();
            context.Logger.LogWarning("the event has no time (not an EventBridge scheduled event?); using the current time");
        }
        var (start, end) = ReportWindow(scheduledAt);
        var rule = input.Resources is { Count: > 0 } resources ? resources[0] : "(no rule)";
        context.Logger.LogInformation(
            $"nightly report for {start:yyyy-MM-dd}: window {start:yyyy-MM-dd'T'HH:mm:ss'Z'} to {end:yyyy-MM-dd'T'HH:mm:ss'Z'} (run by {rule}, event {input.Id})");
        return LambdaVoid.Completed;
    }
}
