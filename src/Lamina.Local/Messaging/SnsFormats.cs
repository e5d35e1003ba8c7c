using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lamina.Lambda.Events;

namespace Lamina.Local.Messaging;

/// <summary>One published SNS message, as every subscription of its topic sees it.</summary>
internal sealed class PublishedMessage(
    LocalMessaging engine,
    string messageId,
    string topicArn,
    string? subject,
    string message,
    long publishedAt,
    IReadOnlyDictionary<string, MessageAttribute>? attributes,
    string? groupId,
    string? deduplicationId,
    string? sequenceNumber)
{
    private string? _signature;

    internal LocalMessaging Engine => engine;
    internal string MessageId => messageId;
    internal string TopicArn => topicArn;
    internal string? Subject => subject;
    internal string Message => message;
    internal string Timestamp { get; } = SnsFormats.Timestamp(publishedAt);
    internal IReadOnlyDictionary<string, MessageAttribute>? Attributes => attributes;
    internal string? GroupId => groupId;
    internal string? DeduplicationId => deduplicationId;
    internal string? SequenceNumber => sequenceNumber;

    /// <summary>The fake signature, computed once (benign race: every thread computes the same text).</summary>
    internal string Signature => _signature ??= SnsFormats.FakeSignature(this);
}

/// <summary>The SNS JSON envelope and the Lambda SNS event.</summary>
internal static class SnsFormats
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    internal static string Timestamp(long ticks) =>
        new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A well-formed but fake SignatureVersion 1 signature: 256 bytes (the size of an RSA-2048 signature), base64,
    /// derived from the SHA-256 of the string SNS signs (stretched deterministically). It verifies against no certificate.
    /// </summary>
    internal static string FakeSignature(PublishedMessage published)
    {
        var buffer = RentBuffer();
        try
        {
            Append(buffer, "Message\n");
            Append(buffer, published.Message);
            Append(buffer, "\nMessageId\n");
            Append(buffer, published.MessageId);
            if (published.Subject is not null)
            {
                Append(buffer, "\nSubject\n");
                Append(buffer, published.Subject);
            }

            Append(buffer, "\nTimestamp\n");
            Append(buffer, published.Timestamp);
            Append(buffer, "\nTopicArn\n");
            Append(buffer, published.TopicArn);
            Append(buffer, "\nType\nNotification\n");
            // One SHA-256 (a native call costs about a microsecond), stretched to 256 bytes with SplitMix64.
            Span<byte> signature = stackalloc byte[256];
            SHA256.HashData(buffer.WrittenSpan, signature[..32]);
            var state = BinaryPrimitives.ReadUInt64LittleEndian(signature) ^ BinaryPrimitives.ReadUInt64LittleEndian(signature[24..]);
            for (var offset = 32; offset < signature.Length; offset += 8)
            {
                state += 0x9E3779B97F4A7C15UL;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                BinaryPrimitives.WriteUInt64LittleEndian(signature[offset..], z ^ (z >> 31));
            }

            return Convert.ToBase64String(signature);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    /// <summary>The SQS body of a delivery without raw message delivery (field names as SNS writes them).</summary>
    internal static string Envelope(PublishedMessage published, LocalSubscription subscription)
    {
        var signature = published.Signature; // before taking the buffer: computing it uses the buffer too
        var buffer = RentBuffer();
        try
        {
            var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
            writer.Reset(buffer);
            writer.WriteStartObject();
            writer.WriteString("Type", "Notification");
            writer.WriteString("MessageId", published.MessageId);
            if (published.SequenceNumber is not null)
            {
                writer.WriteString("SequenceNumber", published.SequenceNumber);
            }

            writer.WriteString("TopicArn", published.TopicArn);
            if (published.Subject is not null)
            {
                writer.WriteString("Subject", published.Subject);
            }

            writer.WriteString("Message", published.Message);
            writer.WriteString("Timestamp", published.Timestamp);
            writer.WriteString("SignatureVersion", "1");
            writer.WriteString("Signature", signature);
            writer.WriteString("SigningCertURL", published.Engine.SigningCertUrl);
            writer.WriteString("UnsubscribeURL", subscription.UnsubscribeUrl);
            if (published.Attributes is { Count: > 0 } attributes)
            {
                writer.WriteStartObject("MessageAttributes");
                foreach (var (name, attribute) in attributes)
                {
                    writer.WriteStartObject(name);
                    writer.WriteString("Type", attribute.DataType);
                    writer.WriteString("Value", attribute.DisplayValue);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            ReturnBuffer(buffer);
        }
    }

    /// <summary>This thread's reusable buffer (one per thread: deliveries on several threads do not share it).</summary>
    private static ArrayBufferWriter<byte> RentBuffer()
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(4096);
        t_buffer = null;
        buffer.ResetWrittenCount();
        return buffer;
    }

    private static void ReturnBuffer(ArrayBufferWriter<byte> buffer)
    {
        // Keep moderate buffers only, so one huge message does not pin memory for the thread's lifetime.
        if (buffer.Capacity <= 1 << 20)
        {
            t_buffer = buffer;
        }
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }

    /// <summary>The event a Lambda subscriber receives (one record).</summary>
    internal static SnsEvent LambdaEvent(PublishedMessage published, LocalSubscription subscription)
    {
        var attributes = new Dictionary<string, SnsMessageAttribute>(StringComparer.Ordinal);
        if (published.Attributes is not null)
        {
            foreach (var (name, attribute) in published.Attributes)
            {
                attributes[name] = new SnsMessageAttribute { Type = attribute.DataType, Value = attribute.DisplayValue };
            }
        }

        return new SnsEvent
        {
            Records =
            [
                new SnsRecord
                {
                    EventVersion = "1.0",
                    EventSubscriptionArn = subscription.Arn,
                    EventSource = "aws:sns",
                    Sns = new SnsMessage
                    {
                        Type = "Notification",
                        MessageId = published.MessageId,
                        TopicArn = published.TopicArn,
                        Subject = published.Subject,
                        Message = published.Message,
                        Timestamp = published.Timestamp,
                        SignatureVersion = "1",
                        Signature = published.Signature,
                        SigningCertUrl = published.Engine.SigningCertUrl,
                        UnsubscribeUrl = subscription.UnsubscribeUrl,
                        MessageAttributes = attributes,
                    },
                },
            ],
        };
    }
}
