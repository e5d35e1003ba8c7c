using Lamina.Examples.Handlers;
using Lamina.Lambda;

// The Lambda bootstrap of every reference-architecture function: registers all handlers and serves invocations
// from the Runtime API with the one _HANDLER names (e.g. "Lamina.Examples.Handlers.Api.PlaceOrder").
// `bootstrap --list-handlers` prints the registered names.
return await LambdaRuntime.RunAsync(args, ExampleHandlers.Register);
