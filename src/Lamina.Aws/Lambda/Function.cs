using Lamina.Values;

namespace Lamina.Aws.Lambda;

/// <summary>Lambda runtimes Lamina supports for code in other languages.</summary>
public static class Runtime
{
    /// <summary>Python 3.12.</summary>
    public const string Python312 = "python3.12";
    /// <summary>Python 3.13.</summary>
    public const string Python313 = "python3.13";
    /// <summary>Node.js 20.</summary>
    public const string NodeJs20 = "nodejs20.x";
    /// <summary>Node.js 22.</summary>
    public const string NodeJs22 = "nodejs22.x";
    /// <summary>OS-only runtime for prebuilt binaries named <c>bootstrap</c> (Go, Rust, .NET native AOT).</summary>
    public const string ProvidedAl2023 = "provided.al2023";

    /// <summary>Every runtime accepted by <see cref="Function"/>.</summary>
    public static readonly IReadOnlyList<string> Supported = [Python312, Python313, NodeJs20, NodeJs22, ProvidedAl2023];
}

/// <summary>Options of a <see cref="Function"/> whose code is a folder or zip (Python, Node.js, a prebuilt binary).</summary>
public sealed record CodeFunctionProps : FunctionProps
{
    /// <summary>The code: a folder or a .zip file, relative to the project root. Required.</summary>
    public required string Code { get; init; }

    /// <summary>The runtime, one of <see cref="Runtime.Supported"/>. Required.</summary>
    public required string Runtime { get; init; }

    /// <summary>The handler: <c>module.function</c> for Python and Node.js (the seed note's <c>lambda_function.lambda_handler</c>); ignored by <c>provided.al2023</c> except as <c>_HANDLER</c>. Required.</summary>
    public required string Handler { get; init; }

    /// <summary>The event sources the code handles; attaching it to another source is an error at synthesis. Default: <see cref="EventSources.Direct"/>.</summary>
    public EventSources Handles { get; init; } = EventSources.Direct;
}

/// <summary>
/// A Lambda function whose code is a folder or zip in another language than C#: Python, Node.js, or a prebuilt
/// <c>bootstrap</c> binary (Go, Rust). It declares the events it handles, checked when it is attached.
/// </summary>
/// <example>
/// <code>
/// var hello = new Function(stack, "HelloPython", new CodeFunctionProps
/// {
///     Code = "examples/hello/python",
///     Runtime = Runtime.Python313,
///     Handler = "lambda_function.lambda_handler",
///     Handles = EventSources.RestApi | EventSources.Direct,
/// });
/// </code>
/// </example>
public sealed class Function : FunctionBase
{
    /// <summary>Creates the function.</summary>
    public Function(Construct scope, string id, CodeFunctionProps props)
        : base(scope, id, props, self => CodeArchive(self, props), props.Runtime, props.Handler)
    {
        CodeProps = props;
        if (!Runtime.Supported.Contains(props.Runtime))
        {
            AddError("Runtime", $"runtime '{props.Runtime}' is not supported: use one of {string.Join(", ", Runtime.Supported)}");
        }
        if (string.IsNullOrWhiteSpace(props.Handler))
        {
            AddError("Handler", "the handler must be set, such as 'lambda_function.lambda_handler' (module.function)");
        }
        else if (props.Runtime != Runtime.ProvidedAl2023 && !props.Handler.Contains('.'))
        {
            AddError("Handler", $"handler '{props.Handler}' must be written module.function for {props.Runtime}, such as 'lambda_function.lambda_handler'");
        }
    }

    /// <summary>The code options.</summary>
    public CodeFunctionProps CodeProps { get; }

    /// <inheritdoc />
    public override EventSources HandledEvents => CodeProps.Handles;

    /// <inheritdoc />
    public override string HandlerDescription => $"{CodeProps.Runtime} handler {CodeProps.Handler}";

    private static Archive CodeArchive(FunctionBase self, CodeFunctionProps props)
    {
        var full = System.IO.Path.Combine(self.App.RootDirectory, props.Code);
        if (self.App.Bundle && !Directory.Exists(full) && !File.Exists(full))
        {
            self.AddError("Code", $"code path '{props.Code}' does not exist (relative to the project root {self.App.RootDirectory})");
        }
        return Archive.File(props.Code.Replace('\\', '/'));
    }
}
