using Lamina.Aws.Resources.Sqs;
using Lamina.Resources;
using Lamina.Synthesis;
using Lamina.Values;

namespace Lamina.Core.Tests;

/// <summary>
/// The code paths that keep synthesis linear in the number of resources: the YAML sink that spills into chunks,
/// the child index that appears only for constructs with many children, the options object shared by resources that
/// set only their provider, and the prepare pass that marks constructs instead of collecting them in a set.
/// </summary>
public class SynthesisScaleTests
{
    [Fact]
    public void Text_and_streamed_yaml_are_identical_across_chunk_boundaries_and_escape_as_before()
    {
        var stack = TestApps.Stack();
        // A long scalar that must be quoted, with escapes spread over several 4 KB chunks.
        var big = string.Concat(Enumerable.Range(0, 3000).Select(i => i % 97 == 0 ? "\"\u0001\\\t" : "ab: c"));
        Queue? previous = null;
        for (var i = 0; i < 300; i++)
        {
            var q = new Queue(stack, $"Q{i}", new()
            {
                DelaySeconds = i % 3 == 0 ? 0.1 * i : i,
                Tags = new() { ["cost"] = "$5", ["ref"] = previous is null ? "none" : new Input<string>(new RefExpr(previous, "tags[\"a: b\"]")) },
            });
            previous = q;
        }
        new Queue(stack, "Big", new() { Tags = new() { ["big"] = big } });
        var program = stack.Synth().Program;

        var text = YamlWriter.Write(program);
        var streamed = new StringWriter();
        YamlWriter.Write(program, streamed);

        Assert.Equal(text, streamed.ToString());
        Assert.True(text.Length > 70_000);
        Assert.Contains("        big: " + YamlWriter.Scalar(big) + "\n", text);
        Assert.StartsWith("\"\\\"\\u0001\\\\\\tab: c", YamlWriter.Scalar(big));
        Assert.Contains("        ref: \"${Q4.tags[\\\"a: b\\\"]}\"\n", text);
        Assert.Contains("      delaySeconds: 0.30000000000000004\n", text);
        Assert.Contains("      delaySeconds: 4\n", text);
        Assert.Contains("        cost: $5\n", text);
        Assert.Equal(text, program.ToYaml());
    }

    [Fact]
    public void Numbers_and_scalars_format_as_yaml_reads_them_back()
    {
        Assert.Equal("0", YamlWriter.Number(-0.0));
        Assert.Equal("1E+20", YamlWriter.Number(1e20));
        Assert.Equal("-123456789012345", YamlWriter.Number(-123456789012345));
        Assert.Equal(".nan", YamlWriter.Number(double.NaN));
        Assert.Equal("-.inf", YamlWriter.Number(double.NegativeInfinity));
        Assert.Equal("value: -1.5E-07\n", YamlWriter.WriteValue(Expr.Of(-1.5e-7)));
        Assert.Equal("value:\n  - true\n  - null\n  - \"yes\"\n", YamlWriter.WriteValue(Expr.From(new object?[] { true, null, "yes" })));
        Assert.Equal("a$${b}", YamlWriter.EscapeDollars("a${b}"));
    }

    [Fact]
    public void Constructs_with_many_children_find_remove_and_reject_duplicates()
    {
        var stack = TestApps.Stack();
        var parent = new Construct(stack, "Parent");
        for (var i = 0; i < 40; i++)
        {
            new Construct(parent, $"C{i}");
        }
        Assert.Equal("shop/Parent/C37", parent.TryFindChild("C37")?.Path);
        Assert.Null(parent.TryFindChild("C40"));
        var e = Assert.Throws<ArgumentException>(() => new Construct(parent, "C12"));
        Assert.Contains("shop/Parent/C12: there is already a construct with id 'C12' under shop/Parent", e.Message);

        Assert.True(parent.TryRemoveChild("C10"));
        Assert.False(parent.TryRemoveChild("C10"));
        Assert.Null(parent.TryFindChild("C10"));
        var again = new Construct(parent, "C10");
        Assert.Same(again, parent.TryFindChild("C10"));
        Assert.Equal(40, parent.Children.Count);
        Assert.Equal("C10", parent.Children[^1].Id);
        Assert.Empty(again.Children);
    }

    [Fact]
    public void Resources_that_only_set_their_provider_and_those_that_set_more_get_their_own_options()
    {
        var stack = TestApps.Stack();
        new Queue(stack, "A");
        new Queue(stack, "B", null, new ResourceOptions { Protect = false });
        new Queue(stack, "C");
        var program = stack.Synth().Program;
        var options = program.Resources.Where(r => r.Type == Queue.TypeToken).Select(r => YamlWriter.WriteValue(r.Options!)).ToList();
        Assert.Equal(["value:\n  provider: ${AwsProvider}\n", "value:\n  provider: ${AwsProvider}\n  protect: false\n", "value:\n  provider: ${AwsProvider}\n"], options);
        Assert.Null(program.Resources.Single(r => r.Name == "AwsProvider").Options);

        var fresh = new ResourceOptions();
        Assert.Same(fresh.DependsOn, fresh.DependsOn);
        Assert.Empty(fresh.IgnoreChanges);
    }

    [Fact]
    public void Prepare_runs_once_on_every_construct_including_those_prepare_adds()
    {
        var stack = TestApps.Stack();
        var root = new Growing(stack, "G", 0);
        new Queue(root, "Q");
        stack.Synth();
        stack.Synth();
        var all = stack.DescendantsAndSelf().OfType<Growing>().ToList();
        Assert.Equal(4, all.Count);
        Assert.All(all, g => Assert.Equal((1, 1), (g.Prepared, g.Validated)));
    }

    private sealed class Growing(Construct scope, string id, int depth) : Construct(scope, id)
    {
        public int Prepared { get; private set; }

        public int Validated { get; private set; }

        protected internal override void Prepare()
        {
            Prepared++;
            if (depth < 3)
            {
                new Growing(this, "Next", depth + 1);
            }
        }

        protected internal override void Validate() => Validated++;
    }
}
