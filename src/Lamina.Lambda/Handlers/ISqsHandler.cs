using Lamina.Lambda.Events;

namespace Lamina.Lambda;

/// <summary>
/// A handler of an SQS event source mapping. It returns the ids of the messages it could not process
/// (partial batch response; the event source mapping needs <c>ReportBatchItemFailures</c>); the other messages
/// are deleted from the queue.
/// </summary>
/// <example>
/// <code>
/// public sealed class Orders : ISqsHandler
/// {
///     public async Task&lt;SqsBatchResponse&gt; HandleAsync(SqsEvent input, ILambdaContext context)
///     {
///         var failed = new List&lt;string&gt;();
///         foreach (var message in input.Records)
///         {
///             try { await ProcessAsync(message.Body!, context.CancellationToken); }
///             catch (Exception e) { context.Logger.LogError(e.Message); failed.Add(message.MessageId!); }
///         }
///         return SqsBatchResponse.FromFailedMessageIds(failed);
///     }
///
///     private static Task ProcessAsync(string body, CancellationToken cancellationToken) =&gt; Task.CompletedTask;
/// }
/// </code>
/// </example>
public interface ISqsHandler : ILambdaHandler<SqsEvent, SqsBatchResponse>;
