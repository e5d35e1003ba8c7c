using Lamina.Aws.Lambda;
using Lamina.Values;

namespace Lamina.Aws.Packaging;

/// <summary>
/// Publishes .NET handler projects into deterministic <c>bootstrap</c> zips for <c>provided.al2023</c>, once per
/// project and architecture per synthesis, and not at all when the inputs' content hash is unchanged.
/// With <see cref="App.Bundle"/> off (<c>synth --no-bundle</c>, unit tests) it never builds and returns a placeholder archive.
/// </summary>
public sealed partial class DotnetBundler
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<App, DotnetBundler> PerApp = new();

    private DotnetBundler(App app) => App = app;

    /// <summary>The app whose functions are bundled.</summary>
    public App App { get; }

    /// <summary>The bundler of <paramref name="app"/>.</summary>
    public static DotnetBundler For(App app) => PerApp.GetValue(app, a => new DotnetBundler(a));

    /// <summary>The archive holding the published handler project of <paramref name="handlerType"/>.</summary>
    public Archive Archive(FunctionBase function, Type handlerType, string? project, Architecture architecture, DotnetPackaging packaging)
    {
        var assembly = handlerType.Assembly.GetName().Name!;
        var rid = architecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        if (!App.Bundle)
        {
            return Values.Archive.File($".lamina/no-bundle/{assembly}-{rid}.zip");
        }
        return Values.Archive.File(Publish(function, assembly, project, rid, packaging));
    }

    /// <summary>Publishes (or reuses) the project and returns the zip's path relative to the project root.</summary>
    private partial string Publish(FunctionBase function, string assembly, string? project, string rid, DotnetPackaging packaging);
}
