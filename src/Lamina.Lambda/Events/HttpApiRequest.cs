using System.Text.Json;
using System.Text.Json.Serialization;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>
/// The event API Gateway HTTP APIs (and Lambda function URLs) send with payload format version 2.0.
/// Header names arrive lower-cased; repeated headers and query parameters are joined with commas; all
/// <c>Cookie</c> headers are split into <see cref="Cookies"/>.
/// </summary>
/// <remarks>
/// String dictionaries are read leniently (see <see cref="LenientStringDictionaryConverter"/>): numbers and
/// booleans are accepted as their JSON text. <see cref="Headers"/> looks names up case-insensitively.
/// </remarks>
public sealed class HttpApiRequest : LambdaEventObject
{
    /// <summary>The payload format version, <c>"2.0"</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>The matched route, for example <c>"GET /items/{id}"</c> or <c>"$default"</c>.</summary>
    [JsonPropertyName("routeKey")]
    public string? RouteKey { get; set; }

    /// <summary>The request path, without the stage when a custom domain mapping is used.</summary>
    [JsonPropertyName("rawPath")]
    public string? RawPath { get; set; }

    /// <summary>The query string as the client sent it, without the leading <c>?</c> (empty when there is none).</summary>
    [JsonPropertyName("rawQueryString")]
    public string? RawQueryString { get; set; }

    /// <summary>The request cookies (<c>name=value</c> each), or null when the request had none.</summary>
    [JsonPropertyName("cookies")]
    public List<string>? Cookies { get; set; }

