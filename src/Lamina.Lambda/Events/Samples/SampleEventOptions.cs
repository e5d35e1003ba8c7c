namespace Lamina.Lambda.Events.Samples;

/// <summary>
/// What every sample event has: the region, the account, the time and the JSON layout. Every value has a fixed
/// default, so a sample is the same on every run until an option changes it.
/// </summary>
public abstract record SampleEventOptions
{
    /// <summary>The AWS region. Default: <see cref="SampleEvents.DefaultRegion"/>.</summary>
    public string Region { get; init; } = SampleEvents.DefaultRegion;

    /// <summary>The AWS account id (12 digits). Default: <see cref="SampleEvents.DefaultAccount"/>.</summary>
    public string Account { get; init; } = SampleEvents.DefaultAccount;

    /// <summary>When the event happened. Default: <see cref="SampleEvents.DefaultTime"/>.</summary>
    public DateTimeOffset Time { get; init; } = SampleEvents.DefaultTime;

    /// <summary>Write the JSON indented with two spaces (true, the default) or on one line.</summary>
    public bool Indented { get; init; } = true;
}

/// <summary>The options of an API Gateway sample request (HTTP API and REST API).</summary>
public abstract record ApiGatewaySampleOptions : SampleEventOptions
{
    /// <summary>The HTTP method. Default: <c>GET</c>.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The request path, starting with <c>/</c>. Default: <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The query parameters in request order (decoded; a name may repeat). Default: none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    /// <summary>
    /// Request headers in request order (a name may repeat). They are added to, or replace, the headers a client and
    /// API Gateway always send (host, user-agent, x-forwarded-*, ...). Default: none.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The request body as text, or null for a request without a body (the default).</summary>
    public string? Body { get; init; }

    /// <summary>
    /// Send <see cref="Body"/> base64-encoded (its UTF-8 bytes) with <c>isBase64Encoded: true</c>, as API Gateway does
    /// for binary media types. Default: false.
    /// </summary>
    public bool Base64EncodeBody { get; init; }

    /// <summary>The values of the route's path variables, or null (the default) for none.</summary>
    public IReadOnlyDictionary<string, string>? PathParameters { get; init; }

    /// <summary>The stage variables, or null (the default) for none.</summary>
    public IReadOnlyDictionary<string, string>? StageVariables { get; init; }

    /// <summary>The API id (the first label of the execute-api host). Default: <c>a1b2c3d4e5</c>.</summary>
    public string ApiId { get; init; } = "a1b2c3d4e5";

    /// <summary>The IP address of the caller. Default: <c>198.51.100.7</c> (a documentation address).</summary>
    public string SourceIp { get; init; } = "198.51.100.7";

    /// <summary>The request id API Gateway assigns, or null for the fixed sample id.</summary>
    public string? RequestId { get; init; }
}

/// <summary>Options of <see cref="SampleEvents.HttpApi"/>: an HTTP API request, payload format 2.0.</summary>
public sealed record HttpApiSampleOptions : ApiGatewaySampleOptions
{
    /// <summary>The matched route, such as <c>GET /orders/{id}</c>. Default: <c>$default</c> (the catch-all route).</summary>
    public string RouteKey { get; init; } = "$default";

    /// <summary>The stage. Default: <c>$default</c>.</summary>
    public string Stage { get; init; } = "$default";
}

/// <summary>Options of <see cref="SampleEvents.RestApi"/>: a REST API proxy request, payload format 1.0.</summary>
public sealed record RestApiSampleOptions : ApiGatewaySampleOptions
{
    /// <summary>The API resource that matched, such as <c>/orders/{id}</c>, or null to use <see cref="ApiGatewaySampleOptions.Path"/>.</summary>
    public string? Resource { get; init; }

    /// <summary>The stage. Default: <c>Prod</c>.</summary>
    public string Stage { get; init; } = "Prod";
}

/// <summary>Options of <see cref="SampleEvents.Sqs"/>: a batch of SQS messages.</summary>
public sealed record SqsSampleOptions : SampleEventOptions
{
    /// <summary>The default body of a message.</summary>
    public const string DefaultBody = """{"hello":"world"}""";

    /// <summary>The message bodies; with <see cref="Count"/> larger than the list, the bodies repeat in turn. Default: one <see cref="DefaultBody"/>.</summary>
    public IReadOnlyList<string> Bodies { get; init; } = [DefaultBody];

