using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>The semantics of each <c>States.*</c> intrinsic function.</summary>
internal static class IntrinsicEvaluator
{
    private const int MaxStringInput = 10_000;
    private const int MaxRangeItems = 1000;

    private static readonly string[] HashAlgorithms = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

    /// <summary>Definition-time checks on literal arguments (paths and nested calls are checked when evaluated).</summary>
    internal static void CheckLiteralArguments(IntrinsicFunction function)
    {
        var args = function.Arguments;
        string Where(int i) => $"argument {i + 1} of {function.Name}";

        void RequireString(int i)
        {
            if (args[i] is LiteralArgument l && !AslJson.IsString(l.Value, out _))
            {
                throw new FormatException($"{Where(i)} must be a string");
            }
        }

        void RequireNumber(int i)
        {
            if (args[i] is LiteralArgument l && !AslJson.IsNumber(l.Value))
            {
                throw new FormatException($"{Where(i)} must be a number");
            }
        }

        void RequireInteger(int i, long min)
        {
            if (args[i] is LiteralArgument l && (!AslJson.TryGetInteger(l.Value, out var n) || n < min))
            {
                throw new FormatException($"{Where(i)} must be an integer >= {min}");
            }
        }

        void RequireNotLiteral(int i, string kind)
        {
            if (args[i] is LiteralArgument)
            {
                throw new FormatException($"{Where(i)} must be {kind}, not a literal");
            }
        }

        switch (function.Name)
        {
            case "States.Format":
                RequireString(0);
                if (args[0] is LiteralArgument { FormatPieces: { } pieces } && pieces.Length - 1 != args.Length - 1)
                {
                    throw new FormatException($"States.Format has {pieces.Length - 1} placeholder(s) but {args.Length - 1} value argument(s)");
                }

                break;
            case "States.StringToJson":
            case "States.Base64Encode":
            case "States.Base64Decode":
                RequireString(0);
                break;
            case "States.ArrayPartition":
                RequireNotLiteral(0, "an array");
                RequireInteger(1, 1);
                break;
            case "States.ArrayContains":
            case "States.ArrayLength":
            case "States.ArrayUnique":
                RequireNotLiteral(0, "an array");
                break;
            case "States.ArrayGetItem":
                RequireNotLiteral(0, "an array");
                RequireInteger(1, 0);
                break;
            case "States.ArrayRange":
                RequireInteger(0, long.MinValue);
                RequireInteger(1, long.MinValue);
                RequireInteger(2, long.MinValue);
                if (args[2] is LiteralArgument step && AslJson.TryGetInteger(step.Value, out var s) && s == 0)
                {
                    throw new FormatException($"{Where(2)} (the step) must not be 0");
                }

                break;
            case "States.Hash":
                RequireString(0);
                RequireString(1);
                if (args[1] is LiteralArgument alg && AslJson.IsString(alg.Value, out var name) && !HashAlgorithms.Contains(name))
                {
                    throw new FormatException($"{Where(1)} must be one of {string.Join(", ", HashAlgorithms)}");
                }

                break;
            case "States.JsonMerge":
                RequireNotLiteral(0, "an object");
                RequireNotLiteral(1, "an object");
                if (args[2] is LiteralArgument deep && !AslJson.IsBoolean(deep.Value, out _))
                {
                    throw new FormatException($"{Where(2)} must be a boolean");
                }

                break;
            case "States.MathRandom":
                for (var i = 0; i < args.Length; i++)
                {
                    RequireNumber(i);
                }

                break;
            case "States.MathAdd":
                RequireNumber(0);
                RequireNumber(1);
                break;
            case "States.StringSplit":
                RequireString(0);
                RequireString(1);
                break;
        }
    }

    internal static JsonNode? Invoke(IntrinsicFunction function, JsonNode?[] values, IEvaluationEnvironment environment)
    {
        return function.Name switch
        {
            "States.Format" => Format(function, values),
            "States.StringToJson" => StringToJson(values[0]),
            "States.JsonToString" => JsonValue.Create(AslJson.ToJson(values[0])),
            "States.Array" => ToArray(values),
            "States.ArrayPartition" => ArrayPartition(values[0], values[1]),
            "States.ArrayContains" => JsonValue.Create(Array(values[0], function.Name).Any(item => AslJson.DeepEquals(item, values[1]))),
            "States.ArrayRange" => ArrayRange(values[0], values[1], values[2]),
            "States.ArrayGetItem" => ArrayGetItem(values[0], values[1]),
            "States.ArrayLength" => JsonValue.Create(Array(values[0], function.Name).Count),
            "States.ArrayUnique" => ArrayUnique(values[0]),
            "States.Base64Encode" => Base64Encode(values[0]),
            "States.Base64Decode" => Base64Decode(values[0]),
            "States.Hash" => Hash(values[0], values[1]),
            "States.JsonMerge" => JsonMerge(values[0], values[1], values[2]),
            "States.MathRandom" => MathRandom(values, environment),
            "States.MathAdd" => JsonValue.Create(RoundedInteger(values[0], function.Name) + RoundedInteger(values[1], function.Name)),
            "States.StringSplit" => StringSplit(values[0], values[1]),
            "States.UUID" => JsonValue.Create(Uuid(environment)),
            _ => throw Failure($"unknown intrinsic function {function.Name}"),
        };
    }

