using System.ComponentModel;
using System.Diagnostics;

namespace Lamina.Cli.Processes;

/// <summary>Runs an <see cref="AppInvocation"/> as a child process, copying its output byte for byte.</summary>
public static class AppProcessRunner
{
    /// <summary>The exit code when the program cannot be started (as a shell reports a missing command).</summary>
    public const int CannotStartExitCode = 127;

    /// <summary>
    /// Runs <paramref name="invocation"/>; the child's stdout goes to <paramref name="stdout"/> and its stderr to
    /// <paramref name="stderr"/> unchanged; stdin is inherited. Returns the child's exit code. While the child runs,
    /// Ctrl+C is left to the child (it gets the signal too) and lamina waits for its exit code.
    /// </summary>
    public static int Run(AppInvocation invocation, Stream stdout, Stream stderr)
    {
        var psi = new ProcessStartInfo(invocation.Arguments[0])
        {
            WorkingDirectory = invocation.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
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
        ConsoleCancelEventHandler keepRunning = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += keepRunning;
        try
        {
            using var process = new Process { StartInfo = psi };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                var message = System.Text.Encoding.UTF8.GetBytes(
                    $"lamina: cannot run '{invocation.Arguments[0]}' in {invocation.WorkingDirectory}: {e.Message}{Environment.NewLine}");
                stderr.Write(message);
                stderr.Flush();
                return CannotStartExitCode;
            }
            var copyOut = CopyAsync(process.StandardOutput.BaseStream, stdout);
            var copyErr = CopyAsync(process.StandardError.BaseStream, stderr);
            process.WaitForExit();
            Task.WaitAll(copyOut, copyErr);
            return process.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= keepRunning;
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
