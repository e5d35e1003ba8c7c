using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lamina.Lambda.Events.Samples;

/// <summary>
/// Sample AWS events for tests and local runs: the JSON text Lambda receives from each event source, with the fields
/// AWS sends (key names and value formats as AWS writes them). Every value is fixed by default (ids, times, addresses),
/// so a sample is the same on every run; the options records change what matters. The JSON is written with a
/// <see cref="Utf8JsonWriter"/> (no reflection) and reads back with <see cref="Serialization.LambdaEventsJsonContext"/>.
/// </summary>
/// <example>
/// <code>
/// var json = SampleEvents.Sqs(new SqsSampleOptions { Bodies = ["a", "b"], Queue = "orders.fifo" });
/// var evt = JsonSerializer.Deserialize(json, LambdaEventsJsonContext.Default.SqsEvent);
/// </code>
/// </example>
public static class SampleEvents
{
    /// <summary>The time of every sample unless an option sets another: 2025-01-01T12:00:00Z.</summary>
    public static DateTimeOffset DefaultTime { get; } = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The region of every sample unless an option sets another.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The account id of every sample unless an option sets another.</summary>
    public const string DefaultAccount = "123456789012";

    /// <summary>The largest batch an SQS event source mapping delivers (standard queues).</summary>
    public const int MaxSqsBatch = 10000;

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>An HTTP API request (payload format 2.0), as API Gateway sends it to a Lambda integration.</summary>
    /// <remarks>
    /// Header names are lower-cased and repeated headers joined with commas; <c>Cookie</c> headers go to
    /// <c>cookies</c> (one entry per cookie) and not to <c>headers</c>; repeated query parameters are joined with
    /// commas in <c>queryStringParameters</c> and kept in order in <c>rawQueryString</c>.
    /// </remarks>
    public static string HttpApi(HttpApiSampleOptions? options = null)
    {
        var o = options ?? new HttpApiSampleOptions();
        ValidateApi(o);
        var time = o.Time.ToUniversalTime();
        var host = $"{o.ApiId}.execute-api.{o.Region}.amazonaws.com";
        var (body, bodyLength) = ApiBody(o);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("accept", "*/*"),
            new("host", host),
            new("user-agent", "lamina-sample/1.0"),
            new("x-amzn-trace-id", TraceId(time)),
            new("x-forwarded-for", o.SourceIp),
            new("x-forwarded-port", "443"),
            new("x-forwarded-proto", "https"),
        };
        if (body is not null)
        {
            headers.Add(new("content-length", bodyLength.ToString(CultureInfo.InvariantCulture)));
            headers.Add(new("content-type", DefaultContentType(o)));
        }
        var cookies = new List<string>();
        var given = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in o.Headers)
        {
            if (name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                cookies.AddRange(value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
            else
            {
                given.Add(new(name.ToLowerInvariant(), value));
            }
        }
        var merged = MergeHeaders(headers, given, lowerCase: true);
        var userAgent = merged.FirstOrDefault(h => h.Key == "user-agent").Value?.Last() ?? "";

        return Write(o, w =>
        {
            w.WriteString("version", "2.0");
            w.WriteString("routeKey", o.RouteKey);
            w.WriteString("rawPath", o.Path);
            w.WriteString("rawQueryString", RawQuery(o.Query));
            if (cookies.Count > 0)
            {
                w.WriteStartArray("cookies");
                cookies.ForEach(w.WriteStringValue);
                w.WriteEndArray();
            }
            w.WriteStartObject("headers");
            foreach (var (name, values) in merged)
            {
                w.WriteString(name, string.Join(',', values));
            }
            w.WriteEndObject();
            if (o.Query.Count > 0)
            {
                w.WriteStartObject("queryStringParameters");
                foreach (var (name, values) in Group(o.Query, StringComparer.Ordinal))
                {
                    w.WriteString(name, string.Join(',', values));
                }
                w.WriteEndObject();
            }
            WriteMapIfAny(w, "pathParameters", o.PathParameters);
            WriteMapIfAny(w, "stageVariables", o.StageVariables);
            w.WriteStartObject("requestContext");
            w.WriteString("accountId", o.Account);
            w.WriteString("apiId", o.ApiId);
            w.WriteString("domainName", host);
            w.WriteString("domainPrefix", o.ApiId);
            w.WriteStartObject("http");
            w.WriteString("method", o.Method);
            w.WriteString("path", o.Path);
            w.WriteString("protocol", "HTTP/1.1");
            w.WriteString("sourceIp", o.SourceIp);
            w.WriteString("userAgent", userAgent);
            w.WriteEndObject();
            w.WriteString("requestId", o.RequestId ?? "SaMpLeReQuEsTiD=");
            w.WriteString("routeKey", o.RouteKey);
            w.WriteString("stage", o.Stage);
            w.WriteString("time", ClfTime(time));
            w.WriteNumber("timeEpoch", time.ToUnixTimeMilliseconds());
            w.WriteEndObject();
            if (body is not null)
            {
                w.WriteString("body", body);
            }
            w.WriteBoolean("isBase64Encoded", o.Base64EncodeBody && body is not null);
        });
    }

    /// <summary>A REST API proxy request (payload format 1.0), as API Gateway sends it to a Lambda proxy integration.</summary>
    /// <remarks>
    /// Header names keep their case; <c>headers</c> and <c>queryStringParameters</c> hold the last value of a repeated
    /// name and the <c>multiValue*</c> fields hold all of them. Absent dictionaries and an absent body are JSON null,
    /// as AWS sends them.
    /// </remarks>
    public static string RestApi(RestApiSampleOptions? options = null)
    {
        var o = options ?? new RestApiSampleOptions();
        ValidateApi(o);
        var time = o.Time.ToUniversalTime();
        var host = $"{o.ApiId}.execute-api.{o.Region}.amazonaws.com";
        var (body, bodyLength) = ApiBody(o);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Accept", "*/*"),
            new("Host", host),
            new("User-Agent", "lamina-sample/1.0"),
            new("X-Amzn-Trace-Id", TraceId(time)),
            new("X-Forwarded-For", o.SourceIp),
            new("X-Forwarded-Port", "443"),
            new("X-Forwarded-Proto", "https"),
        };
        if (body is not null)
        {
            headers.Add(new("Content-Length", bodyLength.ToString(CultureInfo.InvariantCulture)));
            headers.Add(new("Content-Type", DefaultContentType(o)));
        }
        var merged = MergeHeaders(headers, o.Headers, lowerCase: false);
        var userAgent = merged.FirstOrDefault(h => h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Value?.Last();
        var resource = o.Resource ?? o.Path;
        var requestId = o.RequestId ?? Uuid("rest-api-request", 0);

        return Write(o, w =>
        {
            w.WriteString("resource", resource);
            w.WriteString("path", o.Path);
            w.WriteString("httpMethod", o.Method);
            w.WriteStartObject("headers");
            foreach (var (name, values) in merged)
            {
                w.WriteString(name, values[^1]);
            }
            w.WriteEndObject();
            w.WriteStartObject("multiValueHeaders");
            foreach (var (name, values) in merged)
            {
                WriteArray(w, name, values);
            }
            w.WriteEndObject();
            if (o.Query.Count > 0)
            {
                var query = Group(o.Query, StringComparer.Ordinal);
                w.WriteStartObject("queryStringParameters");
                foreach (var (name, values) in query)
                {
                    w.WriteString(name, values[^1]);
                }
                w.WriteEndObject();
                w.WriteStartObject("multiValueQueryStringParameters");
                foreach (var (name, values) in query)
                {
                    WriteArray(w, name, values);
                }
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("queryStringParameters");
                w.WriteNull("multiValueQueryStringParameters");
            }
            WriteMapOrNull(w, "pathParameters", o.PathParameters);
            WriteMapOrNull(w, "stageVariables", o.StageVariables);
            w.WriteStartObject("requestContext");
            w.WriteString("accountId", o.Account);
            w.WriteString("apiId", o.ApiId);
            w.WriteString("domainName", host);
            w.WriteString("domainPrefix", o.ApiId);
            w.WriteString("extendedRequestId", "SaMpLeExTeNdEdId=");
            w.WriteString("httpMethod", o.Method);
            w.WriteStartObject("identity");
            foreach (var name in (string[])["accessKey", "accountId", "apiKey", "apiKeyId", "caller", "clientCert", "cognitoAuthenticationProvider",
                "cognitoAuthenticationType", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"])
            {
                w.WriteNull(name);
            }
            w.WriteString("sourceIp", o.SourceIp);
            w.WriteNull("user");
            if (userAgent is null)
            {
                w.WriteNull("userAgent");
            }
            else
            {
                w.WriteString("userAgent", userAgent);
            }
            w.WriteNull("userArn");
            w.WriteEndObject();
            w.WriteString("path", $"/{o.Stage}{o.Path}");
            w.WriteString("protocol", "HTTP/1.1");
            w.WriteString("requestId", requestId);
            w.WriteString("requestTime", ClfTime(time));
            w.WriteNumber("requestTimeEpoch", time.ToUnixTimeMilliseconds());
            w.WriteString("resourceId", "s4mp1e");
            w.WriteString("resourcePath", resource);
            w.WriteString("stage", o.Stage);
            w.WriteEndObject();
            if (body is null)
            {
                w.WriteNull("body");
            }
            else
            {
                w.WriteString("body", body);
            }
            w.WriteBoolean("isBase64Encoded", o.Base64EncodeBody && body is not null);
        });
    }

    /// <summary>A batch of SQS messages, as an SQS event source mapping sends it.</summary>
    /// <remarks>
    /// <c>md5OfBody</c> and <c>md5OfMessageAttributes</c> are the real digests SQS computes. A FIFO batch (a
    /// <c>.fifo</c> queue or a <see cref="SqsSampleOptions.MessageGroupId"/>) carries <c>SequenceNumber</c>,
    /// <c>MessageGroupId</c> and a <c>MessageDeduplicationId</c> that is the SHA-256 of the body, as content-based
    /// deduplication makes it.
    /// </remarks>
    /// <exception cref="ArgumentException">No bodies, a count outside 1..10000, or a malformed queue ARN.</exception>
    public static string Sqs(SqsSampleOptions? options = null)
    {
        var o = options ?? new SqsSampleOptions();
        if (o.Bodies.Count == 0)
        {
            throw new ArgumentException("an SQS sample needs at least one message body", nameof(options));
        }
        var count = o.Count ?? o.Bodies.Count;
        if (count is < 1 or > MaxSqsBatch)
        {
            throw new ArgumentException($"an SQS batch holds 1 to {MaxSqsBatch} messages, not {count}", nameof(options));
        }
        var (arn, region, _, name) = ResolveArn(o.Queue, "sqs", o.Region, o.Account, resourcePrefix: "");
        var fifo = name.EndsWith(".fifo", StringComparison.Ordinal) || o.MessageGroupId is not null;
        var sent = o.Time.ToUnixTimeMilliseconds();
        var attributes = o.MessageAttributes is { Count: > 0 } a ? a.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() : [];
        var attributesMd5 = attributes.Count > 0 ? Md5Hex(SqsAttributeDigestInput(attributes)) : null;

        return Write(o, w =>
        {
            w.WriteStartArray("Records");
            for (var i = 0; i < count; i++)
            {
                var body = o.Bodies[i % o.Bodies.Count];
                w.WriteStartObject();
                w.WriteString("messageId", o.MessageIds is { } ids && i < ids.Count ? ids[i] : Uuid("sqs-message", i));
                w.WriteString("receiptHandle", "AQEB" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes($"sqs-receipt-{i}"))));
                w.WriteString("body", body);
                w.WriteStartObject("attributes");
                w.WriteString("ApproximateReceiveCount", o.ReceiveCount.ToString(CultureInfo.InvariantCulture));
                w.WriteString("SentTimestamp", (sent + i).ToString(CultureInfo.InvariantCulture));
                if (fifo)
                {
                    w.WriteString("SequenceNumber", "1880000000000000" + (i + 1).ToString("D4", CultureInfo.InvariantCulture));
                    w.WriteString("MessageGroupId", o.MessageGroupId ?? "group-1");
                }
                w.WriteString("SenderId", o.SenderId);
                if (fifo)
                {
                    w.WriteString("MessageDeduplicationId", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
                }
                w.WriteString("ApproximateFirstReceiveTimestamp", (sent + i + 10).ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
                w.WriteStartObject("messageAttributes");
                foreach (var (key, value) in attributes)
                {
                    w.WriteStartObject(key);
                    w.WriteString("stringValue", value);
                    w.WriteStartArray("stringListValues");
                    w.WriteEndArray();
                    w.WriteStartArray("binaryListValues");
                    w.WriteEndArray();
                    w.WriteString("dataType", "String");
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteString("md5OfBody", Md5Hex(Encoding.UTF8.GetBytes(body)));
                if (attributesMd5 is not null)
                {
                    w.WriteString("md5OfMessageAttributes", attributesMd5);
                }
                w.WriteString("eventSource", "aws:sqs");
                w.WriteString("eventSourceARN", arn);
                w.WriteString("awsRegion", region);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>One SNS notification, as SNS delivers it to a subscribed Lambda function.</summary>
    /// <exception cref="ArgumentException">A malformed topic ARN.</exception>
    public static string Sns(SnsSampleOptions? options = null)
    {
        var o = options ?? new SnsSampleOptions();
        var (topicArn, region, _, _) = ResolveArn(o.Topic, "sns", o.Region, o.Account, resourcePrefix: "");
        var subscriptionArn = $"{topicArn}:{Uuid("sns-subscription", 0)}";
        var certHash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("sns-signing-cert")));
        return Write(o, w =>
        {
            w.WriteStartArray("Records");
            w.WriteStartObject();
            w.WriteString("EventSource", "aws:sns");
            w.WriteString("EventVersion", "1.0");
            w.WriteString("EventSubscriptionArn", subscriptionArn);
            w.WriteStartObject("Sns");
            w.WriteString("Type", "Notification");
            w.WriteString("MessageId", o.MessageId ?? Uuid("sns-message", 0));
            w.WriteString("TopicArn", topicArn);
            if (o.Subject is null)
            {
                w.WriteNull("Subject");
            }
            else
            {
                w.WriteString("Subject", o.Subject);
            }
            w.WriteString("Message", o.Message);
            w.WriteString("Timestamp", IsoTime(o.Time, milliseconds: true));
            w.WriteString("SignatureVersion", "1");
            w.WriteString("Signature", Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("not a real signature"))));
            w.WriteString("SigningCertUrl", $"https://sns.{region}.amazonaws.com/SimpleNotificationService-{certHash}.pem");
            w.WriteString("UnsubscribeUrl", $"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscriptionArn}");
            w.WriteStartObject("MessageAttributes");
            foreach (var (key, value) in (o.MessageAttributes ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(key);
                w.WriteString("Type", "String");
                w.WriteString("Value", value);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    /// <summary>One S3 event notification record (event structure version 2.1), as S3 sends it to Lambda.</summary>
    /// <remarks>
    /// The key is URL-encoded as S3 encodes it (<see cref="EncodeS3Key"/>). <c>ObjectRemoved:*</c> events carry no
    /// <c>size</c> and <c>eTag</c>.
    /// </remarks>
    /// <exception cref="ArgumentException">An empty bucket, key or event name, or a negative size.</exception>
    public static string S3(S3SampleOptions? options = null)
    {
        var o = options ?? new S3SampleOptions();
        if (string.IsNullOrEmpty(o.Bucket) || string.IsNullOrEmpty(o.Key))
        {
            throw new ArgumentException("an S3 sample needs a bucket and a key", nameof(options));
        }
        if (o.Size < 0)
        {
            throw new ArgumentException($"an object size cannot be negative ({o.Size})", nameof(options));
        }
        var eventName = o.EventName.StartsWith("s3:", StringComparison.Ordinal) ? o.EventName[3..] : o.EventName;
        if (eventName.Length == 0 || !eventName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"an S3 event name looks like ObjectCreated:Put or ObjectRemoved:Delete, not '{o.EventName}'", nameof(options));
        }
        var removed = eventName.StartsWith("ObjectRemoved:", StringComparison.Ordinal);
        return Write(o, w =>
        {
            w.WriteStartArray("Records");
            w.WriteStartObject();
            w.WriteString("eventVersion", "2.1");
            w.WriteString("eventSource", "aws:s3");
            w.WriteString("awsRegion", o.Region);
            w.WriteString("eventTime", IsoTime(o.Time, milliseconds: true));
            w.WriteString("eventName", eventName);
            w.WriteStartObject("userIdentity");
            w.WriteString("principalId", "AWS:AIDASAMPLEUSER000001");
            w.WriteEndObject();
            w.WriteStartObject("requestParameters");
            w.WriteString("sourceIPAddress", "198.51.100.7");
            w.WriteEndObject();
            w.WriteStartObject("responseElements");
            w.WriteString("x-amz-request-id", "5A3B1C2D4E5F6A7B");
            w.WriteString("x-amz-id-2", Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("s3-host-id"))));
            w.WriteEndObject();
            w.WriteStartObject("s3");
            w.WriteString("s3SchemaVersion", "1.0");
            w.WriteString("configurationId", o.ConfigurationId);
            w.WriteStartObject("bucket");
            w.WriteString("name", o.Bucket);
            w.WriteStartObject("ownerIdentity");
            w.WriteString("principalId", "A1SAMPLEOWNER0");
            w.WriteEndObject();
            w.WriteString("arn", $"arn:aws:s3:::{o.Bucket}");
            w.WriteEndObject();
            w.WriteStartObject("object");
            w.WriteString("key", EncodeS3Key(o.Key));
            if (!removed)
            {
                w.WriteNumber("size", o.Size);
                w.WriteString("eTag", Md5Hex(Encoding.UTF8.GetBytes($"{o.Key}:{o.Size}")));
            }
            if (o.VersionId is not null)
            {
                w.WriteString("versionId", o.VersionId);
            }
            w.WriteString("sequencer", "0067753C00A1B2C3D4");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    /// <summary>The EventBridge "Scheduled Event" a schedule rule sends (source <c>aws.events</c>, empty detail).</summary>
    /// <exception cref="ArgumentException">A malformed rule ARN.</exception>
    public static string Schedule(ScheduleSampleOptions? options = null)
    {
        var o = options ?? new ScheduleSampleOptions();
        var (ruleArn, region, account, _) = ResolveArn(o.Rule, "events", o.Region, o.Account, resourcePrefix: "rule/");
        return Write(o, w =>
        {
            w.WriteString("version", "0");
            w.WriteString("id", o.EventId ?? Uuid("schedule-event", 0));
            w.WriteString("detail-type", "Scheduled Event");
            w.WriteString("source", "aws.events");
            w.WriteString("account", account);
            w.WriteString("time", IsoTime(o.Time, milliseconds: false));
            w.WriteString("region", region);
            w.WriteStartArray("resources");
            w.WriteStringValue(ruleArn);
            w.WriteEndArray();
            w.WriteStartObject("detail");
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// URL-encodes an object key the way S3 writes it in event notifications: letters, digits, <c>- _ . * /</c> stay
    /// as they are, a space becomes <c>+</c>, and every other character becomes <c>%XX</c> escapes of its UTF-8 bytes
    /// (<c>photos/my cat (1).jpg</c> becomes <c>photos/my+cat+%281%29.jpg</c>).
    /// </summary>
    public static string EncodeS3Key(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sb = new StringBuilder(key.Length);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '/')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static string Write(SampleEventOptions options, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = options.Indented, Encoder = Encoder, NewLine = "\n" }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void ValidateApi(ApiGatewaySampleOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Method))
        {
            throw new ArgumentException("an API request needs a method", "options");
        }
        if (!o.Path.StartsWith('/'))
        {
            throw new ArgumentException($"a request path starts with '/', not '{o.Path}'", "options");
        }
    }

    private static (string? Body, int Length) ApiBody(ApiGatewaySampleOptions o)
    {
        if (o.Body is null)
        {
            return (null, 0);
        }
        var bytes = Encoding.UTF8.GetBytes(o.Body);
        return (o.Base64EncodeBody ? Convert.ToBase64String(bytes) : o.Body, bytes.Length);
    }

    private static string DefaultContentType(ApiGatewaySampleOptions o)
    {
        if (o.Base64EncodeBody)
        {
            return "application/octet-stream";
        }
        var trimmed = o.Body!.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? "application/json" : "text/plain; charset=utf-8";
    }

    /// <summary>The default headers with the given ones merged in: a given name replaces a default one; repeated given names keep every value.</summary>
    private static List<KeyValuePair<string, List<string>>> MergeHeaders(
        IReadOnlyList<KeyValuePair<string, string>> defaults, IReadOnlyList<KeyValuePair<string, string>> given, bool lowerCase)
    {
        var result = new List<KeyValuePair<string, List<string>>>();
        foreach (var (name, value) in defaults)
        {
            if (!given.Any(g => g.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                result.Add(new(name, [value]));
            }
        }
        foreach (var (rawName, value) in given)
        {
            if (string.IsNullOrWhiteSpace(rawName))
            {
                throw new ArgumentException("a header needs a name");
            }
            var name = lowerCase ? rawName.ToLowerInvariant() : rawName;
            var existing = result.FindIndex(r => r.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (existing >= 0)
            {
                result[existing].Value.Add(value);
            }
            else
            {
                result.Add(new(name, [value]));
            }
        }
        return result;
    }

    private static List<KeyValuePair<string, List<string>>> Group(IReadOnlyList<KeyValuePair<string, string>> pairs, StringComparer comparer)
    {
        var result = new List<KeyValuePair<string, List<string>>>();
        foreach (var (name, value) in pairs)
        {
            var existing = result.FindIndex(r => comparer.Equals(r.Key, name));
            if (existing >= 0)
            {
                result[existing].Value.Add(value);
            }
            else
            {
                result.Add(new(name, [value]));
            }
        }
        return result;
    }

    private static string RawQuery(IReadOnlyList<KeyValuePair<string, string>> query) =>
        string.Join('&', query.Select(p => p.Value.Length == 0 && p.Key.Length > 0
            ? Uri.EscapeDataString(p.Key)
            : $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private static void WriteArray(Utf8JsonWriter w, string name, List<string> values)
    {
        w.WriteStartArray(name);
        values.ForEach(w.WriteStringValue);
        w.WriteEndArray();
    }

    private static void WriteMapIfAny(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is { Count: > 0 })
        {
            w.WriteStartObject(name);
            foreach (var (key, value) in map)
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
    }

    private static void WriteMapOrNull(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is { Count: > 0 })
        {
            WriteMapIfAny(w, name, map);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>A name or an ARN of <paramref name="service"/>: the ARN, its region, its account and the resource name.</summary>
    private static (string Arn, string Region, string Account, string Name) ResolveArn(string nameOrArn, string service, string region, string account, string resourcePrefix)
    {
        if (string.IsNullOrWhiteSpace(nameOrArn))
        {
            throw new ArgumentException($"an empty {service} name");
        }
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return ($"arn:aws:{service}:{region}:{account}:{resourcePrefix}{nameOrArn}", region, account, nameOrArn);
        }
        // arn:partition:service:region:account:resource
        var parts = nameOrArn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != service || parts[3].Length == 0 || parts[4].Length == 0 || parts[5].Length == 0)
        {
            throw new ArgumentException($"'{nameOrArn}' is not an {service} ARN (arn:aws:{service}:REGION:ACCOUNT:{resourcePrefix}NAME)");
        }
        var resource = parts[5];
        return (nameOrArn, parts[3], parts[4], resource.StartsWith(resourcePrefix, StringComparison.Ordinal) ? resource[resourcePrefix.Length..] : resource);
    }

    /// <summary>The bytes SQS digests for <c>md5OfMessageAttributes</c>: per attribute, sorted by name, the length-prefixed name, data type, a transport byte (1 = string) and the value.</summary>
    private static byte[] SqsAttributeDigestInput(IEnumerable<KeyValuePair<string, string>> sortedStringAttributes)
    {
        using var stream = new MemoryStream();
        var length = new byte[4];
        void Prefixed(byte[] bytes)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            stream.Write(length);
            stream.Write(bytes);
        }
        foreach (var (name, value) in sortedStringAttributes)
        {
            Prefixed(Encoding.UTF8.GetBytes(name));
            Prefixed("String"u8.ToArray());
            stream.WriteByte(1);
            Prefixed(Encoding.UTF8.GetBytes(value));
        }
        return stream.ToArray();
    }

    private static string Md5Hex(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>A fixed, UUID-shaped (version 4) id for <paramref name="scope"/> and <paramref name="index"/>.</summary>
    private static string Uuid(string scope, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"lamina-sample:{scope}:{index}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(hash, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    private static string TraceId(DateTimeOffset time) =>
        $"Root=1-{time.ToUnixTimeSeconds():x8}-{Convert.ToHexStringLower(SHA256.HashData("lamina-sample-trace"u8), 0, 12)}";

    /// <summary>The request time in the common log format API Gateway uses: <c>01/Jan/2025:12:00:00 +0000</c>.</summary>
    private static string ClfTime(DateTimeOffset utc) => utc.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);

    private static string IsoTime(DateTimeOffset time, bool milliseconds) =>
        time.ToUniversalTime().ToString(milliseconds ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
