using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lamina.Local.Api;

/// <summary>A function's response read as a Lambda proxy response (format 2.0 or 1.0).</summary>
internal sealed class ProxyResponse : IDisposable
{
    private byte[]? _rented;

    public int StatusCode { get; private set; } = 200;

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public List<string>? Cookies { get; private set; }

    /// <summary>The body to send (decoded when it was base64 and is to be decoded).</summary>
    public ReadOnlyMemory<byte> Body { get; private set; }

    public bool IsBase64Encoded { get; private set; }

    /// <summary>True for a 2.0 response API Gateway inferred (no <c>statusCode</c>).</summary>
    public bool Inferred { get; private set; }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    /// <summary>Reads a 2.0 response: an object with <c>statusCode</c> is a proxy response; any other JSON value is
    /// the body of an inferred 200 <c>application/json</c> response (a JSON string gives its text).</summary>
    public static ProxyResponse? ReadV2(ReadOnlyMemory<byte> payload, out string error)
    {
        error = "";
        var span = payload.Span;
        var response = new ProxyResponse();
        try
        {
            var reader = new Utf8JsonReader(span);
            if (!reader.Read())
            {
                error = "the function returned no JSON";
                return null;
            }

            if (reader.TokenType == JsonTokenType.StartObject && HasStatusCode(span))
            {
                return response.ReadObject(payload, v1: false, out error) ? response : Fail(response);
            }

            response.Inferred = true;
            response.Headers.Add(new("content-type", "application/json"));
            if (reader.TokenType == JsonTokenType.String)
            {
                response.Body = response.StringValue(ref reader, payload);
            }
            else
            {
                reader.Skip();
                response.Body = Trim(payload);
            }

            // The whole payload must be one JSON value.
            if (reader.Read())
            {
                error = "the function's response is not one JSON value";
                return Fail(response);
            }

            return response;
        }
        catch (JsonException exception)
        {
            error = "the function's response is not valid JSON: " + exception.Message;
            return Fail(response);
        }
    }

    /// <summary>Reads a 1.0 response: it must be an object with an integer <c>statusCode</c> and only
    /// <c>headers</c>, <c>multiValueHeaders</c>, <c>body</c> (a string) and <c>isBase64Encoded</c> besides.</summary>
    public static ProxyResponse? ReadV1(ReadOnlyMemory<byte> payload, out string error)
    {
        var response = new ProxyResponse();
        try
        {
            var reader = new Utf8JsonReader(payload.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the function's response is not a JSON object (Malformed Lambda proxy response)";
                return Fail(response);
            }

            return response.ReadObject(payload, v1: true, out error) ? response : Fail(response);
        }
        catch (JsonException exception)
        {
            error = "the function's response is not valid JSON: " + exception.Message;
            return Fail(response);
        }
    }

