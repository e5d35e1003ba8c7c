using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Lamina.Synthesis;
using Lamina.Values;

namespace Lamina.Testing;

/// <summary>Options of <see cref="Snapshot.Match(Stack, string, SnapshotOptions, string?)"/>.</summary>
public sealed record SnapshotOptions
{
    /// <summary>The folder holding the snapshot files. Default: <c>__snapshots__</c> next to the calling test file.</summary>
    public string? Directory { get; init; }

    /// <summary>Whether to (over)write the snapshot instead of comparing. Default: env <c>LAMINA_UPDATE_SNAPSHOTS</c> is <c>1</c> or <c>true</c>.</summary>
    public bool? Update { get; init; }

    /// <summary>Whether this is a CI run, where a missing snapshot is a failure rather than written. Default: env <c>CI</c> is <c>true</c> or <c>1</c>.</summary>
    public bool? ContinuousIntegration { get; init; }

    /// <summary>Unchanged lines shown around each change in the diff. Default: 3.</summary>
    public int ContextLines { get; init; } = 3;
}

/// <summary>What <see cref="Snapshot.Match(Stack, string, string?)"/> did.</summary>
public enum SnapshotOutcome
{
    /// <summary>The snapshot equals the stored one.</summary>
    Matched,

    /// <summary>There was no stored snapshot; it was written.</summary>
    Created,

    /// <summary>The stored snapshot differed and was overwritten (update mode).</summary>
    Updated,
}

/// <summary>
/// Snapshot tests: the synthesized Pulumi YAML of a stack, stored in <c>__snapshots__/&lt;name&gt;.yaml</c> next to the
/// test file, compared on every run. A difference fails with a unified diff; set <c>LAMINA_UPDATE_SNAPSHOTS=1</c> to
/// accept it. In CI (<c>CI=true</c>) a missing snapshot fails instead of being written.
/// </summary>
/// <remarks>
/// Before writing or comparing, the program is normalised (<see cref="Normalize"/>) so that rebuilding function code
/// does not change every snapshot:
/// <list type="number">
/// <item>the path of an <c>fn::fileArchive</c> / <c>fn::fileAsset</c> that lies under a <c>.lamina/assets/</c> folder or
/// contains a content hash (a run of 16 or more hex digits) becomes <c>&lt;asset:LogicalName&gt;</c>, after the
/// resource (or output, or variable) holding it; a second one in the same place is <c>&lt;asset:LogicalName#2&gt;</c>;</item>
/// <item>in any other string, each run of 16 or more hex digits becomes <c>&lt;hash&gt;</c>;</item>
/// <item>a string under a key named <c>sourceCodeHash</c> (base64 code hashes) becomes <c>&lt;hash&gt;</c>.</item>
/// </list>
/// Paths without a hash (<c>./app</c>) and shorter hex runs (12-digit account ids) are kept.
/// </remarks>
public static partial class Snapshot
{
    /// <summary>The environment variable that turns on update mode.</summary>
    public const string UpdateVariable = "LAMINA_UPDATE_SNAPSHOTS";

    /// <summary>Compares the normalised YAML of <paramref name="stack"/> with <c>__snapshots__/&lt;name&gt;.yaml</c> next to the calling file.</summary>
    /// <exception cref="TemplateAssertionException">The snapshot differs (the message holds a diff), or is missing in CI.</exception>
    /// <exception cref="SynthesisException">The stack has errors.</exception>
    public static SnapshotOutcome Match(Stack stack, string name, [CallerFilePath] string? callerFile = null) =>
        Match(stack, name, new SnapshotOptions(), callerFile);

    /// <summary>Compares the normalised YAML of <paramref name="stack"/> with the snapshot <paramref name="name"/>, with options.</summary>
    /// <exception cref="TemplateAssertionException">The snapshot differs (the message holds a diff), or is missing in CI.</exception>
    /// <exception cref="SynthesisException">The stack has errors.</exception>
    public static SnapshotOutcome Match(Stack stack, string name, SnapshotOptions options, [CallerFilePath] string? callerFile = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return MatchText(Render(stack.Synth().Program), name, options, callerFile);
    }

