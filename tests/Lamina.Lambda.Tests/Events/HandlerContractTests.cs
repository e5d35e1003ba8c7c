using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

/// <summary>The examples from the handler interfaces' XML docs, compiled and run against the sample events.</summary>
public sealed class HandlerContractTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    // --- The XML doc examples, verbatim. ---

    public sealed class Hello : IHttpApiHandler
    {
        public Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context)
        {
            var name = input.QueryStringParameters?.GetValueOrDefault("name") ?? "world";
            return Task.FromResult(HttpApiResponse.Text(200, $"Hello, {name}!"));
        }
    }

    public sealed class GetItem : IRestApiHandler
    {
        public Task<RestApiResponse> HandleAsync(RestApiRequest input, ILambdaContext context)
        {
            var id = input.PathParameters?.GetValueOrDefault("id");
            return Task.FromResult(id is null
                ? RestApiResponse.Text(400, "missing id")
                : RestApiResponse.Json(new JsonObject { ["id"] = id }));
        }
    }

    public sealed class Orders : ISqsHandler
    {
        public async Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context)
        {
            var failed = new List<string>();
            foreach (var message in input.Records)
            {
                try { await ProcessAsync(message.Body!, context.CancellationToken); }
                catch (Exception e) { context.Logger.LogError(e.Message); failed.Add(message.MessageId!); }
            }
            return SqsBatchResponse.FromFailedMessageIds(failed);
        }

        // The doc example's ProcessAsync does nothing; this one fails for SNS envelopes so the test sees a failure.
        private static Task ProcessAsync(string body, CancellationToken cancellationToken) =>
            SnsEnvelope.TryParse(body) is null ? Task.CompletedTask : throw new InvalidOperationException("unexpected envelope");
    }

    public sealed class Notify : ISnsHandler
    {
        public Task<LambdaVoid> HandleAsync(SnsEvent input, ILambdaContext context)
        {
            foreach (var record in input.Records)
            {
                context.Logger.LogInformation($"{record.Sns?.Subject}: {record.Sns?.Message}");
            }
            return LambdaVoid.Completed;
        }
    }

    public sealed class Thumbnails : IS3Handler
    {
        public Task<LambdaVoid> HandleAsync(S3Event input, ILambdaContext context)
        {
            foreach (var record in input.Records)
            {
                context.Logger.LogInformation($"{record.EventName} {record.S3?.Bucket?.Name}/{record.S3?.Object?.GetDecodedKey()}");
            }
            return LambdaVoid.Completed;
        }
    }

    public sealed class Nightly : IScheduledHandler
    {
        public Task<LambdaVoid> HandleAsync(ScheduledEvent input, ILambdaContext context)
        {
            context.Logger.LogInformation($"{input.DetailType} at {input.Time} from {input.Resources?.FirstOrDefault()}");
            return LambdaVoid.Completed;
        }
    }

    // --- Tests. ---

    [Fact]
    public async Task Http_api_handler()
    {
        ILambdaHandler<HttpApiRequest, HttpApiResponse> handler = new Hello();
        var request = EventJson.Read("""{"version":"2.0","queryStringParameters":{"name":"Ada"},"isBase64Encoded":false}""", Json.HttpApiRequest);
        var response = await handler.HandleAsync(request, new TestLambdaContext());
        Assert.Equal("""{"statusCode":200,"headers":{"content-type":"text/plain; charset=utf-8"},"body":"Hello, Ada!","isBase64Encoded":false}""",
            JsonSerializer.Serialize(response, Json.HttpApiResponse));
    }

    [Fact]
    public async Task Rest_api_handler()
    {
        var handler = new GetItem();
        var found = await handler.HandleAsync(EventJson.Read("""{"pathParameters":{"id":42}}""", Json.RestApiRequest), new TestLambdaContext());
        Assert.Equal(200, found.StatusCode);
        Assert.Equal("""{"id":"42"}""", found.Body);
        var missing = await handler.HandleAsync(EventJson.Read(EventJson.Sample("rest-api-seed-note.json"), Json.RestApiRequest), new TestLambdaContext());
        Assert.Equal(400, missing.StatusCode);
    }

    [Fact]
    public async Task Sqs_handler_reports_failed_messages()
    {
        var context = new TestLambdaContext();
        var response = await new Orders().HandleAsync(EventJson.Read(EventJson.Sample("sqs.json"), Json.SqsEvent), context);
        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"e2c3d4b5-2222-4f6a-8b9c-0d1e2f3a4b5c"}]}""",
            JsonSerializer.Serialize(response, Json.SqsBatchResponse));
        Assert.Equal((LambdaLogLevel.Error, "unexpected envelope"), Assert.Single(context.Lines));
    }

    [Fact]
    public async Task Sns_handler_returns_null()
    {
        var context = new TestLambdaContext();
        var result = await new Notify().HandleAsync(EventJson.Read(EventJson.Sample("sns.json"), Json.SnsEvent), context);
        Assert.Equal("null", JsonSerializer.Serialize(result, Json.LambdaVoid));
        Assert.Equal("Disk almost full: Volume /data on host db-3 is 93% full.", Assert.Single(context.Lines).Message);
    }

    [Fact]
    public async Task S3_handler()
    {
        var context = new TestLambdaContext();
        await new Thumbnails().HandleAsync(EventJson.Read(EventJson.Sample("s3.json"), Json.S3Event), context);
        Assert.Equal(
            ["ObjectCreated:Put photo-uploads-example/albums/summer 2025/my cat(1).jpg", "ObjectRemoved:Delete photo-uploads-example/tmp/old.txt"],
            context.Lines.Select(l => l.Message));
    }

    [Fact]
    public async Task Scheduled_handler()
    {
        var context = new TestLambdaContext();
        await new Nightly().HandleAsync(EventJson.Read(EventJson.Sample("scheduled.json"), Json.ScheduledEvent), context);
        Assert.Equal("Scheduled Event at 2025-08-01T00:00:00Z from arn:aws:events:ca-central-1:678901234567:rule/nightly-report",
            Assert.Single(context.Lines).Message);
    }
}
