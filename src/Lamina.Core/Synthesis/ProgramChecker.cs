using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lamina.Synthesis;

/// <summary>
/// Lamina's own checker of a Pulumi YAML program's text, against the Pulumi YAML reference and the registered
/// resource schemas: top-level sections, resource types, property names and kinds (through nested types), required
/// inputs, resource options, <c>${...}</c> references (roots and first output property) and built-in function names.
/// It backs <c>validate</c> and the tests on machines without ../shared/tools/check-pulumi-yaml.
/// </summary>
public static class ProgramChecker
{
    private static readonly HashSet<string> TopLevel = ["name", "runtime", "description", "config", "configuration", "variables", "resources", "outputs", "pulumi"];
    private static readonly HashSet<string> ResourceKeys = ["type", "properties", "options", "get", "defaultProvider"];
    private static readonly HashSet<string> Options = ["additionalSecretOutputs", "aliases", "customTimeouts", "deleteBeforeReplace", "dependsOn", "ignoreChanges", "import", "parent", "protect", "provider", "providers", "version", "pluginDownloadURL", "replaceOnChanges", "retainOnDelete", "replaceWith", "deletedWith", "hideDiffs"];
    private static readonly HashSet<string> Functions = ["fn::invoke", "fn::join", "fn::select", "fn::split", "fn::toJSON", "fn::toBase64", "fn::fromBase64", "fn::secret", "fn::unsecret", "fn::readFile", "fn::fileAsset", "fn::stringAsset", "fn::remoteAsset", "fn::fileArchive", "fn::remoteArchive", "fn::assetArchive", "fn::stackReference", "fn::sha1", "fn::method"];
    private static readonly Regex Interpolation = new(@"\$\{([^}]*)\}", RegexOptions.CultureInvariant);

