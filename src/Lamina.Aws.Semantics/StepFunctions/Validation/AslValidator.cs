using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>
/// Checks an Amazon States Language definition (JSONPath query language) and reports every problem found,
/// each with the path of the offending element inside the definition.
/// </summary>
public static class AslValidator
{
    /// <summary>Longest state name Step Functions accepts.</summary>
    public const int MaxStateNameLength = 80;

    /// <summary>Largest value of TimeoutSeconds, HeartbeatSeconds, IntervalSeconds, MaxAttempts and Wait Seconds.</summary>
    public const long MaxSeconds = 99_999_999;

    /// <summary>Largest value of a retrier's MaxDelaySeconds.</summary>
    public const long MaxDelaySecondsLimit = 31_622_400;

    /// <summary>Validates JSON text. Unlike <see cref="Validate(JsonNode?)"/> this also finds repeated keys (two states with the same name in one States object), which a <see cref="JsonNode"/> cannot hold.</summary>
    /// <param name="json">The definition text.</param>
    /// <returns>Every problem found; empty when the definition is valid.</returns>
    public static IReadOnlyList<AslError> Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var duplicates = new List<DuplicateKey>();
        JsonNode? node;
        try
        {
            node = DuplicateAwareJsonReader.Read(json, duplicates);
        }
        catch (JsonException e)
        {
            return [new AslError("", AslErrorCodes.InvalidJson, "The definition is not valid JSON: " + e.Message)];
        }

        var errors = new List<AslError>();
        foreach (var duplicate in duplicates)
        {
            var path = Join(duplicate.ObjectPath, duplicate.Key);
            if (duplicate.ObjectPath == "States" || duplicate.ObjectPath.EndsWith(".States", StringComparison.Ordinal))
            {
                errors.Add(new AslError(path, AslErrorCodes.DuplicateStateName, $"State \"{duplicate.Key}\" is defined more than once in the same States object."));
            }
            else
            {
                errors.Add(new AslError(path, AslErrorCodes.DuplicateKey, $"Field \"{duplicate.Key}\" appears more than once in the same object."));
            }
        }

