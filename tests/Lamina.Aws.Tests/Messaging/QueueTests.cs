using Lamina.Aws.Iam;
using Lamina.Aws.Lambda;
using Lamina.Aws.Messaging;
using Lamina.Aws.Tests.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using Lamina.Values;
using D = System.Collections.Generic.Dictionary<string, object?>;
using Function = Lamina.Aws.Lambda.Function;

namespace Lamina.Aws.Tests.Messaging;

public class QueueTests
{
    [Fact]
    public void A_standard_queue_writes_documented_defaults_and_is_deployable()
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Jobs");
        var template = Template.From(stack);
        template.ResourceCountIs("aws:sqs:Queue", 1);
        template.ResourceCountIs("aws:sqs:QueuePolicy", 0);
        template.HasResourceProperties("aws:sqs:Queue", Match.ObjectEquals(new D
        {
            ["visibilityTimeoutSeconds"] = 30,
            ["messageRetentionSeconds"] = 345600,
            ["sqsManagedSseEnabled"] = true,
        }));
        Assert.Null(q.QueueName);
        Assert.False(q.IsFifo);
        Assert.Equal("sqs:SendMessage", ((IDeadLetterTarget)q).SendAction);
    }

    [Fact]
    public void A_stack_of_queues_triggers_and_grants_is_deployable_without_broad_wildcards()
    {
        var stack = TestStacks.Create();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var paymentsFailed = new Queue(stack, "PaymentsFailed", new() { Fifo = true });
        var payments = new Queue(stack, "Payments", new() { Fifo = true, ContentBasedDeduplication = true, DeadLetterQueue = new() { Queue = paymentsFailed } });
        var jobsFailed = new Queue(stack, "JobsFailed", new() { RetentionPeriod = TimeSpan.FromDays(14), Encryption = QueueEncryption.Unencrypted });
        var jobs = new Queue(stack, "Jobs", new()
        {
            VisibilityTimeout = TimeSpan.FromSeconds(60),
            DeliveryDelay = TimeSpan.FromSeconds(5),
            ReceiveMessageWaitTime = TimeSpan.FromSeconds(20),
            MaxMessageSize = 65_536,
            Encryption = QueueEncryption.Kms(key),
            DeadLetterQueue = new() { Queue = jobsFailed, MaxReceiveCount = 4 },
        });
        jobs.Trigger(new Function<ShipOrder>(stack, "Ship", new() { Timeout = TimeSpan.FromSeconds(10) }), new() { BatchSize = 100, MaxBatchingWindow = TimeSpan.FromSeconds(5), MaxConcurrency = 5 });
        payments.Trigger(new Function<ChargeCustomer>(stack, "Charge"));
        jobs.GrantSend(new Function<GetOrder>(stack, "Sender"));
        payments.GrantConsume(new Function<ValidateOrder>(stack, "Consumer"));
        jobs.AddToResourcePolicy(new PolicyStatement
        {
            Actions = ["sqs:SendMessage"],
            Resources = [jobs.Arn],
            Principal = new D { ["Service"] = "events.amazonaws.com" },
            Conditions = new Dictionary<string, IReadOnlyDictionary<string, object?>> { ["ArnEquals"] = new D { ["aws:SourceArn"] = "arn:aws:events:us-east-1:123456789012:rule/nightly" } },
        });
        var template = Template.From(stack);
        Assert.Empty(template.Warnings);
        template.ResourceCountIs("aws:sqs:Queue", 4);
        template.ResourceCountIs("aws:lambda:EventSourceMapping", 2);
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void Every_property_is_written()
    {
        var stack = TestStacks.Create();
        new Queue(stack, "Jobs", new()
        {
            VisibilityTimeout = TimeSpan.FromMinutes(2),
            RetentionPeriod = TimeSpan.FromDays(14),
            DeliveryDelay = TimeSpan.FromSeconds(15),
            ReceiveMessageWaitTime = TimeSpan.FromSeconds(20),
            MaxMessageSize = 1_048_576,
            Encryption = QueueEncryption.Kms("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", TimeSpan.FromMinutes(10)),
        });
        Template.From(stack).HasResourceProperties("aws:sqs:Queue", Match.ObjectEquals(new D
        {
            ["visibilityTimeoutSeconds"] = 120,
            ["messageRetentionSeconds"] = 1_209_600,
            ["delaySeconds"] = 15,
            ["receiveWaitTimeSeconds"] = 20,
            ["maxMessageSize"] = 1_048_576,
            ["kmsMasterKeyId"] = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ["kmsDataKeyReusePeriodSeconds"] = 600,
        }));
    }

    [Fact]
    public void Unencrypted_and_aws_managed_key_queues()
    {
        var stack = TestStacks.Create();
        new Queue(stack, "Plain", new() { Encryption = QueueEncryption.Unencrypted });
        new Queue(stack, "Managed", new() { Encryption = QueueEncryption.KmsManaged });
        var resources = Template.From(stack).FindResources("aws:sqs:Queue");
        Assert.Equal("false", resources["Plain"]["properties"]!["sqsManagedSseEnabled"]!.ToJsonString());
        Assert.Equal("\"alias/aws/sqs\"", resources["Managed"]["properties"]!["kmsMasterKeyId"]!.ToJsonString());
        Assert.Null(resources["Managed"]["properties"]!["sqsManagedSseEnabled"]);
    }

    [Fact]
    public void A_fifo_queue_is_named_after_its_path_with_the_fifo_suffix()
    {
        var stack = TestStacks.Create();
        var q = new Queue(new Construct(stack, "Orders"), "Payments", new() { Fifo = true, ContentBasedDeduplication = true });
        Assert.Equal("shop-dev-Orders-Payments.fifo", q.QueueName);
        Template.From(stack).HasResourceProperties("aws:sqs:Queue", new D
        {
            ["name"] = "shop-dev-Orders-Payments.fifo",
            ["fifoQueue"] = true,
            ["contentBasedDeduplication"] = true,
        });
    }

    [Fact]
    public void A_long_fifo_name_is_cut_with_a_hash_to_80_characters_including_the_suffix()
    {
        var stack = TestStacks.Create();
        var scope = new Construct(new Construct(stack, new string('A', 40)), new string('B', 40));
        var q = new Queue(scope, "Payments", new() { Fifo = true });
        var other = new Queue(new Construct(new Construct(stack, new string('A', 40) + "x"), new string('B', 40)), "Payments", new() { Fifo = true });
        Assert.Equal(80, q.QueueName!.Length);
        Assert.EndsWith(".fifo", q.QueueName);
        Assert.StartsWith("shop-dev-AAAA", q.QueueName);
        Assert.NotEqual(q.QueueName, other.QueueName);
        stack.Synth();
    }

    [Fact]
    public void An_explicit_name_gets_the_fifo_suffix_and_is_checked()
    {
        var stack = TestStacks.Create();
        var ok = new Queue(stack, "Ok", new() { Fifo = true, Name = "payments" });
        Assert.Equal("payments.fifo", ok.QueueName);
        new Queue(stack, "TooLong", new() { Fifo = true, Name = new string('p', 76) });
        new Queue(stack, "BadChars", new() { Name = "pay ments" });
        new Queue(stack, "StandardFifo", new() { Name = "orders.fifo" });
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/TooLong" && x.Property == "Name" && x.Message.Contains("81 characters") && x.Message.Contains("at most 80"));
        Assert.Contains(e.Errors, x => x.Path == "shop/BadChars" && x.Property == "Name" && x.Message.Contains("letters, digits, '-' and '_'"));
        Assert.Contains(e.Errors, x => x.Path == "shop/StandardFifo" && x.Property == "Name" && x.Message.Contains("only FIFO queues"));
        Assert.DoesNotContain(e.Errors, x => x.Path == "shop/Ok");
        Assert.Equal(3, e.Errors.Count);
    }

    [Fact]
    public void A_name_changed_by_a_transform_is_checked_too()
    {
        var stack = TestStacks.Create();
        new Queue(stack, "Jobs", new() { Transform = new() { Queue = a => a.Name = new string('j', 81) } });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Jobs", "Name"), (error.Path, error.Property));
        Assert.Contains("at most 80", error.Message);
    }

    public static TheoryData<string, QueueProps, string> OutOfRange() => new()
    {
        { "VisibilityTimeout", new QueueProps { VisibilityTimeout = TimeSpan.FromSeconds(43_201) }, "0-43,200 seconds" },
        { "VisibilityTimeout", new QueueProps { VisibilityTimeout = TimeSpan.FromMilliseconds(1500) }, "whole seconds" },
        { "RetentionPeriod", new QueueProps { RetentionPeriod = TimeSpan.FromSeconds(59) }, "60-1,209,600 seconds" },
        { "RetentionPeriod", new QueueProps { RetentionPeriod = TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1) }, "60-1,209,600 seconds" },
        { "DeliveryDelay", new QueueProps { DeliveryDelay = TimeSpan.FromSeconds(901) }, "0-900 seconds" },
        { "ReceiveMessageWaitTime", new QueueProps { ReceiveMessageWaitTime = TimeSpan.FromSeconds(21) }, "0-20 seconds" },
        { "MaxMessageSize", new QueueProps { MaxMessageSize = 1023 }, "1,024-1,048,576 bytes" },
        { "MaxMessageSize", new QueueProps { MaxMessageSize = 1_048_577 }, "1,024-1,048,576 bytes" },
        { "ContentBasedDeduplication", new QueueProps { ContentBasedDeduplication = true }, "FIFO queues only" },
        { "Encryption", new QueueProps { Encryption = QueueEncryption.Kms("alias/mine") }, "arn:aws:kms:<region>:<account>:key/<key id>" },
        { "Encryption", new QueueProps { Encryption = QueueEncryption.Kms("arn:aws:kms:us-east-1:123456789012:key/k", TimeSpan.FromSeconds(59)) }, "60-86,400 seconds" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Out_of_range_props_name_the_path_the_property_and_the_allowed_values(string property, QueueProps props, string allowed)
    {
        var stack = TestStacks.Create();
        new Queue(new Construct(stack, "Orders"), "Jobs", props);
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Orders/Jobs", error.Path);
        Assert.Equal(property, error.Property);
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void A_dead_letter_queue_is_the_redrive_policy()
    {
        var stack = TestStacks.Create();
        var dlq = new Queue(stack, "JobsFailed", new() { RetentionPeriod = TimeSpan.FromDays(14) });
        new Queue(stack, "Jobs", new() { DeadLetterQueue = new() { Queue = dlq, MaxReceiveCount = 3 } });
        var template = Template.From(stack);
        template.HasResourceProperties("aws:sqs:Queue", new D
        {
            ["redrivePolicy"] = Match.Json(Match.ObjectEquals(new D { ["deadLetterTargetArn"] = dlq.Arn, ["maxReceiveCount"] = 3 })),
        });
        Assert.Empty(template.Warnings);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void MaxReceiveCount_is_1_to_1000(int count)
    {
        var stack = TestStacks.Create();
        var dlq = new Queue(stack, "Dlq", new() { RetentionPeriod = TimeSpan.FromDays(14) });
        new Queue(stack, "Jobs", new() { DeadLetterQueue = new() { Queue = dlq, MaxReceiveCount = count } });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Jobs", "DeadLetterQueue"), (error.Path, error.Property));
        Assert.Contains("1-1,000", error.Message);
    }

    [Fact]
    public void Dead_letter_queues_must_match_fifo_and_standard()
    {
        var stack = TestStacks.Create();
        var standardDlq = new Queue(stack, "StandardDlq", new() { RetentionPeriod = TimeSpan.FromDays(14) });
        var fifoDlq = new Queue(stack, "FifoDlq", new() { Fifo = true });
        new Queue(stack, "FifoJobs", new() { Fifo = true, DeadLetterQueue = new() { Queue = standardDlq } });
        new Queue(stack, "Jobs", new() { DeadLetterQueue = new() { Queue = fifoDlq } });
        var e = TestStacks.SynthFails(stack);
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains(e.Errors, x => x.Path == "shop/FifoJobs" && x.Property == "DeadLetterQueue" && x.Message.Contains("must be a FIFO queue"));
        Assert.Contains(e.Errors, x => x.Path == "shop/Jobs" && x.Property == "DeadLetterQueue" && x.Message.Contains("must be a standard queue"));
    }

    [Fact]
    public void A_queue_cannot_be_its_own_dead_letter_queue()
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Jobs");
        q.Resource.Args.RedrivePolicy = Output.Json(new D { ["deadLetterTargetArn"] = q.Arn, ["maxReceiveCount"] = 3 });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors, x => x.Path == "shop/Jobs");
        Assert.Equal("DeadLetterQueue", error.Property);
        Assert.Contains("its own dead-letter queue", error.Message);
    }

    [Fact]
    public void A_dead_letter_chain_must_not_loop()
    {
        var stack = TestStacks.Create();
        var a = new Queue(stack, "A");
        var b = new Queue(stack, "B", new() { DeadLetterQueue = new() { Queue = a } });
        a.Resource.Args.RedrivePolicy = Output.Json(new D { ["deadLetterTargetArn"] = b.Arn, ["maxReceiveCount"] = 3 });
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/A" && x.Property == "DeadLetterQueue" && x.Message.Contains("cycle"));
    }

    [Fact]
    public void A_dead_letter_queue_that_does_not_outlive_its_source_is_a_warning()
    {
        var stack = TestStacks.Create();
        var dlq = new Queue(stack, "Dlq");
        new Queue(stack, "Jobs", new() { DeadLetterQueue = new() { Queue = dlq } });
        var warning = Assert.Single(Template.From(stack).Warnings);
        Assert.Equal(("shop/Jobs", "DeadLetterQueue"), (warning.Path, warning.Property));
        Assert.Contains("longer retention", warning.Message);
    }

    [Fact]
    public void Trigger_creates_the_event_source_mapping_and_grants_exactly_three_actions_on_the_queue()
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Shipments");
        var fn = new Function<ShipOrder>(stack, "Ship");
        var trigger = q.Trigger(fn, new() { BatchSize = 100, MaxBatchingWindow = TimeSpan.FromSeconds(5), MaxConcurrency = 20 });
        var template = Template.From(stack);
        template.ResourceCountIs("aws:lambda:EventSourceMapping", 1);
        template.HasResource("aws:lambda:EventSourceMapping", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["eventSourceArn"] = "${Shipments.arn}",
                ["functionName"] = "${Ship.arn}",
                ["batchSize"] = 100,
                ["maximumBatchingWindowInSeconds"] = 5,
                ["functionResponseTypes"] = new[] { "ReportBatchItemFailures" },
                ["scalingConfig"] = new D { ["maximumConcurrency"] = 20 },
                ["enabled"] = true,
            }),
            ["options"] = new D { ["dependsOn"] = new[] { "${Ship-Role-Policy}" } },
        });
        Assert.Equal("Shipments-Trigger-Ship", trigger.Mapping.LogicalName);
        template.HasResourceProperties("aws:iam:RolePolicy", new D
        {
            ["role"] = "${Ship-Role.id}",
            ["policy"] = Match.Json(Match.ObjectEquals(new D
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new D { ["Effect"] = "Allow", ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" }, ["Resource"] = "${Ship-LogGroup.arn}:*" },
                    new D { ["Effect"] = "Allow", ["Action"] = new[] { "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes" }, ["Resource"] = "${Shipments.arn}" },
                },
            })),
        });
        // The queue gets no policy from a trigger: Lambda polls with the function's role.
        template.ResourceCountIs("aws:sqs:QueuePolicy", 0);
        Assert.Empty(template.Warnings);
    }

    [Fact]
    public void A_function_in_another_language_reports_batch_failures_only_when_asked_and_must_declare_sqs()
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Jobs");
        var py = new Function(stack, "Worker", new CodeFunctionProps { Code = "w", Runtime = Runtime.Python313, Handler = "w.handler", Handles = EventSources.Sqs });
        var js = new Function(stack, "Reporter", new CodeFunctionProps { Code = "r", Runtime = Runtime.NodeJs22, Handler = "r.handler", Handles = EventSources.Sqs });
        q.Trigger(py);
        q.Trigger(js, new() { ReportBatchItemFailures = true, Enabled = false });
        var mappings = Template.From(stack).FindResources("aws:lambda:EventSourceMapping");
        Assert.Null(mappings["Jobs-Trigger-Worker"]["properties"]!["functionResponseTypes"]);
        Assert.Equal("[\"ReportBatchItemFailures\"]", mappings["Jobs-Trigger-Reporter"]["properties"]!["functionResponseTypes"]!.ToJsonString());
        Assert.Equal("false", mappings["Jobs-Trigger-Reporter"]["properties"]!["enabled"]!.ToJsonString());

        var stack2 = TestStacks.Create();
        var http = new Function(stack2, "Http", new CodeFunctionProps { Code = "h", Runtime = Runtime.Python313, Handler = "h.handler", Handles = EventSources.HttpApi });
        new Queue(stack2, "Jobs").Trigger(http);
        var error = Assert.Single(TestStacks.SynthFails(stack2).Errors);
        Assert.Equal("shop/Jobs", error.Path);
        Assert.Contains("shop/Http", error.Message);
        Assert.Contains("Sqs", error.Message);
    }

    [Fact]
    public void Triggering_twice_with_one_function_is_an_error()
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Jobs");
        var fn = new Function<ShipOrder>(stack, "Ship");
        q.Trigger(fn);
        q.Trigger(fn);
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Jobs", error.Path);
        Assert.Contains("one event source mapping per queue and function", error.Message);
    }

    [Fact]
    public void A_visibility_timeout_shorter_than_the_function_timeout_is_an_error_and_under_six_times_a_warning()
    {
        var stack = TestStacks.Create();
        var slow = new Function<ShipOrder>(stack, "Slow", new() { Timeout = TimeSpan.FromSeconds(60) });
        new Queue(stack, "Short").Trigger(slow);
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Short", "VisibilityTimeout"), (error.Path, error.Property));
        Assert.Contains("30 s is shorter than the timeout of function shop/Slow (60 s)", error.Message);
        Assert.Contains("at least 60 s", error.Message);
        Assert.Contains("360 s", error.Message);

        var stack2 = TestStacks.Create();
        var fn = new Function<ShipOrder>(stack2, "Ship", new() { Timeout = TimeSpan.FromSeconds(10) });
        new Queue(stack2, "Jobs").Trigger(fn);
        var warning = Assert.Single(Template.From(stack2).Warnings);
        Assert.Equal(("shop/Jobs", "VisibilityTimeout"), (warning.Path, warning.Property));
        Assert.Contains("60 s", warning.Message);

        var stack3 = TestStacks.Create();
        new Queue(stack3, "Jobs", new() { VisibilityTimeout = TimeSpan.FromSeconds(60) }).Trigger(new Function<ShipOrder>(stack3, "Ship", new() { Timeout = TimeSpan.FromSeconds(10) }));
        Assert.Empty(Template.From(stack3).Warnings);
    }

    [Theory]
    [InlineData(false, 11, 0, "MaxBatchingWindow", "at least 1 s")]
    [InlineData(true, 11, 0, "BatchSize", "1-10 messages per batch from FIFO queues")]
    [InlineData(true, 10, 5, "MaxBatchingWindow", "does not support batching windows on FIFO queues")]
    [InlineData(false, 0, 0, "BatchSize", "1-10,000")]
    [InlineData(false, 10_001, 1, "BatchSize", "1-10,000")]
    [InlineData(false, 10, 301, "MaxBatchingWindow", "0-300 seconds")]
    public void Batch_rules_are_checked(bool fifo, int batch, int window, string property, string allowed)
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Jobs", new() { Fifo = fifo });
        q.Trigger(new Function<ShipOrder>(stack, "Ship"), new() { BatchSize = batch, MaxBatchingWindow = TimeSpan.FromSeconds(window) });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Jobs", property), (error.Path, error.Property));
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void A_batch_above_ten_with_a_window_is_accepted()
    {
        var stack = TestStacks.Create();
        new Queue(stack, "Jobs").Trigger(new Function<ShipOrder>(stack, "Ship"), new() { BatchSize = 10_000, MaxBatchingWindow = TimeSpan.FromSeconds(1) });
        stack.Synth();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1001)]
    public void MaxConcurrency_is_2_to_1000(int max)
    {
        var stack = TestStacks.Create();
        new Queue(stack, "Jobs").Trigger(new Function<ShipOrder>(stack, "Ship"), new() { MaxConcurrency = max });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Jobs", "MaxConcurrency"), (error.Path, error.Property));
        Assert.Contains("2-1,000", error.Message);
    }

    [Fact]
    public void Batch_size_changed_by_a_transform_is_checked()
    {
        var stack = TestStacks.Create();
        new Queue(stack, "Jobs", new() { Fifo = true }).Trigger(new Function<ShipOrder>(stack, "Ship"), new() { Transform = a => a.BatchSize = 50 });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("BatchSize", error.Property);
    }

    [Fact]
    public void GrantSend_and_GrantConsume_name_the_queue_and_a_customer_key_only()
    {
        var stack = TestStacks.Create();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var q = new Queue(stack, "Jobs", new() { Encryption = QueueEncryption.Kms(key) });
        var sender = new Function<GetOrder>(stack, "Sender");
        var consumer = new Function<ValidateOrder>(stack, "Consumer");
        var worker = new Function<ShipOrder>(stack, "Worker");
        q.GrantSend(sender);
        q.GrantConsume(consumer);
        q.Trigger(worker);
        var policies = Template.From(stack).FindResources("aws:iam:RolePolicy");
        string Statements(string name) => policies[name]["properties"]!["policy"]!["fn::toJSON"]!["Statement"]!.ToJsonString();
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":[\"sqs:SendMessage\",\"sqs:GetQueueUrl\"],\"Resource\":\"${Jobs.arn}\"}", Statements("Sender-Role-Policy"));
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"" + key + "\"}", Statements("Sender-Role-Policy"));
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":[\"sqs:ReceiveMessage\",\"sqs:ChangeMessageVisibility\",\"sqs:DeleteMessage\",\"sqs:GetQueueAttributes\",\"sqs:GetQueueUrl\"],\"Resource\":\"${Jobs.arn}\"}", Statements("Consumer-Role-Policy"));
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + key + "\"}", Statements("Consumer-Role-Policy"));
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"" + key + "\"}", Statements("Worker-Role-Policy"));
        Assert.DoesNotContain("sqs:SendMessage", Statements("Consumer-Role-Policy"));
        Assert.DoesNotContain("sqs:ReceiveMessage", Statements("Sender-Role-Policy"));
    }

    [Fact]
    public void A_queue_is_a_function_dead_letter_target_and_a_kms_queue_grants_its_key()
    {
        var stack = TestStacks.Create();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var dlq = new Queue(stack, "Failed", new() { Encryption = QueueEncryption.Kms(key) });
        new Function<ValidateOrder>(stack, "Validate", new() { DeadLetterTarget = dlq });
        var template = Template.From(stack);
        template.HasResourceProperties("aws:lambda:Function", new D { ["deadLetterConfig"] = new D { ["targetArn"] = "${Failed.arn}" } });
        var policy = template.FindResources("aws:iam:RolePolicy")["Validate-Role-Policy"].ToJsonString();
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"${Failed.arn}\"}", policy);
        Assert.Contains("{\"Effect\":\"Allow\",\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"" + key + "\"}", policy);
    }

    [Fact]
    public void Transforms_adjust_the_queue_the_policy_and_the_mapping()
    {
        var stack = TestStacks.Create();
        var q = new Queue(stack, "Jobs", new() { Transform = new() { Queue = a => a.FifoThroughputLimit = "perQueue", Policy = a => a.Region = "us-east-1" } });
        q.AddToResourcePolicy(new PolicyStatement
        {
            Actions = ["sqs:SendMessage"],
            Resources = [q.Arn],
            Principal = new D { ["Service"] = "events.amazonaws.com" },
        });
        q.Trigger(new Function<ShipOrder>(stack, "Ship"), new() { Transform = a => a.MaximumRetryAttempts = 2 });
        var t = Template.From(stack);
        t.HasResourceProperties("aws:sqs:Queue", new D { ["fifoThroughputLimit"] = "perQueue" });
        t.HasResourceProperties("aws:sqs:QueuePolicy", new D { ["region"] = "us-east-1", ["queueUrl"] = "${Jobs.url}" });
        t.HasResourceProperties("aws:lambda:EventSourceMapping", new D { ["maximumRetryAttempts"] = 2 });
    }
}
