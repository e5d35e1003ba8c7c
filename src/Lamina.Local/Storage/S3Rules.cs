using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lamina.Local.Storage;

/// <summary>S3's naming rules, key encoding and event types.</summary>
internal static class S3Rules
{
    /// <summary>The event types a notification configuration accepts.</summary>
    internal static readonly HashSet<string> EventTypes = new(StringComparer.Ordinal)
    {
        "s3:TestEvent",
        "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
        "s3:ObjectCreated:CompleteMultipartUpload",
        "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
        "s3:ReducedRedundancyLostObject",
        "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold",
        "s3:Replication:OperationReplicatedAfterThreshold", "s3:Replication:OperationNotTracked",
        "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
        "s3:LifecycleTransition", "s3:IntelligentTiering",
        "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
        "s3:ObjectAcl:Put",
    };

    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    /// <summary>Checks the general purpose bucket naming rules.</summary>
    internal static void ValidateBucketName(string? name)
    {
        static LocalS3Exception Invalid(string? name, string why) =>
            new("InvalidBucketName", $"The specified bucket is not valid: '{name}' {why}.");

        if (name is null || name.Length is < 3 or > 63)
        {
            throw Invalid(name, "must be between 3 and 63 characters long");
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
            {
                throw Invalid(name, "may contain only lowercase letters, digits, '.' and '-'");
            }
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            throw Invalid(name, "must begin and end with a letter or digit");
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            throw Invalid(name, "must not contain two adjacent periods");
        }

        if (name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw Invalid(name, "must not be formatted as an IP address");
        }

        if (ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            throw Invalid(name, $"must not start with the reserved prefix '{prefix}'");
        }

        if (ReservedSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
        {
            throw Invalid(name, $"must not end with the reserved suffix '{suffix}'");
        }
    }

    /// <summary>Checks an object key: 1 to 1024 bytes of UTF-8.</summary>
    internal static void ValidateKey(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new LocalS3Exception("InvalidArgument", "The object key must not be empty.");
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(key);
        }
        catch (EncoderFallbackException)
        {
            throw new LocalS3Exception("InvalidArgument", "The object key is not valid UTF-8 (it contains an unpaired surrogate).");
        }

        if (bytes > 1024)
        {
            throw new LocalS3Exception("KeyTooLongError", $"Your key is too long: {bytes} bytes of UTF-8; the maximum is 1024.");
        }
    }

