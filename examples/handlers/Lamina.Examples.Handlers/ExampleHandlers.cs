using Lamina.Examples.Handlers.Api;
using Lamina.Examples.Handlers.Cron;
using Lamina.Examples.Handlers.Fanout;
using Lamina.Examples.Handlers.Uploads;
using Lamina.Examples.Handlers.Workflow;
using Lamina.Lambda;

namespace Lamina.Examples.Handlers;

/// <summary>
/// The handlers of this project, each registered under its full class name: the <c>_HANDLER</c> value that
/// <c>Function&lt;THandler&gt;</c> sets, so one published <c>bootstrap</c> serves every example function.
/// </summary>
public static class ExampleHandlers
{
    /// <summary>Registers every handler of the five reference architectures.</summary>
    /// <param name="handlers">The registry.</param>
    public static void Register(LambdaHandlerRegistry handlers) => handlers
        // examples/api
        .AddHttpApi<PlaceOrder>()
        .AddHttpApi<GetOrder>()
        .AddRestApi<Echo>()
        // examples/cron
        .AddScheduled<BuildReport>()
        // examples/fanout
        .AddSqs<ChargeCustomer>()
        .AddSqs<ShipOrder>()
        // examples/uploads
        .AddS3<MakeThumbnail>()
        // examples/workflow: typed payloads with this project's own source-generated JSON metadata
        .AddHttpApi<StartCheckout>()
        .Add<ValidateOrder, CheckoutRequest, ValidationResult>(NameOf<ValidateOrder>(),
            ExamplesJsonContext.Default.CheckoutRequest, ExamplesJsonContext.Default.ValidationResult)
        .Add<ChargeCard, ValidationResult, ChargeReceipt>(NameOf<ChargeCard>(),
            ExamplesJsonContext.Default.ValidationResult, ExamplesJsonContext.Default.ChargeReceipt);

    private static string NameOf<T>() => typeof(T).FullName!;
}
