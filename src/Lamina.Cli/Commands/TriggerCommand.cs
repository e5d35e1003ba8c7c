using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lamina.Cli.Local;
using Lamina.Cli.Projects;

namespace Lamina.Cli.Commands;

/// <summary>
/// <c>lamina trigger &lt;target&gt; [--event FILE|-] [--stack NAME]</c>: sends an event to a trigger of the app that a
/// running <c>lamina dev</c> session serves. It reads the session from <c>.lamina/dev.json</c> in the project (see
/// <see cref="DevSession"/>), POSTs the event file's content (or an empty body) to
/// <c>{controlUrl}_lamina/trigger/{target}</c>, prints the response body on stdout and exits 0 on a 2xx status; on any
/// other status it prints the error message of the JSON response (<c>{"error":"..."}</c> or <c>{"message":"..."}</c>)
/// on stderr and exits 1.
/// </summary>
public sealed class TriggerCommand : ICliCommand
{
    /// <summary>The message when the project has no running session.</summary>
    public const string NoSessionMessage = "no lamina dev session is running for this project (start one with `lamina dev`)";

    /// <summary>How long lamina waits for the session's answer (a trigger may run a function to its end: up to Lambda's 15 minutes).</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromMinutes(16);

    /// <inheritdoc />
    public Command Build(CliServices cli)
    {
        var command = new Command("trigger",
            "Send an event to a trigger (queue, topic, schedule, bucket, API route, function) of the app running in `lamina dev`, " +
            "and print the session's answer.");
        var target = new Argument<string>("target")
        {
            Description = "What to trigger: a construct path (shop/Orders), a construct id (Orders) or a resource name, as the dev session knows them.",
        };
        var eventOption = new Option<string>("--event", "-e")
        {
            Description = "The event or message to send: a file (relative to the current folder), or - for stdin. Default: an empty body (the trigger's default event).",
            HelpName = "FILE|-",
        };
        var stack = AppRun.StackOption();
        stack.Description = "Check that the running session runs this stack. Default: any.";
        command.Arguments.Add(target);
        command.Options.Add(eventOption);
        command.Options.Add(stack);
        command.SetAction(async (parse, cancellation) =>
        {
            var name = parse.GetValue(target)!;
            DevSession? session;
            try
            {
                var project = PulumiProject.Locate(cli.Context.CurrentDirectory, parse.GetValue(cli.ProjectOption));
                session = DevSession.Read(project.RootDirectory);
            }
            catch (Exception e) when (e is PulumiProjectException or DevSessionException)
            {
                cli.Error.WriteLine($"lamina: {e.Message}");
                return 1;
            }
            if (session is null)
            {
                cli.Error.WriteLine($"lamina: {NoSessionMessage}");
                return 1;
            }
            if (!session.IsRunning())
            {
                cli.Error.WriteLine($"lamina: {NoSessionMessage}");
                cli.Error.WriteLine($"lamina: (the session file names process {session.Pid}, which is not running)");
                return 1;
            }
            if (parse.GetValue(stack) is { Length: > 0 } wanted && wanted != session.Stack)
            {
                cli.Error.WriteLine($"lamina: the lamina dev session of this project runs stack '{session.Stack}', not '{wanted}'");
                return 1;
            }
            byte[] body = [];
            if (parse.GetValue(eventOption) is { } file)
            {
                try
                {
                    body = file == "-" ? ReadAll(cli.Context.StandardInput ?? Console.OpenStandardInput()) : File.ReadAllBytes(Path.GetFullPath(file, cli.Context.CurrentDirectory));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    cli.Error.WriteLine($"lamina: --event {file}: {e.Message}");
                    return 1;
                }
            }
            Uri url;
            try
            {
                url = session.TriggerUrl(name);
            }
            catch (ArgumentException e)
            {
                cli.Error.WriteLine($"lamina: {e.Message}");
                return LaminaCli.UsageExitCode;
            }
            return await SendAsync(cli, name, url, body, cancellation).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> SendAsync(CliServices cli, string target, Uri url, byte[] body, CancellationToken cancellation)
    {
        // The session is on this machine: never go through a proxy.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsync(url, content, cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            cli.Error.WriteLine($"lamina: the lamina dev session at {url.GetLeftPart(UriPartial.Authority)}/ does not answer ({e.Message}); is `lamina dev` still running?");
            return 1;
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            cli.Error.WriteLine($"lamina: the lamina dev session did not answer within {Timeout.TotalMinutes:0} minutes");
            return 1;
        }
        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                cli.Context.StandardOutput.Write(bytes);
                if (bytes.Length > 0 && bytes[^1] != (byte)'\n')
                {
                    cli.Context.StandardOutput.WriteByte((byte)'\n');
                }
                cli.Context.StandardOutput.Flush();
                return 0;
            }
            cli.Error.WriteLine($"lamina: trigger {target} failed (HTTP {(int)response.StatusCode} {response.ReasonPhrase}): {ErrorMessage(bytes, response.ReasonPhrase)}");
            return 1;
        }
    }

    /// <summary>The message of an error response: <c>error</c> (a string, or an object's <c>message</c>) or <c>message</c> of a JSON object, else the text.</summary>
    internal static string ErrorMessage(byte[] body, string? reason)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return error.GetString()!;
                    }
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.String)
                    {
                        return inner.GetString()!;
                    }
                }
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString()!;
                }
                if (root.TryGetProperty("errorMessage", out var lambda) && lambda.ValueKind == JsonValueKind.String)
                {
                    return lambda.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
        }
        var text = Encoding.UTF8.GetString(body).Trim();
        return text.Length > 0 ? text : reason ?? "no details";
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
