using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Lambda.Invoke;

/// <summary>
/// Calls another Lambda function (<c>POST /2015-03-31/functions/{name}/invocations</c>), signed with Lamina's own
/// Signature Version 4 signer (<see cref="SigV4Signer"/>) rather than the AWS SDK, so it stays small and AOT-safe.
/// </summary>
/// <remarks>
/// <para>A function error is not an exception: the response carries <see cref="LambdaInvokeResponse.FunctionError"/>
/// (<c>X-Amz-Function-Error</c>) and the error document. A request Lambda rejects (unknown function, throttling,
/// permissions) throws <see cref="LambdaServiceException"/>.</para>
/// <para>Constructs pass the name of a function's invoke target in an environment variable; the function then
/// uses <see cref="FromEnvironment(string,HttpClient?,IEnvironmentVariables?,TimeProvider?)"/> and the
/// <c>InvokeTargetAsync</c> methods.</para>
/// </remarks>
/// <example>
/// <code>
/// var billing = LambdaInvokeClient.FromEnvironment("BILLING_FUNCTION_NAME");
/// var response = await billing.InvokeTargetAsync(order, Json.Default.Order, Json.Default.Invoice, ct);
/// if (response.HasFunctionError) { /* response.Error!.ErrorType ... */ }
/// </code>
/// </example>
public sealed class LambdaInvokeClient
{
    /// <summary>The signing name of Lambda.</summary>
    public const string ServiceName = "lambda";

