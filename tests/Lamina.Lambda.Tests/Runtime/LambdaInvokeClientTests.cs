using System.Net;
using System.Text;
using System.Text.Json.Serialization;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Invoke;

namespace Lamina.Lambda.Tests.Runtime;

public sealed record OrderRef(string OrderId);

public sealed record Invoice(string OrderId, decimal Total);

[JsonSerializable(typeof(OrderRef))]
[JsonSerializable(typeof(Invoice))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class InvokeTestJson : JsonSerializerContext;

public sealed class LambdaInvokeClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static InMemoryEnvironmentVariables LambdaEnvironment(params (string, string)[] extra)
    {
        var environment = new InMemoryEnvironmentVariables(new Dictionary<string, string>
        {
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDLAMINATEST",
            ["AWS_SECRET_ACCESS_KEY"] = "lamina/secret+key/EXAMPLE",
            ["AWS_SESSION_TOKEN"] = "session-token-EXAMPLE",
        });
        foreach (var (name, value) in extra)
        {
            environment.Set(name, value);
        }

        return environment;
    }

    private static (LambdaInvokeClient Client, RecordingHandler Handler) Create(
        Func<HttpRequestMessage, HttpResponseMessage> respond, InMemoryEnvironmentVariables? environment = null, string? targetVariable = null)
    {
        var handler = new RecordingHandler(respond);
        var http = new HttpClient(handler);
        environment ??= LambdaEnvironment();
        var clock = new FixedTimeProvider(Now);
        var client = targetVariable is null
            ? LambdaInvokeClient.FromEnvironment(http, environment, clock)
            : LambdaInvokeClient.FromEnvironment(targetVariable, http, environment, clock);
        return (client, handler);
    }

    [Fact]
    public async Task Posts_to_the_invocations_path_with_the_invocation_type_and_a_signature_botocore_agrees_with()
    {
        var (client, handler) = Create(_ => RecordingHandler.Json(HttpStatusCode.OK, """{"total":12.5}""",
            ("X-Amz-Executed-Version", "$LATEST"), ("x-amzn-RequestId", "req-1")));

        var response = await client.InvokeAsync("billing", """{"orderId":"o-1"}""");

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/billing/invocations", request.RequestUri!.AbsoluteUri);
        Assert.Equal("""{"orderId":"o-1"}""", Encoding.UTF8.GetString(body));
        Assert.Equal("RequestResponse", Assert.Single(request.Headers.GetValues("X-Amz-Invocation-Type")));
        Assert.Equal("20261127T100000Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.Equal("session-token-EXAMPLE", Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        // Expected value computed independently with botocore 1.43.11 (SigV4Auth, service "lambda") for the same
        // request, credentials and time.
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDLAMINATEST/20261127/eu-west-1/lambda/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type;x-amz-security-token, " +
            "Signature=7e0f12400300e7636567dc842203e2f3db76488f953819e6d4a664d1cbecea9c",
            Assert.Single(request.Headers.GetValues("Authorization")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.HasFunctionError);
        Assert.Equal("""{"total":12.5}""", response.PayloadText);
        Assert.Equal("$LATEST", response.ExecutedVersion);
        Assert.Equal("req-1", response.RequestId);
    }

    [Fact]
    public async Task Escapes_an_arn_in_the_path_and_signs_it_double_encoded_as_aws_sdks_do()
    {
        var (client, handler) = Create(_ => RecordingHandler.Json(HttpStatusCode.OK, "{}"));

        await client.InvokeAsync("arn:aws:lambda:eu-west-1:123456789012:function:billing", """{"orderId":"o-1"}""");

        var (request, _) = Assert.Single(handler.Requests);
        Assert.Equal("/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Abilling/invocations",
            request.RequestUri!.AbsolutePath);
        // botocore 1.43.11: canonical path /2015-03-31/functions/arn%253Aaws%253A.../invocations.
        Assert.EndsWith("Signature=01bdbc24f60385d23eefcce28093339043cb568753c3563bb2d53e723cb099a2",
            Assert.Single(request.Headers.GetValues("Authorization")));
    }

    [Fact]
    public async Task Event_invocations_use_the_custom_endpoint_and_sign_the_port_in_the_host()
    {
        var environment = LambdaEnvironment(("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL", "http://ignored:1"));
        environment.Set("AWS_REGION", null);
        environment.Set("AWS_SESSION_TOKEN", null);
        var (client, handler) = Create(_ => new HttpResponseMessage(HttpStatusCode.Accepted), environment);

        var response = await client.InvokeAsync("billing", """{"orderId":"o-2"}""", InvocationType.Event);

        var (request, _) = Assert.Single(handler.Requests);
        Assert.Equal("http://127.0.0.1:4566/2015-03-31/functions/billing/invocations", request.RequestUri!.AbsoluteUri);
        Assert.Equal("Event", Assert.Single(request.Headers.GetValues("X-Amz-Invocation-Type")));
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        // botocore 1.43.11, region us-east-1 (the default when only an endpoint is configured).
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDLAMINATEST/20261127/us-east-1/lambda/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, " +
            "Signature=920e3cf78c63c05bc46da6be0a8ce0227ad178934d7bdf9071caa226e52490ed",
            Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(response.Payload.IsEmpty);
    }

    [Fact]
    public async Task Surfaces_a_function_error_without_throwing()
    {
        var (client, _) = Create(_ => RecordingHandler.Json(HttpStatusCode.OK,
            """{"errorType":"InvalidOperationException","errorMessage":"no stock","stackTrace":["at Billing.Handle()"]}""",
            ("X-Amz-Function-Error", "Unhandled")));

        var response = await client.InvokeAsync("billing", "{}");

        Assert.True(response.HasFunctionError);
        Assert.Equal("Unhandled", response.FunctionError);
        Assert.Equal("InvalidOperationException", response.Error!.ErrorType);
        Assert.Equal("no stock", response.Error.ErrorMessage);
        Assert.Equal(["at Billing.Handle()"], response.Error.StackTrace);
    }

    [Fact]
    public async Task Typed_invocations_serialize_the_payload_and_read_the_result_unless_the_function_failed()
    {
        var answers = new Queue<HttpResponseMessage>([
            RecordingHandler.Json(HttpStatusCode.OK, """{"orderId":"o-7","total":42.5}"""),
            RecordingHandler.Json(HttpStatusCode.OK, """{"errorType":"Boom","errorMessage":"x"}""", ("X-Amz-Function-Error", "Unhandled")),
        ]);
        var (client, handler) = Create(_ => answers.Dequeue(), LambdaEnvironment(("BILLING_FUNCTION", "billing-prod")), "BILLING_FUNCTION");

        var ok = await client.InvokeTargetAsync(new OrderRef("o-7"), InvokeTestJson.Default.OrderRef, InvokeTestJson.Default.Invoice);
        var failed = await client.InvokeTargetAsync(new OrderRef("o-8"), InvokeTestJson.Default.OrderRef, InvokeTestJson.Default.Invoice);

        Assert.Equal("billing-prod", client.TargetFunctionName);
        Assert.Equal(new Invoice("o-7", 42.5m), ok.Result);
        Assert.Null(failed.Result);
        Assert.Equal("Boom", failed.Error!.ErrorType);
        Assert.Equal("/2015-03-31/functions/billing-prod/invocations", handler.Requests[0].Request.RequestUri!.AbsolutePath);
        Assert.Equal("""{"orderId":"o-7"}""", Encoding.UTF8.GetString(handler.Requests[0].Body));
    }

    [Fact]
    public void From_environment_fails_clearly_when_the_target_variable_is_missing()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            LambdaInvokeClient.FromEnvironment("BILLING_FUNCTION", new HttpClient(), LambdaEnvironment()));

        Assert.Contains("BILLING_FUNCTION", exception.Message);
    }

    [Fact]
    public void From_environment_needs_a_region_or_an_endpoint()
    {
        var environment = LambdaEnvironment();
        environment.Set("AWS_REGION", null);

        Assert.Throws<InvalidOperationException>(() => LambdaInvokeClient.FromEnvironment(new HttpClient(), environment));

        environment.Set("AWS_DEFAULT_REGION", "ap-south-1");
        Assert.Equal(new Uri("https://lambda.ap-south-1.amazonaws.com"), LambdaInvokeClient.FromEnvironment(new HttpClient(), environment).Options.Endpoint);
    }

    [Fact]
    public async Task A_rejected_request_throws_a_service_exception_with_the_error_code()
    {
        var (client, _) = Create(_ => RecordingHandler.Json(HttpStatusCode.NotFound,
            """{"Type":"User","Message":"Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope"}""",
            ("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.awslambda/"),
            ("x-amzn-RequestId", "req-404")));

        var exception = await Assert.ThrowsAsync<LambdaServiceException>(() => client.InvokeAsync("nope", "{}"));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.Equal("ResourceNotFoundException", exception.ErrorCode);
        Assert.StartsWith("Function not found", exception.ServiceMessage);
        Assert.Equal("req-404", exception.RequestId);
    }

    [Fact]
    public async Task Without_credentials_the_request_is_sent_unsigned()
    {
        var environment = new InMemoryEnvironmentVariables(new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000/" });
        var (client, handler) = Create(_ => RecordingHandler.Json(HttpStatusCode.OK, "null"), environment);

        await client.InvokeAsync("f", "{}", InvocationType.DryRun);

        var (request, _) = Assert.Single(handler.Requests);
        Assert.False(request.Headers.Contains("Authorization"));
        Assert.Equal("DryRun", Assert.Single(request.Headers.GetValues("X-Amz-Invocation-Type")));
    }

    [Fact]
    public async Task The_optional_content_sha256_header_carries_the_payload_hash()
    {
        var handler = new RecordingHandler(_ => RecordingHandler.Json(HttpStatusCode.OK, "{}"));
        var options = LambdaInvokeClientOptions.FromEnvironment(LambdaEnvironment(), new FixedTimeProvider(Now)) with { IncludeContentSha256Header = true };
        var client = new LambdaInvokeClient(new HttpClient(handler), options);

        await client.InvokeAsync("billing", "{}");

        var (request, _) = Assert.Single(handler.Requests);
        Assert.Equal(SigV4Signer.HashPayload("{}"u8), Assert.Single(request.Headers.GetValues("X-Amz-Content-Sha256")));
        Assert.Contains("x-amz-content-sha256", Assert.Single(request.Headers.GetValues("Authorization")));
    }
}
