using Lamina.Configuration;

namespace Lamina.Aws.Tests;

/// <summary>Apps for tests: region and project set, no bundling (placeholder archives).</summary>
internal static class TestStacks
{
    public static Stack Create(string id = "shop") => new(new App(new AppOptions
    {
        ProjectName = "shop",
        StackName = "dev",
        Config = StackConfigSource.FromValues(("aws:region", "us-east-1")),
        Bundle = false,
    }), id);

    public static SynthesisException SynthFails(Stack stack) => Assert.Throws<SynthesisException>(() => stack.Synth());
}
