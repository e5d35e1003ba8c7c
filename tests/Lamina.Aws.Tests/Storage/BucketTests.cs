using Lamina.Aws.Lambda;
using Lamina.Aws.Storage;
using Lamina.Aws.Tests.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Aws.Tests.Storage;

public class BucketTests
{
    private static void AssertChecks(Stack stack)
    {
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
        Assert.DoesNotContain("deprecated", check.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_bucket_has_secure_defaults_in_separate_non_deprecated_resources()
    {
        var stack = TestStacks.Create();
        new Bucket(stack, "Uploads");
        var t = Template.From(stack);
        t.ResourceCountIs("aws:s3:Bucket", 1);
        t.ResourceCountIs("aws:s3:BucketPublicAccessBlock", 1);
        t.ResourceCountIs("aws:s3:BucketServerSideEncryptionConfiguration", 1);
        t.ResourceCountIs("aws:s3:BucketOwnershipControls", 1);
        t.ResourceCountIs("aws:s3:BucketVersioning", 0);
        t.ResourceCountIs("aws:s3:BucketLifecycleConfiguration", 0);
        t.ResourceCountIs("aws:s3:BucketNotification", 0);
        // Only forceDestroy: no deprecated inline configuration (acl, versioning, lifecycleRules, ...) and no fixed name.
        t.HasResourceProperties("aws:s3:Bucket", Match.ObjectEquals(new D { ["forceDestroy"] = false }));
        Assert.Contains("Uploads", t.FindResources("aws:s3:Bucket").Keys);
        t.HasResourceProperties("aws:s3:BucketPublicAccessBlock", Match.ObjectEquals(new D
        {
            ["bucket"] = "${Uploads.bucket}",
            ["blockPublicAcls"] = true,
            ["blockPublicPolicy"] = true,
            ["ignorePublicAcls"] = true,
            ["restrictPublicBuckets"] = true,
        }));
        t.HasResourceProperties("aws:s3:BucketServerSideEncryptionConfiguration", Match.ObjectEquals(new D
        {
            ["bucket"] = "${Uploads.bucket}",
            ["rules"] = new[] { new D { ["applyServerSideEncryptionByDefault"] = new D { ["sseAlgorithm"] = "AES256" } } },
        }));
        t.HasResourceProperties("aws:s3:BucketOwnershipControls", Match.ObjectEquals(new D
        {
            ["bucket"] = "${Uploads.bucket}",
            ["rule"] = new D { ["objectOwnership"] = "BucketOwnerEnforced" },
        }));
        Assert.Contains("Uploads-PublicAccessBlock", t.FindResources("aws:s3:BucketPublicAccessBlock").Keys);
        AssertChecks(stack);
    }

    [Fact]
    public void Props_adjust_name_encryption_ownership_public_access_versioning_and_lifecycle()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Archive", new()
        {
            BucketName = "shop-archive.dev-1",
            ForceDestroy = true,
            BlockPublicAccess = false,
            Encryption = BucketEncryption.Kms,
            KmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ObjectOwnership = ObjectOwnership.BucketOwnerPreferred,
            Versioned = true,
            ExpireObjectsAfterDays = 30,
            NoncurrentVersionExpirationDays = 7,
        });
        var t = Template.From(stack);
        t.HasResourceProperties("aws:s3:Bucket", Match.ObjectEquals(new D { ["bucket"] = "shop-archive.dev-1", ["forceDestroy"] = true }));
        t.HasResourceProperties("aws:s3:BucketPublicAccessBlock", new D
        {
            ["blockPublicAcls"] = false, ["blockPublicPolicy"] = false, ["ignorePublicAcls"] = false, ["restrictPublicBuckets"] = false,
        });
        t.HasResourceProperties("aws:s3:BucketServerSideEncryptionConfiguration", new D
        {
            ["rules"] = Match.ArrayEquals(new D
            {
                ["applyServerSideEncryptionByDefault"] = Match.ObjectEquals(new D
                {
                    ["sseAlgorithm"] = "aws:kms",
                    ["kmsMasterKeyId"] = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                }),
                ["bucketKeyEnabled"] = true,
            }),
        });
        t.HasResourceProperties("aws:s3:BucketOwnershipControls", new D { ["rule"] = new D { ["objectOwnership"] = "BucketOwnerPreferred" } });
        t.HasResourceProperties("aws:s3:BucketVersioning", Match.ObjectEquals(new D
        {
            ["bucket"] = "${Archive.bucket}",
            ["versioningConfiguration"] = new D { ["status"] = "Enabled" },
        }));
        t.HasResource("aws:s3:BucketLifecycleConfiguration", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["bucket"] = "${Archive.bucket}",
                ["rules"] = Match.ArrayEquals(Match.ObjectEquals(new D
                {
                    ["expiration"] = new D { ["days"] = 30 },
                    ["filter"] = Match.ObjectEquals(new D()),
                    ["id"] = "expiration",
                    ["noncurrentVersionExpiration"] = new D { ["noncurrentDays"] = 7 },
                    ["status"] = "Enabled",
                })),
            }),
            ["options"] = new D { ["dependsOn"] = new[] { "${Archive-Versioning}" } },
        });
        Assert.NotNull(bucket.Versioning);
        Assert.NotNull(bucket.Lifecycle);
        AssertChecks(stack);
    }

    [Fact]
    public void Notifications_are_merged_into_one_BucketNotification_depending_on_scoped_permissions()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        var thumbs = new Function<MakeThumbnail>(stack, "MakeThumbnail");
        var index = new Function<IndexUpload>(stack, "IndexUpload");
        var logs = new Function(new Construct(stack, "Ops"), "ShipLogs", new CodeFunctionProps
        {
            Code = "x", Runtime = Runtime.Python313, Handler = "app.handler", Handles = EventSources.S3,
        });
        bucket.OnObjectCreated(thumbs, prefix: "images/", suffix: ".jpg");
        bucket.OnObjectCreated(index, prefix: "docs/");
        bucket.OnObjectRemoved(index, prefix: "docs/");
        bucket.OnObjectCreated(logs, prefix: "logs/");

        var t = Template.From(stack);
        t.ResourceCountIs("aws:s3:BucketNotification", 1);
        t.HasResource("aws:s3:BucketNotification", new D
        {
            ["properties"] = Match.ObjectEquals(new D
            {
                ["bucket"] = "${Uploads.bucket}",
                ["lambdaFunctions"] = Match.ArrayEquals(
                    Match.ObjectEquals(new D { ["events"] = new[] { "s3:ObjectCreated:*" }, ["filterPrefix"] = "images/", ["filterSuffix"] = ".jpg", ["lambdaFunctionArn"] = "${MakeThumbnail.arn}" }),
                    Match.ObjectEquals(new D { ["events"] = new[] { "s3:ObjectCreated:*" }, ["filterPrefix"] = "docs/", ["lambdaFunctionArn"] = "${IndexUpload.arn}" }),
                    Match.ObjectEquals(new D { ["events"] = new[] { "s3:ObjectRemoved:*" }, ["filterPrefix"] = "docs/", ["lambdaFunctionArn"] = "${IndexUpload.arn}" }),
                    Match.ObjectEquals(new D { ["events"] = new[] { "s3:ObjectCreated:*" }, ["filterPrefix"] = "logs/", ["lambdaFunctionArn"] = "${Ops-ShipLogs.arn}" })),
            }),
            ["options"] = new D
            {
                ["dependsOn"] = Match.ArrayEquals("${Uploads-Invoke-MakeThumbnail}", "${Uploads-Invoke-IndexUpload}", "${Uploads-Invoke-Ops-ShipLogs}"),
            },
        });
        // One permission per function (IndexUpload is notified twice), each scoped to this bucket and account.
        t.ResourceCountIs("aws:lambda:Permission", 3);
        t.HasResourceProperties("aws:lambda:Permission", Match.ObjectEquals(new D
        {
            ["action"] = "lambda:InvokeFunction",
            ["function"] = "${IndexUpload.name}",
            ["principal"] = "s3.amazonaws.com",
            ["sourceArn"] = "${Uploads.arn}",
            ["sourceAccount"] = "${awsCallerIdentity.accountId}",
        }));
        t.AllResourcesProperties("aws:lambda:Permission", new D { ["principal"] = "s3.amazonaws.com", ["sourceArn"] = "${Uploads.arn}", ["sourceAccount"] = "${awsCallerIdentity.accountId}" });
        t.HasVariable("awsCallerIdentity", new D
        {
            ["fn::invoke"] = new D { ["function"] = "aws:index/getCallerIdentity:getCallerIdentity" },
        });
        Assert.Equal(4, bucket.Notifications.Count);
        Assert.Equal(3, bucket.Permissions.Count);
        AssertChecks(stack);
    }

    [Theory]
    // Same event type, different prefixes: fine.
    [InlineData("s3:ObjectCreated:*", "images/", null, "s3:ObjectCreated:*", "logs/", null, false)]
    // Created vs removed with the same prefix: fine (different event types).
    [InlineData("s3:ObjectCreated:*", "images/", null, "s3:ObjectRemoved:*", "images/", null, false)]
    // One prefix starts the other.
    [InlineData("s3:ObjectCreated:*", "images/", null, "s3:ObjectCreated:*", "images/thumbs/", null, true)]
    // One suffix ends the other.
    [InlineData("s3:ObjectCreated:*", null, ".jpg", "s3:ObjectCreated:*", null, "thumb.jpg", true)]
    // Suffixes with the same last letters but neither ending the other: fine.
    [InlineData("s3:ObjectCreated:*", null, ".jpg", "s3:ObjectCreated:*", null, ".png", false)]
    // Common prefix, suffixes that do not overlap: fine (S3 User Guide's valid example).
    [InlineData("s3:ObjectCreated:Put", "images", ".jpg", "s3:ObjectCreated:Put", "images", ".png", false)]
    // No prefix (the root) overlaps every prefix; a family wildcard covers its members.
    [InlineData("s3:ObjectCreated:*", null, null, "s3:ObjectCreated:Put", "images", null, true)]
    // The User Guide's invalid examples: suffixes jpg/pg, and prefix+suffix vs the same suffix alone.
    [InlineData("s3:ObjectCreated:*", null, "jpg", "s3:ObjectCreated:Put", null, "pg", true)]
    [InlineData("s3:ObjectCreated:*", "images", "jpg", "s3:ObjectCreated:Put", null, "jpg", true)]
    // Different members of one family do not intersect.
    [InlineData("s3:ObjectCreated:Put", null, null, "s3:ObjectCreated:Post", null, null, false)]
    [InlineData("s3:ObjectRestore:*", null, null, "s3:ObjectRemoved:Delete", null, null, false)]
    // Prefixes that differ before either ends: fine even with equal suffixes.
    [InlineData("s3:ObjectCreated:*", "images/", ".png", "s3:ObjectCreated:*", "img/", ".png", false)]
    public void Overlapping_filters_for_intersecting_event_types_are_rejected(string eventA, string? prefixA, string? suffixA, string eventB, string? prefixB, string? suffixB, bool overlap)
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        bucket.AddEventNotification([eventA], new Function<MakeThumbnail>(stack, "A"), prefixA, suffixA);
        bucket.AddEventNotification([eventB], new Function<IndexUpload>(stack, "B"), prefixB, suffixB);
        if (!overlap)
        {
            stack.Synth();   // no error (the checker runs on merged notifications in the tests above)
            return;
        }
        var e = TestStacks.SynthFails(stack);
        var error = Assert.Single(e.Errors);
        Assert.Equal("shop/Uploads", error.Path);
        Assert.Equal("notifications", error.Property);
        Assert.Contains("function shop/A on " + eventA, error.Message);
        Assert.Contains("function shop/B on " + eventB, error.Message);
        Assert.Contains(prefixA is null ? "prefix (any)" : $"prefix '{prefixA}'", error.Message);
        Assert.Contains(suffixB is null ? "suffix (any)" : $"suffix '{suffixB}'", error.Message);
        Assert.Contains("Configurations overlap", error.Message);
    }

    [Fact]
    public void The_same_function_with_the_same_filter_twice_overlaps_too()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        var fn = new Function<MakeThumbnail>(stack, "Thumbs");
        bucket.OnObjectCreated(fn, "images/");
        bucket.OnObjectCreated(fn, "images/");
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Property == "notifications" && x.Message.Contains("overlap"));
    }

    [Fact]
    public void Notifications_without_events_with_unknown_events_or_bad_key_filters_are_rejected()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        var fn = new Function<MakeThumbnail>(stack, "Thumbs");
        bucket.AddEventNotification([], fn, "a/");
        bucket.AddEventNotification(["s3:ObjectCreated"], fn, "b/");
        bucket.OnObjectCreated(fn, prefix: new string('p', 1025));
        bucket.OnObjectRemoved(fn, suffix: "*.jpg");
        var e = TestStacks.SynthFails(stack);
        Assert.All(e.Errors, x => Assert.Equal("shop/Uploads", x.Path));
        Assert.Contains(e.Errors, x => x.Property == "notifications" && x.Message.Contains("has no event types") && x.Message.Contains("s3:ObjectCreated:*"));
        Assert.Contains(e.Errors, x => x.Property == "notifications" && x.Message.Contains("'s3:ObjectCreated'") && x.Message.Contains("s3:ObjectRemoved:DeleteMarkerCreated"));
        Assert.Contains(e.Errors, x => x.Property == "prefix" && x.Message.Contains("1025 characters") && x.Message.Contains("at most 1,024"));
        Assert.Contains(e.Errors, x => x.Property == "suffix" && x.Message.Contains("'*.jpg'") && x.Message.Contains("'.jpg'"));
    }

    [Fact]
    public void Typed_wiring_is_checked_by_the_compiler()
    {
        Assert.Empty(StorageCompile.Errors("""
            var bucket = new Bucket(stack, "Uploads");
            bucket.OnObjectCreated(new Function<MakeThumbnail>(stack, "Thumbs"), prefix: "images/");
            bucket.OnObjectRemoved(new Function<PurgeIndex>(stack, "Purge"));
            bucket.AddEventNotification([S3EventTypes.ObjectCreatedPut], new Function<IndexUpload>(stack, "Index"));
            """));
        // An HTTP handler cannot be notified of S3 events: the snippet does not compile.
        var errors = StorageCompile.Errors("""
            var bucket = new Bucket(stack, "Uploads");
            bucket.OnObjectCreated(new Function<GetOrder>(stack, "Get"));
            """);
        var error = Assert.Single(errors);
        Assert.Equal("CS0311", error.Id);
        Assert.Contains("IS3Handler", error.GetMessage());
        Assert.Contains(StorageCompile.Errors("""new Bucket(stack, "Uploads").OnObjectRemoved(new Function<ShipOrder>(stack, "Ship"));"""),
            d => d.Id == "CS0311" && d.GetMessage().Contains("ShipOrder"));
    }

    [Fact]
    public void Functions_in_other_languages_must_declare_S3_events()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        var fn = new Function(stack, "Py", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b", Handles = EventSources.Sqs });
        bucket.OnObjectCreated(fn);
        var e = TestStacks.SynthFails(stack);
        Assert.Contains(e.Errors, x => x.Path == "shop/Uploads" && x.Message.Contains("shop/Py") && x.Message.Contains("S3"));
    }

    [Fact]
    public void Grants_name_exact_actions_on_the_bucket_and_its_objects()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        var reader = new Function<MakeThumbnail>(stack, "Reader");
        var writer = new Function<IndexUpload>(stack, "Writer");
        var both = new Function<PurgeIndex>(stack, "Both");
        bucket.GrantRead(reader);
        bucket.GrantWrite(writer);
        bucket.GrantDelete(writer);
        bucket.GrantReadWrite(both, "images/");

        var t = Template.From(stack);
        object Logs(string fn) => new D { ["Effect"] = "Allow", ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" }, ["Resource"] = $"${{{fn}-LogGroup.arn}}:*" };
        void PolicyIs(string fn, params object[] statements) => t.HasResourceProperties("aws:iam:RolePolicy", new D
        {
            ["role"] = $"${{{fn}-Role.id}}",
            ["policy"] = Match.Json(Match.ObjectEquals(new D { ["Version"] = "2012-10-17", ["Statement"] = Match.ArrayEquals(statements) })),
        });
        PolicyIs("Reader", Logs("Reader"),
            new D { ["Effect"] = "Allow", ["Action"] = "s3:GetObject", ["Resource"] = "${Uploads.arn}/*" },
            new D { ["Effect"] = "Allow", ["Action"] = "s3:ListBucket", ["Resource"] = "${Uploads.arn}" });
        PolicyIs("Writer", Logs("Writer"),
            new D { ["Effect"] = "Allow", ["Action"] = new[] { "s3:PutObject", "s3:AbortMultipartUpload" }, ["Resource"] = "${Uploads.arn}/*" },
            new D { ["Effect"] = "Allow", ["Action"] = "s3:DeleteObject", ["Resource"] = "${Uploads.arn}/*" });
        PolicyIs("Both", Logs("Both"),
            new D { ["Effect"] = "Allow", ["Action"] = "s3:GetObject", ["Resource"] = "${Uploads.arn}/images/*" },
            Match.ObjectEquals(new D
            {
                ["Effect"] = "Allow", ["Action"] = "s3:ListBucket", ["Resource"] = "${Uploads.arn}",
                ["Condition"] = new D { ["StringLike"] = new D { ["s3:prefix"] = "images/*" } },
            }),
            new D { ["Effect"] = "Allow", ["Action"] = new[] { "s3:PutObject", "s3:AbortMultipartUpload" }, ["Resource"] = "${Uploads.arn}/images/*" });
        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void Grants_on_a_bucket_with_a_customer_managed_key_add_the_key_actions_through_S3_only()
    {
        var stack = TestStacks.Create();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var bucket = new Bucket(stack, "Secrets", new() { Encryption = BucketEncryption.Kms, KmsKeyArn = key });
        var fn = new Function<MakeThumbnail>(stack, "Fn");
        bucket.GrantRead(fn);
        bucket.GrantWrite(fn);
        var via = new D { ["StringEquals"] = new D { ["kms:ViaService"] = "s3.us-east-1.amazonaws.com" } };
        Template.From(stack).HasResourceProperties("aws:iam:RolePolicy", new D
        {
            ["policy"] = Match.Json(new D
            {
                ["Statement"] = Match.ArrayWith(
                    Match.ObjectEquals(new D { ["Effect"] = "Allow", ["Action"] = "kms:Decrypt", ["Resource"] = key, ["Condition"] = via }),
                    Match.ObjectEquals(new D { ["Effect"] = "Allow", ["Action"] = new[] { "kms:GenerateDataKey", "kms:Decrypt" }, ["Resource"] = key, ["Condition"] = via })),
            }),
        });
        // The AWS managed key needs nothing in the role.
        var stack2 = TestStacks.Create();
        var managed = new Bucket(stack2, "Managed", new() { Encryption = BucketEncryption.Kms });
        var fn2 = new Function<MakeThumbnail>(stack2, "Fn");
        managed.GrantRead(fn2);
        Assert.DoesNotContain("kms:", Template.From(stack2).FindResources("aws:iam:RolePolicy")["Fn-Role-Policy"].ToJsonString());
        AssertChecks(stack);
    }

    [Theory]
    [InlineData("")]
    [InlineData("images/*")]
    [InlineData("images/?.jpg")]
    public void Grant_key_prefixes_are_literal(string prefix)
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        bucket.GrantRead(new Function<MakeThumbnail>(stack, "Fn"), prefix);
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Uploads", error.Path);
        Assert.Equal("keyPrefix", error.Property);
        Assert.Contains("1-1,024 characters without the IAM wildcards", error.Message);
    }

    [Theory]
    [InlineData("ab", "3-63 allowed")]
    [InlineData("My-Bucket", "only lowercase letters, digits")]
    [InlineData("my_bucket", "only lowercase letters, digits")]
    [InlineData("-bucket", "start and end with a letter or digit")]
    [InlineData("my..bucket", "two adjacent dots")]
    [InlineData("192.168.5.4", "IP address")]
    [InlineData("xn--bucket", "reserved prefix 'xn--'")]
    [InlineData("sthree-bucket", "reserved prefix 'sthree-'")]
    [InlineData("files-s3alias", "reserved suffix '-s3alias'")]
    [InlineData("files--x-s3", "reserved suffix '--x-s3'")]
    public void Bucket_names_follow_the_S3_naming_rules(string name, string problem)
    {
        var stack = TestStacks.Create();
        new Bucket(stack, "Uploads", new() { BucketName = name });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Uploads", error.Path);
        Assert.Equal("BucketName", error.Property);
        Assert.Contains(problem, error.Message);
        Assert.Contains("3-63 characters: lowercase letters, digits, '.' and '-'", error.Message);
    }

    [Fact]
    public void Autonamed_buckets_need_a_logical_name_that_makes_a_valid_bucket_name()
    {
        var stack = TestStacks.Create();
        new Bucket(stack, "Raw_Uploads");
        new Bucket(stack, "Processed-Uploads");   // fine: lowercased to processed-uploads-xxxxxxx
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Raw_Uploads", error.Path);
        Assert.Equal("BucketName", error.Property);
        Assert.Contains("no '_'", error.Message);
    }

    [Theory]
    [InlineData(0, null, false, "ExpireObjectsAfterDays", "1 or more")]
    [InlineData(null, 0, true, "NoncurrentVersionExpirationDays", "1 or more")]
    [InlineData(null, 30, false, "NoncurrentVersionExpirationDays", "Versioned = true")]
    public void Lifecycle_days_are_validated(int? expire, int? noncurrent, bool versioned, string property, string allowed)
    {
        var stack = TestStacks.Create();
        new Bucket(stack, "Uploads", new() { ExpireObjectsAfterDays = expire, NoncurrentVersionExpirationDays = noncurrent, Versioned = versioned });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Uploads", error.Path);
        Assert.Equal(property, error.Property);
        Assert.Contains(allowed, error.Message);
    }

    [Fact]
    public void A_KMS_key_with_S3_managed_encryption_is_rejected()
    {
        var stack = TestStacks.Create();
        new Bucket(stack, "Uploads", new() { KmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/k" });
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("KmsKeyArn", error.Property);
        Assert.Contains("BucketEncryption.Kms", error.Message);
    }

    [Fact]
    public void A_function_writing_where_it_is_notified_gets_a_loop_warning()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads");
        var fn = new Function<MakeThumbnail>(stack, "Thumbs");
        bucket.OnObjectCreated(fn, prefix: "images/");
        bucket.GrantWrite(fn, "images/thumbs/");
        var warnings = stack.Synth().Warnings;
        Assert.Contains(warnings, w => w.Path == "shop/Uploads" && w.Message.Contains("loop") && w.Message.Contains("shop/Thumbs"));

        var safe = TestStacks.Create();
        var b2 = new Bucket(safe, "Uploads");
        var f2 = new Function<MakeThumbnail>(safe, "Thumbs");
        b2.OnObjectCreated(f2, prefix: "images/");
        b2.GrantWrite(f2, "thumbs/");
        Assert.DoesNotContain(safe.Synth().Warnings, w => w.Message.Contains("loop"));
    }

    [Fact]
    public void Transforms_adjust_every_underlying_resource()
    {
        var stack = TestStacks.Create();
        var bucket = new Bucket(stack, "Uploads", new()
        {
            Versioned = true,
            ExpireObjectsAfterDays = 10,
            Transform = new()
            {
                Bucket = a => a.Tags = new() { ["team"] = "media" },
                PublicAccessBlock = a => a.SkipDestroy = true,
                Encryption = a => a.Rules[0].BucketKeyEnabled = true,
                OwnershipControls = a => a.Rule.ObjectOwnership = "ObjectWriter",
                Versioning = a => a.VersioningConfiguration.Status = "Suspended",
                Lifecycle = a => a.Rules![0].IdValue = "cleanup",
                Notification = a => a.Eventbridge = true,
                Permission = a => a.StatementId = "AllowS3",
            },
        });
        bucket.OnObjectCreated(new Function<MakeThumbnail>(stack, "Thumbs"));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:s3:Bucket", new D { ["tags"] = new D { ["team"] = "media" } });
        t.HasResourceProperties("aws:s3:BucketPublicAccessBlock", new D { ["skipDestroy"] = true });
        t.HasResourceProperties("aws:s3:BucketServerSideEncryptionConfiguration", new D { ["rules"] = new[] { new D { ["bucketKeyEnabled"] = true } } });
        t.HasResourceProperties("aws:s3:BucketOwnershipControls", new D { ["rule"] = new D { ["objectOwnership"] = "ObjectWriter" } });
        t.HasResourceProperties("aws:s3:BucketVersioning", new D { ["versioningConfiguration"] = new D { ["status"] = "Suspended" } });
        t.HasResourceProperties("aws:s3:BucketLifecycleConfiguration", new D { ["rules"] = new[] { new D { ["id"] = "cleanup" } } });
        t.HasResourceProperties("aws:s3:BucketNotification", new D { ["eventbridge"] = true });
        t.HasResourceProperties("aws:lambda:Permission", new D { ["statementId"] = "AllowS3" });
        AssertChecks(stack);
    }
}
