namespace Lamina.Lambda.Invoke;

/// <summary>Where and how <see cref="LambdaInvokeClient"/> calls Lambda.</summary>
public sealed record LambdaInvokeClientOptions
{
    /// <summary>The Lambda endpoint, for example <c>https://lambda.eu-west-1.amazonaws.com</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The signing region.</summary>
    public required string Region { get; init; }

    /// <summary>The credentials; null sends unsigned requests (only useful against a local endpoint).</summary>
    public AwsCredentials? Credentials { get; init; }

    /// <summary>The clock for <c>X-Amz-Date</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Also send and sign <c>X-Amz-Content-Sha256</c> (Lambda does not require it).</summary>
    public bool IncludeContentSha256Header { get; init; }

    /// <summary>The function invoked by the <c>InvokeTargetAsync</c> methods, or null.</summary>
    public string? TargetFunctionName { get; init; }

    /// <summary>
    /// Resolves the options from <paramref name="environment"/>: endpoint from <c>AWS_ENDPOINT_URL_LAMBDA</c>, else
    /// <c>AWS_ENDPOINT_URL</c>, else <c>https://lambda.{AWS_REGION}.amazonaws.com</c>; region from
    /// <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c> (<c>us-east-1</c> when only a custom endpoint is given);
    /// credentials from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither an endpoint nor a region is set, or an endpoint is not an absolute URL.</exception>
    public static LambdaInvokeClientOptions FromEnvironment(IEnvironmentVariables environment, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var region = NonEmpty(environment.Get("AWS_REGION")) ?? NonEmpty(environment.Get("AWS_DEFAULT_REGION"));
        var endpointText = NonEmpty(environment.Get("AWS_ENDPOINT_URL_LAMBDA")) ?? NonEmpty(environment.Get("AWS_ENDPOINT_URL"));
        Uri endpoint;
        if (endpointText is not null)
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint!))
            {
                throw new InvalidOperationException($"The Lambda endpoint '{endpointText}' is not an absolute URL.");
            }

            region ??= "us-east-1";
        }
        else
        {
            if (region is null)
            {
                throw new InvalidOperationException(
                    "Cannot find the Lambda endpoint: set AWS_REGION (Lambda sets it for every function) or AWS_ENDPOINT_URL_LAMBDA.");
            }

            endpoint = new Uri($"https://lambda.{region}.amazonaws.com");
        }

        return new LambdaInvokeClientOptions
        {
            Endpoint = endpoint,
            Region = region,
            Credentials = AwsCredentials.FromEnvironment(environment),
            TimeProvider = timeProvider ?? TimeProvider.System,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
