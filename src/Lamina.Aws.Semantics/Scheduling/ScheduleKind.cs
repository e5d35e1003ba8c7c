namespace Lamina.Aws.Semantics.Scheduling;

/// <summary>The three forms of schedule expression accepted by Amazon EventBridge and EventBridge Scheduler.</summary>
public enum ScheduleKind
{
    /// <summary><c>cron(minutes hours day-of-month month day-of-week year)</c>.</summary>
    Cron,

    /// <summary><c>rate(value unit)</c>.</summary>
    Rate,

    /// <summary><c>at(yyyy-mm-ddThh:mm:ss)</c>: a one-time schedule (EventBridge Scheduler only, not scheduled rules).</summary>
    At,
}

/// <summary>The unit of a <c>rate(value unit)</c> expression.</summary>
public enum RateUnit
{
    /// <summary><c>minute</c> / <c>minutes</c>.</summary>
    Minute,

    /// <summary><c>hour</c> / <c>hours</c>.</summary>
    Hour,

    /// <summary><c>day</c> / <c>days</c> (always a fixed 24-hour duration, also across daylight-saving changes).</summary>
    Day,
}
