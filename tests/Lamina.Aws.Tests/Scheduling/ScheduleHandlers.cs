using System.Text.Json.Serialization;
using Lamina.Lambda;
using Lamina.Lambda.Events;

namespace Lamina.Aws.Tests.Scheduling;

public sealed class NightlyCleanup : IScheduledHandler
{
    public Task<LambdaVoid> HandleAsync(ScheduledEvent input, ILambdaContext context) => LambdaVoid.Completed;
}

public sealed record ReportRequest(string Kind, int Days);

public sealed class SendReport : ILambdaHandler<ReportRequest, LambdaVoid>
{
    public Task<LambdaVoid> HandleAsync(ReportRequest input, ILambdaContext context) => LambdaVoid.Completed;
}

public sealed class CountReport : ILambdaHandler<ReportRequest, int>
{
    public Task<int> HandleAsync(ReportRequest input, ILambdaContext context) => Task.FromResult(input.Days);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReportRequest))]
public sealed partial class ScheduleTestJson : JsonSerializerContext;
