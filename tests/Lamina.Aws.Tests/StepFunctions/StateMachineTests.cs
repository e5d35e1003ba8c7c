using Lamina.Aws.Lambda;
using Lamina.Aws.StepFunctions;
using Lamina.Aws.Tests.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using Parallel = Lamina.Aws.StepFunctions.Parallel;

namespace Lamina.Aws.Tests.StepFunctions;

public class StateMachineTests
{
    private static (Stack Stack, StateMachine Machine, FunctionBase Validate, FunctionBase Charge) OrderFlow()
    {
        var stack = TestStacks.Create();
        var validate = new Function<ValidateOrder>(stack, "Validate");
        var charge = new Function<ValidateOrder>(stack, "Charge");
        var unused = new Function<ValidateOrder>(stack, "Unused");
        var machine = new StateMachine(stack, "Checkout", new()
        {
            Comment = "Order flow",
            TimeoutSeconds = 300,
            Definition = Chain.Start(new LambdaInvoke("Validate", validate) { ResultPath = "$.validation", OutputPath = "$" })
                .Next(new Choice("Valid?")
                    .When(Condition.BooleanEquals("$.validation.Payload", true),
                        Chain.Start(new LambdaInvoke("Charge", charge) { TimeoutSeconds = 30 }
                                .Retry(Errors.TaskFailed, maxAttempts: 3, intervalSeconds: 2, backoffRate: 2, jitter: true)
                                .Catch(Errors.All, Fail.Because("PaymentFailed", "the card was declined")))
                            .Next(new Succeed("Done")))
                    .Otherwise(Fail.Because("InvalidOrder"))),
        });
        return (stack, machine, validate, charge);
    }

