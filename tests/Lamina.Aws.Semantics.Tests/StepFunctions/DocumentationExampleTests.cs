using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lamina.Aws.Semantics.StepFunctions;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

/// <summary>
/// Reproduces the examples of the AWS Step Functions documentation (and of the Amazon States Language specification,
/// which the documentation follows) with the interpreter: each test names, in a comment, the documentation page (and
/// section) its definition and input come from, and asserts the output that page documents. Where a page states a
/// rule without an example, the test is built from the rule.
/// </summary>
public class DocumentationExampleTests
{
    private const string LambdaArn = "arn:aws:lambda:us-east-1:123456789012:function:HelloWorld";

    // ---------------------------------------------------------------- state types

    [Fact]
    public void Pass_state_example_places_its_Result_at_ResultPath()
    {
        // "Pass workflow state": the "No-op" state injects fixed coordinates at $.coords.
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "No-op",
          "States": {
            "No-op": {
              "Type": "Pass",
              "Result": { "x-datum": 0.381018, "y-datum": 622.2269926397355 },
              "ResultPath": "$.coords",
              "End": true
            }
          }
        }
        """), """{ "georefOf": "Home" }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "georefOf": "Home", "coords": { "x-datum": 0.381018, "y-datum": 622.2269926397355 } }""", result.Output);
        Assert.Equal(["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"], result.Types());
    }

    [Fact]
    public void Task_state_example_runs_the_Lambda_function_named_by_Resource()
    {
        // "Task workflow state": a Task whose Resource is a Lambda function ARN; its result becomes the state output.
        var invoker = new FakeInvoker().On(LambdaArn, input => JsonValue.Create("Hello, " + input!["who"]!.GetValue<string>() + "!"));
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "Comment": "A Hello World example of the Amazon States Language using an AWS Lambda function",
          "StartAt": "HelloWorld",
          "States": { "HelloWorld": { "Type": "Task", "Resource": "{{LambdaArn}}", "End": true } }
        }
        """, invoker), """{ "who": "AWS Step Functions" }""");
        Sfn.Succeeded(result);
        Assert.Equal("Hello, AWS Step Functions!", result.Output!.GetValue<string>());
        Assert.Equal(TaskResourceKind.LambdaFunction, invoker.Calls.Single().Context.Kind);
    }

    private const string DispatchEvent = """
    {
      "StartAt": "DispatchEvent",
      "States": {
        "DispatchEvent": {
          "Type": "Choice",
          "Choices": [
            { "Not": { "Variable": "$.type", "StringEquals": "Private" }, "Next": "Public" },
            {
              "And": [
                { "Variable": "$.value", "IsPresent": true },
                { "Variable": "$.value", "IsNumeric": true },
                { "Variable": "$.value", "NumericGreaterThanEquals": 20 },
                { "Variable": "$.value", "NumericLessThan": 30 }
              ],
              "Next": "ValueInTwenties"
            },
            { "Variable": "$.rating", "NumericGreaterThanPath": "$.auditThreshold", "Next": "StartAudit" }
          ],
          "Default": "RecordEvent"
        },
        "Public": { "Type": "Pass", "Result": "Public", "End": true },
        "ValueInTwenties": { "Type": "Pass", "Result": "ValueInTwenties", "End": true },
        "StartAudit": { "Type": "Pass", "Result": "StartAudit", "End": true },
        "RecordEvent": { "Type": "Pass", "Result": "RecordEvent", "End": true }
      }
    }
    """;

    [Theory]
    [InlineData("""{ "type": "Private", "value": 22 }""", "ValueInTwenties")] // the documented input and transition
    [InlineData("""{ "type": "Public", "value": 22 }""", "Public")]
    [InlineData("""{ "type": "Private", "rating": 75, "auditThreshold": 60 }""", "StartAudit")] // And stops at IsPresent false
    [InlineData("""{ "type": "Private", "value": "twenty", "rating": 53, "auditThreshold": 60 }""", "RecordEvent")]
    public void Choice_state_example_routes_with_Not_And_Is_and_Path_operators(string input, string expected)
    {
        // "Choice workflow state" (Choice Rules, JSONPath): the DispatchEvent example. With the documented input
        // { "type": "Private", "value": 22 } the machine moves to ValueInTwenties.
        var result = Sfn.Run(Sfn.Executor(DispatchEvent), input);
        Sfn.Succeeded(result);
        Assert.Equal(expected, result.Output!.GetValue<string>());
        Assert.Equal(expected, result.Of(HistoryEventType.PassStateEntered).Single().StateName);
    }

    [Theory]
    [InlineData("foo*.log", "foo23.log", true)]
    [InlineData("*.log", "zebra.log", true)]
    [InlineData("foo*.*", "foobar.zebra", true)]
    [InlineData("log-*.txt", "log-2023-11-27.txt", true)]
    [InlineData("log-*.txt", "log-2023.csv", false)]
    [InlineData("foo\\*.log", "foo*.log", true)] // an escaped asterisk is literal
    [InlineData("foo\\*.log", "foo23.log", false)]
    [InlineData("a\\\\b*", "a\\bc", true)] // an escaped backslash is literal
    public void StringMatches_wildcards_follow_the_documented_examples(string pattern, string value, bool matches)
    {
        // "Choice workflow state" (StringMatches): "*" matches zero or more characters, "\*" and "\\" are literals.
        var rule = new JsonObject { ["Variable"] = "$.name", ["StringMatches"] = pattern, ["Next"] = "Yes" };
        var definition = new JsonObject
        {
            ["StartAt"] = "C",
            ["States"] = new JsonObject
            {
                ["C"] = new JsonObject { ["Type"] = "Choice", ["Choices"] = new JsonArray(rule), ["Default"] = "No" },
                ["Yes"] = new JsonObject { ["Type"] = "Pass", ["Result"] = true, ["End"] = true },
                ["No"] = new JsonObject { ["Type"] = "Pass", ["Result"] = false, ["End"] = true },
            },
        };
        var result = Sfn.Run(Sfn.Executor(definition.ToJsonString()), new JsonObject { ["name"] = value }.ToJsonString());
        Assert.Equal(matches, result.Output!.GetValue<bool>());
    }

    [Fact]
    public void Choice_comparisons_of_the_wrong_type_are_false_and_Default_is_taken()
    {
        // "Choice workflow state": a comparison whose values are not both of the operator's type returns false;
        // the Is* operators test the type; a Choice without a match and without Default fails with States.NoChoiceMatched.
        var definition = """
        {
          "StartAt": "C",
          "States": {
            "C": {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.n", "NumericEquals": 10, "Next": "Numeric" },
                { "Variable": "$.n", "StringEquals": "10", "Next": "String" }
              ],
              "Default": "Neither"
            },
            "Numeric": { "Type": "Pass", "Result": "Numeric", "End": true },
            "String": { "Type": "Pass", "Result": "String", "End": true },
            "Neither": { "Type": "Pass", "Result": "Neither", "End": true }
          }
        }
        """;
        Assert.Equal("Numeric", Sfn.Run(Sfn.Executor(definition), """{ "n": 10 }""").Output!.GetValue<string>());
        Assert.Equal("String", Sfn.Run(Sfn.Executor(definition), """{ "n": "10" }""").Output!.GetValue<string>());
        Assert.Equal("Neither", Sfn.Run(Sfn.Executor(definition), """{ "n": true }""").Output!.GetValue<string>());

        var typed = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "C",
          "States": {
            "C": {
              "Type": "Choice",
              "Choices": [
                { "And": [
                    { "Variable": "$.possiblyNullValue", "IsPresent": true },
                    { "Variable": "$.possiblyNullValue", "IsNull": false },
                    { "Variable": "$.flag", "IsBoolean": true },
                    { "Variable": "$.name", "IsString": true },
                    { "Variable": "$.when", "IsTimestamp": true },
                    { "Variable": "$.when", "TimestampGreaterThanPath": "$.since" },
                    { "Variable": "$.flag", "BooleanEqualsPath": "$.expected" },
                    { "Variable": "$.name", "StringLessThanEqualsPath": "$.maxName" }
                  ], "Next": "AllTrue" }
              ]
            },
            "AllTrue": { "Type": "Succeed" }
          }
        }
        """), """
        { "possiblyNullValue": 42, "flag": true, "expected": true, "name": "MyStringABC", "maxName": "MyStringABD",
          "when": "2016-08-18T17:33:00Z", "since": "2016-08-18T17:32:59Z" }
        """);
        Sfn.Succeeded(typed);

        var noMatch = Sfn.Run(Sfn.Executor("""
        { "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "IsNull": true, "Next": "D" } ] }, "D": { "Type": "Succeed" } } }
        """), """{ "x": 1 }""");
        Assert.Equal(StatesErrorNames.NoChoiceMatched, noMatch.Error);
    }

    [Fact]
    public void Wait_state_examples_wait_for_Seconds_Timestamp_SecondsPath_and_TimestampPath()
    {
        // "Wait workflow state": wait_ten_seconds (Seconds), wait_until (Timestamp 2016-03-14T01:59:00Z), and the
        // same two read from the input through SecondsPath and TimestampPath (a reference path to $.expirydate).
        var start = new DateTimeOffset(2016, 3, 14, 1, 0, 0, TimeSpan.Zero);
        double Waited(string waitFields, string input)
        {
            var clock = new FakeTimeProvider(start);
            var executor = Sfn.Executor($$"""
            { "StartAt": "wait", "States": { "wait": { "Type": "Wait", {{waitFields}}, "Next": "NextState" }, "NextState": { "Type": "Pass", "End": true } } }
            """, time: clock);
            var result = Sfn.RunWithClock(executor, clock, input);
            Sfn.Succeeded(result);
            JsonAssert.Equal(input, result.Output);
            return (result.Of(HistoryEventType.WaitStateExited).Single().Timestamp - result.Of(HistoryEventType.WaitStateEntered).Single().Timestamp).TotalSeconds;
        }

        Assert.Equal(10, Waited("\"Seconds\": 10", "{}"));
        Assert.Equal(59 * 60, Waited("\"Timestamp\": \"2016-03-14T01:59:00Z\"", "{}"));
        Assert.Equal(25, Waited("\"SecondsPath\": \"$.waitSeconds\"", """{ "waitSeconds": 25 }"""));
        Assert.Equal(59 * 60, Waited("\"TimestampPath\": \"$.expirydate\"", """{ "expirydate": "2016-03-14T01:59:00Z" }"""));
        Assert.Equal(0, Waited("\"TimestampPath\": \"$.expirydate\"", """{ "expirydate": "2016-03-14T00:59:00Z" }""")); // a past instant
    }

    [Fact]
    public async Task A_one_hour_Wait_finishes_as_soon_as_the_fake_clock_moves_an_hour()
    {
        // "Wait workflow state": the delay runs on the executor's TimeProvider, so a test does not wait an hour.
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""{ "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 3600, "End": true } } }""", time: clock);
        using var noContext = Sfn.WithoutSyncContext();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var task = executor.ExecuteAsync(JsonNode.Parse("""{ "a": 1 }"""), "hour");
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(task.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(task.IsCompleted);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
        var result = await task;
        Sfn.Succeeded(result);
        Assert.Equal(Sfn.T0.AddHours(1), result.StopDate);
    }

    [Fact]
    public void Succeed_state_output_is_its_input_filtered_by_InputPath_and_OutputPath()
    {
        // "Succeed workflow state": the output of a Succeed state is its input, possibly modified by InputPath and OutputPath.
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "SuccessState", "States": { "SuccessState": { "Type": "Succeed", "InputPath": "$.order", "OutputPath": "$.id" } } }
        """), """{ "order": { "id": "o-17", "total": 3 } }""");
        Sfn.Succeeded(result);
        Assert.Equal("o-17", result.Output!.GetValue<string>());
        Assert.Equal(["ExecutionStarted", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"], result.Types());
    }

    [Fact]
    public void Fail_state_examples_with_static_path_and_intrinsic_error_and_cause()
    {
        // "Fail workflow state": FailState with Error "ErrorA" and Cause "Kaiju attack"; ErrorPath/CausePath read the
        // input; CausePath may be an intrinsic function.
        var fixedFail = Sfn.Run(Sfn.Executor("""
        { "StartAt": "FailState", "States": { "FailState": { "Type": "Fail", "Error": "ErrorA", "Cause": "Kaiju attack" } } }
        """));
        Assert.Equal(ExecutionStatus.Failed, fixedFail.Status);
        Assert.Equal(("ErrorA", "Kaiju attack"), (fixedFail.Error, fixedFail.Cause));
        Assert.Equal(["ExecutionStarted", "FailStateEntered", "ExecutionFailed"], fixedFail.Types());
        JsonAssert.Equal("""{ "error": "ErrorA", "cause": "Kaiju attack" }""", fixedFail.History[^1].ToJson()["executionFailedEventDetails"]);

        var fromPaths = Sfn.Run(Sfn.Executor("""
        { "StartAt": "FailState", "States": { "FailState": { "Type": "Fail", "Comment": "my error comment", "ErrorPath": "$.Error", "CausePath": "$.Cause" } } }
        """), """{ "Error": "ErrorB", "Cause": "Godzilla" }""");
        Assert.Equal(("ErrorB", "Godzilla"), (fromPaths.Error, fromPaths.Cause));

        var fromIntrinsic = Sfn.Run(Sfn.Executor("""
        { "StartAt": "FailState", "States": { "FailState": { "Type": "Fail", "ErrorPath": "$.Error",
          "CausePath": "States.Format('this is the error: {}, and this is the cause: {}', $.Error, $.Cause)" } } }
        """), """{ "Error": "ErrorB", "Cause": "Godzilla" }""");
        Assert.Equal("this is the error: ErrorB, and this is the cause: Godzilla", fromIntrinsic.Cause);
    }

    [Fact]
    public void Parallel_FunWithMath_example_outputs_one_element_per_branch_in_branch_order()
    {
        // "Parallel workflow state" (and the States Language "Parallel State"): FunWithMath gets [3, 2]; Add returns 5
        // and Subtract 1, so the Parallel output is [5, 1].
        var invoker = new FakeInvoker()
            .On("arn:aws:states:::task:Add", input => JsonValue.Create(input![0]!.GetValue<int>() + input[1]!.GetValue<int>()))
            .On("arn:aws:states:::task:Subtract", input => JsonValue.Create(input![0]!.GetValue<int>() - input[1]!.GetValue<int>()));
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "FunWithMath",
          "States": {
            "FunWithMath": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "Add", "States": { "Add": { "Type": "Task", "Resource": "arn:aws:states:::task:Add", "End": true } } },
                { "StartAt": "Subtract", "States": { "Subtract": { "Type": "Task", "Resource": "arn:aws:states:::task:Subtract", "End": true } } }
              ],
              "Next": "NextState"
            },
            "NextState": { "Type": "Pass", "End": true }
          }
        }
        """, invoker), "[3, 2]");
        Sfn.Succeeded(result);
        JsonAssert.Equal("[5, 1]", result.Output);
        Assert.All(invoker.Calls, c => JsonAssert.Equal("[3, 2]", c.Input));
    }

    [Fact]
    public void Parallel_branches_run_concurrently_and_one_failure_aborts_the_others()
    {
        // "Parallel workflow state": branches run as concurrently as possible; if any branch fails, the whole Parallel
        // state fails and the other branches stop; a Catch on the Parallel state handles the error.
        var clock = Sfn.Clock();
        var concurrent = Sfn.RunWithClock(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "A", "States": { "A": { "Type": "Wait", "Seconds": 10, "End": true } } },
                { "StartAt": "B", "States": { "B": { "Type": "Wait", "Seconds": 10, "End": true } } },
                { "StartAt": "C", "States": { "C": { "Type": "Wait", "Seconds": 10, "End": true } } }
              ],
              "End": true
            }
          }
        }
        """, time: clock), clock, """{ "x": 1 }""");
        Sfn.Succeeded(concurrent);
        Assert.Equal(Sfn.T0.AddSeconds(10), concurrent.StopDate); // not 30 s
        JsonAssert.Equal("""[ { "x": 1 }, { "x": 1 }, { "x": 1 } ]""", concurrent.Output);

        clock = Sfn.Clock();
        var failed = Sfn.RunWithClock(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "Slow", "States": { "Slow": { "Type": "Wait", "Seconds": 100, "End": true } } },
                { "StartAt": "Later", "States": { "Later": { "Type": "Wait", "Seconds": 5, "Next": "Boom" }, "Boom": { "Type": "Fail", "Error": "Broken", "Cause": "boom" } } }
              ],
              "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled" } ],
              "End": true
            },
            "Handled": { "Type": "Pass", "End": true }
          }
        }
        """, time: clock), clock, """{ "x": 1 }""");
        Sfn.Succeeded(failed);
        JsonAssert.Equal("""{ "x": 1, "error": { "Error": "Broken", "Cause": "boom" } }""", failed.Output);
        Assert.Equal(Sfn.T0.AddSeconds(5), failed.StopDate);
        Assert.Equal("Slow", failed.Of(HistoryEventType.WaitStateAborted).Single().StateName);
        Assert.Single(failed.Of(HistoryEventType.ParallelStateFailed));
    }

    [Fact]
    public void A_failing_branch_aborts_the_Map_Map_Run_and_Task_states_still_running_in_its_siblings()
    {
        // "HistoryEvent" (API reference) event types MapStateAborted, MapRunAborted and TaskStateAborted: states stopped
        // because a sibling branch failed are aborted (not failed); only the Parallel state itself fails.
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().OnAsync(ActivityArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(60), token, () => null));
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "Inline", "States": { "Inline": { "Type": "Map",
                    "ItemProcessor": { "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 60, "End": true } } }, "End": true } } },
                { "StartAt": "Distributed", "States": { "Distributed": { "Type": "Map",
                    "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }, "StartAt": "D", "States": { "D": { "Type": "Wait", "Seconds": 60, "End": true } } }, "End": true } } },
                { "StartAt": "Work", "States": { "Work": { "Type": "Task", "Resource": "{{ActivityArn}}", "End": true } } },
                { "StartAt": "Later", "States": { "Later": { "Type": "Wait", "Seconds": 5, "Next": "Boom" }, "Boom": { "Type": "Fail", "Error": "Broken" } } }
              ],
              "End": true
            }
          }
        }
        """, invoker, clock), clock, "[1, 2]");
        Assert.Equal(("Broken", Sfn.T0.AddSeconds(5)), (result.Error, result.StopDate));
        Assert.Equal(["Distributed", "Inline"], result.Of(HistoryEventType.MapStateAborted).Select(e => e.StateName!).Order());
        Assert.Single(result.Of(HistoryEventType.MapRunAborted));
        Assert.Equal("Work", result.Of(HistoryEventType.TaskStateAborted).Single().StateName);
        Assert.Equal(2, result.Of(HistoryEventType.MapIterationAborted).Count());
        Assert.Empty(result.Of(HistoryEventType.MapStateFailed));
        Assert.Single(result.Of(HistoryEventType.ParallelStateFailed));
        Assert.Equal(HistoryEventType.ExecutionFailed, result.History[^1].Type);
    }

    private const string ShippingInput = """
    {
      "ship-date": "2016-03-14T01:59:00Z",
      "detail": {
        "delivery-partner": "UQS",
        "shipped": [
          { "prod": "R31", "dest-code": 9511, "quantity": 1344 },
          { "prod": "S39", "dest-code": 9511, "quantity": 40 },
          { "prod": "R31", "dest-code": 9833, "quantity": 12 },
          { "prod": "R40", "dest-code": 9860, "quantity": 887 },
          { "prod": "R40", "dest-code": 9511, "quantity": 1220 }
        ]
      }
    }
    """;

    [Fact]
    public void Map_Validate_All_example_runs_ship_val_once_per_shipped_item()
    {
        // "Map workflow state" (and the States Language "Map State"): Validate-All with InputPath $.detail and ItemsPath
        // $.shipped; each iteration's input is one element of "shipped"; ResultPath $.detail.shipped overwrites the array
        // with the outputs, in order.
        var invoker = new FakeInvoker().On("arn:aws:lambda:us-east-1:123456789012:function:ship-val", input => new JsonObject
        {
            ["prod"] = input!["prod"]!.DeepClone(),
            ["valid"] = input["quantity"]!.GetValue<int>() < 1000,
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
              "Iterator": {
                "StartAt": "Validate",
                "States": { "Validate": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship-val", "End": true } }
              },
              "ResultPath": "$.detail.shipped",
              "End": true
            }
          }
        }
        """, invoker), ShippingInput);
        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "prod": "R31", "dest-code": 9511, "quantity": 1344 }""", invoker.Calls[0].Input);
        JsonAssert.Equal("""
        {
          "ship-date": "2016-03-14T01:59:00Z",
          "detail": {
            "delivery-partner": "UQS",
            "shipped": [
              { "prod": "R31", "valid": false }, { "prod": "S39", "valid": true }, { "prod": "R31", "valid": true },
              { "prod": "R40", "valid": true }, { "prod": "R40", "valid": false }
            ]
          }
        }
        """, result.Output);
    }

    [Fact]
    public void Map_ItemSelector_example_builds_each_iteration_input_from_the_context_object()
    {
        // "ItemSelector (Map)": the ItemSelector adds $$.Map.Item.Index and $$.Map.Item.Value and a field of the
        // Map state's effective input to each iteration's input.
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "Map",
          "States": {
            "Map": {
              "Type": "Map",
              "ItemsPath": "$.shipped",
              "ItemSelector": {
                "ContextIndex.$": "$$.Map.Item.Index",
                "ContextValue.$": "$$.Map.Item.Value",
                "courier.$": "$.delivery-partner"
              },
              "ItemProcessor": { "ProcessorConfig": { "Mode": "INLINE" }, "StartAt": "Echo", "States": { "Echo": { "Type": "Pass", "End": true } } },
              "End": true
            }
          }
        }
        """), """{ "delivery-partner": "UQS", "shipped": [ { "prod": "R31", "quantity": 1344 }, { "prod": "S39", "quantity": 40 } ] }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        [
          { "ContextIndex": 0, "ContextValue": { "prod": "R31", "quantity": 1344 }, "courier": "UQS" },
          { "ContextIndex": 1, "ContextValue": { "prod": "S39", "quantity": 40 }, "courier": "UQS" }
        ]
        """, result.Output);
    }

    [Fact]
    public void Map_in_Inline_mode_example_generates_a_UUID_and_a_random_number_per_color()
    {
        // "Using Map state in Inline mode": a Pass state provides five colors; each iteration runs "Generate UUID"
        // (States.UUID) then "Generate random numbers" (States.MathRandom(1, 10)), so the output holds five { "rand": n }.
        const string definition = """
        {
          "Comment": "Using Map state in Inline mode",
          "StartAt": "Pass",
          "States": {
            "Pass": { "Type": "Pass", "Next": "Map demo", "Result": { "foo": "bar", "colors": ["red", "green", "blue", "yellow", "white"] } },
            "Map demo": {
              "Type": "Map",
              "ItemsPath": "$.colors",
              "ItemProcessor": {
                "ProcessorConfig": { "Mode": "INLINE" },
                "StartAt": "Generate UUID",
                "States": {
                  "Generate UUID": { "Type": "Pass", "Next": "Generate random numbers", "Parameters": { "uuid.$": "States.UUID()" } },
                  "Generate random numbers": { "Type": "Pass", "End": true, "Parameters": { "rand.$": "States.MathRandom(1, 10)" } }
                }
              },
              "End": true
            }
          }
        }
        """;
        var first = Sfn.Run(Sfn.Executor(definition, random: new Random(7)));
        var second = Sfn.Run(Sfn.Executor(definition, random: new Random(7)));
        Sfn.Succeeded(first);
        var items = first.Output!.AsArray();
        Assert.Equal(5, items.Count);
        Assert.All(items, item => Assert.InRange(item!["rand"]!.GetValue<long>(), 1, 10));
        JsonAssert.Equal(first.Output, second.Output); // the injected Random makes the run repeatable
        var uuids = first.Of(HistoryEventType.PassStateExited).Where(e => e.StateName == "Generate UUID").Select(e => JsonNode.Parse(e.Output!)!["uuid"]!.GetValue<string>()).ToList();
        Assert.Equal(5, uuids.Distinct().Count());
        Assert.All(uuids, u => Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), u));
    }

    [Fact]
    public void Map_MaxConcurrency_limits_parallel_iterations_and_1_runs_them_in_order()
    {
        // "Map workflow state" (MaxConcurrency, MaxConcurrencyPath): 0 means no limit; a value of 1 runs one iteration
        // at a time, in item order; MaxConcurrencyPath reads the limit from the input.
        DateTimeOffset RunWith(string concurrency, out ExecutionResult result)
        {
            var clock = Sfn.Clock();
            result = Sfn.RunWithClock(Sfn.Executor($$"""
            {
              "StartAt": "M",
              "States": {
                "M": {
                  "Type": "Map", "ItemsPath": "$.items", {{concurrency}},
                  "ItemProcessor": { "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 5, "End": true } } },
                  "End": true
                }
              }
            }
            """, time: clock), clock, """{ "items": [1, 2, 3, 4], "limit": 2 }""");
            Sfn.Succeeded(result);
            return result.StopDate;
        }

        Assert.Equal(Sfn.T0.AddSeconds(5), RunWith("\"MaxConcurrency\": 0", out _));
        Assert.Equal(Sfn.T0.AddSeconds(10), RunWith("\"MaxConcurrencyPath\": \"$.limit\"", out _));
        Assert.Equal(Sfn.T0.AddSeconds(20), RunWith("\"MaxConcurrency\": 1", out var serial));
        JsonAssert.Equal("[1, 2, 3, 4]", serial.Output);
        Assert.Equal([0, 1, 2, 3], serial.Of(HistoryEventType.MapIterationStarted).Select(e => e.Index!.Value));
        Assert.Equal([5.0, 10.0, 15.0], serial.Of(HistoryEventType.MapIterationStarted).Skip(1).Select(e => (e.Timestamp - Sfn.T0).TotalSeconds));
    }

    [Fact]
    public void A_failing_Map_iteration_fails_the_Map_state_and_aborts_the_other_iterations()
    {
        // "Map workflow state": if any iteration fails, the entire Map state fails and all iterations are terminated.
        var clock = Sfn.Clock();
        var result = Sfn.RunWithClock(Sfn.Executor("""
        {
          "StartAt": "M",
          "States": {
            "M": {
              "Type": "Map",
              "ItemProcessor": {
                "StartAt": "Bad?",
                "States": {
                  "Bad?": { "Type": "Choice", "Choices": [ { "Variable": "$", "NumericEquals": 2, "Next": "Fail" } ], "Default": "Work" },
                  "Work": { "Type": "Wait", "Seconds": 60, "End": true },
                  "Fail": { "Type": "Fail", "Error": "ItemFailed", "Cause": "item 2" }
                }
              },
              "End": true
            }
          }
        }
        """, time: clock), clock, "[1, 2, 3]");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(("ItemFailed", "item 2"), (result.Error, result.Cause));
        Assert.Equal(Sfn.T0, result.StopDate);
        Assert.Equal([1], result.Of(HistoryEventType.MapIterationFailed).Select(e => e.Index!.Value));
        Assert.Equal([0], result.Of(HistoryEventType.MapIterationAborted).Select(e => e.Index!.Value)); // item 3 never started
        Assert.Single(result.Of(HistoryEventType.WaitStateAborted));
        Assert.Single(result.Of(HistoryEventType.MapStateFailed));
    }

    private static string DistributedMap(string tolerance) => $$"""
    {
      "StartAt": "Process",
      "States": {
        "Process": {
          "Type": "Map",
          "ItemsPath": "$.items",
          {{tolerance}}
          "ItemProcessor": {
            "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" },
            "StartAt": "Check",
            "States": {
              "Check": { "Type": "Choice", "Choices": [ { "Variable": "$.ok", "BooleanEquals": false, "Next": "Reject" } ], "Default": "Accept" },
              "Accept": { "Type": "Pass", "OutputPath": "$.id", "End": true },
              "Reject": { "Type": "Fail", "Error": "Rejected", "Cause": "not ok" }
            }
          },
          "Catch": [ { "ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "ResultPath": "$.error", "Next": "TooManyFailures" } ],
          "End": true
        },
        "TooManyFailures": { "Type": "Pass", "OutputPath": "$.error", "End": true }
      }
    }
    """;

    // 10 items, 2 of which fail (20 %).
    private const string TenItems = """
    { "limit": 20, "items": [ { "id": 0, "ok": true }, { "id": 1, "ok": false }, { "id": 2, "ok": true }, { "id": 3, "ok": true }, { "id": 4, "ok": true },
                              { "id": 5, "ok": true }, { "id": 6, "ok": false }, { "id": 7, "ok": true }, { "id": 8, "ok": true }, { "id": 9, "ok": true } ] }
    """;

    [Theory]
    [InlineData("\"ToleratedFailureCount\": 2,", true)]
    [InlineData("\"ToleratedFailureCount\": 1,", false)]
    [InlineData("\"ToleratedFailurePercentage\": 20,", true)]
    [InlineData("\"ToleratedFailurePercentage\": 19.5,", false)]
    [InlineData("\"ToleratedFailurePercentagePath\": \"$.limit\",", true)]
    [InlineData("\"ToleratedFailureCount\": 5, \"ToleratedFailurePercentage\": 10,", false)] // either threshold fails the run
    [InlineData("", false)] // the default threshold is zero: any failed item fails the Map Run
    public void Distributed_Map_tolerates_failed_items_up_to_the_threshold(string tolerance, bool succeeds)
    {
        // "Tolerated failure threshold for Distributed Map state": the Map Run fails with
        // States.ExceedToleratedFailureThreshold when failed items exceed ToleratedFailureCount, or when failed items
        // divided by all items exceed ToleratedFailurePercentage (either, when both are set); both default to zero.
        var result = Sfn.Run(Sfn.Executor(DistributedMap(tolerance)), TenItems);
        Sfn.Succeeded(result);
        if (succeeds)
        {
            JsonAssert.Equal("[0, 2, 3, 4, 5, 7, 8, 9]", result.Output); // the outputs of the successful items, in item order
            Assert.Single(result.Of(HistoryEventType.MapRunSucceeded));
        }
        else
        {
            Assert.Equal(StatesErrorNames.ExceedToleratedFailureThreshold, result.Output!["Error"]!.GetValue<string>());
            Assert.Single(result.Of(HistoryEventType.MapRunFailed));
        }

        // The child workflow executions keep their own histories: the parent shows the Map Run, not the iterations.
        Assert.StartsWith("arn:aws:states:us-east-1:123456789012:mapRun:Test/Process:", result.Of(HistoryEventType.MapRunStarted).Single().MapRunArn);
        Assert.Empty(result.Of(HistoryEventType.MapIterationStarted));
        Assert.DoesNotContain(result.History, e => e.StateName is "Check" or "Accept" or "Reject");
        if (succeeds)
        {
            Assert.Equal(1 + (10 * 2), result.StateTransitions); // the Map state, then Check and Accept/Reject per item
        }
    }

    // ---------------------------------------------------------------- input and output processing

    [Fact]
    public void InputPath_example_selects_dataset2_and_a_path_can_yield_several_values()
    {
        // "Manipulate parameters in Step Functions workflows" (InputPath): $.dataset2 is passed on; $.a[0:2] of
        // { "a": [1, 2, 3, 4] } yields [1, 2] (and the specification's $.a[0,1] does too).
        var result = Sfn.Run(Sfn.Executor("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "InputPath": "$.dataset2", "End": true } } }"""), """
        {
          "comment": "Example for InputPath.",
          "dataset1": { "val1": 1, "val2": 2, "val3": 3 },
          "dataset2": { "val1": "a", "val2": "b", "val3": "c" }
        }
        """);
        JsonAssert.Equal("""{ "val1": "a", "val2": "b", "val3": "c" }""", result.Output);

        foreach (var path in (string[])["$.a[0:2]", "$.a[0,1]"])
        {
            var slice = Sfn.Run(Sfn.Executor($$"""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "InputPath": "{{path}}", "End": true } } }"""), """{ "a": [1, 2, 3, 4] }""");
            JsonAssert.Equal("[1, 2]", slice.Output);
        }
    }

    [Fact]
    public void Parameters_example_selects_what_I_care_about()
    {
        // "Manipulate parameters in Step Functions workflows" (Parameters, key-value pairs): fields ending in ".$"
        // select from the input; the others are copied as they are.
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Pass",
              "Parameters": {
                "comment": "Selecting what I care about.",
                "MyDetails": { "size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo" }
              },
              "End": true
            }
          }
        }
        """), """
        {
          "comment": "Example for Parameters.",
          "product": { "details": { "color": "blue", "size": "small", "material": "cotton" }, "availability": "in stock", "sku": "2317", "cost": "$23" }
        }
        """);
        JsonAssert.Equal("""{ "comment": "Selecting what I care about.", "MyDetails": { "size": "small", "exists": "in stock", "StaticValue": "foo" } }""", result.Output);
    }

    [Fact]
    public void Payload_template_example_with_nested_paths_slices_context_and_intrinsics()
    {
        // The States Language "Payload Template" example: nested ".$" fields, a negative slice ($.vals[-3:]), a
        // context-object path and States.Format over it ($$.Execution.Name stands in for the example's $$.DayOfWeek,
        // which AWS's context object does not have).
        var invoker = new FakeInvoker().On("arn:aws:states:us-east-1:123456789012:activity:X", input => input!.DeepClone());
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "X",
          "States": {
            "X": {
              "Type": "Task",
              "Resource": "arn:aws:states:us-east-1:123456789012:activity:X",
              "Parameters": {
                "flagged": true,
                "parts": { "first.$": "$.vals[0]", "last3.$": "$.vals[-3:]" },
                "weekday.$": "$$.Execution.Name",
                "formattedOutput.$": "States.Format('Today is {}', $$.Execution.Name)"
              },
              "End": true
            }
          }
        }
        """, invoker), """{ "flagged": 7, "vals": [0, 10, 20, 30, 40, 50] }""");
        JsonAssert.Equal("""
        { "flagged": true, "parts": { "first": 0, "last3": [30, 40, 50] }, "weekday": "exec", "formattedOutput": "Today is exec" }
        """, invoker.Calls.Single().Input);
    }

    [Fact]
    public void ResultSelector_example_keeps_two_fields_of_the_EMR_result_before_ResultPath()
    {
        // "Manipulate parameters in Step Functions workflows" (ResultSelector): the createCluster.sync result is reduced
        // to ClusterId and ResourceType, then placed at $.EMROutput by ResultPath.
        const string resource = "arn:aws:states:::elasticmapreduce:createCluster.sync";
        var invoker = new FakeInvoker().On(resource, (_, context) =>
        {
            Assert.Equal(IntegrationPattern.Sync, context.Pattern);
            Assert.Equal("elasticmapreduce", context.Service);
            return JsonNode.Parse("""
            {
              "resourceType": "elasticmapreduce",
              "resource": "createCluster.sync",
              "output": {
                "SdkHttpMetadata": { "HttpHeaders": { "Content-Length": "1112", "Content-Type": "application/x-amz-JSON-1.1" }, "HttpStatusCode": 200 },
                "SdkResponseMetadata": { "RequestId": "1234-5678-9012" },
                "ClusterId": "AKIAIOSFODNN7EXAMPLE"
              }
            }
            """);
        });
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "Create Cluster",
          "States": {
            "Create Cluster": {
              "Type": "Task",
              "Resource": "{{resource}}",
              "Parameters": { "Name": "MyCluster" },
              "ResultSelector": { "ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType" },
              "ResultPath": "$.EMROutput",
              "End": true
            }
          }
        }
        """, invoker), """{ "OtherDataFromInput": {} }""");
        JsonAssert.Equal("""{ "OtherDataFromInput": {}, "EMROutput": { "ResourceType": "elasticmapreduce", "ClusterId": "AKIAIOSFODNN7EXAMPLE" } }""", result.Output);
    }

    [Fact]
    public void ResultSelector_flattens_an_array_of_arrays_from_a_Parallel_state()
    {
        // "Manipulate parameters in Step Functions workflows" (Flattening an array of arrays): "$[*][*]" in a
        // ResultSelector turns the array of branch outputs into one flat array.
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "A", "States": { "A": { "Type": "Pass", "Result": [ { "resultA": "1" }, { "resultA": "2" } ], "End": true } } },
                { "StartAt": "B", "States": { "B": { "Type": "Pass", "Result": [ { "resultB": "3" } ], "End": true } } }
              ],
              "ResultSelector": { "flattened.$": "$[*][*]" },
              "End": true
            }
          }
        }
        """));
        JsonAssert.Equal("""{ "flattened": [ { "resultA": "1" }, { "resultA": "2" }, { "resultB": "3" } ] }""", result.Output);
    }

    private const string ResultPathInput = """{ "comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions" }""";

    [Theory]
    [InlineData("\"$\"", "\"Hello, AWS Step Functions!\"")]
    [InlineData("null", ResultPathInput)]
    [InlineData("\"$.taskresult\"", """{ "comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions", "taskresult": "Hello, AWS Step Functions!" }""")]
    public void ResultPath_examples_replace_discard_or_include_the_result(string resultPath, string expected)
    {
        // "Specifying state output using ResultPath": "$" replaces the input with the result, null discards the
        // result and keeps the input, "$.taskresult" adds the result to the input.
        var invoker = new FakeInvoker().On(LambdaArn, input => JsonValue.Create("Hello, " + input!["who"]!.GetValue<string>() + "!"));
        var result = Sfn.Run(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{LambdaArn}}", "ResultPath": {{resultPath}}, "End": true } } }
        """, invoker), ResultPathInput);
        JsonAssert.Equal(expected, result.Output);
    }

    [Fact]
    public void ResultPath_example_updates_a_node_of_the_input()
    {
        // "Specifying state output using ResultPath" (Update a node in input with result): ResultPath
        // "$.strings.lambdaresult" adds the result next to the existing strings.
        var invoker = new FakeInvoker().On(LambdaArn, input => JsonValue.Create(string.Concat(input!["strings"]!.AsObject().Select(p => p.Value!.GetValue<string>()))));
        var result = Sfn.Run(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{LambdaArn}}", "ResultPath": "$.strings.lambdaresult", "End": true } } }
        """, invoker), """{ "comment": "An input comment.", "strings": { "string1": "foo", "string2": "bar", "string3": "baz" }, "who": "AWS Step Functions" }""");
        JsonAssert.Equal("""
        { "comment": "An input comment.", "strings": { "string1": "foo", "string2": "bar", "string3": "baz", "lambdaresult": "foobarbaz" }, "who": "AWS Step Functions" }
        """, result.Output);
    }

    [Fact]
    public void Catch_ResultPath_example_keeps_the_input_and_adds_the_error_output()
    {
        // "Specifying state output using ResultPath" (Use ResultPath to include both error and input in a Catch): the
        // input { "foo": "bar" } and an error named "Error here" give { "foo": "bar", "error": { "Error": "Error here" } }.
        var invoker = new FakeInvoker().On(LambdaArn, _ => throw new StatesError("Error here"));
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "{{LambdaArn}}", "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "NextTask", "ResultPath": "$.error" } ], "End": true },
            "NextTask": { "Type": "Pass", "End": true }
          }
        }
        """, invoker), """{ "foo": "bar" }""");
        JsonAssert.Equal("""{ "foo": "bar", "error": { "Error": "Error here" } }""", result.Output);
    }

    [Theory]
    [InlineData("$", """{ "title": "Numbers to add", "numbers": { "val1": 3, "val2": 4 }, "sum": 7 }""")]
    [InlineData("$.sum", "7")]
    public void Input_and_output_processing_example_sums_the_numbers(string outputPath, string expected)
    {
        // "Input and Output Processing" (InputPath, ResultPath and OutputPath): the task gets only $.numbers, its result
        // 7 is placed at $.sum, and OutputPath selects what is passed on.
        var invoker = new FakeInvoker().On(LambdaArn, input => JsonValue.Create(input!["val1"]!.GetValue<int>() + input["val2"]!.GetValue<int>()));
        var result = Sfn.Run(Sfn.Executor($$"""
        { "StartAt": "Add", "States": { "Add": { "Type": "Task", "Resource": "{{LambdaArn}}",
          "InputPath": "$.numbers", "ResultPath": "$.sum", "OutputPath": "{{outputPath}}", "End": true } } }
        """, invoker), """{ "title": "Numbers to add", "numbers": { "val1": 3, "val2": 4 } }""");
        JsonAssert.Equal("""{ "val1": 3, "val2": 4 }""", invoker.Calls.Single().Input);
        JsonAssert.Equal(expected, result.Output);
    }

    [Fact]
    public void ResultPath_builds_intervening_objects_and_fails_on_a_non_object_input()
    {
        // The States Language "Input and Output Processing": with input { "a": 1 }, result "Hi!" and ResultPath
        // "$.b.greeting" the output is { "a": 1, "b": { "greeting": "Hi!" } }; with input "foo" and ResultPath "$.x"
        // the state fails with States.ResultPathMatchFailure.
        var built = Sfn.Run(Sfn.Executor("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": "Hi!", "ResultPath": "$.b.greeting", "End": true } } }"""), """{ "a": 1 }""");
        JsonAssert.Equal("""{ "a": 1, "b": { "greeting": "Hi!" } }""", built.Output);

        var failed = Sfn.Run(Sfn.Executor("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": 6, "ResultPath": "$.x", "End": true } } }"""), "\"foo\"");
        Assert.Equal(StatesErrorNames.ResultPathMatchFailure, failed.Error);

        // "$.master.detail" overwrites an existing field; "$.master.result.sum" adds a chain of new ones.
        var overwritten = Sfn.Run(Sfn.Executor("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": 6, "ResultPath": "$.master.detail", "End": true } } }"""), """{ "master": { "detail": [1, 2, 3] } }""");
        JsonAssert.Equal("""{ "master": { "detail": 6 } }""", overwritten.Output);
        var added = Sfn.Run(Sfn.Executor("""{ "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": 6, "ResultPath": "$.master.result.sum", "End": true } } }"""), """{ "master": { "detail": [1, 2, 3] } }""");
        JsonAssert.Equal("""{ "master": { "detail": [1, 2, 3], "result": { "sum": 6 } } }""", added.Output);
    }

    [Fact]
    public void Context_object_example_passes_the_execution_ARN_to_an_SQS_message()
    {
        // "Accessing execution data from the Context object": "Execution.$": "$$.Execution.Id" inside MessageBody.
        const string resource = "arn:aws:states:::sqs:sendMessage";
        var invoker = new FakeInvoker().On(resource, _ => new JsonObject { ["MessageId"] = "m-1" });
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "Order Flight Ticket Queue",
          "States": {
            "Order Flight Ticket Queue": {
              "Type": "Task",
              "Resource": "{{resource}}",
              "Parameters": {
                "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
                "MessageBody": { "From": "YVR", "To": "SEA", "Execution.$": "$$.Execution.Id" }
              },
              "End": true
            }
          }
        }
        """, invoker));
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        {
          "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/flight-purchase",
          "MessageBody": { "From": "YVR", "To": "SEA", "Execution": "arn:aws:states:us-east-1:123456789012:execution:Test:exec" }
        }
        """, invoker.Calls.Single().Input);
    }

    // ---------------------------------------------------------------- intrinsic functions

    [Fact]
    public void Intrinsic_function_examples_produce_the_documented_outputs()
    {
        // "Intrinsic functions for JSONPath states": every example of the page, evaluated as ".$" fields of a Pass
        // state's Parameters. Two printed outputs are typos on the page: the SHA-1 of "input data" has 40 digits
        // (aaff4a450a104cd177d28d18d74485e8cae074b7) and decoding "RGF0YSB0byBlbmNvZGU=" gives "Data to encode".
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "Intrinsics",
          "States": {
            "Intrinsics": {
              "Type": "Pass",
              "Parameters": {
                "format.$": "States.Format('Hello, my name is {}.', $.name)",
                "formatFromTemplate.$": "States.Format($.template, $.name)",
                "json.$": "States.StringToJson($.escapedJsonString)",
                "text.$": "States.JsonToString($.unescapedJson)",
                "BuildId.$": "States.Array($.Id)",
                "inputArray.$": "States.ArrayPartition($.inputArray, 4)",
                "contains.$": "States.ArrayContains($.inputArray, $.lookingFor)",
                "array.$": "States.ArrayRange(1, 9, 2)",
                "item.$": "States.ArrayGetItem($.inputArray, $.index)",
                "length.$": "States.ArrayLength($.inputArray)",
                "unique.$": "States.ArrayUnique($.duplicates)",
                "base64.$": "States.Base64Encode($.input)",
                "data.$": "States.Base64Decode($.base64)",
                "output.$": "States.Hash($.Data, $.Algorithm)",
                "merged.$": "States.JsonMerge($.json1, $.json2, false)",
                "value1.$": "States.MathAdd($.value1, $.step)",
                "split.$": "States.StringSplit($.inputString, $.splitter)",
                "splitMany.$": "States.StringSplit($.sentence, $.splitters)"
              },
              "End": true
            }
          }
        }
        """), """
        {
          "name": "Arnav", "template": "Hello, my name is {}.",
          "escapedJsonString": "{\"foo\": \"bar\"}",
          "unescapedJson": { "foo": "bar" },
          "Id": 123456,
          "inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5, "index": 5,
          "duplicates": [1, 2, 3, 3, 3, 3, 3, 3, 4],
          "input": "Data to encode", "base64": "RGF0YSB0byBlbmNvZGU=",
          "Data": "input data", "Algorithm": "SHA-1",
          "json1": { "a": { "a1": 1, "a2": 2 }, "b": 2 }, "json2": { "a": { "a3": 1, "a4": 2 }, "c": 3 },
          "value1": 111, "step": -1,
          "inputString": "1,2,3,4,5", "splitter": ",",
          "sentence": "This.is+a,test=string", "splitters": ".+,="
        }
        """);
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        {
          "format": "Hello, my name is Arnav.",
          "formatFromTemplate": "Hello, my name is Arnav.",
          "json": { "foo": "bar" },
          "text": "{\"foo\":\"bar\"}",
          "BuildId": [123456],
          "inputArray": [[1, 2, 3, 4], [5, 6, 7, 8], [9]],
          "contains": true,
          "array": [1, 3, 5, 7, 9],
          "item": 6,
          "length": 9,
          "unique": [1, 2, 3, 4],
          "base64": "RGF0YSB0byBlbmNvZGU=",
          "data": "Data to encode",
          "output": "aaff4a450a104cd177d28d18d74485e8cae074b7",
          "merged": { "a": { "a3": 1, "a4": 2 }, "b": 2, "c": 3 },
          "value1": 110,
          "split": ["1", "2", "3", "4", "5"],
          "splitMany": ["This", "is", "a", "test", "string"]
        }
        """, result.Output);
    }

    [Fact]
    public void Specification_intrinsic_examples_Format_StringToJson_JsonToString_Array_and_escapes()
    {
        // The States Language "Appendix B: List of Intrinsic Functions" and "Intrinsic Functions" (reserved characters).
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "X",
          "States": {
            "X": {
              "Type": "Pass",
              "Parameters": {
                "foo.$": "States.Format('Your name is {}, we are in the year {}', $.name, 2020)",
                "greeting.$": "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)",
                "braces.$": "States.Format('\\{literal\\} and \\\\ with {}', $.name)",
                "parsed.$": "States.StringToJson($.someString)",
                "rendered.$": "States.JsonToString($.someJson)",
                "list.$": "States.Array('Foo', 2020, $.someJson, null)"
              },
              "End": true
            }
          }
        }
        """), """{ "name": "Foo", "firstName": "John", "lastName": "Doe", "someString": "{\"number\": 20}", "someJson": { "name": "Foo", "year": 2020 }, "zebra": "stripe" }""");
        JsonAssert.Equal("""
        {
          "foo": "Your name is Foo, we are in the year 2020",
          "greeting": "Welcome to John Doe's playlist.",
          "braces": "{literal} and \\ with Foo",
          "parsed": { "number": 20 },
          "rendered": "{\"name\":\"Foo\",\"year\":2020}",
          "list": ["Foo", 2020, { "name": "Foo", "year": 2020 }, null]
        }
        """, result.Output);
    }

    [Fact]
    public void MathRandom_and_UUID_examples_draw_from_the_injected_Random()
    {
        // "Intrinsic functions for JSONPath states" (States.MathRandom, States.UUID): a random integer between start
        // and end, the same number for the same seed, and a version 4 UUID.
        const string definition = """
        { "StartAt": "R", "States": { "R": { "Type": "Pass", "Parameters": {
            "random.$": "States.MathRandom($.start, $.end)", "seeded.$": "States.MathRandom($.start, $.end, 42)", "uuid.$": "States.UUID()" }, "End": true } } }
        """;
        var a = Sfn.Run(Sfn.Executor(definition, random: new Random(3)), """{ "start": 1, "end": 999 }""").Output!;
        var b = Sfn.Run(Sfn.Executor(definition, random: new Random(3)), """{ "start": 1, "end": 999 }""").Output!;
        var c = Sfn.Run(Sfn.Executor(definition, random: new Random(4)), """{ "start": 1, "end": 999 }""").Output!;
        Assert.InRange(a["random"]!.GetValue<long>(), 1, 999);
        JsonAssert.Equal(a, b);
        Assert.Equal(a["seeded"]!.GetValue<long>(), c["seeded"]!.GetValue<long>());
        Assert.NotEqual(a["uuid"]!.GetValue<string>(), c["uuid"]!.GetValue<string>());
        Assert.Matches(new Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"), a["uuid"]!.GetValue<string>());
    }

    // ---------------------------------------------------------------- errors, retries and time-outs

    private const string SleepArn = "arn:aws:lambda:us-east-1:123456789012:function:sleep10";

    private static double[] Scheduled(ExecutionResult result, HistoryEventType type = HistoryEventType.LambdaFunctionScheduled) =>
        [.. result.Of(type).Select(e => (e.Timestamp - Sfn.T0).TotalSeconds)];

    [Fact]
    public void Retry_example_waits_3_then_4_5_seconds_with_BackoffRate_1_5()
    {
        // "Handling errors in Step Functions workflows" (Retrying after an error): a retrier on States.Timeout with
        // IntervalSeconds 3, MaxAttempts 2 and BackoffRate 1.5 retries after 3 and 4.5 seconds.
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().OnAsync(SleepArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(10), token, () => null));
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{SleepArn}}", "TimeoutSeconds": 1,
          "Retry": [ { "ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 1.5 } ], "End": true } } }
        """, invoker, clock), clock, step: TimeSpan.FromMilliseconds(500));
        Assert.Equal(StatesErrorNames.Timeout, result.Error);
        Assert.Equal([0.0, 4.0, 9.5], Scheduled(result)); // 1 s attempt + 3 s, 1 s attempt + 4.5 s
        Assert.Equal(3, result.Of(HistoryEventType.LambdaFunctionTimedOut).Count());
    }

    [Fact]
    public void Retry_example_retries_every_error_except_States_Timeout()
    {
        // "Handling errors in Step Functions workflows": MaxAttempts 0 on States.Timeout, then States.ALL with the
        // defaults (IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0).
        const string retry = """
        "Retry": [ { "ErrorEquals": ["States.Timeout"], "MaxAttempts": 0 }, { "ErrorEquals": ["States.ALL"] } ]
        """;
        var clock = Sfn.Clock();
        var failing = new FakeInvoker().On(LambdaArn, _ => throw new StatesError("Flaky", "always"));
        var retried = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{LambdaArn}}", {{retry}}, "End": true } } }
        """, failing, clock), clock);
        Assert.Equal("Flaky", retried.Error);
        Assert.Equal([0.0, 1.0, 3.0, 7.0], Scheduled(retried));

        clock = Sfn.Clock();
        var sleeping = new FakeInvoker().OnAsync(SleepArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(10), token, () => null));
        var timedOut = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{SleepArn}}", "TimeoutSeconds": 2, {{retry}}, "End": true } } }
        """, sleeping, clock), clock);
        Assert.Equal(StatesErrorNames.Timeout, timedOut.Error);
        Assert.Equal([0.0], Scheduled(timedOut));
    }

    [Fact]
    public void MaxDelaySeconds_example_caps_the_second_wait_at_4_seconds()
    {
        // The States Language "Retrying after error": IntervalSeconds 3, MaxAttempts 2, BackoffRate 2.0 would wait 3 and
        // 6 seconds; with MaxDelaySeconds 4 the second retry comes after 4 seconds.
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().On(LambdaArn, _ => throw new StatesError("States.Timeout", "simulated"));
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{LambdaArn}}",
          "Retry": [ { "ErrorEquals": ["States.Timeout"], "IntervalSeconds": 3, "MaxAttempts": 2, "BackoffRate": 2.0, "MaxDelaySeconds": 4 } ], "End": true } } }
        """, invoker, clock), clock);
        Assert.Equal([0.0, 3.0, 7.0], Scheduled(result));
    }

    [Theory]
    [InlineData("FULL")]
    [InlineData("NONE")]
    public async Task JitterStrategy_FULL_draws_each_wait_from_the_injected_Random_and_NONE_does_not(string jitter)
    {
        // "Handling errors in Step Functions workflows" (JitterStrategy): FULL makes each wait a random value between 0
        // and the computed backoff (capped by MaxDelaySeconds); NONE (the default) waits the computed backoff.
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().On(LambdaArn, _ => throw new StatesError("Busy"));
        var executor = Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{LambdaArn}}",
          "Retry": [ { "ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 4, "BackoffRate": 3, "MaxDelaySeconds": 30, "JitterStrategy": "{{jitter}}" } ], "End": true } } }
        """, invoker, clock, new Random(11));
        var expectedRandom = new Random(11);
        var waits = new[] { 2.0, 6.0, 18.0, 30.0 }.Select(backoff => TimeSpan.FromSeconds(jitter == "FULL" ? backoff * expectedRandom.NextDouble() : backoff)).ToArray();

        using var noContext = Sfn.WithoutSyncContext();
        var task = executor.ExecuteAsync(new JsonObject(), "jitter");
        for (var i = 0; i < waits.Length; i++)
        {
            Assert.Equal(i + 1, invoker.Calls.Count);
            clock.Advance(waits[i] - TimeSpan.FromTicks(1));
            Assert.Equal(i + 1, invoker.Calls.Count); // not a tick early
            clock.Advance(TimeSpan.FromTicks(1));
        }

        Assert.True(task.IsCompleted);
        var result = await task;
        Assert.Equal(5, invoker.Calls.Count);
        Assert.Equal("Busy", result.Error);
        Assert.Equal(waits.Aggregate(TimeSpan.Zero, (a, b) => a + b), result.StopDate - Sfn.T0);
        if (jitter == "FULL")
        {
            Assert.True(result.StopDate - Sfn.T0 < TimeSpan.FromSeconds(56), "full jitter shortens the waits");
        }
    }

    [Fact]
    public void Catch_error_names_States_ALL_TaskFailed_Timeout_and_Runtime_behave_as_documented()
    {
        // "Handling errors in Step Functions workflows" (Error names): States.ALL matches any error name but cannot
        // catch States.Runtime; States.TaskFailed matches any error except States.Timeout; States.Timeout matches a task
        // time-out (and a missed heartbeat).
        string Outcome(string errorEquals, Func<FakeTimeProvider, FakeInvoker> invoker, string extra = "", string resource = SleepArn)
        {
            var clock = Sfn.Clock();
            var result = Sfn.RunWithClock(Sfn.Executor($$"""
            { "StartAt": "T", "States": {
                "T": { "Type": "Task", "Resource": "{{resource}}", {{extra}} "Catch": [ { "ErrorEquals": ["{{errorEquals}}"], "Next": "Caught" } ], "End": true },
                "Caught": { "Type": "Pass", "End": true } } }
            """, invoker(clock), clock), clock);
            return result.Status != ExecutionStatus.Succeeded ? "failed " + result.Error
                : result.Output?["Error"] is { } error ? "caught " + error.GetValue<string>() : "succeeded";
        }

        FakeInvoker Throws(FakeTimeProvider _) => new FakeInvoker().On(SleepArn, _ => throw new StatesError("Lambda.Unknown", "out of memory"));
        FakeInvoker Sleeps(FakeTimeProvider clock) => new FakeInvoker()
            .OnAsync(SleepArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(10), token, () => null))
            .OnAsync(ActivityArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(10), token, () => null));

        Assert.Equal("caught Lambda.Unknown", Outcome("States.ALL", Throws));
        Assert.Equal("caught Lambda.Unknown", Outcome("States.TaskFailed", Throws));
        Assert.Equal("failed Lambda.Unknown", Outcome("States.Timeout", Throws));
        Assert.Equal("caught States.Timeout", Outcome("States.Timeout", Sleeps, "\"TimeoutSeconds\": 2,"));
        Assert.Equal("failed States.Timeout", Outcome("States.TaskFailed", Sleeps, "\"TimeoutSeconds\": 2,"));
        Assert.Equal("caught States.HeartbeatTimeout", Outcome("States.Timeout", Sleeps, "\"HeartbeatSeconds\": 2,", ActivityArn));
        Assert.Equal("caught States.HeartbeatTimeout", Outcome("States.HeartbeatTimeout", Sleeps, "\"HeartbeatSeconds\": 2,", ActivityArn));
        Assert.Equal("failed States.HeartbeatTimeout", Outcome("States.TaskFailed", Sleeps, "\"HeartbeatSeconds\": 2,", ActivityArn));
        // A Lambda function holds no task token to heartbeat with, so HeartbeatSeconds does not stop it.
        Assert.Equal("caught Lambda.Unknown", Outcome("States.TaskFailed", Throws, "\"HeartbeatSeconds\": 2,"));
        Assert.Equal("succeeded", Outcome("States.ALL", Sleeps, "\"HeartbeatSeconds\": 2,"));
        Assert.Equal("failed States.Runtime", Outcome("States.ALL", Throws, "\"InputPath\": \"$.missing\","));
    }

    private const string ActivityArn = "arn:aws:states:us-east-1:123456789012:activity:HelloWorld";

    /// <summary>An activity worker that heartbeats at the given seconds and completes at <paramref name="doneAt"/>.</summary>
    private static FakeInvoker Worker(FakeTimeProvider clock, double[] heartbeats, double doneAt, List<string> log) =>
        new FakeInvoker().OnAsync(ActivityArn, (_, context, token) =>
        {
            var start = clock.GetUtcNow();
            // FakeTimeProvider unschedules a timer whose ITimer is garbage collected, so the worker keeps its timers.
            var timers = new List<ITimer>();
            foreach (var at in heartbeats)
            {
                timers.Add(clock.CreateTimer(_ =>
                {
                    log.Add("heartbeat " + at);
                    context.SendHeartbeat();
                }, null, TimeSpan.FromSeconds(at), Timeout.InfiniteTimeSpan));
            }

            return Sfn.Sleep(clock, TimeSpan.FromSeconds(doneAt), token, () =>
            {
                timers.ForEach(t => t.Dispose());
                return new JsonObject { ["done"] = (clock.GetUtcNow() - start).TotalSeconds };
            }, () =>
            {
                timers.ForEach(t => t.Dispose());
                log.Add("cancelled");
            });
        });

    [Fact]
    public void HeartbeatSeconds_example_fails_the_task_when_the_worker_stops_sending_heartbeats()
    {
        // "Task workflow state" (Timeouts, the ActivityState example with TimeoutSeconds 300 and HeartbeatSeconds 60):
        // a worker that sends a heartbeat at least every 60 seconds may run long; one that stops fails the state with
        // States.HeartbeatTimeout 60 seconds after its last heartbeat.
        const string definition = $$"""
        { "StartAt": "ActivityState", "States": { "ActivityState": { "Type": "Task", "Resource": "{{ActivityArn}}",
          "TimeoutSeconds": 300, "HeartbeatSeconds": 60, "End": true } } }
        """;
        var clock = Sfn.Clock();
        var log = new List<string>();
        var healthy = Sfn.RunWithClock(Sfn.Executor(definition, Worker(clock, [50, 100, 150], 180, log), clock), clock);
        Sfn.Succeeded(healthy);
        JsonAssert.Equal("""{ "done": 180 }""", healthy.Output);
        var scheduled = healthy.Of(HistoryEventType.ActivityScheduled).Single();
        Assert.Equal((300L, 60L), (scheduled.TimeoutInSeconds!.Value, scheduled.HeartbeatInSeconds!.Value));
        JsonAssert.Equal($$"""{ "resource": "{{ActivityArn}}", "input": "{}", "inputDetails": { "truncated": false }, "timeoutInSeconds": 300, "heartbeatInSeconds": 60 }""",
            scheduled.ToJson()["activityScheduledEventDetails"]);

        clock = Sfn.Clock();
        log.Clear();
        var silent = Sfn.RunWithClock(Sfn.Executor(definition, Worker(clock, [50], 180, log), clock), clock);
        Assert.Equal(ExecutionStatus.Failed, silent.Status);
        Assert.Equal(StatesErrorNames.HeartbeatTimeout, silent.Error);
        Assert.Equal(Sfn.T0.AddSeconds(110), silent.StopDate);
        Assert.Equal(["heartbeat 50", "cancelled"], log);
        Assert.Equal(StatesErrorNames.HeartbeatTimeout, silent.Of(HistoryEventType.ActivityTimedOut).Single().Error);

        // TimeoutSeconds still bounds the whole task, heartbeats or not.
        clock = Sfn.Clock();
        var endless = Sfn.RunWithClock(Sfn.Executor(definition, Worker(clock, [50, 100, 150, 200, 250, 300, 350], 400, []), clock), clock);
        Assert.Equal(StatesErrorNames.Timeout, endless.Error);
        Assert.Equal(Sfn.T0.AddSeconds(300), endless.StopDate);
    }

    [Fact]
    public void TimeoutSecondsPath_and_HeartbeatSecondsPath_read_the_limits_from_the_input()
    {
        // "Task workflow state" (TimeoutSecondsPath, HeartbeatSecondsPath): reference paths to positive integers in the
        // state input; a service integration reports them in TaskScheduled.
        const string resource = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().OnAsync(resource, (_, context, token) =>
        {
            Assert.Equal(IntegrationPattern.WaitForTaskToken, context.Pattern);
            Assert.Equal((20L, 5L), (context.TimeoutSeconds!.Value, context.HeartbeatSeconds!.Value));
            return Sfn.Sleep(clock, TimeSpan.FromSeconds(60), token, () => null);
        });
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{resource}}",
          "Parameters": { "QueueUrl": "q", "MessageBody": { "token.$": "$$.Task.Token" } },
          "TimeoutSecondsPath": "$.limits.total", "HeartbeatSecondsPath": "$.limits.heartbeat", "End": true } } }
        """, invoker, clock), clock, """{ "limits": { "total": 20, "heartbeat": 5 } }""");
        Assert.Equal(StatesErrorNames.HeartbeatTimeout, result.Error);
        Assert.Equal(Sfn.T0.AddSeconds(5), result.StopDate);
        var details = result.Of(HistoryEventType.TaskScheduled).Single().ToJson()["taskScheduledEventDetails"]!;
        Assert.Equal((20, 5), (details["timeoutInSeconds"]!.GetValue<long>(), details["heartbeatInSeconds"]!.GetValue<long>()));
        Assert.Equal("sendMessage.waitForTaskToken", details["resource"]!.GetValue<string>());
        Assert.Equal(StatesErrorNames.HeartbeatTimeout, result.Of(HistoryEventType.TaskTimedOut).Single().Error);
    }

    [Fact]
    public void State_machine_TimeoutSeconds_times_out_the_execution()
    {
        // "State machine structure" (TimeoutSeconds): the maximum number of seconds an execution can run; when it is
        // exceeded the execution fails with States.Timeout (status TIMED_OUT, ExecutionTimedOut event).
        var clock = Sfn.Clock();
        var result = Sfn.RunWithClock(Sfn.Executor("""
        { "Comment": "times out", "TimeoutSeconds": 30, "StartAt": "Pause",
          "States": { "Pause": { "Type": "Wait", "Seconds": 20, "Next": "Again" }, "Again": { "Type": "Wait", "Seconds": 20, "End": true } } }
        """, time: clock), clock);
        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.Equal(Sfn.T0.AddSeconds(30), result.StopDate);
        var last = result.History[^1];
        Assert.Equal(HistoryEventType.ExecutionTimedOut, last.Type);
        Assert.Equal(StatesErrorNames.Timeout, last.ToJson()["executionTimedOutEventDetails"]!["error"]!.GetValue<string>());
        Assert.DoesNotContain(result.History, e => e.Type == HistoryEventType.WaitStateAborted); // the execution stopped, not a sibling
    }

    // ---------------------------------------------------------------- execution history

    [Fact]
    public void History_of_a_retried_service_task_is_shaped_like_GetExecutionHistory()
    {
        // "GetExecutionHistory" / "HistoryEvent" (API reference): events numbered from 1, each with previousEventId,
        // timestamp, type and the type's details object (taskScheduledEventDetails, taskFailedEventDetails, ...).
        const string resource = "arn:aws:states:::sqs:sendMessage";
        var attempts = 0;
        var invoker = new FakeInvoker().On(resource, _ => ++attempts == 1 ? throw new StatesError("SQS.ThrottlingException", "slow down") : new JsonObject { ["MessageId"] = "m-1" });
        var clock = Sfn.Clock();
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "Send", "States": {
            "Send": { "Type": "Task", "Resource": "{{resource}}", "Parameters": { "QueueUrl": "q", "MessageBody.$": "$.body" },
                      "Retry": [ { "ErrorEquals": ["SQS.ThrottlingException"], "IntervalSeconds": 2 } ], "ResultPath": "$.sent", "Next": "Done" },
            "Done": { "Type": "Succeed" } } }
        """, invoker, clock), clock, """{ "body": "hi" }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""
        {
          "events": [
            { "id": 1, "previousEventId": 0, "timestamp": "2000-01-01T00:00:00.000Z", "type": "ExecutionStarted",
              "executionStartedEventDetails": { "input": "{\"body\":\"hi\"}", "inputDetails": { "truncated": false }, "roleArn": "arn:aws:iam::123456789012:role/StateMachineRole" } },
            { "id": 2, "previousEventId": 1, "timestamp": "2000-01-01T00:00:00.000Z", "type": "TaskStateEntered",
              "stateEnteredEventDetails": { "name": "Send", "input": "{\"body\":\"hi\"}", "inputDetails": { "truncated": false } } },
            { "id": 3, "previousEventId": 2, "timestamp": "2000-01-01T00:00:00.000Z", "type": "TaskScheduled",
              "taskScheduledEventDetails": { "resourceType": "sqs", "resource": "sendMessage", "region": "us-east-1", "parameters": "{\"QueueUrl\":\"q\",\"MessageBody\":\"hi\"}" } },
            { "id": 4, "previousEventId": 3, "timestamp": "2000-01-01T00:00:00.000Z", "type": "TaskStarted",
              "taskStartedEventDetails": { "resourceType": "sqs", "resource": "sendMessage" } },
            { "id": 5, "previousEventId": 4, "timestamp": "2000-01-01T00:00:00.000Z", "type": "TaskFailed",
              "taskFailedEventDetails": { "resourceType": "sqs", "resource": "sendMessage", "error": "SQS.ThrottlingException", "cause": "slow down" } },
            { "id": 6, "previousEventId": 5, "timestamp": "2000-01-01T00:00:02.000Z", "type": "TaskScheduled",
              "taskScheduledEventDetails": { "resourceType": "sqs", "resource": "sendMessage", "region": "us-east-1", "parameters": "{\"QueueUrl\":\"q\",\"MessageBody\":\"hi\"}" } },
            { "id": 7, "previousEventId": 6, "timestamp": "2000-01-01T00:00:02.000Z", "type": "TaskStarted",
              "taskStartedEventDetails": { "resourceType": "sqs", "resource": "sendMessage" } },
            { "id": 8, "previousEventId": 7, "timestamp": "2000-01-01T00:00:02.000Z", "type": "TaskSucceeded",
              "taskSucceededEventDetails": { "resourceType": "sqs", "resource": "sendMessage", "output": "{\"MessageId\":\"m-1\"}", "outputDetails": { "truncated": false } } },
            { "id": 9, "previousEventId": 8, "timestamp": "2000-01-01T00:00:02.000Z", "type": "TaskStateExited",
              "stateExitedEventDetails": { "name": "Send", "output": "{\"body\":\"hi\",\"sent\":{\"MessageId\":\"m-1\"}}", "outputDetails": { "truncated": false } } },
            { "id": 10, "previousEventId": 9, "timestamp": "2000-01-01T00:00:02.000Z", "type": "SucceedStateEntered",
              "stateEnteredEventDetails": { "name": "Done", "input": "{\"body\":\"hi\",\"sent\":{\"MessageId\":\"m-1\"}}", "inputDetails": { "truncated": false } } },
            { "id": 11, "previousEventId": 10, "timestamp": "2000-01-01T00:00:02.000Z", "type": "SucceedStateExited",
              "stateExitedEventDetails": { "name": "Done", "output": "{\"body\":\"hi\",\"sent\":{\"MessageId\":\"m-1\"}}", "outputDetails": { "truncated": false } } },
            { "id": 12, "previousEventId": 11, "timestamp": "2000-01-01T00:00:02.000Z", "type": "ExecutionSucceeded",
              "executionSucceededEventDetails": { "output": "{\"body\":\"hi\",\"sent\":{\"MessageId\":\"m-1\"}}", "outputDetails": { "truncated": false } } }
          ]
        }
        """, result.HistoryToJson());
    }

    [Fact]
    public void History_of_Wait_Map_and_Parallel_states_uses_the_documented_event_types()
    {
        // "HistoryEvent" (API reference): WaitStateEntered/Exited, MapStateEntered/Started/Succeeded/Exited with
        // MapIterationStarted/Succeeded, ParallelStateEntered/Started/Succeeded/Exited; events of a branch or iteration
        // link (previousEventId) to the event that started it.
        var clock = Sfn.Clock();
        var result = Sfn.RunWithClock(Sfn.Executor("""
        {
          "StartAt": "W",
          "States": {
            "W": { "Type": "Wait", "Seconds": 1, "Next": "M" },
            "M": { "Type": "Map", "ItemProcessor": { "StartAt": "I", "States": { "I": { "Type": "Pass", "End": true } } }, "Next": "P" },
            "P": { "Type": "Parallel", "Branches": [ { "StartAt": "B", "States": { "B": { "Type": "Pass", "End": true } } } ], "End": true }
          }
        }
        """, time: clock), clock, "[1]");
        Sfn.Succeeded(result);
        Assert.Equal(
            ["ExecutionStarted", "WaitStateEntered", "WaitStateExited",
             "MapStateEntered", "MapStateStarted", "MapIterationStarted", "PassStateEntered", "PassStateExited", "MapIterationSucceeded", "MapStateSucceeded", "MapStateExited",
             "ParallelStateEntered", "ParallelStateStarted", "PassStateEntered", "PassStateExited", "ParallelStateSucceeded", "ParallelStateExited",
             "ExecutionSucceeded"],
            result.Types());
        Assert.Equal(Enumerable.Range(1, result.History.Count).Select(i => (long)i), result.History.Select(e => e.Id));
        var iteration = result.Of(HistoryEventType.MapIterationStarted).Single();
        Assert.Equal(result.Of(HistoryEventType.MapStateStarted).Single().Id, iteration.PreviousEventId);
        Assert.Equal(iteration.Id, result.History.First(e => e.StateName == "I").PreviousEventId);
        Assert.Equal(result.Of(HistoryEventType.ParallelStateStarted).Single().Id, result.History.First(e => e.StateName == "B").PreviousEventId);
        Assert.All(result.History.Skip(2), e => Assert.Equal(Sfn.T0.AddSeconds(1), e.Timestamp));
    }
}
