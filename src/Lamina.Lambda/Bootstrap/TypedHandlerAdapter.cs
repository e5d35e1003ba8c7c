using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lamina.Lambda.ExceptionHandling;

namespace Lamina.Lambda;

/// <summary>Adapts a typed handler to <see cref="IRawLambdaHandler"/> with source-generated JSON metadata.</summary>
internal sealed class TypedHandlerAdapter<TEvent, TResult> : IRawLambdaHandler
{
    private readonly Func<TEvent, ILambdaContext, Task<TResult>> _handle;
    private readonly JsonTypeInfo<TEvent> _eventTypeInfo;
    private readonly JsonTypeInfo<TResult> _resultTypeInfo;

    public TypedHandlerAdapter(
        Func<TEvent, ILambdaContext, Task<TResult>> handle,
        JsonTypeInfo<TEvent> eventTypeInfo,
        JsonTypeInfo<TResult> resultTypeInfo)
    {
        _handle = handle;
        _eventTypeInfo = eventTypeInfo;
        _resultTypeInfo = resultTypeInfo;
    }

    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context)
    {
        TEvent input;
        try
        {
            input = JsonSerializer.Deserialize(payload.Span, _eventTypeInfo)!;
        }
        catch (Exception exception)
        {
            // Any failure while reading the payload (malformed JSON, a type mismatch, a converter's own error) is a
            // serialization error, reported with the wording of the .NET managed runtime.
            throw new JsonSerializerException(
                $"Error converting the Lambda event JSON payload to type {typeof(TEvent).FullName}: {exception.Message}",
                exception);
        }

        var result = await _handle(input, context).ConfigureAwait(false);
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(result, _resultTypeInfo);
        }
        catch (Exception exception)
        {
            throw new JsonSerializerException(
                $"Error converting the response object of type {typeof(TResult).FullName} from the Lambda function to JSON: {exception.Message}",
                exception);
        }
    }
}
