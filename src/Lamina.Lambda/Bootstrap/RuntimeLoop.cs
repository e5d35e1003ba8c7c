using Lamina.Lambda.Client;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Lambda.Logging;

namespace Lamina.Lambda;

/// <summary>Initialization and the invocation loop behind <see cref="LambdaRuntime"/>.</summary>
internal sealed class RuntimeLoop
{
    private readonly RuntimeApiClient _client;
    private readonly IEnvironmentVariables _environment;
    private readonly TimeProvider _timeProvider;
    private readonly LambdaJsonLogger _logger;

    public RuntimeLoop(RuntimeApiClient client, IEnvironmentVariables environment, TimeProvider timeProvider, LambdaJsonLogger logger)
    {
        _client = client;
        _environment = environment;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<int> RunAsync(LambdaHandlerRegistry registry, string? handlerName, CancellationToken cancellationToken)
    {
        IRawLambdaHandler handler;
        try
        {
            if (!registry.TrySelect(handlerName, out _, out var factory, out var error))
            {
                return await ReportInitErrorAsync(LambdaErrorPayload.Create(LambdaErrorTypes.HandlerNotFound, error), cancellationToken)
                    .ConfigureAwait(false);
            }

            try
            {
                handler = factory();
            }
            catch (Exception exception)
            {
                _logger.Log(LambdaLogLevel.Fatal, $"The handler '{handlerName}' could not be created: {exception}");
                return await ReportInitErrorAsync(LambdaErrorPayload.FromException(exception), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return LambdaRuntime.ExitCodeStopped;
        }

        var settings = LambdaFunctionSettings.FromEnvironment(_environment);
        while (!cancellationToken.IsCancellationRequested)
        {
            RuntimeInvocation invocation;
            try
            {
                invocation = await _client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return LambdaRuntime.ExitCodeStopped;
            }
            catch (OperationCanceledException)
            {
                // The HTTP client's own timeout (a client given in the options may have one): poll again.
                continue;
            }
            catch (Exception exception) when (exception is HttpRequestException or RuntimeApiException)
            {
                _logger.Log(LambdaLogLevel.Fatal, $"Could not get the next invocation: {exception.Message}");
                return LambdaRuntime.ExitCodeRuntimeApiFailure;
            }

            try
            {
                await InvokeAsync(handler, settings, invocation, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return LambdaRuntime.ExitCodeStopped;
            }
            catch (RuntimeApiException exception) when (exception.IsFatal)
            {
                _logger.Log(LambdaLogLevel.Fatal, exception.Message);
                return LambdaRuntime.ExitCodeRuntimeApiFailure;
            }
        }

        return LambdaRuntime.ExitCodeStopped;
    }

    private async Task<int> ReportInitErrorAsync(LambdaErrorPayload error, CancellationToken cancellationToken)
    {
        _logger.Log(LambdaLogLevel.Fatal, $"{error.ErrorType}: {error.ErrorMessage}");
        try
        {
            await _client.SendInitErrorAsync(error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or RuntimeApiException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _logger.Log(LambdaLogLevel.Fatal, $"Could not report the init error: {exception.Message}");
        }

        return LambdaRuntime.ExitCodeInitError;
    }

    private async Task InvokeAsync(
        IRawLambdaHandler handler,
        LambdaFunctionSettings settings,
        RuntimeInvocation invocation,
        CancellationToken cancellationToken)
    {
        _environment.Set(RuntimeApiHeaders.TraceIdVariable, invocation.TraceId);
        var receivedAt = _timeProvider.GetUtcNow();
        var budget = invocation.Deadline - receivedAt;
        using var deadline = new CancellationTokenSource(budget > TimeSpan.Zero ? budget : TimeSpan.Zero, _timeProvider);
        var requestLogger = _logger.ForRequest(invocation.RequestId);
        var context = new LambdaContext(invocation, settings, requestLogger, _timeProvider, deadline.Token);

        Task<ReadOnlyMemory<byte>> work;
        try
        {
            work = handler.HandleAsync(invocation.Payload, context);
        }
        catch (Exception exception)
        {
            work = Task.FromException<ReadOnlyMemory<byte>>(exception);
        }

        ReadOnlyMemory<byte> response;
        try
        {
            response = await work.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            ObserveAbandoned(work);
            var timeout = LambdaErrorPayload.Create(LambdaErrorTypes.Timeout,
                LambdaErrorTypes.TimeoutMessage(invocation.RequestId, budget > TimeSpan.Zero ? budget : TimeSpan.Zero));
            requestLogger.Log(LambdaLogLevel.Error,
                $"{timeout.ErrorMessage}. The handler was cancelled at its deadline; if it ignores cancellation it keeps running in the background and its result is discarded.");
            await SendErrorAsync(invocation.RequestId, timeout, requestLogger, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception exception)
        {
            var error = LambdaErrorPayload.FromException(exception);
            requestLogger.Log(LambdaLogLevel.Error, exception.ToString());
            await SendErrorAsync(invocation.RequestId, error, requestLogger, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _client.SendResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException exception) when (!exception.IsFatal)
        {
            // 413 (response too large) and similar: Lambda has already turned the invocation into an error.
            requestLogger.Log(LambdaLogLevel.Error, $"The response was rejected: {exception.Message}");
        }
        catch (Exception exception) when (exception is HttpRequestException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            requestLogger.Log(LambdaLogLevel.Error, $"The response could not be sent: {exception.Message}");
        }
    }

    private async Task SendErrorAsync(string requestId, LambdaErrorPayload error, ILambdaLogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await _client.SendInvocationErrorAsync(requestId, error, cancellationToken).ConfigureAwait(false);
        }
        catch (RuntimeApiException exception) when (!exception.IsFatal)
        {
            // For example 400 after a timeout: the Runtime API has already closed the invocation.
            logger.Log(LambdaLogLevel.Warn, $"The error report was rejected: {exception.Message}");
        }
        catch (Exception exception) when (exception is HttpRequestException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.Log(LambdaLogLevel.Error, $"The error report could not be sent: {exception.Message}");
        }
    }

    private static void ObserveAbandoned(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
