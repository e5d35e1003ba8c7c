using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lamina.Aws.Iam;
using Lamina.Aws.Lambda;
using Lamina.Aws.Resources.CloudWatch;
using Lamina.Aws.Semantics.StepFunctions;
using Lamina.Values;
using SfnStateMachine = Lamina.Aws.Resources.Sfn.StateMachine;

namespace Lamina.Aws.StepFunctions;

/// <summary>Standard (long-running, exactly-once) or Express (short, high-volume) workflows.</summary>
public enum StateMachineType
{
    /// <summary><c>STANDARD</c> (the default).</summary>
    Standard,
    /// <summary><c>EXPRESS</c>.</summary>
    Express,
}

/// <summary>Options of a <see cref="StateMachine"/>.</summary>
public sealed record StateMachineProps
{
    /// <summary>The definition built with the typed states (<see cref="Chain"/>). Exactly one of this and <see cref="DefinitionJson"/> is required.</summary>
    public IChainable? Definition { get; init; }

    /// <summary>
    /// A hand-written Amazon States Language definition (JSON), validated like a built one. <c>${Name}</c> placeholders are
    /// replaced by <see cref="DefinitionSubstitutions"/>. Default: none.
    /// </summary>
    public string? DefinitionJson { get; init; }

    /// <summary>
    /// Values for <c>${Name}</c> placeholders of <see cref="DefinitionJson"/>: a <see cref="FunctionBase"/> (its ARN; the role may
    /// invoke it) or any string input. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, object>? DefinitionSubstitutions { get; init; }

    /// <summary>A comment written into the definition. Default: none.</summary>
    public string? Comment { get; init; }

    /// <summary>Seconds after which an execution fails with States.Timeout (<c>TimeoutSeconds</c>). Default: none (a year for Standard).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The workflow type. Default: <see cref="StateMachineType.Standard"/>.</summary>
    public StateMachineType Type { get; init; } = StateMachineType.Standard;

    /// <summary>Send execution logs to a log group (level ALL, with execution data). Default: false.</summary>
    public bool Logging { get; init; }

    /// <summary>Adjusts the underlying <c>aws:sfn:StateMachine</c> arguments before synthesis. Default: none.</summary>
    public Action<Lamina.Aws.Resources.Sfn.StateMachineArgs>? Transform { get; init; }
}

/// <summary>
/// A Step Functions state machine: the definition (typed states or hand-written ASL, validated at synthesis: unreachable
/// states, missing Next or End, duplicate names, malformed paths and error names), its role — allowed to invoke exactly
/// the functions the definition uses — and optional logging. Function ARNs are embedded as references (<c>fn::toJSON</c>).
/// </summary>
/// <example>
/// <code>
/// var checkout = new StateMachine(stack, "Checkout", new()
/// {
///     Definition = Chain.Start(new LambdaInvoke("Validate", validate))
///         .Next(new Choice("Valid?")
///             .When(Condition.BooleanEquals("$.valid", true),
///                   new LambdaInvoke("Charge", charge).Retry(Errors.TaskFailed, maxAttempts: 3).Catch(Errors.All, Fail.Because("PaymentFailed")))
///             .Otherwise(Fail.Because("InvalidOrder"))),
/// });
/// checkout.GrantStartExecution(placeOrder);
/// </code>
/// </example>
public sealed class StateMachine : Construct
{
    private const string PlaceholderArn = "arn:aws:lambda:us-east-1:123456789012:function:lamina-placeholder";
    private static readonly Regex Placeholder = new(@"\$\{([A-Za-z0-9_.-]+)\}", RegexOptions.CultureInvariant);

