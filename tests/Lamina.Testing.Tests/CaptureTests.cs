using System.Text.Json.Nodes;

namespace Lamina.Testing.Tests;

public class CaptureTests
{
    [Fact]
    public void A_capture_records_the_matched_value()
    {
        var template = Shop.Build().Template();
        var role = new Capture();
        var env = new Capture();
        template.HasResourceProperties("aws:lambda:Function", new D { ["role"] = role, ["environment"] = env });
        Assert.Equal("${Role.arn}", role.AsString());
        Assert.Equal("${Billing.url}", env.AsObject()["variables"]!["QUEUE"]!.GetValue<string>());
        Assert.Throws<InvalidOperationException>(() => role.AsNumber());
    }

    [Fact]
    public void Next_walks_through_values_from_every_matching_resource()
    {
        var template = Shop.Build().Template();
        var tags = new Capture();
        var retention = new Capture();
        template.AllResourcesProperties("aws:sqs:Queue", new D { ["tags"] = tags });
        Assert.Equal(2, tags.Count);
        Assert.Equal("payments", tags.AsObject()["team"]!.GetValue<string>());
        Assert.True(tags.Next());
        Assert.False(tags.Next());

        template.HasResourceProperties("aws:sqs:Queue", new D { ["messageRetentionSeconds"] = retention });
        Assert.Equal(1209600, retention.AsNumber());
        Assert.False(retention.Next());
    }

    [Fact]
    public void Nothing_is_captured_from_a_failed_match()
    {
        var template = Shop.Build().Template();
        var timeout = new Capture();
        Assert.Throws<TemplateAssertionException>(() => template.HasResourceProperties("aws:sqs:Queue", new D
        {
            ["visibilityTimeoutSeconds"] = timeout,
            ["messageRetentionSeconds"] = 1,
        }));
        Assert.Equal(0, timeout.Count);
        Assert.Throws<InvalidOperationException>(() => timeout.AsString());
    }

    [Fact]
    public void A_capture_with_a_pattern_only_takes_matching_values_and_cannot_capture_null()
    {
        var items = new Capture(Match.StringLike("arm*"));
        var r = Match.ObjectLike(new D { ["a"] = Match.ArrayWith(items) }).Test(JsonNode.Parse("""{"a": ["x86_64", "arm64"]}"""), "");
        Assert.True(r.IsSuccess, r.ToString());
        Assert.Equal(0, items.Count); // not committed yet
        r.CommitCaptures();
        Assert.Equal("arm64", items.AsString());

        var any = new Capture();
        var failed = any.Test(null, "x");
        Assert.Equal("x: cannot capture null", Assert.Single(failed.Failures).ToString());
    }

    [Fact]
    public void Captured_values_as_array_and_boolean()
    {
        var template = Shop.Build().Template();
        var arch = new Capture();
        var raw = new Capture();
        template.HasResourceProperties("aws:lambda:Function", new D { ["architectures"] = arch });
        template.HasResourceProperties("aws:sns:TopicSubscription", new D { ["rawMessageDelivery"] = raw });
        Assert.Equal("arm64", Assert.Single(arch.AsArray())!.GetValue<string>());
        Assert.True(raw.AsBoolean());
    }
}
