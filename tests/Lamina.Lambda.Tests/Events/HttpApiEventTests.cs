using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda.Tests.Events;

public sealed class HttpApiEventTests
{
    private static readonly LambdaEventsJsonContext Json = LambdaEventsJsonContext.Default;

    [Fact]
    public void Jwt_sample_deserializes_field_by_field()
    {
        var e = EventJson.Read(EventJson.Sample("http-api-v2-jwt.json"), Json.HttpApiRequest);

        Assert.Equal("2.0", e.Version);
        Assert.Equal("POST /orders/{orderId}", e.RouteKey);
        Assert.Equal("/orders/ord-7781", e.RawPath);
        Assert.Equal("expand=items&expand=customer&dryRun=true", e.RawQueryString);
        Assert.Equal(["session=9f2c1e", "theme=dark"], e.Cookies!);
        Assert.Equal(8, e.Headers!.Count);
        Assert.Equal("application/json", e.Headers["content-type"]);
        Assert.Equal("a,b", e.Headers["x-trace"]);
        Assert.Equal("items,customer", e.QueryStringParameters!["expand"]);
        Assert.Equal("true", e.QueryStringParameters["dryRun"]);
        Assert.Equal("ord-7781", e.PathParameters!["orderId"]);
        Assert.Equal("orders-prod", e.StageVariables!["tableName"]);
        Assert.Equal("{\"quantity\":3,\"sku\":\"B-42\"}", e.Body);
        Assert.False(e.IsBase64Encoded);
        Assert.Equal(e.Body, e.GetBodyText());

        var rc = e.RequestContext!;
        Assert.Equal("210987654321", rc.AccountId);
        Assert.Equal("q7w8e9r0t1", rc.ApiId);
        Assert.Equal("q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com", rc.DomainName);
        Assert.Equal("q7w8e9r0t1", rc.DomainPrefix);
        Assert.Equal("Zx1yW2vUkFAEMdQ=", rc.RequestId);
        Assert.Equal("POST /orders/{orderId}", rc.RouteKey);
        Assert.Equal("$default", rc.Stage);
        Assert.Equal("03/Feb/2025:14:15:16 +0000", rc.Time);
        Assert.Equal(1738592116789L, rc.TimeEpoch);

        Assert.Equal("POST", rc.Http!.Method);
        Assert.Equal("/orders/ord-7781", rc.Http.Path);
        Assert.Equal("HTTP/1.1", rc.Http.Protocol);
        Assert.Equal("198.51.100.23", rc.Http.SourceIp);
        Assert.Equal("curl/8.5.0", rc.Http.UserAgent);

        var jwt = rc.Authorizer!.Jwt!;
        Assert.Equal("user-1234", jwt.Claims!["sub"]);
        Assert.Equal("1735689600", jwt.Claims["exp"]);
        Assert.Equal(["orders:write", "orders:read"], jwt.Scopes!);
        Assert.Null(rc.Authorizer.Iam);
        Assert.Null(rc.Authorizer.Lambda);

        var cert = rc.Authentication!.ClientCert!;
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", cert.ClientCertPem);
        Assert.Equal("CN=client.example.org", cert.SubjectDN);
        Assert.Equal("CN=Example Test CA", cert.IssuerDN);
        Assert.Equal("0f:1e:2d:3c:4b:5a:69:78", cert.SerialNumber);
        Assert.Equal("Jan 10 08:00:00 2024 GMT", cert.Validity!.NotBefore);
        Assert.Equal("Jan 10 08:00:00 2026 GMT", cert.Validity.NotAfter);

        EventJson.AssertAllFieldsModelled(e);
    }

    [Fact]
    public void Iam_sample_deserializes_with_lambda_context_and_base64_body()
    {
        var e = EventJson.Read(EventJson.Sample("http-api-v2-iam.json"), Json.HttpApiRequest);

        Assert.Equal("$default", e.RouteKey);
        Assert.Equal("", e.RawQueryString);
        Assert.Null(e.Cookies);
        Assert.Null(e.QueryStringParameters);
        Assert.Equal("PUT", e.RequestContext!.Http!.Method);
        Assert.Equal("HTTP/2.0", e.RequestContext.Http.Protocol);

        var iam = e.RequestContext.Authorizer!.Iam!;
        Assert.Equal("ASIAEXAMPLEKEY000001", iam.AccessKey);
        Assert.Equal("109876543210", iam.AccountId);
        Assert.Equal("AROAEXAMPLEROLEID:build-bot", iam.CallerId);
        Assert.Equal("o-exampleorg1", iam.PrincipalOrgId);
        Assert.Equal("arn:aws:sts::109876543210:assumed-role/builder/build-bot", iam.UserArn);
        Assert.Equal("AROAEXAMPLEROLEID:build-bot", iam.UserId);
        Assert.Equal("us-east-2:11111111-2222-3333-4444-555555555555", iam.CognitoIdentity!.IdentityId);
        Assert.Equal("us-east-2:66666666-7777-8888-9999-000000000000", iam.CognitoIdentity.IdentityPoolId);
        Assert.Equal(2, iam.CognitoIdentity.Amr!.Count);

        var lambda = e.RequestContext.Authorizer.Lambda!.Value;
        Assert.Equal("acme", lambda.GetProperty("tenant").GetString());
        Assert.Equal(2, lambda.GetProperty("tier").GetInt32());
        Assert.True(lambda.GetProperty("beta").GetBoolean());

        Assert.True(e.IsBase64Encoded);
        Assert.Equal("hello, binary world", e.GetBodyText());
        EventJson.AssertAllFieldsModelled(e);
    }

    [Theory]
    [InlineData("http-api-v2-jwt.json")]
    [InlineData("http-api-v2-iam.json")]
    public void Samples_round_trip(string file) =>
        EventJson.AssertRoundTrips(EventJson.Sample(file), Json.HttpApiRequest);

    [Fact]
    public void Serialized_request_uses_aws_names()
    {
        var e = EventJson.Read(EventJson.Sample("http-api-v2-jwt.json"), Json.HttpApiRequest);
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(e, Json.HttpApiRequest));
        var root = doc.RootElement;
        Assert.Equal("POST", root.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
        Assert.Equal(1738592116789L, root.GetProperty("requestContext").GetProperty("timeEpoch").GetInt64());
        Assert.Equal("orders:read", root.GetProperty("requestContext").GetProperty("authorizer").GetProperty("jwt").GetProperty("scopes")[1].GetString());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Fact]
    public void Header_lookup_is_case_insensitive()
    {
        var e = EventJson.Read(EventJson.Sample("http-api-v2-jwt.json"), Json.HttpApiRequest);
        Assert.Equal("curl/8.5.0", e.Headers!["User-Agent"]);
        // Query parameters stay case-sensitive.
        Assert.False(e.QueryStringParameters!.ContainsKey("DRYRUN"));
    }
}
