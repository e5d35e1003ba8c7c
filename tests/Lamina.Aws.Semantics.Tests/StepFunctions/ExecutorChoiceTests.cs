using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class ExecutorChoiceTests
{
    private const string DocumentedChoice = """
    {
      "StartAt": "ChoiceStateX",
      "States": {
        "ChoiceStateX": {
          "Type": "Choice",
          "Choices": [
            { "Not": { "Variable": "$.type", "StringEquals": "Private" }, "Next": "Public" },
            { "Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero" },
            { "And": [ { "Variable": "$.value", "NumericGreaterThanEquals": 20 }, { "Variable": "$.value", "NumericLessThan": 30 } ], "Next": "ValueInTwenties" }
          ],
          "Default": "DefaultState"
        },
        "Public": { "Type": "Pass", "Result": "Public", "End": true },
        "ValueIsZero": { "Type": "Pass", "Result": "ValueIsZero", "End": true },
        "ValueInTwenties": { "Type": "Pass", "Result": "ValueInTwenties", "End": true },
        "DefaultState": { "Type": "Fail", "Cause": "No Matches!" }
      }
    }
    """;

    [Theory]
    [InlineData("""{ "type": "Private", "value": 22 }""", "ValueInTwenties")]
    [InlineData("""{ "type": "Public", "value": 22 }""", "Public")]
    [InlineData("""{ "type": "Private", "value": 0 }""", "ValueIsZero")]
    public void The_documented_choice_example_picks_the_first_matching_rule(string input, string expected)
    {
        var result = Sfn.Run(Sfn.Executor(DocumentedChoice), input);
        Sfn.Succeeded(result);
        Assert.Equal(expected, result.Output!.GetValue<string>());
        var exited = result.Of(HistoryEventType.ChoiceStateExited).Single();
        JsonAssert.Equal(input, exited.Output);
    }

    [Fact]
    public void The_documented_choice_example_falls_through_to_the_Default_Fail_state()
    {
        var result = Sfn.Run(Sfn.Executor(DocumentedChoice), """{ "type": "Private", "value": 50 }""");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Null(result.Error);
        Assert.Equal("No Matches!", result.Cause);
        Assert.Equal(["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered", "ExecutionFailed"], result.Types());
    }

    [Fact]
    public void A_missing_choice_variable_is_a_runtime_error()
    {
        var result = Sfn.Run(Sfn.Executor(DocumentedChoice), """{ "value": 22 }""");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.Runtime, result.Error);
        Assert.Contains("$.type", result.Cause);
    }

    [Fact]
    public void No_match_without_Default_fails_with_NoChoiceMatched()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "NumericEquals": 1, "Next": "D" } ] }, "D": { "Type": "Succeed" } } }
        """), """{ "x": 2 }""");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.NoChoiceMatched, result.Error);
    }

    private const string Input = """
    {
      "s": "banana", "s2": "cherry", "n": 10, "n2": 10.0, "n3": 20, "t": true, "f": false, "nil": null,
      "ts": "2016-08-18T17:33:00Z", "ts2": "2016-08-18T18:33:00+01:00", "ts3": "2017-01-01T00:00:00Z",
      "file": "log-2023.txt", "star": "a*b", "back": "a\\b", "obj": { "k": 1 }, "list": [1]
    }
    """;

    public static TheoryData<string, bool> Rules => new()
    {
        { """{ "Variable": "$.s", "StringEquals": "banana" }""", true },
        { """{ "Variable": "$.s", "StringEquals": "Banana" }""", false },
        { """{ "Variable": "$.n", "StringEquals": "10" }""", false },
        { """{ "Variable": "$.s", "StringLessThan": "cherry" }""", true },
        { """{ "Variable": "$.s", "StringGreaterThan": "apple" }""", true },
        { """{ "Variable": "$.s", "StringLessThanEquals": "banana" }""", true },
        { """{ "Variable": "$.s", "StringGreaterThanEquals": "banana2" }""", false },
        { """{ "Variable": "$.s", "StringEqualsPath": "$.s2" }""", false },
        { """{ "Variable": "$.s", "StringLessThanPath": "$.s2" }""", true },
        { """{ "Variable": "$.s2", "StringGreaterThanPath": "$.s" }""", true },
        { """{ "Variable": "$.s", "StringLessThanEqualsPath": "$.s" }""", true },
        { """{ "Variable": "$.s", "StringGreaterThanEqualsPath": "$.s2" }""", false },
        { """{ "Variable": "$.n", "NumericEquals": 10 }""", true },
        { """{ "Variable": "$.n2", "NumericEquals": 10 }""", true },
        { """{ "Variable": "$.s", "NumericEquals": 10 }""", false },
        { """{ "Variable": "$.n", "NumericLessThan": 10.5 }""", true },
        { """{ "Variable": "$.n", "NumericGreaterThan": 10 }""", false },
        { """{ "Variable": "$.n", "NumericLessThanEquals": 10 }""", true },
        { """{ "Variable": "$.n", "NumericGreaterThanEquals": -1 }""", true },
        { """{ "Variable": "$.n", "NumericEqualsPath": "$.n2" }""", true },
        { """{ "Variable": "$.n", "NumericLessThanPath": "$.n3" }""", true },
        { """{ "Variable": "$.n3", "NumericGreaterThanPath": "$.n" }""", true },
        { """{ "Variable": "$.n", "NumericLessThanEqualsPath": "$.n2" }""", true },
        { """{ "Variable": "$.n", "NumericGreaterThanEqualsPath": "$.n3" }""", false },
        { """{ "Variable": "$.n", "NumericEqualsPath": "$.s" }""", false },
        { """{ "Variable": "$.t", "BooleanEquals": true }""", true },
        { """{ "Variable": "$.f", "BooleanEquals": true }""", false },
        { """{ "Variable": "$.s", "BooleanEquals": false }""", false },
        { """{ "Variable": "$.t", "BooleanEqualsPath": "$.f" }""", false },
        { """{ "Variable": "$.f", "BooleanEqualsPath": "$.f" }""", true },
        { """{ "Variable": "$.ts", "TimestampEquals": "2016-08-18T17:33:00Z" }""", true },
        { """{ "Variable": "$.ts2", "TimestampEquals": "2016-08-18T17:33:00Z" }""", true },
        { """{ "Variable": "$.ts", "TimestampLessThan": "2016-08-18T17:33:01Z" }""", true },
        { """{ "Variable": "$.ts", "TimestampGreaterThan": "2016-08-18T17:33:00Z" }""", false },
        { """{ "Variable": "$.ts", "TimestampLessThanEquals": "2016-08-18T17:33:00Z" }""", true },
        { """{ "Variable": "$.ts", "TimestampGreaterThanEquals": "2016-08-18T17:32:59Z" }""", true },
        { """{ "Variable": "$.s", "TimestampEquals": "2016-08-18T17:33:00Z" }""", false },
        { """{ "Variable": "$.ts", "TimestampEqualsPath": "$.ts2" }""", true },
        { """{ "Variable": "$.ts", "TimestampLessThanPath": "$.ts3" }""", true },
        { """{ "Variable": "$.ts3", "TimestampGreaterThanPath": "$.ts" }""", true },
        { """{ "Variable": "$.ts", "TimestampLessThanEqualsPath": "$.ts2" }""", true },
        { """{ "Variable": "$.ts", "TimestampGreaterThanEqualsPath": "$.ts3" }""", false },
        { """{ "Variable": "$.file", "StringMatches": "log-*.txt" }""", true },
        { """{ "Variable": "$.file", "StringMatches": "*.csv" }""", false },
        { """{ "Variable": "$.file", "StringMatches": "*" }""", true },
        { """{ "Variable": "$.file", "StringMatches": "log-*-*.txt" }""", false },
        { """{ "Variable": "$.star", "StringMatches": "a\\*b" }""", true },
        { """{ "Variable": "$.s", "StringMatches": "a\\*b" }""", false },
        { """{ "Variable": "$.back", "StringMatches": "a\\\\b" }""", true },
        { """{ "Variable": "$.nil", "IsNull": true }""", true },
        { """{ "Variable": "$.s", "IsNull": true }""", false },
        { """{ "Variable": "$.s", "IsNull": false }""", true },
        { """{ "Variable": "$.s", "IsPresent": true }""", true },
        { """{ "Variable": "$.missing", "IsPresent": true }""", false },
        { """{ "Variable": "$.missing", "IsPresent": false }""", true },
        { """{ "Variable": "$.nil", "IsPresent": true }""", true },
        { """{ "Variable": "$.n", "IsNumeric": true }""", true },
        { """{ "Variable": "$.s", "IsNumeric": true }""", false },
        { """{ "Variable": "$.s", "IsString": true }""", true },
        { """{ "Variable": "$.obj", "IsString": true }""", false },
        { """{ "Variable": "$.f", "IsBoolean": true }""", true },
        { """{ "Variable": "$.list", "IsBoolean": false }""", true },
        { """{ "Variable": "$.ts", "IsTimestamp": true }""", true },
        { """{ "Variable": "$.s", "IsTimestamp": true }""", false },
        { """{ "And": [ { "Variable": "$.n", "NumericEquals": 10 }, { "Variable": "$.t", "BooleanEquals": true } ] }""", true },
        { """{ "And": [ { "Variable": "$.n", "NumericEquals": 10 }, { "Variable": "$.f", "BooleanEquals": true } ] }""", false },
        { """{ "Or": [ { "Variable": "$.n", "NumericEquals": 11 }, { "Variable": "$.f", "BooleanEquals": false } ] }""", true },
        { """{ "Or": [ { "Variable": "$.n", "NumericEquals": 11 }, { "Variable": "$.f", "BooleanEquals": true } ] }""", false },
        { """{ "Not": { "Variable": "$.s", "StringEquals": "apple" } }""", true },
        { """{ "Not": { "And": [ { "Variable": "$.missing", "IsPresent": true }, { "Variable": "$.missing", "IsNull": false } ] } }""", true },
        { """{ "Variable": "$.list[0]", "NumericEquals": 1 }""", true },
        { """{ "Variable": "$$.Execution.Name", "StringEquals": "exec" }""", true },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_comparison_operator(string rule, bool expected)
    {
        var choices = JsonNode.Parse(rule)!.AsObject();
        choices["Next"] = "Yes";
        var definition = new JsonObject
        {
            ["StartAt"] = "C",
            ["States"] = new JsonObject
            {
                ["C"] = new JsonObject { ["Type"] = "Choice", ["Choices"] = new JsonArray(choices), ["Default"] = "No" },
                ["Yes"] = new JsonObject { ["Type"] = "Pass", ["Result"] = true, ["End"] = true },
                ["No"] = new JsonObject { ["Type"] = "Pass", ["Result"] = false, ["End"] = true },
            },
        };
        var result = Sfn.Run(Sfn.Executor(definition.ToJsonString()), Input);
        Sfn.Succeeded(result);
        Assert.Equal(expected, result.Output!.GetValue<bool>());
    }

    [Fact]
    public void A_missing_comparison_path_is_a_runtime_error_but_IsPresent_is_not()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [ { "Variable": "$.n", "NumericEqualsPath": "$.nope", "Next": "D" } ], "Default": "D" }, "D": { "Type": "Succeed" } } }
        """), """{ "n": 1 }""");
        Assert.Equal(StatesErrorNames.Runtime, result.Error);
    }

    [Fact]
    public void Choice_InputPath_and_OutputPath_shape_the_output()
    {
        var result = Sfn.Run(Sfn.Executor("""
        { "StartAt": "C", "States": {
            "C": { "Type": "Choice", "InputPath": "$.inner", "OutputPath": "$.v", "Choices": [ { "Variable": "$.v", "NumericGreaterThan": 1, "Next": "D" } ] },
            "D": { "Type": "Succeed" } } }
        """), """{ "inner": { "v": 5 } }""");
        Sfn.Succeeded(result);
        Assert.Equal(5, result.Output!.GetValue<int>());
    }
}