    /// <summary>Creates the state machine.</summary>
    public StateMachine(Construct scope, string id, StateMachineProps props) : base(scope, id)
    {
        Props = props;
        if ((props.Definition is null) == (props.DefinitionJson is null))
        {
            AddError("Definition", "set exactly one of Definition (typed states) and DefinitionJson (hand-written ASL)");
        }
        if (props.TimeoutSeconds is < 1 or > 99_999_999)
        {
            AddError("TimeoutSeconds", $"timeout {props.TimeoutSeconds} is out of range: 1-99,999,999 seconds");
        }
        Role = new ServiceRole(this, "Role", "states.amazonaws.com");
        if (props.Logging)
        {
            LogGroup = new LogGroup(this, "Logs", new() { NamePrefix = "/aws/vendedlogs/states/", RetentionInDays = 14 });
            // CloudWatch Logs' log-delivery actions have no resource-level permissions (see README: wildcard exceptions).
            Role.AddToRolePolicy(new PolicyStatement
            {
                Actions = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
                Resources = ["*"],
            });
        }
        Resource = new SfnStateMachine(this, DefaultChildId, new()
        {
            RoleArn = Role.Arn,
            Definition = "{}",
            TypeValue = props.Type == StateMachineType.Express ? "EXPRESS" : "STANDARD",
            LoggingConfiguration = LogGroup is null ? null : new()
            {
                Level = "ALL",
                IncludeExecutionData = true,
                LogDestination = Output.Format($"{LogGroup.Arn}:*"),
            },
        }, new Lamina.Resources.ResourceOptions { DependsOn = [Role.Policy] });
    }

    /// <summary>The options.</summary>
    public StateMachineProps Props { get; }

    /// <summary>The <c>aws:sfn:StateMachine</c> resource.</summary>
    public SfnStateMachine Resource { get; }

    /// <summary>The state machine's role.</summary>
    public ServiceRole Role { get; }

    /// <summary>The log group, when logging is on.</summary>
    public LogGroup? LogGroup { get; }

    /// <summary>The state machine's ARN.</summary>
    public Output<string> Arn => Resource.Arn;

    /// <summary>The functions the definition invokes (known after synthesis preparation).</summary>
    public IReadOnlyList<FunctionBase> InvokedFunctions { get; private set; } = [];

    /// <summary>The definition as JSON with function ARNs replaced by placeholders (for tools and the local harness), set during preparation.</summary>
    public JsonNode? DefinitionPreview { get; private set; }

    /// <summary>Lets <paramref name="principal"/> start executions: exactly <c>states:StartExecution</c> on this state machine.</summary>
    public void GrantStartExecution(IGrantable principal) => principal.AddToRolePolicy(new PolicyStatement { Actions = ["states:StartExecution"], Resources = [Arn] });

    /// <summary>Lets <paramref name="principal"/> run synchronous Express executions: exactly <c>states:StartSyncExecution</c>.</summary>
    public void GrantStartSyncExecution(IGrantable principal) => principal.AddToRolePolicy(new PolicyStatement { Actions = ["states:StartSyncExecution"], Resources = [Arn] });

    /// <inheritdoc />
    protected override void Prepare()
    {
        object? document;
        var functions = new List<FunctionBase>();
        if (Props.Definition is { } chain)
        {
            var ctx = new AslRenderContext();
            var extra = new Dictionary<string, object?>();
            if (Props.Comment is not null) extra["Comment"] = Props.Comment;
            if (Props.TimeoutSeconds is int t) extra["TimeoutSeconds"] = t;
            var dict = StateGraph.Render(chain, ctx, null, null);
            var ordered = new Dictionary<string, object?>();
            foreach (var (k, v) in extra) ordered[k] = v;
            foreach (var (k, v) in dict) ordered[k] = v;
            ReportDuplicates(ordered, "");
            functions.AddRange(ctx.Functions);
            document = ordered;
            DefinitionPreview = ToPreview(document);
            foreach (var e in AslValidator.Validate(DefinitionPreview))
            {
                AddError("Definition", $"{(e.Path.Length == 0 ? "" : e.Path + ": ")}{e.Message}");
            }
        }
        else if (Props.DefinitionJson is { } json)
        {
            var substitutions = Props.DefinitionSubstitutions ?? new Dictionary<string, object>();
            foreach (Match m in Placeholder.Matches(json))
            {
                if (!substitutions.ContainsKey(m.Groups[1].Value))
                {
                    AddError("DefinitionSubstitutions", $"the definition uses ${{{m.Groups[1].Value}}} but DefinitionSubstitutions has no '{m.Groups[1].Value}'");
                }
            }
            var previewText = Placeholder.Replace(json, m => substitutions.TryGetValue(m.Groups[1].Value, out var v) && v is FunctionBase ? PlaceholderArn : "placeholder");
            var errors = AslValidator.Validate(previewText);
            foreach (var e in errors)
            {
                AddError("DefinitionJson", $"{(e.Path.Length == 0 ? "" : e.Path + ": ")}{e.Message}");
            }
            JsonNode? parsed = null;
            if (errors.Count == 0)
            {
                // Only a valid definition is rendered (an invalid one may repeat keys, which JsonNode cannot hold).
                parsed = JsonNode.Parse(json);
                DefinitionPreview = JsonNode.Parse(previewText);
            }
            functions.AddRange(substitutions.Values.OfType<FunctionBase>().Distinct());
            document = parsed is null ? "{}" : FromJson(parsed, substitutions);
        }
        else
        {
            return;
        }

        InvokedFunctions = functions;
        if (functions.Count > 0)
        {
            Role.AddToRolePolicy(new PolicyStatement { Actions = ["lambda:InvokeFunction"], Resources = functions.Select(f => (Input<string>)f.Arn).ToArray() });
        }
        Resource.Args.Definition = Output.Json(document);
        Props.Transform?.Invoke(Resource.Args);
    }

