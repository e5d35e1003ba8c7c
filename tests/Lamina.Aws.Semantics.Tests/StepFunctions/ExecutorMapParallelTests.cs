using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class ExecutorMapParallelTests
{
    [Fact]
    public void Map_context_object_index_and_value_as_documented()
    {
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "ExampleMapState",
          "States": {
            "ExampleMapState": {
              "Type": "Map",
              "Parameters": { "ContextIndex.$": "$$.Map.Item.Index", "ContextValue.$": "$$.Map.Item.Value" },
              "Iterator": { "StartAt": "TestPass", "States": { "TestPass": { "Type": "Pass", "End": true } } },
              "End": true
            }
          }
        }
        """), """[ { "who": "bob" }, { "who": "meg" }, { "who": "joe" } ]""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        [
          { "ContextValue": { "who": "bob" }, "ContextIndex": 0 },
          { "ContextValue": { "who": "meg" }, "ContextIndex": 1 },
          { "ContextValue": { "who": "joe" }, "ContextIndex": 2 }
        ]
        """, result.Output);
    }

    [Fact]
    public void Map_with_InputPath_ItemsPath_ItemSelector_and_ResultPath_like_the_shipping_example()
    {
        var invoker = new FakeInvoker().On("arn:aws:lambda:us-east-1:123456789012:function:ship-val", input => new JsonObject
        {
            ["prod"] = input!["parcel"]!["prod"]!.DeepClone(),
            ["courier"] = input["courier"]!.DeepClone(),
            ["valid"] = input["parcel"]!["quantity"]!.GetValue<int>() < 1000,
        });
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "Validate-All",
          "States": {
            "Validate-All": {
              "Type": "Map",
              "InputPath": "$.detail",
              "ItemsPath": "$.shipped",
              "MaxConcurrency": 0,
              "ItemSelector": { "parcel.$": "$$.Map.Item.Value", "courier.$": "$.delivery-partner" },
              "ItemProcessor": {
                "ProcessorConfig": { "Mode": "INLINE" },
                "StartAt": "Validate",
                "States": { "Validate": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship-val", "End": true } }
              },
              "ResultPath": "$.detail.shipped",
              "End": true
            }
          }
        }
        """, invoker), """
        {
          "ship-date": "2016-03-14T01:59:00Z",
          "detail": {
            "delivery-partner": "UQS",
            "shipped": [
              { "prod": "R31", "dest-code": 9511, "quantity": 1344 },
              { "prod": "S39", "dest-code": 9511, "quantity": 40 },
              { "prod": "R31", "dest-code": 9833, "quantity": 12 }
            ]
          }
        }
        """);
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        {
          "ship-date": "2016-03-14T01:59:00Z",
          "detail": {
            "delivery-partner": "UQS",
            "shipped": [
              { "prod": "R31", "courier": "UQS", "valid": false },
              { "prod": "S39", "courier": "UQS", "valid": true },
              { "prod": "R31", "courier": "UQS", "valid": true }
            ]
          }
        }
        """, result.Output);
        JsonAssert.Equal("""{ "parcel": { "prod": "S39", "dest-code": 9511, "quantity": 40 }, "courier": "UQS" }""", invoker.Calls[1].Input);
        Assert.Equal(3, result.Of(HistoryEventType.MapStateStarted).Single().Length);
        Assert.Equal([0, 1, 2], result.Of(HistoryEventType.MapIterationSucceeded).Select(e => e.Index!.Value));
    }

    [Fact]
    public async Task Map_respects_MaxConcurrency()
    {
        var pending = new List<TaskCompletionSource<JsonNode?>>();
        var inFlight = 0;
        var maxInFlight = 0;
        var invoker = new FakeInvoker().OnAsync("arn:aws:lambda:us-east-1:1:function:work", async (input, _, _) =>
        {
            var tcs = new TaskCompletionSource<JsonNode?>();
            lock (pending)
            {
                pending.Add(tcs);
                inFlight++;
                maxInFlight = Math.Max(maxInFlight, inFlight);
            }

            var value = await tcs.Task.ConfigureAwait(false);
            lock (pending)
            {
                inFlight--;
            }

            return value ?? input!.DeepClone();
        });
        var executor = Sfn.Executor("""
        { "StartAt": "M", "States": { "M": { "Type": "Map", "MaxConcurrency": 2,
          "ItemProcessor": { "StartAt": "W", "States": { "W": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:work", "End": true } } },
          "End": true } } }
        """, invoker);
        using var noContext = Sfn.WithoutSyncContext();
        var task = executor.ExecuteAsync(JsonNode.Parse("[1, 2, 3, 4, 5]"), "m");
        for (var completed = 0; completed < 5; completed++)
        {
            TaskCompletionSource<JsonNode?> next;
            lock (pending)
            {
                Assert.True(pending.Count > completed, "Iterations should keep starting while slots are free.");
                Assert.True(inFlight <= 2);
                next = pending[completed];
            }

            next.SetResult(null);
        }

        Assert.True(task.IsCompleted);
        var result = await task;
        Sfn.Succeeded(result);
        JsonAssert.Equal("[1, 2, 3, 4, 5]", result.Output);
        Assert.Equal(2, maxInFlight);
    }

    [Fact]
    public void A_failing_iteration_fails_the_Map_state_and_can_be_retried()
    {
        var attempts = 0;
        var invoker = new FakeInvoker().On("arn:aws:lambda:us-east-1:1:function:check", input =>
        {
            if (input!.GetValue<int>() == 2 && Interlocked.Increment(ref attempts) == 1)
            {
                throw new StatesError("Flaky", "first try");
            }

            return JsonValue.Create(input.GetValue<int>() * 10);
        });
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""
        { "StartAt": "M", "States": { "M": { "Type": "Map",
          "ItemProcessor": { "StartAt": "C", "States": { "C": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:check", "End": true } } },
          "Retry": [ { "ErrorEquals": ["Flaky"], "IntervalSeconds": 2 } ],
          "End": true } } }
        """, invoker, clock);
        var result = Sfn.RunWithClock(executor, clock, "[1, 2, 3]");
        Sfn.Succeeded(result);
        JsonAssert.Equal("[10, 20, 30]", result.Output);
        Assert.Single(result.Of(HistoryEventType.MapIterationFailed));
        Assert.Single(result.Of(HistoryEventType.MapStateFailed));
        Assert.Equal(2, result.Of(HistoryEventType.MapStateStarted).Count());
    }

    [Fact]
    public void Map_items_must_be_an_array()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "M", "States": { "M": { "Type": "Map", "ItemsPath": "$.items",
          "ItemProcessor": { "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } }, "End": true } } }
        """), """{ "items": "nope" }""");
        Assert.Equal(StatesErrorNames.Runtime, result.Error);
    }

    [Fact]
    public void Parallel_runs_every_branch_on_a_copy_of_the_input_and_collects_outputs_in_order()
    {
        var invoker = new FakeInvoker()
            .On("arn:aws:lambda:us-east-1:123456789012:function:AddressFinder", input => new JsonObject { ["address"] = "1 Main St", ["for"] = input!["customer"]!.DeepClone() })
            .On("arn:aws:lambda:us-east-1:123456789012:function:PhoneFinder", input => new JsonObject { ["phone"] = "555-0100", ["for"] = input!["customer"]!.DeepClone() });
        var result = Sfn.Run(Sfn.Executor("""
        {
          "Comment": "Parallel Example.",
          "StartAt": "LookupCustomerInfo",
          "States": {
            "LookupCustomerInfo": {
              "Type": "Parallel",
              "End": true,
              "Branches": [
                { "StartAt": "LookupAddress", "States": { "LookupAddress": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:AddressFinder", "End": true } } },
                { "StartAt": "LookupPhone", "States": { "LookupPhone": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:PhoneFinder", "End": true } } }
              ]
            }
          }
        }
        """, invoker), """{ "customer": "ana" }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""[ { "address": "1 Main St", "for": "ana" }, { "phone": "555-0100", "for": "ana" } ]""", result.Output);
        Assert.Equal(
            ["ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
             "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
             "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
             "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"],
            result.Types());
        // Both branches hang off ParallelStateStarted.
        var started = result.Of(HistoryEventType.ParallelStateStarted).Single();
        Assert.All(result.Of(HistoryEventType.TaskStateEntered), e => Assert.Equal(started.Id, e.PreviousEventId));
    }

    [Fact]
    public void Parallel_branches_run_concurrently_and_a_failure_stops_the_others()
    {
        var clock = Sfn.Clock();
        var result = Sfn.RunWithClock(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "Slow", "States": { "Slow": { "Type": "Wait", "Seconds": 100, "Next": "After" }, "After": { "Type": "Pass", "End": true } } },
                { "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 5, "Next": "Boom" }, "Boom": { "Type": "Fail", "Error": "Broken" } } }
              ],
              "End": true
            }
          }
        }
        """, time: clock), clock);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("Broken", result.Error);
        Assert.Equal(Sfn.T0.AddSeconds(5), result.StopDate);
        Assert.DoesNotContain(result.History, e => e.StateName == "After");
    }

    [Fact]
    public void Parallel_Parameters_ResultSelector_and_flattening_with_a_wildcard_path()
    {
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Parameters": { "n.$": "$.n" },
              "Branches": [
                { "StartAt": "A", "States": { "A": { "Type": "Pass", "Parameters": { "list.$": "States.Array($.n, 1)" }, "OutputPath": "$.list", "End": true } } },
                { "StartAt": "B", "States": { "B": { "Type": "Pass", "Parameters": { "list.$": "States.ArrayRange(2, 3, 1)" }, "OutputPath": "$.list", "End": true } } }
              ],
              "ResultSelector": { "flat.$": "$[*][*]" },
              "ResultPath": "$.out",
              "End": true
            }
          }
        }
        """), """{ "n": 0 }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "n": 0, "out": { "flat": [0, 1, 2, 3] } }""", result.Output);
    }
}
