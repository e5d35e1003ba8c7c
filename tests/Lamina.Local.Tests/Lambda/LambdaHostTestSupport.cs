using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lamina.Lambda;
using Lamina.Local.Lambda;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Lambda;

public sealed record Ping(string Name, string? Mode = null);

public sealed record Pong(string Message, string RequestId, string FunctionName, int MemoryLimitInMB, double RemainingSeconds, string LogStreamName, string? TraceId);

[JsonSerializable(typeof(Ping))]
[JsonSerializable(typeof(Pong))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class HostJson : JsonSerializerContext;

/// <summary>A handler made of a delegate.</summary>
public sealed class FuncHandler<TEvent, TResult>(Func<TEvent, ILambdaContext, Task<TResult>> handle) : ILambdaHandler<TEvent, TResult>
{
    public Task<TResult> HandleAsync(TEvent input, ILambdaContext context) => handle(input, context);
}

/// <summary>A byte-level handler made of a delegate.</summary>
public sealed class RawHandler(Func<ReadOnlyMemory<byte>, ILambdaContext, Task<ReadOnlyMemory<byte>>> handle) : IRawLambdaHandler
{
    public Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context) => handle(payload, context);
}

/// <summary>Builds hosts on a fake clock and in-process functions for the tests.</summary>
public static class HostTest
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static LocalLambdaHostOptions Options(FakeTimeProvider clock, ConcurrentQueue<LocalLogEntry>? logs = null) => new()
    {
        TimeProvider = clock,
        OnLog = logs is null ? null : logs.Enqueue,
    };

    /// <summary>An in-process function of <see cref="Ping"/> → <see cref="Pong"/>.</summary>
    public static LocalFunctionConfig Function(string name, Func<Ping, ILambdaContext, Task<Pong>> handle, int? reserved = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null, Func<LocalDeadLetter, Task>? deadLetter = null) => new()
    {
        Name = name,
        ReservedConcurrency = reserved,
        Timeout = timeout ?? TimeSpan.FromSeconds(3),
        Environment = environment ?? new Dictionary<string, string>(),
        DeadLetter = deadLetter,
        Handler = LocalFunctionHandler.InProcess(name + ".Handler",
            _ => new FuncHandler<Ping, Pong>(handle), HostJson.Default.Ping, HostJson.Default.Pong),
    };

    public static Task<Pong> Answer(Ping ping, ILambdaContext context) =>
        Task.FromResult(new Pong($"Hello, {ping.Name}!", context.AwsRequestId, context.FunctionName, context.MemoryLimitInMB,
            context.RemainingTime.TotalSeconds, context.LogStreamName, context.TraceId));

    public static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] PingJson(string name, string? mode = null) =>
        JsonSerializer.SerializeToUtf8Bytes(new Ping(name, mode), HostJson.Default.Ping);

    public static Pong ReadPong(LocalInvokeResult result) => JsonSerializer.Deserialize(result.Payload.Span, HostJson.Default.Pong)!;

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Patience);

    public static Task Within(this Task task) => task.WaitAsync(Patience);

    /// <summary>Waits in real time for something another thread or process does.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < giveUp, $"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>The repository root (the folder holding Constructs.sln), or null.</summary>
    public static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Constructs.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The built Hello.Handlers.dll of examples/hello (Debug or Release), or null.</summary>
    public static string? HelloBootstrap()
    {
        var root = RepositoryRoot();
        if (root is null)
        {
            return null;
        }

        return new[] { "Debug", "Release" }
            .Select(configuration => Path.Combine(root, "examples", "hello", "Hello.Handlers", "bin", configuration, "net10.0", "Hello.Handlers.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>A fresh directory under the temporary folder holding <paramref name="files"/>.</summary>
    public static string CodeDirectory(params (string Name, string Text)[] files)
    {
        var directory = Path.Combine(Path.GetTempPath(), "lamina-local-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, name), text);
        }

        return directory;
    }

    /// <summary>Finds <paramref name="executable"/> on PATH.</summary>
    public static bool OnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, executable)));
}

/// <summary>A fact that is skipped, with the reason, when <c>python3</c> is not on PATH.</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public PythonFactAttribute()
    {
        if (!HostTest.OnPath("python3"))
        {
            Skip = "python3 is not on PATH: the Python runtime shim cannot be tested on this machine.";
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when <c>node</c> is not on PATH.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!HostTest.OnPath("node"))
        {
            Skip = "node is not on PATH: the Node.js runtime shim cannot be tested on this machine.";
        }
    }
}

/// <summary>A fact that needs the built bootstrap of examples/hello/Hello.Handlers (a .NET Lamina runtime); skipped,
/// with the reason, when it is not built.</summary>
public sealed class HelloBootstrapFactAttribute : FactAttribute
{
    public HelloBootstrapFactAttribute()
    {
        if (HostTest.HelloBootstrap() is null)
        {
            Skip = "examples/hello/Hello.Handlers is not built (dotnet build examples/hello/Hello.Handlers): no .NET bootstrap to run out of process.";
        }
        else if (!HostTest.OnPath("dotnet"))
        {
            Skip = "dotnet is not on PATH.";
        }
    }
}
