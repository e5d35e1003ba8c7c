using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Lamina.Cli.Local;

namespace Lamina.Cli.Tests;

/// <summary><c>lamina trigger</c> against a small HTTP server standing in for a running <c>lamina dev</c> session.</summary>
public sealed class TriggerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly HttpListener _listener = new();
    private readonly List<(string Method, string Url, string ContentType, string Body)> _requests = [];
    private readonly Uri _url;

    public TriggerTests()
    {
        _dir.Write("Pulumi.yaml", "name: shop\nruntime: { name: yaml, options: { compiler: 'true -- synth' } }\n");
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(_url.AbsoluteUri);
        _listener.Start();
        _ = ServeAsync();
    }

    public void Dispose()
    {
        _listener.Close();
        _dir.Dispose();
    }

    /// <summary>Answers trigger/shop/Orders with 200 and the body it got, trigger/Broken with a JSON error, anything else with 404.</summary>
    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var request = context.Request;
            var body = await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync();
            lock (_requests)
            {
                _requests.Add((request.HttpMethod, request.RawUrl ?? "", request.ContentType ?? "", body));
            }
            var (status, answer) = request.RawUrl switch
            {
                "/_lamina/trigger/shop/Orders" or "/_lamina/trigger/Orders%20Queue" => (200, $$"""{"delivered":true,"got":{{(body.Length == 0 ? "null" : body)}}}"""),
                "/_lamina/trigger/Broken" => (500, """{"error":"the handler threw: boom"}"""),
                _ => (404, """{"error":{"message":"no trigger named that"}}"""),
            };
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private void StartSession(int? pid = null, string stack = "dev") =>
        new DevSession(pid ?? Environment.ProcessId, _url, stack).Write(_dir.Path);

    [Fact]
    public void Posts_the_event_file_to_the_trigger_and_prints_the_answer()
    {
        StartSession();
        _dir.Write("events/order.json", """{"orderId":"o-1"}""");
        var r = CliRunner.Run(_dir.Dir("events"), "trigger", "shop/Orders", "--event", "order.json");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("""{"delivered":true,"got":{"orderId":"o-1"}}""" + "\n", r.Stdout);
        Assert.Equal("", r.Stderr);
        var request = Assert.Single(_requests);
        Assert.Equal(("POST", "/_lamina/trigger/shop/Orders", "application/json", """{"orderId":"o-1"}"""), request);
    }

    [Fact]
    public void Without_an_event_posts_an_empty_body_and_escapes_the_target()
    {
        StartSession();
        var r = CliRunner.Run(_dir.Path, "trigger", "Orders Queue");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("""{"delivered":true,"got":null}""" + "\n", r.Stdout);
        Assert.Equal("", Assert.Single(_requests).Body);
    }

    [Fact]
    public void Event_dash_sends_stdin()
    {
        StartSession();
        var r = CliRunner.Run(_dir.Path, ["trigger", "shop/Orders", "--event", "-"], stdin: new MemoryStream("[1,2]"u8.ToArray()));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("[1,2]", Assert.Single(_requests).Body);
    }

    [Theory]
    [InlineData("Broken", "HTTP 500", "the handler threw: boom")]
    [InlineData("nope", "HTTP 404", "no trigger named that")]
    public void An_error_answer_exits_1_with_its_message_on_stderr(string target, string status, string message)
    {
        StartSession();
        var r = CliRunner.Run(_dir.Path, "trigger", target);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"lamina: trigger {target} failed ({status}", r.Stderr);
        Assert.EndsWith($": {message}\n", r.Stderr);
        Assert.Empty(r.StdoutBytes);
    }

    [Fact]
    public void Without_a_session_file_says_to_start_lamina_dev()
    {
        var r = CliRunner.Run(_dir.Dir("sub"), "trigger", "shop/Orders");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("lamina: no lamina dev session is running for this project (start one with `lamina dev`)\n", r.Stderr);
        Assert.Empty(_requests);
    }

    [Fact]
    public void A_session_whose_process_is_gone_is_not_running()
    {
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        StartSession(pid: gone.Id);
        var r = CliRunner.Run(_dir.Path, "trigger", "shop/Orders");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("lamina: no lamina dev session is running for this project", r.Stderr);
        Assert.Contains($"process {gone.Id}, which is not running", r.Stderr);
        Assert.Empty(_requests);
    }

    [Fact]
    public void A_session_that_does_not_answer_exits_1()
    {
        _listener.Stop();
        StartSession();
        var r = CliRunner.Run(_dir.Path, "trigger", "shop/Orders");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"the lamina dev session at {_url.AbsoluteUri} does not answer", r.Stderr);
    }

    [Fact]
    public void The_stack_option_must_match_the_session()
    {
        StartSession(stack: "dev");
        var r = CliRunner.Run(_dir.Path, "trigger", "shop/Orders", "--stack", "prod");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("runs stack 'dev', not 'prod'", r.Stderr);
        Assert.Equal(0, CliRunner.Run(_dir.Path, "trigger", "shop/Orders", "-s", "dev").ExitCode);
    }

    [Fact]
    public void A_broken_session_file_or_a_missing_event_file_exits_1()
    {
        _dir.Write(DevSession.RelativePath, "{\"pid\":\"x\"}");
        var broken = CliRunner.Run(_dir.Path, "trigger", "shop/Orders");
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("is not a lamina dev session file: 'pid'", broken.Stderr);
        StartSession();
        var missing = CliRunner.Run(_dir.Path, "trigger", "shop/Orders", "--event", "no.json");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--event no.json", missing.Stderr);
        Assert.Empty(_requests);
    }

    [Fact]
    public void Outside_a_project_exits_1()
    {
        using var elsewhere = new TempDir();
        var r = CliRunner.Run(elsewhere.Path, "trigger", "x");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no Pulumi.yaml", r.Stderr);
    }
}

