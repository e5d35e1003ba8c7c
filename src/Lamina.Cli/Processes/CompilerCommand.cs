namespace Lamina.Cli.Processes;

/// <summary>Turns the Pulumi YAML <c>compiler</c> command (which ends in the app's <c>synth</c>) into the command for another app command.</summary>
public static class CompilerCommand
{
    /// <summary>The app commands a compiler command may end with.</summary>
    public static IReadOnlyList<string> AppCommands { get; } = ["synth", "validate", "ls"];

    /// <summary>
    /// Replaces the app's arguments at the end of <paramref name="compiler"/> with <paramref name="appArguments"/>:
    /// everything after the first <c>--</c> (as in <c>dotnet run --project stacks/Shop -- synth</c>); without a
    /// <c>--</c>, everything from the last app command word on (as in <c>./bin/shop synth</c>); without either, the
    /// arguments are appended.
    /// </summary>
    /// <param name="compiler">The compiler command, split into program and arguments.</param>
    /// <param name="appArguments">The app command and its options, such as <c>["ls"]</c>.</param>
    /// <exception cref="ArgumentException">The compiler command is empty.</exception>
    public static IReadOnlyList<string> WithAppArguments(IReadOnlyList<string> compiler, IReadOnlyList<string> appArguments)
    {
        if (compiler.Count == 0 || compiler[0].Length == 0)
        {
            throw new ArgumentException("the compiler command is empty", nameof(compiler));
        }
        var cut = -1;
        for (var i = 1; i < compiler.Count; i++)
        {
            if (compiler[i] == "--")
            {
                cut = i + 1;
                break;
            }
        }
        if (cut < 0)
        {
            for (var i = compiler.Count - 1; i >= 1; i--)
            {
                if (AppCommands.Contains(compiler[i]))
                {
                    cut = i;
                    break;
                }
            }
        }
        if (cut < 0)
        {
            cut = compiler.Count;
        }
        return [.. compiler.Take(cut), .. appArguments];
    }
}
