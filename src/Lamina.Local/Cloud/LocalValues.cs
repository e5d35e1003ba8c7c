using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lamina.Configuration;
using Lamina.Resources;
using Lamina.Values;

namespace Lamina.Local.Cloud;

/// <summary>
/// Evaluates the values of a synthesized program locally: the same <see cref="Expr"/> trees synthesis writes as Pulumi
/// YAML, with every <c>${resource.output}</c> resolved to the local stand-in of that resource (local names, ARNs in
/// the local account and region, local URLs). This is how the harness reads the app: from the resources synthesis
/// emits, so what runs locally is what would be deployed.
/// </summary>
public sealed class LocalValues
{
    private readonly Stack _stack;
    private readonly Dictionary<Resource, JsonObject> _properties = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Resource> _evaluating = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string> _urls = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    /// <summary>Creates the evaluator for <paramref name="stack"/>.</summary>
    public LocalValues(Stack stack, string region, string accountId)
    {
        _stack = stack;
        Region = region;
        AccountId = accountId;
    }

    /// <summary>The local region.</summary>
    public string Region { get; }

    /// <summary>The local account id.</summary>
    public string AccountId { get; }

    /// <summary>What could not be evaluated locally (each with the construct path).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Sets the local base URL of an API resource (its <c>apiEndpoint</c>/<c>invokeUrl</c>).</summary>
    internal void SetUrl(Resource api, string url) => _urls[api.LogicalName] = url;

    /// <summary>The properties of <paramref name="resource"/>, evaluated (cached).</summary>
    public JsonObject Properties(Resource resource)
    {
        if (_properties.TryGetValue(resource, out var cached))
        {
            return cached;
        }
        if (!_evaluating.Add(resource))
        {
            throw new InvalidOperationException($"{resource.Path}: its properties refer to themselves.");
        }
        try
        {
            var value = Evaluate(resource.GetProperties(), resource) as JsonObject ?? [];
            _properties[resource] = value;
            return value;
        }
        finally
        {
            _evaluating.Remove(resource);
        }
    }

    /// <summary>A string property, or null.</summary>
    public string? String(Resource resource, string name) => Properties(resource)[name] is JsonValue v ? AsText(v) : null;

    /// <summary>A number property, or null.</summary>
    public double? Number(Resource resource, string name) => AsNumber(Properties(resource)[name]);

