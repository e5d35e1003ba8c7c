using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Lambda.Client;

/// <summary>
/// A client of the Lambda Runtime API (version 2018-06-01) over <see cref="HttpClient"/>: the long poll for the
/// next invocation, the invocation response, the invocation error and the init error.
/// </summary>
/// <remarks>
/// The next-invocation request can wait for minutes (the execution environment may be frozen between
/// invocations), so the <see cref="HttpClient"/> given must not time out: <see cref="CreateHttpClient"/> makes one
/// with an infinite <see cref="HttpClient.Timeout"/>.
/// </remarks>
public sealed class RuntimeApiClient
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;

    /// <summary>Creates a client of the Runtime API at <paramref name="runtimeApiAddress"/>.</summary>
    /// <param name="httpClient">The HTTP client; it must not time out (see remarks).</param>
    /// <param name="runtimeApiAddress">The value of <c>AWS_LAMBDA_RUNTIME_API</c>: <c>host:port</c>
    /// (an <c>http://</c> URL is accepted too).</param>
    public RuntimeApiClient(HttpClient httpClient, string runtimeApiAddress)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApiAddress);
        _http = httpClient;
        var address = runtimeApiAddress.Contains("://", StringComparison.Ordinal)
            ? runtimeApiAddress
            : "http://" + runtimeApiAddress;
        _baseAddress = new Uri(address.TrimEnd('/'), UriKind.Absolute);
    }

    /// <summary>The Runtime API's base address.</summary>
    public Uri BaseAddress => _baseAddress;

    /// <summary>Creates an <see cref="HttpClient"/> suited to the Runtime API (no timeout).</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Waits for the next invocation (<c>GET /runtime/invocation/next</c>) and returns its payload and headers.
    /// </summary>
    /// <exception cref="RuntimeApiException">The API answered with a status other than 200, or a required
    /// header is missing or malformed.</exception>
    public async Task<RuntimeInvocation> GetNextInvocationAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Combine(RuntimeApiHeaders.NextPath));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        const string operation = "GET /runtime/invocation/next";
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException(operation, response.StatusCode, System.Text.Encoding.UTF8.GetString(body));
        }

        var requestId = Header(response, RuntimeApiHeaders.AwsRequestId);
        if (string.IsNullOrEmpty(requestId))
        {
            throw new RuntimeApiException(operation, response.StatusCode, $"missing {RuntimeApiHeaders.AwsRequestId} header");
        }

        var deadlineText = Header(response, RuntimeApiHeaders.DeadlineMs);
        if (!long.TryParse(deadlineText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            throw new RuntimeApiException(operation, response.StatusCode,
                $"missing or malformed {RuntimeApiHeaders.DeadlineMs} header: '{deadlineText}'");
        }

        return new RuntimeInvocation
        {
            RequestId = requestId,
            Deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            InvokedFunctionArn = Header(response, RuntimeApiHeaders.InvokedFunctionArn) ?? "",
            TraceId = Header(response, RuntimeApiHeaders.TraceId),
            ClientContext = Header(response, RuntimeApiHeaders.ClientContext),
            CognitoIdentity = Header(response, RuntimeApiHeaders.CognitoIdentity),
            Payload = body,
        };
    }

    /// <summary>Sends the result of invocation <paramref name="requestId"/> (<c>POST /runtime/invocation/{id}/response</c>).</summary>
    /// <exception cref="RuntimeApiException">The API answered with a status other than 2xx (413 when the payload is too large).</exception>
    public Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return PostAsync("POST /runtime/invocation/{id}/response", RuntimeApiHeaders.ResponsePath(requestId), payload, null, cancellationToken);
    }

    /// <summary>
    /// Reports that invocation <paramref name="requestId"/> failed (<c>POST /runtime/invocation/{id}/error</c>):
    /// the body is the error document and <c>Lambda-Runtime-Function-Error-Type</c> carries its type.
    /// </summary>
    public Task SendInvocationErrorAsync(string requestId, LambdaErrorPayload error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync("POST /runtime/invocation/{id}/error", RuntimeApiHeaders.ErrorPath(requestId), error.ToUtf8Json(), error.ErrorType, cancellationToken);
    }

    /// <summary>Reports that initialization failed (<c>POST /runtime/init/error</c>).</summary>
    public Task SendInitErrorAsync(LambdaErrorPayload error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return PostAsync("POST /runtime/init/error", RuntimeApiHeaders.InitErrorPath, error.ToUtf8Json(), error.ErrorType, cancellationToken);
    }

    private async Task PostAsync(string operation, string path, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Combine(path))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = JsonContentType;
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorType, errorType);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new RuntimeApiException(operation, response.StatusCode, text);
        }
    }

    private Uri Combine(string path) => new(_baseAddress, path);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
