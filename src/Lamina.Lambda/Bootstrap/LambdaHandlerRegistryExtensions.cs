using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;

namespace Lamina.Lambda;

/// <summary>
/// One-line registrations of the named handler contracts (<see cref="IHttpApiHandler"/>, <see cref="IRestApiHandler"/>,
/// <see cref="ISqsHandler"/>, <see cref="ISnsHandler"/>, <see cref="IS3Handler"/>, <see cref="IScheduledHandler"/>)
/// with the source-generated metadata of <see cref="LambdaEventsJsonContext"/>: AOT-safe, no reflection.
/// </summary>
/// <remarks>
/// The name defaults to the handler class's full name, which is the <c>_HANDLER</c> value Lamina's
/// <c>Function&lt;THandler&gt;</c> construct sets; so a handler project's entry point only lists its classes.
/// The handler is created with its parameterless constructor, once, when <c>_HANDLER</c> selects it.
/// </remarks>
/// <example>
/// The whole <c>Program.cs</c> of a handler project:
/// <code>
/// return await LambdaRuntime.RunAsync(args, handlers => handlers
///     .AddRestApi&lt;HelloHandler&gt;()
///     .AddHttpApi&lt;GetOrder&gt;()
///     .AddSqs&lt;BillingWorker&gt;());
/// </code>
/// </example>
public static class LambdaHandlerRegistryExtensions
{
    /// <summary>Registers an HTTP API (payload format 2.0) handler.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The <c>_HANDLER</c> name; default: <typeparamref name="THandler"/>'s full name.</param>
    public static LambdaHandlerRegistry AddHttpApi<THandler>(this LambdaHandlerRegistry registry, string? name = null)
        where THandler : IHttpApiHandler, new() =>
        registry.Add<THandler, HttpApiRequest, HttpApiResponse>(NameOf<THandler>(name),
            LambdaEventsJsonContext.Default.HttpApiRequest, LambdaEventsJsonContext.Default.HttpApiResponse);

    /// <summary>Registers a REST API proxy (payload format 1.0) handler.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The <c>_HANDLER</c> name; default: <typeparamref name="THandler"/>'s full name.</param>
    public static LambdaHandlerRegistry AddRestApi<THandler>(this LambdaHandlerRegistry registry, string? name = null)
        where THandler : IRestApiHandler, new() =>
        registry.Add<THandler, RestApiRequest, RestApiResponse>(NameOf<THandler>(name),
            LambdaEventsJsonContext.Default.RestApiRequest, LambdaEventsJsonContext.Default.RestApiResponse);

    /// <summary>Registers an SQS handler (returns a partial batch response).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The <c>_HANDLER</c> name; default: <typeparamref name="THandler"/>'s full name.</param>
    public static LambdaHandlerRegistry AddSqs<THandler>(this LambdaHandlerRegistry registry, string? name = null)
        where THandler : ISqsHandler, new() =>
        registry.Add<THandler, SqsEvent, SqsBatchResponse>(NameOf<THandler>(name),
            LambdaEventsJsonContext.Default.SqsEvent, LambdaEventsJsonContext.Default.SqsBatchResponse);

    /// <summary>Registers an SNS handler.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The <c>_HANDLER</c> name; default: <typeparamref name="THandler"/>'s full name.</param>
    public static LambdaHandlerRegistry AddSns<THandler>(this LambdaHandlerRegistry registry, string? name = null)
        where THandler : ISnsHandler, new() =>
        registry.Add<THandler, SnsEvent, LambdaVoid>(NameOf<THandler>(name),
            LambdaEventsJsonContext.Default.SnsEvent, LambdaEventsJsonContext.Default.LambdaVoid);

    /// <summary>Registers an S3 event notification handler.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The <c>_HANDLER</c> name; default: <typeparamref name="THandler"/>'s full name.</param>
    public static LambdaHandlerRegistry AddS3<THandler>(this LambdaHandlerRegistry registry, string? name = null)
        where THandler : IS3Handler, new() =>
        registry.Add<THandler, S3Event, LambdaVoid>(NameOf<THandler>(name),
            LambdaEventsJsonContext.Default.S3Event, LambdaEventsJsonContext.Default.LambdaVoid);

    /// <summary>Registers an EventBridge schedule handler.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="name">The <c>_HANDLER</c> name; default: <typeparamref name="THandler"/>'s full name.</param>
    public static LambdaHandlerRegistry AddScheduled<THandler>(this LambdaHandlerRegistry registry, string? name = null)
        where THandler : IScheduledHandler, new() =>
        registry.Add<THandler, ScheduledEvent, LambdaVoid>(NameOf<THandler>(name),
            LambdaEventsJsonContext.Default.ScheduledEvent, LambdaEventsJsonContext.Default.LambdaVoid);

    private static string NameOf<THandler>(string? name) =>
        name ?? typeof(THandler).FullName ?? throw new ArgumentException($"{typeof(THandler)} has no full name; pass a name.", nameof(name));
}
