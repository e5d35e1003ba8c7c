using System.Globalization;

namespace Lamina.Lambda;

/// <summary>
/// What Lambda tells a function about itself through environment variables: name, version, memory, log group
/// and stream, region.
/// </summary>
public sealed record LambdaFunctionSettings
{
    /// <summary>AWS_LAMBDA_FUNCTION_NAME.</summary>
    public string FunctionName { get; init; } = "";

    /// <summary>AWS_LAMBDA_FUNCTION_VERSION; <c>$LATEST</c> when unset.</summary>
    public string FunctionVersion { get; init; } = "$LATEST";

    /// <summary>AWS_LAMBDA_FUNCTION_MEMORY_SIZE in MB; 128 when unset or not a number.</summary>
    public int MemoryLimitInMB { get; init; } = 128;

    /// <summary>AWS_LAMBDA_LOG_GROUP_NAME.</summary>
    public string LogGroupName { get; init; } = "";

    /// <summary>AWS_LAMBDA_LOG_STREAM_NAME.</summary>
    public string LogStreamName { get; init; } = "";

    /// <summary>AWS_REGION (or AWS_DEFAULT_REGION), or null.</summary>
    public string? Region { get; init; }

    /// <summary>Reads the settings from <paramref name="environment"/>.</summary>
    public static LambdaFunctionSettings FromEnvironment(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var memoryText = environment.Get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        var memory = int.TryParse(memoryText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : 128;
        return new LambdaFunctionSettings
        {
            FunctionName = environment.Get("AWS_LAMBDA_FUNCTION_NAME") ?? "",
            FunctionVersion = NonEmpty(environment.Get("AWS_LAMBDA_FUNCTION_VERSION")) ?? "$LATEST",
            MemoryLimitInMB = memory,
            LogGroupName = environment.Get("AWS_LAMBDA_LOG_GROUP_NAME") ?? "",
            LogStreamName = environment.Get("AWS_LAMBDA_LOG_STREAM_NAME") ?? "",
            Region = NonEmpty(environment.Get("AWS_REGION")) ?? NonEmpty(environment.Get("AWS_DEFAULT_REGION")),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
