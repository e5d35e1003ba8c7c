using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Lamina.Lambda.Events;
using Lamina.Lambda.Serialization;
using Lamina.Local.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Lamina.Local.Tests.Storage;

/// <summary>An S3 engine on a fake clock, with a recording target.</summary>
internal sealed class S3Fixture : IDisposable
{
    internal static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    internal S3Fixture(bool disk = false, TimeSpan? debounce = null)
    {
        Clock = new FakeTimeProvider(Start);
        if (disk)
        {
            Root = Path.Combine(Path.GetTempPath(), "lamina-s3-" + Guid.NewGuid().ToString("N"));
        }

        Engine = new LocalS3(Clock, new LocalS3Options
        {
            RootDirectory = Root,
            Region = "eu-west-1",
            WatchDebounce = debounce ?? TimeSpan.FromMilliseconds(200),
        });
        Engine.EventRecorded += e => Events.Enqueue(e);
    }

    internal FakeTimeProvider Clock { get; }

    internal LocalS3 Engine { get; }

    internal string? Root { get; }

    /// <summary>Every S3 event, notified or not.</summary>
    internal ConcurrentQueue<S3EventRecordInfo> Events { get; } = new();

    /// <summary>The event JSON every recording target received, with the configuration it was sent for.</summary>
    internal ConcurrentQueue<(string Config, string Json)> Delivered { get; } = new();

    internal Func<ReadOnlyMemory<byte>, CancellationToken, Task> Recorder(string name) => (json, _) =>
    {
        Delivered.Enqueue((name, Encoding.UTF8.GetString(json.Span)));
        return Task.CompletedTask;
    };

    internal LocalBucketNotification Notify(string bucket, string name, string[] events, string? prefix = null, string? suffix = null) =>
        Engine.AddNotification(bucket, new LocalBucketNotification
        {
            Id = name,
            Events = events,
            Prefix = prefix,
            Suffix = suffix,
            Target = Recorder(name),
        });

    internal List<S3EventRecord> DeliveredRecords(string? config = null) =>
        [.. Delivered.Where(d => config is null || d.Config == config).Select(d => Assert.Single(Parse(d.Json).Records))];

    internal static S3Event Parse(string json) =>
        JsonSerializer.Deserialize(json, LambdaEventsJsonContext.Default.S3Event) ?? throw new InvalidOperationException("null event");

    internal static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// Waits for the file watcher: advances the fake clock past the debounce and delivers, repeatedly, until
    /// <paramref name="condition"/> holds (polling every few milliseconds, at most 30 seconds).
    /// </summary>
    internal async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Clock.Advance(Engine.Options.WatchDebounce);
            await Engine.RunUntilIdleAsync();
            if (condition())
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        Engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Root is not null && Directory.Exists(Root))
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
