using System.Text.Json;
using System.Text.Json.Serialization;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Events;

/// <summary>
/// The event an API Gateway REST API proxy integration sends (payload format 1.0; HTTP APIs configured for 1.0
/// send the same shape). AWS sends <c>null</c> for absent dictionaries and for an absent body.
/// </summary>
/// <remarks>
/// String dictionaries are read leniently (see <see cref="LenientStringDictionaryConverter"/>): AWS sends
/// strings, but a hand-written event such as <c>"queryStringParameters": {"postcode": 12345}</c> is accepted and
/// gives <c>"12345"</c>. <see cref="Headers"/> and <see cref="MultiValueHeaders"/> look names up case-insensitively.
/// </remarks>
public sealed class RestApiRequest : LambdaEventObject
{
    /// <summary>The API resource that matched, for example <c>"/items/{id}"</c>.</summary>
    [JsonPropertyName("resource")]
    public string? Resource { get; set; }

    /// <summary>The request path.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>The HTTP method, for example <c>"GET"</c>.</summary>
    [JsonPropertyName("httpMethod")]
    public string? HttpMethod { get; set; }

    /// <summary>The request headers (the last value of a repeated header), or null. Case-insensitive lookup.</summary>
    [JsonPropertyName("headers")]
    [JsonConverter(typeof(LenientHeaderDictionaryConverter))]
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>All values of every request header, or null. Case-insensitive lookup.</summary>
    [JsonPropertyName("multiValueHeaders")]
    [JsonConverter(typeof(LenientHeaderListDictionaryConverter))]
    public Dictionary<string, List<string>>? MultiValueHeaders { get; set; }

