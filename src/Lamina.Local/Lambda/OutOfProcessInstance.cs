using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lamina.Lambda.ExceptionHandling;
using Lamina.Local.RuntimeApi;

namespace Lamina.Local.Lambda;

/// <summary>
/// An instance running a runtime process (a published bootstrap, or an interpreter with a shim) against its own
/// <see cref="LocalRuntimeApiServer"/>. Output lines are attributed to the invocation in progress; lines written
/// before the first invocation (initialization) go to the first invocation's record.
/// </summary>
internal sealed class OutOfProcessInstance : FunctionInstance
{
    private readonly OutOfProcessHandler _handler;
    private readonly LocalLambdaHostOptions _options;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _logGate = new();
    private readonly List<LocalLogEntry> _pendingLogs = [];
    // Per stream (0 = standard output, 1 = standard error): the current invocation's end marker was read.
    private readonly bool[] _markerSeen = new bool[2];
    private TaskCompletionSource[]? _markerSignals;
    private string? _markerRequestId;
    private LocalInvocationRecord? _current;
    private LocalInvocationRecord? _last;
    private LocalRuntimeApiServer? _server;
    private Process? _process;
    private Task _stdout = Task.CompletedTask;
    private Task _stderr = Task.CompletedTask;
    private int _disposed;

    public OutOfProcessInstance(FunctionState function, OutOfProcessHandler handler, int id, string logStreamName,
        IReadOnlyDictionary<string, string> environment, LocalLambdaHostOptions options)
        : base(function, id, logStreamName, environment, options.TimeProvider, options.OnLog)
    {
        _handler = handler;
        _options = options;
    }

    public override async Task<InstanceOutcome> InvokeAsync(InvocationRequest request, LocalInvocationRecord record)
    {
        lock (_logGate)
        {
            _current = record;
            _markerSeen[0] = _markerSeen[1] = false;
            _markerRequestId = request.RequestId;
            _markerSignals = _handler.WritesLogMarkers
                ? [new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)]
                : null;
            foreach (var entry in _pendingLogs)
            {
                record.AddLog(entry with { RequestId = entry.RequestId ?? record.RequestId });
            }

            _pendingLogs.Clear();
        }