    /// <summary>How many messages the batch holds (1 to 10000), or null for one per body.</summary>
    public int? Count { get; init; }

    /// <summary>
    /// The queue: a name (the ARN is built from <see cref="SampleEventOptions.Region"/> and
    /// <see cref="SampleEventOptions.Account"/>) or a full <c>arn:aws:sqs:...</c> ARN (whose region is then the
    /// message's region). A name ending in <c>.fifo</c> makes a FIFO batch. Default: <c>sample-queue</c>.
    /// </summary>
    public string Queue { get; init; } = "sample-queue";

    /// <summary>String message attributes of every message. Default: none.</summary>
    public IReadOnlyDictionary<string, string>? MessageAttributes { get; init; }

    /// <summary>The message group id; setting it (or a <c>.fifo</c> queue) makes a FIFO batch. Default for a FIFO queue: <c>group-1</c>.</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>How many times each message has been received. Default: 1.</summary>
    public int ReceiveCount { get; init; } = 1;

    /// <summary>The principal that sent the messages. Default: <c>AIDASAMPLESENDER00001</c>.</summary>
    public string SenderId { get; init; } = "AIDASAMPLESENDER00001";

    /// <summary>The message ids by position, or null (the default) for fixed sample ids.</summary>
    public IReadOnlyList<string>? MessageIds { get; init; }
}

/// <summary>Options of <see cref="SampleEvents.Sns"/>: one SNS notification delivered to Lambda.</summary>
public sealed record SnsSampleOptions : SampleEventOptions
{
    /// <summary>The message text. Default: <c>{"hello":"world"}</c>.</summary>
    public string Message { get; init; } = """{"hello":"world"}""";

    /// <summary>The subject, or null (the default) for none (sent as JSON null).</summary>
    public string? Subject { get; init; }

    /// <summary>The topic: a name (the ARN is built from the region and account) or a full <c>arn:aws:sns:...</c> ARN. Default: <c>sample-topic</c>.</summary>
    public string Topic { get; init; } = "sample-topic";

    /// <summary>String message attributes. Default: none.</summary>
    public IReadOnlyDictionary<string, string>? MessageAttributes { get; init; }

    /// <summary>The message id, or null for the fixed sample id.</summary>
    public string? MessageId { get; init; }
}

/// <summary>Options of <see cref="SampleEvents.S3"/>: one S3 event notification.</summary>
public sealed record S3SampleOptions : SampleEventOptions
{
    /// <summary>The bucket name. Default: <c>sample-bucket</c>.</summary>
    public string Bucket { get; init; } = "sample-bucket";

    /// <summary>The object key as stored (the event carries it URL-encoded, see <see cref="SampleEvents.EncodeS3Key"/>). Default: <c>uploads/sample.txt</c>.</summary>
    public string Key { get; init; } = "uploads/sample.txt";

    /// <summary>The object size in bytes (not sent for <c>ObjectRemoved:*</c> events). Default: 1024.</summary>
    public long Size { get; init; } = 1024;

    /// <summary>
    /// The event type, such as <c>ObjectCreated:Put</c>, <c>ObjectCreated:CompleteMultipartUpload</c> or
    /// <c>ObjectRemoved:Delete</c> (an <c>s3:</c> prefix is removed). Default: <c>ObjectCreated:Put</c>.
    /// </summary>
    public string EventName { get; init; } = "ObjectCreated:Put";

    /// <summary>The object version (versioned buckets), or null (the default) for none.</summary>
    public string? VersionId { get; init; }

    /// <summary>The id of the bucket notification configuration. Default: <c>sample-notification</c>.</summary>
    public string ConfigurationId { get; init; } = "sample-notification";
}

/// <summary>Options of <see cref="SampleEvents.Schedule"/>: the EventBridge "Scheduled Event" a schedule rule sends.</summary>
public sealed record ScheduleSampleOptions : SampleEventOptions
{
    /// <summary>The rule: a name (the ARN is built from the region and account) or a full <c>arn:aws:events:...</c> ARN. Default: <c>sample-schedule</c>.</summary>
    public string Rule { get; init; } = "sample-schedule";

    /// <summary>The event id, or null for the fixed sample id.</summary>
    public string? EventId { get; init; }
}