    /// <summary>The query parameters (the last value of a repeated one), or null when there are none.</summary>
    [JsonPropertyName("queryStringParameters")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>All values of every query parameter, or null when there are none.</summary>
    [JsonPropertyName("multiValueQueryStringParameters")]
    [JsonConverter(typeof(LenientStringListDictionaryConverter))]
    public Dictionary<string, List<string>>? MultiValueQueryStringParameters { get; set; }

    /// <summary>The values of the resource's path variables, or null.</summary>
    [JsonPropertyName("pathParameters")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? PathParameters { get; set; }

    /// <summary>The stage variables, or null.</summary>
    [JsonPropertyName("stageVariables")]
    [JsonConverter(typeof(LenientStringDictionaryConverter))]
    public Dictionary<string, string>? StageVariables { get; set; }

    /// <summary>Details of the request: account, API, stage, caller identity and authorizer.</summary>
    [JsonPropertyName("requestContext")]
    public RestApiRequestContext? RequestContext { get; set; }

    /// <summary>The request body, base64-encoded when <see cref="IsBase64Encoded"/> is true; null when there is none.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; set; }

    /// <summary>True when <see cref="Body"/> is base64-encoded binary.</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool IsBase64Encoded { get; set; }

    /// <summary>The body as text: decoded from base64 (as UTF-8) when <see cref="IsBase64Encoded"/> is true; null when there is no body.</summary>
    public string? GetBodyText() => ApiGatewayBody.Decode(Body, IsBase64Encoded);
}

/// <summary>The <c>requestContext</c> of a REST API proxy event.</summary>
public sealed class RestApiRequestContext : LambdaEventObject
{
    /// <summary>The AWS account id of the API owner.</summary>
    [JsonPropertyName("accountId")]
    public string? AccountId { get; set; }

    /// <summary>The API id.</summary>
    [JsonPropertyName("apiId")]
    public string? ApiId { get; set; }

    /// <summary>What the method's authorizer returned (Cognito claims or a Lambda authorizer's context, free-form JSON), or null.</summary>
    [JsonPropertyName("authorizer")]
    public JsonElement? Authorizer { get; set; }

    /// <summary>The deployment id.</summary>
    [JsonPropertyName("deploymentId")]
    public string? DeploymentId { get; set; }

    /// <summary>The host name the client called.</summary>
    [JsonPropertyName("domainName")]
    public string? DomainName { get; set; }

    /// <summary>The first label of <see cref="DomainName"/>.</summary>
    [JsonPropertyName("domainPrefix")]
    public string? DomainPrefix { get; set; }

    /// <summary>The extended request id API Gateway generates.</summary>
    [JsonPropertyName("extendedRequestId")]
    public string? ExtendedRequestId { get; set; }

    /// <summary>The HTTP method.</summary>
    [JsonPropertyName("httpMethod")]
    public string? HttpMethod { get; set; }

    /// <summary>The caller's identity.</summary>
    [JsonPropertyName("identity")]
    public RestApiRequestIdentity? Identity { get; set; }

    /// <summary>The full request path including the stage, for example <c>"/Prod/items/1"</c>.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>The protocol, for example <c>"HTTP/1.1"</c>.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    /// <summary>The id API Gateway gave this request.</summary>
    [JsonPropertyName("requestId")]
    public string? RequestId { get; set; }

    /// <summary>The request time in CLF format, for example <c>"09/Apr/2015:12:34:56 +0000"</c> (kept as text).</summary>
    [JsonPropertyName("requestTime")]
    public string? RequestTime { get; set; }

    /// <summary>The request time in epoch milliseconds (0 when the event did not carry it).</summary>
    [JsonPropertyName("requestTimeEpoch")]
    public long RequestTimeEpoch { get; set; }

    /// <summary>The resource id.</summary>
    [JsonPropertyName("resourceId")]
    public string? ResourceId { get; set; }

    /// <summary>The resource path, for example <c>"/items/{id}"</c>.</summary>
    [JsonPropertyName("resourcePath")]
    public string? ResourcePath { get; set; }

    /// <summary>The stage name.</summary>
    [JsonPropertyName("stage")]
    public string? Stage { get; set; }
}

/// <summary>The <c>requestContext.identity</c> of a REST API proxy event; most members are null unless IAM, Cognito or API keys are used.</summary>
public sealed class RestApiRequestIdentity : LambdaEventObject
{
    /// <summary>The caller's access key id.</summary>
    [JsonPropertyName("accessKey")]
    public string? AccessKey { get; set; }

    /// <summary>The caller's AWS account id.</summary>
    [JsonPropertyName("accountId")]
    public string? AccountId { get; set; }

    /// <summary>The API key the caller sent.</summary>
    [JsonPropertyName("apiKey")]
    public string? ApiKey { get; set; }

    /// <summary>The id of the API key the caller sent.</summary>
    [JsonPropertyName("apiKeyId")]
    public string? ApiKeyId { get; set; }

    /// <summary>The caller's principal id.</summary>
    [JsonPropertyName("caller")]
    public string? Caller { get; set; }

    /// <summary>The client certificate, when the API uses mutual TLS.</summary>
    [JsonPropertyName("clientCert")]
    public ApiGatewayClientCertificate? ClientCert { get; set; }

    /// <summary>The Cognito authentication provider.</summary>
    [JsonPropertyName("cognitoAuthenticationProvider")]
    public string? CognitoAuthenticationProvider { get; set; }

    /// <summary>The Cognito authentication type.</summary>
    [JsonPropertyName("cognitoAuthenticationType")]
    public string? CognitoAuthenticationType { get; set; }

    /// <summary>The Cognito identity id.</summary>
    [JsonPropertyName("cognitoIdentityId")]
    public string? CognitoIdentityId { get; set; }

    /// <summary>The Cognito identity pool id.</summary>
    [JsonPropertyName("cognitoIdentityPoolId")]
    public string? CognitoIdentityPoolId { get; set; }

    /// <summary>The AWS Organizations id of the caller's account.</summary>
    [JsonPropertyName("principalOrgId")]
    public string? PrincipalOrgId { get; set; }

    /// <summary>The IP address of the TCP connection's client.</summary>
    [JsonPropertyName("sourceIp")]
    public string? SourceIp { get; set; }

    /// <summary>The caller's user id.</summary>
    [JsonPropertyName("user")]
    public string? User { get; set; }

    /// <summary>The <c>User-Agent</c> header.</summary>
    [JsonPropertyName("userAgent")]
    public string? UserAgent { get; set; }

    /// <summary>The caller's ARN.</summary>
    [JsonPropertyName("userArn")]
    public string? UserArn { get; set; }
}
