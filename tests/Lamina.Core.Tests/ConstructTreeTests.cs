using Lamina.Aws.Resources.Sqs;

namespace Lamina.Core.Tests;

public class ConstructTreeTests
{
    [Fact]
    public void Paths_join_ids_from_the_stack_down()
    {
        var stack = TestApps.Stack();
        var group = new Construct(stack, "Billing");
        var q = new Queue(group, "Orders");
        Assert.Equal("shop/Billing/Orders", q.Path);
        Assert.Same(stack, q.Stack);
        Assert.Same(stack.App, q.App);
        Assert.Equal(["Billing", "AwsProvider"], stack.Children.Select(c => c.Id));
    }

    [Fact]
    public void Duplicate_sibling_ids_are_rejected_with_the_path()
    {
        var stack = TestApps.Stack();
        var group = new Construct(stack, "Billing");
        new Queue(group, "Orders");
        var e = Assert.Throws<ArgumentException>(() => new Queue(group, "Orders"));
        Assert.Contains("shop/Billing/Orders", e.Message);
        Assert.Contains("already a construct with id 'Orders'", e.Message);
    }

    [Fact]
    public void The_same_id_under_different_parents_is_fine()
    {
        var stack = TestApps.Stack();
        new Queue(new Construct(stack, "A"), "Q");
        new Queue(new Construct(stack, "B"), "Q");
        Assert.Equal(2, stack.Resources.OfType<Queue>().Count());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("1starts-with-digit")]
    [InlineData("")]
    [InlineData("dots.are.not.allowed")]
    [InlineData("ünïcode")]
    public void Illegal_ids_are_rejected_naming_where_and_what_is_allowed(string id)
    {
        var stack = TestApps.Stack();
        var group = new Construct(stack, "Api");
        var e = Assert.Throws<ArgumentException>(() => new Construct(group, id));
        Assert.Contains("shop/Api", e.Message);
        Assert.Contains("letters, digits, '-' or '_'", e.Message);
    }

    [Fact]
    public void Ids_longer_than_64_characters_are_rejected()
    {
        var stack = TestApps.Stack();
        Assert.Throws<ArgumentException>(() => new Construct(stack, new string('a', 65)));
        Assert.Equal(64, new Construct(stack, new string('b', 64)).Id.Length);
    }

    [Fact]
    public void A_construct_outside_a_stack_has_no_stack()
    {
        var app = TestApps.Create();
        var c = new Construct(app, "Loose");
        var e = Assert.Throws<InvalidOperationException>(() => c.Stack);
        Assert.Contains("Loose", e.Message);
    }

    [Fact]
    public void Aspects_visit_every_construct_below_their_scope_and_tag_taggable_resources()
    {
        var stack = TestApps.Stack();
        var billing = new Construct(stack, "Billing");
        var q1 = new Queue(billing, "Q1", new() { Tags = new() { ["team"] = "mine" } });
        var q2 = new Queue(stack, "Q2");
        billing.AddAspect(new Tags(new Dictionary<string, string> { ["team"] = "billing", ["cost"] = "42" }));
        stack.AddAspect(new Tags(new Dictionary<string, string> { ["stage"] = "dev" }));
        var visited = new List<string>();
        stack.AddAspect(new Recorder(visited));
        var yaml = stack.Synth().Yaml;
        Assert.Equal(["cost", "stage", "team"], q1.Args.Tags!.Keys);
        Assert.Equal("mine", q1.Args.Tags["team"].ToString());
        Assert.Equal(["stage"], q2.Args.Tags!.Keys);
        Assert.Contains("shop/Billing/Q1", visited);
        Assert.Contains("shop/Q2", visited);
        Assert.Contains("cost: \"42\"", yaml);
    }

    private sealed class Recorder(List<string> visited) : IAspect
    {
        public void Visit(Construct construct) => visited.Add(construct.Path);
    }
}
