using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lamina.Aws.Tests;

/// <summary>
/// Compiles C# snippets in memory with Roslyn against the running framework and Lamina's assemblies, to test that
/// an API is (or is not) accepted by the compiler — such as typed event wiring rejecting a handler of the wrong event type.
/// </summary>
internal static class CompileCheck
{
    /// <summary>Usings every snippet gets (the test project's implicit usings are not applied to snippets).</summary>
    public const string DefaultUsings = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Lamina;
        using Lamina.Aws.Lambda;
        using Lamina.Lambda;
        using Lamina.Lambda.Events;

        """;

    private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The references snippets compile against.</summary>
    public static IReadOnlyList<MetadataReference> References => LazyReferences.Value;

    /// <summary>Compiles <paramref name="source"/> (with <see cref="DefaultUsings"/> prepended) and returns its errors.</summary>
    public static IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> Errors(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(DefaultUsings + source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"),
            [tree],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
    }

    /// <summary>Asserts that <paramref name="source"/> compiles without errors.</summary>
    public static void Compiles(string source)
    {
        var errors = Errors(source);
        Assert.True(errors.Count == 0, "expected the snippet to compile, but:\n" + string.Join("\n", errors));
    }

    /// <summary>Asserts that <paramref name="source"/> fails with at least one of <paramref name="ids"/>; returns the errors.</summary>
    public static IReadOnlyList<Microsoft.CodeAnalysis.Diagnostic> FailsWith(string source, params string[] ids)
    {
        var errors = Errors(source);
        Assert.True(errors.Any(e => ids.Contains(e.Id)),
            $"expected one of {string.Join(", ", ids)}, but got:\n{(errors.Count == 0 ? "(no errors: the snippet compiled)" : string.Join("\n", errors))}");
        return errors;
    }

    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var files = Directory.GetFiles(runtimeDir, "*.dll").Where(IsManaged).ToList();
        foreach (var t in new[]
        {
            typeof(Construct),                                   // Lamina.Core
            typeof(Lamina.Aws.Lambda.FunctionBase),              // Lamina.Aws
            typeof(Lamina.Aws.Resources.AwsResource),            // Lamina.Aws.Resources
            typeof(Lamina.Lambda.ILambdaHandler<,>),             // Lamina.Lambda
            typeof(CompileCheck),                                // this test assembly (its sample handlers)
        })
        {
            files.Add(t.Assembly.Location);
        }
        // Assemblies Lamina.Aws exposes in its public API (such as Lamina.Aws.Semantics), when loaded.
        foreach (var name in typeof(Lamina.Aws.Lambda.FunctionBase).Assembly.GetReferencedAssemblies().Where(n => n.Name?.StartsWith("Lamina.", StringComparison.Ordinal) == true))
        {
            files.Add(System.Reflection.Assembly.Load(name).Location);
        }
        return files.Distinct(StringComparer.Ordinal).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
    }

    private static bool IsManaged(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var pe = new PEReader(stream);
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
