using Hello.Handlers;
using Lamina;
using Lamina.Aws.Lambda;

namespace Hello.Stack;

/// <summary>
/// The hello app: the seed note's Python handler (examples/hello/python) and the same handler in C#
/// (examples/hello/Hello.Handlers, published with native AOT into a <c>bootstrap</c> for provided.al2023).
/// Both answer a REST API proxy event with status 200 and the event as the body.
/// </summary>
public static class HelloApp
{
    /// <summary>Defines the <c>hello</c> stack in <paramref name="app"/>.</summary>
    public static void Define(App app)
    {
        var stack = new Lamina.Stack(app, "hello", new() { Description = "Lamina hello example: one handler in Python and in C#" });

        var python = new Function(stack, "HelloPython", new CodeFunctionProps
        {
            Code = "examples/hello/python",
            Runtime = Runtime.Python313,
            Handler = "lambda_function.lambda_handler",
            Handles = EventSources.RestApi | EventSources.Direct,
        });
        var dotnet = new Function<HelloHandler>(stack, "HelloDotnet");

        stack.AddOutput("pythonFunctionName", python.Name);
        stack.AddOutput("dotnetFunctionName", dotnet.Name);
    }
}
