using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Lamina.Lambda;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Local.Lambda;

/// <summary>
/// One function of a <see cref="LocalLambdaHost"/>: what Lambda's function configuration says (name, memory,
/// timeout, reserved concurrency, environment, handler, asynchronous retry settings), in a shape that does not depend
/// on Lamina's construct library. An adapter fills it from the construct tree.
/// </summary>
/// <example>
/// <code>
/// host.AddFunction(new LocalFunctionConfig
/// {
///     Name = "orders-api",
///     MemoryMB = 512,
///     Timeout = TimeSpan.FromSeconds(10),
///     ReservedConcurrency = 5,
///     Environment = new Dictionary&lt;string, string&gt; { ["TABLE"] = "orders" },
///     Handler = LocalFunctionHandler.FromRegistry(registry, "Orders.GetOrder"),
///     DeadLetter = letter =&gt; { Console.WriteLine(letter.Error.ErrorMessage); return Task.CompletedTask; },
/// });
/// </code>
/// </example>
public sealed partial record LocalFunctionConfig
{
    /// <summary>The environment variables Lambda reserves: a function's configuration cannot set them (Lambda
    /// rejects the configuration), and the host sets them itself.</summary>
    public static IReadOnlySet<string> ReservedEnvironmentVariables { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    };

    /// <summary>The function's name (1-64 letters, digits, hyphens or underscores).</summary>
    public required string Name { get; init; }

    /// <summary>The memory size in MB, 128 to 10,240 (Lambda's range). Default: 128, Lambda's default. Reported to
    /// the function; the host does not limit memory.</summary>
    public int MemoryMB { get; init; } = 128;

    /// <summary>How long an invocation may run, 1 second to 15 minutes. Default: 3 seconds, Lambda's default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The reserved concurrency: at most this many invocations run at once, and invocations beyond it are
    /// throttled (synchronous: 429 <c>TooManyRequestsException</c>; asynchronous: queued). 0 throttles every
    /// invocation. Default: null, no reservation (the function shares the host's unreserved pool).</summary>
    public int? ReservedConcurrency { get; init; }

    /// <summary>The function's own environment variables. Default: none. Names in
    /// <see cref="ReservedEnvironmentVariables"/> are rejected, as Lambda rejects them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How the function's code runs: in-process (<see cref="InProcessHandler"/>) or as a process speaking
    /// the Runtime API (<see cref="OutOfProcessHandler"/>).</summary>
    public required LocalFunctionHandler Handler { get; init; }

    /// <summary>The function's region (<c>AWS_REGION</c>). Default: null, the host's
    /// <see cref="LocalLambdaHostOptions.Region"/>.</summary>
    public string? Region { get; init; }

    /// <summary>Receives an asynchronous invocation whose attempts all failed (or that grew older than
    /// <see cref="MaximumEventAge"/>): the function's dead-letter queue or on-failure destination. Default: null;
    /// the event is then discarded, as Lambda discards it when neither is configured.</summary>
    public Func<LocalDeadLetter, Task>? DeadLetter { get; init; }

    /// <summary>How many times a failed asynchronous invocation is retried, 0 to 2. Default: 2, Lambda's default
    /// (the first retry 1 minute after the first failure, the second 2 minutes after the second).</summary>
    public int MaximumRetryAttempts { get; init; } = 2;

    /// <summary>How long an asynchronous event may wait (throttled or between retries) before it is sent to
    /// <see cref="DeadLetter"/>, 60 seconds to 6 hours. Default: 6 hours, Lambda's default.</summary>
    public TimeSpan MaximumEventAge { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Lists what is wrong with this configuration; empty when it is valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(Name) || !NamePattern().IsMatch(Name))
        {
            problems.Add($"Name '{Name}' must be 1 to 64 letters, digits, hyphens or underscores.");
        }

        if (MemoryMB is < 128 or > 10240)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MemoryMB {MemoryMB} must be between 128 and 10240."));
        }

        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > TimeSpan.FromMinutes(15))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Timeout {Timeout.TotalSeconds} s must be between 1 and 900 seconds."));
        }

        if (ReservedConcurrency is < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"ReservedConcurrency {ReservedConcurrency} must be 0 or more."));
        }

        if (MaximumRetryAttempts is < 0 or > 2)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaximumRetryAttempts {MaximumRetryAttempts} must be 0, 1 or 2."));
        }

        if (MaximumEventAge < TimeSpan.FromSeconds(60) || MaximumEventAge > TimeSpan.FromHours(6))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"MaximumEventAge {MaximumEventAge.TotalSeconds} s must be between 60 and 21600 seconds."));
        }

        if (Handler is null)
        {
            problems.Add("Handler must be set.");
        }
        else if (string.IsNullOrEmpty(Handler.HandlerName))
        {
            problems.Add("Handler.HandlerName (_HANDLER) must not be empty.");
        }

        var reserved = (Environment ?? new Dictionary<string, string>()).Keys.Where(ReservedEnvironmentVariables.Contains).Order(StringComparer.Ordinal).ToList();
        if (reserved.Count > 0)
        {
            problems.Add("Environment sets reserved keys that Lambda does not allow to modify: " + string.Join(", ", reserved) + ".");
        }

        return problems;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}

