using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class RestApiEventTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Proxy_sample_deserializes_field_by_field()
    {
        var e = EventJson.Read(EventJson.Sample("rest-api-proxy.json"), Json.RestApiRequest);

        Assert.Equal("/pets/{petId}", e.Resource);
        Assert.Equal("/pets/42", e.Path);
        Assert.Equal("GET", e.HttpMethod);
        Assert.Equal(8, e.Headers!.Count);
        Assert.Equal("gzip, deflate", e.Headers["Accept-Encoding"]);
        Assert.Equal("https", e.Headers["x-forwarded-proto"]);
        Assert.Equal(8, e.MultiValueHeaders!.Count);
        Assert.Equal(["443"], e.MultiValueHeaders["X-Forwarded-Port"]);
        Assert.Equal(["192.0.2.10, 203.0.113.5"], e.MultiValueHeaders["x-forwarded-for"]);
        Assert.Equal("name", e.QueryStringParameters!["fields"]);
        Assert.Equal(["id", "name"], e.MultiValueQueryStringParameters!["fields"]);
        Assert.Equal(["fr"], e.MultiValueQueryStringParameters["lang"]);
        Assert.Equal("42", e.PathParameters!["petId"]);
        Assert.Equal("blue", e.StageVariables!["backend"]);
        Assert.Null(e.Body);
        Assert.Null(e.GetBodyText());
        Assert.False(e.IsBase64Encoded);

        var rc = e.RequestContext!;
        Assert.Equal("345678901234", rc.AccountId);
        Assert.Equal("k1l2m3n4o5", rc.ApiId);
        Assert.Equal("d3pl0y", rc.DeploymentId);
        Assert.Equal("k1l2m3n4o5.execute-api.ap-southeast-2.amazonaws.com", rc.DomainName);
        Assert.Equal("k1l2m3n4o5", rc.DomainPrefix);
        Assert.Equal("TqD2xFw5SwMF8xA=", rc.ExtendedRequestId);
        Assert.Equal("GET", rc.HttpMethod);
        Assert.Equal("/prod/pets/42", rc.Path);
        Assert.Equal("HTTP/1.1", rc.Protocol);
        Assert.Equal("c7a4e5b6-1f2d-4e3c-9b8a-7d6e5f4a3b2c", rc.RequestId);
        Assert.Equal("11/Mar/2025:07:08:09 +0000", rc.RequestTime);
        Assert.Equal(1741676889123L, rc.RequestTimeEpoch);
        Assert.Equal("r3s0ur", rc.ResourceId);
        Assert.Equal("/pets/{petId}", rc.ResourcePath);
        Assert.Equal("prod", rc.Stage);

        var authorizer = rc.Authorizer!.Value;
        Assert.Equal("alice", authorizer.GetProperty("principalId").GetString());
        Assert.Equal("alice", authorizer.GetProperty("claims").GetProperty("cognito:username").GetString());
        Assert.Equal(12, authorizer.GetProperty("integrationLatency").GetInt32());

        var identity = rc.Identity!;
        Assert.Equal("192.0.2.10", identity.SourceIp);
        Assert.Equal("Mozilla/5.0 (X11; Linux x86_64)", identity.UserAgent);
        Assert.Equal("test-invoke-api-key", identity.ApiKey);
        Assert.Equal("key123", identity.ApiKeyId);
        Assert.Null(identity.AccessKey);
        Assert.Null(identity.CognitoIdentityPoolId);
        Assert.Null(identity.ClientCert);
        Assert.Null(identity.UserArn);

        EventJson.AssertAllFieldsModelled(e);
    }

    [Fact]
    public void Proxy_sample_round_trips() =>
        EventJson.AssertRoundTrips(EventJson.Sample("rest-api-proxy.json"), Json.RestApiRequest);

    [Fact]
    public void Serialized_request_uses_aws_names()
    {
        var e = EventJson.Read(EventJson.Sample("rest-api-proxy.json"), Json.RestApiRequest);
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(e, Json.RestApiRequest));
        var root = doc.RootElement;
        Assert.Equal("https", root.GetProperty("multiValueHeaders").GetProperty("X-Forwarded-Proto")[0].GetString());
        Assert.Equal("id", root.GetProperty("multiValueQueryStringParameters").GetProperty("fields")[0].GetString());
        Assert.Equal("192.0.2.10", root.GetProperty("requestContext").GetProperty("identity").GetProperty("sourceIp").GetString());
        Assert.Equal(1741676889123L, root.GetProperty("requestContext").GetProperty("requestTimeEpoch").GetInt64());
    }

    [Fact]
    public void Seed_note_sample_with_a_numeric_query_value_deserializes()
    {
        var e = EventJson.Read(EventJson.Sample("rest-api-seed-note.json"), Json.RestApiRequest);

        Assert.Equal("/", e.Resource);
        Assert.Equal("/", e.Path);
        Assert.Equal("GET", e.HttpMethod);
        Assert.Equal("/", e.RequestContext!.ResourcePath);
        Assert.Equal("GET", e.RequestContext.HttpMethod);
        Assert.Equal("/Prod/", e.RequestContext.Path);
        Assert.Equal("text/html", e.Headers!["accept"]);
        Assert.Equal("Mozilla/5.0", e.Headers["user-agent"]);
        Assert.Equal("xxx.us-east-2.amazonaws.com", e.Headers["Host"]);
        Assert.Equal(["gzip, deflate, br"], e.MultiValueHeaders!["accept-encoding"]);
        // The note writes the number 12345; AWS sends "12345". Both read as the string "12345".
        Assert.Equal("12345", e.QueryStringParameters!["postcode"]);
        Assert.Null(e.MultiValueQueryStringParameters);
        Assert.Null(e.PathParameters);
        Assert.Null(e.StageVariables);
        Assert.Null(e.Body);
        Assert.False(e.IsBase64Encoded);
        EventJson.AssertAllFieldsModelled(e);

        // Written back, the value is a JSON string (the AWS shape).
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(e, Json.RestApiRequest));
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("queryStringParameters").GetProperty("postcode").ValueKind);
    }
}