    private static StatesError Failure(string cause) => new(StatesErrorNames.IntrinsicFailure, cause);

    private static JsonNode Format(IntrinsicFunction function, JsonNode?[] values)
    {
        string[] pieces;
        if (function.Arguments[0] is LiteralArgument { FormatPieces: { } literalPieces })
        {
            pieces = literalPieces;
        }
        else if (AslJson.IsString(values[0], out var template))
        {
            pieces = template.Split("{}");
        }
        else
        {
            throw Failure($"The first argument of States.Format must be a string, but was {AslJson.KindName(values[0])}");
        }

        if (pieces.Length - 1 != values.Length - 1)
        {
            throw Failure($"States.Format has {pieces.Length - 1} placeholder(s) but {values.Length - 1} value argument(s)");
        }

        var sb = new StringBuilder(pieces[0]);
        for (var i = 1; i < pieces.Length; i++)
        {
            AppendFormatValue(sb, values[i]);
            sb.Append(pieces[i]);
        }

        return JsonValue.Create(sb.ToString());
    }

    /// <summary>Renders a value the way Step Functions interpolates it: strings raw, objects as <c>{k=v, ...}</c>, arrays as <c>[a, b]</c>.</summary>
    private static void AppendFormatValue(StringBuilder sb, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, item) in obj)
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    sb.Append(key).Append('=');
                    AppendFormatValue(sb, item);
                }

                sb.Append('}');
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendFormatValue(sb, array[i]);
                }

                sb.Append(']');
                break;
            default:
                if (AslJson.IsString(value, out var s))
                {
                    sb.Append(s);
                }
                else
                {
                    sb.Append(AslJson.ToJson(value));
                }

                break;
        }
    }

    private static JsonNode? StringToJson(JsonNode? value)
    {
        if (!AslJson.IsString(value, out var text))
        {
            throw Failure($"States.StringToJson expects a string, but was {AslJson.KindName(value)}");
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw Failure($"States.StringToJson could not parse '{text}': {e.Message}");
        }
    }

    private static JsonArray ToArray(JsonNode?[] values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(AslJson.Clone(value));
        }

        return array;
    }

    private static JsonArray Array(JsonNode? value, string function) =>
        value as JsonArray ?? throw Failure($"{function} expects an array, but was {AslJson.KindName(value)}");

    private static long Integer(JsonNode? value, string what)
    {
        if (!AslJson.TryGetInteger(value, out var n))
        {
            throw Failure($"{what} must be an integer, but was {AslJson.ToJson(value)}");
        }

        return n;
    }

    private static JsonArray ArrayPartition(JsonNode? arrayValue, JsonNode? sizeValue)
    {
        var array = Array(arrayValue, "States.ArrayPartition");
        var size = Integer(sizeValue, "The chunk size of States.ArrayPartition");
        if (size < 1)
        {
            throw Failure($"The chunk size of States.ArrayPartition must be positive, but was {size}");
        }

        var result = new JsonArray();
        JsonArray? chunk = null;
        foreach (var item in array)
        {
            if (chunk is null || chunk.Count == size)
            {
                chunk = [];
                result.Add((JsonNode)chunk);
            }

            chunk.Add(AslJson.Clone(item));
        }

        return result;
    }

    private static JsonArray ArrayRange(JsonNode? startValue, JsonNode? endValue, JsonNode? stepValue)
    {
        var start = Integer(startValue, "The start of States.ArrayRange");
        var end = Integer(endValue, "The end of States.ArrayRange");
        var step = Integer(stepValue, "The step of States.ArrayRange");
        if (step == 0)
        {
            throw Failure("The step of States.ArrayRange must not be 0");
        }

        var count = end == start ? 1 : (Math.Sign(end - start) == Math.Sign(step) ? ((end - start) / step) + 1 : 0);
        if (count > MaxRangeItems)
        {
            throw Failure($"States.ArrayRange would create {count} items; at most {MaxRangeItems} are allowed");
        }

        var result = new JsonArray();
        for (long i = 0, v = start; i < count; i++, v += step)
        {
            result.Add((JsonNode)JsonValue.Create(v));
        }

        return result;
    }

    private static JsonNode? ArrayGetItem(JsonNode? arrayValue, JsonNode? indexValue)
    {
        var array = Array(arrayValue, "States.ArrayGetItem");
        var index = Integer(indexValue, "The index of States.ArrayGetItem");
        if (index < 0 || index >= array.Count)
        {
            throw Failure($"The index {index} is out of bounds for an array of length {array.Count}");
        }

        return AslJson.Clone(array[(int)index]);
    }

    private static JsonArray ArrayUnique(JsonNode? arrayValue)
    {
        var array = Array(arrayValue, "States.ArrayUnique");
        var result = new JsonArray();
        var kept = new List<JsonNode?>();
        foreach (var item in array)
        {
            if (!kept.Any(k => AslJson.DeepEquals(k, item)))
            {
                kept.Add(item);
                result.Add(AslJson.Clone(item));
            }
        }

        return result;
    }

    private static string LimitedString(JsonNode? value, string function)
    {
        if (!AslJson.IsString(value, out var text))
        {
            throw Failure($"{function} expects a string, but was {AslJson.KindName(value)}");
        }

        if (text.Length > MaxStringInput)
        {
            throw Failure($"{function} accepts at most {MaxStringInput} characters, but was given {text.Length}");
        }

        return text;
    }

    private static JsonNode Base64Encode(JsonNode? value) =>
        JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(LimitedString(value, "States.Base64Encode"))));

    private static JsonNode Base64Decode(JsonNode? value)
    {
        var text = LimitedString(value, "States.Base64Decode");
        try
        {
            return JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw Failure($"States.Base64Decode could not decode '{text}'");
        }
    }

    private static JsonNode Hash(JsonNode? dataValue, JsonNode? algorithmValue)
    {
        var data = Encoding.UTF8.GetBytes(LimitedString(dataValue, "States.Hash"));
        if (!AslJson.IsString(algorithmValue, out var algorithm) || !HashAlgorithms.Contains(algorithm))
        {
            throw Failure($"The hash algorithm must be one of {string.Join(", ", HashAlgorithms)}, but was {AslJson.ToJson(algorithmValue)}");
        }

        var hash = algorithm switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            _ => SHA512.HashData(data),
        };
        return JsonValue.Create(Convert.ToHexStringLower(hash));
    }

    private static JsonObject JsonMerge(JsonNode? first, JsonNode? second, JsonNode? deep)
    {
        if (first is not JsonObject a || second is not JsonObject b)
        {
            throw Failure($"States.JsonMerge expects two objects, but was given {AslJson.KindName(first)} and {AslJson.KindName(second)}");
        }

        if (!AslJson.IsBoolean(deep, out var isDeep))
        {
            throw Failure($"The third argument of States.JsonMerge must be a boolean, but was {AslJson.ToJson(deep)}");
        }

        if (isDeep)
        {
            throw Failure("States.JsonMerge supports only shallow merging; the third argument must be false");
        }

        var merged = (JsonObject)a.DeepClone();
        foreach (var (key, value) in b)
        {
            merged[key] = AslJson.Clone(value);
        }

        return merged;
    }

    /// <summary>Rounds like Java's Math.round (half up) and checks the 32-bit range Step Functions documents.</summary>
    private static long RoundedInteger(JsonNode? value, string function)
    {
        if (!AslJson.TryGetNumber(value, out var number))
        {
            throw Failure($"{function} expects numbers, but was given {AslJson.ToJson(value)}");
        }

        var rounded = (long)Math.Floor(number + 0.5);
        if (rounded < int.MinValue || rounded > int.MaxValue)
        {
            throw Failure($"{function} accepts values between {int.MinValue} and {int.MaxValue}, but was given {AslJson.ToJson(value)}");
        }

        return rounded;
    }

    private static JsonNode MathRandom(JsonNode?[] values, IEvaluationEnvironment environment)
    {
        var start = RoundedInteger(values[0], "States.MathRandom");
        var end = RoundedInteger(values[1], "States.MathRandom");
        if (end < start)
        {
            throw Failure($"The end of States.MathRandom ({end}) must not be less than its start ({start})");
        }

        double sample;
        if (values.Length == 3)
        {
            var seed = RoundedInteger(values[2], "States.MathRandom");
            sample = new Random((int)seed).NextDouble();
        }
        else
        {
            sample = environment.NextDouble();
        }

        var span = end - start + 1;
        return JsonValue.Create(start + Math.Min(span - 1, (long)Math.Floor(sample * span)));
    }

    private static JsonArray StringSplit(JsonNode? value, JsonNode? delimiters)
    {
        if (!AslJson.IsString(value, out var text) || !AslJson.IsString(delimiters, out var separators))
        {
            throw Failure($"States.StringSplit expects two strings, but was given {AslJson.KindName(value)} and {AslJson.KindName(delimiters)}");
        }

        var parts = separators.Length == 0 ? [text] : text.Split(separators.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        var result = new JsonArray();
        foreach (var part in parts)
        {
            result.Add((JsonNode)JsonValue.Create(part));
        }

        return result;
    }

    /// <summary>A version 4 UUID drawn from the environment's random source.</summary>
    internal static string Uuid(IEvaluationEnvironment environment)
    {
        Span<byte> bytes = stackalloc byte[16];
        environment.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(bytes);
        return string.Create(CultureInfo.InvariantCulture, $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}");
    }
}
