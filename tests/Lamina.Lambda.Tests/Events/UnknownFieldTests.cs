using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class UnknownFieldTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    public static TheoryData<string, string> Samples => new()
    {
        { "http-api-v2-jwt.json", "requestContext.http" },
        { "rest-api-proxy.json", "requestContext.identity" },
        { "sqs.json", "Records.0.attributes" },
        { "sns.json", "Records.0.Sns" },
        { "sns-envelope.json", "MessageAttributes.eventType" },
        { "s3.json", "Records.0.s3.object" },
        { "scheduled.json", "" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Unknown_fields_are_tolerated_and_written_back(string file, string nestedPath)
    {
        var node = JsonNode.Parse(EventJson.Sample(file))!.AsObject();
        node["futureTopLevelField"] = new JsonObject { ["a"] = 1, ["b"] = new JsonArray("x", null, true) };
        var nested = Navigate(node, nestedPath);
        nested["futureNestedField"] = "added-later";
        var json = node.ToJsonString();

        switch (file)
        {
            case "http-api-v2-jwt.json": Check(json, Json.HttpApiRequest); break;
            case "rest-api-proxy.json": Check(json, Json.RestApiRequest); break;
            case "sqs.json": Check(json, Json.SqsEvent); break;
            case "sns.json": Check(json, Json.SnsEvent); break;
            case "sns-envelope.json": Check(json, Json.SnsEnvelope); break;
            case "s3.json": Check(json, Json.S3Event); break;
            case "scheduled.json": Check(json, Json.ScheduledEvent); break;
            default: throw new ArgumentOutOfRangeException(nameof(file));
        }
    }

    [Fact]
    public void Unknown_fields_are_available_to_code()
    {
        var e = EventJson.Read("""{"Records":[{"eventName":"ObjectCreated:Put","glacierEventData":{"restoreEventData":{"lifecycleRestoreStorageClass":"Standard"}}}]}""", Json.S3Event);
        var extra = e.Records[0].AdditionalProperties!;
        Assert.Equal("Standard", extra["glacierEventData"].GetProperty("restoreEventData").GetProperty("lifecycleRestoreStorageClass").GetString());
        Assert.Equal("ObjectCreated:Put", e.Records[0].EventName);
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        // "MessageId" is the SQS Query API spelling, not the Lambda event one ("messageId").
        var e = EventJson.Read("""{"Records":[{"MessageId":"m-1"}]}""", Json.SqsEvent);
        Assert.Null(e.Records[0].MessageId);
        Assert.True(e.Records[0].AdditionalProperties!.ContainsKey("MessageId"));
    }

    private static void Check<T>(string json, JsonTypeInfo<T> typeInfo) where T : LambdaEventObject
    {
        var value = EventJson.AssertRoundTrips(json, typeInfo);
        Assert.True(value.AdditionalProperties!.ContainsKey("futureTopLevelField"));
        var written = JsonSerializer.Serialize(value, typeInfo);
        Assert.Contains("\"futureNestedField\":\"added-later\"", written);
    }

    private static JsonObject Navigate(JsonObject root, string path)
    {
        JsonNode current = root;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            current = int.TryParse(part, out var index) ? current[index]! : current[part]!;
        }
        return current.AsObject();
    }
}
