using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Aws.Tests.Storage;

public sealed class MakeThumbnail : IS3Handler
{
    public Task<LambdaVoid> HandleAsync(S3Event input, ILambdaContext context) => LambdaVoid.Completed;
}

public sealed class IndexUpload : IS3Handler
{
    public Task<LambdaVoid> HandleAsync(S3Event input, ILambdaContext context) => LambdaVoid.Completed;
}

public sealed class PurgeIndex : IS3Handler
{
    public Task<LambdaVoid> HandleAsync(S3Event input, ILambdaContext context) => LambdaVoid.Completed;
}
