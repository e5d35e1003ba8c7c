using System.CommandLine;
using System.Globalization;
using Lamina.Lambda.Events.Samples;

namespace Lamina.Cli.Commands;

/// <summary>
/// <c>lamina generate-event &lt;source&gt; [options]</c>: prints a sample AWS event (indented JSON) on stdout, to feed
/// <c>lamina invoke --event</c> or <c>lamina trigger --event</c>. It needs no project. Every value is fixed unless an
/// option sets it (see <see cref="SampleEvents"/>).
/// </summary>
public sealed class GenerateEventCommand : ICliCommand
{
    /// <summary>The sources, each with its aliases, in help order.</summary>
    public static IReadOnlyList<(string Name, string[] Aliases)> Sources { get; } =
    [
        ("http-api", ["apigateway-http"]),
        ("rest-api", ["apigateway"]),
        ("sqs", []),
        ("sns", []),
        ("s3", []),
        ("schedule", ["eventbridge-schedule"]),
    ];

    /// <inheritdoc />
    public Command Build(CliServices cli)
    {
        var command = new Command("generate-event",
            "Print a sample AWS event as JSON on stdout, to use with `lamina invoke --event` or `lamina trigger --event`. " +
            "Values are fixed (ids, time 2025-01-01T12:00:00Z, region us-east-1, account 123456789012) unless an option sets them.");
        command.Subcommands.Add(HttpApi(cli));
        command.Subcommands.Add(RestApi(cli));
        command.Subcommands.Add(Sqs(cli));
        command.Subcommands.Add(Sns(cli));
        command.Subcommands.Add(S3(cli));
        command.Subcommands.Add(Schedule(cli));
        return command;
    }

    /// <summary>The options every source has.</summary>
    private sealed class Common
    {
        public Option<string> Region { get; } = new("--region") { Description = $"The AWS region. Default: {SampleEvents.DefaultRegion}.", HelpName = "REGION" };
        public Option<string> Account { get; } = new("--account") { Description = $"The AWS account id. Default: {SampleEvents.DefaultAccount}.", HelpName = "ID" };
        public Option<string> Time { get; } = new("--time") { Description = "When the event happened, ISO-8601 (2025-06-30T08:15:00Z). Default: 2025-01-01T12:00:00Z.", HelpName = "TIME" };
        public Option<bool> Compact { get; } = new("--compact") { Description = "Print the JSON on one line." };

        public void AddTo(Command command)
        {
            command.Options.Add(Region);
            command.Options.Add(Account);
            command.Options.Add(Time);
            command.Options.Add(Compact);
        }

        public T Apply<T>(ParseResult parse, T options) where T : SampleEventOptions
        {
            var time = parse.GetValue(Time) is { } t ? ParseTime(t) : options.Time;
            return options with
            {
                Region = parse.GetValue(Region) is { Length: > 0 } r ? r : options.Region,
                Account = parse.GetValue(Account) is { Length: > 0 } a ? a : options.Account,
                Time = time,
                Indented = !parse.GetValue(Compact),
            };
        }
    }

    /// <summary>The options the two API Gateway sources share.</summary>
    private sealed class Api
    {
        public Option<string> Method { get; } = new("--method", "-X") { Description = "The HTTP method. Default: GET.", HelpName = "METHOD" };
        public Option<string> Path { get; } = new("--path") { Description = "The request path. Default: /.", HelpName = "PATH" };
        public Option<string> Body { get; } = BodyOption("The request body: text, @FILE for a file's content or @- for stdin. Default: none.");
        public Option<string[]> Query { get; } = new("--query", "-q") { Description = "A query parameter NAME=VALUE (repeatable; a name may repeat).", HelpName = "NAME=VALUE" };
        public Option<string[]> Header { get; } = new("--header", "-H") { Description = "A request header NAME=VALUE or 'NAME: VALUE' (repeatable).", HelpName = "NAME=VALUE" };
        public Option<bool> Base64 { get; } = new("--base64") { Description = "Send the body base64-encoded (isBase64Encoded: true), as for a binary media type." };
        public Option<string[]> PathParam { get; } = new("--path-param") { Description = "A path parameter NAME=VALUE (repeatable).", HelpName = "NAME=VALUE" };
        public Option<string[]> StageVar { get; } = new("--stage-var") { Description = "A stage variable NAME=VALUE (repeatable).", HelpName = "NAME=VALUE" };
        public Option<string> Stage { get; } = new("--stage") { HelpName = "NAME" };