    /// <summary>Compares already rendered text with the snapshot <paramref name="name"/> (no normalisation is applied).</summary>
    /// <exception cref="TemplateAssertionException">The snapshot differs (the message holds a diff), or is missing in CI.</exception>
    public static SnapshotOutcome MatchText(string text, string name, SnapshotOptions? options = null, [CallerFilePath] string? callerFile = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new SnapshotOptions();
        var file = FileFor(name, options, callerFile);
        var update = options.Update ?? IsSet(Environment.GetEnvironmentVariable(UpdateVariable));
        var ci = options.ContinuousIntegration ?? IsSet(Environment.GetEnvironmentVariable("CI"));
        text = text.ReplaceLineEndings("\n");
        if (!File.Exists(file))
        {
            if (ci && !update)
            {
                throw new TemplateAssertionException(
                    $"Snapshot '{name}' does not exist ({file}). In CI (CI=true) missing snapshots are not written: " +
                    $"run the tests locally (or with {UpdateVariable}=1) and commit the file.", []);
            }
            Write(file, text);
            return SnapshotOutcome.Created;
        }
        var stored = File.ReadAllText(file).ReplaceLineEndings("\n");
        if (stored == text)
        {
            return SnapshotOutcome.Matched;
        }
        if (update)
        {
            Write(file, text);
            return SnapshotOutcome.Updated;
        }
        var diff = TextDiff.Unified(stored, text, Math.Max(0, options.ContextLines));
        throw new TemplateAssertionException(
            $"Snapshot '{name}' does not match {file}\n(- stored snapshot, + synthesized now; {diff.Removed} line{(diff.Removed == 1 ? "" : "s")} removed, {diff.Added} added)\n" +
            diff.Text +
            $"If the change is intended, run the tests with {UpdateVariable}=1 to update the snapshot.", []);
    }

    /// <summary>The normalised Pulumi YAML of a program, as stored in snapshots.</summary>
    public static string Render(PulumiProgram program) => YamlWriter.Write(Normalize(program));

    /// <summary>A copy of <paramref name="program"/> with asset paths and hashes replaced by placeholders (rules on <see cref="Snapshot"/>).</summary>
    public static PulumiProgram Normalize(PulumiProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return new PulumiProgram
        {
            Name = program.Name,
            Runtime = program.Runtime,
            Description = program.Description is null ? null : HexRun().Replace(program.Description, "<hash>"),
            Config = program.Config,
            Variables = program.Variables.Select(v => new KeyValuePair<string, Expr>(v.Key, new Normalizer(v.Key).Run(v.Value))).ToList(),
            Resources = program.Resources.Select(r =>
            {
                var n = new Normalizer(r.Name);
                return r with { Properties = (ObjectExpr)n.Run(r.Properties), Options = r.Options is null ? null : (ObjectExpr)n.Run(r.Options) };
            }).ToList(),
            Outputs = program.Outputs.Select(o => new KeyValuePair<string, Expr>(o.Key, new Normalizer(o.Key).Run(o.Value))).ToList(),
        };
    }

    [GeneratedRegex("(?<![0-9A-Fa-f])[0-9A-Fa-f]{16,}(?![0-9A-Fa-f])", RegexOptions.CultureInvariant)]
    private static partial Regex HexRun();

    [GeneratedRegex("^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    private static bool IsSet(string? value) => value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string FileFor(string name, SnapshotOptions options, string? callerFile)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!ValidName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Snapshot name '{name}' must use only letters, digits, '_', '-' and '.' (it becomes a file name).", nameof(name));
        }
        var dir = options.Directory;
        if (dir is null)
        {
            if (string.IsNullOrEmpty(callerFile) || Path.GetDirectoryName(callerFile) is not { Length: > 0 } callerDir)
            {
                throw new ArgumentException("The calling file is unknown: pass SnapshotOptions.Directory.", nameof(callerFile));
            }
            dir = Path.Combine(callerDir, "__snapshots__");
        }
        return Path.Combine(dir, name + ".yaml");
    }

    private static void Write(string file, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private sealed class Normalizer(string owner)
    {
        private int _assets;

        public Expr Run(Expr e) => Visit(e, null);

        private Expr Visit(Expr e, string? key)
        {
            switch (e)
            {
                case LazyExpr lazy:
                    return Visit(lazy.Value, key);
                case CallExpr { Function: "fn::fileArchive" or "fn::fileAsset", Argument: LiteralExpr { Value: string path } } call when IsHashedPath(path):
                    _assets++;
                    return new CallExpr(call.Function, Expr.Of(_assets == 1 ? $"<asset:{owner}>" : $"<asset:{owner}#{_assets}>"));
                case CallExpr call:
                    return new CallExpr(call.Function, Visit(call.Argument, key));
                case LiteralExpr { Value: string s }:
                    return key == "sourceCodeHash" ? Expr.Of("<hash>") : HexRun().IsMatch(s) ? Expr.Of(HexRun().Replace(s, "<hash>")) : e;
                case InterpolationExpr i:
                    return new InterpolationExpr(i.Parts.Select(p => p switch
                    {
                        string s => HexRun().Replace(s, "<hash>"),
                        Expr x => (object)Visit(x, key),
                        _ => p,
                    }));
                case ListExpr list:
                    return new ListExpr(list.Items.Select(item => Visit(item, key)));
                case ObjectExpr obj:
                    return new ObjectExpr(obj.Entries.Select(kv => new KeyValuePair<string, Expr>(kv.Key, Visit(kv.Value, kv.Key))));
                default:
                    return e;
            }
        }

        private static bool IsHashedPath(string path) =>
            path.Replace('\\', '/').Contains(".lamina/assets/", StringComparison.Ordinal) || HexRun().IsMatch(path);
    }
}
