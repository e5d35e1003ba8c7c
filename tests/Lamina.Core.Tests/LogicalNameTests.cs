using Lamina.Aws.Resources.Lambda;
using Lamina.Aws.Resources.Sqs;
using Lamina.Resources;

namespace Lamina.Core.Tests;

public class LogicalNameTests
{
    private sealed class Group(Construct scope, string id) : Construct(scope, id)
    {
        public Queue Main { get; } = new(new Construct(scope, id + "Inner"), Construct.DefaultChildId);
    }

    [Fact]
    public void Names_join_the_path_below_the_stack_and_drop_the_default_child_id()
    {
        var stack = TestApps.Stack();
        var api = new Construct(stack, "Api");
        var route = new Queue(new Construct(api, "GetOrder"), "Route");
        var main = new Queue(new Construct(stack, "Orders"), Construct.DefaultChildId);
        Assert.Equal("Api-GetOrder-Route", route.LogicalName);
        Assert.Equal("Orders", main.LogicalName);
    }

    [Fact]
    public void Names_are_stable_when_unrelated_constructs_are_added_removed_or_reordered()
    {
        static Dictionary<string, string> Names(bool variant)
        {
            var stack = TestApps.Stack();
            if (variant)
            {
                new Queue(stack, "Extra");
                new Queue(new Construct(stack, "B"), "Q");
                new Queue(new Construct(stack, "A"), "Q");
            }
            else
            {
                new Queue(new Construct(stack, "A"), "Q");
                new Queue(new Construct(stack, "Another"), "Q");
                new Queue(new Construct(stack, "B"), "Q");
            }
            return stack.Resources.ToDictionary(r => r.Path, r => r.LogicalName);
        }
        var one = Names(false);
        var two = Names(true);
        foreach (var path in one.Keys.Intersect(two.Keys))
        {
            Assert.Equal(one[path], two[path]);
        }
        Assert.Equal("A-Q", one["shop/A/Q"]);
    }

    [Fact]
    public void Names_that_become_physical_names_fit_aws_limits_with_a_stable_hash()
    {
        var stack = TestApps.Stack();
        var deep = new Construct(new Construct(stack, "AVeryLongServiceNameForPayments"), "AndAnotherQuiteLongComponentName");
        var fn = new Function(deep, "ProcessIncomingPaymentNotifications", new() { Role = "arn:aws:iam::123456789012:role/x" });
        var name = fn.LogicalName;
        Assert.True(name.Length + LogicalNames.AutoNameSuffixLength <= 64, name);
        Assert.StartsWith("AVeryLongServiceNameForPayments-", name);
        Assert.Matches("-[0-9A-F]{8}$", name);
        // Same path, same name.
        var again = TestApps.Stack();
        var fn2 = new Function(new Construct(new Construct(again, "AVeryLongServiceNameForPayments"), "AndAnotherQuiteLongComponentName"),
            "ProcessIncomingPaymentNotifications", new() { Role = "r" });
        Assert.Equal(name, fn2.LogicalName);
        // A queue allows 80 characters: the same path may keep more of its text.
        var q = new Queue(deep, "ProcessIncomingPaymentNotificationsQueue");
        Assert.True(q.LogicalName.Length <= 72);
    }

    [Fact]
    public void Colliding_names_are_reported_with_both_paths()
    {
        var stack = TestApps.Stack();
        new Queue(new Construct(stack, "a-b"), "c");
        new Queue(new Construct(stack, "a"), "b-c");
        var e = TestApps.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Contains("'a-b-c'", error.Message);
        Assert.Contains("shop/a-b/c", error.Message + error.Path);
        Assert.Contains("shop/a/b-c", error.Message + error.Path);
    }

    [Fact]
    public void An_override_sets_the_name_and_is_validated()
    {
        var stack = TestApps.Stack();
        var q = new Queue(stack, "Q");
        q.OverrideLogicalName("LegacyQueue");
        Assert.Contains("  LegacyQueue:\n    type: aws:sqs:Queue", stack.Synth().Yaml);
        var e = Assert.Throws<ArgumentException>(() => q.OverrideLogicalName("bad.name"));
        Assert.Contains("shop/Q", e.Message);
    }
}
