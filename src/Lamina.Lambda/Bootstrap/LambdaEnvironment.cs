namespace Lamina.Lambda;

/// <summary>
/// The function's environment variables, as handlers should read them: in Lambda (and out-of-process locally) the
/// process environment; when the local harness runs several functions in one process, the variables of the function
/// whose code is running (set per instance for its initialization and each invocation).
/// </summary>
/// <example>
/// <code>
/// var bucket = LambdaEnvironment.Get("THUMBNAILS_BUCKET");   // not Environment.GetEnvironmentVariable
/// </code>
/// </example>
public static class LambdaEnvironment
{
    private static readonly AsyncLocal<IEnvironmentVariables?> Scoped = new();

    /// <summary>The value of <paramref name="name"/> for the running function, or null when it is not set.</summary>
    public static string? Get(string name) => Scoped.Value is { } scoped ? scoped.Get(name) : Environment.GetEnvironmentVariable(name);

    /// <summary>
    /// Makes <paramref name="variables"/> the environment of the code that runs in the current asynchronous flow (the
    /// local harness calls it for in-process instances). Inside an async method the change ends when the method returns.
    /// </summary>
    public static void SetForCurrentFlow(IEnvironmentVariables? variables) => Scoped.Value = variables;
}
