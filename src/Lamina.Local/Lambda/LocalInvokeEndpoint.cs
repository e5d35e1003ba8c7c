using System.Net;
using Lamina.Lambda.Invoke;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lamina.Local.Lambda;

/// <summary>
/// Lambda's <c>Invoke</c> API on Kestrel, bound to 127.0.0.1:
/// <c>POST /2015-03-31/functions/{name}/invocations</c> with <c>X-Amz-Invocation-Type</c> RequestResponse (200),
/// Event (202) or DryRun (204), and <c>X-Amz-Log-Type: Tail</c> (the last 4 KB of the invocation's log lines,
/// base64, in <c>X-Amz-Log-Result</c>). Requests are not authenticated: a SigV4 signature is accepted unchecked.
/// </summary>
internal sealed class LocalInvokeEndpoint : IAsyncDisposable
{
    private const int TailBytes = 4096;
    private readonly LocalLambdaHost _host;
    private WebApplication? _app;

    private LocalInvokeEndpoint(LocalLambdaHost host)
    {
        _host = host;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<LocalInvokeEndpoint> StartAsync(LocalLambdaHost host, int port, CancellationToken cancellationToken)
    {
        var endpoint = new LocalInvokeEndpoint(host);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = LocalLambdaHost.MaxSyncPayloadBytes + 1024;
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        app.MapPost("/2015-03-31/functions/{functionName}/invocations", (RequestDelegate)endpoint.InvokeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        endpoint._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return endpoint;
    }

    private async Task InvokeAsync(HttpContext context)
    {
        var functionName = (string?)context.GetRouteValue("functionName") ?? "";
        var typeHeader = context.Request.Headers["X-Amz-Invocation-Type"].ToString();
        InvocationType type;
        switch (typeHeader)
        {
            case "" or "RequestResponse":
                type = InvocationType.RequestResponse;
                break;
            case "Event":
                type = InvocationType.Event;
                break;
            case "DryRun":
                type = InvocationType.DryRun;
                break;
            default:
                await WriteErrorAsync(context, new LocalServiceError(400, "ValidationException",
                    $"1 validation error detected: Value '{typeHeader}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"),
                    null).ConfigureAwait(false);
                return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            await WriteErrorAsync(context, new LocalServiceError(413, "RequestTooLargeException",
                $"Request must be smaller than {LocalLambdaHost.MaxSyncPayloadBytes} bytes for the InvokeFunction operation"), null).ConfigureAwait(false);
            return;
        }

        // The function keeps running if the caller goes away, as in Lambda; only the wait is abandoned.
        var result = await _host.InvokeAsync(functionName, body, type, context.RequestAborted).ConfigureAwait(false);
        if (result.ServiceError is { } serviceError)
        {
            await WriteErrorAsync(context, serviceError, result.RequestId).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = result.StatusCode;
        response.Headers["x-amzn-RequestId"] = result.RequestId;
        if (result.ExecutedVersion is not null)
        {
            response.Headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
        }

        if (result.FunctionError is not null)
        {
            response.Headers["X-Amz-Function-Error"] = result.FunctionError;
        }

        if (type == InvocationType.RequestResponse && result.Record is { } record &&
            string.Equals(context.Request.Headers["X-Amz-Log-Type"].ToString(), "Tail", StringComparison.Ordinal))
        {
            response.Headers["X-Amz-Log-Result"] = LogTail(record);
        }

        if (result.StatusCode == StatusCodes.Status200OK)
        {
            response.ContentType = "application/json";
            response.ContentLength = result.Payload.Length;
            await response.Body.WriteAsync(result.Payload, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentLength = 0;
        }
    }

    private static string LogTail(LocalInvocationRecord record)
    {
        var text = string.Join("\n", record.Logs.Select(static entry => entry.Raw)) + "\n";
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return Convert.ToBase64String(bytes.Length <= TailBytes ? bytes : bytes[^TailBytes..]);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task WriteErrorAsync(HttpContext context, LocalServiceError error, string? requestId)
    {
        var body = error.ToUtf8Json();
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        if (requestId is not null)
        {
            response.Headers["x-amzn-RequestId"] = requestId;
        }

        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }
}
