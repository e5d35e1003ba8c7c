using Lamina.Aws.Packaging;
using Lamina.Lambda;
using Lamina.Lambda.Events;
using Lamina.Values;

namespace Lamina.Aws.Lambda;

/// <summary>Options of a <see cref="Function{THandler}"/>.</summary>
public sealed record DotnetFunctionProps : FunctionProps
{
    /// <summary>
    /// The handler project (a .csproj path or its folder, relative to the project root). Default: the project whose
    /// assembly defines the handler type, found under the project root.
    /// </summary>
    public string? Project { get; init; }

    /// <summary>How the project is published. Default: <see cref="DotnetPackaging.NativeAot"/>.</summary>
    public DotnetPackaging Packaging { get; init; } = DotnetPackaging.NativeAot;
}

/// <summary>
/// A Lambda function whose handler is the .NET class <typeparamref name="THandler"/> (an <see cref="ILambdaHandler{TEvent, TResult}"/>).
/// Its project is published for <c>provided.al2023</c> (native AOT by default) into a <c>bootstrap</c> executable;
/// <c>_HANDLER</c> names the class, so one binary serves every handler of the project.
/// The function carries its event type: event sources accept it only when the handler takes their events, checked by the compiler.
/// </summary>
/// <typeparam name="THandler">The handler class.</typeparam>
/// <example>
/// <code>
/// var get = new Function&lt;GetOrder&gt;(stack, "GetOrder", new() { MemorySize = 256 });
/// api.AddRoute("GET /orders/{id}", get);      // compiles: GetOrder is an IHttpApiHandler
/// queue.Trigger(get);                          // does not compile: GetOrder does not handle SQS events
/// </code>
/// </example>
public sealed class Function<THandler> : FunctionBase where THandler : class
{
    /// <summary>Creates the function.</summary>
    public Function(Construct scope, string id, DotnetFunctionProps? props = null)
        : base(scope, id, props ??= new DotnetFunctionProps(), self => Bundle(self, props), Runtime.ProvidedAl2023, HandlerName)
    {
        DotnetProps = props;
        if (HandlerInterfaces.Count == 0)
        {
            AddError(null, $"{typeof(THandler).FullName} does not implement ILambdaHandler<TEvent, TResult>");
        }
    }

    /// <summary>The <c>_HANDLER</c> value: the handler class's full name.</summary>
    public static string HandlerName => typeof(THandler).FullName!;

    /// <summary>The .NET options.</summary>
    public DotnetFunctionProps DotnetProps { get; }

    /// <inheritdoc />
    public override EventSources HandledEvents
    {
        get
        {
            var e = EventSources.None;
            foreach (var (ev, result) in HandlerInterfaces)
            {
                e |= (ev, result) switch
                {
                    _ when ev == typeof(HttpApiRequest) => EventSources.HttpApi,
                    _ when ev == typeof(RestApiRequest) => EventSources.RestApi,
                    _ when ev == typeof(SqsEvent) => EventSources.Sqs,
                    _ when ev == typeof(SnsEvent) => EventSources.Sns,
                    _ when ev == typeof(S3Event) => EventSources.S3,
                    _ when ev == typeof(ScheduledEvent) => EventSources.Schedule,
                    _ => EventSources.Direct,
                };
            }
            return e;
        }
    }

    /// <inheritdoc />
    public override string HandlerDescription => $".NET handler {typeof(THandler).Name}";

    private static List<(Type Event, Type Result)> HandlerInterfaces => typeof(THandler).GetInterfaces()
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILambdaHandler<,>))
        .Select(i => (i.GetGenericArguments()[0], i.GetGenericArguments()[1]))
        .ToList();

    private static Archive Bundle(FunctionBase self, DotnetFunctionProps props) =>
        DotnetBundler.For(self.App).Archive(self, typeof(THandler), props.Project, self.Props.Architecture, props.Packaging);
}
