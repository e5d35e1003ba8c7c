using System.Security.Cryptography;
using System.Text;
using Lamina.Lambda;

namespace Lamina.Examples.Handlers.Workflow;

/// <summary>Charges cards.</summary>
/// <remarks>
/// Payment providers are out of scope: the handler uses <see cref="SimulatedPaymentGateway"/>, which behaves like a
/// provider's test mode (fixed test card numbers decline or fail; any other valid card is charged).
/// </remarks>
public interface IPaymentGateway
{
    /// <summary>Charges the order's card and returns the receipt.</summary>
    /// <exception cref="PaymentDeclinedException">The card was declined.</exception>
    /// <exception cref="PaymentGatewayUnavailableException">The gateway could not be reached.</exception>
    Task<ChargeReceipt> ChargeAsync(CheckoutRequest order, CancellationToken cancellationToken);
}

/// <summary>A payment gateway in test mode: <see cref="CheckoutRules.DeclinedCard"/> is declined, <see cref="CheckoutRules.UnavailableCard"/> finds the gateway down, every other card is charged.</summary>
public sealed class SimulatedPaymentGateway : IPaymentGateway
{
    /// <summary>How many charges were attempted (all outcomes).</summary>
    public int Attempts { get; private set; }

    /// <inheritdoc />
    public Task<ChargeReceipt> ChargeAsync(CheckoutRequest order, CancellationToken cancellationToken)
    {
        Attempts++;
        var card = order.CardNumber ?? "";
        return card switch
        {
            CheckoutRules.DeclinedCard => throw new PaymentDeclinedException($"card ending {Last4(card)} was declined for order {order.OrderId}"),
            CheckoutRules.UnavailableCard => throw new PaymentGatewayUnavailableException($"the payment gateway did not answer for order {order.OrderId}"),
            _ => Task.FromResult(new ChargeReceipt
            {
                // The same order always gets the same charge id, so a retried task does not create a second charge.
                ChargeId = "ch_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(order.OrderId ?? "")))[..16],
                OrderId = order.OrderId ?? "",
                Amount = order.Amount,
                Currency = order.Currency ?? "",
                CardLast4 = Last4(card),
            }),
        };
    }

    private static string Last4(string card) => card.Length >= 4 ? card[^4..] : card;
}

/// <summary>
/// The workflow's charge task: charges a validated order through <see cref="IPaymentGateway"/>. It throws
/// <see cref="PaymentDeclinedException"/> (the workflow catches it and fails as <c>PaymentDeclined</c>, without retrying)
/// or <see cref="PaymentGatewayUnavailableException"/> (the workflow retries it, then fails as <c>PaymentFailed</c>).
/// Lambda reports a thrown exception with its class name as the error type, which is what Retry and Catch match.
/// </summary>
public sealed class ChargeCard : ILambdaHandler<ValidationResult, ChargeReceipt>
{
    private readonly IPaymentGateway _gateway;

    /// <summary>The handler Lambda runs, with the simulated gateway.</summary>
    public ChargeCard() : this(new SimulatedPaymentGateway())
    {
    }

    /// <summary>A handler charging through <paramref name="gateway"/>.</summary>
    public ChargeCard(IPaymentGateway gateway) => _gateway = gateway;

    /// <inheritdoc />
    public async Task<ChargeReceipt> HandleAsync(ValidationResult input, ILambdaContext context)
    {
        if (!input.Valid || input.Order is null)
        {
            throw new InvalidOperationException("ChargeCard received an order that did not pass validation");
        }
        var receipt = await _gateway.ChargeAsync(input.Order, context.CancellationToken).ConfigureAwait(false);
        context.Logger.LogInformation($"charged {receipt.Amount:0.00} {receipt.Currency} for order {receipt.OrderId}: {receipt.ChargeId}");
        return receipt;
    }
}
