using Lamina.Values;
using S3 = Lamina.Aws.Resources.S3;

namespace Lamina.Aws.Storage;

/// <summary>How objects written to a bucket are encrypted at rest by default.</summary>
public enum BucketEncryption
{
    /// <summary>SSE-S3: keys managed by S3 (<c>AES256</c>). The default; no KMS permissions or costs.</summary>
    S3Managed,

    /// <summary>
    /// SSE-KMS (<c>aws:kms</c>): with <see cref="BucketProps.KmsKeyArn"/> a customer managed key (grants then add the
    /// key's <c>kms:</c> actions), without it the AWS managed key <c>aws/s3</c>.
    /// </summary>
    Kms,
}

/// <summary>Who owns objects that other accounts upload, and whether ACLs apply (S3 Object Ownership).</summary>
public enum ObjectOwnership
{
    /// <summary>The bucket owner owns every object and ACLs are disabled (<c>BucketOwnerEnforced</c>). The default, as AWS recommends.</summary>
    BucketOwnerEnforced,

    /// <summary>The bucket owner owns objects uploaded with the <c>bucket-owner-full-control</c> ACL (<c>BucketOwnerPreferred</c>); ACLs stay enabled.</summary>
    BucketOwnerPreferred,

    /// <summary>The uploading account owns the object (<c>ObjectWriter</c>); ACLs stay enabled.</summary>
    ObjectWriter,
}

/// <summary>
/// Options of a <see cref="Bucket"/>. The defaults are the secure ones: public access blocked, objects encrypted,
/// ACLs disabled. Each is validated at synthesis; an error names the construct path, the property and what is allowed.
/// </summary>
public sealed record BucketProps
{
    /// <summary>
    /// The bucket's physical name: 3–63 characters, lowercase letters, digits, '.' and '-', starting and ending with a
    /// letter or digit, no two adjacent dots, not an IP address, not starting with <c>xn--</c>, <c>sthree-</c> or
    /// <c>amzn-s3-demo-</c>, not ending with <c>-s3alias</c>, <c>--ol-s3</c>, <c>.mrap</c>, <c>--x-s3</c> or
    /// <c>--table-s3</c>. Bucket names are global: a fixed name can only be deployed once per partition.
    /// Default: none — Pulumi names the bucket after its logical name, lowercased, with '-' and 7 random characters.
    /// </summary>
    public string? BucketName { get; init; }

    /// <summary>Let Pulumi delete the bucket even when it still holds objects (<c>forceDestroy</c>). Default: false (deleting a non-empty bucket fails).</summary>
    public bool ForceDestroy { get; init; }

    /// <summary>
    /// Block every form of public access: the bucket's public access block has <c>blockPublicAcls</c>,
    /// <c>blockPublicPolicy</c>, <c>ignorePublicAcls</c> and <c>restrictPublicBuckets</c> all true. When false the four
    /// flags are written false, so a bucket policy may make objects public. Default: true.
    /// </summary>
    public bool BlockPublicAccess { get; init; } = true;

    /// <summary>Default encryption of new objects. Default: <see cref="BucketEncryption.S3Managed"/> (<c>AES256</c>).</summary>
    public BucketEncryption Encryption { get; init; } = BucketEncryption.S3Managed;

    /// <summary>
    /// The customer managed KMS key's ARN, only with <see cref="BucketEncryption.Kms"/>. Default: none (the AWS managed key <c>aws/s3</c>).
    /// </summary>
    public Input<string>? KmsKeyArn { get; init; }

    /// <summary>Use an S3 Bucket Key with KMS encryption (fewer KMS requests, lower cost); ignored for S3-managed keys. Default: true.</summary>
    public bool BucketKeyEnabled { get; init; } = true;

    /// <summary>Object ownership. Default: <see cref="ObjectOwnership.BucketOwnerEnforced"/> (ACLs disabled).</summary>
    public ObjectOwnership ObjectOwnership { get; init; } = ObjectOwnership.BucketOwnerEnforced;

    /// <summary>Keep every version of every object (an <c>aws:s3:BucketVersioning</c> with status <c>Enabled</c>). Default: false (no versioning resource).</summary>
    public bool Versioned { get; init; }

    /// <summary>Delete objects this many days after creation (a lifecycle rule over the whole bucket), at least 1. Default: none (objects are kept).</summary>
    public int? ExpireObjectsAfterDays { get; init; }

    /// <summary>
    /// Delete noncurrent object versions this many days after they become noncurrent, at least 1; only with
    /// <see cref="Versioned"/>. Default: none (old versions are kept).
    /// </summary>
    public int? NoncurrentVersionExpirationDays { get; init; }

    /// <summary>Adjusts the underlying resources' arguments just before synthesis (an escape hatch). Default: none.</summary>
    public BucketTransforms? Transform { get; init; }
}

/// <summary>Callbacks that adjust a bucket's underlying resources before synthesis (as SST's <c>transform</c>).</summary>
public sealed record BucketTransforms
{
    /// <summary>Adjusts the <c>aws:s3:Bucket</c> arguments.</summary>
    public Action<S3.BucketArgs>? Bucket { get; init; }

    /// <summary>Adjusts the <c>aws:s3:BucketPublicAccessBlock</c> arguments.</summary>
    public Action<S3.BucketPublicAccessBlockArgs>? PublicAccessBlock { get; init; }

    /// <summary>Adjusts the <c>aws:s3:BucketServerSideEncryptionConfiguration</c> arguments.</summary>
    public Action<S3.BucketServerSideEncryptionConfigurationArgs>? Encryption { get; init; }

    /// <summary>Adjusts the <c>aws:s3:BucketOwnershipControls</c> arguments.</summary>
    public Action<S3.BucketOwnershipControlsArgs>? OwnershipControls { get; init; }

    /// <summary>Adjusts the <c>aws:s3:BucketVersioning</c> arguments (when the bucket is versioned).</summary>
    public Action<S3.BucketVersioningArgs>? Versioning { get; init; }

    /// <summary>Adjusts the <c>aws:s3:BucketLifecycleConfiguration</c> arguments (when the bucket has lifecycle rules).</summary>
    public Action<S3.BucketLifecycleConfigurationArgs>? Lifecycle { get; init; }

    /// <summary>Adjusts the <c>aws:s3:BucketNotification</c> arguments (when the bucket has notifications).</summary>
    public Action<S3.BucketNotificationArgs>? Notification { get; init; }

    /// <summary>Adjusts each <c>aws:lambda:Permission</c> letting S3 invoke a notified function.</summary>
    public Action<Lamina.Aws.Resources.Lambda.PermissionArgs>? Permission { get; init; }
}
