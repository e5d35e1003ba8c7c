namespace Lamina.Examples;

/// <summary>The reference architectures by name, each defined alone in its own stack (the runner's and the tests' view).</summary>
public static class ReferenceExamples
{
    /// <summary>The examples' names (their folders under examples/) and how each defines itself in a scope.</summary>
    public static IReadOnlyDictionary<string, Action<Construct>> All { get; } = new Dictionary<string, Action<Construct>>(StringComparer.Ordinal)
    {
        ["api"] = scope => ApiExample.Define(scope),
        ["cron"] = scope => CronExample.Define(scope),
        ["fanout"] = scope => FanoutExample.Define(scope),
        ["uploads"] = scope => UploadsExample.Define(scope),
        ["workflow"] = scope => WorkflowExample.Define(scope),
    };

    /// <summary>Defines example <paramref name="name"/> in a stack of its own, named after it.</summary>
    /// <exception cref="ArgumentException">There is no example with that name.</exception>
    public static Stack Define(App app, string name)
    {
        if (!All.TryGetValue(name, out var define))
        {
            throw new ArgumentException($"there is no example '{name}': use one of {string.Join(", ", All.Keys)}", nameof(name));
        }
        var stack = new Stack(app, name, new() { Description = $"Lamina reference architecture: examples/{name}" });
        define(stack);
        return stack;
    }
}
