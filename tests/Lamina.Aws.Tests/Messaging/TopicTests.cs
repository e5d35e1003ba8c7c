using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Aws.Semantics.Messaging;
using Lamina.Aws.Tests.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using D = System.Collections.Generic.Dictionary<string, object?>;
using Function = Lamina.Aws.Lambda.Function;

namespace Lamina.Aws.Tests.Messaging;

public class TopicTests
{
    private static D SnsMaySend(string queue, string topic) => new()
    {
        ["Effect"] = "Allow",
        ["Principal"] = new D { ["Service"] = "sns.amazonaws.com" },
        ["Action"] = "sqs:SendMessage",
        ["Resource"] = "${" + queue + ".arn}",
        ["Condition"] = new D { ["ArnEquals"] = new D { ["aws:SourceArn"] = "${" + topic + ".arn}" } },
    };

    [Fact]
    public void A_standard_topic_is_auto_named_and_unencrypted_by_default()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders", new() { DisplayName = "Orders" });
        var template = Template.From(stack);
        template.HasResourceProperties("aws:sns:Topic", Match.ObjectEquals(new D { ["displayName"] = "Orders" }));
        Assert.Null(topic.TopicName);
        Assert.Equal("sns:Publish", ((IDeadLetterTarget)topic).SendAction);
    }

    [Fact]
    public void A_stack_of_topics_and_subscriptions_is_deployable_without_broad_wildcards()
    {
        var stack = TestStacks.Create();
        var orders = new Topic(stack, "Orders", new() { KmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" });
        orders.Subscribe(new Queue(stack, "Billing"), new() { Filter = Filter.Attribute("type", "created").And(Filter.Numeric("amount", ">", 0)), RawMessageDelivery = true });
        orders.Subscribe(new Function<NotifyCustomer>(stack, "Notify"), new() { Filter = Filter.Within("order", Filter.Prefix("status", "pa")), FilterPolicyScope = FilterPolicyScope.MessageBody });
        orders.GrantPublish(new Function<GetOrder>(stack, "Publisher"));
        var ledger = new Topic(stack, "Ledger", new() { Fifo = true, ContentBasedDeduplication = true });
        ledger.Subscribe(new Queue(stack, "LedgerCopy", new() { Fifo = true }));
        ledger.Subscribe(new Queue(stack, "LedgerAudit"));
        new Function<ValidateOrder>(stack, "Validate", new() { DeadLetterTarget = orders });
        var template = Template.From(stack);
        Assert.Empty(template.Warnings);
        template.ResourceCountIs("aws:sns:TopicSubscription", 4);
        template.ResourceCountIs("aws:sqs:QueuePolicy", 3);
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void A_fifo_topic_is_named_after_its_path_with_the_fifo_suffix()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Ledger", new() { Fifo = true, ContentBasedDeduplication = true, KmsKey = "alias/aws/sns" });
        Assert.Equal("shop-dev-Ledger.fifo", topic.TopicName);
        Template.From(stack).HasResourceProperties("aws:sns:Topic", Match.ObjectEquals(new D
        {
            ["name"] = "shop-dev-Ledger.fifo",
            ["fifoTopic"] = true,
            ["contentBasedDeduplication"] = true,
            ["kmsMasterKeyId"] = "alias/aws/sns",
        }));
    }

    [Fact]
    public void Topic_props_are_validated()
    {
        var stack = TestStacks.Create();
        new Topic(stack, "Dedup", new() { ContentBasedDeduplication = true });
        new Topic(stack, "Display", new() { DisplayName = new string('d', 101) });
        new Topic(stack, "Long", new() { Fifo = true, Name = new string('t', 252) });
        var e = TestStacks.SynthFails(stack);
        Assert.Equal(3, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Path == "shop/Dedup" && x.Property == "ContentBasedDeduplication" && x.Message.Contains("FIFO topics only"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Display" && x.Property == "DisplayName" && x.Message.Contains("at most 100"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Long" && x.Property == "Name" && x.Message.Contains("257 characters") && x.Message.Contains("at most 256"));
    }

    [Fact]
    public void Subscribing_a_queue_creates_the_subscription_and_a_queue_policy_admitting_only_this_topic()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders");
        var queue = new Queue(stack, "Billing");
        var sub = topic.Subscribe(queue, new() { Filter = Filter.Attribute("type", "created"), RawMessageDelivery = true });
        var template = Template.From(stack);
        template.HasResource("aws:sns:TopicSubscription", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["topic"] = "${Orders.arn}",
                ["protocol"] = "sqs",
                ["endpoint"] = "${Billing.arn}",
                ["filterPolicy"] = "{\"type\":[\"created\"]}",
                ["filterPolicyScope"] = "MessageAttributes",
                ["rawMessageDelivery"] = true,
            }),
            ["options"] = new D { ["dependsOn"] = new[] { "${Billing-Policy}" } },
        });
        Assert.Equal("Orders-ToBilling", sub.Resource.LogicalName);
        template.ResourceCountIs("aws:sqs:QueuePolicy", 1);
        template.HasResourceProperties("aws:sqs:QueuePolicy", Match.ObjectEquals(new D
        {
            ["queueUrl"] = "${Billing.url}",
            ["policy"] = Match.Json(Match.ObjectEquals(new D
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[] { SnsMaySend("Billing", "Orders") },
            })),
        }));
        Assert.Same(queue.Policy, sub.Resource.Options.DependsOn.Single());
    }

    [Fact]
    public void Two_topics_share_one_queue_policy_with_a_statement_each()
    {
        var stack = TestStacks.Create();
        var queue = new Queue(stack, "Audit");
        new Topic(stack, "Orders").Subscribe(queue);
        new Topic(stack, "Refunds").Subscribe(queue);
        var template = Template.From(stack);
        template.ResourceCountIs("aws:sqs:QueuePolicy", 1);
        template.HasResourceProperties("aws:sqs:QueuePolicy", new D
        {
            ["policy"] = Match.Json(Match.ObjectEquals(new D
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[] { SnsMaySend("Audit", "Orders"), SnsMaySend("Audit", "Refunds") },
            })),
        });
        // No filter: neither filterPolicy nor filterPolicyScope is written.
        template.AllResourcesProperties("aws:sns:TopicSubscription", new D { ["filterPolicy"] = Match.Absent(), ["filterPolicyScope"] = Match.Absent(), ["rawMessageDelivery"] = Match.Absent() });
    }

    [Fact]
    public void Subscribing_a_dotnet_function_creates_a_lambda_subscription_and_a_permission_scoped_to_the_topic()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders");
        var notify = new Function<NotifyCustomer>(stack, "Notify");
        var sub = topic.Subscribe(notify, new() { Filter = Filter.Within("order", Filter.Attribute("status", "paid")), FilterPolicyScope = FilterPolicyScope.MessageBody });
        var template = Template.From(stack);
        template.HasResource("aws:sns:TopicSubscription", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["topic"] = "${Orders.arn}",
                ["protocol"] = "lambda",
                ["endpoint"] = "${Notify.arn}",
                ["filterPolicy"] = "{\"order\":{\"status\":[\"paid\"]}}",
                ["filterPolicyScope"] = "MessageBody",
            }),
            ["options"] = new D { ["dependsOn"] = new[] { "${Orders-InvokeNotify}" } },
        });
        template.HasResourceProperties("aws:lambda:Permission", Match.ObjectEquals(new D
        {
            ["action"] = "lambda:InvokeFunction",
            ["function"] = "${Notify.name}",
            ["principal"] = "sns.amazonaws.com",
            ["sourceArn"] = "${Orders.arn}",
        }));
        Assert.NotNull(sub.Permission);
    }

    [Fact]
    public void A_function_in_another_language_must_declare_sns()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders");
        topic.Subscribe(new Function(stack, "Ok", new CodeFunctionProps { Code = "a", Runtime = Runtime.NodeJs22, Handler = "a.handler", Handles = EventSources.Sns }));
        topic.Subscribe(new Function(stack, "Wrong", new CodeFunctionProps { Code = "b", Runtime = Runtime.NodeJs22, Handler = "b.handler", Handles = EventSources.Sqs }));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Orders", error.Path);
        Assert.Contains("shop/Wrong", error.Message);
        Assert.Contains("Sns", error.Message);
    }

    [Fact]
    public void A_fifo_queue_cannot_subscribe_to_a_standard_topic_but_a_fifo_topic_may_deliver_to_a_standard_queue()
    {
        var stack = TestStacks.Create();
        new Topic(stack, "Orders").Subscribe(new Queue(stack, "Ledger", new() { Fifo = true }));
        new Topic(stack, "FifoOrders", new() { Fifo = true }).Subscribe(new Queue(stack, "Standard"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Orders", "Subscription"), (error.Path, error.Property));
        Assert.Contains("FIFO queue shop/Ledger", error.Message);
        Assert.Contains("only from SNS FIFO topics", error.Message);
    }

    [Fact]
    public void A_fifo_topic_cannot_deliver_to_a_function()
    {
        var stack = TestStacks.Create();
        new Topic(stack, "Ledger", new() { Fifo = true }).Subscribe(new Function<NotifyCustomer>(stack, "Notify"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Ledger", "Subscription"), (error.Path, error.Property));
        Assert.Contains("deliver only to SQS queues", error.Message);
    }

    [Fact]
    public void Raw_delivery_to_a_function_is_an_error()
    {
        var stack = TestStacks.Create();
        new Topic(stack, "Orders").Subscribe(new Function<NotifyCustomer>(stack, "Notify"), new() { RawMessageDelivery = true });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Orders", "RawMessageDelivery"), (error.Path, error.Property));
        Assert.Contains("only to SQS, HTTP(S) and Firehose", error.Message);
    }

    [Fact]
    public void Subscribing_one_endpoint_twice_is_an_error()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders");
        var q = new Queue(stack, "Billing");
        topic.Subscribe(q, new() { Filter = Filter.Attribute("type", "a") });
        topic.Subscribe(q, new() { Filter = Filter.Attribute("type", "b") });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Orders", "Subscription"), (error.Path, error.Property));
        Assert.Contains("already subscribed", error.Message);
    }

    [Fact]
    public void Kms_encrypted_queues_aws_managed_key_is_an_error_customer_key_a_warning()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders");
        topic.Subscribe(new Queue(stack, "Managed", new() { Encryption = QueueEncryption.KmsManaged }));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Orders", "Subscription"), (error.Path, error.Property));
        Assert.Contains("alias/aws/sqs", error.Message);

        var stack2 = TestStacks.Create();
        new Topic(stack2, "Orders").Subscribe(new Queue(stack2, "Cmk", new() { Encryption = QueueEncryption.Kms("arn:aws:kms:us-east-1:123456789012:key/k") }));
        var warning = Assert.Single(Template.From(stack2).Warnings);
        Assert.Equal(("shop/Orders", "Subscription"), (warning.Path, warning.Property));
        Assert.Contains("sns.amazonaws.com", warning.Message);
    }

    [Fact]
    public void Every_filter_policy_error_is_reported_with_its_json_path()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders");
        topic.Subscribe(new Queue(stack, "Billing"), new() { Filter = Filter.Numeric("price", "~", 5).And(Filter.Attribute("store")) });
        var e = TestStacks.SynthFails(stack);
        Assert.All(e.Errors, x => Assert.Equal(("shop/Orders", "FilterPolicy"), (x.Path, x.Property)));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Message.Contains("shop/Billing") && x.Message.Contains("$.price[0].numeric[0]") && x.Message.Contains("=, <, <=, > and >="));
        Assert.Contains(e.Errors, x => x.Message.Contains("$.store") && x.Message.Contains("empty arrays are not allowed"));
    }

    [Fact]
    public void A_nested_policy_is_valid_for_the_body_and_invalid_for_attributes()
    {
        var nested = Filter.Within("order", Filter.Attribute("status", "paid"));
        var ok = TestStacks.Create();
        new Topic(ok, "Orders").Subscribe(new Queue(ok, "Billing"), new() { Filter = nested, FilterPolicyScope = FilterPolicyScope.MessageBody });
        ok.Synth();

        var bad = TestStacks.Create();
        new Topic(bad, "Orders").Subscribe(new Queue(bad, "Billing"), new() { Filter = nested });
        var error = Assert.Single(TestStacks.SynthFails(bad).Errors);
        Assert.Equal("FilterPolicy", error.Property);
        Assert.Contains("MessageAttributes scope", error.Message);
        Assert.Contains("$.order", error.Message);
    }

    [Fact]
    public void A_filter_changed_by_a_transform_is_validated()
    {
        var stack = TestStacks.Create();
        new Topic(stack, "Orders").Subscribe(new Queue(stack, "Billing"), new() { Transform = a => a.FilterPolicy = "{}" });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Orders", "FilterPolicy"), (error.Path, error.Property));
        Assert.Contains("empty object", error.Message);
    }

    [Fact]
    public void GrantPublish_grants_exactly_publish_on_the_topic_and_a_key_arn_when_encrypted()
    {
        var stack = TestStacks.Create();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var plain = new Topic(stack, "Orders");
        var secret = new Topic(stack, "Payments", new() { KmsKey = key });
        var publisher = new Function<GetOrder>(stack, "Publisher");
        plain.GrantPublish(publisher);
        secret.GrantPublish(publisher);
        Template.From(stack).HasResourceProperties("aws:iam:RolePolicy", new D
        {
            ["role"] = "${Publisher-Role.id}",
            ["policy"] = Match.Json(Match.ObjectEquals(new D
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new D { ["Effect"] = "Allow", ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" }, ["Resource"] = "${Publisher-LogGroup.arn}:*" },
                    new D { ["Effect"] = "Allow", ["Action"] = "sns:Publish", ["Resource"] = "${Orders.arn}" },
                    new D { ["Effect"] = "Allow", ["Action"] = "sns:Publish", ["Resource"] = "${Payments.arn}" },
                    new D { ["Effect"] = "Allow", ["Action"] = new[] { "kms:GenerateDataKey", "kms:Decrypt" }, ["Resource"] = key },
                },
            })),
        });
    }

    [Fact]
    public void A_custom_key_alias_cannot_be_granted_and_warns()
    {
        var stack = TestStacks.Create();
        new Topic(stack, "Orders", new() { KmsKey = "alias/orders" }).GrantPublish(new Function<GetOrder>(stack, "Publisher"));
        var warning = Assert.Single(Template.From(stack).Warnings);
        Assert.Equal(("shop/Orders", "KmsKey"), (warning.Path, warning.Property));
    }

    [Fact]
    public void A_topic_is_a_function_dead_letter_target()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Failures");
        new Function<ValidateOrder>(stack, "Validate", new() { DeadLetterTarget = topic });
        var template = Template.From(stack);
        template.HasResourceProperties("aws:lambda:Function", new D { ["deadLetterConfig"] = new D { ["targetArn"] = "${Failures.arn}" } });
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"${Failures.arn}\"}", template.FindResources("aws:iam:RolePolicy")["Validate-Role-Policy"].ToJsonString());
    }

    [Fact]
    public void Transforms_adjust_the_topic_and_the_subscription()
    {
        var stack = TestStacks.Create();
        var topic = new Topic(stack, "Orders", new() { Transform = new() { Topic = a => a.SignatureVersion = 2 } });
        topic.Subscribe(new Queue(stack, "Billing"), new() { Transform = a => a.ConfirmationTimeoutInMinutes = 2 });
        var t = Template.From(stack);
        t.HasResourceProperties("aws:sns:Topic", new D { ["signatureVersion"] = 2 });
        t.HasResourceProperties("aws:sns:TopicSubscription", new D { ["confirmationTimeoutInMinutes"] = 2 });
    }
}