    /// <summary>User metadata: at most 2 KB (names and values, UTF-8).</summary>
    internal static Dictionary<string, string> CopyMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return copy;
        }

        var size = 0;
        foreach (var (name, value) in metadata)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new LocalS3Exception("InvalidArgument", "A user metadata name must not be empty.");
            }

            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value ?? "");
            copy[name.ToLowerInvariant()] = value ?? "";
        }

        if (size > 2048)
        {
            throw new LocalS3Exception("MetadataTooLarge", $"Your metadata headers exceed the maximum allowed metadata size: {size} bytes of 2048.");
        }

        return copy;
    }

    internal static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>
    /// The key as S3 writes it into event records: form URL encoding of the UTF-8 bytes (a space becomes <c>+</c>;
    /// letters, digits, <c>-</c>, <c>_</c>, <c>.</c>, <c>*</c> and the <c>/</c> separator stay; every other byte is
    /// <c>%XX</c>).
    /// </summary>
    internal static string EncodeKey(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var builder = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'*' or (byte)'/')
            {
                builder.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether a configured event type (possibly <c>s3:X:*</c>) covers an emitted event name (<c>X:Y</c>, no <c>s3:</c>).</summary>
    internal static bool Covers(string configured, string eventName)
    {
        if (!configured.StartsWith("s3:", StringComparison.Ordinal))
        {
            return false;
        }

        var type = configured.AsSpan(3);
        return type.EndsWith(":*", StringComparison.Ordinal)
            ? eventName.AsSpan().StartsWith(type[..^1], StringComparison.Ordinal)
            : type.SequenceEqual(eventName);
    }

    /// <summary>Whether two configured event types share an event (equal, or one is the other's wildcard).</summary>
    internal static bool Share(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        static bool Under(string wildcard, string other) =>
            wildcard.EndsWith(":*", StringComparison.Ordinal) && other.StartsWith(wildcard[..^1], StringComparison.Ordinal);

        return Under(a, b) || Under(b, a);
    }

    /// <summary>S3's overlap rule: same event type, and prefixes and suffixes that can both match one key.</summary>
    internal static bool Overlap(LocalBucketNotification a, LocalBucketNotification b)
    {
        if (!a.Events.Any(x => b.Events.Any(y => Share(x, y))))
        {
            return false;
        }

        var (pa, pb) = (a.Prefix ?? "", b.Prefix ?? "");
        var (sa, sb) = (a.Suffix ?? "", b.Suffix ?? "");
        var prefixes = pa.StartsWith(pb, StringComparison.Ordinal) || pb.StartsWith(pa, StringComparison.Ordinal);
        var suffixes = sa.EndsWith(sb, StringComparison.Ordinal) || sb.EndsWith(sa, StringComparison.Ordinal);
        return prefixes && suffixes;
    }

    internal static bool Matches(LocalBucketNotification notification, string eventName, string key) =>
        notification.Events.Any(e => Covers(e, eventName))
        && key.StartsWith(notification.Prefix ?? "", StringComparison.Ordinal)
        && key.EndsWith(notification.Suffix ?? "", StringComparison.Ordinal);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The event JSON of one record, as S3 sends it (event message structure version 2.1).</summary>
    internal static byte[] EventJson(S3EventData data, string configurationId)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("Records");
            w.WriteStartObject();
            w.WriteString("eventVersion", "2.1");
            w.WriteString("eventSource", "aws:s3");
            w.WriteString("awsRegion", data.Region);
            w.WriteString("eventTime", data.Time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("eventName", data.EventName);
            w.WriteStartObject("userIdentity");
            w.WriteString("principalId", data.PrincipalId);
            w.WriteEndObject();
            w.WriteStartObject("requestParameters");
            w.WriteString("sourceIPAddress", data.SourceIPAddress);
            w.WriteEndObject();
            w.WriteStartObject("responseElements");
            w.WriteString("x-amz-request-id", data.RequestId);
            w.WriteString("x-amz-id-2", data.HostId);
            w.WriteEndObject();
            w.WriteStartObject("s3");
            w.WriteString("s3SchemaVersion", "1.0");
            w.WriteString("configurationId", configurationId);
            w.WriteStartObject("bucket");
            w.WriteString("name", data.BucketName);
            w.WriteStartObject("ownerIdentity");
            w.WriteString("principalId", data.OwnerPrincipalId);
            w.WriteEndObject();
            w.WriteString("arn", "arn:aws:s3:::" + data.BucketName);
            w.WriteEndObject();
            w.WriteStartObject("object");
            w.WriteString("key", EncodeKey(data.Key));
            if (data.Size is { } size)
            {
                w.WriteNumber("size", size);
            }

            if (data.ETag is { } etag)
            {
                w.WriteString("eTag", etag);
            }

            w.WriteString("sequencer", data.Sequencer);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The facts of one S3 event, shared by the records sent to each matching configuration.</summary>
internal sealed record S3EventData(
    string Region,
    DateTimeOffset Time,
    string EventName,
    string PrincipalId,
    string SourceIPAddress,
    string RequestId,
    string HostId,
    string BucketName,
    string OwnerPrincipalId,
    string Key,
    long? Size,
    string? ETag,
    string Sequencer);

/// <summary>
/// Orders keys as S3 lists them: by the bytes of their UTF-8 encoding, which is code-point order (ordinal UTF-16
/// order differs for characters above U+FFFF against U+E000-U+FFFF).
/// </summary>
internal sealed class Utf8KeyComparer : IComparer<string>
{
    internal static readonly Utf8KeyComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var (a, b) = (x[i], y[i]);
            if (a != b)
            {
                return Fix(a) - Fix(b);
            }
        }

        return x.Length - y.Length;
    }

    // Surrogates (U+D800-U+DFFF, code points above U+FFFF) sort after U+E000-U+FFFF in code-point order.
    private static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
}
