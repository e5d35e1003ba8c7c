using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>InputPath or OutputPath: absent (<c>$</c>), null (empty object) or a path.</summary>
internal sealed class PathSpec
{
    internal static readonly PathSpec Identity = new(null, isNull: false);
    internal static readonly PathSpec Null = new(null, isNull: true);

    private readonly JsonPath? _path;
    private readonly bool _isNull;

    private PathSpec(JsonPath? path, bool isNull)
    {
        _path = path;
        _isNull = isNull;
    }

    internal static PathSpec From(JsonObject state, string field)
    {
        if (!state.TryGetPropertyValue(field, out var value))
        {
            return Identity;
        }

        if (value is null)
        {
            return Null;
        }

        var path = JsonPath.Parse(value.GetValue<string>());
        return path is { IsRoot: true, IsContextPath: false } ? Identity : new PathSpec(path, isNull: false);
    }

    internal JsonNode? Apply(JsonNode? input, IEvaluationEnvironment environment)
    {
        if (_path is null)
        {
            return _isNull ? new JsonObject() : input;
        }

        if (!_path.TrySelect(input, environment, out var value))
        {
            throw new StatesError(StatesErrorNames.Runtime, $"Invalid path '{_path.Text}' : No results for path: {_path.Normalized()}");
        }

        return value;
    }
}

/// <summary>ResultPath: <c>$</c> (replace), null (discard the result) or a reference path where the result is placed.</summary>
internal sealed class ResultPathSpec
{
    internal static readonly ResultPathSpec Replace = new(null, discard: false);
    internal static readonly ResultPathSpec Discard = new(null, discard: true);

    private readonly JsonPath? _path;
    private readonly bool _discard;

    private ResultPathSpec(JsonPath? path, bool discard)
    {
        _path = path;
        _discard = discard;
    }

    internal static ResultPathSpec From(JsonObject obj)
    {
        if (!obj.TryGetPropertyValue("ResultPath", out var value))
        {
            return Replace;
        }

        if (value is null)
        {
            return Discard;
        }

        var path = JsonPath.Parse(value.GetValue<string>());
        return path.IsRoot ? Replace : new ResultPathSpec(path, discard: false);
    }

    /// <summary>Combines the state's raw input with its result.</summary>
    internal JsonNode? Apply(JsonNode? input, JsonNode? result)
    {
        if (_path is null)
        {
            return _discard ? input : result;
        }

        if (input is not (JsonObject or JsonArray))
        {
            throw Failure(input);
        }

        var root = input.DeepClone();
        JsonNode current = root;
        var segments = _path.Segments;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case NameSegment name when current is JsonObject obj:
                    if (last)
                    {
                        obj[name.Name] = AslJson.Detach(result);
                    }
                    else if (obj.TryGetPropertyValue(name.Name, out var child) && child is JsonObject or JsonArray)
                    {
                        current = child!;
                    }
                    else if (child is null)
                    {
                        var created = new JsonObject();
                        obj[name.Name] = created;
                        current = created;
                    }
                    else
                    {
                        throw Failure(input);
                    }

                    break;
                case IndexSegment index when current is JsonArray array:
                    var position = index.Index < 0 ? index.Index + array.Count : index.Index;
                    if (position < 0 || position >= array.Count)
                    {
                        throw Failure(input);
                    }

                    if (last)
                    {
                        array[position] = AslJson.Detach(result);
                    }
                    else if (array[position] is JsonObject or JsonArray)
                    {
                        current = array[position]!;
                    }
                    else
                    {
                        throw Failure(input);
                    }

                    break;
                default:
                    throw Failure(input);
            }
        }

        return root;
    }

    private StatesError Failure(JsonNode? input) =>
        new(StatesErrorNames.ResultPathMatchFailure, $"Unable to apply ResultPath \"{_path!.Text}\" to input \"{AslJson.ToJson(input)}\"");
}