        try
        {
            if (_server is null)
            {
                var startError = await StartAsync(request.RequestId).ConfigureAwait(false);
                if (startError is not null)
                {
                    return InstanceOutcome.Failed(LocalInvocationOutcome.RuntimeExited, startError);
                }
            }

            using var abandon = new CancellationTokenSource();
            var invoke = _server!.InvokeAsync(request.Payload, new InvocationOptions
            {
                RequestId = request.RequestId,
                Timeout = Function.Config.Timeout,
                FunctionArn = Function.Arn,
                TraceId = request.TraceId,
            }, abandon.Token);
            await Task.WhenAny(invoke, _exited.Task).ConfigureAwait(false);
            if (invoke.IsCompletedSuccessfully)
            {
                if (_markerSignals is { } markers && invoke.Result.Outcome is InvocationOutcome.Success or InvocationOutcome.FunctionError
                        or InvocationOutcome.ResponseTooLarge)
                {
                    // The runtime wrote its end markers before posting: once both are read, so is every line before them.
                    await Task.WhenAny(Task.WhenAll(markers[0].Task, markers[1].Task), _exited.Task, Task.Delay(_options.ProcessStopTimeout))
                        .ConfigureAwait(false);
                }

                return Map(invoke.Result);
            }

            if (!invoke.IsCompleted)
            {
                // The process exited with the invocation in flight.
                await abandon.CancelAsync().ConfigureAwait(false);
            }

            _ = invoke.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var exitCode = await _exited.Task.ConfigureAwait(false);
            MarkBroken();
            if (_server.InitError is { } initError)
            {
                return InstanceOutcome.Failed(LocalInvocationOutcome.InitError, initError);
            }

            return InstanceOutcome.Failed(LocalInvocationOutcome.RuntimeExited,
                LambdaErrorPayload.Create("Runtime.ExitError", $"RequestId: {request.RequestId} Error: {DescribeExit(exitCode)}"));
        }
        finally
        {
            lock (_logGate)
            {
                _last = record;
                _current = null;
            }
        }
    }

    private InstanceOutcome Map(InvocationResult result)
    {
        switch (result.Outcome)
        {
            case InvocationOutcome.Success:
                return new InstanceOutcome(LocalInvocationOutcome.Success, result.Payload, null);
            case InvocationOutcome.FunctionError:
                return new InstanceOutcome(LocalInvocationOutcome.FunctionError, result.Payload, result.Error);
            case InvocationOutcome.ResponseTooLarge:
                return new InstanceOutcome(LocalInvocationOutcome.ResponseTooLarge, result.Payload, result.Error);
            case InvocationOutcome.TimedOut:
                // Lambda stops the execution environment of a timed-out invocation: the process is killed.
                MarkBroken();
                Kill();
                return new InstanceOutcome(LocalInvocationOutcome.TimedOut, result.Payload, result.Error);
            default:
                MarkBroken();
                Kill();
                return new InstanceOutcome(LocalInvocationOutcome.InitError, result.Payload, result.Error);
        }
    }

    /// <summary>Lambda's wording for a runtime that exited: <c>exit status N</c>, or the signal that killed it.</summary>
    internal static string DescribeExit(int exitCode) => exitCode switch
    {
        0 => "Runtime exited without providing a reason",
        134 => "Runtime exited with error: signal: aborted",
        137 => "Runtime exited with error: signal: killed",
        139 => "Runtime exited with error: signal: segmentation fault",
        143 => "Runtime exited with error: signal: terminated",
        _ => string.Create(CultureInfo.InvariantCulture, $"Runtime exited with error: exit status {exitCode}"),
    };

    private async Task<LambdaErrorPayload?> StartAsync(string requestId)
    {
        _server = await LocalRuntimeApiServer.StartAsync(new LocalRuntimeApiOptions
        {
            TimeProvider = TimeProvider,
            DefaultTimeout = Function.Config.Timeout,
            FunctionArn = Function.Arn,
            MaxResponseBytes = MaxResponseBytes,
        }).ConfigureAwait(false);

        var start = new ProcessStartInfo(_handler.Command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = _handler.CodeDirectory ?? "",
        };
        foreach (var argument in _handler.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var name in _options.InheritedEnvironmentVariables)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = _server.RuntimeApiAddress;
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
        {
            process.Dispose();
            MarkBroken();
            _exited.TrySetResult(-1);
            return LambdaErrorPayload.Create("Runtime.InvalidEntrypoint",
                $"RequestId: {requestId} Error: fork/exec {_handler.Command}: {exception.Message}");
        }

        _process = process;
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process is already gone; the exit watcher reports it.
        }

        _stdout = PumpAsync(process.StandardOutput, isStandardError: false);
        _stderr = PumpAsync(process.StandardError, isStandardError: true);
        _ = WatchAsync(process);
        return null;
    }

    private async Task WatchAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            // Read what the process wrote before it exited (bounded: a child of it may hold the pipes open). This
            // is a wait on the operating system, so it uses real time rather than the host clock.
            await Task.WhenAny(Task.WhenAll(_stdout, _stderr), Task.Delay(_options.ProcessStopTimeout)).ConfigureAwait(false);
            MarkBroken();
            _exited.TrySetResult(process.ExitCode);
        }
        catch (Exception exception)
        {
            MarkBroken();
            _exited.TrySetException(exception);
        }
    }

    private async Task PumpAsync(StreamReader reader, bool isStandardError)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                OnLine(line, isStandardError);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone.
        }
    }

    private void OnLine(string line, bool isStandardError)
    {
        var stream = isStandardError ? 1 : 0;
        if (line.StartsWith(LocalRuntimeShims.InvocationEndMarker, StringComparison.Ordinal))
        {
            TaskCompletionSource? signal = null;
            lock (_logGate)
            {
                if (string.Equals(line[LocalRuntimeShims.InvocationEndMarker.Length..], _markerRequestId, StringComparison.Ordinal))
                {
                    _markerSeen[stream] = true;
                    signal = _markerSignals?[stream];
                }
            }

            signal?.TrySetResult();
            return;
        }

        LocalLogEntry entry;
        lock (_logGate)
        {
            // After the end marker, a line belongs to no invocation yet: it goes to the next one, like init lines.
            var record = _markerSeen[stream] ? null : _current ?? _last;
            entry = LocalLogEntry.Parse(Function.Name, line, TimeProvider.GetUtcNow(), record?.RequestId, isStandardError);
            if (record is null)
            {
                _pendingLogs.Add(entry);
            }
            else
            {
                record.AddLog(entry);
            }
        }

        LogSink?.Invoke(entry);
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited.
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        MarkBroken();
        Kill();
        if (_process is not null)
        {
            await Task.WhenAny(_exited.Task, Task.Delay(_options.ProcessStopTimeout)).ConfigureAwait(false);
            _process.Dispose();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
