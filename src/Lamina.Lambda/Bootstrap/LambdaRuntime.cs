using Lamina.Lambda.Client;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Logging;

namespace Lamina.Lambda;

/// <summary>
/// Lamina's Lambda runtime: the <c>Main</c> of a custom-runtime bootstrap. Registers handlers, picks the one named
/// by <c>_HANDLER</c>, and serves invocations from the Lambda Runtime API until stopped.
/// </summary>
/// <remarks>
/// <para><b>Initialization.</b> If <c>_HANDLER</c> names no registered handler, or the handler's factory throws,
/// the error is posted to <c>/runtime/init/error</c> (type <see cref="LambdaErrorTypes.HandlerNotFound"/> with the
/// registered names, or the exception's type name) and <see cref="RunAsync(string[],Action{LambdaHandlerRegistry},CancellationToken)"/>
/// returns <see cref="ExitCodeInitError"/>.</para>
/// <para><b>Invocations.</b> For each invocation the runtime sets <c>_X_AMZN_TRACE_ID</c>, builds a
/// <see cref="LambdaContext"/> whose token is cancelled at the deadline, runs the handler and posts the result to
/// <c>/response</c>. A handler exception is posted to <c>/error</c> with <c>errorType</c> = the exception's type
/// name; a payload that is not valid JSON for the event type is reported as <see cref="JsonSerializerException"/>
/// (the same <c>errorType</c> as the .NET managed runtime).</para>
/// <para><b>Deadline.</b> Real Lambda stops the whole execution environment when an invocation passes its
/// deadline. This runtime instead cancels the context's token at the deadline, posts
/// <see cref="LambdaErrorTypes.Timeout"/> with Lambda's message (<c>RequestId: {id} Error: Task timed out after
/// N.NN seconds</c>) to <c>/error</c>, stops waiting for the handler (a handler that ignores its token keeps
/// running in the background, its outcome discarded) and goes on serving the next invocation.</para>
/// <para><b>Stopping.</b> Cancelling the token returns <see cref="ExitCodeStopped"/>; a Runtime API that cannot
/// be reached, or answers 500, returns <see cref="ExitCodeRuntimeApiFailure"/>.</para>
/// <para><c>args[0]</c>, when given, overrides <c>_HANDLER</c> (handy when running a bootstrap by hand);
/// <c>--list-handlers</c> prints the registered names, one per line, and returns 0.</para>
/// </remarks>
public static class LambdaRuntime
{
    /// <summary>The runtime stopped because its cancellation token was cancelled (or it listed its handlers).</summary>
    public const int ExitCodeStopped = 0;

    /// <summary>Initialization failed; the error was posted to <c>/runtime/init/error</c>.</summary>
    public const int ExitCodeInitError = 1;

    /// <summary>The Runtime API was unreachable or reported a non-recoverable error.</summary>
    public const int ExitCodeRuntimeApiFailure = 2;

    /// <summary><c>AWS_LAMBDA_RUNTIME_API</c> is not set: the process is not running inside Lambda.</summary>
    public const int ExitCodeNoRuntimeApi = 3;

    /// <summary>The argument that prints the registered handler names instead of running.</summary>
    public const string ListHandlersArgument = "--list-handlers";

    /// <summary>Runs the runtime against the process environment, system clock and console.</summary>
    /// <param name="args">The process arguments; <c>args[0]</c>, when given, overrides <c>_HANDLER</c>.</param>
    /// <param name="configure">Registers the handlers.</param>
    /// <param name="cancellationToken">Stops the runtime.</param>
    /// <returns>The process exit code (<see cref="ExitCodeStopped"/>, <see cref="ExitCodeInitError"/>, ...).</returns>
    public static Task<int> RunAsync(string[] args, Action<LambdaHandlerRegistry> configure, CancellationToken cancellationToken = default) =>
        RunAsync(args, configure, new LambdaRuntimeOptions(), cancellationToken);

    /// <summary>Runs the runtime with explicit environment, clock, HTTP client and log output.</summary>
    /// <param name="args">The process arguments; <c>args[0]</c>, when given, overrides <c>_HANDLER</c>.</param>
    /// <param name="configure">Registers the handlers.</param>
    /// <param name="options">What to run against.</param>
    /// <param name="cancellationToken">Stops the runtime.</param>
    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(
        string[] args,
        Action<LambdaHandlerRegistry> configure,
        LambdaRuntimeOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(options);

        var registry = new LambdaHandlerRegistry();
        configure(registry);

        var output = options.LogOutput ?? Console.Out;
        if (args.Length > 0 && args[0] == ListHandlersArgument)
        {
            foreach (var name in registry.Names)
            {
                await output.WriteLineAsync(name).ConfigureAwait(false);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodeStopped;
        }

        var environment = options.Environment;
        var timeProvider = options.TimeProvider;
        var logger = new LambdaJsonLogger(output, timeProvider,
            LambdaJsonLogger.ParseLevel(environment.Get("AWS_LAMBDA_LOG_LEVEL")));

        var runtimeApi = environment.Get(RuntimeApiHeaders.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            logger.Log(LambdaLogLevel.Fatal,
                $"{RuntimeApiHeaders.RuntimeApiVariable} is not set: this bootstrap must run inside Lambda or the Lamina local harness.");
            return ExitCodeNoRuntimeApi;
        }

        var ownsHttpClient = options.HttpClient is null;
        var http = options.HttpClient ?? RuntimeApiClient.CreateHttpClient();
        try
        {
            var client = new RuntimeApiClient(http, runtimeApi);
            var handlerName = args.Length > 0 && !string.IsNullOrEmpty(args[0])
                ? args[0]
                : environment.Get(RuntimeApiHeaders.HandlerVariable);
            var loop = new RuntimeLoop(client, environment, timeProvider, logger);
            return await loop.RunAsync(registry, handlerName, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownsHttpClient)
            {
                http.Dispose();
            }
        }
    }
}
