using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lamina.Cli.Processes;

/// <summary>Runs an <see cref="AppInvocation"/> as a child process, copying its output byte for byte.</summary>
public static class AppProcessRunner
{
    /// <summary>The exit code when the program cannot be started (as a shell reports a missing command).</summary>
    public const int CannotStartExitCode = 127;

    /// <summary>
    /// Runs <paramref name="invocation"/>; the child's stdout goes to <paramref name="stdout"/> and its stderr to
    /// <paramref name="stderr"/> unchanged, as it comes (nothing is buffered). Returns the child's exit code.
    /// </summary>
    /// <param name="invocation">The program, folder and environment.</param>
    /// <param name="stdout">Where the child's stdout goes.</param>
    /// <param name="stderr">Where the child's stderr goes.</param>
    /// <param name="stdin">
    /// What the child reads on stdin: null (the default) to let it inherit lamina's own stdin; otherwise the stream is
    /// copied to the child and its stdin is closed at the end of the stream.
    /// </param>
    /// <remarks>
    /// Signals: while the child runs, lamina does not exit on Ctrl+C (SIGINT) or SIGTERM; it waits for the child and
    /// returns its exit code. A SIGTERM (and SIGHUP, SIGQUIT) sent to lamina is passed on to the child. Ctrl+C in a
    /// terminal reaches the child directly (it is in the terminal's foreground process group), so SIGINT is passed on
    /// only when lamina's stdin is not a terminal (lamina was signalled by another program).
    /// </remarks>
    public static int Run(AppInvocation invocation, Stream stdout, Stream stderr, Stream? stdin = null)
    {
        var psi = new ProcessStartInfo(invocation.Arguments[0])
        {
            WorkingDirectory = invocation.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
        };
        foreach (var a in invocation.Arguments.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (key, value) in invocation.Environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }
        using var process = new Process { StartInfo = psi };
        var started = false;
        var registrations = new List<PosixSignalRegistration>();
        try
        {
            // Registered before the start, so that no signal falls between the start and the registration.
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Forward(c, Console.IsInputRedirected)));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Forward(c, true)));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => Forward(c, true)));
            if (!OperatingSystem.IsWindows())
            {
                registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => Forward(c, true)));
            }
            try
            {
                process.Start();
                Volatile.Write(ref started, true);
            }
            catch (Win32Exception e)
            {
                var message = System.Text.Encoding.UTF8.GetBytes(
                    $"lamina: cannot run '{invocation.Arguments[0]}' in {invocation.WorkingDirectory}: {e.Message}{Environment.NewLine}");
                stderr.Write(message);
                stderr.Flush();
                return CannotStartExitCode;
            }
            var copyIn = stdin is null ? Task.CompletedTask : FeedAsync(stdin, process.StandardInput.BaseStream);
            var copyOut = CopyAsync(process.StandardOutput.BaseStream, stdout);
            var copyErr = CopyAsync(process.StandardError.BaseStream, stderr);
            process.WaitForExit();
            Task.WaitAll(copyOut, copyErr);
            // The child may exit without reading all its input; that is not lamina's error.
            copyIn.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(1));
            return process.ExitCode;
        }
        finally
        {
            foreach (var r in registrations)
            {
                r.Dispose();
            }
        }

        void Forward(PosixSignalContext context, bool passOn)
        {
            context.Cancel = true; // lamina stays until the child has exited, and returns its exit code
            if (passOn && Volatile.Read(ref started))
            {
                SendSignal(process, context.Signal);
            }
        }
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="process"/> (on Windows, where there are no signals, stops it).</summary>
    private static void SendSignal(Process process, PosixSignal signal)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }
            if (OperatingSystem.IsWindows())
            {
                process.Kill(entireProcessTree: true);
                return;
            }
            var number = signal switch
            {
                PosixSignal.SIGINT => 2,
                PosixSignal.SIGQUIT => 3,
                PosixSignal.SIGHUP => 1,
                _ => 15, // SIGTERM: the same number on Linux and macOS
            };
            _ = Kill(process.Id, number);
        }
        catch (InvalidOperationException)
        {
            // The process is gone.
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static async Task FeedAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to).ConfigureAwait(false);
        }
        finally
        {
            to.Close();
        }
    }

    private static async Task CopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        var open = true;
        int n;
        while ((n = await from.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (!open)
            {
                continue; // the reader went away (lamina synth | head): drain, so the app never blocks on a full pipe
            }
            try
            {
                lock (to)
                {
                    to.Write(buffer, 0, n);
                    to.Flush();
                }
            }
            catch (IOException)
            {
                open = false;
            }
        }
    }
}
