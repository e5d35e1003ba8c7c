using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Lamina.Aws.Iam;
using Lamina.Aws.Lambda;
using Lamina.Aws.Resources.CloudWatch;
using Lamina.Aws.Semantics.Scheduling;
using Lamina.Lambda;
using Lamina.Resources;
using Lamina.Values;
using SchedulerInputs = Lamina.Aws.Resources.Scheduler.Inputs;
using SchedulerScheduleResource = Lamina.Aws.Resources.Scheduler.Schedule;

namespace Lamina.Aws.Scheduling;

/// <summary>
/// Runs functions on a schedule (serverless cron jobs). By default an EventBridge scheduled rule
/// (<c>aws:cloudwatch:EventRule</c>) with one <c>aws:cloudwatch:EventTarget</c> per function and an
/// <c>aws:lambda:Permission</c> letting <c>events.amazonaws.com</c> invoke each function from that rule's ARN only.
/// With EventBridge Scheduler (<see cref="ScheduleProps.UseScheduler"/>, or automatically for a time zone, a flexible
/// window or an <c>at(...)</c> expression): one <c>aws:scheduler:Schedule</c> per function and a role trusting
/// <c>scheduler.amazonaws.com</c> allowed exactly <c>lambda:InvokeFunction</c> on those functions.
/// </summary>
/// <remarks>
/// <para>What a function receives: without a constant input, the EventBridge scheduled event, so a .NET handler must be an
/// <see cref="IScheduledHandler"/> (<see cref="Invoke{THandler}(Function{THandler})"/>). A constant input replaces that event,
/// so the handler's event type is the input's type (<see cref="Invoke{THandler, TInput}(Function{THandler}, TInput, JsonTypeInfo{TInput})"/>);
/// the compiler checks both. Scheduled invocations are asynchronous: results are discarded.</para>
/// <para>The construct tree describes every schedule for local runs: <see cref="FindAll"/>, <see cref="ScheduleExpression"/>,
/// <see cref="TimeZone"/>, <see cref="Targets"/> (function and constant input) and <see cref="NextOccurrences"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var cleanup = new Function&lt;NightlyCleanup&gt;(stack, "NightlyCleanup");        // NightlyCleanup : IScheduledHandler
/// var report = new Function&lt;SendReport&gt;(stack, "SendReport");                 // SendReport : ILambdaHandler&lt;ReportRequest, LambdaVoid&gt;
///
/// new Schedule(stack, "Nightly", new() { Expression = Schedule.Cron("0 2 * * ? *") })
///     .Invoke(cleanup)
///     .Invoke(report, new ReportRequest("daily"), AppJson.Default.ReportRequest);
///
/// new Schedule(stack, "MorningParis", new()
/// {
///     Expression = ScheduleExpression.WeeklyOn(DayOfWeek.Monday, 9, 0),
///     TimeZone = "Europe/Paris",                                                    // selects EventBridge Scheduler
///     FlexibleWindow = TimeSpan.FromMinutes(15),
/// }).Invoke(cleanup);
/// </code>
/// </example>
public sealed class Schedule : Construct
{
    /// <summary>The most targets an EventBridge rule can have.</summary>
    public const int MaxRuleTargets = 5;

    /// <summary>The longest rule or Scheduler schedule name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest description (rules and Scheduler schedules).</summary>
    public const int MaxDescriptionLength = 512;

    /// <summary>The longest constant input of a rule target, in characters.</summary>
    public const int MaxRuleInputLength = 8192;

    /// <summary>The widest flexible time window, in minutes.</summary>
    public const int MaxFlexibleWindowMinutes = 1440;

