using CodeDiagnostic = Microsoft.CodeAnalysis.Diagnostic;

namespace Lamina.Aws.Tests.Storage;

/// <summary>Compiles a storage snippet with <see cref="CompileCheck"/>, with a stack in scope (variable <c>stack</c>).</summary>
internal static class StorageCompile
{
    /// <summary>The errors of <paramref name="body"/> placed in a method with a stack in scope.</summary>
    public static IReadOnlyList<CodeDiagnostic> Errors(string body) => CompileCheck.Errors($$"""
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
        """);
}
