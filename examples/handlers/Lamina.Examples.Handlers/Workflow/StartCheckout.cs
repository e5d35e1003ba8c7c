using System.Text.Json;
using Lamina.Examples.Handlers.Api;
using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Examples.Handlers.Workflow;

/// <summary>Starts executions of a Step Functions state machine.</summary>
/// <remarks>
/// Calling Step Functions is out of scope for Lamina's runtime library (it has no AWS SDK): the deployed handler uses
/// <see cref="LoggingWorkflowStarter"/>, which makes no call, logs what it would start and returns the execution ARN
/// Step Functions would assign. A real implementation (the AWS SDK's <c>StartExecution</c>) goes behind this interface;
/// the function's role already allows exactly <c>states:StartExecution</c> on the checkout state machine.
/// </remarks>
public interface IWorkflowStarter
{
    /// <summary>Starts an execution named <paramref name="name"/> with <paramref name="inputJson"/>; returns its ARN.</summary>
    Task<string> StartAsync(string stateMachineArn, string name, string inputJson, CancellationToken cancellationToken);
}

/// <summary>An <see cref="IWorkflowStarter"/> that calls nothing (see <see cref="IWorkflowStarter"/>).</summary>
public sealed class LoggingWorkflowStarter(ILambdaLogger logger) : IWorkflowStarter
{
    /// <inheritdoc />
    public Task<string> StartAsync(string stateMachineArn, string name, string inputJson, CancellationToken cancellationToken)
    {
        var arn = ExecutionArn(stateMachineArn, name);
        logger.LogInformation($"no Step Functions client in this build: would start {arn} with {inputJson.Length} bytes of input");
        return Task.FromResult(arn);
    }

    /// <summary>The ARN Step Functions gives execution <paramref name="name"/> of <paramref name="stateMachineArn"/>.</summary>
    public static string ExecutionArn(string stateMachineArn, string name) =>
        stateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name;
}

/// <summary>
/// <c>POST /checkout</c> of examples/workflow (HTTP API, payload 2.0): reads a <see cref="CheckoutRequest"/> and starts
/// the checkout state machine named by the <c>CHECKOUT_STATE_MACHINE_ARN</c> environment variable (set by the stack),
/// answering <c>202 Accepted</c> with the execution. The execution is named after the order, so a repeated request does
/// not pay twice. Full validation is the workflow's job; this handler only needs a JSON body with an order id.
/// </summary>
public sealed class StartCheckout : IHttpApiHandler
{
    /// <summary>The environment variable holding the state machine's ARN.</summary>
    public const string StateMachineVariable = "CHECKOUT_STATE_MACHINE_ARN";

    private readonly Func<ILambdaContext, IWorkflowStarter> _starter;
    private readonly Func<string, string?> _environment;

    /// <summary>The handler Lambda runs: the process environment and a <see cref="LoggingWorkflowStarter"/>.</summary>
    public StartCheckout() : this(context => new LoggingWorkflowStarter(context.Logger), LambdaEnvironment.Get)
    {
    }

    /// <summary>A handler with an explicit starter and environment (for tests and local runs).</summary>
    public StartCheckout(IWorkflowStarter starter, Func<string, string?> environment) : this(_ => starter, environment)
    {
    }

    private StartCheckout(Func<ILambdaContext, IWorkflowStarter> starter, Func<string, string?> environment)
    {
        _starter = starter;
        _environment = environment;
    }

    /// <inheritdoc />
    public async Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context)
    {
        var stateMachine = _environment(StateMachineVariable);
        if (string.IsNullOrWhiteSpace(stateMachine))
        {
            throw new InvalidOperationException($"{StateMachineVariable} is not set: the stack sets it to the checkout state machine's ARN");
        }
        CheckoutRequest? request = null;
        string? problem = null;
        try
        {
            request = JsonSerializer.Deserialize(input.GetBodyText() ?? "", ExamplesJsonContext.Default.CheckoutRequest);
        }
        catch (JsonException e)
        {
            problem = $"the request body is not a JSON checkout request: {e.Message}";
        }
        if (problem is null && (request?.OrderId is not { Length: >= 1 and <= 64 } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            problem = "orderId is required: 1-64 letters, digits, '-' and '_'";
        }
        if (problem is not null)
        {
            return HttpApiResponse.Json(new ErrorResponse { Errors = [problem] }, ExamplesJsonContext.Default.ErrorResponse, 400);
        }

        // Execution names allow 1-80 characters; the order id's 64 fit after the prefix.
        var name = "checkout-" + request!.OrderId;
        var json = JsonSerializer.Serialize(request, ExamplesJsonContext.Default.CheckoutRequest);
        var arn = await _starter(context).StartAsync(stateMachine, name, json, context.CancellationToken).ConfigureAwait(false);
        return HttpApiResponse.Json(new CheckoutStarted { ExecutionName = name, ExecutionArn = arn }, ExamplesJsonContext.Default.CheckoutStarted, 202);
    }
}