    private static readonly Regex RuleNamePattern = new(@"^[\.\-_A-Za-z0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex SchedulerNamePattern = new(@"^[0-9a-zA-Z\-_.]+$", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> NonZoneIds = new(StringComparer.OrdinalIgnoreCase) { "localtime", "posixrules", "posix", "right", "Factory" };

    private readonly List<ScheduleTarget> _targets = new();

    /// <summary>Creates the schedule; attach functions with <c>Invoke</c>.</summary>
    public Schedule(Construct scope, string id, ScheduleProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Props = props;
        ScheduleExpression = ParseExpression(props.Expression);
        TimeZone = props.TimeZone is null ? null : ResolveZone(props.TimeZone);
        Engine = ChooseEngine(props);
        ValidateProps(props);

        if (Engine == ScheduleEngine.EventBridgeRule)
        {
            Rule = new EventRule(this, DefaultChildId, new()
            {
                ScheduleExpression = ExpressionText is { } text ? (Input<string>)text : null,
                State = props.Enabled ? "ENABLED" : "DISABLED",
                Description = props.Description is { } d ? (Input<string>)d : null,
            });
        }
    }

    /// <summary>The options the schedule was created with.</summary>
    public ScheduleProps Props { get; }

    /// <summary>The parsed expression, or <see langword="null"/> when it is invalid (synthesis then fails with the errors).</summary>
    public ScheduleExpression? ScheduleExpression { get; }

    /// <summary>The expression text written to the resources (canonical when valid).</summary>
    public string? ExpressionText => ScheduleExpression?.ToString() ?? Props.Expression?.Text;

    /// <summary>The time zone cron fields and <c>at</c> times are read in, or <see langword="null"/> for UTC.</summary>
    public TimeZoneInfo? TimeZone { get; }

    /// <summary>The IANA id of <see cref="TimeZone"/>, or <see langword="null"/> for UTC.</summary>
    public string? TimeZoneId => Props.TimeZone;

    /// <summary>Whether the schedule runs (deployed as <c>ENABLED</c>).</summary>
    public bool Enabled => Props.Enabled;

    /// <summary>The service that runs the schedule.</summary>
    public ScheduleEngine Engine { get; }

    /// <summary>The <c>aws:cloudwatch:EventRule</c> (EventBridge rule engine), else <see langword="null"/>.</summary>
    public EventRule? Rule { get; }

    /// <summary>The Scheduler role (Scheduler engine, created with the first target), else <see langword="null"/>.</summary>
    public ServiceRole? Role { get; private set; }

    /// <summary>The targets, in the order they were added.</summary>
    public IReadOnlyList<ScheduleTarget> Targets => _targets;

    /// <summary>The <c>aws:scheduler:Schedule</c> resources, one per target (Scheduler engine); empty for a rule.</summary>
    public IReadOnlyList<SchedulerScheduleResource> SchedulerSchedules =>
        _targets.Where(t => t.SchedulerSchedule is not null).Select(t => t.SchedulerSchedule!).ToList();

    /// <summary>The first target's <c>aws:scheduler:Schedule</c> (Scheduler engine), else <see langword="null"/>; see <see cref="SchedulerSchedules"/>.</summary>
    public SchedulerScheduleResource? SchedulerSchedule => _targets.FirstOrDefault()?.SchedulerSchedule;

    /// <summary>A <c>cron(...)</c> expression from its six fields, such as <c>Schedule.Cron("0 2 * * ? *")</c> (checked by the construct).</summary>
    /// <param name="fields">minutes hours day-of-month month day-of-week year; text already wrapped in <c>cron(...)</c> is kept as is.</param>
    public static ScheduleSpec Cron(string fields)
    {
        if (string.IsNullOrWhiteSpace(fields))
        {
            return ScheduleSpec.Invalid(fields, "cron: the six fields are missing; expected e.g. Schedule.Cron(\"0 2 * * ? *\") (minutes hours day-of-month month day-of-week year)");
        }
        return ScheduleSpec.FromText(fields.StartsWith("cron(", StringComparison.Ordinal) ? fields : $"cron({fields})");
    }

    /// <summary>A <c>rate(...)</c> expression: a positive whole number of minutes, written with the largest exact unit (checked by the construct).</summary>
    public static ScheduleSpec Rate(TimeSpan interval)
    {
        try
        {
            return ScheduleSpec.FromExpression(Lamina.Aws.Semantics.Scheduling.ScheduleExpression.Rate(interval));
        }
        catch (ArgumentOutOfRangeException)
        {
            return ScheduleSpec.Invalid($"rate({interval.ToString("c", CultureInfo.InvariantCulture)})",
                $"rate: interval {interval.ToString("c", CultureInfo.InvariantCulture)} is not allowed: EventBridge rates are a positive whole number of minutes, hours or days (at least 1 minute)");
        }
    }

    /// <summary>Expression text as written for EventBridge: <c>cron(...)</c>, <c>rate(...)</c> or <c>at(...)</c> (checked by the construct).</summary>
    public static ScheduleSpec Expression(string text) => ScheduleSpec.FromText(text);

    /// <summary>Every schedule at or below <paramref name="root"/> (an app, a stack or any construct), depth first.</summary>
    public static IReadOnlyList<Schedule> FindAll(Construct root) => root.DescendantsAndSelf().OfType<Schedule>().ToList();

    /// <summary>
    /// The next <paramref name="count"/> occurrences strictly after <paramref name="from"/>, in <see cref="TimeZone"/> (UTC when
    /// none); a rate counts from <paramref name="rateStart"/>, or from <paramref name="from"/> when not given (AWS anchors it
    /// at creation). Fewer are returned when the expression ends (an <c>at</c> time, a cron year range).
    /// </summary>
    /// <exception cref="InvalidOperationException">The expression is invalid.</exception>
    public IReadOnlyList<DateTimeOffset> NextOccurrences(DateTimeOffset from, int count, DateTimeOffset? rateStart = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var expression = ScheduleExpression
            ?? throw new InvalidOperationException($"{Path}: the schedule expression '{Props.Expression}' is invalid, so it has no occurrences.");
        return expression.Occurrences(from, TimeZone, rateStart).Take(count).ToList();
    }

    /// <summary>Runs the .NET function at each occurrence with the scheduled event (its handler is an <see cref="IScheduledHandler"/>).</summary>
    /// <returns>This schedule, for chaining.</returns>
    public Schedule Invoke<THandler>(Function<THandler> function) where THandler : class, IScheduledHandler
        => AddTarget(function, null);

    /// <summary>
    /// Runs the .NET function at each occurrence with the constant <paramref name="input"/> instead of the scheduled event, so its
    /// handler takes <typeparamref name="TInput"/> (checked by the compiler). <paramref name="inputTypeInfo"/> is the JSON
    /// metadata the handler reads its event with (from its <c>JsonSerializerContext</c>), so names and formats match.
    /// </summary>
    /// <returns>This schedule, for chaining.</returns>
    public Schedule Invoke<THandler, TInput>(Function<THandler> function, TInput input, JsonTypeInfo<TInput> inputTypeInfo)
        where THandler : class, ILambdaHandler<TInput, LambdaVoid>
        => AddTarget(function, SerializeInput(input, inputTypeInfo));

    /// <summary>
    /// As <see cref="Invoke{THandler, TInput}(Function{THandler}, TInput, JsonTypeInfo{TInput})"/> for a handler that returns a
    /// value (discarded: scheduled invocations are asynchronous). Name the three types: <c>Invoke&lt;Handler, Input, Result&gt;(...)</c>.
    /// </summary>
    /// <returns>This schedule, for chaining.</returns>
    public Schedule Invoke<THandler, TInput, TResult>(Function<THandler> function, TInput input, JsonTypeInfo<TInput> inputTypeInfo)
        where THandler : class, ILambdaHandler<TInput, TResult>
        => AddTarget(function, SerializeInput(input, inputTypeInfo));

    /// <summary>
    /// Runs a function written in another language at each occurrence: with the scheduled event when <paramref name="input"/> is
    /// <see langword="null"/> (the function must declare <see cref="EventSources.Schedule"/>), else with that constant JSON
    /// (it must declare <see cref="EventSources.Direct"/>). Checked at synthesis.
    /// </summary>
    /// <returns>This schedule, for chaining.</returns>
    public Schedule Invoke(Function function, JsonNode? input = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        function.RequireEvents(input is null ? EventSources.Schedule : EventSources.Direct, this);
        return AddTarget(function, input?.DeepClone());
    }

    private Schedule AddTarget(FunctionBase function, JsonNode? input)
    {
        ArgumentNullException.ThrowIfNull(function);
        Expr? inputExpr = null;
        if (input is not null)
        {
            var problems = new List<string>();
            inputExpr = ScheduleJson.ToExpr(input, "$", problems);
            foreach (var problem in problems)
            {
                AddError("input", $"constant input of target {function.Path}: {problem}");
            }
            var length = input.ToJsonString().Length;
            if (Engine == ScheduleEngine.EventBridgeRule && length > MaxRuleInputLength)
            {
                AddError("input", $"constant input of target {function.Path} has {length.ToString(CultureInfo.InvariantCulture)} characters; an EventBridge rule target allows at most {MaxRuleInputLength.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (Engine == ScheduleEngine.EventBridgeRule)
        {
            var target = NewTarget(function, input);
            target.Permission = LambdaPermissions.AllowInvoke(target, "Permission", function, "events.amazonaws.com", Rule!.Arn);
            target.EventTarget = new EventTarget(target, DefaultChildId, new()
            {
                Rule = Rule.Name,
                Arn = function.Arn,
                Input = inputExpr is null ? null : (Input<string>)Output.Json(inputExpr),
            }, new ResourceOptions { DependsOn = [target.Permission] });
        }
        else
        {
            Role ??= new ServiceRole(this, "Role", "scheduler.amazonaws.com");
            function.GrantInvoke(Role);
            var target = NewTarget(function, input);
            target.SchedulerSchedule = new SchedulerScheduleResource(target, DefaultChildId, new()
            {
                ScheduleExpression = ExpressionText ?? "",
                ScheduleExpressionTimezone = Props.TimeZone is { } zone ? (Input<string>)zone : null,
                FlexibleTimeWindow = Props.FlexibleWindow is { } window
                    ? new SchedulerInputs.ScheduleFlexibleTimeWindowArgs { Mode = "FLEXIBLE", MaximumWindowInMinutes = window.TotalMinutes }
                    : new SchedulerInputs.ScheduleFlexibleTimeWindowArgs { Mode = "OFF" },
                Description = Props.Description is { } d ? (Input<string>)d : null,
                State = Props.Enabled ? "ENABLED" : "DISABLED",
                Target = new SchedulerInputs.ScheduleTargetArgs
                {
                    Arn = function.Arn,
                    RoleArn = Role.Arn,
                    Input = Output.Json(inputExpr ?? SchedulerEventEnvelope()),
                },
            }, new ResourceOptions { DependsOn = [Role.Policy] });
        }
        return this;
    }

    private ScheduleTarget NewTarget(FunctionBase function, JsonNode? input)
    {
        var baseId = function.Id;
        var id = baseId;
        for (var n = 2; TryFindChild(id) is not null; n++)
        {
            var suffix = n.ToString(CultureInfo.InvariantCulture);
            id = (baseId.Length + suffix.Length > MaxIdLength ? baseId[..(MaxIdLength - suffix.Length)] : baseId) + suffix;
        }
        var target = new ScheduleTarget(this, id, function, input);
        _targets.Add(target);
        return target;
    }

    // Scheduler delivers its input as is (no EventBridge envelope): Lamina writes the scheduled-event envelope a
    // ScheduledEvent handler reads, filled in by Scheduler's context attributes at each invocation.
    private ObjectExpr SchedulerEventEnvelope() => new(
    [
        new("version", Expr.Of("0")),
        new("id", Expr.Of("<aws.scheduler.execution-id>")),
        new("detail-type", Expr.Of("Scheduled Event")),
        new("source", Expr.Of("aws.scheduler")),
        new("account", LambdaPermissions.AccountId(Stack).ToExpr()),
        new("time", Expr.Of("<aws.scheduler.scheduled-time>")),
        new("region", Expr.Of(LambdaPermissions.Region(Stack))),
        new("resources", new ListExpr([Expr.Of("<aws.scheduler.schedule-arn>")])),
        new("detail", new ObjectExpr([])),
    ]);

    private static JsonNode? SerializeInput<TInput>(TInput input, JsonTypeInfo<TInput> inputTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(inputTypeInfo);
        return JsonSerializer.SerializeToNode(input, inputTypeInfo)
            ?? throw new ArgumentException("The constant input serialized to JSON null; pass a value (or use Invoke(function) to send the scheduled event).", nameof(input));
    }

    private ScheduleExpression? ParseExpression(ScheduleSpec? spec)
    {
        if (spec is null)
        {
            AddError("Expression", "the schedule expression is missing; use cron(...), rate(...) or at(...), e.g. Schedule.Cron(\"0 2 * * ? *\") or Schedule.Rate(TimeSpan.FromMinutes(5))");
            return null;
        }
        if (spec.Error is { } error)
        {
            AddError("Expression", error);
            return null;
        }
        if (spec.Parsed is { } parsed)
        {
            return parsed;
        }
        if (Lamina.Aws.Semantics.Scheduling.ScheduleExpression.TryParse(spec.Text, out var expression, out var errors))
        {
            return expression;
        }
        foreach (var e in errors)
        {
            AddError("Expression", $"schedule expression '{spec.Text}' is invalid: {e}");
        }
        return null;
    }

    private TimeZoneInfo? ResolveZone(string id)
    {
        const string Allowed = "use an IANA time zone id such as 'Europe/Paris', 'America/New_York' or 'UTC'";
        if (string.IsNullOrWhiteSpace(id) || NonZoneIds.Contains(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
        {
            AddError("TimeZone", $"time zone '{id}' is not an IANA time zone id; {Allowed}");
            return null;
        }
        if (!string.Equals(zone.Id, id, StringComparison.Ordinal))
        {
            AddError("TimeZone", $"time zone '{id}' must be written exactly as its IANA id '{zone.Id}' (EventBridge Scheduler compares ids case-sensitively)");
            return null;
        }
        return zone;
    }

    private ScheduleEngine ChooseEngine(ScheduleProps props)
    {
        var needs = new List<(string Property, string Feature)>();
        if (ScheduleExpression is { Kind: ScheduleKind.At })
        {
            needs.Add(("Expression", $"one-time expression '{ScheduleExpression}'"));
        }
        if (props.TimeZone is not null)
        {
            needs.Add(("TimeZone", $"time zone '{props.TimeZone}'"));
        }
        if (props.FlexibleWindow is not null)
        {
            needs.Add(("FlexibleWindow", "flexible time window"));
        }
        if (props.UseScheduler == false)
        {
            foreach (var (property, feature) in needs)
            {
                AddError(property, $"the {feature} needs EventBridge Scheduler, but UseScheduler = false makes this an EventBridge rule " +
                    "(rules take only cron(...) and rate(...) expressions, in UTC, run at the scheduled time): remove the setting or set UseScheduler = true");
            }
            return ScheduleEngine.EventBridgeRule;
        }
        return props.UseScheduler == true || needs.Count > 0 ? ScheduleEngine.Scheduler : ScheduleEngine.EventBridgeRule;
    }

    private void ValidateProps(ScheduleProps props)
    {
        if (props.Description is { Length: > MaxDescriptionLength })
        {
            AddError("Description", $"description has {props.Description.Length.ToString(CultureInfo.InvariantCulture)} characters; EventBridge allows at most {MaxDescriptionLength.ToString(CultureInfo.InvariantCulture)}");
        }
        if (props.FlexibleWindow is { } window
            && (window.Ticks % TimeSpan.TicksPerMinute != 0 || window < TimeSpan.FromMinutes(1) || window > TimeSpan.FromMinutes(MaxFlexibleWindowMinutes)))
        {
            AddError("FlexibleWindow", $"flexible window {window.ToString("c", CultureInfo.InvariantCulture)} is not allowed: EventBridge Scheduler takes whole minutes, 1-1,440 (24 hours)");
        }
    }

    /// <inheritdoc />
    protected override void Prepare()
    {
        var t = Props.Transform;
        if (t is null)
        {
            return;
        }
        if (Rule is not null)
        {
            t.Rule?.Invoke(Rule.Args);
        }
        if (Role is not null)
        {
            t.Role?.Invoke(Role.Role.Args);
        }
        foreach (var target in _targets)
        {
            if (target.EventTarget is { } eventTarget)
            {
                t.Target?.Invoke(eventTarget.Args);
            }
            if (target.SchedulerSchedule is { } schedule)
            {
                t.SchedulerSchedule?.Invoke(schedule.Args);
            }
        }
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        if (_targets.Count == 0)
        {
            AddWarning("Targets", "the schedule has no targets, so nothing runs: add one with Invoke(function)");
        }
        if (Rule is not null)
        {
            if (_targets.Count > MaxRuleTargets)
            {
                AddError("Targets", $"the EventBridge rule has {_targets.Count.ToString(CultureInfo.InvariantCulture)} targets; a rule allows at most {MaxRuleTargets.ToString(CultureInfo.InvariantCulture)}: " +
                    "split them across schedules, or set UseScheduler = true (EventBridge Scheduler creates one schedule per target)");
            }
            CheckName("rule", Rule.Args.Name, Rule.LogicalName, RuleNamePattern, "letters, digits, '.', '-' and '_'");
            CheckTransformedExpression(Rule.Args.ScheduleExpression, rule: true);
        }
        foreach (var schedule in SchedulerSchedules)
        {
            CheckName("Scheduler schedule", schedule.Args.Name, schedule.LogicalName, SchedulerNamePattern, "letters, digits, '.', '-' and '_'");
            CheckTransformedExpression(schedule.Args.ScheduleExpression, rule: false);
        }
    }

    private void CheckName(string what, Input<string>? name, string logicalName, Regex pattern, string allowed)
    {
        if (name is null)
        {
            // Pulumi auto-names the resource: its logical name, '-' and 7 random characters.
            if (logicalName.Length + LogicalNames.AutoNameSuffixLength > MaxNameLength)
            {
                AddError("Name", $"the {what} would be auto-named '{logicalName}-xxxxxxx' ({(logicalName.Length + LogicalNames.AutoNameSuffixLength).ToString(CultureInfo.InvariantCulture)} characters); " +
                    $"AWS allows 1-{MaxNameLength.ToString(CultureInfo.InvariantCulture)}: shorten the logical name");
            }
            return;
        }
        if (name.ToExpr() is LiteralExpr { Value: string text })
        {
            if (text.Length is 0 or > MaxNameLength)
            {
                AddError("Name", $"the {what} name '{text}' has {text.Length.ToString(CultureInfo.InvariantCulture)} characters; AWS allows 1-{MaxNameLength.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (!pattern.IsMatch(text))
            {
                AddError("Name", $"the {what} name '{text}' may contain only {allowed}");
            }
        }
    }

    private void CheckTransformedExpression(Input<string>? value, bool rule)
    {
        if (value?.ToExpr() is not LiteralExpr { Value: string text } || text == ExpressionText)
        {
            return;
        }
        if (!Lamina.Aws.Semantics.Scheduling.ScheduleExpression.TryParse(text, out var expression, out var errors))
        {
            foreach (var e in errors)
            {
                AddError("Expression", $"schedule expression '{text}' (set by a transform) is invalid: {e}");
            }
        }
        else if (rule && !expression.IsSupportedByEventBridgeRules)
        {
            AddError("Expression", $"schedule expression '{text}' (set by a transform) is a one-time at(...) expression, which only EventBridge Scheduler accepts; an EventBridge rule takes cron(...) or rate(...)");
        }
    }
}