    [Fact]
    public void The_definition_embeds_function_arns_as_references_and_renders_every_field()
    {
        var (stack, _, _, _) = OrderFlow();
        var template = Template.From(stack);
        template.HasResourceProperties("aws:sfn:StateMachine", new Dictionary<string, object?>
        {
            ["type"] = "STANDARD",
            ["roleArn"] = "${Checkout-Role.arn}",
            ["definition"] = Match.Json(Match.ObjectEquals(new Dictionary<string, object?>
            {
                ["Comment"] = "Order flow",
                ["TimeoutSeconds"] = 300,
                ["StartAt"] = "Validate",
                ["States"] = new Dictionary<string, object?>
                {
                    ["Validate"] = Match.ObjectLike(new Dictionary<string, object?>
                    {
                        ["Type"] = "Task",
                        ["Resource"] = "arn:aws:states:::lambda:invoke",
                        ["Parameters"] = new Dictionary<string, object?> { ["FunctionName"] = "${Validate.arn}", ["Payload.$"] = "$" },
                        ["ResultPath"] = "$.validation",
                        ["Next"] = "Valid?",
                    }),
                    ["Valid?"] = new Dictionary<string, object?>
                    {
                        ["Type"] = "Choice",
                        ["Choices"] = new object[] { new Dictionary<string, object?> { ["Variable"] = "$.validation.Payload", ["BooleanEquals"] = true, ["Next"] = "Charge" } },
                        ["Default"] = "InvalidOrder",
                    },
                    ["Charge"] = Match.ObjectLike(new Dictionary<string, object?>
                    {
                        ["Parameters"] = new Dictionary<string, object?> { ["FunctionName"] = "${Charge.arn}", ["Payload.$"] = "$" },
                        ["OutputPath"] = "$.Payload",
                        ["TimeoutSeconds"] = 30,
                        ["Retry"] = Match.ArrayWith(new Dictionary<string, object?> { ["ErrorEquals"] = new[] { "States.TaskFailed" }, ["MaxAttempts"] = 3, ["JitterStrategy"] = "FULL" }),
                        ["Catch"] = new object[] { new Dictionary<string, object?> { ["ErrorEquals"] = new[] { "States.ALL" }, ["Next"] = "PaymentFailed", ["ResultPath"] = "$.error" } },
                        ["Next"] = "Done",
                    }),
                    ["Done"] = new Dictionary<string, object?> { ["Type"] = "Succeed" },
                    ["PaymentFailed"] = new Dictionary<string, object?> { ["Type"] = "Fail", ["Error"] = "PaymentFailed", ["Cause"] = "the card was declined" },
                    ["InvalidOrder"] = new Dictionary<string, object?> { ["Type"] = "Fail", ["Error"] = "InvalidOrder" },
                },
            })),
        });
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void The_role_may_invoke_exactly_the_functions_used()
    {
        var (stack, _, _, _) = OrderFlow();
        var policy = Template.From(stack).FindResources("aws:iam:RolePolicy")["Checkout-Role-Policy"].ToJsonString();
        Assert.Contains("\"Action\":\"lambda:InvokeFunction\",\"Resource\":[\"${Validate.arn}\",\"${Charge.arn}\"]", policy);
        Assert.DoesNotContain("Unused", policy);
    }

    [Fact]
    public void GrantStartExecution_grants_exactly_StartExecution_on_the_machine()
    {
        var (stack, machine, _, _) = OrderFlow();
        var placeOrder = new Function<GetOrder>(stack, "PlaceOrder");
        machine.GrantStartExecution(placeOrder);
        var policies = Template.From(stack).FindResources("aws:iam:RolePolicy");
        Assert.Contains("\"Action\":\"states:StartExecution\",\"Resource\":\"${Checkout.arn}\"", policies["PlaceOrder-Role-Policy"].ToJsonString());
        Assert.DoesNotContain("states:", policies["Validate-Role-Policy"].ToJsonString());
    }

    [Fact]
    public void Duplicate_state_names_and_bad_paths_are_reported_with_the_construct_path()
    {
        var stack = TestStacks.Create();
        var fn = new Function<ValidateOrder>(stack, "Fn");
        new StateMachine(stack, "Bad", new()
        {
            Definition = Chain.Start(new LambdaInvoke("Step", fn))
                .Next(new Pass("Step"))
                .Next(new LambdaInvoke("Other", fn) { InputPath = "not-a-path" }.Retry("Custom.Error", maxAttempts: 2).Retry(Errors.All).Retry(Errors.TaskFailed)),
        });
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Bad" && x.Property == "Definition" && x.Message.Contains("\"Step\""));
        Assert.Contains(e.Errors, x => x.Path == "shop/Bad" && x.Message.Contains("InputPath"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Bad" && x.Message.Contains("States.ALL"));
    }

    [Fact]
    public void Hand_written_asl_is_validated_and_substituted()
    {
        var stack = TestStacks.Create();
        var fn = new Function<ValidateOrder>(stack, "Fn");
        new StateMachine(stack, "Hand", new()
        {
            DefinitionJson = """
                {"StartAt":"Call","States":{
                  "Call":{"Type":"Task","Resource":"${Fn}","Next":"Done"},
                  "Done":{"Type":"Succeed"}}}
                """,
            DefinitionSubstitutions = new Dictionary<string, object> { ["Fn"] = fn },
            Type = StateMachineType.Express,
        });
        Template.From(stack).HasResourceProperties("aws:sfn:StateMachine", new Dictionary<string, object?>
        {
            ["type"] = "EXPRESS",
            ["definition"] = Match.Json(new Dictionary<string, object?> { ["States"] = new Dictionary<string, object?> { ["Call"] = new Dictionary<string, object?> { ["Resource"] = "${Fn.arn}" } } }),
        });

        var bad = TestStacks.Create();
        new StateMachine(bad, "Hand", new()
        {
            DefinitionJson = """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"A":{"Type":"Pass","End":true},"Orphan":{"Type":"Succeed"},"B":{"Type":"Task","Resource":"${Missing}","End":true}}}""",
        });
        var e = TestStacks.SynthFails(bad);
        Assert.Contains(e.Errors, x => x.Property == "DefinitionJson" && x.Message.Contains("more than once"));
        Assert.Contains(e.Errors, x => x.Property == "DefinitionSubstitutions" && x.Message.Contains("Missing"));
        Assert.Contains(e.Errors, x => x.Property == "DefinitionJson" && x.Message.Contains("Orphan"));
    }

    [Fact]
    public void Parallel_map_wait_and_pass_render_as_asl()
    {
        var stack = TestStacks.Create();
        var fn = new Function<ValidateOrder>(stack, "Fn");
        var definition = Chain.Start(new Pass("Init") { Result = new Dictionary<string, object?> { ["items"] = new[] { 1, 2 } }, ResultPath = "$.data" })
            .Next(Wait.Seconds("Pause", 10))
            .Next(new Map("Each") { ItemsPath = "$.data.items", MaxConcurrency = 2 }.ItemProcessor(new LambdaInvoke("Process", fn)))
            .Next(new Parallel("Both").Branch(new Pass("Left")).Branch(new Pass("Right")));
        new StateMachine(stack, "Flow", new() { Definition = definition, Logging = true });
        var json = Template.From(stack).FindResources("aws:sfn:StateMachine")["Flow"].ToJsonString();
        Assert.Contains("\"Type\":\"Map\"", json);
        Assert.Contains("\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"INLINE\"},\"StartAt\":\"Process\"", json);
        Assert.Contains("\"Branches\":[{\"StartAt\":\"Left\"", json);
        Assert.Contains("\"Seconds\":10", json);
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0, check.Output);
        Assert.Equal(1, check.BroadWildcards); // CloudWatch Logs delivery actions have no resource-level permissions
    }

    [Fact]
    public void Exactly_one_definition_is_required()
    {
        var stack = TestStacks.Create();
        new StateMachine(stack, "Empty", new());
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Empty" && x.Property == "Definition");
    }
}
