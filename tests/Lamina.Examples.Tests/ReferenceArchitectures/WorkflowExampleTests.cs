using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;
using Lamina.Examples.Handlers;
using Lamina.Examples.Handlers.Workflow;
using Lamina.Lambda.Events;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Testing;
using Microsoft.Extensions.Time.Testing;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Examples.Tests.ReferenceArchitectures;

public class WorkflowExampleTests
{
    [Fact]
    public void The_example_program_passes_the_checker_with_no_broad_wildcards() => ExampleApps.AssertProgramPassesTheChecker("workflow");

    private static (WorkflowExample Example, Template Template) Build()
    {
        var stack = ExampleApps.Stack("workflow");
        var example = WorkflowExample.Define(stack);
        return (example, ExampleApps.SynthesizedTemplate(stack));
    }

    [Fact]
    public void The_state_machine_role_may_invoke_exactly_the_two_task_functions()
    {
        var (example, t) = Build();
        var statement = Assert.Single(ExampleApps.Statements(t, "Checkout-Role-Policy"))!;
        Assert.Equal(["lambda:InvokeFunction"], ExampleApps.List(statement["Action"]));
        Assert.Equal(["${ChargeCard.arn}", "${ValidateOrder.arn}"], ExampleApps.List(statement["Resource"]).Order());
        Assert.Equal([example.ValidateOrder, example.ChargeCard], example.StateMachine.InvokedFunctions.Distinct().OrderBy(f => f.Path, StringComparer.Ordinal).Reverse());
        t.HasResourceProperties("aws:iam:Role", new D
        {
            ["assumeRolePolicy"] = Match.Json(new D { ["Statement"] = Match.ArrayWith(new D { ["Principal"] = new D { ["Service"] = "states.amazonaws.com" } }) }),
        });
        t.HasResourceProperties("aws:sfn:StateMachine", new D { ["roleArn"] = "${Checkout-Role.arn}", ["type"] = "STANDARD" });
    }

