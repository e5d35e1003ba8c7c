using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lamina.Local.Messaging;

/// <summary>The digests SQS and SNS compute: MD5 of bodies and attributes, SHA-256 for content-based deduplication.</summary>
internal static class Digests
{
    internal static string Md5Hex(string text) => Hash(text, sha256: false);

    internal static string Sha256Hex(string text) => Hash(text, sha256: true);

    [ThreadStatic]
    private static byte[]? t_bytes;

    private static string Hash(string text, bool sha256)
    {
        // A per-thread buffer: renting from the shared array pool costs more than the hash for small messages.
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = t_bytes;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, 4096)];
            if (buffer.Length <= 1 << 20)
            {
                t_bytes = buffer;
            }
        }

        var written = Encoding.UTF8.GetBytes(text, buffer);
        Span<byte> hash = stackalloc byte[32];
        var size = sha256
            ? SHA256.HashData(buffer.AsSpan(0, written), hash)
            : MD5.HashData(buffer.AsSpan(0, written), hash);
        return Convert.ToHexStringLower(hash[..size]);
    }

    /// <summary>
    /// The MD5 of message attributes as SQS computes it: for each attribute in ordinal order of names, the name, the
    /// data type, a transport byte (1 for string values, 2 for binary) and the value, each length-prefixed with a
    /// 4-byte big-endian length.
    /// </summary>
    internal static string? Md5OfAttributes(IReadOnlyDictionary<string, MessageAttribute>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return null;
        }

        var names = attributes.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var name in names)
        {
            var attribute = attributes[name];
            WriteString(buffer, name);
            WriteString(buffer, attribute.DataType);
            if (attribute.IsBinary)
            {
                buffer.Write([(byte)2]);
                var value = attribute.BinaryValue ?? [];
                WriteLength(buffer, value.Length);
                buffer.Write(value);
            }
            else
            {
                buffer.Write([(byte)1]);
                WriteString(buffer, attribute.StringValue ?? "");
            }
        }

        return Convert.ToHexStringLower(MD5.HashData(buffer.WrittenSpan));
    }

    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteLength(buffer, bytes.Length);
        buffer.Write(bytes);
    }

    private static void WriteLength(ArrayBufferWriter<byte> buffer, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
    }
}

/// <summary>
/// Deterministic identifiers shaped like random (version 4) UUIDs: a counter mixed with the engine's seed.
/// </summary>
internal sealed class IdGenerator(ulong seed)
{
    private long _counter;

    internal string NextUuid()
    {
        var n = (ulong)Interlocked.Increment(ref _counter);
        var a = Mix(n ^ seed);
        var b = Mix(a ^ (n * 0x9E3779B97F4A7C15UL));
        return string.Create(36, (a, b), static (span, v) =>
        {
            var (hi, lo) = v;
            hi = (hi & 0xFFFFFFFFFFFF0FFFUL) | 0x0000000000004000UL; // version 4
            lo = (lo & 0x3FFFFFFFFFFFFFFFUL) | 0x8000000000000000UL; // RFC 4122 variant
            Span<char> hex = stackalloc char[32];
            hi.TryFormat(hex[..16], out _, "x16", CultureInfo.InvariantCulture);
            lo.TryFormat(hex[16..], out _, "x16", CultureInfo.InvariantCulture);
            hex[..8].CopyTo(span);
            span[8] = '-';
            hex[8..12].CopyTo(span[9..]);
            span[13] = '-';
            hex[12..16].CopyTo(span[14..]);
            span[18] = '-';
            hex[16..20].CopyTo(span[19..]);
            span[23] = '-';
            hex[20..32].CopyTo(span[24..]);
        });
    }

    internal long NextNumber() => Interlocked.Increment(ref _counter);

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The input checks SQS and SNS make.</summary>
internal static class MessagingValidation
{
    internal const long TicksPerMillisecond = TimeSpan.TicksPerMillisecond;

    internal static MessagingException Invalid(string message) => new("InvalidParameterValue", message);

