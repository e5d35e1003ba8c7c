using Lamina.Lambda;
using Lamina.Aws.Lambda;
using Lamina.Local.Lambda;

namespace Lamina.Local.Cloud;

/// <summary>How a <see cref="LocalCloud"/> runs .NET handlers.</summary>
public enum LocalHandlerMode
{
    /// <summary>In the test process, by type: fast and debuggable (the default).</summary>
    InProcess,

    /// <summary>
    /// Out of process, as in production: the handler project is built and its bootstrap speaks the local Runtime API,
    /// one process per instance. Python and Node.js handlers always run this way.
    /// </summary>
    OutOfProcess,

    /// <summary>
    /// The deployment package itself: the zip synthesis built for the function's <c>code</c> (a native AOT
    /// <c>bootstrap</c> by default) is unpacked and run against the local Runtime API — the same bytes <c>pulumi up</c>
    /// uploads. Needs an app that bundles (<c>AppOptions.Bundle = true</c>). Python and Node.js handlers run through
    /// the shims as in the other modes.
    /// </summary>
    Published,
}

/// <summary>Options of <see cref="LocalCloud.StartAsync"/>. Every default is what a test wants.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>The clock. Default: <see cref="LocalClock.Manual"/> starting at <see cref="LocalClock.DefaultStart"/>; <c>lamina dev</c> uses <see cref="LocalClock.WallClock"/>.</summary>
    public LocalClock? Clock { get; init; }

    /// <summary>The region functions see in <c>AWS_REGION</c> and ARNs carry. Default: the stack's <c>aws:region</c>, else <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>The account id in local ARNs. Default: <c>123456789012</c>.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>How .NET handlers run. Default: <see cref="LocalHandlerMode.InProcess"/>.</summary>
    public LocalHandlerMode HandlerMode { get; init; } = LocalHandlerMode.InProcess;

    /// <summary>
    /// Registers the .NET handlers for in-process runs, as the bootstrap's <c>Program.cs</c> does. Default: the public
    /// static method taking a <see cref="LambdaHandlerRegistry"/> in each handler's assembly (for example
    /// <c>ExampleHandlers.Register</c>); a handler it does not register is created with its parameterless constructor
    /// and reflection-based JSON.
    /// </summary>
    public Action<LambdaHandlerRegistry>? Handlers { get; init; }

    /// <summary>
    /// Replaces a function's handler (a test double): return a handler for the functions to replace, null for the
    /// others. Default: none.
    /// </summary>
    public Func<FunctionBase, LocalFunctionHandler?>? HandlerOverride { get; init; }

    /// <summary>Whether the HTTP and REST APIs are served on 127.0.0.1. Default: true.</summary>
    public bool ServeApis { get; init; } = true;

    /// <summary>The first port of the API listeners (one per API, consecutive); 0 picks free ports. Default: 0.</summary>
    public int ApiPort { get; init; }

    /// <summary>A folder holding one folder per bucket (<c>lamina dev</c>); null keeps buckets in memory. Default: null.</summary>
    public string? BucketDirectory { get; init; }

    /// <summary>Where out-of-process .NET builds go. Default: <c>.lamina/local</c> under the app's root directory.</summary>
    public string? BuildDirectory { get; init; }

    /// <summary>
    /// Keys that verify JWT signatures for every JWT authorizer (tests sign tokens with the private half). Default: none,
    /// and then token signatures are not verified locally (issuer, audience, expiry and scopes still are).
    /// </summary>
    public IReadOnlyList<Lamina.Local.Api.LocalJwtSigningKey> JwtSigningKeys { get; init; } = [];

    /// <summary>Called for each log line a function writes.</summary>
    public Action<LocalLogEntry>? OnLog { get; init; }

    /// <summary>Called when an invocation completes.</summary>
    public Action<LocalInvocationRecord>? OnInvocation { get; init; }

    /// <summary>Progress messages (builds, warnings). Default: none.</summary>
    public Action<string>? OnMessage { get; init; }
}
