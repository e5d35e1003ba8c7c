using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Lamina.Aws.Iam;
using Lamina.Aws.Resources.CloudWatch;
using Lamina.Resources;
using Lamina.Values;
using LambdaFunction = Lamina.Aws.Resources.Lambda.Function;

namespace Lamina.Aws.Lambda;

/// <summary>Event sources a function can be attached to (declared by functions written in other languages).</summary>
[Flags]
public enum EventSources
{
    /// <summary>None declared.</summary>
    None = 0,
    /// <summary>HTTP API routes (payload format 2.0).</summary>
    HttpApi = 1,
    /// <summary>REST API proxy integration, or an HTTP API route with payload format 1.0.</summary>
    RestApi = 2,
    /// <summary>SQS event source mappings.</summary>
    Sqs = 4,
    /// <summary>SNS subscriptions.</summary>
    Sns = 8,
    /// <summary>S3 bucket notifications.</summary>
    S3 = 16,
    /// <summary>EventBridge schedules.</summary>
    Schedule = 32,
    /// <summary>Direct invokes, other functions and Step Functions tasks (any JSON).</summary>
    Direct = 64,
    /// <summary>Every source.</summary>
    All = HttpApi | RestApi | Sqs | Sns | S3 | Schedule | Direct,
}

/// <summary>
/// What every Lamina function construct creates: the <c>aws:lambda:Function</c>, its own execution role (trusting
/// lambda.amazonaws.com) whose policy may write only to the function's own log group, and that log group
/// (<c>/aws/lambda/&lt;name&gt;</c>) with a retention. Grants add exactly the statements they need.
/// </summary>
public abstract class FunctionBase : Construct, IGrantable
{
    private static readonly int[] RetentionValues = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
    private static readonly Regex EnvNamePattern = new("^[a-zA-Z][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> ReservedEnv = new(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    };

    private readonly SortedDictionary<string, Input<string>> _environment = new(StringComparer.Ordinal);

    /// <summary>Creates the function's resources; <paramref name="code"/>, <paramref name="runtime"/> and <paramref name="handler"/> come from the concrete construct.</summary>
    private protected FunctionBase(Construct scope, string id, FunctionProps props, Func<FunctionBase, Archive> code, string runtime, string handler)
        : base(scope, id)
    {
        Props = props;
        ValidateProps(props);
        FunctionName = LogicalNames.PhysicalName(this, 64);

        ExecutionRole = new ServiceRole(this, "Role", "lambda.amazonaws.com");
        LogGroup = new LogGroup(this, "LogGroup", new()
        {
            Name = "/aws/lambda/" + FunctionName,
            RetentionInDays = props.LogRetentionDays == 0 ? null : props.LogRetentionDays,
        });
        // Write only to its own log group: streams below it (names are chosen by Lambda, hence the scoped wildcard).
        ExecutionRole.AddToRolePolicy(new PolicyStatement
        {
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [Output.Format($"{LogGroup.Arn}:*")],
        });
        if (props.Tracing == Tracing.Active)
        {
            // X-Ray offers no resource-level permissions for these actions (see README: wildcard exceptions).
            ExecutionRole.AddToRolePolicy(new PolicyStatement { Actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resources = ["*"] });
        }
        if (props.DeadLetterTarget is { } dlq)
        {
            ExecutionRole.AddToRolePolicy(new PolicyStatement { Actions = [dlq.SendAction], Resources = [dlq.Arn] });
            dlq.AddDeadLetterSource(this);
        }
        foreach (var (k, v) in props.Environment ?? new Dictionary<string, Input<string>>())
        {
            AddEnvironment(k, v);
        }

        Resource = new LambdaFunction(this, DefaultChildId, new()
        {
            Name = FunctionName,
            Role = ExecutionRole.Arn,
            Runtime = runtime,
            Handler = handler,
            Code = code(this),
            MemorySize = props.MemorySize,
            Timeout = props.Timeout.TotalSeconds,
            Architectures = [props.Architecture == Architecture.Arm64 ? "arm64" : "x86_64"],
            Description = props.Description is { } description ? (Input<string>)description : null,
            ReservedConcurrentExecutions = props.ReservedConcurrency is int rc ? rc : null,
            EphemeralStorage = props.EphemeralStorageSize == 512 ? null : new() { Size = props.EphemeralStorageSize },
            TracingConfig = props.Tracing == Tracing.Disabled ? null : new() { Mode = props.Tracing == Tracing.Active ? "Active" : "PassThrough" },
            DeadLetterConfig = props.DeadLetterTarget is { } t ? new() { TargetArn = t.Arn } : null,
            LoggingConfig = new() { LogFormat = "JSON", LogGroup = LogGroup.Name },
            Environment = new() { Variables = new InputMap<string>() },
        }, new ResourceOptions { DependsOn = [LogGroup, ExecutionRole.Policy] });
    }

    /// <summary>The options the function was created with.</summary>
    public FunctionProps Props { get; }

    /// <summary>The function's physical name: <c>&lt;project&gt;-&lt;stack&gt;-&lt;logical name&gt;</c>, cut to Lambda's 64 characters with a hash when longer.</summary>
    public string FunctionName { get; }

    /// <summary>The <c>aws:lambda:Function</c> resource (an escape hatch: its <c>Args</c> can be changed).</summary>
    public LambdaFunction Resource { get; }

    /// <summary>The execution role.</summary>
    public ServiceRole ExecutionRole { get; }

    /// <summary>The function's log group.</summary>
    public LogGroup LogGroup { get; }

    /// <summary>The function's ARN.</summary>
    public Output<string> Arn => Resource.Arn;

    /// <summary>The ARN API Gateway uses to invoke the function.</summary>
    public Output<string> InvokeArn => Resource.InvokeArn;

    /// <summary>The function's name as an output (a reference, so dependents wait for the function).</summary>
    public Output<string> Name => Resource.Name;

    /// <summary>The function's timeout.</summary>
    public TimeSpan Timeout => Props.Timeout;

    /// <summary>The event sources this function can handle.</summary>
    public abstract EventSources HandledEvents { get; }

    /// <summary>A short description of the function's handler for messages.</summary>
    public abstract string HandlerDescription { get; }

    /// <summary>The environment variables set so far.</summary>
    public IReadOnlyDictionary<string, Input<string>> Environment => _environment;

    /// <summary>Adds (or replaces) an environment variable; names must start with a letter and use letters, digits and '_'.</summary>
    public FunctionBase AddEnvironment(string name, Input<string> value)
    {
        if (!EnvNamePattern.IsMatch(name))
        {
            AddError("environment", $"environment variable name '{name}' is invalid: it must start with a letter and contain only letters, digits and '_'");
        }
        else if (ReservedEnv.Contains(name))
        {
            AddError("environment", $"environment variable '{name}' is reserved by Lambda and cannot be set");
        }
        _environment[name] = value;
        return this;
    }

    /// <inheritdoc />
    public void AddToRolePolicy(PolicyStatement statement) => ExecutionRole.AddToRolePolicy(statement);

    /// <summary>Lets <paramref name="principal"/> invoke this function: exactly <c>lambda:InvokeFunction</c> on this function's ARN.</summary>
    public void GrantInvoke(IGrantable principal) => principal.AddToRolePolicy(new PolicyStatement
    {
        Actions = ["lambda:InvokeFunction"],
        Resources = [Arn],
    });

    /// <summary>
    /// Lets the function <paramref name="caller"/> invoke this one (exactly <c>lambda:InvokeFunction</c> on this ARN) and
    /// passes this function's name to it in the environment variable <paramref name="environmentVariable"/>, where the
    /// runtime library's <c>LambdaInvokeClient.FromEnvironment(environmentVariable)</c> finds it.
    /// </summary>
    /// <example>
    /// <code>
    /// report.GrantInvoke(nightly, "REPORT_FUNCTION");   // in the handler: LambdaInvokeClient.FromEnvironment("REPORT_FUNCTION")
    /// </code>
    /// </example>
    public void GrantInvoke(FunctionBase caller, string environmentVariable)
    {
        GrantInvoke(caller);
        caller.AddEnvironment(environmentVariable, Name);
    }

    /// <summary>
    /// Records an error unless this function handles <paramref name="source"/> (used by event-source constructs for
    /// functions whose event type is only declared, such as Python or Node.js functions).
    /// </summary>
    public void RequireEvents(EventSources source, Construct attachedBy)
    {
        if ((HandledEvents & source) == 0)
        {
            attachedBy.AddError(null, $"function {Path} ({HandlerDescription}) is attached as a {source} target but handles {(HandledEvents == EventSources.None ? "no declared events" : HandledEvents.ToString())}; " +
                $"declare it with Handles = EventSources.{source} or attach a function whose handler takes {source} events");
        }
    }

    /// <inheritdoc />
    protected override void Prepare()
    {
        var vars = Resource.Args.Environment!.Variables!;
        foreach (var (k, v) in _environment)
        {
            vars[k] = v;
        }
        if (vars.Count == 0)
        {
            Resource.Args.Environment = null;
        }
        Props.Transform?.Function?.Invoke(Resource.Args);
        Props.Transform?.Role?.Invoke(ExecutionRole.Role.Args);
        Props.Transform?.LogGroup?.Invoke(LogGroup.Args);
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        // Lambda limits the environment to 4 KB: the sum of keys and values (outputs count as their typical size).
        var size = 0;
        foreach (var (k, v) in _environment)
        {
            size += Encoding.UTF8.GetByteCount(k) + (v.ToExpr() is LiteralExpr { Value: string s } ? Encoding.UTF8.GetByteCount(s) : 64);
        }
        if (size > 4096)
        {
            AddError("environment", $"environment variables take {size.ToString(CultureInfo.InvariantCulture)} bytes; Lambda allows 4,096 bytes in total (keys and values; each output counted as 64 bytes)");
        }
    }

    private void ValidateProps(FunctionProps p)
    {
        if (p.MemorySize is < 128 or > 10240)
        {
            AddError("MemorySize", $"memory size {p.MemorySize} MB is out of range: Lambda allows 128-10,240 MB");
        }
        if (p.Timeout < TimeSpan.FromSeconds(1) || p.Timeout > TimeSpan.FromSeconds(900) || p.Timeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            AddError("Timeout", $"timeout {p.Timeout} is out of range: Lambda allows 1-900 seconds, in whole seconds");
        }
        if (p.EphemeralStorageSize is < 512 or > 10240)
        {
            AddError("EphemeralStorageSize", $"ephemeral storage {p.EphemeralStorageSize} MB is out of range: Lambda allows 512-10,240 MB");
        }
        if (p.ReservedConcurrency is < 0 or > 1000)
        {
            AddError("ReservedConcurrency", $"reserved concurrency {p.ReservedConcurrency} is out of range: 0-1,000 (the default account limit)");
        }
        if (p.Description is { Length: > 256 })
        {
            AddError("Description", $"description has {p.Description.Length} characters; Lambda allows at most 256");
        }
        if (Array.IndexOf(RetentionValues, p.LogRetentionDays) < 0)
        {
            AddError("LogRetentionDays", $"log retention {p.LogRetentionDays} days is not one CloudWatch accepts: 0 (forever) or one of {string.Join(", ", RetentionValues.Skip(1))}");
        }
    }

}