        errors.AddRange(Validate(node));
        return errors;
    }

    /// <summary>Validates a parsed definition.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>Every problem found; empty when the definition is valid.</returns>
    public static IReadOnlyList<AslError> Validate(JsonNode? definition)
    {
        var validator = new Validator();
        try
        {
            validator.ValidateRoot(definition);
        }
        catch (ArgumentException e) when (e.Message.Contains("same key", StringComparison.Ordinal))
        {
            // JsonNode.Parse keeps repeated keys in its backing document and fails when the object is enumerated.
            validator.Errors.Add(new AslError("", AslErrorCodes.DuplicateKey, "The definition repeats a key in one object; validate the JSON text with Validate(string) to locate it. " + e.Message));
        }

        return validator.Errors;
    }

    internal static string Join(string prefix, string field) => prefix.Length == 0 ? field : prefix + "." + field;

    private sealed class Validator
    {
        private static readonly HashSet<string> TopLevelFields = ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];
        private static readonly HashSet<string> BranchFields = ["Comment", "StartAt", "States", "QueryLanguage"];
        private static readonly HashSet<string> ItemProcessorFields = ["Comment", "StartAt", "States", "ProcessorConfig", "QueryLanguage"];

        private static readonly Dictionary<string, HashSet<string>> StateFields = new(StringComparer.Ordinal)
        {
            ["Pass"] = ["Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"],
            ["Task"] = ["Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"],
            ["Choice"] = ["Type", "Comment", "QueryLanguage", "InputPath", "OutputPath", "Choices", "Default"],
            ["Wait"] = ["Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"],
            ["Succeed"] = ["Type", "Comment", "QueryLanguage", "InputPath", "OutputPath"],
            ["Fail"] = ["Type", "Comment", "QueryLanguage", "Error", "ErrorPath", "Cause", "CausePath"],
            ["Parallel"] = ["Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "Retry", "Catch", "Branches"],
            ["Map"] = ["Type", "Comment", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ItemSelector", "ResultSelector", "Retry", "Catch", "Iterator", "ItemProcessor", "ItemsPath", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"],
        };

        /// <summary>Fields of the JSONata query language (and workflow variables), not supported here.</summary>
        private static readonly HashSet<string> UnsupportedFields = ["Arguments", "Output", "Assign", "Items", "Condition"];

        private static readonly HashSet<string> RetrierFields = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];
        private static readonly HashSet<string> CatcherFields = ["ErrorEquals", "Next", "ResultPath", "Comment"];

        private static readonly HashSet<string> StringOperators = ["StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches"];
        private static readonly HashSet<string> NumericOperators = ["NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals"];
        private static readonly HashSet<string> TimestampOperators = ["TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals"];
        private static readonly HashSet<string> TypeTestOperators = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"];
        private static readonly HashSet<string> PathOperators =
        [
            "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath", "StringLessThanEqualsPath", "StringGreaterThanEqualsPath",
            "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath", "NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath",
            "BooleanEqualsPath",
            "TimestampEqualsPath", "TimestampLessThanPath", "TimestampGreaterThanPath", "TimestampLessThanEqualsPath", "TimestampGreaterThanEqualsPath",
        ];

        private readonly Dictionary<string, string> _stateNames = new(StringComparer.Ordinal);

        internal List<AslError> Errors { get; } = [];

        internal static bool IsComparisonOperator(string field) =>
            StringOperators.Contains(field) || NumericOperators.Contains(field) || TimestampOperators.Contains(field)
            || TypeTestOperators.Contains(field) || PathOperators.Contains(field) || field == "BooleanEquals";

        private void Add(string path, string code, string message) => Errors.Add(new AslError(path, code, message));

        internal void ValidateRoot(JsonNode? definition)
        {
            if (definition is not JsonObject root)
            {
                Add("", AslErrorCodes.InvalidValue, "The definition must be a JSON object.");
                return;
            }

            CheckKnownFields(root, "", TopLevelFields, "the state machine");
            if (root.TryGetPropertyValue("Comment", out var comment) && !AslJson.IsString(comment, out _))
            {
                Add("Comment", AslErrorCodes.InvalidValue, "Comment must be a string.");
            }

            if (root.TryGetPropertyValue("Version", out var version) && !AslJson.IsString(version, out _))
            {
                Add("Version", AslErrorCodes.InvalidValue, "Version must be a string.");
            }

            if (root.TryGetPropertyValue("TimeoutSeconds", out var timeout))
            {
                CheckInteger(timeout, "TimeoutSeconds", 1, MaxSeconds);
            }

            CheckQueryLanguage(root, "");
            ValidateScope(root, "");
        }

        private void CheckQueryLanguage(JsonObject obj, string prefix)
        {
            if (!obj.TryGetPropertyValue("QueryLanguage", out var language))
            {
                return;
            }

            var path = Join(prefix, "QueryLanguage");
            if (!AslJson.IsString(language, out var value) || value is not ("JSONPath" or "JSONata"))
            {
                Add(path, AslErrorCodes.InvalidValue, "QueryLanguage must be \"JSONPath\" or \"JSONata\".");
            }
            else if (value == "JSONata")
            {
                Add(path, AslErrorCodes.Unsupported, "The JSONata query language is not supported; only JSONPath states are validated and executed.");
            }
        }

        private void CheckKnownFields(JsonObject obj, string prefix, HashSet<string> allowed, string what)
        {
            foreach (var (key, _) in obj)
            {
                if (allowed.Contains(key))
                {
                    continue;
                }

                if (UnsupportedFields.Contains(key))
                {
                    Add(Join(prefix, key), AslErrorCodes.Unsupported, $"Field \"{key}\" belongs to JSONata states or workflow variables, which are not supported.");
                }
                else
                {
                    Add(Join(prefix, key), AslErrorCodes.FieldNotAllowed, $"Field \"{key}\" is not allowed in {what}.");
                }
            }
        }

        /// <summary>Validates a StartAt/States pair: the machine itself, a Parallel branch or a Map processor.</summary>
        private void ValidateScope(JsonObject scope, string prefix)
        {
            var startAtPath = Join(prefix, "StartAt");
            var statesPath = Join(prefix, "States");
            string? startAt = null;
            if (!scope.TryGetPropertyValue("StartAt", out var startAtNode))
            {
                Add(startAtPath, AslErrorCodes.MissingField, "StartAt is required.");
            }
            else if (!AslJson.IsString(startAtNode, out var s))
            {
                Add(startAtPath, AslErrorCodes.InvalidValue, "StartAt must be a string.");
            }
            else
            {
                startAt = s;
            }

            if (!scope.TryGetPropertyValue("States", out var statesNode))
            {
                Add(statesPath, AslErrorCodes.MissingField, "States is required.");
                return;
            }

            if (statesNode is not JsonObject states)
            {
                Add(statesPath, AslErrorCodes.InvalidValue, "States must be an object.");
                return;
            }

            if (states.Count == 0)
            {
                Add(statesPath, AslErrorCodes.InvalidValue, "States must contain at least one state.");
                return;
            }

            if (startAt is not null && !states.ContainsKey(startAt))
            {
                Add(startAtPath, AslErrorCodes.StateNotFound, $"StartAt names \"{startAt}\", which is not a state in {statesPath}.");
            }

            // Register names first so duplicates are reported against the first definition.
            foreach (var (name, _) in states)
            {
                var statePath = Join(statesPath, name);
                if (_stateNames.TryGetValue(name, out var first))
                {
                    Add(statePath, AslErrorCodes.DuplicateStateName, $"State name \"{name}\" is already used at {first}; state names must be unique in the whole state machine.");
                }
                else
                {
                    _stateNames[name] = statePath;
                }
            }

            var transitions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var hasTerminal = false;
            foreach (var (name, state) in states)
            {
                var statePath = Join(statesPath, name);
                if (name.Length == 0 || name.Length > MaxStateNameLength)
                {
                    Add(statePath, AslErrorCodes.InvalidStateName, $"State names must be 1 to {MaxStateNameLength} characters long; \"{Truncate(name)}\" has {name.Length}.");
                }

                var targets = new List<string>();
                transitions[name] = targets;
                hasTerminal |= ValidateState(state, statePath, states, targets);
            }

            if (!hasTerminal)
            {
                Add(statesPath, AslErrorCodes.NoTerminalState, "No terminal state: at least one state must be a Succeed or Fail state or have \"End\": true.");
            }

            if (startAt is not null && states.ContainsKey(startAt))
            {
                var reached = new HashSet<string>(StringComparer.Ordinal) { startAt };
                var queue = new Queue<string>();
                queue.Enqueue(startAt);
                while (queue.Count > 0)
                {
                    foreach (var target in transitions[queue.Dequeue()])
                    {
                        if (transitions.ContainsKey(target) && reached.Add(target))
                        {
                            queue.Enqueue(target);
                        }
                    }
                }

                foreach (var (name, _) in states)
                {
                    if (!reached.Contains(name))
                    {
                        Add(Join(statesPath, name), AslErrorCodes.UnreachableState, $"State \"{name}\" cannot be reached from StartAt \"{startAt}\".");
                    }
                }
            }
        }

        private static string Truncate(string name) => name.Length > 90 ? name[..90] + "..." : name;

        /// <summary>Validates one state; returns true when it is terminal.</summary>
        private bool ValidateState(JsonNode? stateNode, string path, JsonObject scopeStates, List<string> targets)
        {
            if (stateNode is not JsonObject state)
            {
                Add(path, AslErrorCodes.InvalidValue, "A state must be a JSON object.");
                return false;
            }

            if (!state.TryGetPropertyValue("Type", out var typeNode))
            {
                Add(Join(path, "Type"), AslErrorCodes.MissingField, "Type is required.");
                return false;
            }

            if (!AslJson.IsString(typeNode, out var type) || !StateFields.TryGetValue(type, out var allowed))
            {
                Add(Join(path, "Type"), AslErrorCodes.UnknownStateType, $"Type must be one of {string.Join(", ", StateFields.Keys)}; found {AslJson.ToJson(typeNode)}.");
                return false;
            }

            CheckKnownFields(state, path, allowed, $"a {type} state");
            CheckQueryLanguage(state, path);
            if (state.TryGetPropertyValue("Comment", out var comment) && !AslJson.IsString(comment, out _))
            {
                Add(Join(path, "Comment"), AslErrorCodes.InvalidValue, "Comment must be a string.");
            }

            var terminal = CheckTransition(state, path, type, scopeStates, targets);

            CheckPathField(state, path, "InputPath", nullable: true, reference: false);
            CheckPathField(state, path, "OutputPath", nullable: true, reference: false);
            if (allowed.Contains("ResultPath"))
            {
                CheckResultPath(state, path, "ResultPath");
            }

            foreach (var template in (string[])["Parameters", "ResultSelector", "ItemSelector"])
            {
                if (allowed.Contains(template) && state.TryGetPropertyValue(template, out var value))
                {
                    if (value is not JsonObject obj)
                    {
                        Add(Join(path, template), AslErrorCodes.InvalidValue, $"{template} must be an object.");
                    }
                    else
                    {
                        CheckPayloadTemplate(obj, Join(path, template), allowContext: true);
                    }
                }
            }

            if (allowed.Contains("Retry"))
            {
                CheckRetry(state, path);
                CheckCatch(state, path, scopeStates, targets);
            }

            switch (type)
            {
                case "Task":
                    CheckTask(state, path);
                    break;
                case "Choice":
                    CheckChoice(state, path, scopeStates, targets);
                    break;
                case "Wait":
                    CheckWait(state, path);
                    break;
                case "Fail":
                    CheckFail(state, path);
                    break;
                case "Parallel":
                    CheckParallel(state, path);
                    break;
                case "Map":
                    CheckMap(state, path);
                    break;
            }

            return terminal;
        }

        private bool CheckTransition(JsonObject state, string path, string type, JsonObject scopeStates, List<string> targets)
        {
            if (type is "Succeed" or "Fail")
            {
                return true;
            }

            if (type == "Choice")
            {
                return false;
            }

            var hasNext = state.TryGetPropertyValue("Next", out var next);
            var end = false;
            if (state.TryGetPropertyValue("End", out var endNode))
            {
                if (!AslJson.IsBoolean(endNode, out end))
                {
                    Add(Join(path, "End"), AslErrorCodes.InvalidValue, "End must be a boolean.");
                }
            }

            if (hasNext && end)
            {
                Add(path, AslErrorCodes.ConflictingTransition, "A state cannot have both Next and \"End\": true.");
            }
            else if (!hasNext && !end)
            {
                Add(path, AslErrorCodes.MissingTransition, $"A {type} state must have either Next or \"End\": true.");
            }

            if (hasNext)
            {
                CheckTarget(next, Join(path, "Next"), scopeStates, targets);
            }

            return end;
        }

        private void CheckTarget(JsonNode? value, string path, JsonObject scopeStates, List<string> targets)
        {
            if (!AslJson.IsString(value, out var target))
            {
                Add(path, AslErrorCodes.InvalidValue, "A transition target must be a string.");
                return;
            }

            if (!scopeStates.ContainsKey(target))
            {
                Add(path, AslErrorCodes.StateNotFound, $"\"{target}\" is not a state in this scope.");
                return;
            }

            targets.Add(target);
        }

        private void CheckPathField(JsonObject obj, string prefix, string field, bool nullable, bool reference)
        {
            if (!obj.TryGetPropertyValue(field, out var value))
            {
                return;
            }

            var path = Join(prefix, field);
            if (value is null)
            {
                if (!nullable)
                {
                    Add(path, AslErrorCodes.InvalidValue, $"{field} must not be null.");
                }

                return;
            }

            if (!AslJson.IsString(value, out var text))
            {
                Add(path, AslErrorCodes.InvalidValue, $"{field} must be a string{(nullable ? " or null" : "")}.");
                return;
            }

            CheckPathText(text, path, field, reference, allowContext: true);
        }

        private bool CheckPathText(string text, string path, string field, bool reference, bool allowContext)
        {
            if (!JsonPath.TryParse(text, out var parsed, out var error))
            {
                Add(path, AslErrorCodes.InvalidPath, $"{field} \"{text}\" is not a valid JSONPath: {error}.");
                return false;
            }

            if (parsed.IsContextPath && !allowContext)
            {
                Add(path, AslErrorCodes.InvalidReferencePath, $"{field} \"{text}\" cannot refer to the context object ($$).");
                return false;
            }

            if (reference && !parsed.IsReferencePath)
            {
                Add(path, AslErrorCodes.InvalidReferencePath, $"{field} \"{text}\" must be a reference path (only .name, ['name'] and [index]; no wildcards, filters, unions, slices or '..').");
                return false;
            }

            return true;
        }

        private void CheckResultPath(JsonObject obj, string prefix, string field)
        {
            if (!obj.TryGetPropertyValue(field, out var value) || value is null)
            {
                return;
            }

            var path = Join(prefix, field);
            if (!AslJson.IsString(value, out var text))
            {
                Add(path, AslErrorCodes.InvalidValue, $"{field} must be a string or null.");
                return;
            }

            CheckPathText(text, path, field, reference: true, allowContext: false);
        }

        /// <summary>A reference path or (when allowed) an intrinsic function, as in ErrorPath, CausePath and .$ fields.</summary>
        private void CheckPathOrIntrinsic(string text, string path, string field, bool reference)
        {
            if (IntrinsicFunction.LooksLikeInvocation(text))
            {
                if (!IntrinsicFunction.TryParse(text, out _, out var error))
                {
                    Add(path, AslErrorCodes.InvalidIntrinsicFunction, $"{field} \"{text}\" is not a valid intrinsic function invocation: {error}.");
                }

                return;
            }

            CheckPathText(text, path, field, reference, allowContext: true);
        }

        private void CheckPayloadTemplate(JsonNode? node, string path, bool allowContext)
        {
            switch (node)
            {
                case JsonObject obj:
                    HashSet<string>? names = null;
                    foreach (var (key, value) in obj)
                    {
                        var childPath = Join(path, key);
                        var name = key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key;
                        if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                        {
                            Add(childPath, AslErrorCodes.DuplicateKey, $"Field \"{key}\" names the same output field \"{name}\" as another field of this object once \".$\" is removed.");
                        }

                        if (key.EndsWith(".$", StringComparison.Ordinal))
                        {
                            if (key.Length == 2)
                            {
                                Add(childPath, AslErrorCodes.InvalidValue, "A field name cannot be only \".$\".");
                            }

                            if (!AslJson.IsString(value, out var text))
                            {
                                Add(childPath, AslErrorCodes.InvalidPath, $"The value of \"{key}\" must be a string holding a path or an intrinsic function.");
                            }
                            else
                            {
                                CheckPathOrIntrinsic(text, childPath, key, reference: false);
                            }
                        }
                        else
                        {
                            CheckPayloadTemplate(value, childPath, allowContext);
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        CheckPayloadTemplate(array[i], path + "[" + i + "]", allowContext);
                    }

                    break;
            }
        }

        private bool CheckInteger(JsonNode? value, string path, long min, long max)
        {
            if (!AslJson.TryGetInteger(value, out var n))
            {
                Add(path, AslErrorCodes.InvalidValue, $"Must be an integer between {min} and {max}; found {AslJson.ToJson(value)}.");
                return false;
            }

            if (n < min || n > max)
            {
                Add(path, AslErrorCodes.InvalidValue, $"Must be between {min} and {max}; found {n}.");
                return false;
            }

            return true;
        }

        private void CheckExclusive(JsonObject obj, string path, params string[] fields)
        {
            var present = fields.Where(obj.ContainsKey).ToList();
            if (present.Count > 1)
            {
                Add(path, AslErrorCodes.MutuallyExclusive, $"Only one of {string.Join(", ", fields)} may be set; found {string.Join(" and ", present)}.");
            }
        }

        private void CheckTask(JsonObject state, string path)
        {
            if (!state.TryGetPropertyValue("Resource", out var resource))
            {
                Add(Join(path, "Resource"), AslErrorCodes.MissingField, "A Task state requires Resource.");
            }
            else if (!AslJson.IsString(resource, out var uri) || !uri.StartsWith("arn:", StringComparison.Ordinal) || uri.Split(':').Length < 6)
            {
                Add(Join(path, "Resource"), AslErrorCodes.InvalidValue, $"Resource must be an ARN (arn:partition:service:region:account:resource); found {AslJson.ToJson(resource)}.");
            }

            CheckExclusive(state, path, "TimeoutSeconds", "TimeoutSecondsPath");
            CheckExclusive(state, path, "HeartbeatSeconds", "HeartbeatSecondsPath");
            long? timeout = null;
            long? heartbeat = null;
            if (state.TryGetPropertyValue("TimeoutSeconds", out var t) && CheckInteger(t, Join(path, "TimeoutSeconds"), 1, MaxSeconds))
            {
                AslJson.TryGetInteger(t, out var v);
                timeout = v;
            }

            if (state.TryGetPropertyValue("HeartbeatSeconds", out var h) && CheckInteger(h, Join(path, "HeartbeatSeconds"), 1, MaxSeconds))
            {
                AslJson.TryGetInteger(h, out var v);
                heartbeat = v;
            }

            if (heartbeat is not null && timeout is not null && heartbeat >= timeout)
            {
                Add(Join(path, "HeartbeatSeconds"), AslErrorCodes.InvalidValue, $"HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout}).");
            }

            CheckReferencePathField(state, path, "TimeoutSecondsPath");
            CheckReferencePathField(state, path, "HeartbeatSecondsPath");
            if (state.TryGetPropertyValue("Credentials", out var credentials) && credentials is not JsonObject)
            {
                Add(Join(path, "Credentials"), AslErrorCodes.InvalidValue, "Credentials must be an object.");
            }
        }

        private void CheckReferencePathField(JsonObject obj, string prefix, string field)
        {
            if (!obj.TryGetPropertyValue(field, out var value))
            {
                return;
            }

            var path = Join(prefix, field);
            if (!AslJson.IsString(value, out var text))
            {
                Add(path, AslErrorCodes.InvalidValue, $"{field} must be a string holding a reference path.");
                return;
            }

            CheckPathText(text, path, field, reference: true, allowContext: true);
        }

        private void CheckErrorEquals(JsonObject obj, string path, string owner)
        {
            var fieldPath = Join(path, "ErrorEquals");
            if (!obj.TryGetPropertyValue("ErrorEquals", out var value))
            {
                Add(fieldPath, AslErrorCodes.MissingField, $"A {owner} requires ErrorEquals.");
                return;
            }

            if (value is not JsonArray names || names.Count == 0)
            {
                Add(fieldPath, AslErrorCodes.InvalidValue, "ErrorEquals must be a non-empty array of error names.");
                return;
            }

            for (var i = 0; i < names.Count; i++)
            {
                var itemPath = fieldPath + "[" + i + "]";
                if (!AslJson.IsString(names[i], out var name) || name.Length == 0)
                {
                    Add(itemPath, AslErrorCodes.InvalidErrorName, "Error names must be non-empty strings.");
                    continue;
                }

                if (name == StatesErrorNames.All && names.Count > 1)
                {
                    Add(itemPath, AslErrorCodes.InvalidErrorName, "States.ALL must appear alone in ErrorEquals.");
                }
                else if (name.StartsWith("States.", StringComparison.Ordinal) && !StatesErrorNames.Known.Contains(name))
                {
                    Add(itemPath, AslErrorCodes.InvalidErrorName, $"\"{name}\" is not a predefined error name; names starting with \"States.\" are reserved.");
                }
            }
        }

        private static bool HasStatesAll(JsonObject obj) =>
            obj.TryGetPropertyValue("ErrorEquals", out var value) && value is JsonArray names
            && names.Any(n => AslJson.IsString(n, out var s) && s == StatesErrorNames.All);

        private void CheckRetry(JsonObject state, string path)
        {
            if (!state.TryGetPropertyValue("Retry", out var retryNode))
            {
                return;
            }

            var retryPath = Join(path, "Retry");
            if (retryNode is not JsonArray retriers)
            {
                Add(retryPath, AslErrorCodes.InvalidValue, "Retry must be an array of retriers.");
                return;
            }

            for (var i = 0; i < retriers.Count; i++)
            {
                var itemPath = retryPath + "[" + i + "]";
                if (retriers[i] is not JsonObject retrier)
                {
                    Add(itemPath, AslErrorCodes.InvalidValue, "A retrier must be an object.");
                    continue;
                }

                CheckKnownFields(retrier, itemPath, RetrierFields, "a retrier");
                CheckErrorEquals(retrier, itemPath, "retrier");
                if (HasStatesAll(retrier) && i != retriers.Count - 1)
                {
                    Add(Join(itemPath, "ErrorEquals"), AslErrorCodes.InvalidErrorName, "A retrier matching States.ALL must be the last retrier.");
                }

                if (retrier.TryGetPropertyValue("IntervalSeconds", out var interval))
                {
                    CheckInteger(interval, Join(itemPath, "IntervalSeconds"), 1, MaxSeconds);
                }

                if (retrier.TryGetPropertyValue("MaxAttempts", out var attempts))
                {
                    CheckInteger(attempts, Join(itemPath, "MaxAttempts"), 0, MaxSeconds);
                }

                if (retrier.TryGetPropertyValue("BackoffRate", out var rate) && (!AslJson.TryGetNumber(rate, out var r) || r < 1.0))
                {
                    Add(Join(itemPath, "BackoffRate"), AslErrorCodes.InvalidValue, $"BackoffRate must be a number >= 1.0; found {AslJson.ToJson(rate)}.");
                }

                if (retrier.TryGetPropertyValue("MaxDelaySeconds", out var maxDelay))
                {
                    CheckInteger(maxDelay, Join(itemPath, "MaxDelaySeconds"), 1, MaxDelaySecondsLimit);
                }

                if (retrier.TryGetPropertyValue("JitterStrategy", out var jitter) && (!AslJson.IsString(jitter, out var j) || j is not ("FULL" or "NONE")))
                {
                    Add(Join(itemPath, "JitterStrategy"), AslErrorCodes.InvalidValue, $"JitterStrategy must be \"FULL\" or \"NONE\"; found {AslJson.ToJson(jitter)}.");
                }
            }
        }

        private void CheckCatch(JsonObject state, string path, JsonObject scopeStates, List<string> targets)
        {
            if (!state.TryGetPropertyValue("Catch", out var catchNode))
            {
                return;
            }

            var catchPath = Join(path, "Catch");
            if (catchNode is not JsonArray catchers)
            {
                Add(catchPath, AslErrorCodes.InvalidValue, "Catch must be an array of catchers.");
                return;
            }

            for (var i = 0; i < catchers.Count; i++)
            {
                var itemPath = catchPath + "[" + i + "]";
                if (catchers[i] is not JsonObject catcher)
                {
                    Add(itemPath, AslErrorCodes.InvalidValue, "A catcher must be an object.");
                    continue;
                }

                CheckKnownFields(catcher, itemPath, CatcherFields, "a catcher");
                CheckErrorEquals(catcher, itemPath, "catcher");
                if (HasStatesAll(catcher) && i != catchers.Count - 1)
                {
                    Add(Join(itemPath, "ErrorEquals"), AslErrorCodes.InvalidErrorName, "A catcher matching States.ALL must be the last catcher.");
                }

                if (!catcher.TryGetPropertyValue("Next", out var next))
                {
                    Add(Join(itemPath, "Next"), AslErrorCodes.MissingField, "A catcher requires Next.");
                }
                else
                {
                    CheckTarget(next, Join(itemPath, "Next"), scopeStates, targets);
                }

                CheckResultPath(catcher, itemPath, "ResultPath");
            }
        }

        private void CheckChoice(JsonObject state, string path, JsonObject scopeStates, List<string> targets)
        {
            var choicesPath = Join(path, "Choices");
            if (!state.TryGetPropertyValue("Choices", out var choicesNode))
            {
                Add(choicesPath, AslErrorCodes.MissingField, "A Choice state requires Choices.");
            }
            else if (choicesNode is not JsonArray choices || choices.Count == 0)
            {
                Add(choicesPath, AslErrorCodes.InvalidValue, "Choices must be a non-empty array of choice rules.");
            }
            else
            {
                for (var i = 0; i < choices.Count; i++)
                {
                    CheckChoiceRule(choices[i], choicesPath + "[" + i + "]", topLevel: true, scopeStates, targets);
                }
            }

            if (state.TryGetPropertyValue("Default", out var defaultNode))
            {
                CheckTarget(defaultNode, Join(path, "Default"), scopeStates, targets);
            }
        }

        private void CheckChoiceRule(JsonNode? node, string path, bool topLevel, JsonObject scopeStates, List<string> targets)
        {
            if (node is not JsonObject rule)
            {
                Add(path, AslErrorCodes.InvalidChoiceRule, "A choice rule must be an object.");
                return;
            }

            var operators = new List<string>();
            foreach (var (key, _) in rule)
            {
                if (key is "And" or "Or" or "Not" || IsComparisonOperator(key))
                {
                    operators.Add(key);
                }
                else if (key is not ("Variable" or "Comment") && !(key == "Next" && topLevel))
                {
                    if (key == "Next")
                    {
                        Add(Join(path, key), AslErrorCodes.InvalidChoiceRule, "Next is only allowed in top-level choice rules, not inside And, Or or Not.");
                    }
                    else if (key == "Condition" || key == "Assign")
                    {
                        Add(Join(path, key), AslErrorCodes.Unsupported, $"Field \"{key}\" belongs to JSONata or workflow variables, which are not supported.");
                    }
                    else
                    {
                        Add(Join(path, key), AslErrorCodes.FieldNotAllowed, $"Field \"{key}\" is not allowed in a choice rule.");
                    }
                }
            }

            if (operators.Count == 0)
            {
                Add(path, AslErrorCodes.InvalidChoiceRule, "A choice rule must have exactly one comparison operator (or And, Or, Not); found none.");
            }
            else if (operators.Count > 1)
            {
                Add(path, AslErrorCodes.InvalidChoiceRule, $"A choice rule must have exactly one comparison operator; found {string.Join(", ", operators)}.");
            }

            if (topLevel)
            {
                if (!rule.TryGetPropertyValue("Next", out var next))
                {
                    Add(Join(path, "Next"), AslErrorCodes.MissingField, "A top-level choice rule requires Next.");
                }
                else
                {
                    CheckTarget(next, Join(path, "Next"), scopeStates, targets);
                }
            }

            var isBoolean = operators.Any(o => o is "And" or "Or" or "Not");
            if (isBoolean)
            {
                if (rule.ContainsKey("Variable"))
                {
                    Add(Join(path, "Variable"), AslErrorCodes.InvalidChoiceRule, "Variable is not allowed with And, Or or Not.");
                }
            }
            else if (operators.Count > 0)
            {
                if (!rule.TryGetPropertyValue("Variable", out var variable))
                {
                    Add(Join(path, "Variable"), AslErrorCodes.MissingField, "A comparison requires Variable.");
                }
                else if (!AslJson.IsString(variable, out var variableText))
                {
                    Add(Join(path, "Variable"), AslErrorCodes.InvalidValue, "Variable must be a string holding a path.");
                }
                else
                {
                    // The Variable of a comparison must select a single node: a reference path.
                    CheckPathText(variableText, Join(path, "Variable"), "Variable", reference: true, allowContext: true);
                }
            }

            foreach (var op in operators)
            {
                var opPath = Join(path, op);
                var value = rule[op];
                switch (op)
                {
                    case "And":
                    case "Or":
                        if (value is not JsonArray items || items.Count == 0)
                        {
                            Add(opPath, AslErrorCodes.InvalidChoiceRule, $"{op} must be a non-empty array of choice rules.");
                        }
                        else
                        {
                            for (var i = 0; i < items.Count; i++)
                            {
                                CheckChoiceRule(items[i], opPath + "[" + i + "]", topLevel: false, scopeStates, targets);
                            }
                        }

                        break;
                    case "Not":
                        if (value is not JsonObject)
                        {
                            Add(opPath, AslErrorCodes.InvalidChoiceRule, "Not must be a single choice rule object.");
                        }
                        else
                        {
                            CheckChoiceRule(value, opPath, topLevel: false, scopeStates, targets);
                        }

                        break;
                    default:
                        CheckComparisonValue(op, value, opPath);
                        break;
                }
            }
        }

        private void CheckComparisonValue(string op, JsonNode? value, string path)
        {
            if (PathOperators.Contains(op))
            {
                if (!AslJson.IsString(value, out var text))
                {
                    Add(path, AslErrorCodes.InvalidValue, $"{op} must be a string holding a reference path.");
                }
                else
                {
                    CheckPathText(text, path, op, reference: true, allowContext: true);
                }
            }
            else if (StringOperators.Contains(op))
            {
                if (!AslJson.IsString(value, out var text))
                {
                    Add(path, AslErrorCodes.InvalidValue, $"{op} must be a string.");
                }
                else if (op == "StringMatches" && !StringMatchPattern.TryParse(text, out _, out var error))
                {
                    Add(path, AslErrorCodes.InvalidValue, $"StringMatches pattern \"{text}\" is invalid: {error}.");
                }
            }
            else if (NumericOperators.Contains(op))
            {
                if (!AslJson.IsNumber(value))
                {
                    Add(path, AslErrorCodes.InvalidValue, $"{op} must be a number.");
                }
            }
            else if (TimestampOperators.Contains(op))
            {
                if (!AslJson.IsString(value, out var text) || !AslTimestamp.TryParse(text, out _))
                {
                    Add(path, AslErrorCodes.InvalidValue, $"{op} must be a timestamp such as 2016-08-18T17:33:00Z; found {AslJson.ToJson(value)}.");
                }
            }
            else if (!AslJson.IsBoolean(value, out _))
            {
                // BooleanEquals and the Is* type tests.
                Add(path, AslErrorCodes.InvalidValue, $"{op} must be a boolean.");
            }
        }

        private void CheckWait(JsonObject state, string path)
        {
            string[] fields = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
            var present = fields.Where(state.ContainsKey).ToList();
            if (present.Count == 0)
            {
                Add(path, AslErrorCodes.MissingField, "A Wait state requires exactly one of Seconds, Timestamp, SecondsPath or TimestampPath.");
            }
            else if (present.Count > 1)
            {
                Add(path, AslErrorCodes.MutuallyExclusive, $"A Wait state must have exactly one of Seconds, Timestamp, SecondsPath or TimestampPath; found {string.Join(" and ", present)}.");
            }

            if (state.TryGetPropertyValue("Seconds", out var seconds))
            {
                CheckInteger(seconds, Join(path, "Seconds"), 0, MaxSeconds);
            }

            if (state.TryGetPropertyValue("Timestamp", out var timestamp) && (!AslJson.IsString(timestamp, out var ts) || !AslTimestamp.TryParse(ts, out _)))
            {
                Add(Join(path, "Timestamp"), AslErrorCodes.InvalidValue, $"Timestamp must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z; found {AslJson.ToJson(timestamp)}.");
            }

            CheckReferencePathField(state, path, "SecondsPath");
            CheckReferencePathField(state, path, "TimestampPath");
        }

        private void CheckFail(JsonObject state, string path)
        {
            CheckExclusive(state, path, "Error", "ErrorPath");
            CheckExclusive(state, path, "Cause", "CausePath");
            foreach (var field in (string[])["Error", "Cause"])
            {
                if (state.TryGetPropertyValue(field, out var value) && !AslJson.IsString(value, out _))
                {
                    Add(Join(path, field), AslErrorCodes.InvalidValue, $"{field} must be a string.");
                }

                if (state.TryGetPropertyValue(field + "Path", out var pathValue))
                {
                    if (!AslJson.IsString(pathValue, out var text))
                    {
                        Add(Join(path, field + "Path"), AslErrorCodes.InvalidValue, $"{field}Path must be a string holding a reference path or an intrinsic function.");
                    }
                    else
                    {
                        CheckPathOrIntrinsic(text, Join(path, field + "Path"), field + "Path", reference: true);
                    }
                }
            }
        }

        private void CheckParallel(JsonObject state, string path)
        {
            var branchesPath = Join(path, "Branches");
            if (!state.TryGetPropertyValue("Branches", out var branchesNode))
            {
                Add(branchesPath, AslErrorCodes.MissingField, "A Parallel state requires Branches.");
                return;
            }

            if (branchesNode is not JsonArray branches || branches.Count == 0)
            {
                Add(branchesPath, AslErrorCodes.InvalidValue, "Branches must be a non-empty array of state machines.");
                return;
            }

            for (var i = 0; i < branches.Count; i++)
            {
                var branchPath = branchesPath + "[" + i + "]";
                if (branches[i] is not JsonObject branch)
                {
                    Add(branchPath, AslErrorCodes.InvalidValue, "A branch must be an object with StartAt and States.");
                    continue;
                }

                CheckKnownFields(branch, branchPath, BranchFields, "a branch");
                CheckQueryLanguage(branch, branchPath);
                ValidateScope(branch, branchPath);
            }
        }

        private void CheckMap(JsonObject state, string path)
        {
            CheckExclusive(state, path, "Parameters", "ItemSelector");
            CheckExclusive(state, path, "MaxConcurrency", "MaxConcurrencyPath");
            var hasIterator = state.TryGetPropertyValue("Iterator", out var iterator);
            var hasProcessor = state.TryGetPropertyValue("ItemProcessor", out var processor);
            var distributed = false;
            if (hasIterator && hasProcessor)
            {
                Add(path, AslErrorCodes.MutuallyExclusive, "A Map state must have either ItemProcessor or Iterator, not both.");
            }
            else if (!hasIterator && !hasProcessor)
            {
                Add(Join(path, "ItemProcessor"), AslErrorCodes.MissingField, "A Map state requires ItemProcessor (or the older Iterator).");
            }

            if (hasIterator)
            {
                var iteratorPath = Join(path, "Iterator");
                if (iterator is not JsonObject it)
                {
                    Add(iteratorPath, AslErrorCodes.InvalidValue, "Iterator must be an object with StartAt and States.");
                }
                else
                {
                    CheckKnownFields(it, iteratorPath, BranchFields, "an Iterator");
                    ValidateScope(it, iteratorPath);
                }
            }

            if (hasProcessor)
            {
                var processorPath = Join(path, "ItemProcessor");
                if (processor is not JsonObject p)
                {
                    Add(processorPath, AslErrorCodes.InvalidValue, "ItemProcessor must be an object with StartAt and States.");
                }
                else
                {
                    CheckKnownFields(p, processorPath, ItemProcessorFields, "an ItemProcessor");
                    CheckQueryLanguage(p, processorPath);
                    if (p.TryGetPropertyValue("ProcessorConfig", out var configNode))
                    {
                        distributed = CheckProcessorConfig(configNode, Join(processorPath, "ProcessorConfig"));
                    }

                    ValidateScope(p, processorPath);
                }
            }

            CheckReferencePathField(state, path, "ItemsPath");
            CheckReferencePathField(state, path, "MaxConcurrencyPath");
            if (state.TryGetPropertyValue("MaxConcurrency", out var maxConcurrency))
            {
                CheckInteger(maxConcurrency, Join(path, "MaxConcurrency"), 0, int.MaxValue);
            }

            foreach (var field in (string[])["ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"])
            {
                if (state.ContainsKey(field) && !distributed)
                {
                    Add(Join(path, field), AslErrorCodes.FieldNotAllowed, $"{field} is only allowed when ItemProcessor.ProcessorConfig.Mode is DISTRIBUTED.");
                }
            }

            if (state.TryGetPropertyValue("ToleratedFailurePercentage", out var percentage)
                && (!AslJson.TryGetNumber(percentage, out var pct) || pct < 0 || pct > 100))
            {
                Add(Join(path, "ToleratedFailurePercentage"), AslErrorCodes.InvalidValue, "ToleratedFailurePercentage must be a number between 0 and 100.");
            }

            if (state.TryGetPropertyValue("ToleratedFailureCount", out var count))
            {
                CheckInteger(count, Join(path, "ToleratedFailureCount"), 0, int.MaxValue);
            }

            CheckReferencePathField(state, path, "ToleratedFailurePercentagePath");
            CheckReferencePathField(state, path, "ToleratedFailureCountPath");
        }

        private bool CheckProcessorConfig(JsonNode? node, string path)
        {
            if (node is not JsonObject config)
            {
                Add(path, AslErrorCodes.InvalidValue, "ProcessorConfig must be an object.");
                return false;
            }

            CheckKnownFields(config, path, ["Mode", "ExecutionType"], "ProcessorConfig");
            var distributed = false;
            if (config.TryGetPropertyValue("Mode", out var mode))
            {
                if (!AslJson.IsString(mode, out var m) || m is not ("INLINE" or "DISTRIBUTED"))
                {
                    Add(Join(path, "Mode"), AslErrorCodes.InvalidValue, "Mode must be \"INLINE\" or \"DISTRIBUTED\".");
                }
                else
                {
                    distributed = m == "DISTRIBUTED";
                }
            }

            if (config.TryGetPropertyValue("ExecutionType", out var executionType))
            {
                if (!AslJson.IsString(executionType, out var e) || e is not ("STANDARD" or "EXPRESS"))
                {
                    Add(Join(path, "ExecutionType"), AslErrorCodes.InvalidValue, "ExecutionType must be \"STANDARD\" or \"EXPRESS\".");
                }
                else if (!distributed)
                {
                    Add(Join(path, "ExecutionType"), AslErrorCodes.FieldNotAllowed, "ExecutionType is only allowed when Mode is DISTRIBUTED.");
                }
            }
            else if (distributed)
            {
                Add(Join(path, "ExecutionType"), AslErrorCodes.MissingField, "A DISTRIBUTED ProcessorConfig requires ExecutionType.");
            }

            return distributed;
        }
    }
}
