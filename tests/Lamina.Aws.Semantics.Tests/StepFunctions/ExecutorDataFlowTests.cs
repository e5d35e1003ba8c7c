using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class ExecutorDataFlowTests
{
    private const string HelloArn = "arn:aws:lambda:us-east-1:123456789012:function:HelloFunction";

    [Fact]
    public void InputPath_ResultPath_and_OutputPath_follow_the_documented_example()
    {
        var invoker = new FakeInvoker().On(HelloArn, input => JsonValue.Create($"Hello, {input!["who"]!.GetValue<string>()}!"));
        var executor = Sfn.Executor($$"""
        {
          "Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function",
          "StartAt": "HelloWorld",
          "States": {
            "HelloWorld": {
              "Type": "Task",
              "Resource": "{{HelloArn}}",
              "InputPath": "$.lambda",
              "ResultPath": "$.data.lambdaresult",
              "OutputPath": "$.data",
              "End": true
            }
          }
        }
        """, invoker);

        var result = Sfn.Run(executor, """
        {
          "comment": "An input comment.",
          "data": { "val1": 23, "val2": 17 },
          "extra": "foo",
          "lambda": { "who": "AWS Step Functions" }
        }
        """);

        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "who": "AWS Step Functions" }""", invoker.Calls.Single().Input);
        JsonAssert.Equal("""{ "val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!" }""", result.Output);
    }

    [Theory]
    [InlineData("\"$\"", """{ "result": "new" }""")]
    [InlineData("null", """{ "comment": "This is a test", "details": "Default example", "who": "AWS Step Functions" }""")]
    [InlineData("\"$.taskresult\"", """{ "comment": "This is a test", "details": "Default example", "who": "AWS Step Functions", "taskresult": { "result": "new" } }""")]
    [InlineData("\"$.details\"", """{ "comment": "This is a test", "details": { "result": "new" }, "who": "AWS Step Functions" }""")]
    [InlineData("\"$.a.b.c\"", """{ "comment": "This is a test", "details": "Default example", "who": "AWS Step Functions", "a": { "b": { "c": { "result": "new" } } } }""")]
    public void ResultPath_replaces_discards_adds_or_overwrites(string resultPath, string expected)
    {
        var executor = Sfn.Executor($$"""
        { "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": { "result": "new" }, "ResultPath": {{resultPath}}, "End": true } } }
        """);
        var result = Sfn.Run(executor, """{ "comment": "This is a test", "details": "Default example", "who": "AWS Step Functions" }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal(expected, result.Output);
    }

    [Fact]
    public void ResultPath_into_a_non_object_fails_with_ResultPathMatchFailure_which_can_be_caught()
    {
        var invoker = new FakeInvoker().On("arn:aws:lambda:us-east-1:1:function:f", _ => JsonValue.Create(1));
        var failing = Sfn.Run(Sfn.Executor("""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "ResultPath": "$.x.y", "End": true } } }
        """, invoker), """{ "x": "a string" }""");
        Assert.Equal(ExecutionStatus.Failed, failing.Status);
        Assert.Equal(StatesErrorNames.ResultPathMatchFailure, failing.Error);

        var caught = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "ResultPath": "$.x.y",
                   "Catch": [ { "ErrorEquals": ["States.ResultPathMatchFailure"], "ResultPath": "$.error", "Next": "Done" } ], "End": true },
            "Done": { "Type": "Succeed" }
          }
        }
        """, invoker), """{ "x": "a string" }""");
        Sfn.Succeeded(caught);
        Assert.Equal(StatesErrorNames.ResultPathMatchFailure, caught.Output!["error"]!["Error"]!.GetValue<string>());
    }

    [Fact]
    public void Null_InputPath_and_OutputPath_give_empty_objects()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "A", "States": {
            "A": { "Type": "Pass", "InputPath": null, "ResultPath": "$.seen", "Next": "B" },
            "B": { "Type": "Pass", "OutputPath": null, "End": true } } }
        """), """{ "x": 1 }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("{}", result.Output);
        JsonAssert.Equal("""{ "x": 1, "seen": {} }""", result.History.Single(e => e.Type == HistoryEventType.PassStateExited && e.StateName == "A").Output);
    }

    [Fact]
    public void Parameters_select_from_input_context_and_intrinsics_and_ResultSelector_reshapes_results()
    {
        var invoker = new FakeInvoker().On("arn:aws:lambda:us-east-1:1:function:f", input => new JsonObject
        {
            ["echo"] = input!.DeepClone(),
            ["meta"] = new JsonObject { ["status"] = 200, ["noise"] = "x" },
        });
        var executor = Sfn.Executor("""
        {
          "StartAt": "T",
          "States": {
            "T": {
              "Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Parameters": {
                "static": "value",
                "nested": { "fromInput.$": "$.order.id", "list": [ { "first.$": "$.order.items[0]" }, 3 ] },
                "greeting.$": "States.Format('Order {} for {}', $.order.id, $.order.customer)",
                "items.$": "$.order.items[*]",
                "state.$": "$$.State.Name",
                "literal$": "$.not.evaluated"
              },
              "ResultSelector": { "status.$": "$.meta.status", "payload.$": "$.echo" },
              "ResultPath": "$.result",
              "End": true
            }
          }
        }
        """, invoker);

        var result = Sfn.Run(executor, """{ "order": { "id": "o-1", "customer": "ana", "items": ["a", "b"] } }""");
        Sfn.Succeeded(result);
        var sent = """
        {
          "static": "value",
          "nested": { "fromInput": "o-1", "list": [ { "first": "a" }, 3 ] },
          "greeting": "Order o-1 for ana",
          "items": ["a", "b"],
          "state": "T",
          "literal$": "$.not.evaluated"
        }
        """;
        JsonAssert.Equal(sent, invoker.Calls.Single().Input);
        JsonAssert.Equal($$"""{ "order": { "id": "o-1", "customer": "ana", "items": ["a", "b"] }, "result": { "status": 200, "payload": {{sent}} } }""", result.Output);
    }

    [Fact]
    public void A_Parameters_path_that_selects_nothing_fails_the_execution_with_States_Runtime()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "P", "States": { "P": { "Type": "Pass", "Parameters": { "x.$": "$.missing" }, "End": true } } }
        """), "{}");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.Runtime, result.Error);
        Assert.Contains("$.missing", result.Cause);
    }

    [Fact]
    public void A_missing_InputPath_fails_with_States_Runtime_even_when_a_catcher_matches_everything()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "T", "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "InputPath": "$.nope",
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "C" } ], "End": true },
            "C": { "Type": "Succeed" } } }
        """));
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.Runtime, result.Error);
    }

    [Fact]
    public void The_context_object_exposes_execution_state_and_state_machine_data()
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""
        {
          "StartAt": "Wait",
          "States": {
            "Wait": { "Type": "Wait", "Seconds": 3, "Next": "Ctx" },
            "Ctx": {
              "Type": "Pass",
              "Parameters": {
                "executionId.$": "$$.Execution.Id",
                "executionName.$": "$$.Execution.Name",
                "executionInput.$": "$$.Execution.Input",
                "startTime.$": "$$.Execution.StartTime",
                "stateName.$": "$$.State.Name",
                "enteredTime.$": "$$.State.EnteredTime",
                "retryCount.$": "$$.State.RetryCount",
                "stateMachineId.$": "$$.StateMachine.Id",
                "stateMachineName.$": "$$.StateMachine.Name"
              },
              "End": true
            }
          }
        }
        """, time: clock);
        var result = Sfn.RunWithClock(executor, clock, """{ "key": "value" }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        {
          "executionId": "arn:aws:states:us-east-1:123456789012:execution:Test:exec",
          "executionName": "exec",
          "executionInput": { "key": "value" },
          "startTime": "2000-01-01T00:00:00.000Z",
          "stateName": "Ctx",
          "enteredTime": "2000-01-01T00:00:03.000Z",
          "retryCount": 0,
          "stateMachineId": "arn:aws:states:us-east-1:123456789012:stateMachine:Test",
          "stateMachineName": "Test"
        }
        """, result.Output);
    }

    [Fact]
    public void The_task_token_is_absent_unless_the_resource_waits_for_one()
    {
        var withoutToken = Sfn.Run(Sfn.Executor("""
        { "StartAt": "P", "States": { "P": { "Type": "Pass", "Parameters": { "token.$": "$$.Task.Token" }, "End": true } } }
        """));
        Assert.Equal(StatesErrorNames.Runtime, withoutToken.Error);

        string? seen = null;
        var invoker = new FakeInvoker().On("arn:aws:sqs:us-east-1:1:queue", (input, context) =>
        {
            seen = context.TaskToken;
            Assert.Equal(context.TaskToken, input!["MessageBody"]!["token"]!.GetValue<string>());
            Assert.Equal(IntegrationPattern.WaitForTaskToken, context.Pattern);
            return new JsonObject { ["approved"] = true };
        });
        var withToken = Sfn.Run(Sfn.Executor("""
        { "StartAt": "T", "States": { "T": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": { "QueueUrl": "arn:aws:sqs:us-east-1:1:queue", "MessageBody": { "token.$": "$$.Task.Token" } },
            "End": true } } }
        """, new RoutingInvoker(invoker, "arn:aws:sqs:us-east-1:1:queue")));
        Sfn.Succeeded(withToken);
        Assert.False(string.IsNullOrEmpty(seen));
        JsonAssert.Equal("""{ "approved": true }""", withToken.Output);
    }

    [Fact]
    public void Pass_Result_wins_over_input_and_is_not_shared_between_executions()
    {
        var executor = Sfn.Executor("""
        { "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": { "list": [1, 2] }, "ResultPath": "$.r", "End": true } } }
        """);
        var first = Sfn.Run(executor, """{ "a": 1 }""");
        var second = Sfn.Run(executor, """{ "a": 2 }""");
        JsonAssert.Equal("""{ "a": 1, "r": { "list": [1, 2] } }""", first.Output);
        JsonAssert.Equal("""{ "a": 2, "r": { "list": [1, 2] } }""", second.Output);
    }

    [Fact]
    public async Task The_caller_input_node_is_not_modified()
    {
        var input = JsonNode.Parse("""{ "a": { "b": 1 } }""")!;
        var executor = Sfn.Executor("""
        { "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": 2, "ResultPath": "$.a.b", "End": true } } }
        """);
        var result = await executor.ExecuteAsync(input, "x");
        JsonAssert.Equal("""{ "a": { "b": 2 } }""", result.Output);
        JsonAssert.Equal("""{ "a": { "b": 1 } }""", input);
    }

    /// <summary>Routes service integration calls to the handler registered for a parameter value.</summary>
    private sealed class RoutingInvoker(FakeInvoker inner, string key) : ITaskInvoker
    {
        public Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken) =>
            inner.InvokeAsync(key, input, context, cancellationToken);
    }
}
