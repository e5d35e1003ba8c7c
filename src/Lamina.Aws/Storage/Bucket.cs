using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Lamina.Aws.Iam;
using Lamina.Aws.Lambda;
using Lamina.Lambda;
using Lamina.Resources;
using Lamina.Values;
using Permission = Lamina.Aws.Resources.Lambda.Permission;
using S3 = Lamina.Aws.Resources.S3;

namespace Lamina.Aws.Storage;

/// <summary>
/// An S3 bucket with secure defaults: an <c>aws:s3:Bucket</c> (only its non-deprecated inputs) and, as separate
/// resources, a public access block with all four flags on, default encryption (SSE-S3 <c>AES256</c>, or SSE-KMS),
/// ownership controls <c>BucketOwnerEnforced</c> (ACLs off), and optionally versioning and a lifecycle rule.
/// Functions are notified of object events through the bucket's single <c>aws:s3:BucketNotification</c> (S3 keeps one
/// notification configuration per bucket), each allowed to be invoked only by S3 from this bucket and account.
/// Grants give roles exactly the object actions they need on this bucket (or one key prefix of it).
/// </summary>
/// <example>
/// <code>
/// var uploads = new Bucket(stack, "Uploads", new() { Versioned = true, ExpireObjectsAfterDays = 30 });
/// var thumbnails = new Function&lt;MakeThumbnail&gt;(stack, "MakeThumbnail");   // MakeThumbnail : IS3Handler
/// uploads.OnObjectCreated(thumbnails, prefix: "images/", suffix: ".jpg");
/// uploads.GrantRead(thumbnails, "images/");
/// uploads.GrantWrite(thumbnails, "thumbs/");
/// thumbnails.AddEnvironment("BUCKET", uploads.Name);
/// </code>
/// </example>
public sealed class Bucket : Construct
{
    private const int MaxKeyFilterLength = 1024;
    private static readonly Regex NamePattern = new("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", RegexOptions.CultureInvariant);
    private static readonly Regex IpPattern = new(@"^\d{1,3}(\.\d{1,3}){3}$", RegexOptions.CultureInvariant);
    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    private readonly List<BucketEventNotification> _notifications = new();
    private readonly Dictionary<FunctionBase, Permission> _permissions = new(ReferenceEqualityComparer.Instance);
    private readonly List<(IGrantable Grantee, string? Prefix)> _writeGrants = new();

    /// <summary>Creates the bucket and its configuration resources.</summary>
    public Bucket(Construct scope, string id, BucketProps? props = null) : base(scope, id)
    {
        Props = props ??= new BucketProps();
        ValidateProps(props);

        Resource = new S3.Bucket(this, DefaultChildId, new()
        {
            Bucket = props.BucketName is { } name ? (Input<string>)name : null,
            ForceDestroy = props.ForceDestroy,
        });
        PublicAccessBlock = new S3.BucketPublicAccessBlock(this, "PublicAccessBlock", new()
        {
            Bucket = Name,
            BlockPublicAcls = props.BlockPublicAccess,
            BlockPublicPolicy = props.BlockPublicAccess,
            IgnorePublicAcls = props.BlockPublicAccess,
            RestrictPublicBuckets = props.BlockPublicAccess,
        });
        Encryption = new S3.BucketServerSideEncryptionConfiguration(this, "Encryption", new()
        {
            Bucket = Name,
            Rules =
            [
                props.Encryption == BucketEncryption.Kms
                    ? new()
                    {
                        ApplyServerSideEncryptionByDefault = new() { SseAlgorithm = "aws:kms", KmsMasterKeyId = props.KmsKeyArn },
                        BucketKeyEnabled = props.BucketKeyEnabled,
                    }
                    : new() { ApplyServerSideEncryptionByDefault = new() { SseAlgorithm = "AES256" } },
            ],
        });
        OwnershipControls = new S3.BucketOwnershipControls(this, "OwnershipControls", new()
        {
            Bucket = Name,
            Rule = new() { ObjectOwnership = props.ObjectOwnership.ToString() },
        });
        if (props.Versioned)
        {
            Versioning = new S3.BucketVersioning(this, "Versioning", new()
            {
                Bucket = Name,
                VersioningConfiguration = new() { Status = "Enabled" },
            });
        }
        if (props.ExpireObjectsAfterDays is not null || props.NoncurrentVersionExpirationDays is not null)
        {
            var options = new ResourceOptions();
            if (Versioning is not null)
            {
                // Lifecycle rules on versions need versioning in place first (as the AWS provider documents).
                options.DependsOn.Add(Versioning);
            }
            Lifecycle = new S3.BucketLifecycleConfiguration(this, "Lifecycle", new()
            {
                Bucket = Name,
                Rules =
                [
                    new()
                    {
                        IdValue = "expiration",
                        Status = "Enabled",
                        Filter = new(),   // every object
                        Expiration = props.ExpireObjectsAfterDays is int days ? new() { Days = days } : null,
                        NoncurrentVersionExpiration = props.NoncurrentVersionExpirationDays is int nc ? new() { NoncurrentDays = nc } : null,
                    },
                ],
            }, options);
        }
    }