    /// <summary>A JSON number (or a string holding one) as a double, or null.</summary>
    public static double? AsNumber(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number => e.GetDouble(),
        JsonValue v when v.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    /// <summary>A boolean property, or null.</summary>
    public bool? Bool(Resource resource, string name) => Properties(resource)[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>The local name of a resource: its explicit name property, else a name derived from its logical name.</summary>
    public string LocalName(Resource resource)
    {
        switch (resource.Type)
        {
            case "aws:s3:Bucket":
                return String(resource, "bucket") ?? BucketName(String(resource, "bucketPrefix") is { } prefix ? prefix + resource.LogicalName : resource.LogicalName);
            case "aws:sqs:Queue":
            case "aws:sns:Topic":
            {
                var name = String(resource, "name") ?? (String(resource, "namePrefix") is { } p ? p + resource.LogicalName : resource.LogicalName);
                var fifo = Bool(resource, resource.Type == "aws:sqs:Queue" ? "fifoQueue" : "fifoTopic") == true;
                return fifo && !name.EndsWith(".fifo", StringComparison.Ordinal) ? name + ".fifo" : name;
            }
            case "aws:apigatewayv2:Api":
            case "aws:apigateway:RestApi":
                return ApiId(resource.LogicalName);
            case "aws:apigatewayv2:Stage":
            case "aws:apigateway:Stage":
                return String(resource, "name") ?? String(resource, "stageName") ?? resource.LogicalName;
            default:
                return String(resource, "name") ?? resource.LogicalName;
        }
    }

    /// <summary>A 10-character API id derived from a logical name (stable; the local gateway's own rule).</summary>
    public static string ApiId(string logicalName) => Lamina.Local.Api.LocalApiDefinition.DeriveApiId(logicalName);

    private static string BucketName(string logical)
    {
        var sb = new StringBuilder();
        foreach (var c in logical.ToLowerInvariant())
        {
            sb.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' ? c : '-');
        }
        var name = sb.ToString().Trim('-', '.');
        if (name.Length < 3)
        {
            name = "bucket-" + name;
        }
        return name.Length > 63 ? name[..63].TrimEnd('-', '.') : name;
    }

    /// <summary>The local value of output <paramref name="path"/> of <paramref name="resource"/>.</summary>
    public JsonNode? Output(Resource resource, string? path)
    {
        if (path is null)
        {
            return resource.LogicalName;
        }
        var dot = path.IndexOfAny(['.', '[']);
        var head = dot < 0 ? path : path[..dot];
        var value = OutputProperty(resource, head);
        return dot < 0 ? value : Navigate(value, path[dot..], resource);
    }

    private JsonNode? OutputProperty(Resource r, string name)
    {
        var module = r.Type.Split(':') is { Length: 3 } parts ? parts[1] : "aws";
        var local = LocalName(r);
        var arn = ArnOf(r, local);
        switch (r.Type, name)
        {
            case (_, "urn"):
                return $"urn:pulumi:{_stack.App.StackName}::{_stack.App.ProjectName}::{r.Type}::{r.LogicalName}";
            case (_, "arn"):
                return arn;
            case ("aws:lambda:Function", "invokeArn"):
                return $"arn:aws:apigateway:{Region}:lambda:path/2015-03-31/functions/{arn}/invocations";
            case ("aws:lambda:Function", "qualifiedArn"):
                return arn + ":$LATEST";
            case ("aws:lambda:Function", "version"):
                return "$LATEST";
            case ("aws:lambda:Function", "id" or "name" or "functionName"):
                return local;
            case ("aws:sqs:Queue", "url" or "id"):
                return QueueUrl(local);
            case ("aws:sqs:Queue", "name"):
                return local;
            case ("aws:sns:Topic", "id"):
                return arn;
            case ("aws:s3:Bucket", "bucket" or "id"):
                return local;
            case ("aws:s3:Bucket", "bucketDomainName"):
                return $"{local}.s3.amazonaws.com";
            case ("aws:s3:Bucket", "bucketRegionalDomainName"):
                return $"{local}.s3.{Region}.amazonaws.com";
            case ("aws:s3:Bucket", "region"):
                return Region;
            case ("aws:sfn:StateMachine", "id"):
                return arn;
            case ("aws:apigatewayv2:Api" or "aws:apigateway:RestApi", "id"):
                return local;
            case ("aws:apigatewayv2:Api", "apiEndpoint"):
                return _urls.TryGetValue(r.LogicalName, out var u) ? u.TrimEnd('/') : $"https://{local}.execute-api.{Region}.amazonaws.com";
            case ("aws:apigatewayv2:Api" or "aws:apigateway:RestApi", "executionArn"):
                return $"arn:aws:execute-api:{Region}:{AccountId}:{local}";
            case ("aws:apigateway:RestApi", "rootResourceId"):
                return "root";
            case ("aws:apigatewayv2:Stage" or "aws:apigateway:Stage", "invokeUrl"):
                return _urls.TryGetValue(r.LogicalName, out var s) ? s : $"https://example.execute-api.{Region}.amazonaws.com/{local}";
            case ("aws:apigatewayv2:Stage" or "aws:apigateway:Stage", "id" or "name" or "stageName"):
                return local;
            case ("aws:iam:Role", "id" or "name"):
                return local;
            case ("aws:cloudwatch:LogGroup", "id" or "name"):
                return local;
            case ("aws:cloudwatch:EventRule", "id" or "name"):
                return local;
            case (_, "name") when Properties(r)["name"] is { } n:
                return n.DeepClone();
            case (_, "id"):
                return r.LogicalName;
            default:
                if (Properties(r)[name] is { } input)
                {
                    return input.DeepClone();
                }
                _warnings.Add($"{r.Path}: output '{name}' of {r.Type} has no local value; '{module}-{r.LogicalName}-{name}' stands in for it.");
                return $"{module}-{r.LogicalName}-{name}";
        }
    }

    /// <summary>The local URL of a queue (what SQS would return as QueueUrl).</summary>
    public string QueueUrl(string queueName) => $"https://sqs.{Region}.amazonaws.com/{AccountId}/{queueName}";

    private string ArnOf(Resource r, string local) => r.Type switch
    {
        "aws:lambda:Function" => $"arn:aws:lambda:{Region}:{AccountId}:function:{local}",
        "aws:sqs:Queue" => $"arn:aws:sqs:{Region}:{AccountId}:{local}",
        "aws:sns:Topic" => $"arn:aws:sns:{Region}:{AccountId}:{local}",
        "aws:s3:Bucket" => $"arn:aws:s3:::{local}",
        "aws:sfn:StateMachine" => $"arn:aws:states:{Region}:{AccountId}:stateMachine:{local}",
        "aws:cloudwatch:EventRule" => $"arn:aws:events:{Region}:{AccountId}:rule/{local}",
        "aws:cloudwatch:LogGroup" => $"arn:aws:logs:{Region}:{AccountId}:log-group:{local}",
        "aws:iam:Role" => $"arn:aws:iam::{AccountId}:role/{local}",
        "aws:iam:Policy" => $"arn:aws:iam::{AccountId}:policy/{local}",
        "aws:scheduler:Schedule" => $"arn:aws:scheduler:{Region}:{AccountId}:schedule/default/{local}",
        "aws:kms:Key" => $"arn:aws:kms:{Region}:{AccountId}:key/{ApiId(r.LogicalName)}",
        _ => $"arn:aws:{(r.Type.Split(':') is { Length: 3 } p ? p[1] : "aws")}:{Region}:{AccountId}:{local}",
    };

    private JsonNode? Navigate(JsonNode? value, string rest, Construct where)
    {
        var i = 0;
        while (i < rest.Length && value is not null)
        {
            if (rest[i] == '.')
            {
                var end = rest.IndexOfAny(['.', '['], i + 1);
                var key = end < 0 ? rest[(i + 1)..] : rest[(i + 1)..end];
                value = value is JsonObject o ? o[key] : null;
                i = end < 0 ? rest.Length : end;
            }
            else if (rest[i] == '[')
            {
                var end = rest.IndexOf(']', i);
                var inner = rest[(i + 1)..end].Trim('"');
                value = value is JsonArray a && int.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var idx) ? (idx < a.Count ? a[idx] : null)
                    : value is JsonObject o ? o[inner] : null;
                i = end + 1;
            }
            else
            {
                _warnings.Add($"{where.Path}: cannot follow '{rest}' locally.");
                return null;
            }
        }
        return value?.DeepClone();
    }

    /// <summary>Evaluates <paramref name="expr"/> to JSON (strings, numbers, booleans, null, arrays, objects).</summary>
    public JsonNode? Evaluate(Expr expr, Construct where)
    {
        switch (expr)
        {
            case LiteralExpr { Value: null }:
                return null;
            case LiteralExpr { Value: string s }:
                return JsonValue.Create(s);
            case LiteralExpr { Value: bool b }:
                return JsonValue.Create(b);
            case LiteralExpr { Value: double d }:
                return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);
            case LiteralExpr l:
                return JsonValue.Create(l.ToString());
            case ListExpr list:
            {
                var array = new JsonArray();
                foreach (var item in list.Items)
                {
                    array.Add(Evaluate(item, where));
                }
                return array;
            }
            case ObjectExpr obj:
            {
                var o = new JsonObject();
                foreach (var (k, v) in obj.Entries)
                {
                    o[k] = Evaluate(v, where);
                }
                return o;
            }
            case LazyExpr lazy:
                return Evaluate(lazy.Value, where);
            case RefExpr r:
                return Reference(r, where);
            case InterpolationExpr interpolation:
            {
                var sb = new StringBuilder();
                foreach (var part in interpolation.Parts)
                {
                    sb.Append(part is string text ? text : Text(Evaluate((Expr)part, where)));
                }
                return JsonValue.Create(sb.ToString());
            }
            case CallExpr call:
                return Call(call, where);
            default:
                _warnings.Add($"{where.Path}: a {expr.GetType().Name} has no local value.");
                return null;
        }
    }

