using System.Globalization;
using System.Text.Json;
using Lamina.Values;
using YamlDotNet.RepresentationModel;

namespace Lamina.Configuration;

/// <summary>One configuration entry: its value, or only the fact that it is a secret.</summary>
/// <param name="Value">The plain value; null for secrets whose value Lamina must not read (encrypted in the stack file).</param>
/// <param name="IsSecret">Whether Pulumi holds the value as a secret.</param>
public sealed record ConfigEntry(string? Value, bool IsSecret);

/// <summary>
/// Where stack configuration comes from: PULUMI_CONFIG (when Pulumi runs the program), a
/// <c>stacks/Pulumi.&lt;stack&gt;.yaml</c> file, or values given in code (tests).
/// </summary>
public sealed class StackConfigSource
{
    private readonly Dictionary<string, ConfigEntry> _entries;

    private StackConfigSource(string description, Dictionary<string, ConfigEntry> entries)
    {
        Description = description;
        _entries = entries;
    }

    /// <summary>Where the values come from, for messages ("PULUMI_CONFIG", "stacks/Pulumi.dev.yaml").</summary>
    public string Description { get; }

    /// <summary>Every entry by full key (<c>aws:region</c>, <c>shop:tableName</c>).</summary>
    public IReadOnlyDictionary<string, ConfigEntry> Entries => _entries;

    /// <summary>An empty configuration.</summary>
    public static StackConfigSource Empty { get; } = new("(no configuration)", new());

    /// <summary>Configuration given in code (tests): full keys and plain values.</summary>
    public static StackConfigSource FromValues(params (string Key, string Value)[] values) =>
        new("(configuration given in code)", values.ToDictionary(v => v.Key, v => new ConfigEntry(v.Value, false), StringComparer.Ordinal));

