using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Lamina.Synthesis;

namespace Lamina.Testing;

/// <summary>
/// Assertions on a synthesized stack, in the style of the AWS CDK's <c>Template</c>: nothing is deployed, the
/// synthesized program is inspected. Assertions match against the program's JSON view (see <see cref="TemplateJson"/>)
/// and throw <see cref="TemplateAssertionException"/> with the closest candidate and the path of every difference.
/// </summary>
/// <remarks>
/// An <c>expected</c> argument may be null (no constraint), a <see cref="Matcher"/>, or a plain value (see
/// <see cref="Match"/>); plain objects are matched object-like, so only the keys given are checked.
/// </remarks>
/// <example>
/// <code>
/// var template = Template.From(stack);
/// template.ResourceCountIs("aws:sqs:Queue", 2);
/// template.HasResourceProperties("aws:sqs:Queue", new Dictionary&lt;string, object?&gt; { ["visibilityTimeoutSeconds"] = 60 });
/// </code>
/// </example>
public sealed class Template
{
    private readonly JsonObject _json;
    private readonly JsonObject _resources;
    private readonly JsonObject _outputs;
    private readonly JsonObject _config;
    private readonly JsonObject _variables;

    private Template(PulumiProgram program, IReadOnlyList<Diagnostic> warnings)
    {
        Program = program;
        Warnings = warnings;
        _json = TemplateJson.FromProgram(program);
        _resources = (JsonObject)_json["resources"]!;
        _outputs = (JsonObject)_json["outputs"]!;
        _config = (JsonObject)_json["config"]!;
        _variables = (JsonObject)_json["variables"]!;
    }

    /// <summary>Synthesizes <paramref name="stack"/> and wraps the program.</summary>
    /// <exception cref="SynthesisException">The stack has errors (they are not turned into assertion failures).</exception>
    public static Template From(Stack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var result = stack.Synth();
        return new Template(result.Program, result.Warnings);
    }

    /// <summary>Wraps an already synthesized program.</summary>
    public static Template FromProgram(PulumiProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new Template(program, []);
    }

    /// <summary>The synthesized program.</summary>
    public PulumiProgram Program { get; }

    /// <summary>The warnings synthesis reported (empty for <see cref="FromProgram"/>).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }

    /// <summary>The program as Pulumi YAML.</summary>
    public string Yaml => Program.ToYaml();

    /// <summary>A copy of the whole JSON view (see <see cref="TemplateJson.FromProgram"/>).</summary>
    public JsonObject ToJson() => (JsonObject)_json.DeepClone();

    /// <inheritdoc />
    public override string ToString() => _json.ToJsonString(new() { WriteIndented = true });

