using System.Globalization;
using Lamina;
using Lamina.Examples;

namespace Shop;

/// <summary>
/// The reference application: the five reference architectures of examples/ composed in one stack, <c>shop</c>.
/// Configuration (stacks/Pulumi.&lt;stack&gt;.yaml, or PULUMI_CONFIG under Pulumi): <c>aws:region</c>, and
/// <c>shop:retentionDays</c> (1-14, default 14), how long the fan-out's dead-letter queues keep failed messages.
/// </summary>
/// <param name="Stack">The stack.</param>
/// <param name="Api">examples/api: HTTP and REST APIs in front of functions.</param>
/// <param name="Cron">examples/cron: the nightly job.</param>
/// <param name="Fanout">examples/fanout: SNS to two SQS queues, each drained by a function.</param>
/// <param name="Uploads">examples/uploads: S3 upload processing.</param>
/// <param name="Workflow">examples/workflow: the checkout state machine behind an API route.</param>
public sealed record ShopStack(Stack Stack, ApiExample Api, CronExample Cron, FanoutExample Fanout, UploadsExample Uploads, WorkflowExample Workflow)
{
    /// <summary>The dead-letter retention when <c>shop:retentionDays</c> is not set.</summary>
    public const int DefaultRetentionDays = 14;

    /// <summary>Defines the <c>shop</c> stack in <paramref name="app"/>.</summary>
    public static ShopStack Define(App app)
    {
        var stack = new Stack(app, "shop", new() { Description = "Lamina reference application: the five reference architectures in one stack" });
        var retentionDays = RetentionDays(stack);

        var api = ApiExample.Define(stack);
        var cron = CronExample.Define(stack);
        var fanout = FanoutExample.Define(stack, new() { DeadLetterRetention = TimeSpan.FromDays(retentionDays) });
        var uploads = UploadsExample.Define(stack);
        var workflow = WorkflowExample.Define(stack);

        stack.AddAspect(new Tags(new Dictionary<string, string> { ["app"] = "shop", ["managed-by"] = "lamina" }));
        return new ShopStack(stack, api, cron, fanout, uploads, workflow);
    }

    private static int RetentionDays(Stack stack)
    {
        var text = stack.Config.Get("retentionDays");
        if (text is null)
        {
            return DefaultRetentionDays;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) || days is < 1 or > 14)
        {
            stack.AddError("config", $"shop:retentionDays is '{text}': it must be a whole number of days from 1 to 14 (SQS keeps messages at most 14 days)");
            return DefaultRetentionDays;
        }
        return days;
    }
}
