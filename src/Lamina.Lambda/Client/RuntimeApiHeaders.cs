namespace Lamina.Lambda.Client;

/// <summary>Header names and paths of the Lambda Runtime API, version 2018-06-01.</summary>
public static class RuntimeApiHeaders
{
    /// <summary>The API version prefix of every path.</summary>
    public const string Version = "2018-06-01";

    /// <summary>The request id of the invocation.</summary>
    public const string AwsRequestId = "Lambda-Runtime-Aws-Request-Id";

    /// <summary>The deadline, in Unix epoch milliseconds.</summary>
    public const string DeadlineMs = "Lambda-Runtime-Deadline-Ms";

    /// <summary>The ARN the caller invoked (function, version or alias).</summary>
    public const string InvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn";

    /// <summary>The X-Ray tracing header.</summary>
    public const string TraceId = "Lambda-Runtime-Trace-Id";

    /// <summary>Client context from AWS Mobile SDK callers.</summary>
    public const string ClientContext = "Lambda-Runtime-Client-Context";

    /// <summary>Cognito identity from AWS Mobile SDK callers.</summary>
    public const string CognitoIdentity = "Lambda-Runtime-Cognito-Identity";

    /// <summary>The error type a runtime sends with an invocation or init error.</summary>
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";

    /// <summary>The path of the next-invocation long poll.</summary>
    public const string NextPath = "/" + Version + "/runtime/invocation/next";

    /// <summary>The path of the init error.</summary>
    public const string InitErrorPath = "/" + Version + "/runtime/init/error";

    /// <summary>The path for the response of invocation <paramref name="requestId"/>.</summary>
    public static string ResponsePath(string requestId) =>
        "/" + Version + "/runtime/invocation/" + Uri.EscapeDataString(requestId) + "/response";

    /// <summary>The path for the error of invocation <paramref name="requestId"/>.</summary>
    public static string ErrorPath(string requestId) =>
        "/" + Version + "/runtime/invocation/" + Uri.EscapeDataString(requestId) + "/error";

    /// <summary>The environment variable naming the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>The environment variable the runtime sets to the invocation's trace header.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>The environment variable naming the handler to run.</summary>
    public const string HandlerVariable = "_HANDLER";
}
