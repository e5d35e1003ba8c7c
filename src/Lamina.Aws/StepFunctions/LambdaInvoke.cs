using Lamina.Aws.Lambda;

namespace Lamina.Aws.StepFunctions;

/// <summary>
/// A Task state invoking a Lambda function through the optimized integration (<c>arn:aws:states:::lambda:invoke</c>):
/// <c>Parameters</c> holds <c>FunctionName</c> (the function's ARN, a reference) and <c>Payload</c>.
/// </summary>
/// <example>
/// <code>
/// var charge = new LambdaInvoke("Charge", chargeFn) { TimeoutSeconds = 30 }
///     .Retry(Errors.TaskFailed, maxAttempts: 3)
///     .Catch(Errors.All, Fail.Because("PaymentFailed"));
/// </code>
/// </example>
public sealed class LambdaInvoke : RetryableState
{
    /// <summary>Creates the task invoking <paramref name="function"/>.</summary>
    public LambdaInvoke(string name, FunctionBase function) : base(name) => Function = function;

    /// <inheritdoc />
    public override string Type => "Task";

    /// <summary>The function invoked.</summary>
    public FunctionBase Function { get; }

    /// <summary>The payload (keys ending in <c>.$</c> take paths). Default: the whole state input (<c>"Payload.$": "$"</c>).</summary>
    public IReadOnlyDictionary<string, object?>? Payload { get; init; }

    /// <summary>
    /// Pass on only the function's result (<c>"OutputPath": "$.Payload"</c> unless another OutputPath is set), rather than
    /// the integration's whole response (<c>{"Payload": ..., "StatusCode": 200, ...}</c>). Default: true.
    /// </summary>
    public bool PayloadResponseOnly { get; init; } = true;

    /// <summary>Retry Lambda's own service errors (2 s, 6 attempts, backoff 2, as AWS recommends). Default: true.</summary>
    public bool RetryOnServiceExceptions { get; init; } = true;

    /// <summary>Seconds before the task times out (<c>TimeoutSeconds</c>). Default: none (the function's own timeout applies).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Heartbeat interval (<c>HeartbeatSeconds</c>), lower than the timeout. Default: none.</summary>
    public int? HeartbeatSeconds { get; init; }

    internal override void Render(Dictionary<string, object?> d, AslRenderContext ctx)
    {
        d["Type"] = Type;
        if (Comment is not null) d["Comment"] = Comment;
        if (InputPath is not null) d["InputPath"] = InputPath;
        d["Resource"] = "arn:aws:states:::lambda:invoke";
        var parameters = new Dictionary<string, object?> { ["FunctionName"] = Function.Arn };
        if (Payload is null)
        {
            parameters["Payload.$"] = "$";
        }
        else
        {
            parameters["Payload"] = Payload;
        }
        d["Parameters"] = parameters;
        if (ResultSelector is not null) d["ResultSelector"] = ResultSelector;
        if (DiscardResult) d["ResultPath"] = null;
        else if (ResultPath is not null) d["ResultPath"] = ResultPath;
        var outputPath = OutputPath ?? (PayloadResponseOnly && ResultSelector is null && ResultPath is null && !DiscardResult ? "$.Payload" : null);
        if (outputPath is not null) d["OutputPath"] = outputPath;
        if (TimeoutSeconds is int t) d["TimeoutSeconds"] = t;
        if (HeartbeatSeconds is int h) d["HeartbeatSeconds"] = h;
        // Retry and Catch (RetryableState) without re-writing the fields above.
        var rc = new Dictionary<string, object?>();
        RenderRetryCatch(rc);
        if (RetryOnServiceExceptions)
        {
            var service = new Dictionary<string, object?> { ["ErrorEquals"] = Errors.LambdaServiceErrors, ["IntervalSeconds"] = 2, ["MaxAttempts"] = 6, ["BackoffRate"] = 2 };
            rc["Retry"] = rc.TryGetValue("Retry", out var existing) && existing is object?[] list ? list.Prepend(service).ToArray() : new object?[] { service };
        }
        foreach (var (k, v) in rc)
        {
            d[k] = v;
        }
        RenderTransition(d);
        if (!ctx.Functions.Contains(Function))
        {
            ctx.Functions.Add(Function);
        }
    }

    private void RenderRetryCatch(Dictionary<string, object?> target)
    {
        var all = new Dictionary<string, object?>();
        base.Render(all, new AslRenderContext());
        if (all.TryGetValue("Retry", out var r)) target["Retry"] = r;
        if (all.TryGetValue("Catch", out var c)) target["Catch"] = c;
    }
}
