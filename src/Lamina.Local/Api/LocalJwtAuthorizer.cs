using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Lamina.Local.Api;

/// <summary>
/// A JWT authorizer of an HTTP API, checked locally as API Gateway checks it: the token is read from
/// <see cref="IdentitySource"/> (an optional <c>Bearer </c> prefix is removed) and must be a well-formed JWS whose
/// <c>exp</c> is in the future and whose <c>nbf</c> and <c>iat</c>, when present, are not (measured with the
/// gateway's <see cref="LocalApiGatewayOptions.TimeProvider"/>); <c>iss</c> must equal <see cref="Issuer"/>;
/// <c>aud</c> (or, without <c>aud</c>, <c>client_id</c>) must be one of <see cref="Audiences"/>. A route with scopes
/// needs at least one of them in the token's <c>scope</c> (space-separated) or <c>scp</c> claim.
/// </summary>
/// <remarks>
/// <para><b>Signatures.</b> API Gateway fetches the issuer's JWKS; locally nothing is fetched. When
/// <see cref="SigningKeys"/> or <see cref="Jwks"/> holds keys, the signature is verified (RS256, RS384 or RS512,
/// the key picked by <c>kid</c>, or every key tried when the token has none) and unsigned or otherwise signed tokens
/// are refused. <b>Without keys the signature is not verified locally</b>: any well-formed token with the right
/// claims is accepted.</para>
/// </remarks>
public sealed record LocalJwtAuthorizer
{
    /// <summary>The expected issuer (<c>iss</c>), compared exactly.</summary>
    public required string Issuer { get; init; }

    /// <summary>The accepted audiences: the token's <c>aud</c> (a string or an array), or its <c>client_id</c> when
    /// it has no <c>aud</c>, must match one.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>Where the token is read: <c>$request.header.NAME</c> or <c>$request.querystring.NAME</c>. Default:
    /// <c>$request.header.Authorization</c>.</summary>
    public string IdentitySource { get; init; } = "$request.header.Authorization";

    /// <summary>RSA public keys that verify token signatures. Default: none.</summary>
    public IReadOnlyList<LocalJwtSigningKey> SigningKeys { get; init; } = [];

    /// <summary>A JWKS document (<c>{"keys":[{"kty":"RSA","kid":"...","n":"...","e":"AQAB"}]}</c>) whose RSA keys
    /// verify token signatures, in addition to <see cref="SigningKeys"/>. Default: none.</summary>
    public string? Jwks { get; init; }
}

/// <summary>An RSA public key that verifies JWT signatures.</summary>
/// <param name="KeyId">The key id matched against the token's <c>kid</c>, or null to match any token.</param>
/// <param name="Parameters">The public key (<see cref="RSAParameters.Modulus"/> and <see cref="RSAParameters.Exponent"/>).</param>
public sealed record LocalJwtSigningKey(string? KeyId, RSAParameters Parameters)
{
    /// <summary>The RSA keys of a JWKS document (keys of other types are skipped).</summary>
    /// <param name="jwksJson">The JWKS JSON.</param>
    /// <exception cref="ArgumentException">The document is not a JWKS.</exception>
    public static IReadOnlyList<LocalJwtSigningKey> FromJwks(string jwksJson)
    {
        ArgumentNullException.ThrowIfNull(jwksJson);
        try
        {
            using var document = JsonDocument.Parse(jwksJson);
            if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException("The JWKS has no 'keys' array.", nameof(jwksJson));
            }

            var result = new List<LocalJwtSigningKey>();
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object || !key.TryGetProperty("kty", out var kty) || kty.GetString() != "RSA")
                {
                    continue;
                }

                if (!key.TryGetProperty("n", out var n) || !key.TryGetProperty("e", out var e))
                {
                    throw new ArgumentException("An RSA key of the JWKS has no 'n' or 'e'.", nameof(jwksJson));
                }

                var kid = key.TryGetProperty("kid", out var kidElement) ? kidElement.GetString() : null;
                result.Add(new LocalJwtSigningKey(kid, new RSAParameters
                {
                    Modulus = Base64Url.DecodeFromChars(n.GetString()),
                    Exponent = Base64Url.DecodeFromChars(e.GetString()),
                }));
            }

            return result;
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            throw new ArgumentException($"The JWKS is not valid: {exception.Message}", nameof(jwksJson), exception);
        }
    }
}

/// <summary>What a JWT check found.</summary>
internal enum JwtCheck
{
    Valid,
    Missing,
    Invalid,
    InsufficientScope,
}

/// <summary>A checked token: its claims rendered as API Gateway renders them, and its scopes.</summary>
internal sealed record JwtPrincipal(List<KeyValuePair<string, string>> Claims, List<string> Scopes);

