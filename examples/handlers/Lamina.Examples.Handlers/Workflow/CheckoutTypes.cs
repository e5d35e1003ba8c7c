namespace Lamina.Examples.Handlers.Workflow;

/// <summary>The input of the checkout workflow (examples/workflow), as <c>POST /checkout</c> receives it.</summary>
public sealed class CheckoutRequest
{
    /// <summary>The order being paid. Required: 1-64 letters, digits, '-' and '_'.</summary>
    public string? OrderId { get; set; }

    /// <summary>The customer. Required.</summary>
    public string? CustomerId { get; set; }

    /// <summary>The amount to charge, above 0 and at most <see cref="CheckoutRules.MaxAmount"/>.</summary>
    public decimal Amount { get; set; }

    /// <summary>The currency, one of <see cref="CheckoutRules.Currencies"/>.</summary>
    public string? Currency { get; set; }

    /// <summary>The card number, 12-19 digits with a valid Luhn check digit (test numbers only).</summary>
    public string? CardNumber { get; set; }
}

/// <summary>What <see cref="ValidateOrder"/> returns: the Choice state reads <c>$.valid</c>.</summary>
public sealed class ValidationResult
{
    /// <summary>True when the order can be charged.</summary>
    public bool Valid { get; set; }

    /// <summary>The order as received.</summary>
    public CheckoutRequest? Order { get; set; }

    /// <summary>Why the order is invalid (empty when valid).</summary>
    public List<string> Problems { get; set; } = [];
}

/// <summary>What <see cref="ChargeCard"/> returns: the workflow's output when it succeeds.</summary>
public sealed class ChargeReceipt
{
    /// <summary>The charge's id: <c>ch_</c> and 16 hex digits, derived from the order id (a retried charge keeps its id).</summary>
    public required string ChargeId { get; init; }

    /// <summary>The order.</summary>
    public required string OrderId { get; init; }

    /// <summary>The amount charged.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Its currency.</summary>
    public required string Currency { get; init; }

    /// <summary>The last four digits of the card.</summary>
    public required string CardLast4 { get; init; }
}

/// <summary>The answer of <c>POST /checkout</c>: the execution that was started.</summary>
public sealed class CheckoutStarted
{
    /// <summary>The execution's name (<c>checkout-&lt;orderId&gt;</c>: starting the same order twice starts one execution).</summary>
    public required string ExecutionName { get; init; }

    /// <summary>The execution's ARN.</summary>
    public required string ExecutionArn { get; init; }
}

/// <summary>The card was declined: retrying does not help (the workflow catches this error and fails).</summary>
/// <param name="message">Why.</param>
public sealed class PaymentDeclinedException(string message) : Exception(message);

/// <summary>The payment gateway could not be reached: a retry may succeed (the workflow retries this error).</summary>
/// <param name="message">Why.</param>
public sealed class PaymentGatewayUnavailableException(string message) : Exception(message);

/// <summary>The rules of a checkout and the test card numbers of the simulated gateway.</summary>
public static class CheckoutRules
{
    /// <summary>The largest amount the example accepts.</summary>
    public const decimal MaxAmount = 10_000m;

    /// <summary>A test card the gateway always declines (<see cref="PaymentDeclinedException"/>).</summary>
    public const string DeclinedCard = "4000000000000002";

    /// <summary>A test card for which the gateway is always unavailable (<see cref="PaymentGatewayUnavailableException"/>).</summary>
    public const string UnavailableCard = "4000000000000119";

    /// <summary>A test card that is always charged.</summary>
    public const string GoodCard = "4242424242424242";

    /// <summary>The accepted currencies.</summary>
    public static readonly IReadOnlyList<string> Currencies = ["EUR", "GBP", "USD"];

    /// <summary>True when <paramref name="digits"/> passes the Luhn check.</summary>
    public static bool LuhnValid(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
