using System.Globalization;
using System.Text.Json.Nodes;
using Lamina.Aws.Lambda;
using Lamina.Aws.Resources.CloudWatch;
using Lamina.Aws.Resources.Lambda;
using SchedulerScheduleResource = Lamina.Aws.Resources.Scheduler.Schedule;

namespace Lamina.Aws.Scheduling;

/// <summary>
/// One function run by a <see cref="Schedule"/>, created by <see cref="Schedule.Invoke{THandler}(Function{THandler})"/> and its
/// overloads. With an EventBridge rule it holds an <c>aws:cloudwatch:EventTarget</c> and the <c>aws:lambda:Permission</c>
/// letting that rule (only) invoke the function; with EventBridge Scheduler it holds one <c>aws:scheduler:Schedule</c>.
/// </summary>
/// <remarks>
/// What the function receives: without a constant <see cref="Input"/>, an EventBridge scheduled event
/// (<see cref="Lamina.Lambda.Events.ScheduledEvent"/>; under Scheduler, Lamina writes the same envelope as the target's input
/// from Scheduler's context attributes, with source <c>aws.scheduler</c>); with a constant input, exactly that JSON.
/// </remarks>
public sealed class ScheduleTarget : Construct
{
    private readonly JsonNode? _input;

    internal ScheduleTarget(Schedule schedule, string id, FunctionBase function, JsonNode? input)
        : base(schedule, id)
    {
        Schedule = schedule;
        Function = function;
        _input = input;
    }

    /// <summary>The schedule this target belongs to.</summary>
    public Schedule Schedule { get; }

    /// <summary>The function invoked at each occurrence.</summary>
    public FunctionBase Function { get; }

    /// <summary>The constant JSON sent instead of the scheduled event (a copy), or <see langword="null"/> when the function receives the scheduled event.</summary>
    public JsonNode? Input => _input?.DeepClone();

    /// <summary>The constant input as compact JSON text, or <see langword="null"/>.</summary>
    public string? InputJson => _input?.ToJsonString();

    /// <summary>Whether the function receives the scheduled event (no constant input).</summary>
    public bool DeliversScheduledEvent => _input is null;

    /// <summary>The <c>aws:cloudwatch:EventTarget</c> (EventBridge rule engine), else <see langword="null"/>.</summary>
    public EventTarget? EventTarget { get; internal set; }

    /// <summary>The permission letting the rule invoke the function (EventBridge rule engine), else <see langword="null"/>.</summary>
    public Permission? Permission { get; internal set; }

    /// <summary>The <c>aws:scheduler:Schedule</c> (Scheduler engine), else <see langword="null"/>.</summary>
    public SchedulerScheduleResource? SchedulerSchedule { get; internal set; }

    /// <summary>
    /// The payload the function receives for the occurrence at <paramref name="scheduledTime"/>, for local runs: the
    /// constant input, or the scheduled-event envelope (source <c>aws.events</c> for a rule, <c>aws.scheduler</c> for
    /// Scheduler; the resource ARN is built from the resource's logical name, as the deployed name is chosen by Pulumi).
    /// </summary>
    /// <param name="scheduledTime">The occurrence (written in UTC, to the second).</param>
    /// <param name="eventId">The event id (any unique text).</param>
    /// <param name="account">The AWS account id to write.</param>
    /// <param name="region">The region to write.</param>
    public string PayloadAt(DateTimeOffset scheduledTime, string eventId, string account, string region)
    {
        if (_input is not null)
        {
            return _input.ToJsonString();
        }
        var scheduler = Schedule.Engine == ScheduleEngine.Scheduler;
        var resource = scheduler
            ? $"arn:aws:scheduler:{region}:{account}:schedule/default/{SchedulerSchedule?.LogicalName ?? Path.Replace('/', '-')}"
            : $"arn:aws:events:{region}:{account}:rule/{Schedule.Rule?.LogicalName ?? Schedule.Path.Replace('/', '-')}";
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = eventId,
            ["detail-type"] = "Scheduled Event",
            ["source"] = scheduler ? "aws.scheduler" : "aws.events",
            ["account"] = account,
            ["time"] = scheduledTime.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray(resource),
            ["detail"] = new JsonObject(),
        }.ToJsonString();
    }
}
