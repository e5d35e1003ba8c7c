using Lamina.Lambda;

namespace Hello.Handlers;

/// <summary>The handlers of this project, registered under their full class names (the <c>_HANDLER</c> values Lamina sets).</summary>
public static class HelloHandlers
{
    /// <summary>Registers <see cref="HelloHandler"/> and <see cref="Failing"/>.</summary>
    public static void Register(LambdaHandlerRegistry handlers) => handlers
        .AddRestApi<HelloHandler>()
        .AddRestApi<Failing>();
}
