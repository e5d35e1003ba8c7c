using System.Text.Json.Serialization;
using Lamina.Examples.Handlers.Api;
using Lamina.Examples.Handlers.Fanout;
using Lamina.Examples.Handlers.Workflow;

namespace Lamina.Examples.Handlers;

/// <summary>
/// Source-generated (reflection-free, AOT-safe) JSON metadata for the examples' own payloads: orders, order events,
/// and the checkout workflow's typed task inputs and results. Property names are camelCase; unknown fields are ignored.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(OrderEvent))]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(ValidationResult))]
[JsonSerializable(typeof(ChargeReceipt))]
[JsonSerializable(typeof(CheckoutStarted))]
public sealed partial class ExamplesJsonContext : JsonSerializerContext;
