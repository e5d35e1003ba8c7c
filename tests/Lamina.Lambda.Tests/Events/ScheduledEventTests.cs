using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class ScheduledEventTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Sample_deserializes_field_by_field()
    {
        var e = EventJson.Read(EventJson.Sample("scheduled.json"), Json.ScheduledEvent);

        Assert.Equal("0", e.Version);
        Assert.Equal("3f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9", e.Id);
        Assert.Equal("Scheduled Event", e.DetailType);
        Assert.Equal("aws.events", e.Source);
        Assert.Equal("678901234567", e.Account);
        Assert.Equal("2025-08-01T00:00:00Z", e.Time);
        Assert.Equal("ca-central-1", e.Region);
        Assert.Equal(["arn:aws:events:ca-central-1:678901234567:rule/nightly-report"], e.Resources!);
        Assert.Equal(JsonValueKind.Object, e.Detail!.Value.ValueKind);
        Assert.Empty(e.Detail.Value.EnumerateObject());
        EventJson.AssertAllFieldsModelled(e);
    }

    [Fact]
    public void Sample_round_trips_with_detail_type_name()
    {
        var e = EventJson.AssertRoundTrips(EventJson.Sample("scheduled.json"), Json.ScheduledEvent);
        var written = JsonSerializer.Serialize(e, Json.ScheduledEvent);
        Assert.Contains("\"detail-type\":\"Scheduled Event\"", written);
        Assert.Contains("\"detail\":{}", written);
    }

    [Fact]
    public void Custom_detail_is_kept_as_raw_json()
    {
        var json = """
            {"version":"0","id":"x","detail-type":"Report Requested","source":"com.example.reports","account":"1","time":"2025-01-01T00:00:00Z",
             "region":"eu-west-1","resources":[],"detail":{"reportId":"r-1","pages":[1,2,3],"urgent":false}}
            """;
        var e = EventJson.AssertRoundTrips(json, Json.ScheduledEvent);
        Assert.Equal("r-1", e.Detail!.Value.GetProperty("reportId").GetString());
        Assert.Equal(3, e.Detail.Value.GetProperty("pages").GetArrayLength());
        Assert.Empty(e.Resources!);
    }
}
