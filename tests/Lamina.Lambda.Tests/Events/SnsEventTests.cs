using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class SnsEventTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Sample_deserializes_field_by_field()
    {
        var e = EventJson.Read(EventJson.Sample("sns.json"), Json.SnsEvent);
        var record = Assert.Single(e.Records);

        Assert.Equal("1.0", record.EventVersion);
        Assert.Equal("arn:aws:sns:us-west-2:567890123456:alerts:7e8f9a0b-1c2d-3e4f-5a6b-7c8d9e0f1a2b", record.EventSubscriptionArn);
        Assert.Equal("aws:sns", record.EventSource);

        var sns = record.Sns!;
        Assert.Equal("Notification", sns.Type);
        Assert.Equal("a9b8c7d6-e5f4-5a3b-9c2d-1e0f9a8b7c6d", sns.MessageId);
        Assert.Equal("arn:aws:sns:us-west-2:567890123456:alerts", sns.TopicArn);
        Assert.Equal("Disk almost full", sns.Subject);
        Assert.Equal("Volume /data on host db-3 is 93% full.", sns.Message);
        Assert.Equal("2025-06-01T04:05:06.789Z", sns.Timestamp);
        Assert.Equal("2", sns.SignatureVersion);
        Assert.Equal("c2FtcGxlLXNpZ25hdHVyZS1ub3QtdmFsaWQ=", sns.Signature);
        Assert.EndsWith("SimpleNotificationService-1111111111111111111111111111111b.pem", sns.SigningCertUrl);
        Assert.StartsWith("https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&", sns.UnsubscribeUrl);

        Assert.Equal(4, sns.MessageAttributes!.Count);
        Assert.Equal("String", sns.MessageAttributes["severity"].Type);
        Assert.Equal("warning", sns.MessageAttributes["severity"].Value);
        Assert.Equal("String.Array", sns.MessageAttributes["hosts"].Type);
        Assert.Equal("[\"db-3\",\"db-4\"]", sns.MessageAttributes["hosts"].Value);
        Assert.Equal("90", sns.MessageAttributes["threshold"].Value);
        Assert.Equal("Binary", sns.MessageAttributes["blob"].Type);

        EventJson.AssertAllFieldsModelled(e);
    }

    [Fact]
    public void Sample_round_trips() => EventJson.AssertRoundTrips(EventJson.Sample("sns.json"), Json.SnsEvent);

    [Fact]
    public void Lambda_record_uses_Url_casing()
    {
        var e = EventJson.Read(EventJson.Sample("sns.json"), Json.SnsEvent);
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(e, Json.SnsEvent));
        var sns = doc.RootElement.GetProperty("Records")[0].GetProperty("Sns");
        Assert.True(sns.TryGetProperty("SigningCertUrl", out _));
        Assert.True(sns.TryGetProperty("UnsubscribeUrl", out _));
        Assert.False(sns.TryGetProperty("SigningCertURL", out _));
        Assert.Equal("warning", sns.GetProperty("MessageAttributes").GetProperty("severity").GetProperty("Value").GetString());
    }

    [Fact]
    public void Null_subject_is_read_as_null()
    {
        var json = """{"Records":[{"EventSource":"aws:sns","Sns":{"Type":"Notification","Subject":null,"Message":"m","MessageAttributes":{}}}]}""";
        var e = EventJson.AssertRoundTrips(json, Json.SnsEvent);
        Assert.Null(e.Records[0].Sns!.Subject);
        Assert.Empty(e.Records[0].Sns!.MessageAttributes!);
    }

    [Fact]
    public void Envelope_sample_deserializes_field_by_field()
    {
        var envelope = EventJson.Read(EventJson.Sample("sns-envelope.json"), Json.SnsEnvelope);

        Assert.Equal("Notification", envelope.Type);
        Assert.Equal("5b7c9d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e", envelope.MessageId);
        Assert.Equal("arn:aws:sns:eu-central-1:456789012345:order-events", envelope.TopicArn);
        Assert.Equal("OrderPlaced", envelope.Subject);
        Assert.Equal("{\"orderId\":\"ord-9001\",\"total\":59.9}", envelope.Message);
        Assert.Equal("2025-04-22T09:30:00.250Z", envelope.Timestamp);
        Assert.Equal("1", envelope.SignatureVersion);
        Assert.NotNull(envelope.Signature);
        Assert.EndsWith("0000000000000000000000000000000a.pem", envelope.SigningCertUrl);
        Assert.StartsWith("https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe&", envelope.UnsubscribeUrl);
        Assert.Null(envelope.SubscribeUrl);
        Assert.Null(envelope.Token);
        Assert.Equal("OrderPlaced", envelope.MessageAttributes!["eventType"].Value);
        Assert.Equal("Number", envelope.MessageAttributes["priority"].Type);
        EventJson.AssertAllFieldsModelled(envelope);
    }

    [Fact]
    public void Envelope_sample_round_trips_with_URL_casing()
    {
        var json = EventJson.Sample("sns-envelope.json");
        var envelope = EventJson.AssertRoundTrips(json, Json.SnsEnvelope);
        var written = JsonSerializer.Serialize(envelope, Json.SnsEnvelope);
        Assert.Contains("\"SigningCertURL\"", written);
        Assert.Contains("\"UnsubscribeURL\"", written);
        Assert.DoesNotContain("\"SigningCertUrl\"", written);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain text body")]
    [InlineData("[1,2]")]
    [InlineData("{\"orderId\":\"ord-1\"}")]
    [InlineData("{not json")]
    public void TryParse_rejects_bodies_that_are_not_envelopes(string? body) => Assert.Null(SnsEnvelope.TryParse(body));

    [Fact]
    public void TryParse_accepts_an_envelope_with_leading_whitespace()
    {
        var envelope = SnsEnvelope.TryParse("  \n" + EventJson.Sample("sns-envelope.json"));
        Assert.Equal("5b7c9d1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e", envelope?.MessageId);
    }
}
