using Lamina.Aws.Semantics.Scheduling;

namespace Lamina.Aws.Scheduling;

/// <summary>Which AWS service runs a <see cref="Schedule"/>.</summary>
public enum ScheduleEngine
{
    /// <summary>
    /// An EventBridge scheduled rule (<c>aws:cloudwatch:EventRule</c>) with one <c>aws:cloudwatch:EventTarget</c> per
    /// target: <c>cron</c> and <c>rate</c> only, always in UTC, at most 5 targets.
    /// </summary>
    EventBridgeRule,

    /// <summary>
    /// EventBridge Scheduler (<c>aws:scheduler:Schedule</c>, one per target): adds time zones, flexible time windows and
    /// one-time <c>at(...)</c> schedules; it invokes functions through a role of its own.
    /// </summary>
    Scheduler,
}

/// <summary>
/// The schedule expression given to a <see cref="Schedule"/>: the text as written (checked when the construct is created,
/// so every error carries the construct path and the property <c>Expression</c>) or an already parsed
/// <see cref="ScheduleExpression"/>. Strings and <see cref="ScheduleExpression"/> values convert to it implicitly;
/// <see cref="Schedule.Cron(string)"/>, <see cref="Schedule.Rate(TimeSpan)"/> and <see cref="Schedule.Expression(string)"/> build it.
/// </summary>
public sealed class ScheduleSpec
{
    private ScheduleSpec(string? text, ScheduleExpression? parsed, string? error)
    {
        Text = text;
        Parsed = parsed;
        Error = error;
    }

    /// <summary>The text, as written (<c>cron(...)</c>, <c>rate(...)</c> or <c>at(...)</c>); the canonical text for a parsed expression.</summary>
    public string? Text { get; }

    /// <summary>The parsed expression when one was given (not the result of parsing <see cref="Text"/>).</summary>
    public ScheduleExpression? Parsed { get; }

    /// <summary>An error found while building the spec (such as a rate that is not a whole number of minutes), reported by the construct.</summary>
    public string? Error { get; }

    /// <summary>A spec holding expression text, validated by the construct.</summary>
    public static ScheduleSpec FromText(string? text) => new(text, null, null);

    /// <summary>A spec holding a parsed expression.</summary>
    public static ScheduleSpec FromExpression(ScheduleExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new(expression.ToString(), expression, null);
    }

    /// <summary>A spec that could not be built; the construct reports <paramref name="error"/> on <c>Expression</c>.</summary>
    public static ScheduleSpec Invalid(string? text, string error) => new(text, null, error);

    /// <summary>Expression text such as <c>"cron(0 2 * * ? *)"</c>, <c>"rate(5 minutes)"</c> or <c>"at(2030-01-01T09:00:00)"</c>.</summary>
    public static implicit operator ScheduleSpec(string text) => FromText(text);

    /// <summary>A parsed expression, such as <c>ScheduleExpression.DailyAt(2, 0)</c>.</summary>
    public static implicit operator ScheduleSpec(ScheduleExpression expression) => FromExpression(expression);

    /// <inheritdoc />
    public override string ToString() => Text ?? "<none>";
}

/// <summary>Options of a <see cref="Schedule"/>. Each is validated when the construct is created.</summary>
public sealed record ScheduleProps
{
    /// <summary>
    /// When the targets run: <c>cron(...)</c>, <c>rate(...)</c> or (EventBridge Scheduler only) <c>at(...)</c>, as text or as a
    /// <see cref="ScheduleExpression"/>. Required. Cron fields are read in UTC unless <see cref="TimeZone"/> is set.
    /// </summary>
    public required ScheduleSpec Expression { get; init; }

    /// <summary>
    /// The IANA time zone in which cron fields and <c>at</c> times are read, such as <c>Europe/Paris</c> (EventBridge
    /// Scheduler's <c>scheduleExpressionTimezone</c>). Setting it selects EventBridge Scheduler. Default: none (UTC).
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// A flexible time window: Scheduler may run each occurrence any time within this window after the scheduled time
    /// (mode <c>FLEXIBLE</c>), in whole minutes, 1–1,440. Setting it selects EventBridge Scheduler.
    /// Default: none (mode <c>OFF</c>: run at the scheduled time).
    /// </summary>
    public TimeSpan? FlexibleWindow { get; init; }

    /// <summary>
    /// <see langword="true"/> runs the schedule with EventBridge Scheduler; <see langword="false"/> forces an EventBridge rule
    /// (then <see cref="TimeZone"/>, <see cref="FlexibleWindow"/> and <c>at(...)</c> are errors).
    /// Default: <see langword="null"/>: an EventBridge rule, unless a time zone, a flexible window or an <c>at(...)</c>
    /// expression needs Scheduler.
    /// </summary>
    public bool? UseScheduler { get; init; }

    /// <summary>A description, at most 512 characters. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the schedule runs (rule or schedule state <c>ENABLED</c> / <c>DISABLED</c>). Default: <see langword="true"/>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Adjusts the underlying resources' arguments just before synthesis (an escape hatch). Default: none.</summary>
    public ScheduleTransforms? Transform { get; init; }
}

/// <summary>Callbacks that adjust a schedule's underlying resources before synthesis (as SST's <c>transform</c>).</summary>
public sealed record ScheduleTransforms
{
    /// <summary>Adjusts the <c>aws:cloudwatch:EventRule</c> arguments (EventBridge rule engine).</summary>
    public Action<Lamina.Aws.Resources.CloudWatch.EventRuleArgs>? Rule { get; init; }

    /// <summary>Adjusts each <c>aws:cloudwatch:EventTarget</c>'s arguments (EventBridge rule engine).</summary>
    public Action<Lamina.Aws.Resources.CloudWatch.EventTargetArgs>? Target { get; init; }

    /// <summary>Adjusts each <c>aws:scheduler:Schedule</c>'s arguments (Scheduler engine).</summary>
    public Action<Lamina.Aws.Resources.Scheduler.ScheduleArgs>? SchedulerSchedule { get; init; }

    /// <summary>Adjusts the Scheduler role's arguments (Scheduler engine).</summary>
    public Action<Lamina.Aws.Resources.Iam.RoleArgs>? Role { get; init; }
}
