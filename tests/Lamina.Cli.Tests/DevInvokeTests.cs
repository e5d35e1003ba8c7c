using System.Diagnostics;
using System.Text;

namespace Lamina.Cli.Tests;

/// <summary>
/// <c>lamina dev</c> and <c>lamina invoke</c> forward to the app like <c>synth</c> does; small shell programs stand in
/// for the app (as in <see cref="CliTests"/>).
/// </summary>
public class DevInvokeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A project whose "app" prints its arguments joined with | on stdout, then, when an argument is "-", copies its
    /// stdin to stdout; the stack on stderr; exits 4.
    /// </summary>
    private string EchoProject()
    {
        _dir.Write("Pulumi.yaml", """
            name: echo
            runtime:
              name: yaml
              options:
                compiler: |-
                  sh -c 'printf "%s|" "$@"; printf "\n"; for a in "$@"; do if [ "$a" = "-" ]; then cat; fi; done; echo "stack=$PULUMI_STACK" >&2; exit 4' -- synth
            """);
        return _dir.Path;
    }

    [Fact]
    public void Dev_runs_the_app_dev_command_with_the_port_and_the_stack()
    {
        EchoProject();
        var r = CliRunner.Run(_dir.Dir("deep/er"), "dev", "--port", "4010", "--stack", "qa");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("dev|--port|4010|\n", r.Stdout);
        Assert.Contains("stack=qa", r.Stderr);
        var plain = CliRunner.Run(_dir.Path, ["dev"], new Dictionary<string, string> { ["PULUMI_STACK"] = "staging" });
        Assert.Equal("dev|\n", plain.Stdout);
        Assert.Contains("stack=staging", plain.Stderr);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("http")]
    public void Dev_refuses_a_bad_port(string port)
    {
        EchoProject();
        var r = CliRunner.Run(_dir.Path, "dev", "--port", port);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--port", r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Fact]
    public void Invoke_passes_the_function_and_the_event_file_as_a_full_path()
    {
        EchoProject();
        var cwd = _dir.Dir("events");
        _dir.Write("events/order.json", """{"id":1}""");
        var r = CliRunner.Run(cwd, "invoke", "shop/Api/GetOrder", "--event", "order.json", "--out-of-process", "-s", "prod");
        Assert.Equal(4, r.ExitCode);
        Assert.Equal($"invoke|shop/Api/GetOrder|--event|{Path.Combine(cwd, "order.json")}|--out-of-process|\n", r.Stdout);
        Assert.Contains("stack=prod", r.Stderr);
    }

    [Fact]
    public void Invoke_without_an_event_passes_none_so_the_app_uses_an_empty_object()
    {
        EchoProject();
        var r = CliRunner.Run(_dir.Path, "invoke", "GetOrder");
        Assert.Equal("invoke|GetOrder|\n", r.Stdout);
    }

    [Fact]
    public void Invoke_with_event_dash_forwards_stdin_to_the_app()
    {
        EchoProject();
        var stdin = new MemoryStream(Encoding.UTF8.GetBytes("""{"from":"stdin","é":true}"""));
        var r = CliRunner.Run(_dir.Path, ["invoke", "orders-fn", "--event", "-"], stdin: stdin);
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("invoke|orders-fn|--event|-|\n{\"from\":\"stdin\",\"é\":true}", r.Stdout);
    }

    [Fact]
    public void Invoke_with_a_missing_event_file_exits_1_without_running_the_app()
    {
        EchoProject();
        var r = CliRunner.Run(_dir.Path, "invoke", "fn", "--event", "nope.json");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("--event nope.json: no such file", r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Fact]
    public void Invoke_needs_a_function()
    {
        EchoProject();
        var r = CliRunner.Run(_dir.Path, "invoke");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Required argument missing for command: 'invoke'", r.Stderr);
    }

    [Fact]
    public void Dev_and_invoke_outside_a_project_exit_1()
    {
        Assert.Contains("no Pulumi.yaml", CliRunner.Run(_dir.Path, "dev").Stderr);
        Assert.Equal(1, CliRunner.Run(_dir.Path, "invoke", "fn").ExitCode);
    }

    [Fact]
    public void The_app_output_streams_live_instead_of_at_exit()
    {
        // The app prints "first", then waits (up to 10 s) for a file that the test creates only once "first" has
        // reached lamina's stdout: with buffered output it would print "late".
        _dir.Write("Pulumi.yaml", """
            name: slow
            runtime:
              name: yaml
              options:
                compiler: |-
                  sh -c 'echo first; i=0; while [ ! -f go ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; if [ -f go ]; then echo second; else echo late; fi' -- synth
            """);
        var stdout = new SignallingStream(text => text.Contains("first"), () => File.WriteAllText(Path.Combine(_dir.Path, "go"), ""));
        var code = LaminaCli.Run(["dev"], new CliContext
        {
            CurrentDirectory = _dir.Path,
            StandardOutput = stdout,
            StandardError = new MemoryStream(),
            GetEnvironmentVariable = _ => null,
        });
        Assert.Equal(0, code);
        Assert.Equal("first\nsecond\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    /// <summary>
    /// lamina as its own process: SIGTERM reaches the app (which exits 7 from its trap) and lamina returns the app's
    /// exit code; SIGINT sent to lamina alone (not from a terminal) reaches it too.
    /// </summary>
    [Theory]
    [InlineData("TERM", 7)]
    [InlineData("INT", 8)]
    public async Task A_signal_to_lamina_reaches_the_app_and_lamina_returns_its_exit_code(string signal, int expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        _dir.Write("Pulumi.yaml", """
            name: signals
            runtime:
              name: yaml
              options:
                compiler: |-
                  sh -c 'trap "echo got-TERM; exit 7" TERM; trap "echo got-INT; exit 8" INT; echo ready; while true; do sleep 0.05; done' -- synth
            """);
        var lamina = Path.Combine(AppContext.BaseDirectory, "lamina.dll");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(lamina);
        psi.ArgumentList.Add("dev");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            Assert.Equal("ready", await p.StandardOutput.ReadLineAsync());
            var (code, _, err) = Repo.Exec("kill", [$"-{signal}", p.Id.ToString()], _dir.Path, TimeSpan.FromSeconds(10));
            Assert.True(code == 0, err);
            var rest = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)), "lamina did not exit");
            Assert.Equal(expected, p.ExitCode);
            Assert.Equal($"got-{signal}\n", await rest);
            Assert.Equal("", await stderr);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A memory stream that runs an action the first time a write matches.</summary>
    private sealed class SignallingStream(Func<string, bool> match, Action action) : MemoryStream
    {
        private bool _done;

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            if (!_done && match(Encoding.UTF8.GetString(buffer, offset, count)))
            {
                _done = true;
                action();
            }
        }
    }
}