    private static readonly Lazy<HttpClient> SharedHttpClient = new(static () =>
        new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromMinutes(15),
        });

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _http;

    /// <summary>Creates a client.</summary>
    /// <param name="httpClient">The HTTP client. Synchronous invocations can last up to 15 minutes; its timeout
    /// should allow for that.</param>
    /// <param name="options">Endpoint, region, credentials, clock.</param>
    public LambdaInvokeClient(HttpClient httpClient, LambdaInvokeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        Options = options;
    }

    /// <summary>The options in use.</summary>
    public LambdaInvokeClientOptions Options { get; }

    /// <summary>The function the <c>InvokeTargetAsync</c> methods call, or null.</summary>
    public string? TargetFunctionName => Options.TargetFunctionName;

    /// <summary>
    /// Creates a client from the environment Lambda gives a function (see
    /// <see cref="LambdaInvokeClientOptions.FromEnvironment"/>).
    /// </summary>
    /// <param name="httpClient">The HTTP client; default: one shared by the process.</param>
    /// <param name="environment">The environment; default: the process environment.</param>
    /// <param name="timeProvider">The clock; default: the system clock.</param>
    public static LambdaInvokeClient FromEnvironment(HttpClient? httpClient = null, IEnvironmentVariables? environment = null, TimeProvider? timeProvider = null) =>
        new(httpClient ?? SharedHttpClient.Value,
            LambdaInvokeClientOptions.FromEnvironment(environment ?? ProcessEnvironmentVariables.Instance, timeProvider));

    /// <summary>
    /// Creates a client whose target is the function named by the environment variable
    /// <paramref name="envVarHoldingTargetName"/> (set by the construct that granted the invoke permission).
    /// </summary>
    /// <param name="envVarHoldingTargetName">The variable holding the target's name or ARN.</param>
    /// <param name="httpClient">The HTTP client; default: one shared by the process.</param>
    /// <param name="environment">The environment; default: the process environment.</param>
    /// <param name="timeProvider">The clock; default: the system clock.</param>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    public static LambdaInvokeClient FromEnvironment(
        string envVarHoldingTargetName,
        HttpClient? httpClient = null,
        IEnvironmentVariables? environment = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(envVarHoldingTargetName);
        environment ??= ProcessEnvironmentVariables.Instance;
        var target = environment.Get(envVarHoldingTargetName);
        if (string.IsNullOrEmpty(target))
        {
            throw new InvalidOperationException(
                $"The environment variable '{envVarHoldingTargetName}' that should name the function to invoke is not set.");
        }

        var options = LambdaInvokeClientOptions.FromEnvironment(environment, timeProvider) with { TargetFunctionName = target };
        return new LambdaInvokeClient(httpClient ?? SharedHttpClient.Value, options);
    }

    /// <summary>Invokes <paramref name="functionName"/> with a JSON payload.</summary>
    /// <param name="functionName">Name, name:qualifier, or ARN of the function.</param>
    /// <param name="payloadJson">The event as JSON text.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LambdaInvokeResponse> InvokeAsync(
        string functionName,
        string payloadJson,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return InvokeAsync(functionName, Encoding.UTF8.GetBytes(payloadJson), invocationType, cancellationToken);
    }

    /// <summary>Invokes <paramref name="functionName"/> with a UTF-8 payload.</summary>
    /// <param name="functionName">Name, name:qualifier, or ARN of the function.</param>
    /// <param name="payload">The event bytes.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LambdaServiceException">Lambda rejected the request.</exception>
    public async Task<LambdaInvokeResponse> InvokeAsync(
        string functionName,
        ReadOnlyMemory<byte> payload,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        using var request = CreateRequest(functionName, payload, invocationType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, "x-amzn-RequestId");
        if (!response.IsSuccessStatusCode)
        {
            throw CreateServiceException(response, body, requestId);
        }

        return new LambdaInvokeResponse(response.StatusCode, body,
            Header(response, "X-Amz-Function-Error"), Header(response, "X-Amz-Executed-Version"), requestId);
    }

    /// <summary>Invokes <paramref name="functionName"/> with a typed payload.</summary>
    /// <param name="functionName">Name, name:qualifier, or ARN of the function.</param>
    /// <param name="payload">The event.</param>
    /// <param name="payloadTypeInfo">JSON metadata writing the event.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LambdaInvokeResponse> InvokeAsync<TPayload>(
        string functionName,
        TPayload payload,
        JsonTypeInfo<TPayload> payloadTypeInfo,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloadTypeInfo);
        return InvokeAsync(functionName, JsonSerializer.SerializeToUtf8Bytes(payload, payloadTypeInfo), invocationType, cancellationToken);
    }

    /// <summary>Invokes <paramref name="functionName"/> synchronously and reads its result.</summary>
    /// <param name="functionName">Name, name:qualifier, or ARN of the function.</param>
    /// <param name="payload">The event.</param>
    /// <param name="payloadTypeInfo">JSON metadata writing the event.</param>
    /// <param name="resultTypeInfo">JSON metadata reading the result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="JsonSerializerException">The function succeeded but its result is not valid JSON for
    /// <typeparamref name="TResult"/>.</exception>
    public async Task<LambdaInvokeResponse<TResult>> InvokeAsync<TPayload, TResult>(
        string functionName,
        TPayload payload,
        JsonTypeInfo<TPayload> payloadTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        var response = await InvokeAsync(functionName, payload, payloadTypeInfo, InvocationType.RequestResponse, cancellationToken)
            .ConfigureAwait(false);
        if (response.HasFunctionError || response.Payload.IsEmpty)
        {
            return new LambdaInvokeResponse<TResult>(response, default);
        }

        try
        {
            return new LambdaInvokeResponse<TResult>(response, JsonSerializer.Deserialize(response.Payload.Span, resultTypeInfo));
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException)
        {
            throw new JsonSerializerException(
                $"Error converting the result of function '{functionName}' to type {typeof(TResult).FullName}: {exception.Message}",
                exception);
        }
    }

    /// <summary>Invokes the target function (<see cref="TargetFunctionName"/>) with a JSON payload.</summary>
    /// <param name="payloadJson">The event as JSON text.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LambdaInvokeResponse> InvokeTargetAsync(
        string payloadJson,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(RequireTarget(), payloadJson, invocationType, cancellationToken);

    /// <summary>Invokes the target function with a typed payload.</summary>
    /// <param name="payload">The event.</param>
    /// <param name="payloadTypeInfo">JSON metadata writing the event.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LambdaInvokeResponse> InvokeTargetAsync<TPayload>(
        TPayload payload,
        JsonTypeInfo<TPayload> payloadTypeInfo,
        InvocationType invocationType = InvocationType.RequestResponse,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(RequireTarget(), payload, payloadTypeInfo, invocationType, cancellationToken);

    /// <summary>Invokes the target function synchronously and reads its result.</summary>
    /// <param name="payload">The event.</param>
    /// <param name="payloadTypeInfo">JSON metadata writing the event.</param>
    /// <param name="resultTypeInfo">JSON metadata reading the result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<LambdaInvokeResponse<TResult>> InvokeTargetAsync<TPayload, TResult>(
        TPayload payload,
        JsonTypeInfo<TPayload> payloadTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo,
        CancellationToken cancellationToken = default) =>
        InvokeAsync(RequireTarget(), payload, payloadTypeInfo, resultTypeInfo, cancellationToken);

    /// <summary>Builds the signed request for one invocation (exposed for tests and tooling).</summary>
    /// <param name="functionName">Name, name:qualifier, or ARN of the function.</param>
    /// <param name="payload">The event bytes.</param>
    /// <param name="invocationType">Synchronous, asynchronous or dry run.</param>
    public HttpRequestMessage CreateRequest(string functionName, ReadOnlyMemory<byte> payload, InvocationType invocationType)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        var basePath = Options.Endpoint.AbsolutePath.TrimEnd('/');
        var uri = new Uri(Options.Endpoint,
            $"{basePath}/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations");
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ReadOnlyMemoryContent(payload),
        };
        request.Content.Headers.ContentType = JsonContentType;
        request.Headers.TryAddWithoutValidation("X-Amz-Invocation-Type", invocationType switch
        {
            InvocationType.RequestResponse => "RequestResponse",
            InvocationType.Event => "Event",
            InvocationType.DryRun => "DryRun",
            _ => throw new ArgumentOutOfRangeException(nameof(invocationType), invocationType, "Unknown invocation type."),
        });
        if (Options.Credentials is { } credentials)
        {
            SigV4Signer.SignHttpRequest(request, payload.Span, credentials, Options.Region, ServiceName,
                Options.TimeProvider.GetUtcNow(), Options.IncludeContentSha256Header);
        }

        return request;
    }

    private string RequireTarget() =>
        Options.TargetFunctionName ?? throw new InvalidOperationException(
            "This client has no target function: create it with LambdaInvokeClient.FromEnvironment(envVarHoldingTargetName) or set LambdaInvokeClientOptions.TargetFunctionName.");

    private static LambdaServiceException CreateServiceException(HttpResponseMessage response, byte[] body, string? requestId)
    {
        var code = Header(response, "x-amzn-ErrorType");
        if (code is not null)
        {
            var colon = code.IndexOf(':');
            code = colon >= 0 ? code[..colon] : code;
        }

        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                code ??= ReadString(document.RootElement, "Type") ?? ReadString(document.RootElement, "__type")
                    ?? ReadString(document.RootElement, "code");
                message = ReadString(document.RootElement, "Message") ?? ReadString(document.RootElement, "message");
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw text is the message.
        }

        message ??= Encoding.UTF8.GetString(body);
        return new LambdaServiceException(response.StatusCode, string.IsNullOrEmpty(code) ? "Unknown" : code, message, requestId);
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