/// <summary>The compiled form of a <see cref="LocalJwtAuthorizer"/>.</summary>
internal sealed class JwtValidator : IDisposable
{
    private readonly LocalJwtAuthorizer _config;
    private readonly TimeProvider _clock;
    private readonly List<(string? KeyId, RSA Key)> _keys = [];
    private readonly HashSet<string> _audiences;

    public JwtValidator(LocalJwtAuthorizer config, TimeProvider clock)
    {
        _config = config;
        _clock = clock;
        if (string.IsNullOrEmpty(config.Issuer))
        {
            throw new ArgumentException("The JWT authorizer has no issuer.", nameof(config));
        }

        if (config.Audiences is null || config.Audiences.Count == 0)
        {
            throw new ArgumentException("The JWT authorizer has no audience.", nameof(config));
        }

        _audiences = config.Audiences.ToHashSet(StringComparer.Ordinal);
        const string header = "$request.header.";
        const string query = "$request.querystring.";
        if (config.IdentitySource.StartsWith(header, StringComparison.Ordinal) && config.IdentitySource.Length > header.Length)
        {
            HeaderName = config.IdentitySource[header.Length..];
        }
        else if (config.IdentitySource.StartsWith(query, StringComparison.Ordinal) && config.IdentitySource.Length > query.Length)
        {
            QueryName = config.IdentitySource[query.Length..];
        }
        else
        {
            throw new ArgumentException($"The JWT identity source '{config.IdentitySource}' is neither '$request.header.NAME' nor '$request.querystring.NAME'.", nameof(config));
        }

        var keys = config.SigningKeys.Concat(config.Jwks is null ? [] : LocalJwtSigningKey.FromJwks(config.Jwks));
        foreach (var key in keys)
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(key.Parameters);
            _keys.Add((key.KeyId, rsa));
        }
    }

    /// <summary>The header holding the token, or null.</summary>
    public string? HeaderName { get; }

    /// <summary>The query parameter holding the token, or null.</summary>
    public string? QueryName { get; }

    public bool VerifiesSignatures => _keys.Count > 0;

    /// <summary>Checks <paramref name="token"/> for a route requiring <paramref name="scopes"/> (null: none).</summary>
    public JwtCheck Check(string? token, HashSet<string>? scopes, out JwtPrincipal? principal, out string problem)
    {
        principal = null;
        problem = "";
        if (string.IsNullOrWhiteSpace(token))
        {
            problem = "no token";
            return JwtCheck.Missing;
        }

        var text = token.AsSpan().Trim();
        if (text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..].TrimStart();
        }

        var firstDot = text.IndexOf('.');
        var lastDot = text.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || text[(firstDot + 1)..lastDot].Contains('.'))
        {
            problem = "the token is not a JWS (three base64url parts)";
            return JwtCheck.Invalid;
        }

        byte[] headerBytes;
        byte[] payloadBytes;
        byte[] signature;
        try
        {
            headerBytes = Base64Url.DecodeFromChars(text[..firstDot]);
            payloadBytes = Base64Url.DecodeFromChars(text[(firstDot + 1)..lastDot]);
            signature = Base64Url.DecodeFromChars(text[(lastDot + 1)..]);
        }
        catch (FormatException)
        {
            problem = "a part of the token is not base64url";
            return JwtCheck.Invalid;
        }

        string? alg;
        string? kid;
        try
        {
            (alg, kid) = ReadHeader(headerBytes);
        }
        catch (JsonException)
        {
            problem = "the token's header is not a JSON object";
            return JwtCheck.Invalid;
        }

        if (VerifiesSignatures && !VerifySignature(text[..lastDot], signature, alg, kid, out problem))
        {
            return JwtCheck.Invalid;
        }

        Claims claims;
        try
        {
            claims = ReadClaims(payloadBytes);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            problem = "the token's payload is not a JSON object";
            return JwtCheck.Invalid;
        }

        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (claims.Exp is not { } exp)
        {
            problem = "the token has no exp claim";
            return JwtCheck.Invalid;
        }

        if (exp <= now)
        {
            problem = "the token has expired";
            return JwtCheck.Invalid;
        }

        if (claims.Nbf is { } nbf && nbf > now)
        {
            problem = "the token is not valid yet (nbf)";
            return JwtCheck.Invalid;
        }

        if (claims.Iat is { } iat && iat > now)
        {
            problem = "the token was issued in the future (iat)";
            return JwtCheck.Invalid;
        }

        if (!string.Equals(claims.Iss, _config.Issuer, StringComparison.Ordinal))
        {
            problem = $"the token's issuer '{claims.Iss}' is not '{_config.Issuer}'";
            return JwtCheck.Invalid;
        }

        var audienceOk = claims.Aud.Count > 0
            ? claims.Aud.Any(_audiences.Contains)
            : claims.ClientId is not null && _audiences.Contains(claims.ClientId);
        if (!audienceOk)
        {
            problem = claims.Aud.Count > 0 ? $"the token's audience [{string.Join(' ', claims.Aud)}] is not accepted" : "the token has no accepted aud or client_id";
            return JwtCheck.Invalid;
        }

        principal = new JwtPrincipal(claims.Rendered, claims.Scopes);
        if (scopes is not null && !claims.Scopes.Any(scopes.Contains))
        {
            problem = $"the token has none of the scopes [{string.Join(' ', scopes)}]";
            return JwtCheck.InsufficientScope;
        }

        return JwtCheck.Valid;
    }

    private bool VerifySignature(ReadOnlySpan<char> signedPart, byte[] signature, string? alg, string? kid, out string problem)
    {
        problem = "";
        var hash = alg switch
        {
            "RS256" => HashAlgorithmName.SHA256,
            "RS384" => HashAlgorithmName.SHA384,
            "RS512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            problem = $"the token's algorithm '{alg}' is not RS256, RS384 or RS512";
            return false;
        }

        var data = new byte[Encoding.ASCII.GetByteCount(signedPart)];
        Encoding.ASCII.GetBytes(signedPart, data);
        var candidates = kid is null ? _keys : _keys.Where(k => k.KeyId is null || k.KeyId == kid).ToList();
        if (candidates.Count == 0)
        {
            problem = $"no signing key has the token's kid '{kid}'";
            return false;
        }

        foreach (var (_, key) in candidates)
        {
            if (key.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1))
            {
                return true;
            }
        }

        problem = "the token's signature is not valid";
        return false;
    }

    private static (string? Alg, string? Kid) ReadHeader(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        string? alg = null;
        string? kid = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAlg = reader.ValueTextEquals("alg"u8);
            var isKid = reader.ValueTextEquals("kid"u8);
            reader.Read();
            if ((isAlg || isKid) && reader.TokenType == JsonTokenType.String)
            {
                if (isAlg)
                {
                    alg = reader.GetString();
                }
                else
                {
                    kid = reader.GetString();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (alg, kid);
    }

    private sealed class Claims
    {
        public List<KeyValuePair<string, string>> Rendered { get; } = [];

        public List<string> Aud { get; } = [];

        public List<string> Scopes { get; } = [];

        public string? ClientId { get; set; }

        public string? Iss { get; set; }

        public long? Exp { get; set; }

        public long? Nbf { get; set; }

        public long? Iat { get; set; }
    }

    /// <summary>Reads the payload; claims are rendered as API Gateway passes them to functions: strings as they
    /// are, numbers and booleans as their JSON text, arrays as <c>[a b c]</c>, objects as their JSON text.</summary>
    private static Claims ReadClaims(byte[] json)
    {
        var claims = new Claims();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            string rendered;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    rendered = reader.GetString()!;
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    rendered = Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                case JsonTokenType.StartArray:
                {
                    var items = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var itemStart = (int)reader.TokenStartIndex;
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            items.Add(reader.GetString()!);
                        }
                        else
                        {
                            reader.Skip();
                            items.Add(Encoding.UTF8.GetString(json.AsSpan(itemStart, (int)reader.BytesConsumed - itemStart)));
                        }
                    }

                    rendered = "[" + string.Join(' ', items) + "]";
                    if (name == "aud")
                    {
                        claims.Aud.AddRange(items);
                    }
                    else if (name == "scp")
                    {
                        claims.Scopes.AddRange(items);
                    }

                    break;
                }

                default:
                    reader.Skip();
                    rendered = Encoding.UTF8.GetString(json.AsSpan(start, (int)reader.BytesConsumed - start));
                    break;
            }

            switch (name)
            {
                case "iss":
                    claims.Iss = rendered;
                    break;
                case "aud" when reader.TokenType == JsonTokenType.String:
                    claims.Aud.Add(rendered);
                    break;
                case "client_id":
                    claims.ClientId = rendered;
                    break;
                case "exp":
                    claims.Exp = NumericDate(rendered);
                    break;
                case "nbf":
                    claims.Nbf = NumericDate(rendered);
                    break;
                case "iat":
                    claims.Iat = NumericDate(rendered);
                    break;
                case "scope" or "scp" when reader.TokenType == JsonTokenType.String:
                    claims.Scopes.AddRange(rendered.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
            }

            claims.Rendered.Add(new(name, rendered));
        }

        return claims;
    }

    private static long NumericDate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? (long)Math.Floor(value)
            : throw new FormatException("a date claim is not a number");

    public void Dispose()
    {
        foreach (var (_, key) in _keys)
        {
            key.Dispose();
        }
    }
}