public class DevSessionTests
{
    [Fact]
    public void The_file_is_the_documented_json_and_reads_back()
    {
        using var dir = new TempDir();
        var session = new DevSession(4321, new Uri("http://127.0.0.1:4000"), "dev");
        session.Write(dir.Path);
        var path = Path.Combine(dir.Path, ".lamina", "dev.json");
        Assert.Equal(path, DevSession.FilePath(dir.Path));
        Assert.Equal("""{"pid":4321,"controlUrl":"http://127.0.0.1:4000/","stack":"dev"}""" + "\n", File.ReadAllText(path));
        Assert.Equal(session with { ControlUrl = new Uri("http://127.0.0.1:4000/") }, DevSession.Read(dir.Path));
        Assert.Equal([path], Directory.GetFiles(Path.Combine(dir.Path, ".lamina"))); // no temporary file left
        DevSession.Delete(dir.Path);
        Assert.Null(DevSession.Read(dir.Path));
    }

    [Fact]
    public void Parse_ignores_other_fields_and_adds_the_trailing_slash()
    {
        var s = DevSession.Parse("""{"stack":"qa","controlUrl":"http://localhost:9/base","pid":7,"started":"x"}""");
        Assert.Equal((7, "http://localhost:9/base/", "qa"), (s.Pid, s.ControlUrl.AbsoluteUri, s.Stack));
        Assert.Equal("http://localhost:9/base/_lamina/trigger/shop/My%20Queue", s.TriggerUrl("shop/My Queue").AbsoluteUri);
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("{", "invalid JSON")]
    [InlineData("""{"pid":0,"controlUrl":"http://a/","stack":"dev"}""", "'pid'")]
    [InlineData("""{"pid":1,"controlUrl":"ftp://a/","stack":"dev"}""", "'controlUrl'")]
    [InlineData("""{"pid":1,"controlUrl":"/relative","stack":"dev"}""", "'controlUrl'")]
    [InlineData("""{"pid":1,"controlUrl":"http://a/"}""", "'stack'")]
    public void Parse_says_what_is_wrong(string json, string message) =>
        Assert.Contains(message, Assert.Throws<DevSessionException>(() => DevSession.Parse(json)).Message);

    [Fact]
    public void Is_running_only_for_a_live_process()
    {
        Assert.True(new DevSession(Environment.ProcessId, new Uri("http://127.0.0.1:1/"), "dev").IsRunning());
        using var gone = Process.Start(new ProcessStartInfo("true"))!;
        gone.WaitForExit();
        Assert.False(new DevSession(gone.Id, new Uri("http://127.0.0.1:1/"), "dev").IsRunning());
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("a/./b")]
    public void Trigger_targets_cannot_climb_out_of_the_trigger_path(string target) =>
        Assert.Throws<ArgumentException>(() => new DevSession(1, new Uri("http://127.0.0.1:1/"), "dev").TriggerUrl(target));
}
