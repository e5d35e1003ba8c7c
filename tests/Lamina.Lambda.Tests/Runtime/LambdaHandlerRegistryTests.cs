using System.Text.Json.Serialization;

namespace Lamina.Lambda.Tests.Runtime;

[JsonSerializable(typeof(string))]
internal sealed partial class RegistryTestJson : JsonSerializerContext;

public sealed class LambdaHandlerRegistryTests
{
    private sealed class Upper : ILambdaHandler<string, string>
    {
        public Task<string> HandleAsync(string input, ILambdaContext context) => Task.FromResult(input.ToUpperInvariant());
    }

    [Fact]
    public void Selects_by_name_and_lists_the_registered_names_when_unknown()
    {
        var registry = new LambdaHandlerRegistry()
            .Add<Upper, string, string>("Upper", RegistryTestJson.Default.String, RegistryTestJson.Default.String)
            .AddFunction("Echo", (string s, ILambdaContext _) => Task.FromResult(s), RegistryTestJson.Default.String, RegistryTestJson.Default.String);

        Assert.True(registry.TrySelect("Echo", out var name, out _, out _));
        Assert.Equal("Echo", name);
        Assert.False(registry.TrySelect("upper", out _, out _, out var error));
        Assert.Contains("'upper'", error);
        Assert.Contains("Upper, Echo", error);
        Assert.False(registry.TrySelect(null, out _, out _, out error));
        Assert.Contains("_HANDLER", error);
    }

    [Fact]
    public void A_single_handler_is_chosen_when_HANDLER_is_unset()
    {
        var registry = new LambdaHandlerRegistry().Add<Upper, string, string>("Upper", RegistryTestJson.Default.String, RegistryTestJson.Default.String);

        Assert.True(registry.TrySelect("", out var name, out _, out _));
        Assert.Equal("Upper", name);
    }

    [Fact]
    public void Rejects_duplicate_and_blank_names()
    {
        var registry = new LambdaHandlerRegistry().Add<Upper, string, string>("Upper", RegistryTestJson.Default.String, RegistryTestJson.Default.String);

        Assert.Throws<ArgumentException>(() => registry.Add<Upper, string, string>("Upper", RegistryTestJson.Default.String, RegistryTestJson.Default.String));
        Assert.Throws<ArgumentException>(() => registry.Add<Upper, string, string>("Get Order", RegistryTestJson.Default.String, RegistryTestJson.Default.String));
        Assert.Throws<ArgumentException>(() => registry.Add<Upper, string, string>("", RegistryTestJson.Default.String, RegistryTestJson.Default.String));
    }
}