    /// <summary>Checks a program; returns every finding (errors and warnings) with its location.</summary>
    public static IReadOnlyList<Diagnostic> Check(string yaml)
    {
        var findings = new List<Diagnostic>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode m)
            {
                return [Error("", "the program must be one YAML document holding a mapping")];
            }
            root = m;
        }
        catch (YamlException e)
        {
            return [Error("", $"invalid YAML: {e.Message}")];
        }

        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal) { "pulumi" };
        foreach (var (k, v) in root.Children)
        {
            var key = Text(k);
            if (!TopLevel.Contains(key))
            {
                findings.Add(Error(key, $"unknown top-level key '{key}'"));
            }
        }
        foreach (var section in new[] { "config", "variables" })
        {
            if (Get(root, section) is YamlMappingNode sm)
            {
                foreach (var (k, _) in sm.Children)
                {
                    names.Add(Text(k));
                }
            }
        }
        var resourcesNode = Get(root, "resources") as YamlMappingNode;
        if (resourcesNode is not null)
        {
            foreach (var (k, v) in resourcesNode.Children)
            {
                var name = Text(k);
                if (!names.Add(name))
                {
                    findings.Add(Error("resources." + name, $"resource '{name}' has the same name as a variable or config key"));
                }
                resources[name] = v is YamlMappingNode rm && Get(rm, "type") is YamlScalarNode t ? t.Value ?? "" : "";
            }
        }

        if (resourcesNode is not null)
        {
            foreach (var (k, v) in resourcesNode.Children)
            {
                CheckResource(Text(k), v, resources, names, findings);
            }
        }
        foreach (var section in new[] { "variables", "outputs" })
        {
            if (Get(root, section) is YamlMappingNode sm)
            {
                foreach (var (k, v) in sm.Children)
                {
                    Walk(v, section + "." + Text(k), resources, names, findings);
                }
            }
        }
        return findings;
    }

    private static void CheckResource(string name, YamlNode node, Dictionary<string, string> resources, HashSet<string> names, List<Diagnostic> findings)
    {
        var path = "resources." + name;
        if (node is not YamlMappingNode m)
        {
            findings.Add(Error(path, "a resource must be a mapping with `type` and `properties`"));
            return;
        }
        foreach (var (k, _) in m.Children)
        {
            if (!ResourceKeys.Contains(Text(k)))
            {
                findings.Add(Error(path + "." + Text(k), $"unknown resource key '{Text(k)}'"));
            }
        }
        var type = resources[name];
        if (type.Length == 0)
        {
            findings.Add(Error(path, $"resource '{name}' has no `type`"));
            return;
        }
        var schema = SchemaRegistry.FindResource(type);
        if (schema is null && !type.StartsWith("pulumi:providers:", StringComparison.Ordinal) && !SchemaRegistry.IsEmpty)
        {
            findings.Add(Error(path + ".type", $"unknown resource type '{type}'"));
        }
        var props = Get(m, "properties");
        if (props is not null and not YamlMappingNode)
        {
            findings.Add(Error(path + ".properties", "properties must be a mapping"));
        }
        if (schema is not null)
        {
            CheckObject(props as YamlMappingNode, schema.Inputs, path + ".properties", type, findings);
        }
        if (props is not null)
        {
            Walk(props, path + ".properties", resources, names, findings);
        }
        if (Get(m, "options") is YamlMappingNode opts)
        {
            foreach (var (k, v) in opts.Children)
            {
                var key = Text(k);
                var opath = path + ".options." + key;
                if (!Options.Contains(key))
                {
                    findings.Add(Error(opath, $"unknown resource option '{key}'"));
                    continue;
                }
                if (key is "dependsOn")
                {
                    if (v is not YamlSequenceNode seq)
                    {
                        findings.Add(Error(opath, "dependsOn must be a list of resource references"));
                        continue;
                    }
                    foreach (var item in seq.Children)
                    {
                        CheckResourceRef(item, opath, resources, findings);
                    }
                }
                else if (key is "provider" or "parent" or "deletedWith")
                {
                    CheckResourceRef(v, opath, resources, findings);
                }
                else if (key is "protect" or "retainOnDelete" or "deleteBeforeReplace" && v is YamlScalarNode s && s.Value is not ("true" or "false"))
                {
                    findings.Add(Error(opath, $"{key} must be true or false"));
                }
                else if (key is "ignoreChanges" or "replaceOnChanges" or "additionalSecretOutputs" && v is not YamlSequenceNode)
                {
                    findings.Add(Error(opath, $"{key} must be a list of property names"));
                }
                else if (key is "customTimeouts" && v is YamlMappingNode ct)
                {
                    foreach (var (ck, _) in ct.Children)
                    {
                        if (Text(ck) is not ("create" or "update" or "delete" or "read"))
                        {
                            findings.Add(Error(opath + "." + Text(ck), $"unknown customTimeouts key '{Text(ck)}'"));
                        }
                    }
                }
            }
        }
    }

    private static void CheckResourceRef(YamlNode node, string path, Dictionary<string, string> resources, List<Diagnostic> findings)
    {
        var text = node is YamlScalarNode s ? s.Value ?? "" : "";
        var match = Interpolation.Match(text);
        if (!match.Success || match.Index != 0 || match.Length != text.Length || !resources.ContainsKey(match.Groups[1].Value))
        {
            findings.Add(Error(path, $"'{text}' must be a reference to a resource of this program, like ${{name}}"));
        }
    }

    private static void CheckObject(YamlMappingNode? obj, IReadOnlyDictionary<string, PropertySchema> spec, string path, string owner, List<Diagnostic> findings)
    {
        if (obj is not null)
        {
            foreach (var (k, v) in obj.Children)
            {
                var key = Text(k);
                if (!spec.TryGetValue(key, out var prop))
                {
                    findings.Add(Error(path + "." + key, $"unknown property '{key}' of {owner}"));
                    continue;
                }
                CheckValue(v, prop, path + "." + key, findings);
            }
        }
        foreach (var (key, prop) in spec)
        {
            if (prop.Required && (obj is null || !obj.Children.ContainsKey(new YamlScalarNode(key))))
            {
                findings.Add(Error(path, $"missing required property '{key}' of {owner}"));
            }
        }
    }

    private static void CheckValue(YamlNode value, PropertySchema prop, string path, List<Diagnostic> findings)
    {
        if (IsCall(value) || value is YamlScalarNode { Value: var sv } && sv is not null && sv.StartsWith("${", StringComparison.Ordinal) && sv.EndsWith('}'))
        {
            return; // computed: not checkable statically
        }
        if (prop.IsArray)
        {
            if (value is not YamlSequenceNode seq)
            {
                findings.Add(Error(path, $"expected a list, got {Describe(value)}"));
                return;
            }
            var item = prop with { IsArray = false };
            var i = 0;
            foreach (var v in seq.Children)
            {
                CheckValue(v, item, $"{path}[{i++}]", findings);
            }
            return;
        }
        switch (prop.Kind)
        {
            case "ref":
                if (value is not YamlMappingNode nested)
                {
                    findings.Add(Error(path, $"expected an object ({prop.Ref}), got {Describe(value)}"));
                }
                else if (prop.Ref is not null && SchemaRegistry.FindType(prop.Ref) is { } t)
                {
                    CheckObject(nested, t, path, prop.Ref, findings);
                }
                break;
            case "map":
                if (value is not YamlMappingNode)
                {
                    findings.Add(Error(path, $"expected a mapping, got {Describe(value)}"));
                }
                break;
            case "string" or "number" or "boolean":
                if (value is not YamlScalarNode)
                {
                    findings.Add(Error(path, $"expected a {prop.Kind}, got {Describe(value)}"));
                }
                break;
        }
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, string> resources, HashSet<string> names, List<Diagnostic> findings)
    {
        switch (node)
        {
            case YamlScalarNode s when s.Value is not null && s.Value.Contains("${", StringComparison.Ordinal):
                foreach (Match m in Interpolation.Matches(s.Value.Replace("$$", "\0\0", StringComparison.Ordinal)))
                {
                    var expr = m.Groups[1].Value;
                    var rootName = Regex.Match(expr, @"^[^.\[]+").Value;
                    if (rootName.Length == 0)
                    {
                        findings.Add(Error(path, $"malformed interpolation '${{{expr}}}'"));
                    }
                    else if (!names.Contains(rootName))
                    {
                        findings.Add(Error(path, $"'${{{expr}}}' refers to '{rootName}', which is not a resource, variable or config key of this program"));
                    }
                    else if (resources.TryGetValue(rootName, out var type) && expr.Length > rootName.Length)
                    {
                        var prop = Regex.Match(expr[rootName.Length..], @"^\.([^.\[]+)").Groups[1].Value;
                        var schema = SchemaRegistry.FindResource(type);
                        if (prop.Length > 0 && prop is not ("id" or "urn") && schema is not null && !schema.Outputs.Contains(prop))
                        {
                            findings.Add(Error(path, $"'{prop}' is not an output of {type} (in '${{{expr}}}')"));
                        }
                    }
                }
                break;
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                {
                    var key = Text(k);
                    if (key.StartsWith("fn::", StringComparison.Ordinal) && !Functions.Contains(key))
                    {
                        findings.Add(Error(path + "." + key, $"unknown built-in function '{key}'"));
                    }
                    Walk(v, path + "." + key, resources, names, findings);
                }
                break;
            case YamlSequenceNode seq:
                var i = 0;
                foreach (var v in seq.Children)
                {
                    Walk(v, $"{path}[{i++}]", resources, names, findings);
                }
                break;
        }
    }

    private static bool IsCall(YamlNode node) => node is YamlMappingNode { Children.Count: 1 } m && Text(m.Children.First().Key).StartsWith("fn::", StringComparison.Ordinal);

    private static YamlNode? Get(YamlMappingNode m, string key) => m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string Text(YamlNode n) => n is YamlScalarNode s ? s.Value ?? "" : n.ToString();

    private static string Describe(YamlNode n) => n switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "a scalar",
    };

    private static Diagnostic Error(string path, string message) => new(DiagnosticSeverity.Error, path, null, message);
}
