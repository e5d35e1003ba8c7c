using Lamina.Aws.Lambda;

namespace Lamina.Aws.Packaging;

public sealed partial class DotnetBundler
{
    private partial string Publish(FunctionBase function, string assembly, string? project, string rid, DotnetPackaging packaging)
    {
        function.AddError("Code", $"publishing .NET handler projects is not implemented yet (project of {assembly}); synthesize with --no-bundle");
        return $".lamina/no-bundle/{assembly}-{rid}.zip";
    }
}
