using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Aws.Tests.Messaging;

public sealed class ChargeCustomer : ISqsHandler
{
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
}

public sealed class PackParcel : ISqsHandler
{
    public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
}

public sealed class NotifyCustomer : ISnsHandler
{
    public Task<LambdaVoid> HandleAsync(SnsEvent input, ILambdaContext context) => LambdaVoid.Completed;
}
