using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Lambda.Events;
using Lamina.Lambda.Events.Samples;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

/// <summary>
/// The sample events read back into the event types with nothing left unmodelled (so every key name is one the types
/// know), round-trip, carry the keys AWS sends, and show the option values.
/// </summary>
public class SampleEventsTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static void AssertKeys(JsonNode? node, params string[] keys) =>
        Assert.Equal(keys.Order(StringComparer.Ordinal), node!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));

    [Fact]
    public void Every_sample_reads_back_with_every_field_modelled_and_round_trips()
    {
        EventJson.AssertAllFieldsModelled(EventJson.AssertRoundTrips(SampleEvents.HttpApi(), Json.HttpApiRequest));
        EventJson.AssertAllFieldsModelled(EventJson.AssertRoundTrips(SampleEvents.RestApi(), Json.RestApiRequest));
        EventJson.AssertAllFieldsModelled(EventJson.AssertRoundTrips(SampleEvents.Sqs(), Json.SqsEvent));
        EventJson.AssertAllFieldsModelled(EventJson.AssertRoundTrips(SampleEvents.Sns(), Json.SnsEvent));
        EventJson.AssertAllFieldsModelled(EventJson.AssertRoundTrips(SampleEvents.S3(), Json.S3Event));
        EventJson.AssertAllFieldsModelled(EventJson.AssertRoundTrips(SampleEvents.Schedule(), Json.ScheduledEvent));
    }

    [Fact]
    public void Samples_are_the_same_on_every_call_and_indented_unless_asked()
    {
        Assert.Equal(SampleEvents.Sqs(), SampleEvents.Sqs(new SqsSampleOptions()));
        Assert.Equal(SampleEvents.HttpApi(), SampleEvents.HttpApi());
        Assert.Contains("\n  \"version\": \"2.0\",\n", SampleEvents.HttpApi());
        Assert.DoesNotContain("\r", SampleEvents.HttpApi());
        var compact = SampleEvents.Schedule(new ScheduleSampleOptions { Indented = false });
        Assert.DoesNotContain("\n", compact);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(compact), JsonNode.Parse(SampleEvents.Schedule())));
    }

    [Fact]
    public void Http_api_has_the_payload_2_0_keys()
    {
        var e = Obj(SampleEvents.HttpApi());
        AssertKeys(e, "version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "isBase64Encoded");
        AssertKeys(e["requestContext"], "accountId", "apiId", "domainName", "domainPrefix", "http", "requestId", "routeKey", "stage", "time", "timeEpoch");
        AssertKeys(e["requestContext"]!["http"], "method", "path", "protocol", "sourceIp", "userAgent");
        Assert.Equal("$default", (string?)e["requestContext"]!["stage"]);
        Assert.Equal("01/Jan/2025:12:00:00 +0000", (string?)e["requestContext"]!["time"]);
        Assert.Equal(1735732800000, (long)e["requestContext"]!["timeEpoch"]!);
        Assert.All(e["headers"]!.AsObject(), h => Assert.Equal(h.Key.ToLowerInvariant(), h.Key));
    }

    [Fact]
    public void Http_api_options_show_in_the_request()
    {
        var json = SampleEvents.HttpApi(new HttpApiSampleOptions
        {
            Method = "POST",
            Path = "/orders/42",
            Query = [new("tag", "a b"), new("tag", "c"), new("x", "1")],
            Headers = [new("X-Tenant", "acme"), new("User-Agent", "curl/8"), new("Cookie", "s=1; theme=dark"), new("x-tenant", "beta")],
            Body = "héllo",
            Base64EncodeBody = true,
            RouteKey = "POST /orders/{id}",
            PathParameters = new Dictionary<string, string> { ["id"] = "42" },
            StageVariables = new Dictionary<string, string> { ["color"] = "blue" },
            Stage = "live",
            Region = "eu-west-1",
            Account = "999988887777",
            Time = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(2)),
            RequestId = "req-1",
        });
        var r = EventJson.AssertRoundTrips(json, Json.HttpApiRequest);
        EventJson.AssertAllFieldsModelled(r);
        Assert.Equal("POST /orders/{id}", r.RouteKey);
        Assert.Equal("/orders/42", r.RawPath);
        Assert.Equal("tag=a%20b&tag=c&x=1", r.RawQueryString);
        Assert.Equal("a b,c", r.QueryStringParameters!["tag"]);
        Assert.Equal("acme,beta", r.Headers!["X-Tenant"]);
        Assert.Equal("curl/8", r.Headers["user-agent"]);
        Assert.False(r.Headers.ContainsKey("cookie"));
        Assert.Equal(["s=1", "theme=dark"], r.Cookies!);
        Assert.Equal("6", r.Headers["content-length"]);
        Assert.Equal("application/octet-stream", r.Headers["content-type"]);
        Assert.True(r.IsBase64Encoded);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("héllo")), r.Body);
        Assert.Equal("héllo", r.GetBodyText());
        Assert.Equal("42", r.PathParameters!["id"]);
        Assert.Equal("blue", r.StageVariables!["color"]);
        var ctx = r.RequestContext!;
        Assert.Equal(("POST", "/orders/42", "curl/8"), (ctx.Http!.Method, ctx.Http.Path, ctx.Http.UserAgent));
        Assert.Equal(("999988887777", "live", "req-1"), (ctx.AccountId, ctx.Stage, ctx.RequestId));
        Assert.Equal("a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com", ctx.DomainName);
        Assert.Equal("29/Feb/2024:21:59:58 +0000", ctx.Time);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 21, 59, 58, TimeSpan.Zero).ToUnixTimeMilliseconds(), ctx.TimeEpoch);
    }

    [Fact]
    public void Http_api_plain_text_and_json_bodies_get_a_content_type()
    {
        var text = EventJson.Read(SampleEvents.HttpApi(new() { Body = "hi" }), Json.HttpApiRequest);
        Assert.Equal(("hi", false, "text/plain; charset=utf-8"), (text.Body, text.IsBase64Encoded, text.Headers!["content-type"]));
        var json = EventJson.Read(SampleEvents.HttpApi(new() { Body = "{\"a\":1}", Headers = [new("Content-Type", "application/vnd.x+json")] }), Json.HttpApiRequest);
        Assert.Equal("application/vnd.x+json", json.Headers!["content-type"]);
        Assert.Null(EventJson.Read(SampleEvents.HttpApi(), Json.HttpApiRequest).Body);
    }

    [Fact]
    public void Rest_api_has_the_payload_1_0_keys_with_nulls_for_what_is_absent()
    {
        var e = Obj(SampleEvents.RestApi());
        AssertKeys(e, "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters", "multiValueQueryStringParameters",
            "pathParameters", "stageVariables", "requestContext", "body", "isBase64Encoded");
        AssertKeys(e["requestContext"], "accountId", "apiId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod", "identity", "path",
            "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId", "resourcePath", "stage");
        AssertKeys(e["requestContext"]!["identity"], "accessKey", "accountId", "apiKey", "apiKeyId", "caller", "clientCert", "cognitoAuthenticationProvider",
            "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent", "userArn");
        foreach (var name in new[] { "queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body" })
        {
            Assert.True(e.ContainsKey(name) && e[name] is null, name);
        }
        Assert.Equal("Prod", (string?)e["requestContext"]!["stage"]);
        Assert.Equal("/Prod/", (string?)e["requestContext"]!["path"]);
        Assert.Equal("Host", e["headers"]!.AsObject().Select(p => p.Key).Single(k => k.Equals("host", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void Rest_api_options_fill_single_and_multi_value_fields()
    {
        var r = EventJson.AssertRoundTrips(SampleEvents.RestApi(new RestApiSampleOptions
        {
            Method = "PUT",
            Path = "/pets/7",
            Resource = "/pets/{petId}",
            Query = [new("tag", "a"), new("tag", "b")],
            Headers = [new("X-Trace", "1"), new("X-Trace", "2")],
            Body = "{\"name\":\"rex\"}",
            PathParameters = new Dictionary<string, string> { ["petId"] = "7" },
            Stage = "test",
        }), Json.RestApiRequest);
        EventJson.AssertAllFieldsModelled(r);
        Assert.Equal(("PUT", "/pets/7", "/pets/{petId}"), (r.HttpMethod, r.Path, r.Resource));
        Assert.Equal("b", r.QueryStringParameters!["tag"]);
        Assert.Equal(["a", "b"], r.MultiValueQueryStringParameters!["tag"]);
        Assert.Equal("2", r.Headers!["x-trace"]);
        Assert.Equal(["1", "2"], r.MultiValueHeaders!["X-Trace"]);
        Assert.Equal("application/json", r.Headers["Content-Type"]);
        Assert.Equal("{\"name\":\"rex\"}", r.GetBodyText());
        Assert.False(r.IsBase64Encoded);
        Assert.Equal("7", r.PathParameters!["petId"]);
        Assert.Equal(("test", "/test/pets/7", "/pets/{petId}", "PUT"),
            (r.RequestContext!.Stage, r.RequestContext.Path, r.RequestContext.ResourcePath, r.RequestContext.HttpMethod));
        Assert.Equal("01/Jan/2025:12:00:00 +0000", r.RequestContext.RequestTime);
        Assert.Equal(1735732800000, r.RequestContext.RequestTimeEpoch);
    }

    [Fact]
    public void Sqs_has_the_record_keys_and_real_digests()
    {
        var e = Obj(SampleEvents.Sqs(new SqsSampleOptions { Bodies = ["test"], MessageAttributes = new Dictionary<string, string> { ["SellerName"] = "Example Store" } }));
        var record = Assert.Single(e["Records"]!.AsArray())!;
        AssertKeys(record, "messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody", "md5OfMessageAttributes",
            "eventSource", "eventSourceARN", "awsRegion");
        AssertKeys(record["attributes"], "ApproximateReceiveCount", "SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        AssertKeys(record["messageAttributes"]!["SellerName"], "stringValue", "stringListValues", "binaryListValues", "dataType");
        // Digests of known inputs (MD5 of "test"; the attribute digest of SQS's documented SellerName example).
        Assert.Equal("098f6bcd4621d373cade4e832627b4f6", (string?)record["md5OfBody"]);
        Assert.Equal("cd28f3b68aeee4b2eac9c66f2f694b58", (string?)record["md5OfMessageAttributes"]);
        Assert.Equal("aws:sqs", (string?)record["eventSource"]);
        Assert.Equal("1735732800000", (string?)record["attributes"]!["SentTimestamp"]);

        var two = Obj(SampleEvents.Sqs(new SqsSampleOptions
        {
            MessageAttributes = new Dictionary<string, string> { ["my_attribute_name_2"] = "my_attribute_value_2", ["my_attribute_name_1"] = "my_attribute_value_1" },
        }));
        Assert.Equal("c48838208d2b4e14e3ca0093a8443f09", (string?)two["Records"]![0]!["md5OfMessageAttributes"]);
        Assert.False(Obj(SampleEvents.Sqs())["Records"]![0]!.AsObject().ContainsKey("md5OfMessageAttributes"));
    }

    [Fact]
    public void Sqs_count_repeats_the_bodies_with_distinct_ids()
    {
        var e = EventJson.Read(SampleEvents.Sqs(new SqsSampleOptions { Bodies = ["a", "b"], Count = 5, Queue = "jobs", Region = "ap-south-1", Account = "111122223333" }), Json.SqsEvent);
        Assert.Equal(["a", "b", "a", "b", "a"], e.Records.Select(r => r.Body));
        Assert.Equal(5, e.Records.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(5, e.Records.Select(r => r.ReceiptHandle).Distinct().Count());
        Assert.All(e.Records, r => Assert.Equal(("arn:aws:sqs:ap-south-1:111122223333:jobs", "ap-south-1"), (r.EventSourceArn, r.AwsRegion)));
        Assert.All(e.Records, r => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", r.MessageId));
        Assert.All(e.Records, r => Assert.Null(r.Attributes!.MessageGroupId));
        var ids = EventJson.Read(SampleEvents.Sqs(new SqsSampleOptions { Count = 2, MessageIds = ["m-1"] }), Json.SqsEvent);
        Assert.Equal("m-1", ids.Records[0].MessageId);
        Assert.NotEqual("m-1", ids.Records[1].MessageId);
    }

    [Fact]
    public void Sqs_fifo_queues_carry_group_sequence_and_content_deduplication_ids()
    {
        var e = EventJson.Read(SampleEvents.Sqs(new SqsSampleOptions
        {
            Bodies = ["x", "y"],
            Queue = "arn:aws:sqs:eu-north-1:444455556666:orders.fifo",
            MessageGroupId = "customer-9",
            ReceiveCount = 3,
        }), Json.SqsEvent);
        Assert.All(e.Records, r => Assert.Equal(("customer-9", "3", "eu-north-1"), (r.Attributes!.MessageGroupId, r.Attributes.ApproximateReceiveCount, r.AwsRegion)));
        Assert.All(e.Records, r => Assert.Matches("^[0-9]{20}$", r.Attributes!.SequenceNumber));
        // Content-based deduplication: the SHA-256 of the body ("x").
        Assert.Equal("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881", e.Records[0].Attributes!.MessageDeduplicationId);
        Assert.Equal("arn:aws:sqs:eu-north-1:444455556666:orders.fifo", e.Records[1].EventSourceArn);
        Assert.Equal("group-1", EventJson.Read(SampleEvents.Sqs(new() { Queue = "q.fifo" }), Json.SqsEvent).Records[0].Attributes!.MessageGroupId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10001)]
    public void Sqs_refuses_a_batch_size_sqs_never_sends(int count) =>
        Assert.Contains("1 to 10000", Assert.Throws<ArgumentException>(() => SampleEvents.Sqs(new() { Count = count })).Message);

    [Fact]
    public void Sns_has_the_lambda_record_keys()
    {
        var e = Obj(SampleEvents.Sns());
        var record = Assert.Single(e["Records"]!.AsArray())!;
        AssertKeys(record, "EventSource", "EventVersion", "EventSubscriptionArn", "Sns");
        AssertKeys(record["Sns"], "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion", "Signature",
            "SigningCertUrl", "UnsubscribeUrl", "MessageAttributes");
        Assert.Null(record["Sns"]!["Subject"]);
        Assert.Equal("2025-01-01T12:00:00.000Z", (string?)record["Sns"]!["Timestamp"]);
        Assert.StartsWith("arn:aws:sns:us-east-1:123456789012:sample-topic:", (string?)record["EventSubscriptionArn"]);
    }

    [Fact]
    public void Sns_options_show_in_the_notification()
    {
        var e = EventJson.AssertRoundTrips(SampleEvents.Sns(new SnsSampleOptions
        {
            Message = "disk full",
            Subject = "Alarm",
            Topic = "arn:aws:sns:sa-east-1:222233334444:alerts",
            MessageAttributes = new Dictionary<string, string> { ["severity"] = "high" },
            MessageId = "mid-1",
        }), Json.SnsEvent);
        var sns = Assert.Single(e.Records).Sns!;
        Assert.Equal(("disk full", "Alarm", "arn:aws:sns:sa-east-1:222233334444:alerts", "mid-1"), (sns.Message, sns.Subject, sns.TopicArn, sns.MessageId));
        Assert.Equal(("String", "high"), (sns.MessageAttributes!["severity"].Type, sns.MessageAttributes["severity"].Value));
        Assert.StartsWith("https://sns.sa-east-1.amazonaws.com/", sns.SigningCertUrl);
        Assert.Contains($"SubscriptionArn={e.Records[0].EventSubscriptionArn}", sns.UnsubscribeUrl);
        Assert.Equal("arn:aws:sns:us-west-1:123456789012:news", EventJson.Read(SampleEvents.Sns(new() { Topic = "news", Region = "us-west-1" }), Json.SnsEvent).Records[0].Sns!.TopicArn);
    }

    [Theory]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:sns:eu-west-1:123")]
    public void A_malformed_arn_is_refused(string topic) =>
        Assert.Contains("is not an sns ARN", Assert.Throws<ArgumentException>(() => SampleEvents.Sns(new() { Topic = topic })).Message);

    [Fact]
    public void S3_has_the_record_keys_and_encodes_the_key_like_s3()
    {
        var e = Obj(SampleEvents.S3(new S3SampleOptions { Key = "photos/my cat (1)+ü.jpg", Bucket = "pics", Size = 77, Region = "eu-west-3" }));
        var record = Assert.Single(e["Records"]!.AsArray())!;
        AssertKeys(record, "eventVersion", "eventSource", "awsRegion", "eventTime", "eventName", "userIdentity", "requestParameters", "responseElements", "s3");
        AssertKeys(record["s3"], "s3SchemaVersion", "configurationId", "bucket", "object");
        AssertKeys(record["s3"]!["bucket"], "name", "ownerIdentity", "arn");
        AssertKeys(record["s3"]!["object"], "key", "size", "eTag", "sequencer");
        AssertKeys(record["responseElements"], "x-amz-request-id", "x-amz-id-2");
        Assert.Equal("photos/my+cat+%281%29%2B%C3%BC.jpg", (string?)record["s3"]!["object"]!["key"]);
        var typed = EventJson.AssertRoundTrips(e.ToJsonString(), Json.S3Event).Records[0];
        Assert.Equal("photos/my cat (1)+ü.jpg", typed.S3!.Object!.GetDecodedKey());
        Assert.Equal(("pics", "arn:aws:s3:::pics", 77L), (typed.S3.Bucket!.Name, typed.S3.Bucket.Arn, typed.S3.Object.Size!.Value));
        Assert.Equal(("ObjectCreated:Put", "eu-west-3", "2.1", "2025-01-01T12:00:00.000Z"), (typed.EventName, typed.AwsRegion, typed.EventVersion, typed.EventTime));
    }

    [Fact]
    public void S3_delete_events_carry_no_size_or_etag()
    {
        var e = EventJson.Read(SampleEvents.S3(new S3SampleOptions { EventName = "s3:ObjectRemoved:Delete", VersionId = "v1" }), Json.S3Event);
        var obj = e.Records[0].S3!.Object!;
        Assert.Equal("ObjectRemoved:Delete", e.Records[0].EventName);
        Assert.Null(obj.Size);
        Assert.Null(obj.ETag);
        Assert.Equal("v1", obj.VersionId);
        Assert.Throws<ArgumentException>(() => SampleEvents.S3(new() { EventName = "Put" }));
    }

    [Fact]
    public void Schedule_is_a_scheduled_event_from_the_rule()
    {
        var e = Obj(SampleEvents.Schedule());
        AssertKeys(e, "version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail");
        Assert.Equal("2025-01-01T12:00:00Z", (string?)e["time"]);
        Assert.Empty(e["detail"]!.AsObject());
        var s = EventJson.AssertRoundTrips(SampleEvents.Schedule(new ScheduleSampleOptions { Rule = "nightly", Region = "eu-central-1", Account = "555566667777", Time = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero), EventId = "e-1" }), Json.ScheduledEvent);
        Assert.Equal(("Scheduled Event", "aws.events", "555566667777", "eu-central-1", "2026-03-04T05:06:07Z", "e-1"), (s.DetailType, s.Source, s.Account, s.Region, s.Time, s.Id));
        Assert.Equal(["arn:aws:events:eu-central-1:555566667777:rule/nightly"], s.Resources!);
        var fromArn = EventJson.Read(SampleEvents.Schedule(new() { Rule = "arn:aws:events:us-east-2:777788889999:rule/hourly" }), Json.ScheduledEvent);
        Assert.Equal(("us-east-2", "777788889999"), (fromArn.Region, fromArn.Account));
        Assert.Equal(JsonValueKind.Object, fromArn.Detail!.Value.ValueKind);
    }

    [Theory]
    [InlineData("orders/2025 report.csv", "orders/2025+report.csv")]
    [InlineData("a=b&c:d~e", "a%3Db%26c%3Ad%7Ee")]
    [InlineData("keep-_.*/", "keep-_.*/")]
    public void S3_keys_are_encoded_as_s3_sends_them(string key, string encoded) => Assert.Equal(encoded, SampleEvents.EncodeS3Key(key));
}