    /// <summary>Asserts that the program has exactly <paramref name="count"/> resources of <paramref name="type"/>.</summary>
    /// <exception cref="TemplateAssertionException">Another number.</exception>
    public void ResourceCountIs(string type, int count)
    {
        var names = OfType(type).Select(r => r.Name).ToList();
        if (names.Count != count)
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"Expected {count} resource{Plural(count)} of type '{type}' but found {names.Count}");
            sb.Append(names.Count == 0 ? "." : ": " + string.Join(", ", names) + ".");
            if (names.Count == 0)
            {
                sb.Append('\n').Append(TypesPresent());
            }
            throw new TemplateAssertionException(sb.ToString(), []);
        }
    }

    /// <summary>Asserts that exactly <paramref name="count"/> resources of <paramref name="type"/> have properties matching <paramref name="expected"/>.</summary>
    /// <exception cref="TemplateAssertionException">Another number.</exception>
    public void ResourcePropertiesCountIs(string type, object? expected, int count)
    {
        var matcher = PropertiesMatcher(expected);
        var candidates = OfType(type).ToList();
        var matching = candidates.Where(r => TestAndCommit(matcher, r.Node, "").IsSuccess).Select(r => r.Name).ToList();
        if (matching.Count != count)
        {
            throw new TemplateAssertionException(
                $"Expected {count} resource{Plural(count)} of type '{type}' with matching properties but found {matching.Count}" +
                (matching.Count == 0 ? "" : ": " + string.Join(", ", matching)) +
                $".\nResources of type '{type}': {NameList(candidates.Select(c => c.Name))}", []);
        }
    }

    /// <summary>
    /// Asserts that some resource of <paramref name="type"/> matches <paramref name="expected"/> as a whole
    /// (object-like over <c>{"type", "properties", "options"}</c>); null only checks that one exists.
    /// </summary>
    /// <exception cref="TemplateAssertionException">No resource matches.</exception>
    public void HasResource(string type, object? expected) =>
        AssertAny(type, expected is null ? new ObjectMatcher([], partial: true) : Matcher.From(expected, partial: true), "matches");

    /// <summary>
    /// Asserts that some resource of <paramref name="type"/> has properties matching <paramref name="expected"/>
    /// (plain objects object-like); null only checks that one exists.
    /// </summary>
    /// <exception cref="TemplateAssertionException">No resource of the type matches; the message shows the closest one and where it differs.</exception>
    public void HasResourceProperties(string type, object? expected) =>
        AssertAny(type, PropertiesMatcher(expected), "has properties matching", expected is null ? null : Matcher.From(expected, partial: true));

    /// <summary>
    /// The resources of <paramref name="type"/> (copies of their JSON view, <c>{"type", "properties", "options"?}</c>), by
    /// logical name, that match <paramref name="expected"/> as a whole resource (as <see cref="HasResource"/>; null: all).
    /// </summary>
    public IReadOnlyDictionary<string, JsonObject> FindResources(string type, object? expected = null)
    {
        var matcher = expected is null ? null : Matcher.From(expected, partial: true);
        var found = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, node) in OfType(type))
        {
            if (matcher is null || TestAndCommit(matcher, node, "").IsSuccess)
            {
                found[name] = (JsonObject)node.DeepClone();
            }
        }
        return found;
    }

    /// <summary>Asserts that every resource of <paramref name="type"/> (at least one) has properties matching <paramref name="expected"/>.</summary>
    /// <exception cref="TemplateAssertionException">There is none, or some do not match.</exception>
    public void AllResourcesProperties(string type, object? expected) => AssertAll(type, PropertiesMatcher(expected));

    /// <summary>Asserts that every resource of <paramref name="type"/> (at least one) matches <paramref name="expected"/> as a whole resource.</summary>
    /// <exception cref="TemplateAssertionException">There is none, or some do not match.</exception>
    public void AllResources(string type, object? expected) =>
        AssertAll(type, expected is null ? new ObjectMatcher([], partial: true) : Matcher.From(expected, partial: true));

    /// <summary>
    /// Asserts that the stack output <paramref name="name"/> (or, with <c>"*"</c>, some output) exists and its value
    /// matches <paramref name="expected"/> (null: any value).
    /// </summary>
    /// <exception cref="TemplateAssertionException">No such output, or its value differs.</exception>
    public void HasOutput(string name, object? expected = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var matcher = expected is null ? null : Matcher.From(expected, partial: true);
        if (name != "*" && !_outputs.ContainsKey(name))
        {
            throw new TemplateAssertionException($"The template has no output named '{name}'. Outputs: {NameList(_outputs.Select(o => o.Key))}.", []);
        }
        var candidates = _outputs.Where(o => name == "*" || o.Key == name).ToList();
        if (candidates.Count == 0)
        {
            throw new TemplateAssertionException("The template has no outputs.", []);
        }
        if (matcher is null)
        {
            return;
        }
        var results = candidates.Select(o => (o.Key, o.Value, Result: TestAndCommit(matcher, o.Value, "outputs." + o.Key))).ToList();
        if (results.Any(r => r.Result.IsSuccess))
        {
            return;
        }
        var closest = results.OrderBy(r => r.Result.Failures.Count).First();
        var sb = new StringBuilder();
        sb.Append(name == "*" ? "No output matches" : $"Output '{name}' does not match").Append(CultureInfo.InvariantCulture, $" {matcher.Describe()}.\n");
        if (name == "*")
        {
            sb.Append("Closest output: ").Append(closest.Key).Append('\n');
        }
        AppendFailures(sb, closest.Result);
        sb.Append(CultureInfo.InvariantCulture, $"Output '{closest.Key}' is:\n").Append(JsonText.Block(closest.Value, "  "));
        if (name == "*")
        {
            sb.Append("Outputs: ").Append(NameList(_outputs.Select(o => o.Key))).Append('\n');
        }
        throw new TemplateAssertionException(sb.ToString().TrimEnd(), closest.Result.Failures);
    }

    /// <summary>The stack outputs (copies of their values), by name, whose name is <paramref name="name"/> (<c>"*"</c>: any) and value matches <paramref name="expected"/> (null: any).</summary>
    public IReadOnlyDictionary<string, JsonNode?> FindOutputs(string name = "*", object? expected = null)
    {
        var matcher = expected is null ? null : Matcher.From(expected, partial: true);
        var found = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in _outputs)
        {
            if ((name == "*" || key == name) && (matcher is null || TestAndCommit(matcher, value, "outputs." + key).IsSuccess))
            {
                found[key] = value?.DeepClone();
            }
        }
        return found;
    }

    /// <summary>
    /// Asserts that the program declares the config key <paramref name="name"/> (under <c>config:</c>, as secrets read
    /// with <c>RequireSecret</c> are) and that its declaration <c>{"type", "secret"?}</c> matches <paramref name="expected"/> (null: any).
    /// </summary>
    /// <exception cref="TemplateAssertionException">The key is not declared or its declaration differs.</exception>
    public void HasConfig(string name, object? expected = null) => AssertSection(_config, "config key", name, expected);

    /// <summary>Asserts that the program has the variable <paramref name="name"/> and its value matches <paramref name="expected"/> (null: any).</summary>
    /// <exception cref="TemplateAssertionException">No such variable, or its value differs.</exception>
    public void HasVariable(string name, object? expected = null) => AssertSection(_variables, "variable", name, expected);

    private void AssertSection(JsonObject section, string what, string name, object? expected)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!section.TryGetPropertyValue(name, out var value))
        {
            throw new TemplateAssertionException($"The template declares no {what} '{name}'. Declared: {NameList(section.Select(c => c.Key))}.", []);
        }
        if (expected is null)
        {
            return;
        }
        var root = what == "variable" ? "variables" : "config";
        var result = TestAndCommit(Matcher.From(expected, partial: true), value, JsonText.Key(root, name));
        if (!result.IsSuccess)
        {
            var sb = new StringBuilder($"The {what} '{name}' does not match.\n");
            AppendFailures(sb, result);
            sb.Append("It is:\n").Append(JsonText.Block(value, "  "));
            throw new TemplateAssertionException(sb.ToString().TrimEnd(), result.Failures);
        }
    }

    private static Matcher PropertiesMatcher(object? expected) => new ObjectMatcher(
        expected is null ? [] : [new("properties", Matcher.From(expected, partial: true))], partial: true);

    private IEnumerable<(string Name, JsonObject Node)> OfType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var (name, node) in _resources)
        {
            if (node is JsonObject o && JsonText.AsString(o["type"]) == type)
            {
                yield return (name, o);
            }
        }
    }

    private static MatchResult TestAndCommit(Matcher matcher, JsonNode? node, string path)
    {
        var result = matcher.Test(node, path);
        result.CommitCaptures();
        return result;
    }

    private void AssertAny(string type, Matcher matcher, string verb, Matcher? shown = null)
    {
        var candidates = OfType(type).ToList();
        if (candidates.Count == 0)
        {
            throw new TemplateAssertionException($"The template has no resource of type '{type}'.\n{TypesPresent()}", []);
        }
        var results = candidates.Select(c => (c.Name, c.Node, Result: TestAndCommit(matcher, c.Node, ""))).ToList();
        if (results.Any(r => r.Result.IsSuccess))
        {
            return;
        }
        var closest = results.OrderBy(r => r.Result.Failures.Count).First();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"No resource of type '{type}' {verb} {(shown ?? matcher).Describe()}.\n");
        sb.Append(CultureInfo.InvariantCulture, $"Closest: {closest.Name} ({closest.Result.Failures.Count} difference{Plural(closest.Result.Failures.Count)}):\n");
        AppendFailures(sb, closest.Result);
        sb.Append(CultureInfo.InvariantCulture, $"Resources of type '{type}': {NameList(candidates.Select(c => c.Name))}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{closest.Name} is:\n").Append(JsonText.Block(closest.Node, "  "));
        throw new TemplateAssertionException(sb.ToString().TrimEnd(), closest.Result.Failures);
    }

    private void AssertAll(string type, Matcher matcher)
    {
        var candidates = OfType(type).ToList();
        if (candidates.Count == 0)
        {
            throw new TemplateAssertionException($"The template has no resource of type '{type}'.\n{TypesPresent()}", []);
        }
        var failing = candidates.Select(c => (c.Name, Result: TestAndCommit(matcher, c.Node, ""))).Where(r => !r.Result.IsSuccess).ToList();
        if (failing.Count == 0)
        {
            return;
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{failing.Count} of {candidates.Count} resource{Plural(candidates.Count)} of type '{type}' do{(failing.Count == 1 ? "es" : "")} not match {matcher.Describe()}:\n");
        foreach (var (name, result) in failing.Take(5))
        {
            sb.Append(name).Append(":\n");
            AppendFailures(sb, result);
        }
        if (failing.Count > 5)
        {
            sb.Append(CultureInfo.InvariantCulture, $"… and {failing.Count - 5} more: {NameList(failing.Skip(5).Select(f => f.Name))}\n");
        }
        throw new TemplateAssertionException(sb.ToString().TrimEnd(), failing.SelectMany(f => f.Result.Failures).ToList());
    }

    private static void AppendFailures(StringBuilder sb, MatchResult result)
    {
        foreach (var f in result.Failures.Take(20))
        {
            sb.Append("  ").Append(f).Append('\n');
        }
        if (result.Failures.Count > 20)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  … and {result.Failures.Count - 20} more\n");
        }
    }

    private string TypesPresent()
    {
        var types = _resources
            .Select(r => JsonText.AsString((r.Value as JsonObject)?["type"]) ?? "?")
            .GroupBy(t => t, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({g.Count()})")
            .ToList();
        return types.Count == 0 ? "The template has no resources." : "Resource types present: " + string.Join(", ", types);
    }

    private static string NameList(IEnumerable<string> names)
    {
        var list = names.ToList();
        if (list.Count == 0)
        {
            return "(none)";
        }
        return list.Count <= 20 ? string.Join(", ", list) : string.Join(", ", list.Take(20)) + $", … ({list.Count - 20} more)";
    }

    private static string Plural(int n) => n == 1 ? "" : "s";
}

/// <summary>
/// Thrown when a <see cref="Template"/> or <see cref="Snapshot"/> assertion fails. A plain exception, so it fails a
/// test in any test framework; the message is meant to be read.
/// </summary>
public sealed class TemplateAssertionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateAssertionException(string message, IReadOnlyList<MatchFailure> failures) : base(message)
    {
        Failures = failures;
    }

    /// <summary>The differences of the closest candidate (empty when the failure is not about a value, such as a count).</summary>
    public IReadOnlyList<MatchFailure> Failures { get; }
}
