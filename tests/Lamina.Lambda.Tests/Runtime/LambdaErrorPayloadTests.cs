using System.Text;
using System.Text.Json;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Lambda.Tests.Runtime;

public sealed class LambdaErrorPayloadTests
{
    private static Exception Thrown(Func<Exception> create)
    {
        try
        {
            throw create();
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    [Fact]
    public void Describes_an_exception_by_type_name_message_and_stack_lines()
    {
        var exception = Thrown(() => new InvalidOperationException("no stock", new TimeoutException("db slow")));

        var payload = LambdaErrorPayload.FromException(exception);

        Assert.Equal("InvalidOperationException", payload.ErrorType);
        Assert.Equal("no stock", payload.ErrorMessage);
        Assert.Contains(payload.StackTrace, frame => frame.Contains(nameof(Thrown), StringComparison.Ordinal));
        Assert.All(payload.StackTrace, frame => Assert.Equal(frame.Trim(), frame));
        Assert.Equal("TimeoutException", payload.Cause!.ErrorType);
    }

    [Fact]
    public void Unwraps_a_single_exception_aggregate()
    {
        var payload = LambdaErrorPayload.FromException(new AggregateException(new ArgumentException("bad")));

        Assert.Equal("ArgumentException", payload.ErrorType);
    }

    [Fact]
    public void Round_trips_through_json_with_the_lambda_field_names()
    {
        var payload = LambdaErrorPayload.FromException(Thrown(() => new InvalidOperationException("x\"y")));

        var json = payload.ToUtf8Json();
        using var document = JsonDocument.Parse(json);

        Assert.Equal(["errorType", "errorMessage", "stackTrace"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(LambdaErrorPayload.TryParse(json, out var read));
        Assert.Equal(payload.ErrorType, read.ErrorType);
        Assert.Equal(payload.ErrorMessage, read.ErrorMessage);
        Assert.Equal(payload.StackTrace, read.StackTrace);
    }

    [Fact]
    public void The_timeout_payload_has_lambdas_message_and_no_stack_trace()
    {
        var payload = LambdaErrorPayload.Create(LambdaErrorTypes.Timeout, LambdaErrorTypes.TimeoutMessage("abc", TimeSpan.FromMilliseconds(2500)));

        Assert.Equal("""{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: abc Error: Task timed out after 2.50 seconds"}""",
            Encoding.UTF8.GetString(payload.ToUtf8Json()));
    }

    [Fact]
    public void Rejects_what_is_not_a_json_object()
    {
        Assert.False(LambdaErrorPayload.TryParse("not json"u8, out _));
        Assert.False(LambdaErrorPayload.TryParse("[1]"u8, out _));
    }
}