    internal static void Name(string name, int maxLength, bool fifo, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        var core = name;
        if (fifo)
        {
            if (!name.EndsWith(".fifo", StringComparison.Ordinal))
            {
                throw Invalid($"The name of a FIFO {what} must end with \".fifo\": '{name}'.");
            }

            core = name[..^5];
        }
        else if (name.EndsWith(".fifo", StringComparison.Ordinal))
        {
            throw Invalid($"Only a FIFO {what} may have a name ending with \".fifo\": '{name}'.");
        }

        if (name.Length == 0 || name.Length > maxLength || core.Length == 0)
        {
            throw Invalid($"A {what} name has 1 to {maxLength} characters: '{name}'.");
        }

        foreach (var c in core)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw Invalid($"A {what} name may hold only letters, digits, '-' and '_': '{name}'.");
            }
        }
    }

    /// <summary>Checks a body has 1 character or more, all of them allowed by SQS; returns its UTF-8 size.</summary>
    internal static int Body(string body, string what)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            throw new MessagingException("MissingParameter", $"The {what} must not be empty.");
        }

        // Most text is in U+0020..U+D7FF: find the first character outside it at vector speed.
        var first = body.AsSpan().IndexOfAnyExceptInRange('\u0020', '\uD7FF');
        for (var i = first < 0 ? body.Length : first; i < body.Length; i++)
        {
            var c = body[i];
            if (c >= 0x20 && c <= 0xD7FF || c is '\t' or '\n' or '\r' || c >= 0xE000 && c <= 0xFFFD)
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
            {
                i++;
                continue;
            }

            throw new MessagingException("InvalidMessageContents", $"The {what} holds a character SQS does not allow (U+{(int)c:X4} at {i}).");
        }

        return Encoding.UTF8.GetByteCount(body);
    }

    /// <summary>Checks message attributes and returns their size in bytes as SQS counts it (names, types and values).</summary>
    internal static int Attributes(IReadOnlyDictionary<string, MessageAttribute>? attributes, int maxCount, bool allowStringArray)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return 0;
        }

        if (attributes.Count > maxCount)
        {
            throw Invalid($"A message may have at most {maxCount} message attributes; it has {attributes.Count}.");
        }

        var size = 0;
        foreach (var (name, attribute) in attributes)
        {
            AttributeName(name);
            if (attribute is null)
            {
                throw Invalid($"Message attribute '{name}' has no value.");
            }

            var type = attribute.DataType ?? "";
            var baseType = MessageAttribute.BaseType(type);
            if (baseType is not ("String" or "Number" or "Binary") || type.Length > 256 || type.EndsWith('.'))
            {
                throw Invalid($"Message attribute '{name}' has the data type '{type}'; use String, Number or Binary, optionally with a label (Number.int).");
            }

            if (baseType == "Binary")
            {
                if (attribute.BinaryValue is null)
                {
                    throw Invalid($"Message attribute '{name}' is Binary but has no BinaryValue.");
                }

                size += attribute.BinaryValue.Length;
            }
            else
            {
                if (string.IsNullOrEmpty(attribute.StringValue))
                {
                    throw Invalid($"Message attribute '{name}' is {baseType} but has no StringValue.");
                }

                if (baseType == "Number" && !double.TryParse(attribute.StringValue, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw Invalid($"Message attribute '{name}' is a Number but '{attribute.StringValue}' is not a number.");
                }

                if (type == "String.Array" && allowStringArray && !IsJsonArray(attribute.StringValue))
                {
                    throw Invalid($"Message attribute '{name}' is a String.Array but its value is not a JSON array.");
                }

                size += Encoding.UTF8.GetByteCount(attribute.StringValue);
            }

            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(type);
        }

        return size;
    }

    private static bool IsJsonArray(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static void AttributeName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 256)
        {
            throw Invalid("A message attribute name has 1 to 256 characters.");
        }

        if (name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"Message attribute names may not start with 'AWS.' or 'Amazon.': '{name}'.");
        }

        if (name[0] == '.' || name[^1] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            throw Invalid($"A message attribute name may not start or end with '.' nor hold '..': '{name}'.");
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw Invalid($"A message attribute name may hold only letters, digits, '_', '-' and '.': '{name}'.");
            }
        }
    }

    /// <summary>Checks a FIFO message group id or deduplication id: 1 to 128 letters, digits and punctuation.</summary>
    internal static void FifoId(string value, string what)
    {
        if (value.Length is 0 or > 128)
        {
            throw Invalid($"{what} has 1 to 128 characters.");
        }

        foreach (var c in value)
        {
            if (c < 0x21 || c > 0x7E)
            {
                throw Invalid($"{what} may hold only letters, digits and punctuation: '{value}'.");
            }
        }
    }

    internal static void Range(TimeSpan value, TimeSpan min, TimeSpan max, string what)
    {
        if (value < min || value > max)
        {
            throw Invalid($"{what} must be between {min} and {max}; it is {value}.");
        }
    }
}
