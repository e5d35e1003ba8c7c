using Lamina.Cli.Projects;

namespace Lamina.Cli.Tests;

public class PulumiProjectTests
{
    private const string Root = "/projects/shop";

    [Fact]
    public void Reads_a_flow_style_runtime()
    {
        var p = PulumiProject.Parse("""
            name: shop
            runtime: { name: yaml, options: { compiler: "dotnet run --project stacks/Shop -clp:ErrorsOnly -- synth" } }
            stackConfigDir: stacks
            """, Root);
        Assert.Equal("shop", p.Name);
        Assert.Equal("yaml", p.Runtime);
        Assert.Equal("dotnet run --project stacks/Shop -clp:ErrorsOnly -- synth", p.Compiler);
        Assert.Equal("stacks", p.StackConfigDir);
        Assert.Equal(Root, p.RootDirectory);
        Assert.Equal(Root, p.ProgramDirectory);
        Assert.Equal(p.Compiler, p.RequireCompiler());
    }

    [Fact]
    public void Reads_a_flow_style_runtime_with_a_plain_compiler_and_no_spaces()
    {
        var p = PulumiProject.Parse("name: shop\nruntime: {name: yaml, options: {compiler: dotnet run -- synth}}\n", Root);
        Assert.Equal("dotnet run -- synth", p.Compiler);
        Assert.Null(p.StackConfigDir);
    }

    [Fact]
    public void Reads_a_block_style_runtime()
    {
        var p = PulumiProject.Parse("""
            name: shop
            description: A shop
            runtime:
              name: yaml
              options:
                compiler: dotnet run --project 'stacks/My Shop' -- synth
            stackConfigDir: stacks
            config:
              aws:region: eu-west-1
            """, Root);
        Assert.Equal("dotnet run --project 'stacks/My Shop' -- synth", p.Compiler);
        Assert.Equal("stacks", p.StackConfigDir);
    }

    [Fact]
    public void Reads_a_folded_multi_line_compiler()
    {
        var p = PulumiProject.Parse("""
            name: shop
            runtime:
              name: yaml
              options:
                compiler: >-
                  dotnet run
                  --project stacks/Shop
                  -- synth
            main: infra/
            """, Root);
        Assert.Equal("dotnet run --project stacks/Shop -- synth", p.Compiler);
        Assert.Equal("/projects/shop/infra/", p.ProgramDirectory);
    }

    [Fact]
    public void A_plain_yaml_runtime_has_no_compiler()
    {
        var p = PulumiProject.Parse("name: shop\nruntime: yaml\n", Root);
        Assert.Equal("yaml", p.Runtime);
        Assert.Null(p.Compiler);
        var e = Assert.Throws<PulumiProjectException>(() => p.RequireCompiler());
        Assert.Contains("has no runtime.options.compiler", e.Message);
    }

    [Fact]
    public void Another_runtime_is_not_a_lamina_project()
    {
        var p = PulumiProject.Parse("name: shop\nruntime: dotnet\n", Root);
        var e = Assert.Throws<PulumiProjectException>(() => p.RequireCompiler());
        Assert.Contains("runtime is 'dotnet'", e.Message);
    }

    [Theory]
    [InlineData("runtime: yaml\n", "has no 'name'")]
    [InlineData("name: shop\n", "has no 'runtime'")]
    [InlineData("name: shop\nruntime: [yaml]\n", "'runtime' must be")]
    [InlineData("name: shop\nruntime: { options: { compiler: x } }\n", "without a 'name'")]
    [InlineData("name: shop\nruntime: { name: yaml, options: [compiler] }\n", "'runtime.options' must be a mapping")]
    [InlineData("name: shop\nruntime: { name: yaml, options: { compiler: [dotnet, run] } }\n", "'runtime.options.compiler' must be a single value")]
    [InlineData("name: [shop\n", "not valid YAML")]
    [InlineData("- a\n- b\n", "must be a mapping")]
    [InlineData("", "must be a mapping")]
    public void Reports_what_is_wrong(string yaml, string message)
    {
        var e = Assert.Throws<PulumiProjectException>(() => PulumiProject.Parse(yaml, Root));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Locates_the_nearest_project_at_or_above_the_current_folder()
    {
        using var dir = new TempDir();
        dir.Write("Pulumi.yaml", "name: outer\nruntime: yaml\n");
        dir.Write("inner/Pulumi.yaml", "name: inner\nruntime: yaml\n");
        var deep = dir.Dir("inner/stacks/App/bin");
        Assert.Equal("inner", PulumiProject.Locate(deep, null).Name);
        Assert.Equal(Path.Combine(dir.Path, "inner"), PulumiProject.Locate(deep, null).RootDirectory);
        Assert.Equal("outer", PulumiProject.Locate(dir.Dir("other"), null).Name);
        Assert.Equal("outer", PulumiProject.Locate(dir.Path, null).Name);
    }

    [Fact]
    public void The_project_option_names_a_folder_or_the_file_relative_to_the_current_folder()
    {
        using var dir = new TempDir();
        dir.Write("a/Pulumi.yaml", "name: a\nruntime: yaml\n");
        dir.Write("b/Pulumi.yaml", "name: b\nruntime: yaml\n");
        var cwd = dir.Dir("a/deep");
        Assert.Equal("b", PulumiProject.Locate(cwd, "../../b").Name);
        Assert.Equal("b", PulumiProject.Locate(cwd, Path.Combine(dir.Path, "b", "Pulumi.yaml")).Name);
        Assert.Contains("has no Pulumi.yaml", Assert.Throws<PulumiProjectException>(() => PulumiProject.Locate(dir.Path, ".")).Message);
        Assert.Contains("no such folder", Assert.Throws<PulumiProjectException>(() => PulumiProject.Locate(dir.Path, "nope")).Message);
    }

    [Fact]
    public void Without_a_project_says_how_to_give_one()
    {
        using var dir = new TempDir();
        // The temp folder has no Pulumi.yaml above it (checked, so the test cannot pass by accident).
        Assert.Null(PulumiProject.FindRoot(dir.Path));
        var e = Assert.Throws<PulumiProjectException>(() => PulumiProject.Locate(dir.Path, null));
        Assert.Contains("no Pulumi.yaml", e.Message);
        Assert.Contains("--project", e.Message);
    }
}
