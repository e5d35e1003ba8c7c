using System.Text;
using Lamina.Lambda.Invoke;
using Lamina.Local.Lambda;

namespace Lamina.Local.Cloud;

/// <summary>A function of a <see cref="LocalCloud"/>: invoke it and read its invocations and logs.</summary>
public sealed class LocalFunction
{
    private readonly LocalCloud _cloud;

    internal LocalFunction(LocalCloud cloud, string name)
    {
        _cloud = cloud;
        Name = name;
    }

    /// <summary>The function name (what <c>AWS_LAMBDA_FUNCTION_NAME</c> holds).</summary>
    public string Name { get; }

    /// <summary>The function's local ARN.</summary>
    public string Arn => _cloud.Lambda.GetFunctionArn(Name);

    /// <summary>Invokes the function with a JSON event, synchronously (<c>RequestResponse</c>) unless told otherwise.</summary>
    public Task<LocalInvokeResult> InvokeAsync(string eventJson = "{}", InvocationType invocationType = InvocationType.RequestResponse, CancellationToken cancellationToken = default) =>
        _cloud.Lambda.InvokeAsync(Name, Encoding.UTF8.GetBytes(eventJson), invocationType, cancellationToken);

    /// <summary>The invocations of this function so far.</summary>
    public IReadOnlyList<LocalInvocationRecord> Invocations => _cloud.Lambda.GetInvocations(Name);

    /// <summary>The log lines this function wrote so far.</summary>
    public IReadOnlyList<LocalLogEntry> Logs => _cloud.Logs.Where(l => l.FunctionName == Name).ToList();

    /// <summary>How many instances (execution environments) the function has now.</summary>
    public int InstanceCount => _cloud.Lambda.GetInstanceCount(Name);
}