    /// <summary>The options the bucket was created with.</summary>
    public BucketProps Props { get; }

    /// <summary>The <c>aws:s3:Bucket</c> resource (an escape hatch: its <c>Args</c> can be changed).</summary>
    public S3.Bucket Resource { get; }

    /// <summary>The <c>aws:s3:BucketPublicAccessBlock</c>.</summary>
    public S3.BucketPublicAccessBlock PublicAccessBlock { get; }

    /// <summary>The <c>aws:s3:BucketServerSideEncryptionConfiguration</c>.</summary>
    public S3.BucketServerSideEncryptionConfiguration Encryption { get; }

    /// <summary>The <c>aws:s3:BucketOwnershipControls</c>.</summary>
    public S3.BucketOwnershipControls OwnershipControls { get; }

    /// <summary>The <c>aws:s3:BucketVersioning</c>, when <see cref="BucketProps.Versioned"/>.</summary>
    public S3.BucketVersioning? Versioning { get; }

    /// <summary>The <c>aws:s3:BucketLifecycleConfiguration</c>, when an expiration is set.</summary>
    public S3.BucketLifecycleConfiguration? Lifecycle { get; }

    /// <summary>The bucket's one <c>aws:s3:BucketNotification</c>, created with the first notification (null before).</summary>
    public S3.BucketNotification? Notification { get; private set; }

    /// <summary>The <c>aws:lambda:Permission</c>s letting S3 invoke each notified function, one per function.</summary>
    public IReadOnlyCollection<Permission> Permissions => _permissions.Values;

    /// <summary>The notifications added so far.</summary>
    public IReadOnlyList<BucketEventNotification> Notifications => _notifications;

    /// <summary>The bucket's ARN.</summary>
    public Output<string> Arn => Resource.Arn;

    /// <summary>The bucket's name as an output (a reference, so dependents wait for the bucket).</summary>
    public Output<string> Name => Resource.BucketOutput;

    /// <summary>The bucket's regional domain name (<c>&lt;name&gt;.s3.&lt;region&gt;.amazonaws.com</c>).</summary>
    public Output<string> RegionalDomainName => Resource.BucketRegionalDomainName;

    /// <summary>Invokes <paramref name="function"/> when an object is created (<c>s3:ObjectCreated:*</c>) under <paramref name="prefix"/> with <paramref name="suffix"/>.</summary>
    /// <typeparam name="THandler">The handler; the compiler checks that it takes S3 events.</typeparam>
    public void OnObjectCreated<THandler>(Function<THandler> function, string? prefix = null, string? suffix = null) where THandler : class, IS3Handler =>
        AddNotification(function, [S3EventTypes.ObjectCreated], prefix, suffix);

    /// <summary>Invokes a function in another language (declared with <c>Handles = EventSources.S3</c>) when an object is created.</summary>
    public void OnObjectCreated(Function function, string? prefix = null, string? suffix = null)
    {
        function.RequireEvents(EventSources.S3, this);
        AddNotification(function, [S3EventTypes.ObjectCreated], prefix, suffix);
    }

    /// <summary>Invokes <paramref name="function"/> when an object is removed (<c>s3:ObjectRemoved:*</c>) under <paramref name="prefix"/> with <paramref name="suffix"/>.</summary>
    /// <typeparam name="THandler">The handler; the compiler checks that it takes S3 events.</typeparam>
    public void OnObjectRemoved<THandler>(Function<THandler> function, string? prefix = null, string? suffix = null) where THandler : class, IS3Handler =>
        AddNotification(function, [S3EventTypes.ObjectRemoved], prefix, suffix);

