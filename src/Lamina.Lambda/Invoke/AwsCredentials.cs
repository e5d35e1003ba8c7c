using System.Text;

namespace Lamina.Lambda.Invoke;

/// <summary>
/// AWS credentials for signing requests. Inside Lambda they come from the execution role through
/// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c>.
/// </summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret key (never printed by <see cref="ToString"/>).</param>
/// <param name="SessionToken">The session token of temporary credentials, or null.</param>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>
    /// Reads the credentials from <paramref name="environment"/>; null when the access key id or the secret key
    /// is missing.
    /// </summary>
    public static AwsCredentials? FromEnvironment(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var accessKeyId = environment.Get("AWS_ACCESS_KEY_ID");
        var secret = environment.Get("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(accessKeyId) || string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var token = environment.Get("AWS_SESSION_TOKEN");
        return new AwsCredentials(accessKeyId, secret, string.IsNullOrEmpty(token) ? null : token);
    }

    /// <summary>Prints the access key id only; the secret and the token are redacted.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessKeyId = ").Append(AccessKeyId)
            .Append(", SecretAccessKey = ***, SessionToken = ").Append(SessionToken is null ? "null" : "***");
        return true;
    }
}
