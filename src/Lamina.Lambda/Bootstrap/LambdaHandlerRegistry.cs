using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;

namespace Lamina.Lambda;

/// <summary>
/// The handlers one published binary can run, by name. At start-up the runtime picks the one named by the
/// <c>_HANDLER</c> environment variable, so a single bootstrap serves many functions.
/// </summary>
/// <remarks>
/// <para>Registration is AOT-safe: events and results are read and written with the <see cref="JsonTypeInfo{T}"/>
/// given (from a source-generated <c>JsonSerializerContext</c>), and handlers are created by a
/// <c>new()</c> constraint or a factory, never by reflection.</para>
/// <para>Only the selected handler's factory runs, once, during initialization (like a function's static
/// initialization); the instance then serves every invocation of the execution environment. An exception from
/// the factory is reported as an init error.</para>
/// <para>Named contracts (an HTTP API handler with its event types) can add convenience extension methods that
/// call <see cref="Add{TEvent,TResult}(string,Func{ILambdaHandler{TEvent,TResult}},JsonTypeInfo{TEvent},JsonTypeInfo{TResult})"/>
/// with their own JSON metadata.</para>
/// </remarks>
/// <example>
/// <code>
/// return await LambdaRuntime.RunAsync(args, handlers => handlers
///     .Add&lt;GetOrder, HttpApiRequest, HttpApiResponse&gt;("GetOrder", Json.Default.HttpApiRequest, Json.Default.HttpApiResponse)
///     .Add("ListOrders", () => new ListOrders(db), Json.Default.HttpApiRequest, Json.Default.HttpApiResponse));
/// </code>
/// </example>
public sealed class LambdaHandlerRegistry
{
    private readonly Dictionary<string, Func<IRawLambdaHandler>> _factories = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    /// <summary>The registered names, in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>True when <paramref name="name"/> is registered (names are case-sensitive).</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Registers <typeparamref name="THandler"/>, created with its parameterless constructor.</summary>
    /// <param name="name">The name <c>_HANDLER</c> selects it by.</param>
    /// <param name="eventTypeInfo">JSON metadata reading the event.</param>
    /// <param name="resultTypeInfo">JSON metadata writing the result.</param>
    public LambdaHandlerRegistry Add<THandler, TEvent, TResult>(
        string name,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo)
        where THandler : ILambdaHandler<TEvent, TResult>, new() =>
        Add(name, static () => new THandler(), eventTypeInfo, resultTypeInfo);

    /// <summary>Registers a handler created by <paramref name="factory"/> during initialization.</summary>
    /// <param name="name">The name <c>_HANDLER</c> selects it by.</param>
    /// <param name="factory">Creates the handler; runs once, only if this handler is selected.</param>
    /// <param name="eventTypeInfo">JSON metadata reading the event.</param>
    /// <param name="resultTypeInfo">JSON metadata writing the result.</param>
    public LambdaHandlerRegistry Add<TEvent, TResult>(
        string name,
        Func<ILambdaHandler<TEvent, TResult>> factory,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(eventTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        return AddRaw(name, () =>
        {
            var handler = factory() ?? throw new InvalidOperationException($"The factory of handler '{name}' returned null.");
            return new TypedHandlerAdapter<TEvent, TResult>(handler.HandleAsync, eventTypeInfo, resultTypeInfo);
        });
    }

    /// <summary>Registers a function (a delegate) as a handler.</summary>
    /// <param name="name">The name <c>_HANDLER</c> selects it by.</param>
    /// <param name="function">Handles one invocation.</param>
    /// <param name="eventTypeInfo">JSON metadata reading the event.</param>
    /// <param name="resultTypeInfo">JSON metadata writing the result.</param>
    public LambdaHandlerRegistry AddFunction<TEvent, TResult>(
        string name,
        Func<TEvent, ILambdaContext, Task<TResult>> function,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(eventTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        return AddRaw(name, () => new TypedHandlerAdapter<TEvent, TResult>(function, eventTypeInfo, resultTypeInfo));
    }

    /// <summary>Registers a byte-level handler created by <paramref name="factory"/> during initialization.</summary>
    /// <param name="name">The name <c>_HANDLER</c> selects it by: not empty, no white space, unique.</param>
    /// <param name="factory">Creates the handler; runs once, only if this handler is selected.</param>
    /// <exception cref="ArgumentException">The name is empty, contains white space or is already registered.</exception>
    public LambdaHandlerRegistry AddRaw(string name, Func<IRawLambdaHandler> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"Handler name '{name}' contains white space.", nameof(name));
        }

        if (!_factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"A handler named '{name}' is already registered.", nameof(name));
        }

        _names.Add(name);
        return this;
    }

    /// <summary>
    /// Chooses the handler for <paramref name="handlerName"/> (the value of <c>_HANDLER</c>). When it is null or
    /// empty and exactly one handler is registered, that one is chosen.
    /// </summary>
    /// <param name="handlerName">The requested name.</param>
    /// <param name="selectedName">The chosen name.</param>
    /// <param name="factory">Creates the chosen handler.</param>
    /// <param name="error">Why nothing could be chosen; lists the registered names.</param>
    public bool TrySelect(
        string? handlerName,
        [NotNullWhen(true)] out string? selectedName,
        [NotNullWhen(true)] out Func<IRawLambdaHandler>? factory,
        [NotNullWhen(false)] out string? error)
    {
        var registered = _names.Count == 0 ? "(none)" : string.Join(", ", _names);
        if (string.IsNullOrEmpty(handlerName))
        {
            if (_names.Count == 1)
            {
                selectedName = _names[0];
                factory = _factories[selectedName];
                error = null;
                return true;
            }

            selectedName = null;
            factory = null;
            error = $"No handler selected: the _HANDLER environment variable is not set. Registered handlers: {registered}.";
            return false;
        }

        if (_factories.TryGetValue(handlerName, out factory))
        {
            selectedName = handlerName;
            error = null;
            return true;
        }

        selectedName = null;
        error = $"Handler '{handlerName}' is not registered in this bootstrap. Registered handlers: {registered}.";
        return false;
    }
}
