namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>Delays on a <see cref="TimeProvider"/>.</summary>
internal static class Clock
{
    /// <summary>
    /// Completes after <paramref name="delay"/> on <paramref name="time"/>, or cancels with <paramref name="token"/>.
    /// Unlike <c>Task.Delay</c>, continuations of both outcomes may run inline on the thread that fires the timer or
    /// cancels the token, so that a test advancing a fake clock observes the execution's next step when Advance returns.
    /// </summary>
    internal static Task DelayAsync(TimeProvider time, TimeSpan delay, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            return Task.FromCanceled(token);
        }

        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var state = new DelayState(token);
        state.Start(time, delay);
        return state.Task;
    }

    private sealed class DelayState(CancellationToken token) : TaskCompletionSource
    {
        private readonly object _gate = new();
        private ITimer? _timer;
        private CancellationTokenRegistration _registration;

        internal void Start(TimeProvider time, TimeSpan delay)
        {
            var timer = time.CreateTimer(static s => ((DelayState)s!).Finish(canceled: false), this, delay, Timeout.InfiniteTimeSpan);
            var registration = token.CanBeCanceled
                ? token.Register(static s => ((DelayState)s!).Finish(canceled: true), this)
                : default;
            lock (_gate)
            {
                _timer = timer;
                _registration = registration;
            }

            if (Task.IsCompleted)
            {
                Cleanup();
            }
        }

        private void Finish(bool canceled)
        {
            var completed = canceled ? TrySetCanceled(token) : TrySetResult();
            if (completed)
            {
                Cleanup();
            }
        }

        private void Cleanup()
        {
            ITimer? timer;
            CancellationTokenRegistration registration;
            lock (_gate)
            {
                timer = _timer;
                registration = _registration;
                _timer = null;
                _registration = default;
            }

            timer?.Dispose();
            registration.Unregister();
        }
    }
}
