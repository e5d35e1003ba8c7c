using Lamina.Aws.Resources.Generator;
using Lamina.Aws.Resources.Lambda;
using Lamina.Synthesis;

namespace Lamina.Core.Tests;

public class GeneratorTests
{
    private static string Root => ResourceGenerator.FindRepositoryRoot();

    private static string SchemaPath => Path.Combine(Root, "src", "Lamina.Aws.Resources.Generator", "Schema", "pulumi-aws-7.48.0.json");

    [Fact]
    public void Regenerating_from_the_schema_changes_nothing()
    {
        var files = ResourceGenerator.Generate(File.ReadAllText(SchemaPath));
        var dir = Path.Combine(Root, "src", "Lamina.Aws.Resources", "Generated");
        var onDisk = Directory.GetFiles(dir, "*.g.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files.Keys.ToList(), onDisk);
        foreach (var (rel, content) in files)
        {
            var actual = File.ReadAllText(Path.Combine(dir, rel));
            Assert.True(actual == content, $"{rel} differs from what the generator produces: run `dotnet run --project src/Lamina.Aws.Resources.Generator`");
        }
    }

    [Fact]
    public void The_repository_copy_of_the_schema_is_the_shared_one_when_present()
    {
        var shared = Path.Combine(Path.GetDirectoryName(Root)!, "shared", "pulumi-aws", "schema.json");
        if (!File.Exists(shared))
        {
            return; // machines without ../shared: the repository copy is the reference
        }
        Assert.Equal(File.ReadAllText(shared), File.ReadAllText(SchemaPath));
    }

    [Fact]
    public void Every_required_module_is_generated_with_nested_types()
    {
        var files = ResourceGenerator.Generate(File.ReadAllText(SchemaPath));
        foreach (var module in new[] { "Lambda", "Iam", "ApiGatewayV2", "ApiGateway", "CloudWatch", "Scheduler", "Sns", "Sqs", "S3", "Sfn" })
        {
            Assert.Contains(files.Keys, k => k.StartsWith(module + "/", StringComparison.Ordinal) && !k.EndsWith("Types.g.cs", StringComparison.Ordinal));
        }
        Assert.Contains("CloudWatch/LogGroup.g.cs", files.Keys);
        Assert.Contains("CloudWatch/EventRule.g.cs", files.Keys);
        Assert.Contains("CloudWatch/EventTarget.g.cs", files.Keys);
        Assert.Contains("Lambda/Types.g.cs", files.Keys);
        Assert.Contains("public required Input<string> Role { get; set; }", files["Lambda/Function.g.cs"]);
        Assert.Contains("public global::Lamina.Aws.Resources.Lambda.Inputs.FunctionEnvironmentArgs? Environment { get; set; }", files["Lambda/Function.g.cs"]);
        Assert.Contains("public Output<string> Arn =>", files["Lambda/Function.g.cs"]);
    }

    [Fact]
    public void Generated_code_copies_no_provider_documentation()
    {
        var files = ResourceGenerator.Generate(File.ReadAllText(SchemaPath));
        var summaries = files.Values.SelectMany(f => f.Split('\n')).Where(l => l.TrimStart().StartsWith("/// <summary>", StringComparison.Ordinal)).Distinct().ToList();
        // Our summaries follow a handful of fixed templates; the provider's prose would add thousands of distinct sentences.
        Assert.All(summaries, s => Assert.Matches(@"<summary>($|Input <c>|Output <c>|The |Creates |<c>|Resources: |Nested types: )", s));
    }

    [Fact]
    public void Typed_resources_register_their_schema_for_the_program_checker()
    {
        _ = new Function(TestApps.Stack(), "Fn", new() { Role = "r" }); // loads the assembly
        var schema = SchemaRegistry.FindResource("aws:lambda:Function");
        Assert.NotNull(schema);
        Assert.True(schema.Inputs["role"].Required);
        Assert.Contains("arn", schema.Outputs);
        Assert.NotNull(SchemaRegistry.FindResource("aws:lambda/function:Function"));
        Assert.Equal("map", SchemaRegistry.FindType("lambda.FunctionEnvironment")!["variables"].Kind);
    }

    [Fact]
    public void The_own_checker_finds_unknown_properties_missing_required_inputs_and_bad_references()
    {
        _ = new Function(TestApps.Stack(), "Fn", new() { Role = "r" });
        var findings = ProgramChecker.Check("""
            name: x
            runtime: yaml
            resources:
              Fn:
                type: aws:lambda:Function
                properties:
                  runtime: python3.13
                  memorySize: 128
                  colour: blue
                  environment:
                    variables:
                      A: ${Nope.arn}
                      B: ${Q.notAnOutput}
              Q:
                type: aws:sqs:Queue
                options:
                  dependsOn: [ "${Missing}" ]
            """);
        Assert.Contains(findings, f => f.Message.Contains("unknown property 'colour'"));
        Assert.Contains(findings, f => f.Message.Contains("missing required property 'role'"));
        Assert.Contains(findings, f => f.Message.Contains("'Nope'"));
        Assert.Contains(findings, f => f.Message.Contains("'notAnOutput' is not an output"));
        Assert.Contains(findings, f => f.Path.Contains("dependsOn"));
    }
}