    /// <summary>Invokes a function in another language (declared with <c>Handles = EventSources.S3</c>) when an object is removed.</summary>
    public void OnObjectRemoved(Function function, string? prefix = null, string? suffix = null)
    {
        function.RequireEvents(EventSources.S3, this);
        AddNotification(function, [S3EventTypes.ObjectRemoved], prefix, suffix);
    }

    /// <summary>Invokes <paramref name="function"/> on the given <paramref name="events"/> (see <see cref="S3EventTypes"/>), at least one.</summary>
    /// <typeparam name="THandler">The handler; the compiler checks that it takes S3 events.</typeparam>
    public void AddEventNotification<THandler>(IReadOnlyList<string> events, Function<THandler> function, string? prefix = null, string? suffix = null) where THandler : class, IS3Handler =>
        AddNotification(function, events, prefix, suffix);

    /// <summary>Invokes a function in another language (declared with <c>Handles = EventSources.S3</c>) on the given <paramref name="events"/>.</summary>
    public void AddEventNotification(IReadOnlyList<string> events, Function function, string? prefix = null, string? suffix = null)
    {
        function.RequireEvents(EventSources.S3, this);
        AddNotification(function, events, prefix, suffix);
    }

    /// <summary>
    /// Lets <paramref name="grantee"/> read objects: <c>s3:GetObject</c> on <c>&lt;arn&gt;/&lt;keyPrefix&gt;*</c> and
    /// <c>s3:ListBucket</c> on the bucket (limited by an <c>s3:prefix</c> condition when a key prefix is given); with a
    /// customer managed KMS key also <c>kms:Decrypt</c> on that key, through S3 only.
    /// </summary>
    /// <param name="grantee">A function or role.</param>
    /// <param name="keyPrefix">Limit to keys starting with this, such as <c>images/</c> (end it with '/' for a folder). Default: every key.</param>
    public void GrantRead(IGrantable grantee, string? keyPrefix = null)
    {
        if (!CheckKeyPrefix(keyPrefix))
        {
            return;
        }
        grantee.AddToRolePolicy(new PolicyStatement { Actions = ["s3:GetObject"], Resources = [ObjectsArn(keyPrefix)] });
        grantee.AddToRolePolicy(new PolicyStatement
        {
            Actions = ["s3:ListBucket"],
            Resources = [Arn],
            Conditions = string.IsNullOrEmpty(keyPrefix) ? null : new Dictionary<string, IReadOnlyDictionary<string, object?>>
            {
                ["StringLike"] = new Dictionary<string, object?> { ["s3:prefix"] = keyPrefix + "*" },
            },
        });
        GrantKey(grantee, ["kms:Decrypt"]);
    }

    /// <summary>
    /// Lets <paramref name="grantee"/> write objects: <c>s3:PutObject</c> (which covers multipart uploads) and
    /// <c>s3:AbortMultipartUpload</c> on <c>&lt;arn&gt;/&lt;keyPrefix&gt;*</c>; with a customer managed KMS key also
    /// <c>kms:GenerateDataKey</c> and <c>kms:Decrypt</c> (multipart uploads need both) on that key, through S3 only.
    /// Deleting is not included: see <see cref="GrantDelete"/>.
    /// </summary>
    /// <param name="grantee">A function or role.</param>
    /// <param name="keyPrefix">Limit to keys starting with this, such as <c>thumbs/</c>. Default: every key.</param>
    public void GrantWrite(IGrantable grantee, string? keyPrefix = null)
    {
        if (!CheckKeyPrefix(keyPrefix))
        {
            return;
        }
        grantee.AddToRolePolicy(new PolicyStatement { Actions = ["s3:PutObject", "s3:AbortMultipartUpload"], Resources = [ObjectsArn(keyPrefix)] });
        GrantKey(grantee, ["kms:GenerateDataKey", "kms:Decrypt"]);
        _writeGrants.Add((grantee, string.IsNullOrEmpty(keyPrefix) ? null : keyPrefix));
    }