        public void AddTo(Command command, string stageDefault)
        {
            Stage.Description = $"The stage. Default: {stageDefault}.";
            foreach (var o in new Option[] { Method, Path, Body, Query, Header, Base64, PathParam, StageVar, Stage })
            {
                command.Options.Add(o);
            }
        }

        public T Apply<T>(CliServices cli, ParseResult parse, T options) where T : ApiGatewaySampleOptions => options with
        {
            Method = parse.GetValue(Method) is { Length: > 0 } m ? m.ToUpperInvariant() : options.Method,
            Path = parse.GetValue(Path) is { Length: > 0 } p ? p : options.Path,
            Body = ReadText(cli, parse.GetValue(Body)) ?? options.Body,
            Query = Pairs(parse.GetValue(Query), "--query", headerStyle: false, requireValue: false),
            Headers = Pairs(parse.GetValue(Header), "--header", headerStyle: true, requireValue: true),
            Base64EncodeBody = parse.GetValue(Base64),
            PathParameters = Map(parse.GetValue(PathParam), "--path-param"),
            StageVariables = Map(parse.GetValue(StageVar), "--stage-var"),
        };
    }

    private Command HttpApi(CliServices cli)
    {
        var command = Source("http-api", "An API Gateway HTTP API request (payload format 2.0); also what a function URL sends.");
        var common = new Common();
        var api = new Api();
        var route = new Option<string>("--route") { Description = "The route key, such as 'GET /orders/{id}'. Default: $default.", HelpName = "ROUTE" };
        api.AddTo(command, "$default");
        command.Options.Add(route);
        common.AddTo(command);
        Print(cli, command, parse =>
        {
            var o = api.Apply(cli, parse, common.Apply(parse, new HttpApiSampleOptions()));
            return SampleEvents.HttpApi(o with
            {
                RouteKey = parse.GetValue(route) is { Length: > 0 } r ? r : o.RouteKey,
                Stage = parse.GetValue(api.Stage) is { Length: > 0 } s ? s : o.Stage,
            });
        });
        return command;
    }

    private Command RestApi(CliServices cli)
    {
        var command = Source("rest-api", "An API Gateway REST API proxy request (payload format 1.0, with the multiValue fields).");
        var common = new Common();
        var api = new Api();
        var resource = new Option<string>("--resource") { Description = "The matched resource, such as /orders/{id}. Default: the path.", HelpName = "RESOURCE" };
        api.AddTo(command, "Prod");
        command.Options.Add(resource);
        common.AddTo(command);
        Print(cli, command, parse =>
        {
            var o = api.Apply(cli, parse, common.Apply(parse, new RestApiSampleOptions()));
            return SampleEvents.RestApi(o with
            {
                Resource = parse.GetValue(resource) is { Length: > 0 } r ? r : o.Resource,
                Stage = parse.GetValue(api.Stage) is { Length: > 0 } s ? s : o.Stage,
            });
        });
        return command;
    }

