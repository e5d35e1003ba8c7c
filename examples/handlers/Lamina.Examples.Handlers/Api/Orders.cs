using System.Text.RegularExpressions;

namespace Lamina.Examples.Handlers.Api;

/// <summary>The body of <c>POST /orders</c>: who orders what.</summary>
public sealed class OrderRequest
{
    /// <summary>The customer placing the order. Required.</summary>
    public string? CustomerId { get; set; }

    /// <summary>The ordered lines, 1 to <see cref="OrderRules.MaxLines"/>. Required.</summary>
    public List<OrderLine>? Items { get; set; }
}

/// <summary>One line of an order.</summary>
public sealed class OrderLine
{
    /// <summary>The product code: 1-32 upper-case letters, digits and '-'.</summary>
    public string? Sku { get; set; }

    /// <summary>How many, 1 to <see cref="OrderRules.MaxQuantity"/>.</summary>
    public int Quantity { get; set; }
}

/// <summary>A placed order, as stored and as returned by the API.</summary>
public sealed class Order
{
    /// <summary>The order id: <c>ord_</c> and 16 lower-case hex digits.</summary>
    public required string Id { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The ordered lines.</summary>
    public required List<OrderLine> Items { get; init; }

    /// <summary>The order's status: <c>placed</c> when created.</summary>
    public required string Status { get; init; }

    /// <summary>When the order was placed (UTC).</summary>
    public required DateTimeOffset PlacedAt { get; init; }
}

/// <summary>The body of a 4xx answer: what is wrong, one message per problem.</summary>
public sealed class ErrorResponse
{
    /// <summary>The problems found.</summary>
    public required List<string> Errors { get; init; }
}

/// <summary>The rules an order must follow, shared by the handlers.</summary>
public static partial class OrderRules
{
    /// <summary>The most lines an order may have.</summary>
    public const int MaxLines = 50;

    /// <summary>The largest quantity of one line.</summary>
    public const int MaxQuantity = 100;

    /// <summary>True when <paramref name="id"/> looks like an order id (<c>ord_</c> and 16 lower-case hex digits).</summary>
    public static bool IsOrderId(string? id) => id is not null && OrderIdPattern().IsMatch(id);

    /// <summary>Every problem of <paramref name="request"/>; empty when it can be placed.</summary>
    public static List<string> Check(OrderRequest request)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(request.CustomerId))
        {
            problems.Add("customerId is required");
        }
        else if (request.CustomerId.Length > 64)
        {
            problems.Add("customerId must be at most 64 characters");
        }
        if (request.Items is not { Count: > 0 } items)
        {
            problems.Add("items must hold at least one line");
            return problems;
        }
        if (items.Count > MaxLines)
        {
            problems.Add($"items holds {items.Count} lines; at most {MaxLines} are allowed");
        }
        for (var i = 0; i < items.Count; i++)
        {
            var line = items[i];
            if (line is null)
            {
                problems.Add($"items[{i}] is null");
                continue;
            }
            if (line.Sku is null || !SkuPattern().IsMatch(line.Sku))
            {
                problems.Add($"items[{i}].sku must be 1-32 upper-case letters, digits and '-'");
            }
            if (line.Quantity is < 1 or > MaxQuantity)
            {
                problems.Add($"items[{i}].quantity must be between 1 and {MaxQuantity}");
            }
        }
        return problems;
    }

    [GeneratedRegex("^ord_[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex OrderIdPattern();

    [GeneratedRegex("^[A-Z0-9-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex SkuPattern();
}
