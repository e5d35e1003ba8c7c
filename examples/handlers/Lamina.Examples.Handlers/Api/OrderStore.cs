using System.Collections.Concurrent;

namespace Lamina.Examples.Handlers.Api;

/// <summary>Where orders are kept.</summary>
/// <remarks>
/// A database client (DynamoDB, say) is out of scope for these examples: Lamina's runtime library has no AWS SDK. The
/// handlers use <see cref="InMemoryOrderStore.Shared"/>, which lives in the process. Locally, where every function runs
/// in one process, <c>GetOrder</c> finds what <c>PlaceOrder</c> stored. On Lambda each function has its own instances,
/// so a deployed <c>GetOrder</c> only answers 404 until a real store is plugged in behind this interface.
/// </remarks>
public interface IOrderStore
{
    /// <summary>Stores <paramref name="order"/>; false when an order with its id already exists.</summary>
    Task<bool> TryAddAsync(Order order, CancellationToken cancellationToken);

    /// <summary>The order with id <paramref name="id"/>, or null.</summary>
    Task<Order?> FindAsync(string id, CancellationToken cancellationToken);
}

/// <summary>An <see cref="IOrderStore"/> in memory (see the remarks of <see cref="IOrderStore"/>).</summary>
public sealed class InMemoryOrderStore : IOrderStore
{
    private readonly ConcurrentDictionary<string, Order> _orders = new(StringComparer.Ordinal);

    /// <summary>The store shared by the handlers of this process.</summary>
    public static InMemoryOrderStore Shared { get; } = new();

    /// <summary>How many orders are stored.</summary>
    public int Count => _orders.Count;

    /// <inheritdoc />
    public Task<bool> TryAddAsync(Order order, CancellationToken cancellationToken) => Task.FromResult(_orders.TryAdd(order.Id, order));

    /// <inheritdoc />
    public Task<Order?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_orders.GetValueOrDefault(id));
}