    private void ReportDuplicates(Dictionary<string, object?> scope, string path)
    {
        if (scope.Remove(StateGraph.DuplicateMarker, out var dups) && dups is List<string> names)
        {
            foreach (var n in names.Distinct())
            {
                AddError("Definition", $"{path}States.{n}: two different states are named \"{n}\"; state names must be unique within a state machine (or a branch)");
            }
        }
        if (scope.TryGetValue("States", out var states) && states is Dictionary<string, object?> s)
        {
            foreach (var (name, state) in s)
            {
                if (state is not Dictionary<string, object?> sd) continue;
                if (sd.TryGetValue("Branches", out var branches) && branches is object?[] list)
                {
                    for (var i = 0; i < list.Length; i++)
                    {
                        if (list[i] is Dictionary<string, object?> b) ReportDuplicates(b, $"{path}States.{name}.Branches[{i}].");
                    }
                }
                if (sd.TryGetValue("ItemProcessor", out var proc) && proc is Dictionary<string, object?> p)
                {
                    ReportDuplicates(p, $"{path}States.{name}.ItemProcessor.");
                }
            }
        }
    }

    /// <summary>The document with outputs replaced by placeholder text, as JSON (what the validator and the local harness read).</summary>
    private static JsonNode? ToPreview(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        IInput => JsonValue.Create(PlaceholderArn),
        IDictionary<string, object?> d => new JsonObject(d.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, ToPreview(kv.Value)))),
        IReadOnlyDictionary<string, object?> d => new JsonObject(d.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, ToPreview(kv.Value)))),
        System.Collections.IEnumerable e => new JsonArray(e.Cast<object?>().Select(ToPreview).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>Turns parsed JSON into a document whose <c>${Name}</c> placeholders are references.</summary>
    private static object? FromJson(JsonNode? node, IReadOnlyDictionary<string, object> substitutions) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(kv => kv.Key, kv => FromJson(kv.Value, substitutions)),
        JsonArray a => a.Select(x => FromJson(x, substitutions)).ToArray(),
        JsonValue v when v.TryGetValue<string>(out var s) => Substitute(s, substitutions),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v => v.GetValue<double>(),
        _ => node.ToJsonString(),
    };

    private static object Substitute(string text, IReadOnlyDictionary<string, object> substitutions)
    {
        if (!Placeholder.IsMatch(text))
        {
            return text;
        }
        var parts = new List<object>();
        var last = 0;
        foreach (Match m in Placeholder.Matches(text))
        {
            parts.Add(text[last..m.Index]);
            parts.Add(substitutions.TryGetValue(m.Groups[1].Value, out var v)
                ? v switch { FunctionBase f => f.Arn.ToExpr(), IInput i => i.ToExpr(), _ => Expr.Of(v.ToString()) }
                : Expr.Of(m.Value));
            last = m.Index + m.Length;
        }
        parts.Add(text[last..]);
        var e = new InterpolationExpr(parts);
        return e.Parts.Count == 1 && e.Parts[0] is Expr only ? only : e;
    }
}