    private Command Sqs(CliServices cli)
    {
        var command = Source("sqs", "A batch of SQS messages, as an SQS event source mapping delivers it.");
        var common = new Common();
        var bodies = new Option<string[]>("--body", "-b")
        {
            Description = "A message body: text, @FILE or @- (repeatable: one message per body). Default: {\"hello\":\"world\"}.",
            HelpName = "TEXT|@FILE",
        };
        var count = new Option<int?>("--count", "-n") { Description = "How many messages (1 to 10000); the bodies repeat in turn. Default: one per body.", HelpName = "N" };
        var queue = new Option<string>("--queue") { Description = "The queue name or ARN; a name ending in .fifo makes a FIFO batch. Default: sample-queue.", HelpName = "NAME|ARN" };
        var attribute = new Option<string[]>("--attribute", "-a") { Description = "A string message attribute NAME=VALUE (repeatable).", HelpName = "NAME=VALUE" };
        var group = new Option<string>("--group") { Description = "The message group id (makes a FIFO batch). Default for a .fifo queue: group-1.", HelpName = "ID" };
        var receiveCount = new Option<int?>("--receive-count") { Description = "ApproximateReceiveCount of each message. Default: 1.", HelpName = "N" };
        foreach (var o in new Option[] { bodies, count, queue, attribute, group, receiveCount })
        {
            command.Options.Add(o);
        }
        common.AddTo(command);
        Print(cli, command, parse =>
        {
            var o = common.Apply(parse, new SqsSampleOptions());
            var texts = (parse.GetValue(bodies) ?? []).Select(b => ReadText(cli, b)!).ToList();
            return SampleEvents.Sqs(o with
            {
                Bodies = texts.Count > 0 ? texts : o.Bodies,
                Count = parse.GetValue(count),
                Queue = parse.GetValue(queue) is { Length: > 0 } q ? q : o.Queue,
                MessageAttributes = Map(parse.GetValue(attribute), "--attribute"),
                MessageGroupId = parse.GetValue(group) is { Length: > 0 } g ? g : null,
                ReceiveCount = parse.GetValue(receiveCount) ?? o.ReceiveCount,
            });
        });
        return command;
    }

    private Command Sns(CliServices cli)
    {
        var command = Source("sns", "An SNS notification, as SNS delivers it to a subscribed function.");
        var common = new Common();
        var message = BodyOption("The message: text, @FILE or @-. Default: {\"hello\":\"world\"}.", "--message", "-m");
        var subject = new Option<string>("--subject") { Description = "The subject. Default: none (null).", HelpName = "TEXT" };
        var topic = new Option<string>("--topic") { Description = "The topic name or ARN. Default: sample-topic.", HelpName = "NAME|ARN" };
        var attribute = new Option<string[]>("--attribute", "-a") { Description = "A string message attribute NAME=VALUE (repeatable).", HelpName = "NAME=VALUE" };
        foreach (var o in new Option[] { message, subject, topic, attribute })
        {
            command.Options.Add(o);
        }
        common.AddTo(command);
        Print(cli, command, parse =>
        {
            var o = common.Apply(parse, new SnsSampleOptions());
            return SampleEvents.Sns(o with
            {
                Message = ReadText(cli, parse.GetValue(message)) ?? o.Message,
                Subject = parse.GetValue(subject),
                Topic = parse.GetValue(topic) is { Length: > 0 } t ? t : o.Topic,
                MessageAttributes = Map(parse.GetValue(attribute), "--attribute"),
            });
        });
        return command;
    }

    private Command S3(CliServices cli)
    {
        var command = Source("s3", "An S3 event notification (object created or removed).");
        var common = new Common();
        var bucket = new Option<string>("--bucket") { Description = "The bucket name. Default: sample-bucket.", HelpName = "NAME" };
        var key = new Option<string>("--key") { Description = "The object key as stored (the event carries it URL-encoded, as S3 does). Default: uploads/sample.txt.", HelpName = "KEY" };
        var size = new Option<long?>("--size") { Description = "The object size in bytes. Default: 1024.", HelpName = "BYTES" };
        var eventName = new Option<string>("--event") { Description = "The event type, such as ObjectCreated:Put, ObjectCreated:Copy or ObjectRemoved:Delete. Default: ObjectCreated:Put.", HelpName = "TYPE" };
        var version = new Option<string>("--version-id") { Description = "The object version (versioned buckets). Default: none.", HelpName = "ID" };
        foreach (var o in new Option[] { bucket, key, size, eventName, version })
        {
            command.Options.Add(o);
        }
        common.AddTo(command);
        Print(cli, command, parse =>
        {
            var o = common.Apply(parse, new S3SampleOptions());
            return SampleEvents.S3(o with
            {
                Bucket = parse.GetValue(bucket) is { Length: > 0 } b ? b : o.Bucket,
                Key = parse.GetValue(key) is { Length: > 0 } k ? k : o.Key,
                Size = parse.GetValue(size) ?? o.Size,
                EventName = parse.GetValue(eventName) is { Length: > 0 } e ? e : o.EventName,
                VersionId = parse.GetValue(version),
            });
        });
        return command;
    }

