using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class SqsEventTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Sample_deserializes_field_by_field()
    {
        var e = EventJson.Read(EventJson.Sample("sqs.json"), Json.SqsEvent);
        Assert.Equal(2, e.Records.Count);

        var standard = e.Records[0];
        Assert.Equal("d1b2c3a4-1111-4e5f-9a8b-7c6d5e4f3a2b", standard.MessageId);
        Assert.Equal("AQEBexampleReceiptHandleOne+Abc/Def==", standard.ReceiptHandle);
        Assert.Equal("{\"invoiceId\":\"inv-77\",\"amount\":120}", standard.Body);
        Assert.Equal("1", standard.Attributes!.ApproximateReceiveCount);
        Assert.Equal("1745314200123", standard.Attributes.SentTimestamp);
        Assert.Equal("AIDAEXAMPLESENDER0001", standard.Attributes.SenderId);
        Assert.Equal("1745314200150", standard.Attributes.ApproximateFirstReceiveTimestamp);
        Assert.StartsWith("Root=1-68076a98-", standard.Attributes.AwsTraceHeader);
        Assert.Null(standard.Attributes.SequenceNumber);
        Assert.Null(standard.Attributes.MessageGroupId);
        Assert.Null(standard.Attributes.MessageDeduplicationId);
        Assert.Equal(3, standard.MessageAttributes!.Count);
        Assert.Equal("acme", standard.MessageAttributes["tenant"].StringValue);
        Assert.Equal("String", standard.MessageAttributes["tenant"].DataType);
        Assert.Empty(standard.MessageAttributes["tenant"].StringListValues!);
        Assert.Equal("2", standard.MessageAttributes["retries"].StringValue);
        Assert.Equal("Number.int", standard.MessageAttributes["retries"].DataType);
        Assert.Equal("3q2+7w==", standard.MessageAttributes["checksum"].BinaryValue);
        Assert.Null(standard.MessageAttributes["checksum"].StringValue);
        Assert.Equal(32, standard.Md5OfBody!.Length);
        Assert.Equal("4c6d1a0b9e8f7a6b5c4d3e2f1a0b9c8d", standard.Md5OfMessageAttributes);
        Assert.Equal("aws:sqs", standard.EventSource);
        Assert.Equal("arn:aws:sqs:eu-central-1:456789012345:invoices", standard.EventSourceArn);
        Assert.Equal("eu-central-1", standard.AwsRegion);
        Assert.Null(standard.TryGetSnsEnvelope());

        var fifo = e.Records[1];
        Assert.Equal("3", fifo.Attributes!.ApproximateReceiveCount);
        Assert.Equal("18893546871239182336", fifo.Attributes.SequenceNumber);
        Assert.Equal("customer-12", fifo.Attributes.MessageGroupId);
        Assert.Equal("ord-9001-placed", fifo.Attributes.MessageDeduplicationId);
        Assert.Empty(fifo.MessageAttributes!);
        Assert.Null(fifo.Md5OfMessageAttributes);
        Assert.Equal("arn:aws:sqs:eu-central-1:456789012345:orders.fifo", fifo.EventSourceArn);

        EventJson.AssertAllFieldsModelled(e);
    }

    [Fact]
    public void Sample_round_trips() => EventJson.AssertRoundTrips(EventJson.Sample("sqs.json"), Json.SqsEvent);

    [Fact]
    public void Sns_envelope_in_the_body_is_recognised()
    {
        var e = EventJson.Read(EventJson.Sample("sqs.json"), Json.SqsEvent);
        var envelope = e.Records[1].TryGetSnsEnvelope();

        Assert.NotNull(envelope);
        Assert.Equal("Notification", envelope.Type);
        Assert.Equal("arn:aws:sns:eu-central-1:456789012345:order-events", envelope.TopicArn);
        Assert.Equal("{\"orderId\":\"ord-9001\",\"total\":59.9}", envelope.Message);
        Assert.Equal("3", envelope.MessageAttributes!["priority"].Value);
    }

    [Fact]
    public void Batch_response_serializes_exactly()
    {
        var response = SqsBatchResponse.FromFailedMessageIds(["id"]);
        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"id"}]}""",
            JsonSerializer.Serialize(response, Json.SqsBatchResponse));
    }

    [Fact]
    public void Batch_response_keeps_the_order_of_failed_ids()
    {
        var response = SqsBatchResponse.FromFailedMessageIds("b", "a", "c");
        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"b"},{"itemIdentifier":"a"},{"itemIdentifier":"c"}]}""",
            JsonSerializer.Serialize(response, Json.SqsBatchResponse));
    }

    [Fact]
    public void Successful_batch_response_has_an_empty_failure_list()
    {
        Assert.Equal("""{"batchItemFailures":[]}""", JsonSerializer.Serialize(SqsBatchResponse.Success(), Json.SqsBatchResponse));
        Assert.Equal("""{"batchItemFailures":[]}""",
            JsonSerializer.Serialize(SqsBatchResponse.FromFailedMessageIds(new List<string>()), Json.SqsBatchResponse));
    }

    [Fact]
    public void Batch_response_reads_back()
    {
        var response = EventJson.Read("""{"batchItemFailures":[{"itemIdentifier":"x1"},{"itemIdentifier":"x2"}]}""", Json.SqsBatchResponse);
        Assert.Equal(["x1", "x2"], response.BatchItemFailures.Select(f => f.ItemIdentifier));
    }
}
