using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;
using Xunit.Abstractions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class ExecutorHistoryTests(ITestOutputHelper output)
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:greet";

    [Fact]
    public void History_has_sequential_ids_linked_previous_ids_and_clock_timestamps()
    {
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().On(FunctionArn, input => JsonValue.Create("hi " + input!["name"]!.GetValue<string>()));
        var executor = Sfn.Executor($$"""
        {
          "StartAt": "Start",
          "States": {
            "Start": { "Type": "Pass", "Next": "Pause" },
            "Pause": { "Type": "Wait", "Seconds": 2, "Next": "Greet" },
            "Greet": { "Type": "Task", "Resource": "{{FunctionArn}}", "ResultPath": "$.greeting", "Next": "Route" },
            "Route": { "Type": "Choice", "Choices": [ { "Variable": "$.greeting", "IsString": true, "Next": "Done" } ] },
            "Done": { "Type": "Succeed" }
          }
        }
        """, invoker, clock);

        var result = Sfn.RunWithClock(executor, clock, """{ "name": "ana" }""");

        Sfn.Succeeded(result);
        Assert.Equal(
            ["ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
             "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
             "ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"],
            result.Types());
        for (var i = 0; i < result.History.Count; i++)
        {
            Assert.Equal(i + 1, result.History[i].Id);
            Assert.Equal(i, result.History[i].PreviousEventId);
        }

        Assert.All(result.History.Take(4), e => Assert.Equal(Sfn.T0, e.Timestamp));
        Assert.All(result.History.Skip(4), e => Assert.Equal(Sfn.T0.AddSeconds(2), e.Timestamp));
        Assert.Equal(5, result.StateTransitions);

        var scheduled = result.Of(HistoryEventType.LambdaFunctionScheduled).Single();
        Assert.Equal(FunctionArn, scheduled.Resource);
        JsonAssert.Equal("""{ "name": "ana" }""", scheduled.Input);
        Assert.Equal("\"hi ana\"", result.Of(HistoryEventType.LambdaFunctionSucceeded).Single().Output);
        JsonAssert.Equal("""{ "name": "ana", "greeting": "hi ana" }""", result.OutputJson);
    }

    [Fact]
    public void History_renders_like_GetExecutionHistory()
    {
        var executor = Sfn.Executor("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": { "a": 1 }, "End": true } } }""");
        var result = Sfn.Run(executor, """{ "in": true }""");
        var json = result.HistoryToJson();
        JsonAssert.Equal("""
        {
          "events": [
            { "id": 1, "previousEventId": 0, "timestamp": "2000-01-01T00:00:00.000Z", "type": "ExecutionStarted",
              "executionStartedEventDetails": { "input": "{\"in\":true}", "inputDetails": { "truncated": false }, "roleArn": "arn:aws:iam::123456789012:role/StateMachineRole" } },
            { "id": 2, "previousEventId": 1, "timestamp": "2000-01-01T00:00:00.000Z", "type": "PassStateEntered",
              "stateEnteredEventDetails": { "name": "P", "input": "{\"in\":true}", "inputDetails": { "truncated": false } } },
            { "id": 3, "previousEventId": 2, "timestamp": "2000-01-01T00:00:00.000Z", "type": "PassStateExited",
              "stateExitedEventDetails": { "name": "P", "output": "{\"a\":1}", "outputDetails": { "truncated": false } } },
            { "id": 4, "previousEventId": 3, "timestamp": "2000-01-01T00:00:00.000Z", "type": "ExecutionSucceeded",
              "executionSucceededEventDetails": { "output": "{\"a\":1}", "outputDetails": { "truncated": false } } }
          ]
        }
        """, json);
    }

    [Fact]
    public void Lambda_invoke_integration_passes_the_Payload_and_wraps_the_response_like_AWS()
    {
        var invoker = new FakeInvoker().On(FunctionArn, (input, context) =>
        {
            Assert.Equal(TaskResourceKind.LambdaInvoke, context.Kind);
            Assert.Equal("lambda", context.Service);
            Assert.Equal("invoke", context.Action);
            Assert.Equal("arn:aws:states:::lambda:invoke", context.Resource);
            return new JsonObject { ["greeting"] = "hi " + input!["who"]!.GetValue<string>() };
        });
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "Invoke",
          "States": {
            "Invoke": {
              "Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": { "FunctionName": "{{FunctionArn}}", "Payload": { "who.$": "$.name" } },
              "ResultPath": "$.lambda",
              "End": true
            }
          }
        }
        """, invoker), """{ "name": "bo" }""");

        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "who": "bo" }""", invoker.Calls.Single().Input);
        var response = result.Output!["lambda"]!;
        Assert.Equal(200, response["StatusCode"]!.GetValue<int>());
        Assert.Equal("$LATEST", response["ExecutedVersion"]!.GetValue<string>());
        JsonAssert.Equal("""{ "greeting": "hi bo" }""", response["Payload"]);
        Assert.Equal(200, response["SdkHttpMetadata"]!["HttpStatusCode"]!.GetValue<int>());
        Assert.Equal(response["SdkResponseMetadata"]!["RequestId"]!.GetValue<string>(), response["SdkHttpMetadata"]!["HttpHeaders"]!["x-amzn-RequestId"]!.GetValue<string>());

        Assert.Equal(
            ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"],
            result.Types());
        var scheduled = result.Of(HistoryEventType.TaskScheduled).Single();
        Assert.Equal("lambda", scheduled.ResourceType);
        Assert.Equal("invoke", scheduled.Resource);
        Assert.Equal("us-east-1", scheduled.Region);
        JsonAssert.Equal($$"""{ "FunctionName": "{{FunctionArn}}", "Payload": { "who": "bo" } }""", scheduled.Parameters);
        var details = scheduled.ToJson()["taskScheduledEventDetails"]!;
        Assert.Equal("lambda", details["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public void Lambda_invoke_errors_are_reported_as_TaskFailed_events()
    {
        var invoker = new FakeInvoker().On(FunctionArn, _ => throw new StatesError("Lambda.ServiceException", "throttled"));
        var result = Sfn.Run(Sfn.Executor($$"""
        { "StartAt": "Invoke", "States": { "Invoke": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": { "FunctionName": "{{FunctionArn}}", "Payload.$": "$" }, "End": true } } }
        """, invoker));
        Assert.Equal("Lambda.ServiceException", result.Error);
        var failed = result.Of(HistoryEventType.TaskFailed).Single();
        Assert.Equal("throttled", failed.Cause);
        Assert.Equal("invoke", failed.Resource);
        Assert.Equal(HistoryEventType.ExecutionFailed, result.History[^1].Type);
    }

    [Fact]
    public void Map_iteration_events_carry_the_state_name_and_index()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "M", "States": { "M": { "Type": "Map",
          "ItemProcessor": { "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } }, "End": true } } }
        """), "[10, 20]");
        Assert.Equal(
            ["ExecutionStarted", "MapStateEntered", "MapStateStarted",
             "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
             "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded",
             "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"],
            result.Types());
        var iteration = result.Of(HistoryEventType.MapIterationStarted).Last().ToJson();
        JsonAssert.Equal("""{ "name": "M", "index": 1 }""", iteration["mapIterationStartedEventDetails"]);
        JsonAssert.Equal("""{ "length": 2 }""", result.Of(HistoryEventType.MapStateStarted).Single().ToJson()["mapStateStartedEventDetails"]);
    }

    [Fact]
    public async Task History_recording_can_be_turned_off()
    {
        var executor = new StateMachineExecutor(
            StateMachineDefinition.Parse("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } }"""),
            new FakeInvoker(),
            new StateMachineExecutorOptions { TimeProvider = Sfn.Clock(), RecordHistory = false });
        var result = await executor.ExecuteAsync(new JsonObject());
        Sfn.Succeeded(result);
        Assert.Empty(result.History);
        Assert.Equal(1, result.StateTransitions);
    }

    [Fact]
    public void Invalid_definitions_are_rejected_with_every_error()
    {
        var exception = Assert.Throws<AslValidationException>(() => StateMachineDefinition.Parse("""
        { "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "B" }, "C": { "Type": "Nope" } } }
        """));
        Assert.Contains(exception.Errors, e => e.Path == "States.A.Next" && e.Code == AslErrorCodes.StateNotFound);
        Assert.Contains(exception.Errors, e => e.Path == "States.C.Type" && e.Code == AslErrorCodes.UnknownStateType);
        Assert.Throws<NotSupportedException>(() => StateMachineDefinition.Parse("""
        { "StartAt": "M", "States": { "M": { "Type": "Map", "ItemReader": { "Resource": "arn:aws:states:::s3:getObject" },
          "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }, "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } }, "End": true } } }
        """));
    }

    [Fact]
    public void Pass_and_Choice_chains_run_fast_enough()
    {
        // A counter loop: Pass increments with States.MathAdd, Choice loops until the limit.
        const int iterations = 50_000;
        var loop = Sfn.Executor($$"""
        {
          "StartAt": "Inc",
          "States": {
            "Inc": { "Type": "Pass", "Parameters": { "i.$": "States.MathAdd($.i, 1)" }, "Next": "Check" },
            "Check": { "Type": "Choice", "Choices": [ { "Variable": "$.i", "NumericLessThan": {{iterations}}, "Next": "Inc" } ], "Default": "Done" },
            "Done": { "Type": "Succeed" }
          }
        }
        """);
        // A long chain of plain Pass states.
        var chain = new StringBuilder("""{ "StartAt": "S0", "States": {""");
        const int chainLength = 2_000;
        for (var i = 0; i < chainLength; i++)
        {
            chain.Append($$"""{{(i == 0 ? "" : ",")}} "S{{i}}": { "Type": "Pass", {{(i == chainLength - 1 ? "\"End\": true" : $"\"Next\": \"S{i + 1}\"")}} }""");
        }

        chain.Append("} }");
        var chainExecutor = Sfn.Executor(chain.ToString());

        Sfn.Run(loop, """{ "i": 49990 }"""); // warm up
        Sfn.Run(chainExecutor);

        var watch = Stopwatch.StartNew();
        var result = Sfn.Run(loop, """{ "i": 0 }""");
        var loopRate = result.StateTransitions / watch.Elapsed.TotalSeconds;
        Sfn.Succeeded(result);
        Assert.Equal(iterations * 2 + 1, result.StateTransitions);
        Assert.Equal(iterations, result.Output!["i"]!.GetValue<long>());

        watch.Restart();
        long transitions = 0;
        for (var run = 0; run < 25; run++)
        {
            transitions += Sfn.Run(chainExecutor).StateTransitions;
        }

        var chainRate = transitions / watch.Elapsed.TotalSeconds;
        output.WriteLine($"Pass/Choice loop with MathAdd: {loopRate:N0} transitions/s; Pass chain: {chainRate:N0} transitions/s");

        // Floors for a Debug build on a shared, loaded machine: they catch pathological regressions (per-transition
        // re-parsing, quadratic history bookkeeping), not the Release throughput target.
        Assert.True(chainRate > 10_000, $"Pass chain ran only {chainRate:N0} transitions/s");
        Assert.True(loopRate > 5_000, $"Pass/Choice loop ran only {loopRate:N0} transitions/s");
    }
}
