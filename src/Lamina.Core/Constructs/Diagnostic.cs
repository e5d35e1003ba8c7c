namespace Lamina;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Synthesis goes on; printed on stderr.</summary>
    Warning,
    /// <summary>Synthesis stops; nothing is written.</summary>
    Error,
}

/// <summary>A problem found in the user's program, located by construct path and property.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Path">The construct path, such as <c>shop/Api/GetOrder</c>.</param>
/// <param name="Property">The property at fault, or null.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Path, string? Property, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{(Severity == DiagnosticSeverity.Error ? "error" : "warning")}: {(Path.Length == 0 ? "<app>" : Path)}" +
        (Property is null ? "" : $" ({Property})") + $": {Message}";
}

/// <summary>Thrown by synthesis when the program has errors; <see cref="Errors"/> lists every one.</summary>
public sealed class SynthesisException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/>.</summary>
    public SynthesisException(IReadOnlyList<Diagnostic> errors)
        : base($"Synthesis failed with {errors.Count} error{(errors.Count == 1 ? "" : "s")}; nothing was written:" +
               Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>Every error found, each with its construct path.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; }
}