    /// <summary>The request headers; repeated headers are joined with commas. Case-insensitive lookup.</summary>
    [JsonPropertyName("headers")]
    [JsonConverter(typeof(LenientHeaderDictionaryConverter))]
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>The query parameters; repeated ones are joined with commas. Null when there are none.</summary>
    [JsonPropertyName("queryStringParameters")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>The values of the route's path variables, or null when the route has none.</summary>
    [JsonPropertyName("pathParameters")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? PathParameters { get; set; }

    /// <summary>The stage variables, or null when the stage has none.</summary>
    [JsonPropertyName("stageVariables")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? StageVariables { get; set; }

    /// <summary>Details of the request: account, API, route, caller and authorizer.</summary>
    [JsonPropertyName("requestContext")]
    public HttpApiRequestContext? RequestContext { get; set; }

    /// <summary>The request body, base64-encoded when <see cref="IsBase64Encoded"/> is true; null when there is none.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>True when <see cref="Body"/> is base64-encoded binary.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    /// <summary>The body as text: decoded from base64 (as UTF-8) when <see cref="IsBase64Encoded"/> is true; null when there is no body.</summary>
    public string? GetBodyText() => ApiGatewayBody.Decode(Body, IsBase64Encoded);
}

/// <summary>The <c>requestContext</c> of an HTTP API payload 2.0 event.</summary>
public sealed class HttpApiRequestContext : LambdaEventObject
{
    /// <summary>The AWS account id of the API owner.</summary>
    [JsonPropertyName("accountId")]
    public string? AccountId { get; set; }

    /// <summary>The API id.</summary>
    [JsonPropertyName("apiId")]
    public string? ApiId { get; set; }

    /// <summary>Mutual-TLS details, present when the API uses mutual TLS.</summary>
    [JsonPropertyName("authentication")]
    public HttpApiAuthentication? Authentication { get; set; }

    /// <summary>What the route's authorizer established (JWT claims, IAM caller or Lambda authorizer context), or null.</summary>
    [JsonPropertyName("authorizer")]
    public HttpApiAuthorizer? Authorizer { get; set; }

    /// <summary>The host name the client called.</summary>
    [JsonPropertyName("domainName")]
    public string? DomainName { get; set; }

    /// <summary>The first label of <see cref="DomainName"/>.</summary>
    [JsonPropertyName("domainPrefix")]
    public string? DomainPrefix { get; set; }

    /// <summary>The HTTP method, path, protocol, source IP and user agent of the request.</summary>
    [JsonPropertyName("http")]
    public HttpApiHttpDescription? Http { get; set; }

    /// <summary>The id API Gateway gave this request.</summary>
    [JsonPropertyName("requestId")]
    public string? RequestId { get; set; }

    /// <summary>The matched route, as in <see cref="HttpApiRequest.RouteKey"/>.</summary>
    [JsonPropertyName("routeKey")]
    public string? RouteKey { get; set; }

    /// <summary>The stage name, for example <c>"$default"</c>.</summary>
    [JsonPropertyName("stage")]
    public string? Stage { get; set; }

    /// <summary>The request time in CLF format, for example <c>"12/Mar/2020:19:03:58 +0000"</c> (kept as text).</summary>
    [JsonPropertyName("time")]
    public string? Time { get; set; }

    /// <summary>The request time in epoch milliseconds.</summary>
    [JsonPropertyName("timeEpoch")]
    public long TimeEpoch { get; set; }
}

/// <summary>The <c>requestContext.http</c> object of an HTTP API payload 2.0 event.</summary>
public sealed class HttpApiHttpDescription : LambdaEventObject
{
    /// <summary>The HTTP method, for example <c>"POST"</c>.</summary>
    [JsonPropertyName("method")]
    public string? Method { get; set; }

    /// <summary>The request path.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>The protocol, for example <c>"HTTP/1.1"</c>.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    /// <summary>The IP address of the TCP connection's client.</summary>
    [JsonPropertyName("sourceIp")]
    public string? SourceIp { get; set; }

    /// <summary>The <c>User-Agent</c> header.</summary>
    [JsonPropertyName("userAgent")]
    public string? UserAgent { get; set; }
}

/// <summary>The <c>requestContext.authorizer</c> object of an HTTP API payload 2.0 event; one member is set, depending on the authorizer type.</summary>
public sealed class HttpApiAuthorizer : LambdaEventObject
{
    /// <summary>Set by a JWT authorizer.</summary>
    [JsonPropertyName("jwt")]
    public HttpApiJwtAuthorizer? Jwt { get; set; }

    /// <summary>Set by IAM authorization.</summary>
    [JsonPropertyName("iam")]
    public HttpApiIamAuthorizer? Iam { get; set; }

    /// <summary>The context a Lambda authorizer returned (free-form JSON), or null.</summary>
    [JsonPropertyName("lambda")]
    public JsonElement? Lambda { get; set; }
}

/// <summary>The claims and scopes of a JWT authorizer.</summary>
public sealed class HttpApiJwtAuthorizer : LambdaEventObject
{
    /// <summary>
    /// The token's claims. API Gateway sends them as strings; other JSON values are kept as their JSON text
    /// (see <see cref="LenientStringDictionaryConverter"/>).
    /// </summary>
    [JsonPropertyName("claims")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? Claims { get; set; }

    /// <summary>The token's scopes, or null when the route requires none.</summary>
    [JsonPropertyName("scopes")]
    public List<string>? Scopes { get; set; }
}

/// <summary>The caller identity established by IAM authorization.</summary>
public sealed class HttpApiIamAuthorizer : LambdaEventObject
{
    /// <summary>The caller's access key id.</summary>
    [JsonPropertyName("accessKey")]
    public string? AccessKey { get; set; }

    /// <summary>The caller's AWS account id.</summary>
    [JsonPropertyName("accountId")]
    public string? AccountId { get; set; }

    /// <summary>The caller's principal id.</summary>
    [JsonPropertyName("callerId")]
    public string? CallerId { get; set; }

    /// <summary>The Cognito identity of the caller, when it used Cognito credentials.</summary>
    [JsonPropertyName("cognitoIdentity")]
    public HttpApiCognitoIdentity? CognitoIdentity { get; set; }

    /// <summary>The AWS Organizations id of the caller's account, or null.</summary>
    [JsonPropertyName("principalOrgId")]
    public string? PrincipalOrgId { get; set; }

    /// <summary>The caller's ARN.</summary>
    [JsonPropertyName("userArn")]
    public string? UserArn { get; set; }

    /// <summary>The caller's user id.</summary>
    [JsonPropertyName("userId")]
    public string? UserId { get; set; }
}

/// <summary>Cognito identity details of an IAM-authorized caller.</summary>
public sealed class HttpApiCognitoIdentity : LambdaEventObject
{
    /// <summary>The authentication method references.</summary>
    [JsonPropertyName("amr")]
    public List<string>? Amr { get; set; }

    /// <summary>The Cognito identity id.</summary>
    [JsonPropertyName("identityId")]
    public string? IdentityId { get; set; }

    /// <summary>The Cognito identity pool id.</summary>
    [JsonPropertyName("identityPoolId")]
    public string? IdentityPoolId { get; set; }
}

/// <summary>The <c>requestContext.authentication</c> object (mutual TLS).</summary>
public sealed class HttpApiAuthentication : LambdaEventObject
{
    /// <summary>The client certificate the caller presented.</summary>
    [JsonPropertyName("clientCert")]
    public ApiGatewayClientCertificate? ClientCert { get; set; }
}

/// <summary>A client certificate presented over mutual TLS (HTTP and REST APIs).</summary>
public sealed class ApiGatewayClientCertificate : LambdaEventObject
{
    /// <summary>The PEM-encoded certificate.</summary>
    [JsonPropertyName("clientCertPem")]
    public string? ClientCertPem { get; set; }

    /// <summary>The subject distinguished name.</summary>
    [JsonPropertyName("subjectDN")]
    public string? SubjectDN { get; set; }

    /// <summary>The issuer distinguished name.</summary>
    [JsonPropertyName("issuerDN")]
    public string? IssuerDN { get; set; }

    /// <summary>The serial number.</summary>
    [JsonPropertyName("serialNumber")]
    public string? SerialNumber { get; set; }

    /// <summary>The validity period.</summary>
    [JsonPropertyName("validity")]
    public ApiGatewayClientCertificateValidity? Validity { get; set; }
}

/// <summary>The validity period of a client certificate, as the text API Gateway sends.</summary>
public sealed class ApiGatewayClientCertificateValidity : LambdaEventObject
{
    /// <summary>Start of validity, for example <c>"May 28 12:30:02 2019 GMT"</c>.</summary>
    [JsonPropertyName("notBefore")]
    public string? NotBefore { get; set; }

    /// <summary>End of validity.</summary>
    [JsonPropertyName("notAfter")]
    public string? NotAfter { get; set; }
}
