using Lamina.Aws.Lambda;
using Lamina.Aws.Storage;
using Lamina.Examples.Handlers.Uploads;
using Thumbnailer = Lamina.Examples.Handlers.Uploads.MakeThumbnail;

namespace Lamina.Examples;

/// <summary>
/// examples/uploads: the seed note's S3 upload processing. Creating an object under <c>images/</c> ending in <c>.jpg</c>
/// in the <c>Uploads</c> bucket invokes <see cref="MakeThumbnail"/>, which writes a thumbnail to the <c>Thumbnails</c>
/// bucket (its name in <c>THUMBNAILS_BUCKET</c>). The function may read only <c>images/*</c> of the uploads bucket and
/// write only <c>thumbnails/*</c> of the thumbnails bucket; S3 may invoke it from the uploads bucket only.
/// </summary>
/// <param name="Uploads">The bucket users upload to (stack output <c>uploadsBucketName</c>).</param>
/// <param name="Thumbnails">The bucket thumbnails go to (stack output <c>thumbnailsBucketName</c>).</param>
/// <param name="MakeThumbnail">The processing function.</param>
public sealed record UploadsExample(Bucket Uploads, Bucket Thumbnails, Function<MakeThumbnail> MakeThumbnail)
{
    /// <summary>The key prefix that triggers processing.</summary>
    public const string Prefix = Thumbnailer.SourcePrefix;

    /// <summary>The key suffix that triggers processing.</summary>
    public const string Suffix = ".jpg";

    /// <summary>Defines the example's resources in <paramref name="scope"/>.</summary>
    /// <example>
    /// <code>
    /// return LaminaApp.Run(args, app => UploadsExample.Define(new Stack(app, "uploads")));
    /// </code>
    /// </example>
    public static UploadsExample Define(Construct scope)
    {
        var uploads = new Bucket(scope, "Uploads", new() { ExpireObjectsAfterDays = 30 });
        var thumbnails = new Bucket(scope, "Thumbnails");
        var resize = new Function<MakeThumbnail>(scope, "MakeThumbnail", new()
        {
            MemorySize = 1024,
            Timeout = TimeSpan.FromSeconds(30),
            Description = "Writes a thumbnail of each uploaded images/*.jpg",
        });
        resize.AddEnvironment(Thumbnailer.TargetBucketVariable, thumbnails.Name);

        uploads.OnObjectCreated(resize, prefix: Prefix, suffix: Suffix);
        uploads.GrantRead(resize, Prefix);
        thumbnails.GrantWrite(resize, Thumbnailer.ThumbnailPrefix);

        scope.Stack.AddOutput("uploadsBucketName", uploads.Name);
        scope.Stack.AddOutput("thumbnailsBucketName", thumbnails.Name);
        return new UploadsExample(uploads, thumbnails, resize);
    }
}
