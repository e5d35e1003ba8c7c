using System.Collections.Concurrent;

namespace Lamina.Lambda;

/// <summary>
/// The environment variables the runtime reads (function settings, <c>_HANDLER</c>, <c>AWS_LAMBDA_RUNTIME_API</c>,
/// credentials) and writes (<c>_X_AMZN_TRACE_ID</c> per invocation). Abstracted so tests and the local harness
/// can run a runtime in-process without touching the process environment.
/// </summary>
public interface IEnvironmentVariables
{
    /// <summary>Returns the value of <paramref name="name"/>, or null when it is not set.</summary>
    string? Get(string name);

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>; null removes the variable.</summary>
    void Set(string name, string? value);
}

/// <summary>The real process environment (<see cref="Environment"/>).</summary>
public sealed class ProcessEnvironmentVariables : IEnvironmentVariables
{
    /// <summary>The single instance.</summary>
    public static ProcessEnvironmentVariables Instance { get; } = new();

    private ProcessEnvironmentVariables()
    {
    }

    /// <inheritdoc />
    public string? Get(string name) => Environment.GetEnvironmentVariable(name);

    /// <inheritdoc />
    public void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);
}

/// <summary>An in-memory, thread-safe environment, for tests and for in-process hosting by the local harness.</summary>
public sealed class InMemoryEnvironmentVariables : IEnvironmentVariables
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Creates an empty environment.</summary>
    public InMemoryEnvironmentVariables()
    {
    }

    /// <summary>Creates an environment holding a copy of <paramref name="values"/>.</summary>
    public InMemoryEnvironmentVariables(IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var pair in values)
        {
            _values[pair.Key] = pair.Value;
        }
    }

    /// <inheritdoc />
    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public void Set(string name, string? value)
    {
        if (value is null)
        {
            _values.TryRemove(name, out _);
        }
        else
        {
            _values[name] = value;
        }
    }

    /// <summary>A snapshot of every variable currently set.</summary>
    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>(_values, StringComparer.Ordinal);
}
