using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class AslValidatorTests
{
    private static IReadOnlyList<AslError> Validate(string json) => AslValidator.Validate(json);

    private static void AssertError(IReadOnlyList<AslError> errors, string path, string code)
    {
        Assert.True(errors.Any(e => e.Path == path && e.Code == code),
            $"Expected {code} at '{path}', got:\n{string.Join("\n", errors)}");
    }

    private static void AssertValid(string json)
    {
        var errors = Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Empty(AslValidator.Validate(JsonNode.Parse(json)));
    }

    [Fact]
    public void A_complete_machine_using_every_state_type_is_valid()
    {
        AssertValid("""
        {
          "Comment": "Order workflow",
          "StartAt": "Validate",
          "TimeoutSeconds": 300,
          "States": {
            "Validate": {
              "Type": "Task",
              "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {
                "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:validate",
                "Payload": {
                  "order.$": "$.order",
                  "greeting.$": "States.Format('Hello {}', $.order.customer)",
                  "execution.$": "$$.Execution.Id",
                  "tags": [ { "id.$": "States.UUID()" } ]
                }
              },
              "ResultSelector": { "body.$": "$.Payload" },
              "ResultPath": "$.validation",
              "TimeoutSeconds": 30,
              "HeartbeatSeconds": 10,
              "Retry": [
                { "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "MaxAttempts": 6, "BackoffRate": 2, "MaxDelaySeconds": 60, "JitterStrategy": "FULL" },
                { "ErrorEquals": ["States.ALL"], "MaxAttempts": 0 }
              ],
              "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" } ],
              "Next": "Route"
            },
            "Route": {
              "Type": "Choice",
              "Choices": [
                { "Not": { "Variable": "$.order.type", "StringEquals": "Private" }, "Next": "Wait a bit" },
                { "And": [ { "Variable": "$.order.total", "NumericGreaterThanEquals": 20 }, { "Variable": "$.order.total", "NumericLessThan": 30 } ], "Next": "Fan out" },
                { "Variable": "$.order.when", "TimestampLessThanPath": "$.deadline", "Next": "Each item" },
                { "Variable": "$.order.code", "StringMatches": "log-*.txt", "Next": "Done" },
                { "Variable": "$.order.coupon", "IsPresent": true, "Next": "Done" }
              ],
              "Default": "Failed"
            },
            "Wait a bit": { "Type": "Wait", "SecondsPath": "$.delay", "Next": "Done" },
            "Fan out": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "A", "States": { "A": { "Type": "Pass", "Result": 1, "End": true } } },
                { "StartAt": "B", "States": { "B": { "Type": "Wait", "Seconds": 1, "End": true } } }
              ],
              "ResultPath": "$.parallel",
              "Next": "Done"
            },
            "Each item": {
              "Type": "Map",
              "ItemsPath": "$.order.items",
              "MaxConcurrency": 2,
              "ItemSelector": { "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value" },
              "ItemProcessor": {
                "ProcessorConfig": { "Mode": "INLINE" },
                "StartAt": "Ship",
                "States": { "Ship": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship", "End": true } }
              },
              "ResultPath": null,
              "Next": "Done"
            },
            "Failed": { "Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "States.Format('failed: {}', $.error.Cause)" },
            "Done": { "Type": "Succeed", "OutputPath": "$.order" }
          }
        }
        """);
    }

    [Fact]
    public void Reports_the_path_of_a_bad_error_name_inside_a_retrier()
    {
        var errors = Validate("""
        {
          "StartAt": "Charge",
          "States": {
            "Charge": {
              "Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
              "Retry": [ { "ErrorEquals": ["CardDeclined", "States.Bogus"] } ],
              "End": true
            }
          }
        }
        """);
        var error = Assert.Single(errors);
        Assert.Equal("States.Charge.Retry[0].ErrorEquals[1]", error.Path);
        Assert.Equal(AslErrorCodes.InvalidErrorName, error.Code);
    }

    [Fact]
    public void StartAt_must_exist_and_name_a_state()
    {
        AssertError(Validate("""{ "States": { "A": { "Type": "Succeed" } } }"""), "StartAt", AslErrorCodes.MissingField);
        AssertError(Validate("""{ "StartAt": "Nope", "States": { "A": { "Type": "Succeed" } } }"""), "StartAt", AslErrorCodes.StateNotFound);
        AssertError(Validate("""{ "StartAt": 3, "States": { "A": { "Type": "Succeed" } } }"""), "StartAt", AslErrorCodes.InvalidValue);
    }

    [Fact]
    public void Duplicate_state_names_in_the_raw_text_are_reported()
    {
        var json = """
        {
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "Next": "B" },
            "B": { "Type": "Succeed" },
            "A": { "Type": "Fail" }
          }
        }
        """;
        var errors = Validate(json);
        AssertError(errors, "States.A", AslErrorCodes.DuplicateStateName);
        Assert.Single(errors);
    }

    [Fact]
    public void Duplicate_keys_elsewhere_are_reported_as_duplicate_keys()
    {
        var errors = Validate("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "End": true, "End": true } } }""");
        AssertError(errors, "States.A.End", AslErrorCodes.DuplicateKey);
    }

    [Fact]
    public void Validating_a_node_parsed_with_duplicate_keys_reports_instead_of_throwing()
    {
        var node = JsonNode.Parse("""{ "StartAt": "A", "States": { "A": { "Type": "Succeed" }, "A": { "Type": "Succeed" } } }""");
        var errors = AslValidator.Validate(node);
        Assert.Contains(errors, e => e.Code == AslErrorCodes.DuplicateKey);
    }

    [Fact]
    public void State_names_must_be_unique_across_branches()
    {
        var errors = Validate("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "Same", "States": { "Same": { "Type": "Succeed" } } },
                { "StartAt": "Same", "States": { "Same": { "Type": "Succeed" } } }
              ],
              "End": true
            }
          }
        }
        """);
        AssertError(errors, "States.P.Branches[1].States.Same", AslErrorCodes.DuplicateStateName);
    }

    [Fact]
    public void State_names_longer_than_80_characters_are_rejected()
    {
        var name = new string('n', 81);
        var errors = Validate($$"""{ "StartAt": "{{name}}", "States": { "{{name}}": { "Type": "Succeed" } } }""");
        AssertError(errors, "States." + name, AslErrorCodes.InvalidStateName);
        Assert.Empty(Validate($$"""{ "StartAt": "{{name[..80]}}", "States": { "{{name[..80]}}": { "Type": "Succeed" } } }"""));
    }

    [Fact]
    public void Unknown_types_and_missing_types_are_reported()
    {
        var errors = Validate("""{ "StartAt": "A", "States": { "A": { "Type": "Sleep", "End": true }, "B": { "End": true } } }""");
        AssertError(errors, "States.A.Type", AslErrorCodes.UnknownStateType);
        AssertError(errors, "States.B.Type", AslErrorCodes.MissingField);
    }

    [Fact]
    public void Transitions_must_be_exactly_one_of_Next_or_End_and_target_existing_states()
    {
        var errors = Validate("""
        {
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "Next": "B" },
            "B": { "Type": "Pass" },
            "C": { "Type": "Pass", "Next": "A", "End": true },
            "D": { "Type": "Pass", "Next": "Nowhere" },
            "E": { "Type": "Succeed", "Next": "A" }
          }
        }
        """);
        AssertError(errors, "States.B", AslErrorCodes.MissingTransition);
        AssertError(errors, "States.C", AslErrorCodes.ConflictingTransition);
        AssertError(errors, "States.D.Next", AslErrorCodes.StateNotFound);
        AssertError(errors, "States.E.Next", AslErrorCodes.FieldNotAllowed);
    }

    [Fact]
    public void Unreachable_states_are_reported_per_scope()
    {
        var errors = Validate("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "In", "States": { "In": { "Type": "Succeed" }, "Orphan": { "Type": "Pass", "Next": "Outer" } } }
              ],
              "Next": "Outer"
            },
            "Outer": { "Type": "Succeed" },
            "Lonely": { "Type": "Succeed" }
          }
        }
        """);
        AssertError(errors, "States.Lonely", AslErrorCodes.UnreachableState);
        AssertError(errors, "States.P.Branches[0].States.Orphan", AslErrorCodes.UnreachableState);
        // A branch cannot transition to a state outside itself.
        AssertError(errors, "States.P.Branches[0].States.Orphan.Next", AslErrorCodes.StateNotFound);
        Assert.DoesNotContain(errors, e => e.Path == "States.Outer");
    }

    [Fact]
    public void States_reached_only_through_Catch_and_Default_are_reachable()
    {
        AssertValid("""
        {
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Recover" } ], "Next": "C" },
            "C": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "IsNull": true, "Next": "Done" } ], "Default": "Other" },
            "Recover": { "Type": "Pass", "Next": "Done" },
            "Other": { "Type": "Pass", "Next": "Done" },
            "Done": { "Type": "Succeed" }
          }
        }
        """);
    }

    [Fact]
    public void A_scope_without_terminal_state_is_reported()
    {
        var errors = Validate("""{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "B" }, "B": { "Type": "Pass", "Next": "A" } } }""");
        AssertError(errors, "States", AslErrorCodes.NoTerminalState);
    }

    [Fact]
    public void Fields_not_allowed_on_a_state_type_are_reported()
    {
        var errors = Validate("""
        {
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "Retry": [], "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Next": "B" },
            "B": { "Type": "Fail", "InputPath": "$.x", "ResultPath": "$.y" }
          }
        }
        """);
        AssertError(errors, "States.A.Retry", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.A.Resource", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.B.InputPath", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.B.ResultPath", AslErrorCodes.FieldNotAllowed);
    }

    [Fact]
    public void Paths_are_checked_and_ResultPath_must_be_a_reference_path()
    {
        var errors = Validate("""
        {
          "StartAt": "A",
          "States": {
            "A": { "Type": "Pass", "InputPath": "lambda", "OutputPath": "$.a[", "ResultPath": "$.items[*].x", "Next": "B" },
            "B": { "Type": "Pass", "ResultPath": "$$.Execution.Id", "Next": "C" },
            "C": { "Type": "Pass", "InputPath": "$.items[?(@.price > 10)]", "OutputPath": "$..name", "ResultPath": null, "End": true }
          }
        }
        """);
        AssertError(errors, "States.A.InputPath", AslErrorCodes.InvalidPath);
        AssertError(errors, "States.A.OutputPath", AslErrorCodes.InvalidPath);
        AssertError(errors, "States.A.ResultPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.B.ResultPath", AslErrorCodes.InvalidReferencePath);
        Assert.DoesNotContain(errors, e => e.Path.StartsWith("States.C", StringComparison.Ordinal));
    }

    [Fact]
    public void Dollar_fields_in_payload_templates_must_hold_paths_or_intrinsics()
    {
        var errors = Validate("""
        {
          "StartAt": "A",
          "States": {
            "A": {
              "Type": "Pass",
              "Parameters": {
                "good.$": "$.x",
                "bad.$": "x.y",
                "number.$": 5,
                "nested": { "list": [ { "fn.$": "States.Nope($.x)" }, { "fmt.$": "States.Format('{} and {}', $.a)" } ] },
                "literal": "$.not-evaluated"
              },
              "End": true
            }
          }
        }
        """);
        AssertError(errors, "States.A.Parameters.bad.$", AslErrorCodes.InvalidPath);
        AssertError(errors, "States.A.Parameters.number.$", AslErrorCodes.InvalidPath);
        AssertError(errors, "States.A.Parameters.nested.list[0].fn.$", AslErrorCodes.InvalidIntrinsicFunction);
        AssertError(errors, "States.A.Parameters.nested.list[1].fmt.$", AslErrorCodes.InvalidIntrinsicFunction);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void States_ALL_must_be_alone_and_last()
    {
        var errors = Validate("""
        {
          "StartAt": "T",
          "States": {
            "T": {
              "Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Retry": [ { "ErrorEquals": ["States.ALL"] }, { "ErrorEquals": ["Other"] } ],
              "Catch": [ { "ErrorEquals": ["Custom", "States.ALL"], "Next": "Done" } ],
              "Next": "Done"
            },
            "Done": { "Type": "Succeed" }
          }
        }
        """);
        AssertError(errors, "States.T.Retry[0].ErrorEquals", AslErrorCodes.InvalidErrorName);
        AssertError(errors, "States.T.Catch[0].ErrorEquals[1]", AslErrorCodes.InvalidErrorName);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Every_predefined_error_name_is_accepted()
    {
        foreach (var name in StatesErrorNames.Known.Where(n => n != StatesErrorNames.All))
        {
            var json = $$"""{ "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "Retry": [ { "ErrorEquals": ["{{name}}"] } ], "End": true } } }""";
            Assert.Empty(Validate(json));
        }
    }

    [Fact]
    public void Retrier_fields_are_range_checked()
    {
        var errors = Validate("""
        {
          "StartAt": "T",
          "States": {
            "T": {
              "Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Retry": [ { "ErrorEquals": [], "MaxAttempts": -1, "IntervalSeconds": 0, "BackoffRate": 0.5, "MaxDelaySeconds": 0, "JitterStrategy": "SOME", "Extra": 1 } ],
              "End": true
            }
          }
        }
        """);
        var prefix = "States.T.Retry[0].";
        AssertError(errors, prefix + "ErrorEquals", AslErrorCodes.InvalidValue);
        AssertError(errors, prefix + "MaxAttempts", AslErrorCodes.InvalidValue);
        AssertError(errors, prefix + "IntervalSeconds", AslErrorCodes.InvalidValue);
        AssertError(errors, prefix + "BackoffRate", AslErrorCodes.InvalidValue);
        AssertError(errors, prefix + "MaxDelaySeconds", AslErrorCodes.InvalidValue);
        AssertError(errors, prefix + "JitterStrategy", AslErrorCodes.InvalidValue);
        AssertError(errors, prefix + "Extra", AslErrorCodes.FieldNotAllowed);
        Assert.Equal(7, errors.Count);
    }

    [Fact]
    public void Catchers_need_a_Next_in_scope_and_a_reference_ResultPath()
    {
        var errors = Validate("""
        {
          "StartAt": "T",
          "States": {
            "T": {
              "Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Catch": [ { "ErrorEquals": ["A"] }, { "ErrorEquals": ["B"], "Next": "Missing", "ResultPath": "$.x[*]" } ],
              "End": true
            }
          }
        }
        """);
        AssertError(errors, "States.T.Catch[0].Next", AslErrorCodes.MissingField);
        AssertError(errors, "States.T.Catch[1].Next", AslErrorCodes.StateNotFound);
        AssertError(errors, "States.T.Catch[1].ResultPath", AslErrorCodes.InvalidReferencePath);
    }

    [Fact]
    public void Choice_rules_must_be_well_formed()
    {
        var errors = Validate("""
        {
          "StartAt": "C",
          "States": {
            "C": {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.a", "StringEquals": "x", "NumericEquals": 1, "Next": "Done" },
                { "Variable": "$.a", "Next": "Done" },
                { "And": [ { "Variable": "$.a", "BooleanEquals": true, "Next": "Done" } ], "Next": "Done" },
                { "Variable": "$.a", "NumericEquals": 1 },
                { "NumericEquals": 1, "Next": "Done" },
                { "Or": [], "Next": "Done" },
                { "Variable": "$.a", "Not": { "Variable": "$.b", "IsNull": true }, "Next": "Done" },
                { "Variable": "$.a", "NumericEquals": "1", "Next": "Done" },
                { "Variable": "$.a", "TimestampEquals": "2016-08-18 17:33:00", "Next": "Done" },
                { "Variable": "$.a", "StringEqualsPath": "$.b[*]", "Next": "Done" },
                { "Variable": "$.a", "IsString": "yes", "Next": "Done" }
              ]
            },
            "Done": { "Type": "Succeed" }
          }
        }
        """);
        AssertError(errors, "States.C.Choices[0]", AslErrorCodes.InvalidChoiceRule);
        AssertError(errors, "States.C.Choices[1]", AslErrorCodes.InvalidChoiceRule);
        AssertError(errors, "States.C.Choices[2].And[0].Next", AslErrorCodes.InvalidChoiceRule);
        AssertError(errors, "States.C.Choices[3].Next", AslErrorCodes.MissingField);
        AssertError(errors, "States.C.Choices[4].Variable", AslErrorCodes.MissingField);
        AssertError(errors, "States.C.Choices[5].Or", AslErrorCodes.InvalidChoiceRule);
        AssertError(errors, "States.C.Choices[6].Variable", AslErrorCodes.InvalidChoiceRule);
        AssertError(errors, "States.C.Choices[7].NumericEquals", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.C.Choices[8].TimestampEquals", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.C.Choices[9].StringEqualsPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.C.Choices[10].IsString", AslErrorCodes.InvalidValue);
    }

    [Fact]
    public void Choices_must_not_be_empty_and_Choice_states_take_no_Next()
    {
        var errors = Validate("""{ "StartAt": "C", "States": { "C": { "Type": "Choice", "Choices": [], "Next": "D", "Default": "D" }, "D": { "Type": "Succeed" } } }""");
        AssertError(errors, "States.C.Choices", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.C.Next", AslErrorCodes.FieldNotAllowed);
    }

    [Fact]
    public void Wait_needs_exactly_one_duration_field()
    {
        var errors = Validate("""
        {
          "StartAt": "W1",
          "States": {
            "W1": { "Type": "Wait", "Next": "W2" },
            "W2": { "Type": "Wait", "Seconds": 5, "TimestampPath": "$.t", "Next": "W3" },
            "W3": { "Type": "Wait", "Timestamp": "tomorrow", "Next": "W4" },
            "W4": { "Type": "Wait", "Seconds": -1, "End": true }
          }
        }
        """);
        AssertError(errors, "States.W1", AslErrorCodes.MissingField);
        AssertError(errors, "States.W2", AslErrorCodes.MutuallyExclusive);
        AssertError(errors, "States.W3.Timestamp", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.W4.Seconds", AslErrorCodes.InvalidValue);
    }

    [Fact]
    public void Task_timeouts_must_be_positive_and_heartbeat_shorter_than_timeout()
    {
        var errors = Validate("""
        {
          "StartAt": "T1",
          "States": {
            "T1": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": 0, "Next": "T2" },
            "T2": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "TimeoutSeconds": 10, "HeartbeatSeconds": 10, "Next": "T3" },
            "T3": { "Type": "Task", "Resource": "not-an-arn", "TimeoutSeconds": 10, "TimeoutSecondsPath": "$.t", "End": true }
          }
        }
        """);
        AssertError(errors, "States.T1.TimeoutSeconds", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.T2.HeartbeatSeconds", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.T3.Resource", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.T3", AslErrorCodes.MutuallyExclusive);
    }

    [Fact]
    public void Fail_state_error_and_cause_fields_are_checked()
    {
        var errors = Validate("""
        {
          "StartAt": "F",
          "States": { "F": { "Type": "Fail", "Error": "E", "ErrorPath": "$.e", "Cause": 42, "CausePath": "States.Nope()" } }
        }
        """);
        AssertError(errors, "States.F", AslErrorCodes.MutuallyExclusive);
        AssertError(errors, "States.F.Cause", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.F.CausePath", AslErrorCodes.InvalidIntrinsicFunction);
    }

    [Fact]
    public void Map_and_Parallel_sub_machines_are_validated()
    {
        var errors = Validate("""
        {
          "StartAt": "M1",
          "States": {
            "M1": { "Type": "Map", "Next": "M2" },
            "M2": {
              "Type": "Map",
              "Iterator": { "StartAt": "X", "States": { "X": { "Type": "Succeed" } } },
              "ItemProcessor": { "StartAt": "Y", "States": { "Y": { "Type": "Succeed" } } },
              "Parameters": {}, "ItemSelector": {},
              "ItemsPath": "$.items[*]",
              "Next": "P"
            },
            "P": { "Type": "Parallel", "Branches": [ { "States": { "Z": { "Type": "Succeed" } } }, 7 ], "Next": "M3" },
            "M3": { "Type": "Map", "ItemProcessor": { "StartAt": "W", "States": { "W": { "Type": "Succeed" } } }, "ItemReader": {}, "End": true }
          }
        }
        """);
        AssertError(errors, "States.M1.ItemProcessor", AslErrorCodes.MissingField);
        AssertError(errors, "States.M2", AslErrorCodes.MutuallyExclusive);
        AssertError(errors, "States.M2.ItemsPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.P.Branches[0].StartAt", AslErrorCodes.MissingField);
        AssertError(errors, "States.P.Branches[1]", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.M3.ItemReader", AslErrorCodes.FieldNotAllowed);
        Assert.Equal(2, errors.Count(e => e.Path == "States.M2" && e.Code == AslErrorCodes.MutuallyExclusive));
    }

    [Fact]
    public void Reports_all_errors_of_a_broken_definition_at_once()
    {
        var errors = Validate("""
        {
          "StartAt": "A",
          "Extra": true,
          "States": {
            "A": { "Type": "Pass", "Retry": [], "InputPath": "x", "Next": "Missing" },
            "B": { "Type": "Task", "End": true },
            "C": { "Type": "Choice", "Choices": [ { "Variable": "$.a", "Next": "A" } ] }
          }
        }
        """);
        AssertError(errors, "Extra", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.A.Retry", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.A.InputPath", AslErrorCodes.InvalidPath);
        AssertError(errors, "States.A.Next", AslErrorCodes.StateNotFound);
        AssertError(errors, "States.B.Resource", AslErrorCodes.MissingField);
        AssertError(errors, "States.B", AslErrorCodes.UnreachableState);
        AssertError(errors, "States.C", AslErrorCodes.UnreachableState);
        AssertError(errors, "States.C.Choices[0]", AslErrorCodes.InvalidChoiceRule);
        Assert.Equal(8, errors.Count);
    }

    [Fact]
    public void Malformed_json_and_non_object_definitions_are_reported()
    {
        AssertError(Validate("{ \"StartAt\": "), "", AslErrorCodes.InvalidJson);
        AssertError(Validate("[]"), "", AslErrorCodes.InvalidValue);
    }

    [Fact]
    public void JSONata_and_variables_are_reported_as_unsupported()
    {
        var errors = Validate("""{ "QueryLanguage": "JSONata", "StartAt": "A", "States": { "A": { "Type": "Pass", "Output": "{% $states.input %}", "Assign": { "x": 1 }, "End": true } } }""");
        AssertError(errors, "QueryLanguage", AslErrorCodes.Unsupported);
        AssertError(errors, "States.A.Output", AslErrorCodes.Unsupported);
        AssertError(errors, "States.A.Assign", AslErrorCodes.Unsupported);
    }

    [Fact]
    public void Wait_rejects_Seconds_together_with_Timestamp_and_non_reference_paths()
    {
        var errors = Validate("""
        {
          "StartAt": "W1",
          "States": {
            "W1": { "Type": "Wait", "Seconds": 10, "Timestamp": "2016-03-14T01:59:00Z", "Next": "W2" },
            "W2": { "Type": "Wait", "SecondsPath": "$.delays[*]", "Next": "W3" },
            "W3": { "Type": "Wait", "Seconds": 1.5, "End": true }
          }
        }
        """);
        AssertError(errors, "States.W1", AslErrorCodes.MutuallyExclusive);
        AssertError(errors, "States.W2.SecondsPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.W3.Seconds", AslErrorCodes.InvalidValue);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Choice_Variable_must_be_a_reference_path_and_StringMatches_escapes_must_be_closed()
    {
        var errors = Validate("""
        {
          "StartAt": "C",
          "States": {
            "C": {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.items[*].price", "NumericGreaterThan": 10, "Next": "Done" },
                { "Variable": "$..name", "IsPresent": true, "Next": "Done" },
                { "Variable": "$.file", "StringMatches": "log-\\x*.txt", "Next": "Done" },
                { "Variable": "$.file", "StringMatches": "log\\", "Next": "Done" },
                { "Variable": "$.items[0]", "StringMatches": "a\\*b\\\\c*", "Next": "Done" }
              ],
              "Default": "Done"
            },
            "Done": { "Type": "Succeed" }
          }
        }
        """);
        AssertError(errors, "States.C.Choices[0].Variable", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.C.Choices[1].Variable", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.C.Choices[2].StringMatches", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.C.Choices[3].StringMatches", AslErrorCodes.InvalidValue);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Payload_templates_reject_unknown_intrinsics_bad_literal_arguments_and_duplicate_output_fields()
    {
        var errors = Validate("""
        {
          "StartAt": "T",
          "States": {
            "T": {
              "Type": "Task",
              "Resource": "arn:aws:lambda:us-east-1:1:function:f",
              "Parameters": { "id": 1, "id.$": "$.id", "range.$": "States.ArrayRange(1, 9, 0)", "chunks.$": "States.ArrayPartition($.a, 0)", "uuid.$": "States.UUID(1)" },
              "ResultSelector": { "upper.$": "States.ToUpper($.name)", "ok.$": "States.JsonMerge($.a, $.b, false)" },
              "InputPath": "States.Format('{}', $.x)",
              "End": true
            }
          }
        }
        """);
        AssertError(errors, "States.T.Parameters.id.$", AslErrorCodes.DuplicateKey);
        AssertError(errors, "States.T.Parameters.range.$", AslErrorCodes.InvalidIntrinsicFunction);
        AssertError(errors, "States.T.Parameters.chunks.$", AslErrorCodes.InvalidIntrinsicFunction);
        AssertError(errors, "States.T.Parameters.uuid.$", AslErrorCodes.InvalidIntrinsicFunction);
        AssertError(errors, "States.T.ResultSelector.upper.$", AslErrorCodes.InvalidIntrinsicFunction);
        AssertError(errors, "States.T.InputPath", AslErrorCodes.InvalidPath);
        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void Task_timeout_paths_must_be_reference_paths_and_MaxDelaySeconds_is_bounded()
    {
        var errors = Validate("""
        {
          "StartAt": "T",
          "States": {
            "T": {
              "Type": "Task",
              "Resource": "arn:aws:states:us-east-1:1:activity:a",
              "TimeoutSecondsPath": "$.limits[0:1]",
              "HeartbeatSecondsPath": "$..heartbeat",
              "HeartbeatSeconds": 5,
              "Retry": [ { "ErrorEquals": ["States.Timeout"], "MaxDelaySeconds": 31622401 } ],
              "End": true
            }
          }
        }
        """);
        AssertError(errors, "States.T.TimeoutSecondsPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.T.HeartbeatSecondsPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.T", AslErrorCodes.MutuallyExclusive);
        AssertError(errors, "States.T.Retry[0].MaxDelaySeconds", AslErrorCodes.InvalidValue);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Tolerated_failure_thresholds_need_a_distributed_Map_and_Parallel_has_no_MaxConcurrency()
    {
        var errors = Validate("""
        {
          "StartAt": "Inline",
          "States": {
            "Inline": {
              "Type": "Map", "ToleratedFailurePercentage": 10, "ToleratedFailureCount": 1,
              "ItemProcessor": { "ProcessorConfig": { "Mode": "INLINE" }, "StartAt": "A", "States": { "A": { "Type": "Succeed" } } },
              "Next": "Distributed"
            },
            "Distributed": {
              "Type": "Map", "ToleratedFailurePercentage": 101, "ToleratedFailureCountPath": "$.counts[*]",
              "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED" }, "StartAt": "B", "States": { "B": { "Type": "Succeed" } } },
              "Next": "Fine"
            },
            "Fine": {
              "Type": "Map", "ToleratedFailurePercentagePath": "$.pct", "ToleratedFailureCount": 3, "Label": "Batch",
              "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }, "StartAt": "C", "States": { "C": { "Type": "Succeed" } } },
              "Next": "P"
            },
            "P": { "Type": "Parallel", "MaxConcurrency": 2, "Branches": [ { "StartAt": "D", "States": { "D": { "Type": "Succeed" } } } ], "End": true }
          }
        }
        """);
        AssertError(errors, "States.Inline.ToleratedFailurePercentage", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.Inline.ToleratedFailureCount", AslErrorCodes.FieldNotAllowed);
        AssertError(errors, "States.Distributed.ItemProcessor.ProcessorConfig.ExecutionType", AslErrorCodes.MissingField);
        AssertError(errors, "States.Distributed.ToleratedFailurePercentage", AslErrorCodes.InvalidValue);
        AssertError(errors, "States.Distributed.ToleratedFailureCountPath", AslErrorCodes.InvalidReferencePath);
        AssertError(errors, "States.P.MaxConcurrency", AslErrorCodes.FieldNotAllowed);
        Assert.DoesNotContain(errors, e => e.Path.StartsWith("States.Fine", StringComparison.Ordinal));
        Assert.Equal(6, errors.Count);
    }
}
