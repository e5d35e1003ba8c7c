using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lamina.Local.Api;

/// <summary>JSON settings of the payloads: AWS sends characters such as &lt;, &gt;, &amp; and non-ASCII letters
/// unescaped.</summary>
internal static class PayloadJson
{
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = Encoder, SkipValidation = true };
}

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>
{
    private const int InitialSize = 4096;
    private const int KeepSize = 256 * 1024;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Reset()
    {
        _written = 0;
        if (_buffer.Length > KeepSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 256);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}

/// <summary>A buffer and a JSON writer on it, reused across requests.</summary>
internal sealed class PayloadBuffer
{
    private static readonly ConcurrentQueue<PayloadBuffer> Pool = new();
    private static int _pooled;

    private PayloadBuffer()
    {
        Writer = new Utf8JsonWriter(Buffer, PayloadJson.WriterOptions);
    }

    public PooledBufferWriter Buffer { get; } = new();

    public Utf8JsonWriter Writer { get; }

    public static PayloadBuffer Rent()
    {
        if (Pool.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _pooled);
            return buffer;
        }

        return new PayloadBuffer();
    }

    /// <summary>Returns the buffer for reuse; only when nothing else reads it any more.</summary>
    public static void Return(PayloadBuffer buffer)
    {
        buffer.Buffer.Reset();
        buffer.Writer.Reset(buffer.Buffer);
        if (Interlocked.Increment(ref _pooled) <= 256)
        {
            Pool.Enqueue(buffer);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}

/// <summary>Request ids, trace ids and request times as API Gateway writes them.</summary>
internal static class GatewayIds
{
    private static TimeText? _lastTime;

    /// <summary>An HTTP API style id: 16 base64 characters (11 random bytes).</summary>
    public static string ShortId()
    {
        Span<byte> bytes = stackalloc byte[11];
        Random.Shared.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>An X-Ray trace header: <c>Root=1-{8 hex seconds}-{24 hex random}</c>.</summary>
    public static string TraceId(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[12];
        Random.Shared.NextBytes(random);
        Span<char> text = stackalloc char[7 + 8 + 1 + 24];
        "Root=1-".CopyTo(text);
        ((uint)now.ToUnixTimeSeconds()).TryFormat(text[7..], out _, "x8", CultureInfo.InvariantCulture);
        text[15] = '-';
        Convert.TryToHexStringLower(random, text[16..], out _);
        return new string(text);
    }

    /// <summary>The request time in the access log format: <c>12/Mar/2020:19:03:58 +0000</c> (cached per second).</summary>
    public static string RequestTime(DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        var last = Volatile.Read(ref _lastTime);
        if (last is not null && last.Seconds == seconds)
        {
            return last.Text;
        }

        var text = now.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
        Volatile.Write(ref _lastTime, new TimeText(seconds, text));
        return text;
    }

    private sealed record TimeText(long Seconds, string Text);
}

/// <summary>A token bucket on the gateway clock (stage throttling).</summary>
internal sealed class TokenBucket
{
    private readonly object _gate = new();
    private readonly double _rate;
    private readonly double _burst;
    private readonly TimeProvider _clock;
    private double _tokens;
    private long _last;

    public TokenBucket(double rate, double burst, TimeProvider clock)
    {
        _rate = rate;
        _burst = burst;
        _clock = clock;
        _tokens = burst;
        _last = clock.GetTimestamp();
    }

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            var elapsed = _clock.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(_burst, _tokens + (elapsed * _rate));
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return true;
            }

            return false;
        }
    }
}

/// <summary>The compiled CORS configuration of an HTTP API.</summary>
internal sealed class CorsPolicy(LocalCorsConfig config)
{
    private readonly string[] _origins = config.AllowOrigins.ToArray();
    private readonly string? _methods = config.AllowMethods.Count == 0 ? null : string.Join(',', config.AllowMethods);
    private readonly string? _headers = config.AllowHeaders.Count == 0 ? null : string.Join(',', config.AllowHeaders);
    private readonly string? _expose = config.ExposeHeaders.Count == 0 ? null : string.Join(',', config.ExposeHeaders);
    private readonly string? _maxAge = config.MaxAge is { } age ? ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null;
    private readonly bool _credentials = config.AllowCredentials;
    private readonly bool _anyOrigin = config.AllowOrigins.Contains("*");

    /// <summary>The <c>access-control-allow-origin</c> value for <paramref name="origin"/>, or null when it is not
    /// allowed.</summary>
    public string? AllowedOrigin(string? origin)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return null;
        }

        if (_anyOrigin)
        {
            // With credentials a browser refuses '*', so the origin is echoed.
            return _credentials ? origin : "*";
        }

        foreach (var pattern in _origins)
        {
            if (Matches(pattern, origin))
            {
                return origin;
            }
        }

        return null;
    }

    /// <summary>The headers of a preflight answer for an allowed origin.</summary>
    public void AddPreflightHeaders(Microsoft.AspNetCore.Http.IHeaderDictionary headers, string allowedOrigin)
    {
        headers["access-control-allow-origin"] = allowedOrigin;
        if (_methods is not null)
        {
            headers["access-control-allow-methods"] = _methods;
        }

        if (_headers is not null)
        {
            headers["access-control-allow-headers"] = _headers;
        }

        if (_maxAge is not null)
        {
            headers["access-control-max-age"] = _maxAge;
        }

        if (_credentials)
        {
            headers["access-control-allow-credentials"] = "true";
        }
    }

    /// <summary>The headers of an actual (non-preflight) response for an allowed origin.</summary>
    public void AddResponseHeaders(Microsoft.AspNetCore.Http.IHeaderDictionary headers, string allowedOrigin)
    {
        headers["access-control-allow-origin"] = allowedOrigin;
        if (_expose is not null)
        {
            headers["access-control-expose-headers"] = _expose;
        }

        if (_credentials)
        {
            headers["access-control-allow-credentials"] = "true";
        }
    }

    private static bool Matches(string pattern, string origin)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, origin, StringComparison.OrdinalIgnoreCase);
        }

        var prefix = pattern.AsSpan(0, star);
        var suffix = pattern.AsSpan(star + 1);
        return origin.Length >= prefix.Length + suffix.Length
            && origin.AsSpan().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && origin.AsSpan().EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Content-type rules.</summary>
internal static class MediaTypes
{
    /// <summary>True for types API Gateway passes to HTTP API functions as text: <c>text/*</c>, JSON, XML and
    /// JavaScript types (including <c>+json</c> and <c>+xml</c> suffixes). Anything else, and a body without a
    /// content type, is sent base64-encoded.</summary>
    public static bool IsText(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var media = Essence(contentType);
        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/x-javascript", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/ecmascript", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/graphql", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="value"/> (a content type or an Accept list) matches one of
    /// <paramref name="patterns"/> (<c>image/png</c>, <c>image/*</c>, <c>*/*</c>).</summary>
    public static bool MatchesAny(string? value, IReadOnlyList<string> patterns)
    {
        if (string.IsNullOrEmpty(value) || patterns.Count == 0)
        {
            return false;
        }

        foreach (var part in value.Split(','))
        {
            var media = Essence(part);
            foreach (var pattern in patterns)
            {
                if (pattern == "*/*" || media.Equals(pattern, StringComparison.OrdinalIgnoreCase)
                    || (pattern.EndsWith("/*", StringComparison.Ordinal) && media.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> Essence(string contentType)
    {
        var span = contentType.AsSpan();
        var semicolon = span.IndexOf(';');
        return (semicolon >= 0 ? span[..semicolon] : span).Trim();
    }
}