    /// <summary>
    /// Reads PULUMI_CONFIG (a JSON object of full keys to string values) and PULUMI_CONFIG_SECRET_KEYS (a JSON array of
    /// the keys that are secret), as the Pulumi YAML language host passes them.
    /// </summary>
    public static StackConfigSource FromPulumiEnvironment(string configJson, string? secretKeysJson)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(secretKeysJson))
        {
            using var sk = JsonDocument.Parse(secretKeysJson);
            foreach (var e in sk.RootElement.EnumerateArray())
            {
                secrets.Add(e.GetString() ?? "");
            }
        }
        var entries = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(configJson);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            entries[p.Name] = secrets.Contains(p.Name) ? new ConfigEntry(null, true) : new ConfigEntry(value, false);
        }
        return new StackConfigSource("PULUMI_CONFIG", entries);
    }

    /// <summary>Reads a Pulumi stack settings file (<c>Pulumi.&lt;stack&gt;.yaml</c>); <c>secure:</c> values are secrets.</summary>
    /// <param name="path">The file.</param>
    /// <param name="displayPath">How the file is named in messages (a path relative to the project root).</param>
    public static StackConfigSource FromStackFile(string path, string? displayPath = null)
    {
        var entries = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        var name = displayPath ?? path;
        if (!File.Exists(path))
        {
            return new StackConfigSource(name + " (not found)", entries);
        }
        var text = File.ReadAllText(path);
        if (SimpleYaml.Read(text) is { } simple)
        {
            foreach (var (k, v) in simple.Config)
            {
                entries[k] = v;
            }
            return new StackConfigSource(name, entries);
        }
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        if (yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) && configNode is YamlMappingNode config)
        {
            foreach (var (k, v) in config.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                entries[key] = v switch
                {
                    YamlScalarNode s => new ConfigEntry(s.Value ?? "", false),
                    YamlMappingNode m when m.Children.ContainsKey(new YamlScalarNode("secure")) => new ConfigEntry(null, true),
                    _ => new ConfigEntry(ToJson(v), false),
                };
            }
        }
        return new StackConfigSource(name, entries);
    }

    private static string ToJson(YamlNode node) => node switch
    {
        YamlScalarNode s => JsonSerializer.Serialize(s.Value ?? "", ConfigJson.Default.String),
        YamlSequenceNode seq => "[" + string.Join(",", seq.Children.Select(ToJson)) + "]",
        YamlMappingNode map => "{" + string.Join(",", map.Children.Select(kv =>
            JsonSerializer.Serialize(((YamlScalarNode)kv.Key).Value ?? "", ConfigJson.Default.String) + ":" + ToJson(kv.Value))) + "}",
        _ => "null",
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ConfigJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>
/// A stack's view of its configuration. Keys without a namespace are the project's (<c>tableName</c> means
/// <c>&lt;project&gt;:tableName</c>). A missing required key is reported with the key and the file, and synthesis writes nothing.
/// </summary>
/// <example>
/// <code>
/// var retention = stack.Config.RequireInt("logRetentionDays");
/// Output&lt;string&gt; apiKey = stack.Config.RequireSecret("apiKey");   // rendered as a secret config reference
/// </code>
/// </example>
public sealed class StackConfig
{
    private readonly Stack _stack;
    private readonly SortedDictionary<string, ConfigDeclaration> _declarations = new(StringComparer.Ordinal);

    internal StackConfig(Stack stack) => _stack = stack;

    private StackConfigSource Source => _stack.App.Config;

    /// <summary>The config keys the program declares (secrets read through Pulumi).</summary>
    public IReadOnlyDictionary<string, ConfigDeclaration> Declarations => _declarations;

    private (string Key, ConfigEntry? Entry) Find(string key)
    {
        if (key.Contains(':'))
        {
            return (key, Source.Entries.GetValueOrDefault(key));
        }
        var full = _stack.App.ProjectName + ":" + key;
        return (full, Source.Entries.GetValueOrDefault(full) ?? Source.Entries.GetValueOrDefault(key));
    }

    /// <summary>A plain value, or null when the key is not set.</summary>
    public string? Get(string key)
    {
        var (full, entry) = Find(key);
        if (entry is { IsSecret: true })
        {
            _stack.AddError("config", $"config key '{full}' is a secret: read it with RequireSecret(\"{key}\") so it is never printed in clear");
            return null;
        }
        return entry?.Value;
    }

    /// <summary>A plain value that must be set; a missing key is an error naming the key and the configuration file.</summary>
    public string Require(string key)
    {
        var value = Get(key);
        if (value is null && Find(key).Entry is null)
        {
            ReportMissing(key);
        }
        return value ?? "";
    }

    /// <summary>An integer value that must be set.</summary>
    public int RequireInt(string key)
    {
        var text = Require(key);
        if (text.Length > 0 && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            _stack.AddError("config", $"config key '{Find(key).Key}' in {Source.Description} must be an integer, not '{text}'");
            return 0;
        }
        return text.Length == 0 ? 0 : int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A secret value: the program declares the key as a secret config entry and references it, so the value is never
    /// printed; Pulumi supplies it at deployment. The key must exist in the stack's configuration.
    /// </summary>
    public Output<string> RequireSecret(string key)
    {
        var (full, entry) = Find(key);
        if (entry is null)
        {
            ReportMissing(key);
        }
        var project = _stack.App.ProjectName + ":";
        var name = full.StartsWith(project, StringComparison.Ordinal) ? full[project.Length..] : full;
        if (!_declarations.TryGetValue(name, out var decl))
        {
            decl = new ConfigDeclaration(name, "string", Secret: true);
            _declarations[name] = decl;
        }
        return new Output<string>(new CallExpr("fn::secret", new RefExpr(decl, null)));
    }

    private void ReportMissing(string key)
    {
        var (full, _) = Find(key);
        _stack.AddError("config", $"missing config key '{full}' in {Source.Description}: set it with `pulumi config set {full} <value>` " +
            $"(or add it under `config:` in the stack's Pulumi.<stack>.yaml)");
    }
}

/// <summary>A config key declared in the program's <c>config:</c> section.</summary>
/// <param name="Name">The key as referenced (<c>apiKey</c>).</param>
/// <param name="Type">The Pulumi YAML config type.</param>
/// <param name="Secret">Whether the value is secret.</param>
public sealed record ConfigDeclaration(string Name, string Type, bool Secret) : IReferenceTarget
{
    /// <inheritdoc />
    public string ReferenceName => Name;

    /// <inheritdoc />
    public Construct? Owner => null;
}
