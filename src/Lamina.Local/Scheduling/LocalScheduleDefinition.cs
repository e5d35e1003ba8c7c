using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Local.Scheduling;

/// <summary>
/// A schedule the <see cref="LocalScheduler"/> fires: an EventBridge scheduled rule (<c>cron</c>/<c>rate</c>, UTC) or an
/// EventBridge Scheduler schedule (<c>cron</c>/<c>rate</c>/<c>at</c>, optionally in a time zone, between a start and
/// an end date).
/// </summary>
public sealed record LocalScheduleDefinition
{
    /// <summary>The schedule's name, unique within the engine (compared ordinally; ties between schedules due at the same instant fire in name order).</summary>
    public required string Name { get; init; }

    /// <summary>The parsed schedule expression (see <see cref="ScheduleExpression.Parse"/>).</summary>
    public required ScheduleExpression Expression { get; init; }

    /// <summary>
    /// The IANA (or Windows) time-zone id in which <c>cron</c> fields and <c>at</c> times are read (Scheduler's
    /// <c>ScheduleExpressionTimezone</c>); null means UTC, which is what scheduled rules always use. Rates ignore it.
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// Scheduler's <c>StartDate</c>: no occurrence before it; an occurrence exactly at it fires ("on, or after"). A rate
    /// is anchored at it (occurrences are <c>StartDate + k × interval</c>); without it a rate is anchored at the time
    /// the schedule is added, like a newly created rule.
    /// </summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>Scheduler's <c>EndDate</c>: no occurrence after it; an occurrence exactly at it fires ("on, or before").</summary>
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>Whether the schedule fires on its own (a disabled schedule can still be triggered by hand).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// What an occurrence does (usually: invoke a Lambda function with the scheduled event). Started on the thread that
    /// fires the occurrence; throwing or a faulted task is recorded in <see cref="LocalScheduler.Failures"/>.
    /// </summary>
    public required Func<LocalScheduleOccurrence, CancellationToken, Task> Target { get; init; }
}

/// <summary>One firing of a schedule.</summary>
/// <param name="ScheduleName">The schedule's name.</param>
/// <param name="ScheduledTime">
/// The occurrence the firing stands for, as computed by <see cref="ScheduleExpression.NextOccurrence"/> (with the
/// schedule zone's offset); for a manual trigger, the time of the trigger.
/// </param>
/// <param name="FiredAt">The engine clock's time when the target was started (later than the scheduled time when the clock jumped past it).</param>
/// <param name="Manual">True for <see cref="LocalScheduler.TriggerAsync"/>.</param>
public sealed record LocalScheduleOccurrence(string ScheduleName, DateTimeOffset ScheduledTime, DateTimeOffset FiredAt, bool Manual);

/// <summary>The state of one schedule.</summary>
/// <param name="Name">The schedule's name.</param>
/// <param name="Expression">The expression's canonical text, e.g. <c>cron(0 9 ? * MON-FRI *)</c>.</param>
/// <param name="TimeZone">The schedule's time-zone id, or null for UTC.</param>
/// <param name="Enabled">Whether it fires on its own.</param>
/// <param name="NextOccurrence">The next occurrence it will fire, or null when there is none (disabled, past its end date, an <c>at</c> that fired).</param>
/// <param name="FireCount">How many scheduled occurrences fired.</param>
/// <param name="ManualFireCount">How many manual triggers fired.</param>
/// <param name="LastScheduledTime">The scheduled time of the last scheduled occurrence that fired, or null.</param>
public sealed record LocalScheduleStatus(
    string Name,
    string Expression,
    string? TimeZone,
    bool Enabled,
    DateTimeOffset? NextOccurrence,
    int FireCount,
    int ManualFireCount,
    DateTimeOffset? LastScheduledTime);
