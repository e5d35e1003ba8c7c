namespace Lamina.Lambda.Tests.Events;

/// <summary>A fixed ILambdaContext for handler contract tests; it records log lines.</summary>
internal sealed class TestLambdaContext : ILambdaContext
{
    private readonly RecordingLogger logger = new();

    public string AwsRequestId => "11111111-2222-3333-4444-555555555555";
    public string FunctionName => "events-test";
    public string FunctionVersion => "$LATEST";
    public string InvokedFunctionArn => "arn:aws:lambda:eu-west-1:123456789012:function:events-test";
    public int MemoryLimitInMB => 256;
    public DateTimeOffset Deadline => new(2025, 1, 1, 0, 0, 30, TimeSpan.Zero);
    public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
    public string LogGroupName => "/aws/lambda/events-test";
    public string LogStreamName => "2025/01/01/[$LATEST]0123456789abcdef";
    public string? TraceId => null;
    public ILambdaLogger Logger => logger;
    public CancellationToken CancellationToken => CancellationToken.None;

    public IReadOnlyList<(LambdaLogLevel Level, string Message)> Lines => logger.Lines;

    private sealed class RecordingLogger : ILambdaLogger
    {
        public List<(LambdaLogLevel, string)> Lines { get; } = [];

        public void Log(LambdaLogLevel level, string message) => Lines.Add((level, message));
    }
}
