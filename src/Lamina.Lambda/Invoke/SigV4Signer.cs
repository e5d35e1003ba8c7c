using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Lamina.Lambda.Invoke;

/// <summary>A request to sign, in the terms of Signature Version 4.</summary>
public sealed record SigV4Request
{
    /// <summary>The HTTP method, for example <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>
    /// The path as it appears in the request line (for a <see cref="HttpRequestMessage"/>, the escaped
    /// <see cref="Uri.AbsolutePath"/>). Each segment is URI-encoded once more for the canonical request, as every
    /// AWS service but S3 expects; so an ARN sent as <c>arn%3Aaws...</c> is signed as <c>arn%253Aaws...</c>.
    /// </summary>
    public required string Path { get; init; }

    /// <summary>The query string without the leading <c>?</c>; empty when there is none.</summary>
    public string Query { get; init; } = "";

    /// <summary>The headers to sign, including <c>host</c> and <c>x-amz-date</c>. Names are matched
    /// case-insensitively; repeated names are joined with commas in order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The lower-case hex SHA-256 of the body (<see cref="SigV4Signer.HashPayload"/>).</summary>
    public required string PayloadHash { get; init; }
}

/// <summary>Every intermediate of a signature, so each step can be checked.</summary>
public sealed record SigV4Signature
{
    /// <summary>The canonical request (task 1).</summary>
    public required string CanonicalRequest { get; init; }

    /// <summary>The credential scope: <c>yyyyMMdd/region/service/aws4_request</c>.</summary>
    public required string CredentialScope { get; init; }

    /// <summary>The string to sign (task 2).</summary>
    public required string StringToSign { get; init; }

    /// <summary>The signed header names, lower case, sorted, joined by <c>;</c>.</summary>
    public required string SignedHeaders { get; init; }

    /// <summary>The signature, lower-case hex (task 3).</summary>
    public required string Signature { get; init; }

    /// <summary>The <c>Authorization</c> header value (task 4).</summary>
    public required string Authorization { get; init; }
}

