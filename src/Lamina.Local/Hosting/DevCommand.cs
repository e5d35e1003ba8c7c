using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Lambda.Invoke;
using Lamina.Local.Cloud;
using Lamina.Local.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lamina.Local.Hosting;

/// <summary>
/// <c>dev</c>: runs a whole app locally on the wall clock until Ctrl+C. APIs listen on 127.0.0.1 (first port 3000 unless
/// <c>--port</c>), buckets are folders under <c>.lamina/buckets</c> (a file dropped there triggers the bucket's
/// notifications), schedules fire on time, every invocation is logged with its duration and outcome, and .NET handler
/// projects are rebuilt and reloaded when their sources change, without losing queued messages. A control endpoint
/// (its address in <c>.lamina/dev.json</c>) serves <c>lamina trigger</c>.
/// </summary>
public static class DevCommand
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(LaminaAppCommandContext context)
    {
        var port = 3000;
        var inProcess = false;
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            switch (context.Arguments[i])
            {
                case "--port" when i + 1 < context.Arguments.Count && int.TryParse(context.Arguments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535:
                    port = p;
                    i++;
                    break;
                case "--in-process":
                    inProcess = true;
                    break;
                default:
                    context.Stderr.WriteLine($"lamina: unknown or incomplete option '{context.Arguments[i]}' for 'dev' (--port N, --in-process, --stack NAME)");
                    return 2;
            }
        }
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return RunAsync(context, port, inProcess, stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>Runs the dev session until <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task<int> RunAsync(LaminaAppCommandContext context, int port, bool inProcess, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var output = context.Stderr;
        var gate = new object();
        void Write(string line)
        {
            lock (gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
        var root = context.App.RootDirectory;
        var cloud = await LocalCloud.StartAsync(context.Stack, new LocalCloudOptions
        {
            Clock = LocalClock.WallClock(),
            HandlerMode = inProcess ? LocalHandlerMode.InProcess : LocalHandlerMode.OutOfProcess,
            ApiPort = port,
            BucketDirectory = Path.Combine(root, ".lamina", "buckets"),
            OnLog = entry => Write($"{Time(entry.Timestamp)} {entry.FunctionName,-24} {entry.Message}"),
            OnInvocation = record => Write(
                $"{Time(record.End)} {record.FunctionName,-24} {Outcome(record)} {record.Duration.TotalMilliseconds,8:0.0} ms{(record.Cold ? (record.InitDuration is { TotalMilliseconds: > 0 } init ? $"  cold (init {init.TotalMilliseconds:0} ms)" : "  cold") : "")}"),
            OnMessage = m => Write("lamina: " + m),
        }, cancellationToken).ConfigureAwait(false);
        await using var _ = cloud.ConfigureAwait(false);
        cloud.S3.StartWatching();
        await using var control = await DevControlServer.StartAsync(cloud, Write, cancellationToken).ConfigureAwait(false);
        var session = DevSessionFile.Write(root, control.Url, context.App.StackName);
        using var reloader = new DevReloader(cloud, Write);
        reloader.Start();
        Write(Table(cloud, control.Url));
        foreach (var warning in cloud.Warnings)
        {
            Write("warning: " + warning);
        }
        Write($"lamina dev: ready in {started.Elapsed.TotalSeconds:0.00} s (Ctrl+C to stop)");
        try
        {
            // The engines' loop: everything due on the wall clock, then a short wait for the next due time.
            while (!cancellationToken.IsCancellationRequested)
            {
                await cloud.WaitForIdleAsync(cancellationToken).ConfigureAwait(false);
                var delay = TimeSpan.FromMilliseconds(50);
                if (cloud.NextDueTime is { } due && due - cloud.Clock.GetUtcNow() is var until && until < delay)
                {
                    delay = until < TimeSpan.Zero ? TimeSpan.Zero : until;
                }
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            DevSessionFile.Delete(root, session);
            Write("lamina dev: stopped");
        }
        return 0;
    }

    private static string Time(DateTimeOffset t) => t.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static string Outcome(LocalInvocationRecord record) => record.Outcome switch
    {
        LocalInvocationOutcome.Success => "ok     ",
        LocalInvocationOutcome.TimedOut => "TIMEOUT",
        _ => "ERROR  ",
    } + (record.Error is { } e && record.Outcome != LocalInvocationOutcome.Success ? $" {e.ErrorType}: {e.ErrorMessage}" : "");

    /// <summary>The table <c>lamina dev</c> prints: every local resource with its address.</summary>
    public static string Table(LocalCloud cloud, string controlUrl)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Lamina local cloud — stack {cloud.Stack.App.StackName}, region {cloud.Values.Region}\n");
        foreach (var group in cloud.Resources.GroupBy(r => r.Kind).OrderBy(g => g.Key))
        {
            sb.Append('\n').Append(group.Key switch
            {
                LocalResourceKind.Function => "Functions",
                LocalResourceKind.HttpApi => "HTTP APIs",
                LocalResourceKind.RestApi => "REST APIs",
                LocalResourceKind.Queue => "Queues",
                LocalResourceKind.Topic => "Topics",
                LocalResourceKind.Bucket => "Buckets (drop files into the folder)",
                LocalResourceKind.Schedule => "Schedules (lamina trigger <name> fires one now)",
                LocalResourceKind.StateMachine => "State machines",
                _ => group.Key.ToString(),
            }).Append('\n');
            var rows = group.Select(r => (r.Path, Where: r.Url ?? r.LocalName, r.Detail)).ToList();
            var w1 = rows.Max(r => r.Path.Length);
            var w2 = rows.Max(r => r.Where.Length);
            foreach (var (path, where, detail) in rows)
            {
                sb.Append("  ").Append(path.PadRight(w1)).Append("  ").Append(where.PadRight(w2));
                if (group.Key is LocalResourceKind.HttpApi or LocalResourceKind.RestApi)
                {
                    sb.Append('\n');
                    foreach (var route in detail.Split(", ", StringSplitOptions.RemoveEmptyEntries))
                    {
                        sb.Append("      ").Append(route).Append('\n');
                    }
                    continue;
                }
                var text = detail;
                if (group.Key == LocalResourceKind.Schedule && cloud.Scheduler.Schedules.FirstOrDefault(s => s.Name == where) is { NextOccurrence: { } next })
                {
                    text += $"  next {next.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
                }
                sb.Append("  ").Append(text).Append('\n');
            }
        }
        sb.Append('\n').Append("Control: ").Append(controlUrl).Append(" (lamina trigger)\n");
        return sb.ToString();
    }
}

/// <summary>The file <c>lamina dev</c> writes so that <c>lamina trigger</c> finds the running session: <c>.lamina/dev.json</c>.</summary>
public static class DevSessionFile
{
    /// <summary>The file's path under a project root.</summary>
    public static string PathIn(string root) => Path.Combine(root, ".lamina", "dev.json");

    /// <summary>Writes <c>{"pid":…,"controlUrl":…,"stack":…}</c>; returns the content written.</summary>
    public static string Write(string root, string controlUrl, string stack)
    {
        var json = new JsonObject { ["pid"] = Environment.ProcessId, ["controlUrl"] = controlUrl, ["stack"] = stack }.ToJsonString();
        Directory.CreateDirectory(Path.Combine(root, ".lamina"));
        // Written whole or not at all: lamina trigger never reads half a file.
        var temp = PathIn(root) + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(temp, json);
        File.Move(temp, PathIn(root), overwrite: true);
        return json;
    }

    /// <summary>Deletes the file if it is still the one this session wrote.</summary>
    public static void Delete(string root, string written)
    {
        try
        {
            if (File.Exists(PathIn(root)) && File.ReadAllText(PathIn(root)) == written)
            {
                File.Delete(PathIn(root));
            }
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The control endpoint of a dev session (127.0.0.1 only): <c>POST /_lamina/trigger/{target}</c>, <c>GET /_lamina/resources</c>.</summary>
public sealed class DevControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevControlServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base URL, ending with '/'.</summary>
    public string Url { get; }

    /// <summary>Starts the endpoint on a free loopback port.</summary>
    public static async Task<DevControlServer> StartAsync(LocalCloud cloud, Action<string> log, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/_lamina/resources", () => Results.Text(Resources(cloud), "application/json"));
        app.MapPost("/_lamina/trigger/{**target}", async (string target, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            try
            {
                var (status, json) = await DevTrigger.RunAsync(cloud, Uri.UnescapeDataString(target), body, request.Query["key"].ToString(), CancellationToken.None).ConfigureAwait(false);
                log($"trigger {target}: {json}");
                return Results.Text(json, "application/json", Encoding.UTF8, status);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException or JsonException or Messaging.MessagingException)
            {
                return Results.Text(new JsonObject { ["message"] = e.Message }.ToJsonString(), "application/json", Encoding.UTF8, 400);
            }
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.First();
        return new DevControlServer(app, address.TrimEnd('/') + "/");
    }

    private static string Resources(LocalCloud cloud)
    {
        var array = new JsonArray();
        foreach (var r in cloud.Resources)
        {
            array.Add(new JsonObject { ["kind"] = r.Kind.ToString(), ["path"] = r.Path, ["name"] = r.LocalName, ["arn"] = r.Arn, ["url"] = r.Url, ["detail"] = r.Detail });
        }
        return array.ToJsonString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>What <c>lamina trigger TARGET</c> does to each kind of resource.</summary>
public static class DevTrigger
{
    /// <summary>
    /// Fires a schedule now; sends the body to a queue or publishes it to a topic (default: a sample message); puts the
    /// body into a bucket under <paramref name="key"/> (default <c>lamina-trigger.txt</c>), which runs the bucket's
    /// notifications; invokes a function asynchronously; starts a state machine execution. Returns the HTTP status and
    /// a JSON description.
    /// </summary>
    public static async Task<(int Status, string Json)> RunAsync(LocalCloud cloud, string target, string body, string? key, CancellationToken cancellationToken)
    {
        var info = cloud.Find(target);
        var result = new JsonObject { ["target"] = info.Path, ["kind"] = info.Kind.ToString() };
        switch (info.Kind)
        {
            case LocalResourceKind.Schedule:
                await cloud.Scheduler.TriggerAsync(info.LocalName, cancellationToken).ConfigureAwait(false);
                result["fired"] = cloud.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                break;
            case LocalResourceKind.Queue:
            {
                var queue = cloud.Messaging.GetQueue(info.LocalName);
                var sent = queue.SendMessage(body.Length == 0 ? "{\"source\":\"lamina trigger\"}" : body,
                    messageGroupId: queue.IsFifo ? "lamina" : null, messageDeduplicationId: queue.IsFifo ? Guid.NewGuid().ToString("N") : null);
                result["messageId"] = sent.MessageId;
                break;
            }
            case LocalResourceKind.Topic:
            {
                var topic = cloud.Messaging.GetTopic(info.LocalName);
                var published = topic.Publish(body.Length == 0 ? "{\"source\":\"lamina trigger\"}" : body);
                result["messageId"] = published.MessageId;
                break;
            }
            case LocalResourceKind.Bucket:
            {
                var objectKey = string.IsNullOrEmpty(key) ? "lamina-trigger.txt" : key;
                var put = await cloud.S3.GetBucket(info.LocalName).PutObjectAsync(objectKey, Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);
                result["key"] = put.Key;
                break;
            }
            case LocalResourceKind.Function:
            {
                var invoked = await cloud.Function(info.LocalName).InvokeAsync(body.Length == 0 ? "{}" : body, InvocationType.Event, cancellationToken).ConfigureAwait(false);
                result["requestId"] = invoked.RequestId;
                result["status"] = invoked.StatusCode;
                break;
            }
            case LocalResourceKind.StateMachine:
            {
                var machine = cloud.StateMachine(info.LocalName);
                _ = machine.StartExecutionAsync(body.Length == 0 ? "{}" : body, cancellationToken: CancellationToken.None);
                result["started"] = true;
                break;
            }
            default:
                return (400, new JsonObject { ["message"] = $"{info.Path} is an API: call its URL ({info.Url}) instead." }.ToJsonString());
        }
        return (200, result.ToJsonString());
    }
}

/// <summary>
/// Rebuilds and reloads .NET handler projects when their sources change (out-of-process mode): each project's folder
/// and the folders of the projects it references are watched; 300 ms after the last change the project is built into a
/// new folder and every function of it gets the new handler (<see cref="LocalLambdaHost.ReplaceHandler"/>): running
/// invocations finish on the old build, queued messages and pending events are kept. A failed build keeps the old one.
/// </summary>
/// <param name="cloud">The running app.</param>
/// <param name="log">Progress messages.</param>
public sealed class DevReloader(LocalCloud cloud, Action<string> log) : IDisposable
{
    /// <summary>Raised after a project was rebuilt and its functions reloaded (project path, functions reloaded).</summary>
    public event Action<string, int>? Reloaded;

    /// <summary>Raised when a rebuild failed (project path, the build's message).</summary>
    public event Action<string, string>? Failed;

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly object _gate = new();
    private readonly Dictionary<string, Timer> _pending = new(StringComparer.Ordinal);

    /// <summary>Starts watching (nothing to watch when handlers run in-process).</summary>
    public void Start()
    {
        if (cloud.Options.HandlerMode != LocalHandlerMode.OutOfProcess)
        {
            return;
        }
        var projects = cloud.FunctionConstructs.Values.Select(cloud.Handlers.ProjectOf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var project in projects)
        {
            var directories = new[] { project }.Concat(Aws.Packaging.DotnetProject.ProjectReferences(project)).Select(Path.GetDirectoryName).OfType<string>().Distinct();
            foreach (var directory in directories)
            {
                var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
                FileSystemEventHandler changed = (_, e) => OnChange(project, e.FullPath);
                watcher.Changed += changed;
                watcher.Created += changed;
                watcher.Deleted += changed;
                watcher.Renamed += (_, e) => OnChange(project, e.FullPath);
                watcher.EnableRaisingEvents = true;
                _watchers.Add(watcher);
            }
        }
    }

    private void OnChange(string project, string path)
    {
        var segments = path.Replace('\\', '/').Split('/');
        if (segments.Any(s => s is "bin" or "obj" or ".lamina") || !Aws.Packaging.DotnetProject.SourceExtensions.Contains(Path.GetExtension(path)))
        {
            return;
        }
        lock (_gate)
        {
            if (_pending.TryGetValue(project, out var existing))
            {
                existing.Change(TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
                return;
            }
            _pending[project] = new Timer(_ => _ = ReloadAsync(project), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        }
    }

    private async Task ReloadAsync(string project)
    {
        lock (_gate)
        {
            if (_pending.Remove(project, out var timer))
            {
                timer.Dispose();
            }
        }
        var watch = Stopwatch.StartNew();
        try
        {
            log($"lamina: {Path.GetFileName(project)} changed, rebuilding");
            await cloud.Handlers.BuildAsync(project, rebuild: true, CancellationToken.None).ConfigureAwait(false);
            var reloaded = 0;
            foreach (var (name, function) in cloud.FunctionConstructs)
            {
                if (cloud.Handlers.ProjectOf(function) == project)
                {
                    cloud.Lambda.ReplaceHandler(name, await cloud.Handlers.CreateAsync(function, CancellationToken.None).ConfigureAwait(false));
                    reloaded++;
                }
            }
            log($"lamina: reloaded {reloaded} function(s) in {watch.Elapsed.TotalSeconds:0.0} s; queued messages are kept");
            Reloaded?.Invoke(project, reloaded);
        }
        catch (InvalidOperationException e)
        {
            log($"lamina: rebuild failed, the previous build keeps serving:\n{e.Message}");
            Failed?.Invoke(project, e.Message);
        }
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        foreach (var w in _watchers)
        {
            w.Dispose();
        }
        lock (_gate)
        {
            foreach (var t in _pending.Values)
            {
                t.Dispose();
            }
            _pending.Clear();
        }
    }
}
