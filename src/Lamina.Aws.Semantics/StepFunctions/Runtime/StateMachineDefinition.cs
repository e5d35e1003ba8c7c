using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// A validated state machine definition compiled once into state objects, ready to be run any number of times
/// (concurrently too) by a <see cref="StateMachineExecutor"/>.
/// </summary>
public sealed class StateMachineDefinition
{
    private StateMachineDefinition(JsonObject definition, CompiledScope root)
    {
        Definition = definition;
        Root = root;
        StartAt = definition["StartAt"]!.GetValue<string>();
        Comment = definition.TryGetPropertyValue("Comment", out var c) && AslJson.IsString(c, out var comment) ? comment : null;
        TimeoutSeconds = definition.TryGetPropertyValue("TimeoutSeconds", out var t) && AslJson.TryGetInteger(t, out var timeout) ? timeout : null;
    }

    /// <summary>A copy of the definition this was compiled from.</summary>
    public JsonObject Definition { get; }

    /// <summary>The first state.</summary>
    public string StartAt { get; }

    /// <summary>The top-level Comment, if any.</summary>
    public string? Comment { get; }

    /// <summary>The execution time-out (top-level TimeoutSeconds), if any.</summary>
    public long? TimeoutSeconds { get; }

    internal CompiledScope Root { get; }

    /// <summary>Validates and compiles JSON text (repeated state names in the text are detected).</summary>
    /// <param name="json">The Amazon States Language definition.</param>
    /// <returns>The compiled definition.</returns>
    /// <exception cref="AslValidationException">The definition is invalid.</exception>
    /// <exception cref="NotSupportedException">The definition uses a feature the interpreter does not implement.</exception>
    public static StateMachineDefinition Parse(string json)
    {
        var errors = AslValidator.Validate(json);
        if (errors.Count > 0)
        {
            throw new AslValidationException(errors);
        }

        return Compile(DuplicateAwareJsonReader.Read(json, []));
    }

    /// <summary>Validates and compiles a parsed definition.</summary>
    /// <param name="definition">The Amazon States Language definition.</param>
    /// <returns>The compiled definition.</returns>
    /// <exception cref="AslValidationException">The definition is invalid.</exception>
    /// <exception cref="NotSupportedException">The definition uses a feature the interpreter does not implement.</exception>
    public static StateMachineDefinition Parse(JsonNode definition)
    {
        var errors = AslValidator.Validate(definition);
        if (errors.Count > 0)
        {
            throw new AslValidationException(errors);
        }

        return Compile(definition.DeepClone());
    }

    private static StateMachineDefinition Compile(JsonNode? node)
    {
        var definition = node!.AsObject();
        return new StateMachineDefinition(definition, CompileScope(definition));
    }

    private static CompiledScope CompileScope(JsonObject scope)
    {
        var states = new Dictionary<string, CompiledState>(StringComparer.Ordinal);
        foreach (var (name, node) in scope["States"]!.AsObject())
        {
            var state = node!.AsObject();
            states[name] = state["Type"]!.GetValue<string>() switch
            {
                "Pass" => new PassState(name, state),
                "Task" => new TaskState(name, state),
                "Choice" => new ChoiceState(name, state),
                "Wait" => new WaitState(name, state),
                "Succeed" => new SucceedState(name, state),
                "Fail" => new FailState(name, state),
                "Parallel" => new ParallelState(name, state, [.. state["Branches"]!.AsArray().Select(b => CompileScope(b!.AsObject()))]),
                "Map" => CompileMap(name, state),
                var type => throw new NotSupportedException($"State type {type} is not supported."),
            };
        }

        foreach (var state in states.Values)
        {
            state.Link(states);
        }

        return new CompiledScope(states, states[scope["StartAt"]!.GetValue<string>()]);
    }

    private static MapState CompileMap(string name, JsonObject state)
    {
        foreach (var field in (string[])["ItemReader", "ResultWriter", "ItemBatcher"])
        {
            if (state.ContainsKey(field))
            {
                throw new NotSupportedException($"Map state '{name}' uses {field}, a distributed Map feature the interpreter does not support (it reads items from ItemsPath and returns results inline).");
            }
        }

        var processor = (state.TryGetPropertyValue("ItemProcessor", out var p) ? p! : state["Iterator"]!).AsObject();
        var distributed = processor.TryGetPropertyValue("ProcessorConfig", out var config) && config is JsonObject c
            && c.TryGetPropertyValue("Mode", out var mode) && AslJson.IsString(mode, out var m) && m == "DISTRIBUTED";
        return new MapState(name, state, CompileScope(processor), distributed);
    }
}

/// <summary>Thrown when a definition fails validation.</summary>
public sealed class AslValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The problems found.</param>
    public AslValidationException(IReadOnlyList<AslError> errors)
        : base("The state machine definition is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>The problems found.</summary>
    public IReadOnlyList<AslError> Errors { get; }
}
