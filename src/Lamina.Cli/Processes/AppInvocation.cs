using Lamina.Cli.Projects;

namespace Lamina.Cli.Processes;

/// <summary>One run of a Lamina app program: the command, the folder it runs in and the environment changes.</summary>
/// <param name="Arguments">The program and its arguments (no shell is involved).</param>
/// <param name="WorkingDirectory">The folder the program runs in.</param>
/// <param name="Environment">Variables to set on top of lamina's own environment; a null value removes the variable.</param>
public sealed record AppInvocation(IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>
    /// The invocation of <paramref name="appArguments"/> on the app of <paramref name="project"/>: its compiler command
    /// with the trailing app arguments replaced, run in the program folder, with the variables Pulumi gives a program:
    /// <c>PULUMI_STACK</c>, <c>PULUMI_PROJECT</c> and <c>PULUMI_ROOT_DIRECTORY</c>. <c>PULUMI_CONFIG</c> and
    /// <c>PULUMI_CONFIG_SECRET_KEYS</c> are removed, so that the app reads the stack settings file
    /// (<c>Pulumi.&lt;stack&gt;.yaml</c> in <c>stackConfigDir</c>).
    /// </summary>
    /// <exception cref="PulumiProjectException">The project has no usable compiler command.</exception>
    public static AppInvocation Create(PulumiProject project, string stack, IReadOnlyList<string> appArguments)
    {
        var compiler = project.RequireCompiler();
        IReadOnlyList<string> split;
        try
        {
            split = CommandLineSplitter.Split(compiler);
        }
        catch (FormatException e)
        {
            throw new PulumiProjectException($"runtime.options.compiler of {Path.Combine(project.RootDirectory, PulumiProject.FileName)} cannot be run: {e.Message}", e);
        }
        if (split.Count == 0)
        {
            throw new PulumiProjectException($"runtime.options.compiler of {Path.Combine(project.RootDirectory, PulumiProject.FileName)} is empty");
        }
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = project.Name,
            ["PULUMI_ROOT_DIRECTORY"] = project.RootDirectory,
            ["PULUMI_CONFIG"] = null,
            ["PULUMI_CONFIG_SECRET_KEYS"] = null,
        };
        return new AppInvocation(CompilerCommand.WithAppArguments(split, appArguments), project.ProgramDirectory, env);
    }

    /// <summary>The command as one line, quoted like a shell would need it (for messages).</summary>
    public override string ToString() => CommandLineSplitter.Join(Arguments);
}