/// <summary>What an in-process handler factory receives when an instance of the function initializes.</summary>
/// <param name="FunctionName">The function's name.</param>
/// <param name="Environment">The instance's environment variables (Lambda's and the function's own); pass it to
/// <c>LambdaInvokeClient.FromEnvironment</c> and similar readers, since in-process functions share the process
/// environment.</param>
/// <param name="TimeProvider">The host's clock.</param>
public sealed record LocalHandlerInit(string FunctionName, IEnvironmentVariables Environment, TimeProvider TimeProvider);

/// <summary>How a local function's code runs. Create one with the static methods.</summary>
public abstract record LocalFunctionHandler
{
    private protected LocalFunctionHandler()
    {
    }

    /// <summary>The handler setting (<c>_HANDLER</c>): a registered name for .NET handlers,
    /// <c>module.function</c> for Python, <c>file.export</c> for Node.js.</summary>
    public required string HandlerName { get; init; }

    /// <summary>The Lambda runtime identifier, for example <c>python3.12</c>, <c>nodejs20.x</c> or
    /// <c>provided.al2023</c>. <c>AWS_EXECUTION_ENV</c> is <c>AWS_Lambda_</c> + this value, except for the
    /// OS-only <c>provided</c> runtimes, where Lambda does not set it.</summary>
    public string Runtime { get; init; } = "provided.al2023";

    /// <summary>The function's code directory (<c>LAMBDA_TASK_ROOT</c>, and the working directory of an
    /// out-of-process runtime), or null.</summary>
    public string? CodeDirectory { get; init; }

