using System.Text.Json;
using Lamina.Lambda.Logging;

namespace Lamina.Lambda.Tests.Runtime;

public sealed class LambdaJsonLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Writes_one_json_object_per_line_with_timestamp_level_request_id_and_message()
    {
        var output = new StringWriter();
        var clock = new FixedTimeProvider(Now.AddMilliseconds(7));
        var logger = new LambdaJsonLogger(output, clock).ForRequest("8476a536-e9f4-11e8-9739-2dfe598c3fcd");

        logger.LogInformation("order \"o-1\" accepted\nnext line");

        var line = output.ToString();
        Assert.EndsWith("\n", line);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            """{"timestamp":"2026-11-27T10:00:00.007Z","level":"INFO","requestId":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","message":"order \"o-1\" accepted\nnext line"}""" + "\n",
            line);
        using var document = JsonDocument.Parse(line);
        Assert.Equal(["timestamp", "level", "requestId", "message"], document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("order \"o-1\" accepted\nnext line", document.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void Keeps_apostrophes_markup_and_non_ascii_text_readable()
    {
        var output = new StringWriter();

        new LambdaJsonLogger(output, new FixedTimeProvider(Now)).LogWarning("café 'Zoë' <b>+1</b> \u0001");

        Assert.Contains("\"message\":\"café 'Zoë' <b>+1</b> \\u0001\"", output.ToString());
    }

    [Fact]
    public void A_logger_outside_an_invocation_omits_the_request_id()
    {
        var output = new StringWriter();

        new LambdaJsonLogger(output, new FixedTimeProvider(Now)).Log(LambdaLogLevel.Fatal, "init failed");

        Assert.Equal("""{"timestamp":"2026-11-27T10:00:00.000Z","level":"FATAL","message":"init failed"}""" + "\n", output.ToString());
    }

    [Fact]
    public void Drops_lines_below_the_minimum_level()
    {
        var output = new StringWriter();
        var logger = new LambdaJsonLogger(output, new FixedTimeProvider(Now), LambdaLogLevel.Warn);

        logger.LogDebug("d");
        logger.LogInformation("i");
        logger.LogWarning("w");
        logger.LogError("e");

        var levels = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("level").GetString());
        Assert.Equal(["WARN", "ERROR"], levels);
    }

    [Theory]
    [InlineData("TRACE", LambdaLogLevel.Trace)]
    [InlineData("debug", LambdaLogLevel.Debug)]
    [InlineData("Info", LambdaLogLevel.Info)]
    [InlineData("WARN", LambdaLogLevel.Warn)]
    [InlineData("error", LambdaLogLevel.Error)]
    [InlineData("FATAL", LambdaLogLevel.Fatal)]
    [InlineData(null, LambdaLogLevel.Info)]
    [InlineData("", LambdaLogLevel.Info)]
    [InlineData("verbose", LambdaLogLevel.Info)]
    public void Parses_AWS_LAMBDA_LOG_LEVEL(string? value, LambdaLogLevel expected) =>
        Assert.Equal(expected, LambdaJsonLogger.ParseLevel(value));

    [Fact]
    public void Lines_from_concurrent_writers_never_interleave()
    {
        var output = new StringWriter();
        var root = new LambdaJsonLogger(output, new FixedTimeProvider(Now));

        Parallel.For(0, 200, i => root.ForRequest("r" + i).LogInformation(new string('x', 300)));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }
}
