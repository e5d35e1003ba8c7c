using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Cli.Tests;

/// <summary><c>lamina generate-event</c>: every source prints JSON that reads back into its event type; options change it.</summary>
public class GenerateEventTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private CliResult Run(params string[] args) => CliRunner.Run(_dir.Path, ["generate-event", .. args]);

    private T Generate<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, params string[] args)
    {
        var r = Run(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.Stderr);
        return JsonSerializer.Deserialize(r.Stdout, type)!;
    }

    [Theory]
    [InlineData("http-api")]
    [InlineData("apigateway-http")]
    [InlineData("rest-api")]
    [InlineData("apigateway")]
    [InlineData("sqs")]
    [InlineData("sns")]
    [InlineData("s3")]
    [InlineData("schedule")]
    [InlineData("eventbridge-schedule")]
    public void Every_source_prints_indented_json_that_reads_back_and_round_trips(string source)
    {
        var r = Run(source);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("{\n  \"", r.Stdout);
        Assert.EndsWith("}\n", r.Stdout);
        var ctx = LambdaEventsJsonContext.Default;
        object value = source switch
        {
            "http-api" or "apigateway-http" => JsonSerializer.Deserialize(r.Stdout, ctx.HttpApiRequest)!,
            "rest-api" or "apigateway" => JsonSerializer.Deserialize(r.Stdout, ctx.RestApiRequest)!,
            "sqs" => JsonSerializer.Deserialize(r.Stdout, ctx.SqsEvent)!,
            "sns" => JsonSerializer.Deserialize(r.Stdout, ctx.SnsEvent)!,
            "s3" => JsonSerializer.Deserialize(r.Stdout, ctx.S3Event)!,
            _ => JsonSerializer.Deserialize(r.Stdout, ctx.ScheduledEvent)!,
        };
        var written = JsonSerializer.Serialize(value, value.GetType(), ctx);
        Assert.True(JsonNode.DeepEquals(DropNulls(JsonNode.Parse(r.Stdout)), JsonNode.Parse(written)), written);
        Assert.Equal(r.Stdout, Run(source).Stdout); // the same on every run
    }

    [Fact]
    public void Http_api_options_change_the_request()
    {
        _dir.Write("body.json", """{"sku":"A-1"}""");
        var e = Generate(LambdaEventsJsonContext.Default.HttpApiRequest,
            "http-api", "-X", "post", "--path", "/orders", "--body", "@body.json", "-q", "page=2", "--query", "tag=x y",
            "-H", "X-Tenant: acme", "--header", "cookie=a=1", "--route", "POST /orders", "--path-param", "id=9", "--stage", "live",
            "--region", "eu-west-1", "--account", "111111111111", "--time", "2024-05-06T07:08:09+02:00");
        Assert.Equal(("POST", "/orders", "POST /orders", "live"), (e.RequestContext!.Http!.Method, e.RawPath, e.RouteKey, e.RequestContext.Stage));
        Assert.Equal("""{"sku":"A-1"}""", e.GetBodyText());
        Assert.False(e.IsBase64Encoded);
        Assert.Equal("page=2&tag=x%20y", e.RawQueryString);
        Assert.Equal("acme", e.Headers!["x-tenant"]);
        Assert.Equal(["a=1"], e.Cookies!);
        Assert.Equal("9", e.PathParameters!["id"]);
        Assert.Equal(("111111111111", "06/May/2024:05:08:09 +0000"), (e.RequestContext.AccountId, e.RequestContext.Time));
        Assert.Contains("eu-west-1", e.RequestContext.DomainName);

        var binary = Generate(LambdaEventsJsonContext.Default.HttpApiRequest, "http-api", "--body", "raw", "--base64");
        Assert.True(binary.IsBase64Encoded);
        Assert.Equal("cmF3", binary.Body);
    }

    [Fact]
    public void Rest_api_options_change_the_request()
    {
        var e = Generate(LambdaEventsJsonContext.Default.RestApiRequest,
            "apigateway", "--method", "DELETE", "--path", "/pets/3", "--resource", "/pets/{id}", "-q", "a=1", "-q", "a=2", "--stage-var", "env=blue");
        Assert.Equal(("DELETE", "/pets/3", "/pets/{id}", "Prod"), (e.HttpMethod, e.Path, e.Resource, e.RequestContext!.Stage));
        Assert.Equal(["1", "2"], e.MultiValueQueryStringParameters!["a"]);
        Assert.Equal("2", e.QueryStringParameters!["a"]);
        Assert.Equal("blue", e.StageVariables!["env"]);
        Assert.Null(e.Body);
    }

    [Fact]
    public void Sqs_options_change_the_batch()
    {
        var e = Generate(LambdaEventsJsonContext.Default.SqsEvent,
            "sqs", "--body", "one", "-b", "two", "--count", "3", "--queue", "orders.fifo", "-a", "tenant=acme", "--group", "g7", "--account", "222222222222");
        Assert.Equal(["one", "two", "one"], e.Records.Select(m => m.Body));
        Assert.All(e.Records, m => Assert.Equal("arn:aws:sqs:us-east-1:222222222222:orders.fifo", m.EventSourceArn));
        Assert.All(e.Records, m => Assert.Equal(("g7", "acme"), (m.Attributes!.MessageGroupId, m.MessageAttributes!["tenant"].StringValue)));
    }

    [Fact]
    public void Sns_options_change_the_notification()
    {
        var stdin = new MemoryStream(Encoding.UTF8.GetBytes("from stdin"));
        var r = CliRunner.Run(_dir.Path, ["generate-event", "sns", "--message", "@-", "--subject", "Hi", "--topic", "alerts", "--region", "ca-central-1"], stdin: stdin);
        Assert.True(r.ExitCode == 0, r.ToString());
        var sns = JsonSerializer.Deserialize(r.Stdout, LambdaEventsJsonContext.Default.SnsEvent)!.Records[0].Sns!;
        Assert.Equal(("from stdin", "Hi", "arn:aws:sns:ca-central-1:123456789012:alerts"), (sns.Message, sns.Subject, sns.TopicArn));
    }

    [Fact]
    public void S3_options_change_the_record()
    {
        var e = Generate(LambdaEventsJsonContext.Default.S3Event, "s3", "--bucket", "docs", "--key", "a b/c.pdf", "--size", "5", "--event", "ObjectRemoved:Delete");
        var record = e.Records[0];
        Assert.Equal(("docs", "a+b/c.pdf", "a b/c.pdf", "ObjectRemoved:Delete"), (record.S3!.Bucket!.Name, record.S3.Object!.Key, record.S3.Object.GetDecodedKey(), record.EventName));
        Assert.Null(record.S3.Object.Size); // delete events carry no size
        Assert.Equal(5, Generate(LambdaEventsJsonContext.Default.S3Event, "s3", "--size", "5").Records[0].S3!.Object!.Size);
    }

    [Fact]
    public void Schedule_options_change_the_event()
    {
        var e = Generate(LambdaEventsJsonContext.Default.ScheduledEvent, "eventbridge-schedule", "--rule", "nightly", "--time", "2030-12-31T23:00:00Z", "--region", "eu-south-1");
        Assert.Equal(("2030-12-31T23:00:00Z", "eu-south-1"), (e.Time, e.Region));
        Assert.Equal(["arn:aws:events:eu-south-1:123456789012:rule/nightly"], e.Resources!);
    }

    [Fact]
    public void Compact_prints_one_line()
    {
        var r = Run("schedule", "--compact");
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Help_lists_the_sources_with_their_aliases()
    {
        var r = Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var (name, aliases) in Commands.GenerateEventCommand.Sources)
        {
            Assert.Matches($@"(?m)^\s+(\S+, )*{name}\b", r.Stdout);
            Assert.All(aliases, a => Assert.Contains(a, r.Stdout));
        }
        var sqs = Run("sqs", "--help");
        foreach (var option in new[] { "--body", "--count", "--queue", "--attribute", "--group", "--region", "--account", "--time" })
        {
            Assert.Contains(option, sqs.Stdout);
        }
    }

    [Theory]
    [InlineData(new[] { "kafka" }, "kafka")]
    [InlineData(new string[0], "generate-event")]
    public void An_unknown_or_missing_source_exits_2_naming_the_sources(string[] args, string mention)
    {
        var r = Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(mention, r.Stderr);
        Assert.Contains("generate-event takes one of: http-api (apigateway-http), rest-api (apigateway), sqs, sns, s3, schedule (eventbridge-schedule).", r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Theory]
    [InlineData(new[] { "sqs", "--count", "0" }, "1 to 10000")]
    [InlineData(new[] { "http-api", "--header", "novalue" }, "--header 'novalue' is not NAME=VALUE")]
    [InlineData(new[] { "http-api", "--path", "orders" }, "starts with '/'")]
    [InlineData(new[] { "schedule", "--time", "yesterday" }, "--time 'yesterday'")]
    [InlineData(new[] { "sns", "--topic", "arn:aws:sqs:us-east-1:1:q" }, "not an sns ARN")]
    [InlineData(new[] { "s3", "--event", "Put" }, "ObjectCreated:Put")]
    [InlineData(new[] { "s3", "--bogus" }, "--bogus")]
    public void Bad_option_values_exit_2_with_the_reason(string[] args, string message)
    {
        var r = Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Fact]
    public void A_missing_body_file_exits_1()
    {
        var r = Run("sqs", "--body", "@missing.json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing.json", r.Stderr);
    }

    private static JsonNode? DropNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(name);
                }
                foreach (var (_, child) in obj)
                {
                    DropNulls(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    DropNulls(child);
                }
                break;
        }
        return node;
    }
}
