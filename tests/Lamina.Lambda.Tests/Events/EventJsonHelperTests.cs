using Lamina.Lambda.Serialization;
using Xunit.Sdk;

namespace Lamina.Lambda.Tests.Events;

/// <summary>Shows the comparison helpers can fail, so the sample tests are not vacuous.</summary>
public sealed class EventJsonHelperTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Unmodelled_field_is_detected_deep_in_the_graph()
    {
        var e = EventJson.Read("""{"Records":[{"s3":{"object":{"key":"k","Size":1}}}]}""", Json.S3Event);
        var failure = Assert.ThrowsAny<XunitException>(() => EventJson.AssertAllFieldsModelled(e));
        Assert.Contains("$.Records[0].S3.Object has unmodelled fields: Size", failure.Message);
    }

    [Fact]
    public void Round_trip_detects_a_changed_shape()
    {
        // The seed note's sample has no requestTimeEpoch; the non-nullable property writes 0 back.
        Assert.ThrowsAny<XunitException>(() => EventJson.AssertRoundTrips(EventJson.Sample("rest-api-seed-note.json"), Json.RestApiRequest));
        // A number in a string dictionary comes back as a string.
        Assert.ThrowsAny<XunitException>(() => EventJson.AssertRoundTrips("""{"pathParameters":{"id":7},"isBase64Encoded":false,"requestContext":{"requestTimeEpoch":1}}""", Json.RestApiRequest));
    }

    [Fact]
    public void Round_trip_ignores_explicit_nulls_and_property_order()
    {
        EventJson.AssertRoundTrips("""{"isBase64Encoded":false,"body":null,"requestContext":{"stage":"s","requestTimeEpoch":1,"apiId":null},"path":"/"}""", Json.RestApiRequest);
    }
}
