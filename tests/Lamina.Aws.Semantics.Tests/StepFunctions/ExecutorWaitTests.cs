using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

namespace Lamina.Aws.Semantics.Tests.StepFunctions;

public class ExecutorWaitTests
{
    private static ExecutionResult RunWait(string waitFields, string input = "{}")
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor($$"""
        { "StartAt": "W", "States": { "W": { "Type": "Wait", {{waitFields}}, "Next": "Done" }, "Done": { "Type": "Pass", "End": true } } }
        """, time: clock);
        return Sfn.RunWithClock(executor, clock, input);
    }

    private static double WaitedSeconds(ExecutionResult result) =>
        (result.Of(HistoryEventType.WaitStateExited).Single().Timestamp - result.Of(HistoryEventType.WaitStateEntered).Single().Timestamp).TotalSeconds;

    [Fact]
    public async Task Seconds_waits_on_the_injected_clock()
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""
        { "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 10, "Next": "Done" }, "Done": { "Type": "Pass", "End": true } } }
        """, time: clock);
        using var noContext = Sfn.WithoutSyncContext();
        var task = executor.ExecuteAsync(JsonNode.Parse("""{ "x": 1 }"""), "w");
        clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(task.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(task.IsCompleted);
        Assert.True(task.IsCompleted);
        var result = await task;
        Sfn.Succeeded(result);
        Assert.Equal(10, WaitedSeconds(result));
        JsonAssert.Equal("""{ "x": 1 }""", result.Output);
    }

    [Fact]
    public void Timestamp_waits_until_the_given_instant()
    {
        Assert.Equal(90, WaitedSeconds(RunWait("\"Timestamp\": \"2000-01-01T00:01:30Z\"")));
        Assert.Equal(0, WaitedSeconds(RunWait("\"Timestamp\": \"1999-12-31T23:00:00Z\"")));
    }

    [Fact]
    public void SecondsPath_and_TimestampPath_read_the_input()
    {
        Assert.Equal(7, WaitedSeconds(RunWait("\"SecondsPath\": \"$.delay\"", """{ "delay": 7 }""")));
        Assert.Equal(3600, WaitedSeconds(RunWait("\"TimestampPath\": \"$.when\"", """{ "when": "2000-01-01T02:00:00+01:00" }""")));
    }

    [Fact]
    public void An_invalid_SecondsPath_value_fails_the_execution()
    {
        var result = RunWait("\"SecondsPath\": \"$.delay\"", """{ "delay": "soon" }""");
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(StatesErrorNames.Runtime, result.Error);
    }

    [Fact]
    public void The_execution_TimeoutSeconds_times_out_a_long_wait()
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""
        { "StartAt": "W", "TimeoutSeconds": 5, "States": { "W": { "Type": "Wait", "Seconds": 60, "End": true } } }
        """, time: clock);
        var result = Sfn.RunWithClock(executor, clock);
        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.Equal(StatesErrorNames.Timeout, result.Error);
        Assert.Equal(Sfn.T0.AddSeconds(5), result.StopDate);
        Assert.Equal(HistoryEventType.ExecutionTimedOut, result.History[^1].Type);
    }

    [Fact]
    public async Task Cancelling_the_caller_token_aborts_the_execution()
    {
        var clock = Sfn.Clock();
        var executor = Sfn.Executor("""
        { "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 60, "End": true } } }
        """, time: clock);
        using var cts = new CancellationTokenSource();
        using var noContext = Sfn.WithoutSyncContext();
        var task = executor.ExecuteAsync(new JsonObject(), "abort", cts.Token);
        clock.Advance(TimeSpan.FromSeconds(10));
        cts.Cancel();
        Assert.True(task.IsCompleted);
        var result = await task;
        Assert.Equal(ExecutionStatus.Aborted, result.Status);
        Assert.Equal(HistoryEventType.ExecutionAborted, result.History[^1].Type);
    }

    [Fact]
    public void Wait_InputPath_and_OutputPath_apply()
    {
        var result = RunWait("\"Seconds\": 1, \"InputPath\": \"$.a\", \"OutputPath\": \"$.b\"", """{ "a": { "b": 5 } }""");
        Sfn.Succeeded(result);
        Assert.Equal(5, result.Output!.GetValue<int>());
    }
}
