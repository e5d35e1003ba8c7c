using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lamina.Aws.Resources.Generator;

/// <summary>
/// Generates the typed resource layer (Lamina.Aws.Resources) from the compact Pulumi AWS schema: one class per
/// resource with its args type and typed outputs, one args class per nested input type, constants for enums, and
/// the schema data used by Lamina's program checker. Output is deterministic (ordinal order everywhere).
/// </summary>
public static class ResourceGenerator
{
    /// <summary>The modules generated, with their C# namespace names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Modules = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["apigateway"] = "ApiGateway",
        ["apigatewayv2"] = "ApiGatewayV2",
        ["cloudwatch"] = "CloudWatch",
        ["iam"] = "Iam",
        ["lambda"] = "Lambda",
        ["s3"] = "S3",
        ["scheduler"] = "Scheduler",
        ["sfn"] = "Sfn",
        ["sns"] = "Sns",
        ["sqs"] = "Sqs",
    };

    /// <summary>
    /// AWS's limits on the physical names Pulumi derives from logical names (from the AWS service quotas and API
    /// references): the logical name is cut so that name + Pulumi's 8-character suffix fits.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> PhysicalNameLimits = new SortedDictionary<string, int>(StringComparer.Ordinal)
    {
        ["aws:apigateway:RestApi"] = 1024,
        ["aws:apigatewayv2:Api"] = 128,
        ["aws:cloudwatch:EventBus"] = 256,
        ["aws:cloudwatch:EventRule"] = 64,
        ["aws:cloudwatch:LogGroup"] = 512,
        ["aws:iam:Policy"] = 128,
        ["aws:iam:Role"] = 64,
        ["aws:iam:RolePolicy"] = 128,
        ["aws:lambda:Function"] = 64,
        ["aws:s3:Bucket"] = 63,
        ["aws:s3:BucketV2"] = 63,
        ["aws:scheduler:Schedule"] = 64,
        ["aws:scheduler:ScheduleGroup"] = 64,
        ["aws:sfn:StateMachine"] = 80,
        ["aws:sns:Topic"] = 256,
        ["aws:sqs:Queue"] = 80,
    };

    private static readonly HashSet<string> ReservedMembers = new(StringComparer.Ordinal)
    {
        "Type", "Options", "Path", "Id", "Scope", "Children", "App", "Stack", "Args", "LogicalName", "Urn", "ResourceId",
        "SelfReference", "IsAttached", "Aspects", "ToString", "GetType", "Equals", "GetHashCode", "TypeToken", "Resources",
        "TryFindChild", "TryRemoveChild", "DescendantsAndSelf", "AddError", "AddWarning", "AddAspect", "Prepare", "Validate",
        "AddPropertyOverride", "GetProperties", "OverrideLogicalName", "SetTag", "MaxIdLength", "DefaultChildId", "Write", "All",
    };

    /// <summary>Generates every file: relative path → content.</summary>
    public static SortedDictionary<string, string> Generate(string schemaJson)
    {
        using var doc = JsonDocument.Parse(schemaJson);
        var root = doc.RootElement;
        var source = root.GetProperty("source").GetString()!;
        var resources = root.GetProperty("resources");
        var types = root.GetProperty("types");
        var enums = root.GetProperty("enums");

        // Resources of the chosen modules, and every nested type they reach.
        var chosen = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var r in resources.EnumerateObject())
        {
            if (Modules.ContainsKey(ModuleOf(r.Name)))
            {
                chosen[r.Name] = r.Value;
            }
        }
        var neededTypes = new SortedSet<string>(StringComparer.Ordinal);
        var queue = new Queue<JsonElement>(chosen.Values.Select(v => v.GetProperty("inputs")));
        while (queue.Count > 0)
        {
            foreach (var p in queue.Dequeue().EnumerateObject())
            {
                if (p.Value.TryGetProperty("ref", out var rf) && neededTypes.Add(rf.GetString()!))
                {
                    queue.Enqueue(types.GetProperty(rf.GetString()!));
                }
            }
        }
        var neededEnums = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var v in chosen.Values.Select(v => v.GetProperty("inputs")).Concat(neededTypes.Select(t => types.GetProperty(t))))
        {
            foreach (var p in v.EnumerateObject())
            {
                if (p.Value.TryGetProperty("enum", out var en))
                {
                    neededEnums.Add(en.GetString()!);
                }
            }
        }

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // Class names per module, to avoid clashes between resources and nested types.
        var resourceClassNames = chosen.Keys.Select(t => (Module: ModuleOf(t), Name: t.Split(':')[2])).ToHashSet();

        foreach (var (token, spec) in chosen)
        {
            var module = ModuleOf(token);
            var name = token.Split(':')[2];
            files[$"{Modules[module]}/{name}.g.cs"] = ResourceFile(source, token, module, name, spec);
        }
        foreach (var group in neededTypes.GroupBy(t => t[..t.IndexOf('.')]))
        {
            var ns = NamespaceOf(group.Key) + ".Inputs";
            var sb = Header(source, ns);
            foreach (var t in group)
            {
                NestedType(sb, t, types.GetProperty(t));
            }
            files[$"{FolderOf(group.Key)}/Types.g.cs"] = sb.ToString();
        }
        foreach (var group in neededEnums.GroupBy(t => t[..t.IndexOf('.')]))
        {
            var ns = NamespaceOf(group.Key);
            var sb = Header(source, ns);
            foreach (var e in group)
            {
                EnumType(sb, e, enums.GetProperty(e));
            }
            files[$"{FolderOf(group.Key)}/Enums.g.cs"] = sb.ToString();
        }
        files["Schema.g.cs"] = SchemaFile(source, chosen, neededTypes, types);
        return files;
    }

    /// <summary>Writes the files into <paramref name="outputDir"/>, deleting generated files that are no longer produced.</summary>
    public static void WriteAll(IReadOnlyDictionary<string, string> files, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        foreach (var old in Directory.GetFiles(outputDir, "*.g.cs", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(outputDir, old).Replace('\\', '/');
            if (!files.ContainsKey(rel))
            {
                File.Delete(old);
            }
        }
        foreach (var (rel, content) in files)
        {
            var path = Path.Combine(outputDir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != content)
            {
                File.WriteAllText(path, content, new UTF8Encoding(false));
            }
        }
    }

    /// <summary>The repository root (the folder holding Constructs.sln) above the current or the program's directory.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
                {
                    return d.FullName;
                }
            }
        }
        throw new InvalidOperationException("Constructs.sln not found above the current directory.");
    }

    private static string ModuleOf(string token) => token.Split(':')[1].Split('/')[0];

    private static string FolderOf(string module) => Modules.TryGetValue(module, out var n) ? n : Pascal(module);

    private static string NamespaceOf(string module) => "Lamina.Aws.Resources." + FolderOf(module);

    private static string ShortToken(string token)
    {
        var p = token.Split(':');
        return $"{p[0]}:{p[1].Split('/')[0]}:{p[2]}";
    }

    private static string TypeClass(string typeRef) => typeRef[(typeRef.IndexOf('.') + 1)..] + "Args";

    private static string TypeRefQualified(string typeRef) => $"global::{NamespaceOf(typeRef[..typeRef.IndexOf('.')])}.Inputs.{TypeClass(typeRef)}";

    /// <summary>camelCase or snake_case → PascalCase.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var ch in name)
        {
            if (ch is '_' or '-' or '.' or '$' or ':' or '/')
            {
                upper = true;
                continue;
            }
            sb.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }
        if (sb.Length == 0 || char.IsDigit(sb[0]))
        {
            sb.Insert(0, 'V');
        }
        return sb.ToString();
    }

    private static StringBuilder Header(string source, string ns)
    {
        var sb = new StringBuilder();
        sb.Append("// <auto-generated>\n");
        sb.Append($"// Generated by Lamina.Aws.Resources.Generator from {source}. Do not edit: run the generator.\n");
        sb.Append("// </auto-generated>\n");
        sb.Append("#nullable enable\n");
        sb.Append("#pragma warning disable CS0618 // deprecated members are generated too, and marked [Obsolete]\n");
        sb.Append("using global::Lamina.Values;\n\n");
        sb.Append($"namespace {ns};\n");
        return sb;
    }

    private sealed record Prop(string YamlName, string Member, string CsType, string WriteCall, bool Required, bool Deprecated, string Kind, string? Enum);

    private static Prop Describe(string yamlName, JsonElement p, string owner)
    {
        var kind = p.GetProperty("kind").GetString()!;
        var array = p.TryGetProperty("array", out var a) && a.GetBoolean();
        var required = p.GetProperty("required").GetBoolean();
        var deprecated = p.TryGetProperty("deprecated", out var d) && d.GetBoolean();
        var en = p.TryGetProperty("enum", out var e) ? e.GetString() : null;
        var member = Pascal(yamlName);
        if (member == owner || ReservedMembers.Contains(member))
        {
            member += "Value";
        }
        string scalar(string k) => k switch
        {
            "string" => "string",
            "number" => "double",
            "boolean" => "bool",
            _ => "object",
        };
        string type, call;
        switch (kind)
        {
            case "ref" when array:
                type = $"List<{TypeRefQualified(p.GetProperty("ref").GetString()!)}>";
                call = "ObjectList";
                break;
            case "ref":
                type = TypeRefQualified(p.GetProperty("ref").GetString()!);
                call = "Object";
                break;
            case "map" when array:
                type = "InputList<InputMap<string>>";
                call = "Value";
                break;
            case "map":
                type = "InputMap<string>";
                call = "Value";
                break;
            case "archive":
                type = "Archive";
                call = "Value";
                break;
            case "asset":
                type = "IInput";
                call = "Value";
                break;
            default:
                type = array ? $"InputList<{scalar(kind)}>" : $"Input<{scalar(kind)}>";
                call = "Value";
                break;
        }
        return new Prop(yamlName, member, type, call, required, deprecated, kind, en);
    }

    private static void WriteArgsClass(StringBuilder sb, string className, string summary, JsonElement inputs)
    {
        var props = inputs.EnumerateObject().Select(p => Describe(p.Name, p.Value, className)).OrderBy(p => p.YamlName, StringComparer.Ordinal).ToList();
        sb.Append($"\n/// <summary>{summary}</summary>\n");
        sb.Append($"public sealed partial class {className} : global::Lamina.Resources.ResourceArgs\n{{\n");
        foreach (var p in props)
        {
            sb.Append($"    /// <summary>Input <c>{p.YamlName}</c>{(p.Required ? " (required)" : "")}{(p.Enum is null ? "" : $"; values in <see cref=\"{EnumClass(p.Enum)}\"/>")}.</summary>\n");
            if (p.Deprecated)
            {
                sb.Append("    [System.Obsolete(\"Deprecated by the AWS provider.\")]\n");
            }
            sb.Append(p.Required ? $"    public required {p.CsType} {p.Member} {{ get; set; }}\n\n" : $"    public {p.CsType}? {p.Member} {{ get; set; }}\n\n");
        }
        sb.Append("    /// <inheritdoc />\n");
        sb.Append("    protected override void Write(global::Lamina.Resources.PropertyWriter writer)\n    {\n");
        foreach (var p in props)
        {
            var line = p.WriteCall switch
            {
                "Object" => $"writer.Object(\"{p.YamlName}\", {p.Member}{(p.Required ? ", required: true" : "")});",
                "ObjectList" => $"writer.ObjectList(\"{p.YamlName}\", {p.Member}{(p.Required ? ", required: true" : "")});",
                _ => p.Required ? $"writer.Required(\"{p.YamlName}\", {p.Member});" : $"writer.Optional(\"{p.YamlName}\", {p.Member});",
            };
            sb.Append("        ").Append(line).Append('\n');
        }
        sb.Append("    }\n}\n");
    }

    private static string EnumClass(string en) => $"global::{NamespaceOf(en[..en.IndexOf('.')])}.{en[(en.IndexOf('.') + 1)..]}Values";

    private static string ResourceFile(string source, string token, string module, string name, JsonElement spec)
    {
        var shortToken = ShortToken(token);
        var sb = Header(source, NamespaceOf(module));
        var deprecated = spec.GetProperty("deprecated").GetBoolean();
        var inputs = spec.GetProperty("inputs");
        var taggable = inputs.TryGetProperty("tags", out var tags) && tags.GetProperty("kind").GetString() == "map";
        var argsClass = name + "Args";
        var anyRequired = inputs.EnumerateObject().Any(p => p.Value.GetProperty("required").GetBoolean());

        sb.Append($"\n/// <summary>\n/// The <c>{shortToken}</c> resource (<c>{token}</c>), typed from {source}.\n");
        sb.Append($"/// Create it under a construct: <c>new {name}(scope, \"Id\", new() {{ ... }})</c>; its outputs are references usable as inputs of other resources.\n/// </summary>\n");
        if (deprecated)
        {
            sb.Append("[System.Obsolete(\"This resource type is deprecated by the AWS provider.\")]\n");
        }
        sb.Append($"public sealed partial class {name} : global::Lamina.Aws.Resources.AwsResource{(taggable ? ", global::Lamina.ITaggable" : "")}\n{{\n");
        sb.Append($"    /// <summary>The Pulumi type token.</summary>\n    public const string TypeToken = \"{shortToken}\";\n\n");
        sb.Append($"    /// <summary>Creates the resource under <paramref name=\"scope\"/>.</summary>\n");
        sb.Append($"    public {name}(global::Lamina.Construct scope, string id, {argsClass}{(anyRequired ? "" : "?")} args{(anyRequired ? "" : " = null")}, global::Lamina.Resources.ResourceOptions? options = null)\n");
        sb.Append($"        : base(scope, id, TypeToken, options)\n    {{\n        Args = args{(anyRequired ? "" : $" ?? new {argsClass}()")};\n    }}\n\n");
        sb.Append($"    /// <summary>The input properties; mutable until synthesis (an escape hatch for constructs that create this resource).</summary>\n");
        sb.Append($"    public {argsClass} Args {{ get; }}\n\n");
        if (PhysicalNameLimits.TryGetValue(shortToken, out var limit))
        {
            sb.Append($"    /// <inheritdoc />\n    protected override int PhysicalNameMaxLength => {limit.ToString(CultureInfo.InvariantCulture)};\n\n");
        }
        sb.Append("    /// <inheritdoc />\n    protected override void WriteProperties(global::Lamina.Resources.PropertyWriter writer) => writer.All(Args);\n");
        if (taggable)
        {
            sb.Append("\n    /// <inheritdoc />\n    public void SetTag(string key, string value, bool overwrite = false)\n    {\n");
            sb.Append("        Args.Tags ??= new InputMap<string>();\n");
            sb.Append("        if (overwrite || !Args.Tags.ContainsKey(key))\n        {\n            Args.Tags[key] = value;\n        }\n    }\n");
        }
        var outputs = spec.GetProperty("output_types").EnumerateObject().OrderBy(o => o.Name, StringComparer.Ordinal);
        foreach (var o in outputs)
        {
            var kind = o.Value.GetProperty("kind").GetString()!;
            var array = o.Value.TryGetProperty("array", out var a) && a.GetBoolean();
            var dep = o.Value.TryGetProperty("deprecated", out var d) && d.GetBoolean();
            var member = Pascal(o.Name);
            if (member == name || ReservedMembers.Contains(member))
            {
                member += "Output";
            }
            var t = kind switch
            {
                "string" => "string",
                "number" => "double",
                "boolean" => "bool",
                "map" => "IReadOnlyDictionary<string, string>",
                _ => "object",
            };
            if (array)
            {
                t = $"IReadOnlyList<{t}>";
            }
            sb.Append($"\n    /// <summary>Output <c>{o.Name}</c>.</summary>\n");
            if (dep)
            {
                sb.Append("    [System.Obsolete(\"Deprecated by the AWS provider.\")]\n");
            }
            sb.Append($"    public Output<{t}> {member} => GetOutput<{t}>(\"{o.Name}\");\n");
        }
        sb.Append("}\n");
        WriteArgsClass(sb, argsClass, $"The input properties of <see cref=\"{name}\"/> (<c>{shortToken}</c>).", inputs);
        return sb.ToString();
    }

    private static void NestedType(StringBuilder sb, string typeRef, JsonElement fields) =>
        WriteArgsClass(sb, TypeClass(typeRef), $"The nested input type <c>{typeRef}</c>.", fields);

    private static void EnumType(StringBuilder sb, string en, JsonElement spec)
    {
        var cls = en[(en.IndexOf('.') + 1)..] + "Values";
        var deprecated = spec.GetProperty("deprecated").EnumerateArray().Select(x => x.GetString()).ToHashSet();
        sb.Append($"\n/// <summary>The documented values of <c>{en}</c>.</summary>\npublic static class {cls}\n{{\n");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in spec.GetProperty("values").EnumerateObject().OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            var member = Pascal(v.Name);
            if (!used.Add(member))
            {
                continue;
            }
            sb.Append($"    /// <summary><c>{Escape(v.Value.ToString())}</c></summary>\n");
            if (deprecated.Contains(v.Name))
            {
                sb.Append("    [System.Obsolete(\"Deprecated by the AWS provider.\")]\n");
            }
            sb.Append($"    public const string {member} = \"{Escape(v.Value.ToString())}\";\n");
        }
        sb.Append("}\n");
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static string SchemaFile(string source, SortedDictionary<string, JsonElement> chosen, SortedSet<string> neededTypes, JsonElement types)
    {
        // Compact data: one line per resource and per type, parsed lazily when a program is checked.
        var sb = new StringBuilder();
        sb.Append("// <auto-generated>\n");
        sb.Append($"// Generated by Lamina.Aws.Resources.Generator from {source}. Do not edit: run the generator.\n");
        sb.Append("// </auto-generated>\n#nullable enable\n\nnamespace Lamina.Aws.Resources;\n\n");
        sb.Append("internal static partial class SchemaData\n{\n");
        sb.Append("    /// <summary>Resources: token|outputs,...|input:kind[:ref][*][!],...</summary>\n");
        sb.Append("    internal static readonly string[] Resources =\n    [\n");
        foreach (var (token, spec) in chosen)
        {
            var outputs = string.Join(",", spec.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()).Order(StringComparer.Ordinal));
            sb.Append($"        \"{ShortToken(token)}|{outputs}|{Fields(spec.GetProperty("inputs"))}\",\n");
        }
        sb.Append("    ];\n\n");
        sb.Append("    /// <summary>Nested types: name|input:kind[:ref][*][!],...</summary>\n");
        sb.Append("    internal static readonly string[] Types =\n    [\n");
        foreach (var t in neededTypes)
        {
            sb.Append($"        \"{t}|{Fields(types.GetProperty(t))}\",\n");
        }
        sb.Append("    ];\n}\n");
        return sb.ToString();

        static string Fields(JsonElement inputs) => string.Join(",", inputs.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
        {
            var kind = p.Value.GetProperty("kind").GetString();
            var r = p.Value.TryGetProperty("ref", out var rf) ? ":" + rf.GetString() : "";
            var arr = p.Value.TryGetProperty("array", out var a) && a.GetBoolean() ? "*" : "";
            var req = p.Value.GetProperty("required").GetBoolean() ? "!" : "";
            return $"{p.Name}:{kind}{r}{arr}{req}";
        }));
    }
}
