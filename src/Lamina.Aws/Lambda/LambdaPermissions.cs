using Lamina.Aws.Resources.Lambda;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Aws.Lambda;

/// <summary>
/// Resource-based permissions that let an AWS service invoke a function, always scoped to the one source
/// (an API and route, a rule, a topic, a bucket) by <c>SourceArn</c> — and <c>SourceAccount</c> for S3.
/// </summary>
public static class LambdaPermissions
{
    /// <summary>
    /// Creates an <c>aws:lambda:Permission</c> under <paramref name="scope"/> letting <paramref name="principal"/>
    /// (such as <c>events.amazonaws.com</c>) invoke <paramref name="function"/> from <paramref name="sourceArn"/> only.
    /// </summary>
    public static Permission AllowInvoke(Construct scope, string id, FunctionBase function, string principal, Input<string> sourceArn, Input<string>? sourceAccount = null) =>
        new(scope, id, new PermissionArgs
        {
            Action = "lambda:InvokeFunction",
            Function = function.Name,
            Principal = principal,
            SourceArn = sourceArn,
            SourceAccount = sourceAccount,
        });

    /// <summary>The AWS account id of the deploying credentials (a program variable holding <c>aws:getCallerIdentity</c>).</summary>
    public static Output<string> AccountId(Stack stack) => stack.Variable<string>("awsCallerIdentity", () => new CallExpr("fn::invoke", new ObjectExpr(
    [
        new("function", Expr.Of("aws:index/getCallerIdentity:getCallerIdentity")),
        new("arguments", new ObjectExpr([])),
        new("options", new ObjectExpr([new("provider", Lamina.Aws.Resources.AwsProvider.Of(stack).SelfReference)])),
    ])), "accountId");

    /// <summary>The region of the stack's AWS provider (from <c>aws:region</c>).</summary>
    public static string Region(Stack stack) => Lamina.Aws.Resources.AwsProvider.Of(stack).Region;
}