    private Command Schedule(CliServices cli)
    {
        var command = Source("schedule", "The EventBridge \"Scheduled Event\" a schedule rule sends.");
        var common = new Common();
        var rule = new Option<string>("--rule") { Description = "The rule name or ARN. Default: sample-schedule.", HelpName = "NAME|ARN" };
        command.Options.Add(rule);
        common.AddTo(command);
        Print(cli, command, parse =>
        {
            var o = common.Apply(parse, new ScheduleSampleOptions());
            return SampleEvents.Schedule(o with { Rule = parse.GetValue(rule) is { Length: > 0 } r ? r : o.Rule });
        });
        return command;
    }

    private static Command Source(string name, string description)
    {
        var command = new Command(name, description);
        foreach (var alias in Sources.Single(s => s.Name == name).Aliases)
        {
            command.Aliases.Add(alias);
        }
        return command;
    }

    private static Option<string> BodyOption(string description, string name = "--body", string alias = "-b") =>
        new(name, alias) { Description = description, HelpName = "TEXT|@FILE" };

    /// <summary>Runs <paramref name="generate"/> and prints its JSON; a bad option value is a usage error (exit 2).</summary>
    private static void Print(CliServices cli, Command command, Func<ParseResult, string> generate) =>
        command.SetAction(parse =>
        {
            try
            {
                cli.Out.WriteLine(generate(parse));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
            {
                cli.Error.WriteLine($"lamina: generate-event {command.Name}: {e.Message}");
                return e is IOException or UnauthorizedAccessException ? 1 : LaminaCli.UsageExitCode;
            }
        });

    /// <summary>Text, or the content of <c>@FILE</c> (relative to the current folder), or stdin for <c>@-</c>; null stays null.</summary>
    private static string? ReadText(CliServices cli, string? value)
    {
        if (value is null || !value.StartsWith('@'))
        {
            return value;
        }
        if (value == "@-")
        {
            using var reader = new StreamReader(cli.Context.StandardInput ?? Console.OpenStandardInput(), leaveOpen: cli.Context.StandardInput is not null);
            return reader.ReadToEnd();
        }
        return File.ReadAllText(Path.GetFullPath(value[1..], cli.Context.CurrentDirectory));
    }

    /// <summary>
    /// Splits NAME=VALUE items at the first <c>=</c> (headers: at the first <c>=</c> or <c>:</c>, and the value is
    /// trimmed). Without <paramref name="requireValue"/>, a bare NAME has an empty value.
    /// </summary>
    private static List<KeyValuePair<string, string>> Pairs(string[]? values, string option, bool headerStyle, bool requireValue)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var v in values ?? [])
        {
            var cut = headerStyle ? v.IndexOfAny(['=', ':']) : v.IndexOf('=', StringComparison.Ordinal);
            if (cut == 0 || v.Length == 0 || (requireValue && cut < 0))
            {
                throw new FormatException($"{option} '{v}' is not NAME=VALUE");
            }
            result.Add(cut < 0 ? new(v, "")
                : headerStyle ? new(v[..cut].Trim(), v[(cut + 1)..].Trim())
                : new(v[..cut], v[(cut + 1)..]));
        }
        return result;
    }

    private static Dictionary<string, string>? Map(string[]? values, string option)
    {
        var pairs = Pairs(values, option, headerStyle: false, requireValue: true);
        if (pairs.Count == 0)
        {
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            map[k] = v;
        }
        return map;
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new FormatException($"--time '{text}' is not an ISO-8601 time such as 2025-06-30T08:15:00Z");
}
