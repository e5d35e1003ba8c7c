namespace Lamina.Aws.Semantics.StepFunctions;

/// <summary>A problem found in a state machine definition.</summary>
/// <param name="Path">
/// Where the problem is, as a path inside the definition, e.g. <c>States.Charge.Retry[0].ErrorEquals[1]</c>
/// (empty for the definition as a whole).
/// </param>
/// <param name="Code">A stable identifier of the kind of problem; see <see cref="AslErrorCodes"/>.</param>
/// <param name="Message">A human-readable explanation.</param>
public sealed record AslError(string Path, string Code, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? $"[{Code}] {Message}" : $"{Path}: [{Code}] {Message}";
}

/// <summary>The values of <see cref="AslError.Code"/>.</summary>
public static class AslErrorCodes
{
    /// <summary>The text is not valid JSON.</summary>
    public const string InvalidJson = "InvalidJson";

    /// <summary>A JSON object repeats a property name.</summary>
    public const string DuplicateKey = "DuplicateKey";

    /// <summary>Two states share a name (names must be unique in the whole machine, branches included).</summary>
    public const string DuplicateStateName = "DuplicateStateName";

    /// <summary>A state name is empty or longer than 80 characters.</summary>
    public const string InvalidStateName = "InvalidStateName";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "MissingField";

    /// <summary>A field is not allowed here (for example Retry on a Pass state).</summary>
    public const string FieldNotAllowed = "FieldNotAllowed";

    /// <summary>A field has the wrong JSON type or an out-of-range value.</summary>
    public const string InvalidValue = "InvalidValue";

    /// <summary>Two fields that exclude each other are both present.</summary>
    public const string MutuallyExclusive = "MutuallyExclusive";

    /// <summary>StartAt or a transition names a state that does not exist in its scope.</summary>
    public const string StateNotFound = "StateNotFound";

    /// <summary>The Type field names no known state type.</summary>
    public const string UnknownStateType = "UnknownStateType";

    /// <summary>A non-terminal state has neither Next nor "End": true.</summary>
    public const string MissingTransition = "MissingTransition";

    /// <summary>A state has both Next and "End": true.</summary>
    public const string ConflictingTransition = "ConflictingTransition";

    /// <summary>A state cannot be reached from StartAt within its scope.</summary>
    public const string UnreachableState = "UnreachableState";

    /// <summary>A scope (machine, branch or iterator) has no terminal state.</summary>
    public const string NoTerminalState = "NoTerminalState";

    /// <summary>A path (InputPath, OutputPath, a <c>.$</c> field, ...) is not a valid JSONPath.</summary>
    public const string InvalidPath = "InvalidPath";

    /// <summary>A field that requires a reference path holds a path with wildcards, filters, unions or slices.</summary>
    public const string InvalidReferencePath = "InvalidReferencePath";

    /// <summary>A <c>.$</c> field holds an invalid intrinsic function invocation.</summary>
    public const string InvalidIntrinsicFunction = "InvalidIntrinsicFunction";

    /// <summary>An ErrorEquals entry is invalid (unknown States.* name, States.ALL not alone or not last, ...).</summary>
    public const string InvalidErrorName = "InvalidErrorName";

    /// <summary>A Choice rule is malformed.</summary>
    public const string InvalidChoiceRule = "InvalidChoiceRule";

    /// <summary>The definition uses a feature this implementation does not support (for example JSONata).</summary>
    public const string Unsupported = "Unsupported";
}
