using Lamina.Values;

namespace Lamina.Aws.Lambda;

/// <summary>The instruction set a function runs on.</summary>
public enum Architecture
{
    /// <summary><c>x86_64</c> (the default).</summary>
    X86_64,
    /// <summary><c>arm64</c> (Graviton).</summary>
    Arm64,
}

/// <summary>X-Ray tracing of a function.</summary>
public enum Tracing
{
    /// <summary>No tracing configuration (Lambda's default, PassThrough).</summary>
    Disabled,
    /// <summary>Sample and trace invocations (<c>Active</c>); grants the X-Ray write actions.</summary>
    Active,
    /// <summary>Trace only when the caller sampled (<c>PassThrough</c>).</summary>
    PassThrough,
}

/// <summary>How a .NET handler project is published into the function's <c>bootstrap</c>.</summary>
public enum DotnetPackaging
{
    /// <summary>Native AOT (the default): fastest cold start, smallest zip.</summary>
    NativeAot,
    /// <summary>Self-contained single file: no AOT restrictions on the handler code.</summary>
    SelfContained,
}

/// <summary>Something that receives a function's failed asynchronous invocations: a queue or a topic.</summary>
public interface IDeadLetterTarget
{
    /// <summary>The target's ARN.</summary>
    Output<string> Arn { get; }

    /// <summary>The action the function's role needs on the target (<c>sqs:SendMessage</c> or <c>sns:Publish</c>).</summary>
    string SendAction { get; }

    /// <summary>
    /// Called by each function that names this target as its <see cref="FunctionProps.DeadLetterTarget"/>, so the
    /// target can grant it what else it needs (a KMS-encrypted queue or topic grants its key) without searching the app.
    /// Default: nothing.
    /// </summary>
    void AddDeadLetterSource(FunctionBase function)
    {
    }
}

/// <summary>
/// Options shared by every Lambda function construct. Each is validated at construction; an error names the
/// construct path, the property and the allowed range.
/// </summary>
public record FunctionProps
{
    /// <summary>Memory in MB, 128–10,240. Default: 128 (Lambda's minimum, as in the AWS CDK).</summary>
    public int MemorySize { get; init; } = 128;

    /// <summary>Timeout, 1–900 s in whole seconds. Default: 3 s (Lambda's default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Architecture. Default: <see cref="Architecture.X86_64"/>.</summary>
    public Architecture Architecture { get; init; } = Architecture.X86_64;

    /// <summary>Environment variables (values may be outputs or secrets). Default: none. Lambda allows 4 KB in total.</summary>
    public IReadOnlyDictionary<string, Input<string>>? Environment { get; init; }

    /// <summary>Reserved concurrent executions, 0–1,000 (0 stops the function). Default: none (unreserved).</summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>Ephemeral storage (/tmp) in MB, 512–10,240. Default: 512.</summary>
    public int EphemeralStorageSize { get; init; } = 512;

    /// <summary>Description, at most 256 characters. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>X-Ray tracing. Default: <see cref="Tracing.Disabled"/>.</summary>
    public Tracing Tracing { get; init; } = Tracing.Disabled;

    /// <summary>
    /// Days CloudWatch keeps the function's logs, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    /// 1096, 1827, 2192, 2557, 2922, 3288, 3653; 0 keeps them forever. Default: 14.
    /// </summary>
    public int LogRetentionDays { get; init; } = 14;

    /// <summary>Where failed asynchronous invocations go (after Lambda's two retries). Default: none.</summary>
    public IDeadLetterTarget? DeadLetterTarget { get; init; }

    /// <summary>Adjusts the underlying resources' arguments just before synthesis (an escape hatch). Default: none.</summary>
    public FunctionTransforms? Transform { get; init; }
}

/// <summary>Callbacks that adjust a function's underlying resources before synthesis (as SST's <c>transform</c>).</summary>
public sealed record FunctionTransforms
{
    /// <summary>Adjusts the <c>aws:lambda:Function</c> arguments.</summary>
    public Action<Lamina.Aws.Resources.Lambda.FunctionArgs>? Function { get; init; }

    /// <summary>Adjusts the execution role's arguments.</summary>
    public Action<Lamina.Aws.Resources.Iam.RoleArgs>? Role { get; init; }

    /// <summary>Adjusts the log group's arguments.</summary>
    public Action<Lamina.Aws.Resources.CloudWatch.LogGroupArgs>? LogGroup { get; init; }
}