    [Fact]
    public void The_definition_validates_chooses_and_charges_with_retry_and_catch()
    {
        var (_, t) = Build();
        var definition = (JsonObject)t.FindResources("aws:sfn:StateMachine")["Checkout"]["properties"]!["definition"]!["fn::toJSON"]!;
        Assert.Equal("Validate", (string?)definition["StartAt"]);
        var states = definition["States"]!.AsObject();
        Assert.Equal(["Charge", "Charged", "InvalidOrder", "PaymentDeclined", "PaymentFailed", "Valid?", "Validate"], states.Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal("${ValidateOrder.arn}", (string?)states["Validate"]!["Parameters"]!["FunctionName"]);
        Assert.Equal("${ChargeCard.arn}", (string?)states["Charge"]!["Parameters"]!["FunctionName"]);
        var choice = Assert.Single(states["Valid?"]!["Choices"]!.AsArray())!;
        Assert.Equal("$.valid", (string?)choice["Variable"]);
        Assert.True((bool)choice["BooleanEquals"]!);
        Assert.Equal("Charge", (string?)choice["Next"]);
        Assert.Equal("InvalidOrder", (string?)states["Valid?"]!["Default"]);
        Assert.Contains(states["Charge"]!["Retry"]!.AsArray(), r => (string?)r!["ErrorEquals"]![0] == nameof(PaymentGatewayUnavailableException) && (long)r["MaxAttempts"]! == WorkflowExample.ChargeRetries);
        Assert.Equal([nameof(PaymentDeclinedException), "States.ALL"], states["Charge"]!["Catch"]!.AsArray().Select(c => (string)c!["ErrorEquals"]![0]!));
        Assert.Equal(["PaymentDeclined", "PaymentFailed"], states["Charge"]!["Catch"]!.AsArray().Select(c => (string)c!["Next"]!));
        Assert.Equal("Charged", (string?)states["Charge"]!["Next"]);
    }

    [Fact]
    public void Post_checkout_starts_this_state_machine_only()
    {
        var (_, t) = Build();
        t.HasResourceProperties("aws:apigatewayv2:Route", new D { ["routeKey"] = "POST /checkout", ["target"] = "integrations/${CheckoutApi-Integrations-StartCheckout.id}" });
        var permission = Assert.Single(t.FindResources("aws:lambda:Permission")).Value["properties"]!;
        Assert.Equal("${CheckoutApi.executionArn}/*/POST/checkout", (string?)permission["sourceArn"]);
        Assert.Equal("${StartCheckout.name}", (string?)permission["function"]);

        var start = ExampleApps.Statements(t, "StartCheckout-Role-Policy").Single(s => ExampleApps.List(s!["Action"]).Any(a => a.StartsWith("states:", StringComparison.Ordinal)))!;
        Assert.Equal(["states:StartExecution"], ExampleApps.List(start["Action"]));
        Assert.Equal(["${Checkout.arn}"], ExampleApps.List(start["Resource"]));
        t.HasResourceProperties("aws:lambda:Function", new D
        {
            ["name"] = "shop-dev-StartCheckout",
            ["environment"] = new D { ["variables"] = Match.ObjectEquals(new D { ["CHECKOUT_STATE_MACHINE_ARN"] = "${Checkout.arn}" }) },
        });
        // No other function may start executions or invoke functions.
        foreach (var fn in new[] { "ValidateOrder", "ChargeCard" })
        {
            Assert.DoesNotContain("states:", ExampleApps.Statements(t, fn + "-Role-Policy").ToJsonString(), StringComparison.Ordinal);
        }
        t.HasOutput("checkoutStateMachineArn", "${Checkout.arn}");
        t.HasOutput("CheckoutApiUrl", "${CheckoutApi-Stage.invokeUrl}");
    }

    // The workflow run on the ASL interpreter, its tasks calling the real handlers -----------------------------------

    /// <summary>Invokes the handlers like Lambda: JSON in, JSON out, an exception becomes the error named by its type.</summary>
    private sealed class HandlerInvoker(SimulatedPaymentGateway gateway) : ITaskInvoker
    {
        public List<string> Calls { get; } = [];

        public async Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken)
        {
            Calls.Add(context.StateName);
            var json = input?.ToJsonString() ?? "null";
            try
            {
                return context.StateName switch
                {
                    "Validate" => JsonSerializer.SerializeToNode(
                        await new ValidateOrder().HandleAsync(JsonSerializer.Deserialize(json, ExamplesJsonContext.Default.CheckoutRequest)!, new TestContext()),
                        ExamplesJsonContext.Default.ValidationResult),
                    "Charge" => JsonSerializer.SerializeToNode(
                        await new ChargeCard(gateway).HandleAsync(JsonSerializer.Deserialize(json, ExamplesJsonContext.Default.ValidationResult)!, new TestContext()),
                        ExamplesJsonContext.Default.ChargeReceipt),
                    _ => throw new InvalidOperationException("no task " + context.StateName),
                };
            }
            catch (Exception e) when (e is not InvalidOperationException { Message: var m } || !m.StartsWith("no task", StringComparison.Ordinal))
            {
                var payload = LambdaErrorPayload.FromException(e);
                throw new StatesError(payload.ErrorType, System.Text.Encoding.UTF8.GetString(payload.ToUtf8Json()));
            }
        }
    }