    /// <summary>Lets <paramref name="grantee"/> read and write objects: <see cref="GrantRead"/> and <see cref="GrantWrite"/> (not delete).</summary>
    /// <param name="grantee">A function or role.</param>
    /// <param name="keyPrefix">Limit to keys starting with this. Default: every key.</param>
    public void GrantReadWrite(IGrantable grantee, string? keyPrefix = null)
    {
        GrantRead(grantee, keyPrefix);
        GrantWrite(grantee, keyPrefix);
    }

    /// <summary>Lets <paramref name="grantee"/> delete objects: <c>s3:DeleteObject</c> on <c>&lt;arn&gt;/&lt;keyPrefix&gt;*</c>.</summary>
    /// <param name="grantee">A function or role.</param>
    /// <param name="keyPrefix">Limit to keys starting with this. Default: every key.</param>
    public void GrantDelete(IGrantable grantee, string? keyPrefix = null)
    {
        if (CheckKeyPrefix(keyPrefix))
        {
            grantee.AddToRolePolicy(new PolicyStatement { Actions = ["s3:DeleteObject"], Resources = [ObjectsArn(keyPrefix)] });
        }
    }

    /// <inheritdoc />
    protected override void Prepare()
    {
        var t = Props.Transform;
        if (t is null)
        {
            return;
        }
        t.Bucket?.Invoke(Resource.Args);
        t.PublicAccessBlock?.Invoke(PublicAccessBlock.Args);
        t.Encryption?.Invoke(Encryption.Args);
        t.OwnershipControls?.Invoke(OwnershipControls.Args);
        if (Versioning is not null)
        {
            t.Versioning?.Invoke(Versioning.Args);
        }
        if (Lifecycle is not null)
        {
            t.Lifecycle?.Invoke(Lifecycle.Args);
        }
        if (Notification is not null)
        {
            t.Notification?.Invoke(Notification.Args);
        }
        foreach (var p in _permissions.Values)
        {
            t.Permission?.Invoke(p.Args);
        }
    }

    /// <inheritdoc />
    protected override void Validate()
    {
        ValidateName();
        // S3 rejects the whole notification configuration when two entries can match one event on one key.
        for (var i = 0; i < _notifications.Count; i++)
        {
            for (var j = i + 1; j < _notifications.Count; j++)
            {
                var (a, b) = (_notifications[i], _notifications[j]);
                if (a.OverlapsWith(b))
                {
                    AddError("notifications", $"notifications overlap: {a.Describe()}, and {b.Describe()}. Their event types intersect, one prefix starts " +
                        "the other and one suffix ends the other, so some object would match both; S3 rejects this at deploy time " +
                        "(\"Configurations overlap. Configurations on the same bucket cannot share a common event type\"). " +
                        "Use prefixes or suffixes that do not overlap (such as 'images/' and 'logs/', or '.jpg' and '.png'), different event types, or one function for both.");
                }
            }
        }
        // A function notified of new objects that writes where it is notified invokes itself again and again.
        foreach (var n in _notifications.Where(n => n.Events.Any(e => S3EventTypes.Intersect(e, S3EventTypes.ObjectCreated))))
        {
            foreach (var (grantee, prefix) in _writeGrants)
            {
                if ((ReferenceEquals(grantee, n.Function) || ReferenceEquals(grantee, n.Function.ExecutionRole)) && PrefixesOverlap(prefix, n.Prefix))
                {
                    AddWarning("notifications", $"function {n.Function.Path} is notified of new objects with prefix {(n.Prefix is null ? "(any)" : $"'{n.Prefix}'")} " +
                        $"and may write objects with prefix {(prefix is null ? "(any)" : $"'{prefix}'")}: each object it writes there can invoke it again (a loop). " +
                        "Write to another prefix or bucket, or filter the notification so the function's own objects do not match.");
                }
            }
        }
    }

