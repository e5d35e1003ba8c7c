using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using CodeDiagnostic = Microsoft.CodeAnalysis.Diagnostic;
using CodeSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace Lamina.Aws.Tests.Storage;

/// <summary>Compiles a C# snippet against the loaded assemblies (Lamina, the test handlers) and returns its errors.</summary>
internal static class StorageCompile
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        _ = typeof(Lamina.Aws.Storage.Bucket).Assembly;
        _ = typeof(Lamina.Lambda.ILambdaHandler<,>).Assembly;
        _ = typeof(Lamina.Stack).Assembly;
        return AppDomain.CurrentDomain.GetAssemblies()
            .Append(typeof(StorageCompile).Assembly)
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => a.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(l => (MetadataReference)MetadataReference.CreateFromFile(l))
            .ToArray();
    });

    /// <summary>The errors of <paramref name="body"/> placed in a method with a stack in scope (variable <c>stack</c>).</summary>
    public static IReadOnlyList<CodeDiagnostic> Errors(string body)
    {
        var source = $$"""
            using System;
            using Lamina;
            using Lamina.Aws.Lambda;
            using Lamina.Aws.Storage;
            using Lamina.Aws.Tests.Storage;
            using Lamina.Aws.Tests.Lambda;

            public static class Snippet
            {
                public static void Run(Stack stack)
                {
                    {{body}}
                }
            }
            """;
        var compilation = CSharpCompilation.Create(
            "StorageSnippet" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == CodeSeverity.Error).ToList();
    }
}