    private JsonNode? Reference(RefExpr r, Construct where)
    {
        switch (r.Target)
        {
            case Resource resource:
                return Output(resource, r.PropertyPath);
            case ConfigDeclaration config:
            {
                var value = _stack.App.Config.Entries.TryGetValue(config.Name, out var entry) ? entry.Value : null;
                if (value is null)
                {
                    _warnings.Add($"{where.Path}: configuration '{config.Name}' has no value locally.");
                }
                return value is null ? null : Navigate(JsonValue.Create(value), r.PropertyPath is null ? "" : "." + r.PropertyPath, where) ?? JsonValue.Create(value);
            }
            case StackVariable variable:
            {
                var value = Evaluate(variable.Value, where);
                return r.PropertyPath is null ? value : Navigate(value, (r.PropertyPath.StartsWith('[') ? "" : ".") + r.PropertyPath, where);
            }
            case PulumiBuiltin:
                return r.PropertyPath switch
                {
                    "stack" => _stack.App.StackName,
                    "project" => _stack.App.ProjectName,
                    "organization" => "organization",
                    "cwd" => _stack.App.RootDirectory,
                    _ => null,
                };
            default:
                _warnings.Add($"{where.Path}: reference '{r.Render()}' has no local value.");
                return null;
        }
    }

