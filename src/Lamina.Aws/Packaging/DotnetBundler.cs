using Lamina.Aws.Lambda;
using Lamina.Values;

namespace Lamina.Aws.Packaging;

/// <summary>
/// Publishes .NET handler projects into deterministic <c>bootstrap</c> zips for <c>provided.al2023</c>, once per
/// project and architecture per synthesis, and not at all when the inputs' content hash is unchanged.
/// With <see cref="App.Bundle"/> off (<c>synth --no-bundle</c>, unit tests) it never builds and returns a placeholder archive.
/// </summary>
/// <remarks>
/// <para><b>The project.</b> <see cref="DotnetFunctionProps.Project"/>, else the <c>&lt;assembly&gt;.csproj</c> (or the project
/// whose <c>&lt;AssemblyName&gt;</c> is the handler's assembly) found under the project root, skipping <c>bin</c>, <c>obj</c>,
/// <c>node_modules</c> and hidden folders. It must be an executable whose entry point registers its handlers:
/// <code>
/// // Program.cs of the handler project (OutputType Exe, PublishAot true)
/// return await LambdaRuntime.RunAsync(args, handlers => handlers
///     .AddHttpApi&lt;GetOrder&gt;()        // registered as "MyApp.Handlers.GetOrder", the _HANDLER Function&lt;GetOrder&gt; sets
///     .AddSqs&lt;BillingWorker&gt;());
/// </code></para>
/// <para><b>Publishing.</b> <c>dotnet publish -c Release -r linux-x64|linux-arm64</c> with <c>-p:PublishAot=true</c>
/// (<see cref="DotnetPackaging.NativeAot"/>) or <c>-p:PublishSingleFile=true --self-contained true</c>
/// (<see cref="DotnetPackaging.SelfContained"/>), into <c>.lamina/build/&lt;project&gt;-&lt;rid&gt;-&lt;aot|self-contained&gt;/publish</c>
/// (intermediate files in <c>artifacts/</c> beside it, apart from the developer's own <c>bin</c>/<c>obj</c>). Native AOT for
/// another architecture needs a cross toolchain (<see cref="AotToolchainProbe"/>); without one the function is published
/// self-contained and a warning says so, on stderr and as a synthesis warning.</para>
/// <para><b>The zip.</b> <c>.lamina/assets/&lt;project&gt;-&lt;rid&gt;-&lt;hash16&gt;.zip</c> (a <see cref="DeterministicZip"/>): the
/// executable renamed <c>bootstrap</c> (mode 0755), every other published file (0644) but debug symbols (<c>*.dbg</c>,
/// <c>*.pdb</c>). The content hash (<see cref="DotnetProject.ContentHash"/>) is kept beside it in <c>.sha256</c>; a later
/// synthesis with the same hash reuses the zip without running <c>dotnet publish</c>. Progress goes to stderr only.</para>
/// </remarks>
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
