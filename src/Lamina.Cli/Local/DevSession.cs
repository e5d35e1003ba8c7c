using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Lamina.Cli.Local;

/// <summary>
/// The file a running <c>lamina dev</c> session leaves in its project, <c>.lamina/dev.json</c>, so that other lamina
/// commands (<c>lamina trigger</c>) find it:
/// <code>{"pid":12345,"controlUrl":"http://127.0.0.1:4000/","stack":"dev"}</code>
/// <c>pid</c> is the process that serves the session; <c>controlUrl</c> is the base URL of its control endpoint
/// (absolute http URL ending in <c>/</c>; requests go to <c>{controlUrl}_lamina/...</c>); <c>stack</c> is the stack it runs.
/// Other fields are ignored when reading.
/// </summary>
/// <param name="Pid">The id of the process that serves the session.</param>
/// <param name="ControlUrl">The base URL of the control endpoint, ending in <c>/</c>.</param>
/// <param name="Stack">The stack the session runs.</param>
public sealed record DevSession(int Pid, Uri ControlUrl, string Stack)
{
    /// <summary>The file's path relative to the project root.</summary>
    public const string RelativePath = ".lamina/dev.json";

    /// <summary>The path of the session file of the project in <paramref name="projectRoot"/>.</summary>
    public static string FilePath(string projectRoot) => Path.Combine(Path.GetFullPath(projectRoot), ".lamina", "dev.json");

    /// <summary>The session file of the project in <paramref name="projectRoot"/>, or null when there is none.</summary>
    /// <exception cref="DevSessionException">The file exists but is not a session file.</exception>
    public static DevSession? Read(string projectRoot)
    {
        var path = FilePath(projectRoot);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return Parse(text);
        }
        catch (DevSessionException e)
        {
            throw new DevSessionException($"{path} is not a lamina dev session file: {e.Message}");
        }
    }

    /// <summary>Reads the JSON of a session file.</summary>
    /// <exception cref="DevSessionException">Not a JSON object with a positive <c>pid</c>, an absolute http(s) <c>controlUrl</c> and a <c>stack</c>.</exception>
    public static DevSession Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DevSessionException("expected a JSON object");
            }
            if (!root.TryGetProperty("pid", out var pid) || pid.ValueKind != JsonValueKind.Number || !pid.TryGetInt32(out var id) || id <= 0)
            {
                throw new DevSessionException("'pid' must be a positive whole number");
            }
            if (!root.TryGetProperty("controlUrl", out var url) || url.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new DevSessionException("'controlUrl' must be an absolute http URL");
            }
            if (!root.TryGetProperty("stack", out var stack) || stack.ValueKind != JsonValueKind.String || stack.GetString() is not { Length: > 0 } name)
            {
                throw new DevSessionException("'stack' must be a stack name");
            }
            return new DevSession(id, WithTrailingSlash(uri), name);
        }
        catch (JsonException e)
        {
            throw new DevSessionException($"invalid JSON ({e.Message})");
        }
    }

    /// <summary>The JSON of the session file (one line).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("pid", Pid);
            w.WriteString("controlUrl", WithTrailingSlash(ControlUrl).AbsoluteUri);
            w.WriteString("stack", Stack);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the session file of the project in <paramref name="projectRoot"/> (atomically: a reader never sees half a file).</summary>
    public void Write(string projectRoot)
    {
        var path = FilePath(projectRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, ToJson() + "\n", new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Deletes the session file of the project in <paramref name="projectRoot"/>, if any (a session does this when it stops).</summary>
    public static void Delete(string projectRoot) => File.Delete(FilePath(projectRoot));

    /// <summary>Whether the process <see cref="Pid"/> is running (a session file left by a crashed session names a dead process).</summary>
    public bool IsRunning()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The control URL that triggers <paramref name="target"/>: <c>{controlUrl}_lamina/trigger/{target}</c>, each
    /// <c>/</c>-separated segment of the target escaped (so <c>shop/Orders Queue</c> gives <c>.../trigger/shop/Orders%20Queue</c>).
    /// </summary>
    public Uri TriggerUrl(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new ArgumentException($"'{target}' is not a trigger target (no '.' or '..' segments)", nameof(target));
        }
        var path = string.Join('/', target.Split('/').Select(Uri.EscapeDataString));
        return new Uri(WithTrailingSlash(ControlUrl), "_lamina/trigger/" + path);
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new UriBuilder(uri) { Path = uri.AbsolutePath + "/" }.Uri;
}

/// <summary>A session file that cannot be read; the message says why.</summary>
public sealed class DevSessionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DevSessionException(string message) : base(message)
    {
    }
}
