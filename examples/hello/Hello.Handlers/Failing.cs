using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Hello.Handlers;

/// <summary>
/// A handler that always throws, to show (and test) what a failed invocation looks like: the runtime posts
/// <c>{"errorType":"InvalidOperationException","errorMessage":"..."}</c> and Lambda answers with <c>X-Amz-Function-Error: Unhandled</c>.
/// </summary>
public sealed class Failing : IRestApiHandler
{
    /// <summary>The message of the exception every invocation throws.</summary>
    public const string Message = "Failing always fails: this handler exists to show an invocation error.";

    /// <inheritdoc />
    public Task<RestApiResponse> HandleAsync(RestApiRequest input, ILambdaContext context) =>
        throw new InvalidOperationException(Message);
}
