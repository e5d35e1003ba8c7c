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

        var resources = new List<Resource>();
        stack.CollectResources(resources);
        var count = resources.Count;
        for (var i = 0; i < count; i++)
        {
            resources[i].SynthesisSlot = i;
        }
        var rendered = new ProgramResource[count];
        var byName = new Dictionary<string, Resource>(count, StringComparer.Ordinal);
        var variableNames = stack.Variables;
        var configNames = stack.Config.Declarations;
        // The dependency graph, by position in `resources`: the edges of resource i are edgeTargets[edgeStart[i]..edgeStart[i + 1]].
        var edgeStart = new int[count + 1];
        var edgeTargets = new List<int>(count * 2);
        var checker = new ValueChecker(stack, resources, edgeTargets, diagnostics);
        var pool = new PropertyWriter.EntryPool();
        Resource? sharedProvider = null;
        ObjectExpr? sharedProviderOptions = null;

        for (var i = 0; i < count; i++)
        {
            var r = resources[i];
            var name = r.LogicalName;
            if (!byName.TryAdd(name, r))
            {
                var other = byName[name];
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, r.Path, null,
                    $"logical name '{name}' is also the name of {other.Path}; rename one of the two constructs (ids that contain '-' can join into the same name)"));
            }
            if ((variableNames.Count > 0 && variableNames.ContainsKey(name)) || (configNames.Count > 0 && configNames.ContainsKey(name)) || name == "pulumi")
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, r.Path, null, $"logical name '{name}' is already used by a program variable or config key"));
            }

            var props = r.RenderProperties(diagnostics, pool);
            ObjectExpr? options;
            if (r.Options.OnlyProvider)
            {
                // Most resources set only their provider: one immutable options object per provider is shared.
                var provider = r.Options.Provider;
                if (provider is null)
                {
                    options = null;
                }
                else
                {
                    if (!ReferenceEquals(provider, sharedProvider))
                    {
                        sharedProvider = provider;
                        sharedProviderOptions = new ObjectExpr(new KeyValuePair<string, Expr>[] { new("provider", provider.SelfReference) });
                    }
                    options = sharedProviderOptions;
                }
            }
            else
            {
                options = RenderOptions(r);
            }
            edgeStart[i] = edgeTargets.Count;
            checker.Check(r, "properties", props);
            if (options is not null)
            {
                checker.Check(r, "options", options);
            }
            rendered[i] = new ProgramResource(name, r.Type, props, options, r);
        }
        edgeStart[count] = edgeTargets.Count;

        var variables = new List<KeyValuePair<string, Expr>>(stack.Variables.Count);
        foreach (var (name, v) in stack.Variables)
        {
            checker.Check(stack, "variables." + name, v.Value, collectDependencies: false);
            variables.Add(new(name, v.Value));
        }
        var outputs = new List<KeyValuePair<string, Expr>>(stack.Outputs.Count);
        foreach (var (name, v) in stack.Outputs)
        {
            var e = v.ToExpr();
            checker.Check(stack, "outputs." + name, e, collectDependencies: false);
            outputs.Add(new(name, e));
        }

        FindCycles(resources, edgeStart, edgeTargets, diagnostics);

        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Distinct().ToList();
        if (errors.Count > 0)
        {
            throw new SynthesisException(errors);
        }

        SortByName(rendered);
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

    // Resources in ordinal order of their logical names. Skips the sort when the tree order already is that order.
    private static void SortByName(ProgramResource[] rendered)
    {
        for (var i = 1; i < rendered.Length; i++)
        {
            if (string.CompareOrdinal(rendered[i - 1].Name, rendered[i].Name) > 0)
            {
                var names = new string[rendered.Length];
                for (var k = 0; k < names.Length; k++)
                {
                    names[k] = rendered[k].Name;
                }
                Array.Sort(names, rendered, StringComparer.Ordinal);
                return;
            }
        }
    }

    private static ObjectExpr? RenderOptions(Resource r)
    {
        var o = r.Options;
        var entries = new List<KeyValuePair<string, Expr>>();
        if (o.DependsOnIfAny is { Count: > 0 } dependsOn)
        {
            entries.Add(new("dependsOn", new ListExpr(dependsOn.Distinct().Select(d => d.SelfReference))));
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
        if (o.IgnoreChangesIfAny is { Count: > 0 } ignoreChanges)
        {
            entries.Add(new("ignoreChanges", new ListExpr(ignoreChanges.Select(Expr.Of))));
        }
        if (o.ReplaceOnChangesIfAny is { Count: > 0 } replaceOnChanges)
        {
            entries.Add(new("replaceOnChanges", new ListExpr(replaceOnChanges.Select(Expr.Of))));
        }
        if (o.AdditionalSecretOutputsIfAny is { Count: > 0 } secretOutputs)
        {
            entries.Add(new("additionalSecretOutputs", new ListExpr(secretOutputs.Select(Expr.Of))));
        }
        if (o.AliasesIfAny is { Count: > 0 } aliases)
        {
            entries.Add(new("aliases", new ListExpr(aliases.Select(AliasExpr))));
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

    /// <summary>
    /// Checks values: references must point into this stack's live tree; literal text must not hold misused references.
    /// One checker serves a whole synthesis. The path of the value being visited is kept as segments and turned into
    /// text only when something is reported.
    /// </summary>
    private sealed class ValueChecker(Stack stack, List<Resource> resources, List<int> dependencies, List<Diagnostic> diagnostics)
    {
        private readonly List<(string? Key, int Index)> _segments = new(8);
        private Construct _owner = stack;
        private string _where = "";
        private bool _collect;

        public void Check(Construct owner, string where, Expr value, bool collectDependencies = true)
        {
            _owner = owner;
            _where = where;
            _collect = collectDependencies;
            _segments.Clear();
            Walk(value);
        }

        private string CurrentPath()
        {
            var sb = new System.Text.StringBuilder(_where);
            foreach (var (key, index) in _segments)
            {
                if (key is not null)
                {
                    sb.Append('.').Append(key);
                }
                else
                {
                    sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
            }
            return sb.ToString();
        }

        private void Walk(Expr e)
        {
            switch (e)
            {
                case LazyExpr lazy:
                    Walk(lazy.Value);
                    break;
                case LiteralExpr { Value: string s } when ReferenceText.Contains(s):
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, CurrentPath(),
                        $"a reference ({ReferenceText.Describe(s)}) was used as plain text (its ToString() was called, for example in a string concatenation or a plain $\"...\" string); " +
                        "build the string with Output.Format($\"...\") so Pulumi resolves it"));
                    break;
                case LiteralExpr:
                    break;
                case ObjectExpr o:
                {
                    var entries = o.Entries;
                    for (var i = 0; i < entries.Count; i++)
                    {
                        var (k, v) = entries[i];
                        if (v is LiteralExpr { Value: not string })
                        {
                            continue;
                        }
                        _segments.Add((k, 0));
                        Walk(v);
                        _segments.RemoveAt(_segments.Count - 1);
                    }
                    break;
                }
                case ListExpr l:
                {
                    var items = l.Items;
                    for (var i = 0; i < items.Count; i++)
                    {
                        _segments.Add((null, i));
                        Walk(items[i]);
                        _segments.RemoveAt(_segments.Count - 1);
                    }
                    break;
                }
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

        private void CheckReference(RefExpr r)
        {
            switch (r.Target)
            {
                case Resource target:
                    if (target.App != stack.App)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, CurrentPath(),
                            $"references {r.Describe()}, a resource of another app; a program can only reference resources of its own stack"));
                    }
                    else if (!ReferenceEquals(SafeStack(target), stack))
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, CurrentPath(),
                            $"references {r.Describe()}, a resource of another stack; pass the value through stack outputs and configuration instead"));
                    }
                    else if (!target.IsAttached)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, CurrentPath(),
                            $"dangling reference to {r.Describe()}: that resource was removed from the construct tree"));
                    }
                    else if (_collect)
                    {
                        // Every attached resource of this stack was given its position at the start of the synthesis.
                        var slot = target.SynthesisSlot;
                        dependencies.Add(slot < resources.Count && ReferenceEquals(resources[slot], target) ? slot : -1);
                    }
                    break;
                case StackVariable v when !stack.Variables.ContainsKey(v.Name) || !ReferenceEquals(stack.Variables[v.Name], v):
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, CurrentPath(), $"dangling reference to variable '{v.Name}', which is not declared in this stack"));
                    break;
                case ConfigDeclaration c when !stack.Config.Declarations.ContainsKey(c.Name):
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, _owner.Path, CurrentPath(), $"dangling reference to config key '{c.Name}', which is not declared in this stack"));
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

    private static void FindCycles(List<Resource> resources, int[] edgeStart, List<int> edgeTargets, List<Diagnostic> diagnostics)
    {
        // Iterative DFS with colours over positions; each cycle found is reported once, on its first resource in tree order.
        var count = resources.Count;
        var colour = new byte[count];
        HashSet<string>? reported = null;
        var path = new List<int>();
        var pending = new Stack<(int Node, int Next)>();
        for (var start = 0; start < count; start++)
        {
            if (colour[start] != 0)
            {
                continue;
            }
            path.Clear();
            pending.Clear();
            pending.Push((start, 0));
            colour[start] = 1;
            path.Add(start);
            while (pending.Count > 0)
            {
                var (node, next) = pending.Pop();
                var outs = edgeStart[node + 1] - edgeStart[node];
                if (next < outs)
                {
                    pending.Push((node, next + 1));
                    var to = edgeTargets[edgeStart[node] + next];
                    if (to < 0)
                    {
                        continue;
                    }
                    var c = colour[to];
                    if (c == 0)
                    {
                        colour[to] = 1;
                        path.Add(to);
                        pending.Push((to, 0));
                    }
                    else if (c == 1)
                    {
                        var from = path.LastIndexOf(to);
                        var cycle = path.Skip(from).Select(x => resources[x]).ToList();
                        var key = string.Join(",", cycle.Select(x => x.Path).OrderBy(x => x, StringComparer.Ordinal));
                        if ((reported ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
                        {
                            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, cycle[0].Path, null,
                                "dependency cycle: " + string.Join(" -> ", cycle.Append(resources[to]).Select(x => x.Path)) +
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
