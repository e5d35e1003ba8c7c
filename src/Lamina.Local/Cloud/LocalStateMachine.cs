using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;
using Lamina.Lambda.Invoke;

namespace Lamina.Local.Cloud;

/// <summary>
/// A state machine of a <see cref="LocalCloud"/>: its definition (as synthesized, with local ARNs) run by the ASL
/// interpreter on the cloud's clock; Lambda tasks invoke the local functions.
/// </summary>
public sealed class LocalStateMachine
{
    private readonly LocalCloud _cloud;
    private readonly StateMachineExecutor _executor;
    private readonly List<ExecutionResult> _executions = [];
    private int _counter;

    internal LocalStateMachine(LocalCloud cloud, string name, string arn, StateMachineDefinition definition)
    {
        _cloud = cloud;
        Name = name;
        Arn = arn;
        _executor = new StateMachineExecutor(definition, new LambdaTaskInvoker(cloud), new StateMachineExecutorOptions
        {
            TimeProvider = cloud.Clock,
            StateMachineArn = arn,
            RoleArn = $"arn:aws:iam::{cloud.Values.AccountId}:role/{name}-role",
        });
    }

    /// <summary>The state machine's name.</summary>
    public string Name { get; }

    /// <summary>The local ARN.</summary>
    public string Arn { get; }

    /// <summary>The definition that runs.</summary>
    public StateMachineDefinition Definition => _executor.Definition;

    /// <summary>Finished executions, in the order they finished.</summary>
    public IReadOnlyList<ExecutionResult> Executions
    {
        get
        {
            lock (_executions)
            {
                return _executions.ToArray();
            }
        }
    }

    /// <summary>Runs an execution to its end (Wait states and retries move with the cloud's clock).</summary>
    /// <param name="input">The execution input (JSON), default <c>{}</c>.</param>
    /// <param name="name">The execution name, default a counter.</param>
    /// <param name="cancellationToken">Stops the execution.</param>
    public Task<ExecutionResult> StartExecutionAsync(string input = "{}", string? name = null, CancellationToken cancellationToken = default)
    {
        var node = JsonNode.Parse(input);
        name ??= $"execution-{Interlocked.Increment(ref _counter)}";
        var task = RunAsync(node, name, cancellationToken);
        _cloud.Track(task);
        return task;
    }

    private async Task<ExecutionResult> RunAsync(JsonNode? input, string name, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cloud.Lifetime);
        var result = await _executor.ExecuteAsync(input, name, linked.Token).ConfigureAwait(false);
        lock (_executions)
        {
            _executions.Add(result);
        }
        return result;
    }

    /// <summary>Runs Lambda tasks on the cloud's functions; other integrations fail with <c>States.TaskFailed</c>.</summary>
    private sealed class LambdaTaskInvoker(LocalCloud cloud) : ITaskInvoker
    {
        public async Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken)
        {
            if (context.Kind is not (TaskResourceKind.LambdaFunction or TaskResourceKind.LambdaInvoke))
            {
                throw new StatesError("States.TaskFailed", $"The local harness runs Lambda tasks only; '{context.Resource}' in state '{context.StateName}' has no local counterpart.");
            }
            var type = context.Parameters?["InvocationType"]?.GetValue<string>() == "Event" ? InvocationType.Event : InvocationType.RequestResponse;
            var result = await cloud.InvokeAsync(resource, input?.ToJsonString() ?? "{}", type, cancellationToken).ConfigureAwait(false);
            if (result.ServiceError is { } service)
            {
                throw new StatesError("Lambda." + service.ErrorType, service.Message);
            }
            if (result.Error is { } error)
            {
                throw new StatesError(error.ErrorType, System.Text.Encoding.UTF8.GetString(error.ToUtf8Json()));
            }
            return result.Payload.IsEmpty ? null : JsonNode.Parse(result.Payload.Span);
        }
    }
}