    /// <summary>Decodes a base64 body in place (HTTP APIs always; REST APIs for binary media types).</summary>
    public bool TryDecodeBase64(out string error)
    {
        error = "";
        if (!IsBase64Encoded)
        {
            return true;
        }

        var source = Body.Span;
        var target = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64.GetMaxDecodedFromUtf8Length(source.Length)));
        var status = Base64.DecodeFromUtf8(source, target, out _, out var written);
        if (status != OperationStatus.Done)
        {
            // Tolerate whitespace and line breaks, as Convert does.
            try
            {
                var bytes = Convert.FromBase64String(Encoding.UTF8.GetString(source));
                ArrayPool<byte>.Shared.Return(target);
                Dispose();
                Body = bytes;
                IsBase64Encoded = false;
                return true;
            }
            catch (FormatException)
            {
                ArrayPool<byte>.Shared.Return(target);
                error = "isBase64Encoded is true but the body is not base64";
                return false;
            }
        }

        Dispose();
        _rented = target;
        Body = target.AsMemory(0, written);
        IsBase64Encoded = false;
        return true;
    }

    private static ProxyResponse? Fail(ProxyResponse response)
    {
        response.Dispose();
        return null;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        var start = 0;
        var end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            end--;
        }

        return payload[start..end];
    }

    private static bool HasStatusCode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("statusCode"u8))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private bool ReadObject(ReadOnlyMemory<byte> payload, bool v1, out string error)
    {
        error = "";
        var reader = new Utf8JsonReader(payload.Span);
        reader.Read();
        var hasStatus = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("statusCode"u8))
            {
                reader.Read();
                if (!TryStatus(ref reader, out var status))
                {
                    error = "statusCode is not an integer between 100 and 599";
                    return false;
                }

                StatusCode = status;
                hasStatus = true;
            }
            else if (reader.ValueTextEquals("headers"u8))
            {
                reader.Read();
                if (!ReadHeaders(ref reader, multi: false, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("multiValueHeaders"u8))
            {
                reader.Read();
                if (!v1)
                {
                    // Format 2.0 has no multiValueHeaders; API Gateway ignores the member.
                    reader.Skip();
                }
                else if (!ReadHeaders(ref reader, multi: true, out error))
                {
                    return false;
                }
            }
            else if (reader.ValueTextEquals("cookies"u8) && !v1)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    error = "cookies is not an array of strings";
                    return false;
                }

                Cookies = [];
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        error = "cookies is not an array of strings";
                        return false;
                    }

                    Cookies.Add(reader.GetString()!);
                }
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    Body = default;
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    Body = StringValue(ref reader, payload);
                }
                else
                {
                    error = "body is not a string";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("isBase64Encoded"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.True:
                        IsBase64Encoded = true;
                        break;
                    case JsonTokenType.False or JsonTokenType.Null:
                        IsBase64Encoded = false;
                        break;
                    default:
                        error = "isBase64Encoded is not a boolean";
                        return false;
                }
            }
            else if (v1)
            {
                error = $"the response has the member '{reader.GetString()}' (a proxy response has only statusCode, headers, multiValueHeaders, body and isBase64Encoded)";
                return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasStatus)
        {
            error = "the response has no statusCode";
            return false;
        }

        return true;
    }

    private static bool TryStatus(ref Utf8JsonReader reader, out int status)
    {
        status = 0;
        var ok = reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetInt32(out status),
            JsonTokenType.String => int.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out status),
            _ => false,
        };
        return ok && status is >= 100 and <= 599;
    }

    private bool ReadHeaders(ref Utf8JsonReader reader, bool multi, out string error)
    {
        error = "";
        var member = multi ? "multiValueHeaders" : "headers";
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = $"{member} is not an object";
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (multi)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    error = $"{member}.{name} is not an array";
                    return false;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryScalar(ref reader, out var value))
                    {
                        error = $"{member}.{name} holds a value that is not a string";
                        return false;
                    }

                    if (value is not null)
                    {
                        Headers.Add(new(name, value));
                    }
                }
            }
            else
            {
                if (!TryScalar(ref reader, out var value))
                {
                    error = $"{member}.{name} is not a string";
                    return false;
                }

                if (value is not null)
                {
                    Headers.Add(new(name, value));
                }
            }
        }

        return true;
    }

    /// <summary>A string, number or boolean as header text; null for JSON null.</summary>
    private static bool TryScalar(ref Utf8JsonReader reader, out string? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                value = Encoding.UTF8.GetString(reader.ValueSpan);
                return true;
            case JsonTokenType.Null:
                value = null;
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <summary>The UTF-8 bytes of the string at the reader: a slice of the payload when it has no escapes, else
    /// an unescaped copy in a pooled buffer.</summary>
    private ReadOnlyMemory<byte> StringValue(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload)
    {
        if (!reader.ValueIsEscaped)
        {
            return payload.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }

        Dispose();
        _rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, reader.ValueSpan.Length));
        var written = reader.CopyString(_rented);
        return _rented.AsMemory(0, written);
    }
}
