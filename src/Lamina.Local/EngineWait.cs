namespace Lamina.Local;

/// <summary>The wait shared by the engines' real-time loops (messaging, S3, schedules).</summary>
internal static class EngineWait
{
    /// <summary>
    /// Waits on <paramref name="clock"/> until <paramref name="due"/> (no wait when it has passed; none at all when
    /// null), until <paramref name="wake"/> is completed by new work, or until <paramref name="token"/> is cancelled.
    /// Create <paramref name="wake"/> before reading <paramref name="due"/>, so that work added in between wakes the wait.
    /// </summary>
    public static async Task UntilDueOrWokenAsync(TimeProvider clock, DateTimeOffset? due, TaskCompletionSource wake, CancellationToken token)
    {
        var now = clock.GetUtcNow();
        if (due is { } at && at <= now)
        {
            return;
        }

        using var timer = due is { } next
            ? clock.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), wake, next - now, Timeout.InfiniteTimeSpan)
            : null;
        using var registration = token.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), wake);
        await wake.Task.ConfigureAwait(false);
    }
}
