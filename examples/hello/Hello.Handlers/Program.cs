using Hello.Handlers;
using Lamina.Lambda;

// The Lambda bootstrap: registers the handlers and serves invocations from the Runtime API
// (AWS_LAMBDA_RUNTIME_API) with the one named by _HANDLER, e.g. "Hello.Handlers.HelloHandler".
// A project with a single kind of handler can write it inline:
//   return await LambdaRuntime.RunAsync(args, h => h.AddRestApi<HelloHandler>());
return await LambdaRuntime.RunAsync(args, HelloHandlers.Register);
