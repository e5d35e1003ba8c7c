using Lamina.Configuration;

namespace Lamina.Core.Tests;

internal static class TestApps
{
    public static App Create(params (string, string)[] config) => new(new AppOptions
    {
        ProjectName = "shop",
        Config = StackConfigSource.FromValues(config.Length == 0 ? [("aws:region", "us-east-1")] : config),
        Bundle = false,
    });

    public static Stack Stack(params (string, string)[] config) => new(Create(config), "shop");

    public static SynthesisException SynthFails(Stack stack) => Assert.Throws<SynthesisException>(() => stack.Synth());
}
