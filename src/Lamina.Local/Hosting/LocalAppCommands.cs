using System.Text;
using Lamina.Lambda.Invoke;
using Lamina.Local.Cloud;

namespace Lamina.Local.Hosting;

/// <summary>
/// The commands Lamina.Local adds to every Lamina app that references it: <c>dev</c> (run the whole app locally) and
/// <c>invoke</c> (invoke one function once). <c>lamina dev</c> and <c>lamina invoke</c> run them through the project's
/// compiler command, as <c>lamina synth</c> runs <c>synth</c>.
/// </summary>
public static class LocalAppCommands
{
    /// <summary>Registers the commands with <see cref="LaminaAppCommands"/> (called by Lamina.Core's discovery).</summary>
    public static void Register()
    {
        LaminaAppCommands.Register(new LaminaAppCommand("dev",
            "dev       [--stack NAME] [--port N] [--in-process]            run the app locally: APIs, queues, topics, buckets, schedules, state machines",
            DevCommand.Run));
        LaminaAppCommands.Register(new LaminaAppCommand("invoke",
            "invoke    FUNCTION [--event FILE|-] [--stack NAME] [--out-of-process]   invoke one function locally; the response goes to stdout",
            Invoke));
    }

    /// <summary>Runs <c>invoke FUNCTION [--event FILE|-] [--out-of-process]</c>.</summary>
    public static int Invoke(LaminaAppCommandContext context)
    {
        string? function = null, eventFile = null;
        var outOfProcess = false;
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            switch (context.Arguments[i])
            {
                case "--event" when i + 1 < context.Arguments.Count:
                    eventFile = context.Arguments[++i];
                    break;
                case "--out-of-process":
                    outOfProcess = true;
                    break;
                case var a when !a.StartsWith('-') && function is null:
                    function = a;
                    break;
                default:
                    context.Stderr.WriteLine($"lamina: unknown or incomplete option '{context.Arguments[i]}' for 'invoke'");
                    context.Stderr.WriteLine("usage: invoke FUNCTION [--event FILE|-] [--stack NAME] [--out-of-process]");
                    return 2;
            }
        }
        if (function is null)
        {
            context.Stderr.WriteLine("lamina: invoke needs a function (a construct path, id or function name).");
            return 2;
        }
        string payload;
        try
        {
            payload = eventFile switch
            {
                null => "{}",
                "-" => Console.In.ReadToEnd(),
                _ => File.ReadAllText(Path.GetFullPath(eventFile, context.App.RootDirectory)),
            };
        }
        catch (IOException e)
        {
            context.Stderr.WriteLine($"lamina: cannot read the event: {e.Message}");
            return 1;
        }
        return InvokeAsync(context, function, payload, outOfProcess).GetAwaiter().GetResult();
    }

    private static async Task<int> InvokeAsync(LaminaAppCommandContext context, string function, string payload, bool outOfProcess)
    {
        var stderr = context.Stderr;
        await using var cloud = await LocalCloud.StartAsync(context.Stack, new LocalCloudOptions
        {
            Clock = LocalClock.WallClock(),
            ServeApis = false,
            HandlerMode = outOfProcess ? LocalHandlerMode.OutOfProcess : LocalHandlerMode.InProcess,
            OnLog = entry => stderr.WriteLine(entry.Raw),
            OnMessage = m => stderr.WriteLine("lamina: " + m),
        }).ConfigureAwait(false);
        LocalFunction target;
        try
        {
            target = cloud.Function(function);
        }
        catch (KeyNotFoundException e)
        {
            stderr.WriteLine("lamina: " + e.Message);
            return 1;
        }
        var result = await target.InvokeAsync(payload, InvocationType.RequestResponse).ConfigureAwait(false);
        if (result.Record is { } record)
        {
            stderr.WriteLine($"REPORT RequestId: {record.RequestId}\tDuration: {record.Duration.TotalMilliseconds:0.00} ms\t{(record.Cold ? "Init: cold\t" : "")}Outcome: {record.Outcome}");
        }
        var body = result.ServiceError is { } service ? Encoding.UTF8.GetString(service.ToUtf8Json()) : result.PayloadText;
        await context.Stdout.WriteAsync(Encoding.UTF8.GetBytes(body + "\n")).ConfigureAwait(false);
        await context.Stdout.FlushAsync().ConfigureAwait(false);
        return result.HasFunctionError || result.ServiceError is not null ? 1 : 0;
    }
}