    /// <summary>A .NET handler registered in <paramref name="registry"/> under <paramref name="handlerName"/>, run
    /// in-process. A name that is not registered fails each invocation with an init error
    /// (<c>Runtime.HandlerNotFound</c>), as the bootstrap would.</summary>
    /// <param name="registry">The handlers (as a bootstrap's <c>Program.cs</c> registers them).</param>
    /// <param name="handlerName">The <c>_HANDLER</c> value.</param>
    public static InProcessHandler FromRegistry(LambdaHandlerRegistry registry, string handlerName)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentException.ThrowIfNullOrEmpty(handlerName);
        return new InProcessHandler
        {
            HandlerName = handlerName,
            Factory = init => registry.TrySelect(handlerName, out _, out var factory, out var error)
                ? factory()
                : throw new LocalInitException(LambdaErrorTypes.HandlerNotFound, error),
        };
    }

    /// <summary>A typed .NET handler created by <paramref name="factory"/> once per instance, run in-process.</summary>
    /// <param name="handlerName">The <c>_HANDLER</c> value.</param>
    /// <param name="factory">Creates the handler; receives the instance's environment.</param>
    /// <param name="eventTypeInfo">JSON metadata reading the event.</param>
    /// <param name="resultTypeInfo">JSON metadata writing the result.</param>
    public static InProcessHandler InProcess<TEvent, TResult>(
        string handlerName,
        Func<LocalHandlerInit, ILambdaHandler<TEvent, TResult>> factory,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(handlerName);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(eventTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        return new InProcessHandler
        {
            HandlerName = handlerName,
            Factory = init =>
            {
                // The registry builds the same adapter the bootstrap uses (JSON errors worded as the runtime's).
                var registry = new LambdaHandlerRegistry().Add(handlerName, () => factory(init), eventTypeInfo, resultTypeInfo);
                registry.TrySelect(handlerName, out _, out var create, out _);
                return create!();
            },
        };
    }

    /// <summary>A byte-level .NET handler created by <paramref name="factory"/> once per instance, run in-process.</summary>
    /// <param name="handlerName">The <c>_HANDLER</c> value.</param>
    /// <param name="factory">Creates the handler; receives the instance's environment.</param>
    public static InProcessHandler InProcessRaw(string handlerName, Func<LocalHandlerInit, IRawLambdaHandler> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(handlerName);
        ArgumentNullException.ThrowIfNull(factory);
        return new InProcessHandler { HandlerName = handlerName, Factory = factory };
    }

    /// <summary>A published <c>bootstrap</c> (or any executable speaking the Runtime API), one process per instance.</summary>
    /// <param name="bootstrapPath">The executable.</param>
    /// <param name="handlerName">The <c>_HANDLER</c> value.</param>
    /// <param name="arguments">Arguments, for example the <c>.dll</c> when <paramref name="bootstrapPath"/> is <c>dotnet</c>.</param>
    /// <param name="codeDirectory">The code directory; default: the directory of <paramref name="bootstrapPath"/>
    /// when it is a path, else the current directory.</param>
    public static OutOfProcessHandler Bootstrap(string bootstrapPath, string handlerName, IReadOnlyList<string>? arguments = null, string? codeDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(bootstrapPath);
        ArgumentException.ThrowIfNullOrEmpty(handlerName);
        var directory = codeDirectory ?? (Path.IsPathRooted(bootstrapPath) ? Path.GetDirectoryName(bootstrapPath) : null);
        return new OutOfProcessHandler { Command = bootstrapPath, Arguments = arguments ?? [], HandlerName = handlerName, CodeDirectory = directory };
    }

    /// <summary>A Python handler (<c>module.function</c>) run by Lamina's Python runtime shim
    /// (<see cref="LocalRuntimeShims.PythonBootstrapPath"/>, standard library only), one interpreter per instance.</summary>
    /// <param name="codeDirectory">The directory holding the module.</param>
    /// <param name="handlerName">For example <c>lambda_function.lambda_handler</c>.</param>
    /// <param name="interpreter">The Python 3 interpreter. Default: <c>python3</c> from <c>PATH</c>.</param>
    /// <param name="runtime">The runtime identifier. Default: <c>python3.12</c>.</param>
    public static OutOfProcessHandler Python(string codeDirectory, string handlerName, string interpreter = "python3", string runtime = "python3.12")
    {
        ArgumentException.ThrowIfNullOrEmpty(codeDirectory);
        ArgumentException.ThrowIfNullOrEmpty(handlerName);
        return new OutOfProcessHandler
        {
            Command = interpreter,
            Arguments = ["-u", LocalRuntimeShims.PythonBootstrapPath],
            HandlerName = handlerName,
            CodeDirectory = Path.GetFullPath(codeDirectory),
            Runtime = runtime,
            WritesLogMarkers = true,
        };
    }

    /// <summary>A Node.js handler (<c>file.export</c>) run by Lamina's Node.js runtime shim
    /// (<see cref="LocalRuntimeShims.NodeBootstrapPath"/>, built-in modules only), one process per instance.</summary>
    /// <param name="codeDirectory">The directory holding the module (<c>.js</c>, <c>.mjs</c> or <c>.cjs</c>).</param>
    /// <param name="handlerName">For example <c>index.handler</c>.</param>
    /// <param name="node">The Node.js executable. Default: <c>node</c> from <c>PATH</c>.</param>
    /// <param name="runtime">The runtime identifier. Default: <c>nodejs20.x</c>.</param>
    public static OutOfProcessHandler Node(string codeDirectory, string handlerName, string node = "node", string runtime = "nodejs20.x")
    {
        ArgumentException.ThrowIfNullOrEmpty(codeDirectory);
        ArgumentException.ThrowIfNullOrEmpty(handlerName);
        return new OutOfProcessHandler
        {
            Command = node,
            Arguments = [LocalRuntimeShims.NodeBootstrapPath],
            HandlerName = handlerName,
            CodeDirectory = Path.GetFullPath(codeDirectory),
            Runtime = runtime,
            WritesLogMarkers = true,
        };
    }
}

/// <summary>A .NET handler run inside the host's process: the factory runs once per instance (the init phase), the
/// handler then serves that instance's invocations one at a time.</summary>
public sealed record InProcessHandler : LocalFunctionHandler
{
    /// <summary>Creates the handler of a new instance. An exception is the instance's init error.</summary>
    public required Func<LocalHandlerInit, IRawLambdaHandler> Factory { get; init; }
}

/// <summary>A runtime process per instance, speaking the Lambda Runtime API to a local Runtime API server
/// (<c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
public sealed record OutOfProcessHandler : LocalFunctionHandler
{
    /// <summary>The executable (a bootstrap path, or an interpreter such as <c>python3</c> found on <c>PATH</c>).</summary>
    public required string Command { get; init; }

    /// <summary>The arguments. Default: none.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>True when the runtime writes Lamina's end-of-invocation marker line
    /// (<see cref="LocalRuntimeShims.InvocationEndMarker"/> and the request id) to standard output and standard error
    /// before it posts each result, as Lamina's shims do: the host then waits for both markers, so every line the
    /// invocation wrote is in its record when the result is returned. Default: false (lines are attributed in order
    /// of arrival).</summary>
    public bool WritesLogMarkers { get; init; }
}

/// <summary>Thrown by an in-process handler factory to report an init error with a Lambda error type (for example
/// <c>Runtime.HandlerNotFound</c>) instead of the exception's type name.</summary>
public sealed class LocalInitException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorType">The <c>errorType</c> reported.</param>
    /// <param name="message">The <c>errorMessage</c> reported.</param>
    public LocalInitException(string errorType, string message)
        : base(message)
    {
        ErrorType = errorType;
    }

    /// <summary>The <c>errorType</c> reported.</summary>
    public string ErrorType { get; }
}
