using System.Globalization;
using Lamina.Configuration;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Synthesis;

/// <summary>
/// Turns a <see cref="Stack"/> into a <see cref="PulumiProgram"/>: runs aspects, prepares and validates every
/// construct, renders every resource, and checks the whole program (missing required inputs, dangling references,
/// references into another app or stack, references misused as text, duplicate logical names, dependency cycles)
/// before anything is written. Every error is reported at once.
/// </summary>
public static class Synthesizer
{
    /// <summary>Synthesizes <paramref name="stack"/>.</summary>
    /// <exception cref="SynthesisException">The program has errors.</exception>
    public static SynthesisResult Synthesize(Stack stack)
    {
        stack.PrepareOnce();
        var app = stack.App;
        var diagnostics = new List<Diagnostic>(app.AllDiagnostics.Where(d => d.Path == "" || d.Path == stack.Path || d.Path.StartsWith(stack.Path + "/", StringComparison.Ordinal)));

        var resources = stack.Resources.ToList();
        var rendered = new List<ProgramResource>(resources.Count);
        var edges = new Dictionary<Resource, List<Resource>>(ReferenceEqualityComparer.Instance);
        var byName = new Dictionary<string, Resource>(StringComparer.Ordinal);
        var variableNames = new HashSet<string>(stack.Variables.Keys, StringComparer.Ordinal);
        var configNames = new HashSet<string>(stack.Config.Declarations.Keys, StringComparer.Ordinal);

        foreach (var r in resources)
        {
            var name = r.LogicalName;
            if (byName.TryGetValue(name, out var other))
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, r.Path, null,
                    $"logical name '{name}' is also the name of {other.Path}; rename one of the two constructs (ids that contain '-' can join into the same name)"));
            }
            else
            {
                byName[name] = r;
            }
            if (variableNames.Contains(name) || configNames.Contains(name) || name == "pulumi")
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, r.Path, null, $"logical name '{name}' is already used by a program variable or config key"));
            }

            var props = r.RenderProperties(diagnostics);
            var options = RenderOptions(r);
            var deps = new List<Resource>();
            CheckValue(stack, r, "properties", props, deps, diagnostics);
            if (options is not null)
            {
                CheckValue(stack, r, "options", options, deps, diagnostics);
            }
            edges[r] = deps;
            rendered.Add(new ProgramResource(name, r.Type, props, options, r));
        }

        var variables = new List<KeyValuePair<string, Expr>>();
        foreach (var (name, v) in stack.Variables)
        {
            CheckValue(stack, stack, "variables." + name, v.Value, new List<Resource>(), diagnostics);
            variables.Add(new(name, v.Value));
        }
        var outputs = new List<KeyValuePair<string, Expr>>();
        foreach (var (name, v) in stack.Outputs)
        {
            var e = v.ToExpr();
            CheckValue(stack, stack, "outputs." + name, e, new List<Resource>(), diagnostics);
            outputs.Add(new(name, e));
        }

        FindCycles(resources, edges, diagnostics);

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Distinct().ToList();
        if (errors.Count > 0)
        {
            throw new SynthesisException(errors);
        }

        rendered.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var program = new PulumiProgram
        {
            Name = app.ProjectName,
            Description = stack.Props.Description,
            Config = stack.Config.Declarations.Values.ToList(),
            Variables = variables,
            Resources = rendered,
            Outputs = outputs,
        };
        return new SynthesisResult(program, diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Distinct().ToList());
    }

    private static ObjectExpr? RenderOptions(Resource r)
    {
        var o = r.Options;
        var entries = new List<KeyValuePair<string, Expr>>();
        if (o.DependsOn.Count > 0)
        {
            entries.Add(new("dependsOn", new ListExpr(o.DependsOn.Distinct().Select(d => d.SelfReference))));
        }
        if (o.Provider is not null)
        {
            entries.Add(new("provider", o.Provider.SelfReference));
        }
        if (o.Protect is bool p)
        {
            entries.Add(new("protect", Expr.Of(p)));
        }
        if (o.RetainOnDelete is bool rd)
        {
            entries.Add(new("retainOnDelete", Expr.Of(rd)));
        }
        if (o.DeleteBeforeReplace is bool dbr)
        {
            entries.Add(new("deleteBeforeReplace", Expr.Of(dbr)));
        }
        if (o.IgnoreChanges.Count > 0)
        {
            entries.Add(new("ignoreChanges", new ListExpr(o.IgnoreChanges.Select(Expr.Of))));
        }
        if (o.ReplaceOnChanges.Count > 0)
        {
            entries.Add(new("replaceOnChanges", new ListExpr(o.ReplaceOnChanges.Select(Expr.Of))));
        }
        if (o.AdditionalSecretOutputs.Count > 0)
        {
            entries.Add(new("additionalSecretOutputs", new ListExpr(o.AdditionalSecretOutputs.Select(Expr.Of))));
        }
        if (o.Aliases.Count > 0)
        {
            entries.Add(new("aliases", new ListExpr(o.Aliases.Select(AliasExpr))));
        }
        if (o.CustomTimeouts is { } t)
        {
            var te = new List<KeyValuePair<string, Expr>>();
            if (t.Create is { } c) te.Add(new("create", Expr.Of(Duration(c))));
            if (t.Update is { } u) te.Add(new("update", Expr.Of(Duration(u))));
            if (t.Delete is { } d) te.Add(new("delete", Expr.Of(Duration(d))));
            entries.Add(new("customTimeouts", new ObjectExpr(te)));
        }
        return entries.Count == 0 ? null : new ObjectExpr(entries);
    }

    private static Expr AliasExpr(ResourceAlias a)
    {
        if (a.Urn is not null && a.Name is null && a.Type is null && a.Stack is null && a.Project is null && a.NoParent is null)
        {
            return Expr.Of(a.Urn);
        }
        var e = new List<KeyValuePair<string, Expr>>();
        if (a.Name is not null) e.Add(new("name", Expr.Of(a.Name)));
        if (a.NoParent is bool np) e.Add(new("noParent", Expr.Of(np)));
        if (a.Project is not null) e.Add(new("project", Expr.Of(a.Project)));
        if (a.Stack is not null) e.Add(new("stack", Expr.Of(a.Stack)));
        if (a.Type is not null) e.Add(new("type", Expr.Of(a.Type)));
        if (a.Urn is not null) e.Add(new("urn", Expr.Of(a.Urn)));
        return new ObjectExpr(e);
    }

    /// <summary>Formats a duration as Pulumi expects ("1h30m", "5m", "45s").</summary>
    public static string Duration(TimeSpan t)
    {
        var s = "";
        if (t.Hours + t.Days * 24 > 0) s += (t.Hours + t.Days * 24).ToString(CultureInfo.InvariantCulture) + "h";
        if (t.Minutes > 0) s += t.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        if (t.Seconds > 0 || s.Length == 0) s += t.Seconds.ToString(CultureInfo.InvariantCulture) + "s";
        return s;
    }

    /// <summary>Checks one value: references must point into this stack's live tree; literal text must not hold misused references.</summary>
    private static void CheckValue(Stack stack, Construct owner, string where, Expr value, List<Resource> deps, List<Diagnostic> diagnostics)
    {
        // The path of the value being visited, built into a string only when something is reported.
        var segments = new List<string>(8) { where };
        Walk(value);

        string CurrentPath() => string.Concat(segments);

        void Walk(Expr e)
        {
            switch (e)
            {
                case LazyExpr lazy:
                    Walk(lazy.Value);
                    break;
                case LiteralExpr { Value: string s } when ReferenceText.Contains(s):
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, owner.Path, CurrentPath(),
                        $"a reference ({ReferenceText.Describe(s)}) was used as plain text (its ToString() was called, for example in a string concatenation or a plain $\"...\" string); " +
                        "build the string with Output.Format($\"...\") so Pulumi resolves it"));
                    break;
                case LiteralExpr:
                    break;
                case ObjectExpr o:
                    foreach (var (k, v) in o.Entries)
                    {
                        if (v is LiteralExpr { Value: not string })
                        {
                            continue;
                        }
                        segments.Add(".");
                        segments.Add(k);
                        Walk(v);
                        segments.RemoveRange(segments.Count - 2, 2);
                    }
                    break;
                case ListExpr l:
                    for (var i = 0; i < l.Items.Count; i++)
                    {
                        segments.Add("[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                        Walk(l.Items[i]);
                        segments.RemoveAt(segments.Count - 1);
                    }
                    break;
                case CallExpr c:
                    Walk(c.Argument);
                    break;
                case InterpolationExpr i:
                    foreach (var p in i.Parts)
                    {
                        if (p is Expr pe)
                        {
                            Walk(pe);
                        }
                        else if (p is string ps && ReferenceText.Contains(ps))
                        {
                            Walk(Expr.Of(ps));
                        }
                    }
                    break;
                case RefExpr r:
                    CheckReference(r);
                    break;
            }
        }

        void CheckReference(RefExpr r)
        {
            switch (r.Target)
            {
                case Resource target:
                    if (target.App != stack.App)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, owner.Path, CurrentPath(),
                            $"references {r.Describe()}, a resource of another app; a program can only reference resources of its own stack"));
                    }
                    else if (!ReferenceEquals(SafeStack(target), stack))
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, owner.Path, CurrentPath(),
                            $"references {r.Describe()}, a resource of another stack; pass the value through stack outputs and configuration instead"));
                    }
                    else if (!target.IsAttached)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, owner.Path, CurrentPath(),
                            $"dangling reference to {r.Describe()}: that resource was removed from the construct tree"));
                    }
                    else
                    {
                        deps.Add(target);
                    }
                    break;
                case StackVariable v when !stack.Variables.ContainsKey(v.Name) || !ReferenceEquals(stack.Variables[v.Name], v):
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, owner.Path, CurrentPath(), $"dangling reference to variable '{v.Name}', which is not declared in this stack"));
                    break;
                case ConfigDeclaration c when !stack.Config.Declarations.ContainsKey(c.Name):
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, owner.Path, CurrentPath(), $"dangling reference to config key '{c.Name}', which is not declared in this stack"));
                    break;
            }
        }
    }

    private static Stack? SafeStack(Construct c)
    {
        for (var x = c; x is not null; x = x.Scope)
        {
            if (x is Stack s)
            {
                return s;
            }
        }
        return null;
    }

    private static void FindCycles(List<Resource> resources, Dictionary<Resource, List<Resource>> edges, List<Diagnostic> diagnostics)
    {
        // Iterative DFS with colours; each cycle found is reported once, on its first resource in tree order.
        var colour = new Dictionary<Resource, int>(ReferenceEqualityComparer.Instance);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in resources)
        {
            if (colour.GetValueOrDefault(start) != 0)
            {
                continue;
            }
            var path = new List<Resource>();
            var stack = new Stack<(Resource Node, int Next)>();
            stack.Push((start, 0));
            colour[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var outs = edges.GetValueOrDefault(node) ?? [];
                if (next < outs.Count)
                {
                    stack.Push((node, next + 1));
                    var to = outs[next];
                    if (!edges.ContainsKey(to))
                    {
                        continue;
                    }
                    var c = colour.GetValueOrDefault(to);
                    if (c == 0)
                    {
                        colour[to] = 1;
                        path.Add(to);
                        stack.Push((to, 0));
                    }
                    else if (c == 1)
                    {
                        var from = path.IndexOf(to);
                        var cycle = path.Skip(from).ToList();
                        var key = string.Join(",", cycle.Select(x => x.Path).OrderBy(x => x, StringComparer.Ordinal));
                        if (reported.Add(key))
                        {
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, cycle[0].Path, null,
                                "dependency cycle: " + string.Join(" -> ", cycle.Append(to).Select(x => x.Path)) +
                                "; a resource cannot (directly or through others) reference or depend on itself"));
                        }
                    }
                }
                else
                {
                    colour[node] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
    }
}
