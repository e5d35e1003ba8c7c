using System.Security.Cryptography;

namespace Lamina.Local.Lambda;

/// <summary>
/// Lamina's small runtime shims for Python and Node.js handlers: each is a Lambda runtime speaking the Runtime API
/// (<c>AWS_LAMBDA_RUNTIME_API</c>) that loads the handler named by <c>_HANDLER</c> from <c>LAMBDA_TASK_ROOT</c>.
/// </summary>
/// <remarks>The shims are content files copied next to the assembly (<c>Shims/python/bootstrap.py</c>,
/// <c>Shims/node/bootstrap.js</c>); when they are missing there (a single-file app, for example) the copies
/// embedded in the assembly are written to a directory under the temporary folder.</remarks>
public static class LocalRuntimeShims
{
    private static readonly Lazy<string> Python = new(() => Locate("python", "bootstrap.py"));
    private static readonly Lazy<string> NodeJs = new(() => Locate("node", "bootstrap.js"));

    /// <summary>The line prefix (a record separator character, then <c>LAMINA_INVOCATION_END </c>) the shims write,
    /// followed by the request id, to standard output and standard error after each invocation and before posting
    /// its result. The host does not record these lines.</summary>
    public const string InvocationEndMarker = "\u001eLAMINA_INVOCATION_END ";

    /// <summary>The Python shim (standard library only; Python 3.8 or later).</summary>
    public static string PythonBootstrapPath => Python.Value;

    /// <summary>The Node.js shim (built-in modules only; Node.js 18 or later).</summary>
    public static string NodeBootstrapPath => NodeJs.Value;

    private static string Locate(string language, string file)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Shims", language, file);
        if (File.Exists(beside))
        {
            return beside;
        }

        var resource = $"Lamina.Local.Shims.{language}.{file}";
        using var stream = typeof(LocalRuntimeShims).Assembly.GetManifestResourceStream(resource)
            ?? throw new FileNotFoundException($"The {language} runtime shim is neither at '{beside}' nor embedded as '{resource}'.", beside);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var directory = Path.Combine(Path.GetTempPath(), "lamina-shims", hash, language);
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }
}