    private static (ExecutionResult Result, HandlerInvoker Invoker, SimulatedPaymentGateway Gateway, TimeSpan Elapsed) Run(string card, decimal amount = 42.5m)
    {
        var stack = ExampleApps.Stack("workflow");
        var example = WorkflowExample.Define(stack);
        stack.Synth();
        var definition = StateMachineDefinition.Parse(example.StateMachine.DefinitionPreview!.ToJsonString());
        var gateway = new SimulatedPaymentGateway();
        var invoker = new HandlerInvoker(gateway);
        var start = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        var executor = new StateMachineExecutor(definition, invoker, new() { TimeProvider = clock, Random = new Random(7) });
        var input = JsonSerializer.SerializeToNode(new CheckoutRequest { OrderId = "o-1001", CustomerId = "c-7", Amount = amount, Currency = "EUR", CardNumber = card },
            ExamplesJsonContext.Default.CheckoutRequest);

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);   // timer continuations run inline when the clock advances
        try
        {
            var task = executor.ExecuteAsync(input, "checkout-o-1001");
            for (var i = 0; i < 600 && !task.IsCompleted; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
            Assert.True(task.IsCompleted, "the execution did not finish");
            return (task.GetAwaiter().GetResult(), invoker, gateway, clock.GetUtcNow() - start);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    [Fact]
    public void A_valid_order_is_charged_once_and_the_workflow_succeeds_with_the_receipt()
    {
        var (result, invoker, gateway, _) = Run(CheckoutRules.GoodCard);
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error} {result.Cause}");
        Assert.Equal(["Validate", "Charge"], invoker.Calls);
        Assert.Equal(1, gateway.Attempts);
        var receipt = result.Output!;
        Assert.Equal("o-1001", (string?)receipt["orderId"]);
        Assert.Equal("4242", (string?)receipt["cardLast4"]);
        Assert.Equal(42.5m, (decimal)receipt["amount"]!);
        Assert.Matches("^ch_[0-9a-f]{16}$", (string)receipt["chargeId"]!);
    }

    [Fact]
    public void A_declined_card_is_caught_without_retrying_and_fails_as_PaymentDeclined()
    {
        var (result, invoker, gateway, _) = Run(CheckoutRules.DeclinedCard);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("PaymentDeclined", result.Error);
        Assert.Equal(["Validate", "Charge"], invoker.Calls);
        Assert.Equal(1, gateway.Attempts);
    }

    [Fact]
    public void A_gateway_outage_is_retried_then_caught_and_fails_as_PaymentFailed()
    {
        var (result, invoker, gateway, elapsed) = Run(CheckoutRules.UnavailableCard);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("PaymentFailed", result.Error);
        Assert.Equal(["Validate", "Charge", "Charge", "Charge"], invoker.Calls);
        Assert.Equal(1 + WorkflowExample.ChargeRetries, gateway.Attempts);
        // Waits of 2 s then 4 s (interval 2 s, backoff rate 2) between the attempts.
        Assert.InRange(elapsed, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(7));
    }

    [Theory]
    [InlineData("4242424242424241", 10)]     // bad check digit
    [InlineData(CheckoutRules.GoodCard, 0)]  // nothing to charge
    public void An_invalid_order_is_never_charged_and_fails_as_InvalidOrder(string card, int amount)
    {
        var (result, invoker, gateway, _) = Run(card, amount);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("InvalidOrder", result.Error);
        Assert.Equal(["Validate"], invoker.Calls);
        Assert.Equal(0, gateway.Attempts);
    }

    // The API handler -----------------------------------------------------------------------------------------------

    private sealed class RecordingStarter : IWorkflowStarter
    {
        public List<(string Arn, string Name, string Input)> Started { get; } = [];

        public Task<string> StartAsync(string stateMachineArn, string name, string inputJson, CancellationToken cancellationToken)
        {
            Started.Add((stateMachineArn, name, inputJson));
            return Task.FromResult(LoggingWorkflowStarter.ExecutionArn(stateMachineArn, name));
        }
    }

    private const string MachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:Checkout-1a2b3c4";

    [Fact]
    public async Task StartCheckout_starts_one_execution_named_after_the_order_and_answers_202()
    {
        var starter = new RecordingStarter();
        var handler = new StartCheckout(starter, name => name == StartCheckout.StateMachineVariable ? MachineArn : null);
        var response = await handler.HandleAsync(new HttpApiRequest
        {
            RouteKey = "POST /checkout",
            Body = """{"orderId":"o-1001","customerId":"c-7","amount":42.5,"currency":"EUR","cardNumber":"4242424242424242"}""",
        }, new TestContext());

        Assert.Equal(202, response.StatusCode);
        var (arn, name, input) = Assert.Single(starter.Started);
        Assert.Equal(MachineArn, arn);
        Assert.Equal("checkout-o-1001", name);
        Assert.Equal(42.5m, (decimal)JsonNode.Parse(input)!["amount"]!);
        var body = JsonNode.Parse(response.Body!)!;
        Assert.Equal("arn:aws:states:us-east-1:123456789012:execution:Checkout-1a2b3c4:checkout-o-1001", (string?)body["executionArn"]);
    }

    [Theory]
    [InlineData("{\"orderId\":")]
    [InlineData("{\"customerId\":\"c-1\"}")]
    [InlineData("{\"orderId\":\"no spaces allowed\"}")]
    [InlineData("")]
    public async Task StartCheckout_answers_400_without_starting_anything(string body)
    {
        var starter = new RecordingStarter();
        var response = await new StartCheckout(starter, _ => MachineArn).HandleAsync(new HttpApiRequest { Body = body }, new TestContext());
        Assert.Equal(400, response.StatusCode);
        Assert.Empty(starter.Started);
    }
}
