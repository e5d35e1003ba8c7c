using System.Text.Json.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>The event S3 event notifications send to Lambda (and put into SQS/SNS messages).</summary>
public sealed class S3Event : LambdaEventObject
{
    /// <summary>The notifications (usually one).</summary>
    [JsonPropertyName("Records")]
    public List<S3EventRecord> Records { get; set; } = [];
}

/// <summary>One S3 event notification record.</summary>
public sealed class S3EventRecord : LambdaEventObject
{
    /// <summary>The notification format version, for example <c>"2.1"</c>.</summary>
    [JsonPropertyName("eventVersion")]
    public string? EventVersion { get; set; }

    /// <summary>Always <c>"aws:s3"</c>.</summary>
    [JsonPropertyName("eventSource")]
    public string? EventSource { get; set; }

    /// <summary>The bucket's region.</summary>
    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; set; }

    /// <summary>When S3 finished processing the request, ISO-8601 text such as <c>"2024-05-01T12:00:00.000Z"</c> (kept as text).</summary>
    [JsonPropertyName("eventTime")]
    public string? EventTime { get; set; }

    /// <summary>The event type without the <c>s3:</c> prefix, for example <c>"ObjectCreated:Put"</c>.</summary>
    [JsonPropertyName("eventName")]
    public string? EventName { get; set; }

    /// <summary>Who caused the event.</summary>
    [JsonPropertyName("userIdentity")]
    public S3UserIdentity? UserIdentity { get; set; }

    /// <summary>Request details.</summary>
    [JsonPropertyName("requestParameters")]
    public S3RequestParameters? RequestParameters { get; set; }

    /// <summary>Response details (request ids).</summary>
    [JsonPropertyName("responseElements")]
    public S3ResponseElements? ResponseElements { get; set; }

    /// <summary>The bucket and object.</summary>
    [JsonPropertyName("s3")]
    public S3Entity? S3 { get; set; }
}

/// <summary>The <c>userIdentity</c> of an S3 record (also the bucket owner identity).</summary>
public sealed class S3UserIdentity : LambdaEventObject
{
    /// <summary>The principal id.</summary>
    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }
}

/// <summary>The <c>requestParameters</c> of an S3 record.</summary>
public sealed class S3RequestParameters : LambdaEventObject
{
    /// <summary>The IP address the request came from.</summary>
    [JsonPropertyName("sourceIPAddress")]
    public string? SourceIPAddress { get; set; }
}

/// <summary>The <c>responseElements</c> of an S3 record.</summary>
public sealed class S3ResponseElements : LambdaEventObject
{
    /// <summary>The S3 request id (JSON name <c>x-amz-request-id</c>).</summary>
    [JsonPropertyName("x-amz-request-id")]
    public string? XAmzRequestId { get; set; }

    /// <summary>The S3 host that processed the request (JSON name <c>x-amz-id-2</c>).</summary>
    [JsonPropertyName("x-amz-id-2")]
    public string? XAmzId2 { get; set; }
}

/// <summary>The <c>s3</c> object of an S3 record.</summary>
public sealed class S3Entity : LambdaEventObject
{
    /// <summary>The schema version, <c>"1.0"</c>.</summary>
    [JsonPropertyName("s3SchemaVersion")]
    public string? S3SchemaVersion { get; set; }

    /// <summary>The id of the bucket notification configuration that matched.</summary>
    [JsonPropertyName("configurationId")]
    public string? ConfigurationId { get; set; }

    /// <summary>The bucket.</summary>
    [JsonPropertyName("bucket")]
    public S3Bucket? Bucket { get; set; }

    /// <summary>The object.</summary>
    [JsonPropertyName("object")]
    public S3Object? Object { get; set; }
}

/// <summary>The bucket of an S3 record.</summary>
public sealed class S3Bucket : LambdaEventObject
{
    /// <summary>The bucket name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The bucket owner.</summary>
    [JsonPropertyName("ownerIdentity")]
    public S3UserIdentity? OwnerIdentity { get; set; }

    /// <summary>The bucket ARN.</summary>
    [JsonPropertyName("arn")]
    public string? Arn { get; set; }
}

/// <summary>The object of an S3 record.</summary>
public sealed class S3Object : LambdaEventObject
{
    /// <summary>The object key, URL-encoded as S3 sends it (a space arrives as <c>+</c>); see <see cref="GetDecodedKey"/>.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    /// <summary>The object size in bytes (absent for delete events).</summary>
    [JsonPropertyName("size")]
    public long? Size { get; set; }

    /// <summary>The object ETag (absent for delete events).</summary>
    [JsonPropertyName("eTag")]
    public string? ETag { get; set; }

    /// <summary>The object version, when the bucket is versioned.</summary>
    [JsonPropertyName("versionId")]
    public string? VersionId { get; set; }

    /// <summary>A hexadecimal string that orders events for the same key.</summary>
    [JsonPropertyName("sequencer")]
    public string? Sequencer { get; set; }

    /// <summary>The object key decoded from the URL form S3 sends (<c>+</c> becomes a space, <c>%XX</c> escapes are decoded).</summary>
    public string? GetDecodedKey() => Key is null ? null : Uri.UnescapeDataString(Key.Replace('+', ' '));
}
