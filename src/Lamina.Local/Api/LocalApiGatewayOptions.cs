namespace Lamina.Local.Api;

/// <summary>Settings of a <see cref="LocalApiGateway"/>.</summary>
public sealed record LocalApiGatewayOptions
{
    /// <summary>API Gateway's payload limit: 10 MB.</summary>
    public const long DefaultMaxRequestBodyBytes = 10L * 1024 * 1024;

    /// <summary>The clock of request times (<c>requestContext.time</c>), JWT expiry checks, throttling and integration
    /// timeouts. Default: the system clock; tests pass a <c>FakeTimeProvider</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The port of the first API; API number <c>i</c> (in the order given) listens on
    /// <c>FirstPort + i</c>. Default: null, every API gets a free ephemeral port (unless <see cref="PortFor"/>
    /// says otherwise).</summary>
    public int? FirstPort { get; init; }

    /// <summary>Picks the port of an API (0 = a free ephemeral port); takes precedence over
    /// <see cref="FirstPort"/>. Default: none.</summary>
    public Func<LocalApiDefinition, int>? PortFor { get; init; }

    /// <summary>The region (<c>domainName</c> fallback, ARNs). Default: <c>us-east-1</c>.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account id in <c>requestContext.accountId</c>. Default: <c>123456789012</c>.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>The largest request body accepted; larger ones get 413 <c>Request Too Long</c>. Default: 10 MB.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Makes request ids. Default: AWS-like ids (16 base64 characters for HTTP APIs, a GUID for REST
    /// APIs).</summary>
    public Func<string>? RequestIdFactory { get; init; }

    /// <summary>How many request records <see cref="LocalApiGateway.Requests"/> keeps (the oldest are dropped).
    /// Default: 10,000.</summary>
    public int MaxRequestRecords { get; init; } = 10_000;
}