/// <summary>A compiled Parameters, ResultSelector or ItemSelector template.</summary>
internal abstract class PayloadTemplate
{
    internal abstract JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment);

    internal static PayloadTemplate Compile(JsonNode? template)
    {
        switch (template)
        {
            case JsonObject obj:
                {
                    var fields = new List<(string, PayloadTemplate)>(obj.Count);
                    var allStatic = true;
                    foreach (var (key, value) in obj)
                    {
                        PayloadTemplate compiled;
                        string name;
                        if (key.EndsWith(".$", StringComparison.Ordinal))
                        {
                            name = key[..^2];
                            var text = value!.GetValue<string>();
                            compiled = IntrinsicFunction.LooksLikeInvocation(text)
                                ? new IntrinsicTemplate(IntrinsicFunction.Parse(text))
                                : new PathTemplate(JsonPath.Parse(text), key);
                        }
                        else
                        {
                            name = key;
                            compiled = Compile(value);
                        }

                        allStatic &= compiled is StaticTemplate;
                        fields.Add((name, compiled));
                    }

                    return allStatic ? new StaticTemplate(obj.DeepClone()) : new ObjectTemplate([.. fields]);
                }

            case JsonArray array:
                {
                    var items = array.Select(Compile).ToArray();
                    return items.All(i => i is StaticTemplate) ? new StaticTemplate(array.DeepClone()) : new ArrayTemplate(items);
                }

            default:
                return new StaticTemplate(template?.DeepClone());
        }
    }

    private sealed class StaticTemplate(JsonNode? value) : PayloadTemplate
    {
        internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment) => AslJson.Clone(value);
    }

    private sealed class ObjectTemplate((string Name, PayloadTemplate Value)[] fields) : PayloadTemplate
    {
        internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment)
        {
            var obj = new JsonObject();
            foreach (var (name, value) in fields)
            {
                obj[name] = AslJson.Detach(value.Evaluate(input, environment));
            }

            return obj;
        }
    }

    private sealed class ArrayTemplate(PayloadTemplate[] items) : PayloadTemplate
    {
        internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment)
        {
            var array = new JsonArray();
            foreach (var item in items)
            {
                array.Add(AslJson.Detach(item.Evaluate(input, environment)));
            }

            return array;
        }
    }

    private sealed class PathTemplate(JsonPath path, string field) : PayloadTemplate
    {
        internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment)
        {
            if (!path.TrySelect(input, environment, out var value))
            {
                throw new StatesError(StatesErrorNames.Runtime,
                    $"The JSONPath '{path.Text}' specified for the field '{field}' could not be found in the input '{AslJson.ToJson(path.IsContextPath ? environment.GetContextObject() : input)}'");
            }

            return value;
        }
    }

    private sealed class IntrinsicTemplate(IntrinsicFunction function) : PayloadTemplate
    {
        internal override JsonNode? Evaluate(JsonNode? input, IEvaluationEnvironment environment) => function.Evaluate(input, environment);
    }
}

/// <summary>A value given either literally or through a reference path (TimeoutSeconds/TimeoutSecondsPath, ...).</summary>
internal sealed class IntegerSource
{
    private readonly long? _literal;
    private readonly JsonPath? _path;
    private readonly string _field;

    private IntegerSource(long? literal, JsonPath? path, string field)
    {
        _literal = literal;
        _path = path;
        _field = field;
    }

    internal static IntegerSource? From(JsonObject obj, string field)
    {
        if (obj.TryGetPropertyValue(field, out var literal) && AslJson.TryGetInteger(literal, out var value))
        {
            return new IntegerSource(value, null, field);
        }

        if (obj.TryGetPropertyValue(field + "Path", out var path) && path is not null)
        {
            return new IntegerSource(null, JsonPath.Parse(path.GetValue<string>()), field + "Path");
        }

        return null;
    }

    internal long Resolve(JsonNode? input, IEvaluationEnvironment environment, long min)
    {
        if (_literal is { } literal)
        {
            return literal;
        }

        if (!_path!.TrySelect(input, environment, out var value) || !AslJson.TryGetInteger(value, out var n) || n < min)
        {
            throw new StatesError(StatesErrorNames.Runtime, $"The value of {_field} '{_path.Text}' must select an integer >= {min}; found {(value is null ? "nothing" : AslJson.ToJson(value))}.");
        }

        return n;
    }
}

/// <summary>A number given either literally or through a reference path (ToleratedFailurePercentage/...Path, ...).</summary>
internal sealed class NumberSource
{
    private readonly double? _literal;
    private readonly JsonPath? _path;
    private readonly string _field;

    private NumberSource(double? literal, JsonPath? path, string field)
    {
        _literal = literal;
        _path = path;
        _field = field;
    }

    internal static NumberSource? From(JsonObject obj, string field)
    {
        if (obj.TryGetPropertyValue(field, out var literal) && AslJson.TryGetNumber(literal, out var value))
        {
            return new NumberSource(value, null, field);
        }

        if (obj.TryGetPropertyValue(field + "Path", out var path) && path is not null)
        {
            return new NumberSource(null, JsonPath.Parse(path.GetValue<string>()), field + "Path");
        }

        return null;
    }

    internal double Resolve(JsonNode? input, IEvaluationEnvironment environment, double min, double max)
    {
        if (_literal is { } literal)
        {
            return literal;
        }

        if (!_path!.TrySelect(input, environment, out var value) || !AslJson.TryGetNumber(value, out var n) || n < min || n > max)
        {
            throw new StatesError(StatesErrorNames.Runtime, $"The value of {_field} '{_path.Text}' must select a number between {min} and {max}; found {(value is null ? "nothing" : AslJson.ToJson(value))}.");
        }

        return n;
    }
}
