using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class S3EventTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Sample_deserializes_field_by_field()
    {
        var e = EventJson.Read(EventJson.Sample("s3.json"), Json.S3Event);
        Assert.Equal(2, e.Records.Count);

        var put = e.Records[0];
        Assert.Equal("2.1", put.EventVersion);
        Assert.Equal("aws:s3", put.EventSource);
        Assert.Equal("us-east-1", put.AwsRegion);
        Assert.Equal("2025-07-14T10:11:12.345Z", put.EventTime);
        Assert.Equal("ObjectCreated:Put", put.EventName);
        Assert.Equal("AWS:AIDAEXAMPLEUPLOADER", put.UserIdentity!.PrincipalId);
        Assert.Equal("198.51.100.200", put.RequestParameters!.SourceIPAddress);
        Assert.Equal("8C2F4A7E1B3D5F60", put.ResponseElements!.XAmzRequestId);
        Assert.StartsWith("exampleHostId/abc", put.ResponseElements.XAmzId2);
        Assert.Equal("1.0", put.S3!.S3SchemaVersion);
        Assert.Equal("thumbnail-on-upload", put.S3.ConfigurationId);
        Assert.Equal("photo-uploads-example", put.S3.Bucket!.Name);
        Assert.Equal("A3EXAMPLEOWNER", put.S3.Bucket.OwnerIdentity!.PrincipalId);
        Assert.Equal("arn:aws:s3:::photo-uploads-example", put.S3.Bucket.Arn);
        Assert.Equal("albums/summer+2025/my+cat%281%29.jpg", put.S3.Object!.Key);
        Assert.Equal("albums/summer 2025/my cat(1).jpg", put.S3.Object.GetDecodedKey());
        Assert.Equal(2097152L, put.S3.Object.Size);
        Assert.Equal("9b2cf535f27731c974343645a3985328", put.S3.Object.ETag);
        Assert.Equal("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", put.S3.Object.VersionId);
        Assert.Equal("0066F3A1B2C3D4E5F6", put.S3.Object.Sequencer);

        var delete = e.Records[1];
        Assert.Equal("ObjectRemoved:Delete", delete.EventName);
        Assert.Equal("tmp/old.txt", delete.S3!.Object!.Key);
        Assert.Null(delete.S3.Object.Size);
        Assert.Null(delete.S3.Object.ETag);
        Assert.Null(delete.S3.Object.VersionId);

        EventJson.AssertAllFieldsModelled(e);
    }

    [Fact]
    public void Sample_round_trips_without_adding_absent_fields()
    {
        var e = EventJson.AssertRoundTrips(EventJson.Sample("s3.json"), Json.S3Event);
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(e, Json.S3Event));
        var deleted = doc.RootElement.GetProperty("Records")[1].GetProperty("s3").GetProperty("object");
        Assert.False(deleted.TryGetProperty("size", out _));
        var put = doc.RootElement.GetProperty("Records")[0];
        Assert.Equal("albums/summer+2025/my+cat%281%29.jpg", put.GetProperty("s3").GetProperty("object").GetProperty("key").GetString());
        Assert.Equal("8C2F4A7E1B3D5F60", put.GetProperty("responseElements").GetProperty("x-amz-request-id").GetString());
    }

    [Fact]
    public void Size_written_as_a_string_is_accepted()
    {
        var e = EventJson.Read("""{"Records":[{"s3":{"object":{"key":"k","size":"17"}}}]}""", Json.S3Event);
        Assert.Equal(17L, e.Records[0].S3!.Object!.Size);
    }
}