    private void AddNotification(FunctionBase function, IReadOnlyList<string> events, string? prefix, string? suffix)
    {
        prefix = string.IsNullOrEmpty(prefix) ? null : prefix;
        suffix = string.IsNullOrEmpty(suffix) ? null : suffix;
        var distinct = events.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0)
        {
            AddError("notifications", $"the notification of function {function.Path} has no event types; give at least one, such as {S3EventTypes.ObjectCreated} (S3 rejects a configuration without events)");
        }
        foreach (var e in distinct.Where(e => !S3EventTypes.Supported.Contains(e)))
        {
            AddError("notifications", $"event type '{e}' of the notification of function {function.Path} is not one S3 delivers to Lambda; use one of {string.Join(", ", S3EventTypes.Supported)}");
        }
        CheckKeyFilter("prefix", prefix, function);
        CheckKeyFilter("suffix", suffix, function);

        _notifications.Add(new BucketEventNotification(function, distinct, prefix, suffix));
        var permission = PermissionFor(function);
        Notification ??= new S3.BucketNotification(this, "Notifications", new() { Bucket = Name, LambdaFunctions = [] });
        Notification.Args.LambdaFunctions!.Add(new()
        {
            LambdaFunctionArn = function.Arn,
            Events = distinct.ToArray(),
            FilterPrefix = prefix is null ? null : (Input<string>)prefix,
            FilterSuffix = suffix is null ? null : (Input<string>)suffix,
        });
        // S3 checks that it may invoke each function when the configuration is written.
        if (!Notification.Options.DependsOn.Contains(permission))
        {
            Notification.Options.DependsOn.Add(permission);
        }
    }

    private Permission PermissionFor(FunctionBase function)
    {
        if (_permissions.TryGetValue(function, out var existing))
        {
            return existing;
        }
        var relative = function.Path.StartsWith(Stack.Path + "/", StringComparison.Ordinal) ? function.Path[(Stack.Path.Length + 1)..] : function.Id;
        var id = LogicalNames.Fit("Invoke-" + relative.Replace('/', '-'), function.Path, MaxIdLength);
        if (TryFindChild(id) is not null)
        {
            // Two paths joined to one id (a-b/c and a/b-c): tell them apart by a hash of the full path.
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(function.Path)).AsSpan(0, 4));
            id = LogicalNames.Fit("Invoke-" + relative.Replace('/', '-'), function.Path, MaxIdLength - 9) + "-" + hash;
        }
        var permission = LambdaPermissions.AllowInvoke(this, id, function, "s3.amazonaws.com", Arn, LambdaPermissions.AccountId(Stack));
        _permissions[function] = permission;
        return permission;
    }

    private void CheckKeyFilter(string property, string? value, FunctionBase function)
    {
        if (value is null)
        {
            return;
        }
        if (value.Length > MaxKeyFilterLength)
        {
            AddError(property, $"the {property} filter of the notification of function {function.Path} has {value.Length.ToString(CultureInfo.InvariantCulture)} characters; S3 allows at most 1,024");
        }
        if (value.Contains('*', StringComparison.Ordinal))
        {
            AddError(property, $"the {property} filter '{value}' of the notification of function {function.Path} contains '*': S3 key filters are literal text, not patterns " +
                "(write 'images/' rather than 'images/*', '.jpg' rather than '*.jpg')");
        }
    }

    private bool CheckKeyPrefix(string? keyPrefix)
    {
        if (keyPrefix is null)
        {
            return true;
        }
        if (keyPrefix.Length == 0 || keyPrefix.Length > MaxKeyFilterLength || keyPrefix.IndexOfAny(['*', '?']) >= 0)
        {
            AddError("keyPrefix", $"key prefix '{keyPrefix}' is invalid: give null for every key, or 1-1,024 characters without the IAM wildcards '*' and '?' (such as 'images/')");
            return false;
        }
        return true;
    }

    private Output<string> ObjectsArn(string? keyPrefix) =>
        string.IsNullOrEmpty(keyPrefix) ? Output.Format($"{Arn}/*") : Output.Format($"{Arn}/{keyPrefix}*");

    private void GrantKey(IGrantable grantee, IReadOnlyList<string> actions)
    {
        if (Props.Encryption != BucketEncryption.Kms || Props.KmsKeyArn is not { } key)
        {
            return;   // SSE-S3 and the AWS managed aws/s3 key need no KMS permission in the role.
        }
        grantee.AddToRolePolicy(new PolicyStatement
        {
            Actions = actions,
            Resources = [key],
            Conditions = new Dictionary<string, IReadOnlyDictionary<string, object?>>
            {
                ["StringEquals"] = new Dictionary<string, object?> { ["kms:ViaService"] = $"s3.{LambdaPermissions.Region(Stack)}.amazonaws.com" },
            },
        });
    }

    private void ValidateProps(BucketProps p)
    {
        if (p.BucketName is { } name && NameProblem(name) is { } problem)
        {
            AddError("BucketName", $"bucket name '{name}' is invalid: {problem}. S3 bucket names have 3-63 characters: lowercase letters, digits, '.' and '-'");
        }
        if (p.KmsKeyArn is not null && p.Encryption != BucketEncryption.Kms)
        {
            AddError("KmsKeyArn", "a KMS key is set but Encryption is S3Managed; set Encryption = BucketEncryption.Kms to use the key, or remove KmsKeyArn");
        }
        if (p.ExpireObjectsAfterDays is < 1)
        {
            AddError("ExpireObjectsAfterDays", $"expiration after {p.ExpireObjectsAfterDays} days is invalid: S3 lifecycle expiration takes a positive number of days (1 or more)");
        }
        if (p.NoncurrentVersionExpirationDays is < 1)
        {
            AddError("NoncurrentVersionExpirationDays", $"noncurrent version expiration after {p.NoncurrentVersionExpirationDays} days is invalid: S3 takes a positive number of days (1 or more)");
        }
        if (p.NoncurrentVersionExpirationDays is not null && !p.Versioned)
        {
            AddError("NoncurrentVersionExpirationDays", "noncurrent versions exist only in a versioned bucket; set Versioned = true or remove NoncurrentVersionExpirationDays");
        }
    }

    private void ValidateName()
    {
        var args = Resource.Args;
        if (args.Bucket is not null)
        {
            // Props.BucketName was checked at construction; a transform may have changed it.
            if (args.Bucket.ToExpr() is LiteralExpr { Value: string name } && name != Props.BucketName && NameProblem(name) is { } problem)
            {
                AddError("BucketName", $"bucket name '{name}' is invalid: {problem}. S3 bucket names have 3-63 characters: lowercase letters, digits, '.' and '-'");
            }
            return;
        }
        if (args.BucketPrefix is not null)
        {
            if (args.BucketPrefix.ToExpr() is LiteralExpr { Value: string prefix } && (prefix.Length > 37 || NameProblem(prefix + "x00000000000000000000000000") is not null))
            {
                AddError("BucketPrefix", $"bucket prefix '{prefix}' is invalid: at most 37 characters (the provider adds 26), lowercase letters, digits, '.' and '-', starting with a letter or digit");
            }
            return;
        }
        // Pulumi names the bucket <logical name, lowercased>-<7 random characters>.
        var auto = Resource.LogicalName.ToLowerInvariant() + "-abcdefg";
        if (NameProblem(auto) is { } autoProblem)
        {
            AddError("BucketName", $"the bucket's name is derived from its logical name '{Resource.LogicalName}' (lowercased, plus '-' and 7 random characters) and would be invalid: {autoProblem}. " +
                "Use construct ids of letters, digits and '-' only (no '_'), or set BucketName");
        }
    }

    /// <summary>Why <paramref name="name"/> is not a valid general purpose bucket name (S3 User Guide, "General purpose bucket naming rules"), or null.</summary>
    private static string? NameProblem(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return $"it has {name.Length.ToString(CultureInfo.InvariantCulture)} characters (3-63 allowed)";
        }
        if (!NamePattern.IsMatch(name))
        {
            return "only lowercase letters, digits, '.' and '-' are allowed, and it must start and end with a letter or digit";
        }
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains two adjacent dots";
        }
        if (IpPattern.IsMatch(name))
        {
            return "it is formatted as an IP address";
        }
        if (ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is { } rp)
        {
            return $"it starts with the reserved prefix '{rp}' (reserved: {string.Join(", ", ReservedPrefixes)})";
        }
        if (ReservedSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } rs)
        {
            return $"it ends with the reserved suffix '{rs}' (reserved: {string.Join(", ", ReservedSuffixes)})";
        }
        return null;
    }

    private static bool PrefixesOverlap(string? a, string? b)
    {
        string x = a ?? "", y = b ?? "";
        return x.StartsWith(y, StringComparison.Ordinal) || y.StartsWith(x, StringComparison.Ordinal);
    }
}
