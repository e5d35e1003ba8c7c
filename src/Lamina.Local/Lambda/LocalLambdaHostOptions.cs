using Lamina.Lambda.Invoke;

namespace Lamina.Local.Lambda;

/// <summary>Settings of a <see cref="LocalLambdaHost"/>.</summary>
public sealed record LocalLambdaHostOptions
{
    /// <summary>The clock for deadlines, timeouts, retry delays, records and log stream names. Default: the system
    /// clock; tests pass a <c>FakeTimeProvider</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The region of functions that set none (<c>AWS_REGION</c>, ARNs). Default: <c>us-east-1</c>.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account id in function ARNs. Default: <c>000000000000</c>.</summary>
    public string AccountId { get; init; } = "000000000000";

    /// <summary>The account's concurrency limit: functions without reserved concurrency share what the
    /// reservations leave of it. Default: 1,000, Lambda's default quota.</summary>
    public int AccountConcurrencyLimit { get; init; } = 1000;

    /// <summary>The credentials given to every function (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
    /// <c>AWS_SESSION_TOKEN</c>). Default: fake temporary credentials; the host's own credentials are never passed
    /// on.</summary>
    public AwsCredentials Credentials { get; init; } = new("ASIALOCALLAMINA00000", "local-lamina-secret-access-key", "local-lamina-session-token");

    /// <summary>Makes request ids. Default: a new GUID each time, as Lambda's.</summary>
    public Func<string>? RequestIdFactory { get; init; }

    /// <summary>How many invocation records <see cref="LocalLambdaHost.Invocations"/> keeps (the oldest are
    /// dropped). Default: 10,000.</summary>
    public int MaxInvocationRecords { get; init; } = 10_000;

    /// <summary>An instance idle for longer than this is shut down, so the next invocation is a cold start again.
    /// Default: null, idle instances are kept until the host is disposed (Lambda's reclaiming is not predictable).</summary>
    public TimeSpan? IdleInstanceTimeout { get; init; }

    /// <summary>Called with each log line captured from a function (for example to print it). Default: none.</summary>
    public Action<LocalLogEntry>? OnLog { get; init; }

    /// <summary>Called with each completed invocation record. Default: none.</summary>
    public Action<LocalInvocationRecord>? OnInvocation { get; init; }

    /// <summary>The host's environment variables an out-of-process runtime inherits, so interpreters can be found
    /// and run; every other variable of the host (its AWS credentials in particular) is withheld. Default:
    /// <c>PATH</c>, <c>HOME</c>, <c>TMPDIR</c>, <c>TEMP</c>, <c>TMP</c>, <c>SYSTEMROOT</c>, <c>DOTNET_ROOT</c>,
    /// <c>PYENV_ROOT</c>, <c>PYENV_VERSION</c>, <c>LD_LIBRARY_PATH</c>.</summary>
    public IReadOnlyList<string> InheritedEnvironmentVariables { get; init; } =
        ["PATH", "HOME", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "DOTNET_ROOT", "PYENV_ROOT", "PYENV_VERSION", "LD_LIBRARY_PATH"];

    /// <summary>How long the host waits, in real time, for the remaining output of a runtime process that exited
    /// or was killed, and for background work when it is disposed. Default: 2 seconds.</summary>
    public TimeSpan ProcessStopTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