    private JsonNode? Call(CallExpr call, Construct where)
    {
        var arg = call.Function == "fn::invoke" ? null : Evaluate(call.Argument, where);
        switch (call.Function)
        {
            case "fn::toJSON":
                return JsonValue.Create(arg?.ToJsonString() ?? "null");
            case "fn::secret" or "fn::unsecret" or "fn::fileArchive" or "fn::fileAsset" or "fn::remoteArchive" or "fn::remoteAsset" or "fn::stringAsset":
                return arg;
            case "fn::toBase64":
                return Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(arg)));
            case "fn::fromBase64":
                return Encoding.UTF8.GetString(Convert.FromBase64String(Text(arg)));
            case "fn::join" when arg is JsonArray { Count: 2 } j:
                return string.Join(Text(j[0]), (j[1] as JsonArray ?? []).Select(Text));
            case "fn::split" when arg is JsonArray { Count: 2 } s:
                return new JsonArray(Text(s[1]).Split(Text(s[0])).Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
            case "fn::select" when arg is JsonArray { Count: 2 } sel && sel[1] is JsonArray items:
                return items[(int)(AsNumber(sel[0]) ?? 0)]?.DeepClone();
            case "fn::readFile":
                return File.ReadAllText(Path.Combine(_stack.App.RootDirectory, Text(arg)));
            case "fn::sha1":
                return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Text(arg))));
            case "fn::invoke":
            {
                var function = (call.Argument as ObjectExpr)?["function"] is LiteralExpr { Value: string f } ? f : "";
                switch (function)
                {
                    case "aws:index/getCallerIdentity:getCallerIdentity":
                        return new JsonObject { ["accountId"] = AccountId, ["arn"] = $"arn:aws:iam::{AccountId}:user/lamina-local", ["userId"] = "LAMINALOCAL", ["id"] = AccountId };
                    case "aws:index/getRegion:getRegion":
                        return new JsonObject { ["name"] = Region, ["region"] = Region, ["id"] = Region };
                    case "aws:index/getPartition:getPartition":
                        return new JsonObject { ["partition"] = "aws", ["dnsSuffix"] = "amazonaws.com", ["id"] = "aws" };
                    default:
                        _warnings.Add($"{where.Path}: fn::invoke of '{function}' has no local value.");
                        return null;
                }
            }
            default:
                _warnings.Add($"{where.Path}: {call.Function} has no local value.");
                return arg;
        }
    }

    /// <summary>A JSON value as text: strings as they are, everything else as JSON.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    private static string? AsText(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.String => v.GetValue<string>(),
        JsonValueKind.Null => null,
        _ => v.ToJsonString(),
    };
}