/// <summary>
/// AWS Signature Version 4 (header signing with <c>AWS4-HMAC-SHA256</c>), written for Lamina so the runtime
/// library needs no AWS SDK: canonical request, string to sign, derived signing key, Authorization header.
/// Checked against AWS's published Signature Version 4 test suite.
/// </summary>
/// <remarks>Not implemented: query-string (presigned URL) signing, chunked S3 payload signing, SigV4a, and
/// path normalization of <c>.</c>/<c>..</c> segments (Lamina's requests never contain them).</remarks>
public static class SigV4Signer
{
    /// <summary>The algorithm name.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The SHA-256 of an empty body.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly HashSet<string> UnsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "expect", "content-length", "transfer-encoding", "connection", "x-amzn-trace-id",
    };

    /// <summary>Formats <paramref name="timestamp"/> as <c>X-Amz-Date</c>: <c>yyyyMMdd'T'HHmmss'Z'</c> in UTC.</summary>
    public static string FormatAmzDate(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The lower-case hex SHA-256 of <paramref name="payload"/>.</summary>
    public static string HashPayload(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>
    /// Derives the signing key: HMAC chain of <c>"AWS4" + secret</c>, the date, the region, the service and
    /// <c>aws4_request</c>.
    /// </summary>
    public static byte[] DeriveSigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>Signs <paramref name="request"/> as it stands (it must already carry <c>host</c> and
    /// <c>x-amz-date</c>, and <c>x-amz-security-token</c> when the credentials have one).</summary>
    public static SigV4Signature Sign(SigV4Request request, AwsCredentials credentials, string region, string service, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(service);

        var (canonicalRequest, signedHeaders) = BuildCanonicalRequest(request);
        var amzDate = FormatAmzDate(timestamp);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = DeriveSigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return new SigV4Signature
        {
            CanonicalRequest = canonicalRequest,
            CredentialScope = scope,
            StringToSign = stringToSign,
            SignedHeaders = signedHeaders,
            Signature = signature,
            Authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}",
        };
    }

    /// <summary>
    /// Signs an <see cref="HttpRequestMessage"/> in place: sets <c>Host</c>, <c>X-Amz-Date</c>,
    /// <c>X-Amz-Security-Token</c> (temporary credentials), optionally <c>X-Amz-Content-Sha256</c>, and
    /// <c>Authorization</c>. Every header already on the request and its content is signed except
    /// <c>User-Agent</c>, <c>Content-Length</c>, <c>Expect</c>, <c>Transfer-Encoding</c>, <c>Connection</c> and
    /// <c>X-Amzn-Trace-Id</c>, which proxies and handlers may change.
    /// </summary>
    /// <param name="request">The request; its <see cref="HttpRequestMessage.RequestUri"/> must be absolute.</param>
    /// <param name="payload">The exact body bytes that will be sent.</param>
    /// <param name="credentials">The credentials.</param>
    /// <param name="region">The signing region, for example <c>eu-west-1</c>.</param>
    /// <param name="service">The signing name of the service, for example <c>lambda</c>.</param>
    /// <param name="timestamp">The signing time.</param>
    /// <param name="includeContentSha256Header">Also send (and sign) <c>X-Amz-Content-Sha256</c>.</param>
    /// <returns>The signature and its intermediates.</returns>
    public static SigV4Signature SignHttpRequest(
        HttpRequestMessage request,
        ReadOnlySpan<byte> payload,
        AwsCredentials credentials,
        string region,
        string service,
        DateTimeOffset timestamp,
        bool includeContentSha256Header = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute.", nameof(request));
        }

        var host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
        var payloadHash = HashPayload(payload);
        request.Headers.Remove("Authorization");
        request.Headers.Host = host;
        SetHeader(request, "X-Amz-Date", FormatAmzDate(timestamp));
        if (credentials.SessionToken is not null)
        {
            SetHeader(request, "X-Amz-Security-Token", credentials.SessionToken);
        }

        if (includeContentSha256Header)
        {
            SetHeader(request, "X-Amz-Content-Sha256", payloadHash);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers.NonValidated)
        {
            if (!UnsignedHeaders.Contains(header.Key))
            {
                foreach (var value in header.Value)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                if (!UnsignedHeaders.Contains(header.Key))
                {
                    foreach (var value in header.Value)
                    {
                        headers.Add(new(header.Key, value));
                    }
                }
            }
        }

        var query = uri.Query.Length > 0 ? uri.Query[1..] : "";
        var signature = Sign(new SigV4Request
        {
            Method = request.Method.Method,
            Path = uri.AbsolutePath,
            Query = query,
            Headers = headers,
            PayloadHash = payloadHash,
        }, credentials, region, service, timestamp);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        return signature;
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    private static (string CanonicalRequest, string SignedHeaders) BuildCanonicalRequest(SigV4Request request)
    {
        var grouped = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!grouped.TryGetValue(key, out var values))
            {
                grouped[key] = values = [];
            }

            values.Add(CollapseWhitespace(value));
        }

        var builder = new StringBuilder(256);
        builder.Append(request.Method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalPath(request.Path)).Append('\n');
        builder.Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var (name, values) in grouped)
        {
            builder.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        var signedHeaders = string.Join(';', grouped.Keys);
        builder.Append('\n').Append(signedHeaders).Append('\n').Append(request.PayloadHash);
        return (builder.ToString(), signedHeaders);
    }

    private static string CollapseWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = UriEncode(segments[i]);
        }

        var result = string.Join('/', segments);
        return result.StartsWith('/') ? result : "/" + result;
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(key)), UriEncode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort(static (a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(static p => p.Key + "=" + p.Value));
    }

    /// <summary>
    /// URI-encodes as Signature Version 4 requires: unreserved characters (<c>A-Z a-z 0-9 - _ . ~</c>) are kept,
    /// every other UTF-8 byte becomes <c>%XX</c> with upper-case hex.
    /// </summary>
    public static string UriEncode(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
