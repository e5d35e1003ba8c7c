using System.Text;
using Lamina.Aws.Resources.Sqs;

namespace Lamina.Core.Tests;

public class LaminaAppTests
{
    private static (int Code, string Out, string Err) Run(string[] args, Action<App> define, Dictionary<string, string?>? env = null)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var vars = env ?? new() { ["PULUMI_CONFIG"] = """{"aws:region":"eu-west-1"}""", ["PULUMI_PROJECT"] = "shop", ["PULUMI_STACK"] = "dev", ["PULUMI_ROOT_DIRECTORY"] = Path.GetTempPath() };
        var code = LaminaApp.Run(args, define, stdout, stderr, k => vars.GetValueOrDefault(k));
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private static void Define(App app)
    {
        var stack = new Stack(app, "shop");
        Console.WriteLine("user code chatter must not reach stdout");
        new Queue(stack, "Orders");
    }

    [Fact]
    public void Synth_prints_only_the_program_on_stdout()
    {
        var (code, stdout, stderr) = Run(["synth"], Define);
        Assert.Equal(0, code);
        Assert.StartsWith("name: shop\nruntime: yaml\n", stdout);
        Assert.Contains("region: eu-west-1", stdout);
        Assert.DoesNotContain("chatter", stdout);
        Assert.Contains("chatter", stderr);
    }

    [Fact]
    public void Synth_with_out_writes_the_file_and_nothing_on_errors()
    {
        var file = Path.Combine(Path.GetTempPath(), "lamina-" + Guid.NewGuid().ToString("N"), "out.yaml");
        var (code, stdout, _) = Run(["synth", "--out", file], Define);
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        Assert.Contains("type: aws:sqs:Queue", File.ReadAllText(file));

        var bad = Path.Combine(Path.GetTempPath(), "lamina-" + Guid.NewGuid().ToString("N"), "out.yaml");
        var (badCode, _, err) = Run(["synth", "--out", bad], app =>
        {
            var stack = new Stack(app, "shop");
            var q = new Queue(stack, "Q");
            new QueuePolicy(stack, "P", new() { QueueUrl = "x" + q.Url, Policy = "{}" });
        });
        Assert.Equal(1, badCode);
        Assert.False(File.Exists(bad));
        Assert.Contains("shop/P", err);
    }

    [Fact]
    public void Validate_exits_non_zero_on_errors()
    {
        Assert.Equal(0, Run(["validate"], Define).Code);
        var (code, _, err) = Run(["validate"], app => new Stack(app, "shop").Config.Require("nope"));
        Assert.Equal(1, code);
        Assert.Contains("shop:nope", err);
    }

    [Fact]
    public void Ls_shows_the_tree_and_the_resources_of_each_construct()
    {
        var (code, stdout, _) = Run(["ls"], app =>
        {
            var stack = new Stack(app, "shop");
            new Queue(new Construct(stack, "Billing"), "Queue");
        });
        Assert.Equal(0, code);
        Assert.Contains("shop  (Stack)", stdout);
        Assert.Contains("├─ Billing  (Construct)", stdout);
        Assert.Contains("│  └─ Queue  [aws:sqs:Queue] Billing-Queue", stdout);
    }

    [Fact]
    public void Unknown_commands_and_options_are_usage_errors()
    {
        Assert.Equal(2, Run(["deploy"], Define).Code);
        var (code, _, err) = Run(["synth", "--bogus"], Define);
        Assert.Equal(2, code);
        Assert.Contains("--bogus", err);
    }

    [Fact]
    public void Without_PULUMI_CONFIG_the_stack_file_is_read_and_a_missing_key_names_it()
    {
        var root = Directory.CreateTempSubdirectory().FullName;
        File.WriteAllText(Path.Combine(root, "Pulumi.yaml"), "name: shop\nruntime: yaml\nstackConfigDir: stacks\n");
        Directory.CreateDirectory(Path.Combine(root, "stacks"));
        File.WriteAllText(Path.Combine(root, "stacks", "Pulumi.prod.yaml"), "config:\n  shop:x: y\n");
        var (code, _, err) = Run(["synth", "--stack", "prod"], Define, new() { ["PULUMI_ROOT_DIRECTORY"] = root });
        Assert.Equal(1, code);
        Assert.Contains("'aws:region'", err);
        Assert.Contains("stacks/Pulumi.prod.yaml", err);
    }
}
