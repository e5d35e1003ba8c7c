using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class ExecutorErrorHandlingTests
{
    private const string FailArn = "arn:aws:lambda:us-east-1:123456789012:function:FailFunction";
    private const string SleepArn = "arn:aws:lambda:us-east-1:123456789012:function:sleep10";

    private static FakeInvoker AlwaysFails(string error = "HandledError") =>
        new FakeInvoker().On(FailArn, _ => throw new StatesError(error, "{\"errorMessage\":\"error\"}"));

    private static double[] ScheduledSeconds(ExecutionResult result) =>
        [.. result.Of(HistoryEventType.LambdaFunctionScheduled).Select(e => (e.Timestamp - Sfn.T0).TotalSeconds)];

    [Theory]
    [InlineData("HandledError")]
    [InlineData("States.TaskFailed")]
    [InlineData("States.ALL")]
    public void Retry_retries_twice_with_exponential_backoff_as_documented(string errorEquals)
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor($$"""
        {
          "StartAt": "HelloWorld",
          "States": {
            "HelloWorld": {
              "Type": "Task",
              "Resource": "{{FailArn}}",
              "Retry": [ { "ErrorEquals": ["{{errorEquals}}"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2.0 } ],
              "End": true
            }
          }
        }
        """, AlwaysFails(), clock);

        var result = Sfn.RunWithClock(executor, clock);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("HandledError", result.Error);
        Assert.Equal([0.0, 1.0, 3.0], ScheduledSeconds(result));
        Assert.Equal(3, result.Of(HistoryEventType.LambdaFunctionFailed).Count());
        Assert.Equal(Sfn.T0.AddSeconds(3), result.StopDate);
    }

    [Fact]
    public void Retry_does_not_wait_before_the_first_attempt_and_the_clock_must_move_for_retries()
    {
        var clock = Sfn.Clock();
        var invoker = AlwaysFails();
        var executor = Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{FailArn}}",
          "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 1 } ], "End": true } } }
        """, invoker, clock);
        using var noContext = Sfn.WithoutSyncContext();
        var task = executor.ExecuteAsync(new JsonObject(), "e");
        Assert.Single(invoker.Calls);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Single(invoker.Calls);
        Assert.False(task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, invoker.Calls.Count);
        Assert.True(task.IsCompleted);
    }

    [Fact]
    public void Retriers_count_separately_as_in_the_documented_complex_scenario()
    {
        // Errors ErrorA, ErrorB, ErrorC, ErrorB: waits of 1 and 2 s (first retrier), 5 s (second), then the first
        // retrier has used its two attempts and the Catch sends the execution to Z.
        var errors = new Queue<string>(["ErrorA", "ErrorB", "ErrorC", "ErrorB"]);
        var invoker = new FakeInvoker().On("arn:aws:states:us-east-1:123456789012:activity:X", _ => throw new StatesError(errors.Dequeue()));
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""
        {
          "StartAt": "X",
          "States": {
            "X": {
              "Type": "Task",
              "Resource": "arn:aws:states:us-east-1:123456789012:activity:X",
              "Next": "Y",
              "Retry": [
                { "ErrorEquals": ["ErrorA", "ErrorB"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 2 },
                { "ErrorEquals": ["ErrorC"], "IntervalSeconds": 5 }
              ],
              "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Z" } ]
            },
            "Y": { "Type": "Pass", "End": true },
            "Z": { "Type": "Pass", "End": true }
          }
        }
        """, invoker, clock);

        var result = Sfn.RunWithClock(executor, clock);

        Sfn.Succeeded(result);
        Assert.Empty(errors);
        Assert.Equal([0.0, 1.0, 3.0, 8.0], result.Of(HistoryEventType.ActivityScheduled).Select(e => (e.Timestamp - Sfn.T0).TotalSeconds));
        Assert.Equal([0, 1, 2, 3], invoker.Calls.Select(c => c.Context.RetryCount));
        Assert.Equal("Z", result.Of(HistoryEventType.PassStateEntered).Single().StateName);
        // The error had no cause, so the error output has no Cause field (as in the ResultPath documentation's Catch example).
        JsonAssert.Equal("""{ "Error": "ErrorB" }""", result.Output);
    }

    [Fact]
    public void The_context_object_RetryCount_counts_the_retries_of_the_current_state()
    {
        var calls = 0;
        var invoker = new FakeInvoker().On(FailArn, input => ++calls < 3 ? throw new StatesError("Again") : input);
        var clock = Sfn.Clock();
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": {
            "T": { "Type": "Task", "Resource": "{{FailArn}}", "Parameters": { "retry.$": "$$.State.RetryCount", "state.$": "$$.State.Name" },
                   "Retry": [ { "ErrorEquals": ["Again"], "IntervalSeconds": 1, "MaxAttempts": 5 } ], "Next": "After" },
            "After": { "Type": "Pass", "Parameters": { "retry.$": "$$.State.RetryCount" }, "ResultPath": "$.after", "End": true } } }
        """, invoker, clock), clock);
        Sfn.Succeeded(result);
        Assert.Equal(["{\"retry\":0,\"state\":\"T\"}", "{\"retry\":1,\"state\":\"T\"}", "{\"retry\":2,\"state\":\"T\"}"], invoker.Calls.Select(c => c.Input));
        JsonAssert.Equal("""{ "retry": 2, "state": "T", "after": { "retry": 0 } }""", result.Output);
    }

    [Fact]
    public void MaxDelaySeconds_caps_the_backoff()
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{FailArn}}",
          "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "BackoffRate": 3, "MaxDelaySeconds": 20, "MaxAttempts": 3 } ], "End": true } } }
        """, AlwaysFails(), clock);
        var result = Sfn.RunWithClock(executor, clock);
        Assert.Equal([0.0, 10.0, 30.0, 50.0], ScheduledSeconds(result));
    }

    [Fact]
    public void Full_jitter_draws_each_delay_between_zero_and_the_backoff_interval_from_the_injected_random()
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{FailArn}}",
          "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 4, "BackoffRate": 2, "MaxAttempts": 3, "JitterStrategy": "FULL" } ], "End": true } } }
        """, AlwaysFails(), clock, new Random(7));

        var result = Sfn.RunWithClock(executor, clock, step: TimeSpan.FromMilliseconds(1), maxSteps: 100_000);

        var expectedRandom = new Random(7);
        var expected = new List<double> { 0 };
        var at = TimeSpan.Zero;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            at += TimeSpan.FromSeconds(4 * Math.Pow(2, attempt) * expectedRandom.NextDouble());
            expected.Add(at.TotalSeconds);
        }

        var actual = ScheduledSeconds(result);
        Assert.Equal(expected.Count, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            // The clock moves in 1 ms steps, so each retry starts at most 1 ms after its exact due time.
            Assert.InRange(actual[i], expected[i], expected[i] + (0.001 * i) + 1e-9);
        }

        Assert.True(actual[3] < 4 + 8 + 16, "jitter must shorten the total wait");
    }

    [Fact]
    public void MaxAttempts_zero_never_retries_and_the_next_retrier_is_not_consulted()
    {
        var result = Sfn.Run(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{FailArn}}",
          "Retry": [ { "ErrorEquals": ["HandledError"], "MaxAttempts": 0 }, { "ErrorEquals": ["States.ALL"] } ], "End": true } } }
        """, AlwaysFails()));
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Single(result.Of(HistoryEventType.LambdaFunctionScheduled));
    }

    [Theory]
    [InlineData("HandledError")]
    [InlineData("States.TaskFailed")]
    public void Catch_transitions_to_the_fallback_state_as_documented(string errorEquals)
    {
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "HelloWorld",
          "States": {
            "HelloWorld": { "Type": "Task", "Resource": "{{FailArn}}", "Catch": [ { "ErrorEquals": ["{{errorEquals}}"], "Next": "fallback" } ], "End": true },
            "fallback": { "Type": "Pass", "Result": "Hello, AWS Step Functions!", "End": true }
          }
        }
        """, AlwaysFails()));
        Sfn.Succeeded(result);
        Assert.Equal("Hello, AWS Step Functions!", result.Output!.GetValue<string>());
        Assert.Equal(
            ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed", "TaskStateExited",
             "PassStateEntered", "PassStateExited", "ExecutionSucceeded"],
            result.Types());
        var failed = result.Of(HistoryEventType.LambdaFunctionFailed).Single();
        Assert.Equal("HandledError", failed.Error);
    }

    [Fact]
    public void Catch_ResultPath_keeps_the_input_and_adds_the_error_output()
    {
        var result = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "{{FailArn}}",
                   "Catch": [ { "ErrorEquals": ["java.lang.Exception"], "ResultPath": "$.error-info", "Next": "RecoveryState" },
                              { "ErrorEquals": ["States.ALL"], "Next": "EndState" } ], "End": true },
            "RecoveryState": { "Type": "Pass", "End": true },
            "EndState": { "Type": "Pass", "End": true }
          }
        }
        """, AlwaysFails("java.lang.Exception")), """{ "order": 7 }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "order": 7, "error-info": { "Error": "java.lang.Exception", "Cause": "{\"errorMessage\":\"error\"}" } }""", result.Output);

        var other = Sfn.Run(Sfn.Executor($$"""
        {
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "{{FailArn}}",
                   "Catch": [ { "ErrorEquals": ["java.lang.Exception"], "ResultPath": "$.error-info", "Next": "RecoveryState" },
                              { "ErrorEquals": ["States.ALL"], "Next": "EndState" } ], "End": true },
            "RecoveryState": { "Type": "Pass", "End": true },
            "EndState": { "Type": "Pass", "End": true }
          }
        }
        """, AlwaysFails("Other")), """{ "order": 7 }""");
        JsonAssert.Equal("""{ "Error": "Other", "Cause": "{\"errorMessage\":\"error\"}" }""", other.Output);
    }

    [Fact]
    public void States_TaskFailed_does_not_match_a_timeout()
    {
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().OnAsync(SleepArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromDays(1), token, () => null));
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": {
            "T": { "Type": "Task", "Resource": "{{SleepArn}}", "TimeoutSeconds": 2, "Catch": [ { "ErrorEquals": ["States.TaskFailed"], "Next": "C" } ], "End": true },
            "C": { "Type": "Succeed" } } }
        """, invoker, clock), clock);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.Timeout, result.Error);
    }

    [Fact]
    public void TimeoutSeconds_times_out_the_task_and_Retry_retries_it_as_documented()
    {
        var clock = Sfn.Clock();
        var cancelled = 0;
        var invoker = new FakeInvoker().OnAsync(SleepArn, (_, _, token) =>
            Sfn.Sleep(clock, TimeSpan.FromSeconds(10), token, () => JsonValue.Create("slept"), () => cancelled++));
        var executor = Sfn.Executor($$"""
        {
          "StartAt": "HelloWorld",
          "States": {
            "HelloWorld": {
              "Type": "Task",
              "Resource": "{{SleepArn}}",
              "TimeoutSeconds": 2,
              "Retry": [ { "ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2.0 } ],
              "End": true
            }
          }
        }
        """, invoker, clock);

        var result = Sfn.RunWithClock(executor, clock);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.Timeout, result.Error);
        Assert.Equal([0.0, 3.0, 7.0], ScheduledSeconds(result));
        Assert.Equal(3, result.Of(HistoryEventType.LambdaFunctionTimedOut).Count());
        Assert.Equal(Sfn.T0.AddSeconds(9), result.StopDate);
        Assert.Equal(3, cancelled);
        Assert.All(invoker.Calls, c => Assert.Equal(2, c.Context.TimeoutSeconds));
    }

    [Fact]
    public void A_timeout_can_be_caught_as_documented()
    {
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().OnAsync(SleepArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(10), token, () => null));
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        {
          "StartAt": "HelloWorld",
          "States": {
            "HelloWorld": { "Type": "Task", "Resource": "{{SleepArn}}", "TimeoutSeconds": 2, "Catch": [ { "ErrorEquals": ["States.Timeout"], "Next": "fallback" } ], "End": true },
            "fallback": { "Type": "Pass", "Result": "Hello, AWS Step Functions!", "End": true }
          }
        }
        """, invoker, clock), clock);
        Sfn.Succeeded(result);
        Assert.Equal("Hello, AWS Step Functions!", result.Output!.GetValue<string>());
        Assert.Equal(Sfn.T0.AddSeconds(2), result.StopDate);
    }

    [Fact]
    public void A_task_that_finishes_before_its_timeout_succeeds()
    {
        var clock = Sfn.Clock();
        var invoker = new FakeInvoker().OnAsync(SleepArn, (_, _, token) => Sfn.Sleep(clock, TimeSpan.FromSeconds(3), token, () => JsonValue.Create("done")));
        var result = Sfn.RunWithClock(Sfn.Executor($$"""
        { "StartAt": "T", "States": { "T": { "Type": "Task", "Resource": "{{SleepArn}}", "TimeoutSecondsPath": "$.timeout", "End": true } } }
        """, invoker, clock), clock, """{ "timeout": 5 }""");
        Sfn.Succeeded(result);
        Assert.Equal("done", result.Output!.GetValue<string>());
        Assert.Equal(Sfn.T0.AddSeconds(3), result.StopDate);
    }

    [Fact]
    public void Exceptions_other_than_StatesError_are_reported_like_unhandled_Lambda_errors()
    {
        var invoker = new FakeInvoker().On(FailArn, _ => throw new InvalidOperationException("boom"));
        var result = Sfn.Run(Sfn.Executor($$"""
        { "StartAt": "T", "States": {
            "T": { "Type": "Task", "Resource": "{{FailArn}}", "Catch": [ { "ErrorEquals": ["InvalidOperationException"], "Next": "C" } ], "End": true },
            "C": { "Type": "Pass", "End": true } } }
        """, invoker));
        Sfn.Succeeded(result);
        Assert.Equal("InvalidOperationException", result.Output!["Error"]!.GetValue<string>());
        JsonAssert.Equal("""{ "errorMessage": "boom", "errorType": "InvalidOperationException" }""", result.Output!["Cause"]!.GetValue<string>());
    }

    [Fact]
    public void Fail_states_report_static_and_dynamic_error_and_cause()
    {
        var staticFail = Sfn.Run(Sfn.Executor("""
        { "StartAt": "F", "States": { "F": { "Type": "Fail", "Error": "ErrorA", "Cause": "Kaiju attack" } } }
        """));
        Assert.Equal(ExecutionStatus.Failed, staticFail.Status);
        Assert.Equal("ErrorA", staticFail.Error);
        Assert.Equal("Kaiju attack", staticFail.Cause);
        var failedEvent = staticFail.Of(HistoryEventType.ExecutionFailed).Single();
        Assert.Equal("ErrorA", failedEvent.Error);
        Assert.Equal("Kaiju attack", failedEvent.Cause);

        var dynamicFail = Sfn.Run(Sfn.Executor("""
        { "StartAt": "F", "States": { "F": { "Type": "Fail", "ErrorPath": "$.code", "CausePath": "States.Format('Order {} failed', $.order)" } } }
        """), """{ "code": "OrderRejected", "order": 17 }""");
        Assert.Equal("OrderRejected", dynamicFail.Error);
        Assert.Equal("Order 17 failed", dynamicFail.Cause);
    }

    [Fact]
    public void A_catcher_on_a_Parallel_state_catches_a_Fail_state_in_a_branch()
    {
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "P",
          "States": {
            "P": {
              "Type": "Parallel",
              "Branches": [
                { "StartAt": "Ok", "States": { "Ok": { "Type": "Pass", "End": true } } },
                { "StartAt": "Boom", "States": { "Boom": { "Type": "Fail", "Error": "Branch.Error", "Cause": "bad" } } }
              ],
              "Catch": [ { "ErrorEquals": ["Branch.Error"], "ResultPath": "$.failure", "Next": "Handled" } ],
              "End": true
            },
            "Handled": { "Type": "Succeed" }
          }
        }
        """), """{ "x": 1 }""");
        Sfn.Succeeded(result);
        JsonAssert.Equal("""{ "x": 1, "failure": { "Error": "Branch.Error", "Cause": "bad" } }""", result.Output);
        Assert.Contains(HistoryEventType.ParallelStateFailed, result.History.Select(e => e.Type));
    }

    [Fact]
    public void Intrinsic_failures_can_be_caught()
    {
        var result = Sfn.Run(Sfn.Executor("""
        {
          "StartAt": "T",
          "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                   "Parameters": { "item.$": "States.ArrayGetItem($.list, 5)" },
                   "Catch": [ { "ErrorEquals": ["States.IntrinsicFailure"], "Next": "C" } ], "End": true },
            "C": { "Type": "Pass", "End": true }
          }
        }
        """), """{ "list": [1] }""");
        Sfn.Succeeded(result);
        Assert.Equal(StatesErrorNames.IntrinsicFailure, result.Output!["Error"]!.GetValue<string>());
    }
}
