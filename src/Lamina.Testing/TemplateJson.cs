using System.Text.Json.Nodes;
using Lamina.Resources;
using Lamina.Synthesis;
using Lamina.Values;

namespace Lamina.Testing;

/// <summary>
/// Converts a synthesized program (or one of its values) into a plain JSON view, the document that
/// <see cref="Template"/> assertions match against. The view is what a YAML reader would get from the program's
/// Pulumi YAML text:
/// <list type="bullet">
/// <item>a reference is the string <c>"${Queue.arn}"</c> (a whole resource: <c>"${Queue}"</c>);</item>
/// <item>an interpolation is its text, <c>"arn is ${Fn.arn} in ${Orders.name}"</c>;</item>
/// <item>a literal string is written as in Pulumi YAML, where <c>"${"</c> and <c>"$$"</c> are escaped by doubling the
/// <c>'$'</c> (<c>"a $${b}"</c>), so a literal can never be mistaken for a reference;</item>
/// <item>a built-in function call is a one-key object: <c>{"fn::toJSON": {...}}</c>, <c>{"fn::secret": "${apiKey}"}</c>,
/// <c>{"fn::fileArchive": "./app"}</c>;</item>
/// <item>numbers are JSON numbers (whole numbers without a fraction), booleans and null as in JSON; mappings keep
/// their order.</item>
/// </list>
/// </summary>
public static class TemplateJson
{
    /// <summary>
    /// The whole program: <c>{"name", "runtime", "description"?, "config": {key: {"type", "secret"?}},
    /// "variables": {...}, "resources": {logicalName: {"type", "properties", "options"?}}, "outputs": {...}}</c>.
    /// Every resource has <c>properties</c> (an empty object when it sets none); <c>options</c> appears only when set.
    /// </summary>
    public static JsonObject FromProgram(PulumiProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var root = new JsonObject
        {
            ["name"] = program.Name,
            ["runtime"] = program.Runtime,
        };
        if (program.Description is not null)
        {
            root["description"] = program.Description;
        }
        var config = new JsonObject();
        foreach (var c in program.Config)
        {
            var decl = new JsonObject { ["type"] = c.Type };
            if (c.Secret)
            {
                decl["secret"] = true;
            }
            config[c.Name] = decl;
        }
        root["config"] = config;
        var variables = new JsonObject();
        foreach (var (name, value) in program.Variables)
        {
            variables[name] = FromExpr(value);
        }
        root["variables"] = variables;
        var resources = new JsonObject();
        foreach (var r in program.Resources)
        {
            resources[r.Name] = FromResource(r);
        }
        root["resources"] = resources;
        var outputs = new JsonObject();
        foreach (var (name, value) in program.Outputs)
        {
            outputs[name] = FromExpr(value);
        }
        root["outputs"] = outputs;
        return root;
    }

    /// <summary>One resource: <c>{"type", "properties", "options"?}</c>.</summary>
    public static JsonObject FromResource(ProgramResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var node = new JsonObject
        {
            ["type"] = resource.Type,
            ["properties"] = FromExpr(resource.Properties),
        };
        if (resource.Options is { Entries.Count: > 0 })
        {
            node["options"] = FromExpr(resource.Options);
        }
        return node;
    }

    /// <summary>One value of the program, converted as described on <see cref="TemplateJson"/>.</summary>
    /// <exception cref="ArgumentException">An <see cref="Expr"/> kind this converter does not know.</exception>
    public static JsonNode? FromExpr(Expr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        switch (expr)
        {
            case LazyExpr lazy:
                return FromExpr(lazy.Value);
            case LiteralExpr { Value: null }:
                return null;
            case LiteralExpr { Value: string s }:
                return JsonValue.Create(YamlWriter.EscapeDollars(s));
            case LiteralExpr { Value: bool b }:
                return JsonValue.Create(b);
            case LiteralExpr { Value: double d }:
                return Number(d);
            case LiteralExpr other:
                return JsonValue.Create(YamlWriter.EscapeDollars(other.ToString()));
            case RefExpr r:
                return JsonValue.Create("${" + r.Render() + "}");
            case InterpolationExpr i:
                return JsonValue.Create(YamlWriter.Interpolation(i));
            case CallExpr call:
                return new JsonObject { [call.Function] = FromExpr(call.Argument) };
            case ListExpr list:
            {
                var array = new JsonArray();
                foreach (var item in list.Items)
                {
                    array.Add(FromExpr(item));
                }
                return array;
            }
            case ObjectExpr obj:
            {
                var o = new JsonObject();
                foreach (var (k, v) in obj.Entries)
                {
                    o[k] = FromExpr(v);
                }
                return o;
            }
            default:
                throw new ArgumentException($"Cannot convert a {expr.GetType().Name} to JSON.", nameof(expr));
        }
    }

    /// <summary>
    /// A Lamina value as it appears in the view: an <see cref="IInput"/> (an <c>Output&lt;T&gt;</c> becomes
    /// <c>"${Queue.arn}"</c>), an <see cref="Expr"/>, or a <see cref="Resource"/> (<c>"${Queue}"</c>).
    /// Returns false for anything else.
    /// </summary>
    public static bool TryFromLaminaValue(object? value, out JsonNode? node)
    {
        switch (value)
        {
            case Expr e:
                node = FromExpr(e);
                return true;
            case IInput input:
                node = FromExpr(input.ToExpr());
                return true;
            case Resource r:
                node = FromExpr(r.SelfReference);
                return true;
            default:
                node = null;
                return false;
        }
    }

    private static JsonNode Number(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return JsonValue.Create(YamlWriter.Number(d));
        }
        return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);
    }
}
