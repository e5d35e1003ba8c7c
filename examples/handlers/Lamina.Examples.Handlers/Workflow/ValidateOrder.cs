using Lamina.Lambda;

namespace Lamina.Examples.Handlers.Workflow;

/// <summary>
/// The workflow's first task: checks the order (id, customer, amount, currency, card number with its Luhn digit) and
/// returns <see cref="ValidationResult"/>; the Choice state after it reads <c>$.valid</c>. An invalid order is a result,
/// not an error, so the workflow can fail it as <c>InvalidOrder</c>.
/// </summary>
public sealed class ValidateOrder : ILambdaHandler<CheckoutRequest, ValidationResult>
{
    /// <inheritdoc />
    public Task<ValidationResult> HandleAsync(CheckoutRequest input, ILambdaContext context)
    {
        var problems = new List<string>();
        if (input.OrderId is not { Length: >= 1 and <= 64 } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            problems.Add("orderId must be 1-64 letters, digits, '-' and '_'");
        }
        if (string.IsNullOrWhiteSpace(input.CustomerId))
        {
            problems.Add("customerId is required");
        }
        if (input.Amount is <= 0 or > CheckoutRules.MaxAmount)
        {
            problems.Add($"amount {input.Amount} must be above 0 and at most {CheckoutRules.MaxAmount}");
        }
        if (input.Currency is null || !CheckoutRules.Currencies.Contains(input.Currency))
        {
            problems.Add($"currency '{input.Currency}' is not one of {string.Join(", ", CheckoutRules.Currencies)}");
        }
        if (input.CardNumber is not { Length: >= 12 and <= 19 } card || !card.All(char.IsAsciiDigit) || !CheckoutRules.LuhnValid(card))
        {
            problems.Add("cardNumber must be 12-19 digits with a valid check digit");
        }
        context.Logger.LogInformation(problems.Count == 0 ? $"order {input.OrderId} is valid" : $"order {input.OrderId} is invalid: {string.Join("; ", problems)}");
        return Task.FromResult(new ValidationResult { Valid = problems.Count == 0, Order = input, Problems = problems });
    }
}
