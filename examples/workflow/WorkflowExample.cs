using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Aws.StepFunctions;
using Lamina.Examples.Handlers.Workflow;

namespace Lamina.Examples;

/// <summary>
/// examples/workflow: the seed note's Step Functions glue logic, an order checkout. <c>POST /checkout</c> (an HTTP API
/// route to <see cref="StartCheckout"/>, which may start executions of this state machine only) starts the workflow:
/// <c>Validate</c> (<see cref="ValidateOrder"/>), then the <c>Valid?</c> choice on <c>$.valid</c>: an invalid order fails
/// as <c>InvalidOrder</c>; a valid one goes to <c>Charge</c> (<see cref="ChargeCard"/>), which retries
/// <see cref="PaymentGatewayUnavailableException"/> twice, catches <see cref="PaymentDeclinedException"/> as
/// <c>PaymentDeclined</c> and any other error as <c>PaymentFailed</c>, and otherwise succeeds as <c>Charged</c>.
/// The state machine's role may invoke exactly the two task functions.
/// </summary>
/// <param name="StateMachine">The checkout state machine (stack output <c>checkoutStateMachineArn</c>).</param>
/// <param name="Api">The HTTP API with <c>POST /checkout</c> (stack output <c>CheckoutApiUrl</c>).</param>
/// <param name="StartCheckout">The function behind <c>POST /checkout</c>.</param>
/// <param name="ValidateOrder">The validation task's function.</param>
/// <param name="ChargeCard">The charge task's function.</param>
public sealed record WorkflowExample(StateMachine StateMachine, HttpApi Api, Function<StartCheckout> StartCheckout, Function<ValidateOrder> ValidateOrder, Function<ChargeCard> ChargeCard)
{
    /// <summary>Attempts of the charge after a gateway outage, besides the first.</summary>
    public const int ChargeRetries = 2;

    /// <summary>Defines the example's resources in <paramref name="scope"/>.</summary>
    /// <example>
    /// <code>
    /// return LaminaApp.Run(args, app => WorkflowExample.Define(new Stack(app, "workflow")));
    /// </code>
    /// </example>
    public static WorkflowExample Define(Construct scope)
    {
        var validate = new Function<ValidateOrder>(scope, "ValidateOrder", new() { Description = "Checkout: validates the order" });
        var charge = new Function<ChargeCard>(scope, "ChargeCard", new() { Timeout = TimeSpan.FromSeconds(10), Description = "Checkout: charges the card" });

        var checkout = new StateMachine(scope, "Checkout", new()
        {
            Comment = "Order checkout: validate, then charge with retry and catch",
            TimeoutSeconds = 300,
            Definition = Chain.Start(new LambdaInvoke("Validate", validate))
                .Next(new Choice("Valid?")
                    .When(Condition.BooleanEquals("$.valid", true),
                        new LambdaInvoke("Charge", charge)
                            .Retry(nameof(PaymentGatewayUnavailableException), maxAttempts: ChargeRetries, intervalSeconds: 2, backoffRate: 2.0)
                            .Catch(nameof(PaymentDeclinedException), Fail.Because("PaymentDeclined", "The card was declined"))
                            .Catch(Errors.All, Fail.Because("PaymentFailed", "The card could not be charged"))
                            .Next(new Succeed("Charged")))
                    .Otherwise(Fail.Because("InvalidOrder", "The order did not pass validation"))),
        });

        var start = new Function<StartCheckout>(scope, "StartCheckout", new() { Description = "POST /checkout: starts the checkout workflow" });
        start.AddEnvironment(Handlers.Workflow.StartCheckout.StateMachineVariable, checkout.Arn);
        var api = new HttpApi(scope, "CheckoutApi");
        api.AddRoute("POST /checkout", start);
        checkout.GrantStartExecution(api.Function("POST /checkout"));

        scope.Stack.AddOutput("checkoutStateMachineArn", checkout.Arn);
        return new WorkflowExample(checkout, api, start, validate, charge);
    }
}
