using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lamina.Aws.Lambda;
using Lamina.Aws.Packaging;
using Lamina.Lambda;
using Lamina.Lambda.Serialization;
using Lamina.Local.Lambda;

namespace Lamina.Local.Cloud;

/// <summary>
/// Turns a function construct into the handler the local Lambda host runs: a .NET handler by type in-process, or its
/// project built and run out of process through the local Runtime API; Python and Node.js code through the runtime
/// shims.
/// </summary>
public sealed class LocalHandlers
{
    private static readonly JsonSerializerOptions ReflectionJson = new()
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(LambdaEventsJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private readonly LocalCloudOptions _options;
    private readonly string _root;
    private readonly ConcurrentDictionary<Assembly, LambdaHandlerRegistry> _registries = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _builds = new(StringComparer.Ordinal);

    /// <summary>Creates the factory for an app rooted at <paramref name="rootDirectory"/>.</summary>
    public LocalHandlers(LocalCloudOptions options, string rootDirectory)
    {
        _options = options;
        _root = rootDirectory;
    }

    /// <summary>The .NET handler class of a <c>Function&lt;THandler&gt;</c>, or null for other functions.</summary>
    public static Type? HandlerType(FunctionBase function)
    {
        var type = function.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Function<>) ? type.GetGenericArguments()[0] : null;
    }

    /// <summary>The handler project (.csproj) of a .NET function, or null when it cannot be found.</summary>
    public string? ProjectOf(FunctionBase function)
    {
        if (HandlerType(function) is not { } handlerType)
        {
            return null;
        }
        if (function.Props is DotnetFunctionProps { Project: { } project })
        {
            var full = Path.GetFullPath(Path.Combine(_root, project));
            return Directory.Exists(full) ? Directory.GetFiles(full, "*.csproj").FirstOrDefault() : full;
        }
        var matches = DotnetProject.MatchAssembly(DotnetProject.FindProjects(_root), handlerType.Assembly.GetName().Name!);
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>The handler for <paramref name="function"/>.</summary>
    public async Task<LocalFunctionHandler> CreateAsync(FunctionBase function, CancellationToken cancellationToken)
    {
        if (_options.HandlerOverride?.Invoke(function) is { } replaced)
        {
            return replaced;
        }
        if (HandlerType(function) is { } handlerType)
        {
            var name = handlerType.FullName!;
            if (_options.HandlerMode == LocalHandlerMode.InProcess)
            {
                return InProcess(handlerType, name);
            }
            var project = ProjectOf(function) ?? throw new InvalidOperationException(
                $"{function.Path}: the project of handler {name} was not found under {_root}; set DotnetFunctionProps.Project.");
            var dll = await BuildAsync(project, rebuild: false, cancellationToken).ConfigureAwait(false);
            return LocalFunctionHandler.Bootstrap("dotnet", name, [dll], Path.GetDirectoryName(dll));
        }
        if (function is Function code)
        {
            var props = code.CodeProps;
            var directory = Path.GetFullPath(Path.Combine(_root, props.Code));
            if (File.Exists(directory))
            {
                throw new InvalidOperationException($"{function.Path}: Code '{props.Code}' is a file; the local harness runs code from a folder.");
            }
            return props.Runtime switch
            {
                var r when r.StartsWith("python", StringComparison.Ordinal) => LocalFunctionHandler.Python(directory, props.Handler, runtime: r),
                var r when r.StartsWith("nodejs", StringComparison.Ordinal) => LocalFunctionHandler.Node(directory, props.Handler, runtime: r),
                _ => LocalFunctionHandler.Bootstrap(Path.Combine(directory, "bootstrap"), props.Handler, codeDirectory: directory),
            };
        }
        throw new InvalidOperationException($"{function.Path}: functions of type {function.GetType().Name} cannot run locally.");
    }

    /// <summary>
    /// The handler of a .NET function run from its deployment package (<see cref="LocalHandlerMode.Published"/>):
    /// <paramref name="archive"/>, the zip synthesis wrote (relative to the app's root), unpacked once per package
    /// (the zip's name carries its content hash) and its <c>bootstrap</c> started per instance.
    /// </summary>
    /// <exception cref="InvalidOperationException">The package does not exist (the app does not bundle) or has no bootstrap.</exception>
    public LocalFunctionHandler FromPackage(FunctionBase function, string? archive)
    {
        var handlerType = HandlerType(function) ?? throw new InvalidOperationException($"{function.Path}: only .NET functions have a package to run.");
        var zip = archive is null ? null : Path.GetFullPath(archive, _root);
        if (zip is null || !File.Exists(zip))
        {
            throw new InvalidOperationException(
                $"{function.Path}: LocalHandlerMode.Published runs the deployment package, but '{archive}' does not exist; create the app with AppOptions.Bundle = true (as `lamina synth` does).");
        }
        var directory = Path.Combine(_options.BuildDirectory ?? Path.Combine(_root, ".lamina", "local"), "packages", Path.GetFileNameWithoutExtension(zip));
        var bootstrap = Path.Combine(directory, "bootstrap");
        if (!File.Exists(bootstrap))
        {
            var temp = directory + ".tmp-" + Environment.ProcessId;
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
            System.IO.Compression.ZipFile.ExtractToDirectory(zip, temp);
            if (!File.Exists(Path.Combine(temp, "bootstrap")))
            {
                throw new InvalidOperationException($"{function.Path}: package {archive} has no 'bootstrap' at its root.");
            }
            try
            {
                Directory.Move(temp, directory);
            }
            catch (IOException) when (File.Exists(bootstrap))
            {
                // Another cloud unpacked the same package first.
                Directory.Delete(temp, recursive: true);
            }
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bootstrap, File.GetUnixFileMode(bootstrap) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return LocalFunctionHandler.Bootstrap(bootstrap, handlerType.FullName!, codeDirectory: directory);
    }

    /// <summary>Builds a handler project (once, or again when <paramref name="rebuild"/>) and returns the path of its .dll.</summary>
    public Task<string> BuildAsync(string project, bool rebuild, CancellationToken cancellationToken)
    {
        if (rebuild)
        {
            _builds.TryRemove(project, out _);
        }
        return _builds.GetOrAdd(project, p => new Lazy<Task<string>>(() => RunBuildAsync(p, cancellationToken))).Value;
    }

    private async Task<string> RunBuildAsync(string project, CancellationToken cancellationToken)
    {
        var assembly = DotnetProject.AssemblyNameOf(project);
        // One folder per content hash of the project's inputs: an unchanged project is not built again (a later
        // `lamina dev` starts at once), and running instances keep their files while a changed one is built.
        var hash = Fingerprint(DotnetProject.Inputs(project, _root));
        var output = Path.Combine(_options.BuildDirectory ?? Path.Combine(_root, ".lamina", "local"), assembly, hash);
        var dll = Path.Combine(output, assembly + ".dll");
        var complete = Path.Combine(output, ".lamina-build-complete");
        if (File.Exists(complete) && File.Exists(dll))
        {
            return dll;
        }
        Directory.CreateDirectory(output);
        _options.OnMessage?.Invoke($"building {Path.GetRelativePath(_root, project)}");
        var started = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "build", project, "-c", "Debug", "-o", output, "-nologo", "-v", "q", "-clp:ErrorsOnly", "-p:TreatWarningsAsErrors=false" })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building {project} failed:\n{(await stdout.ConfigureAwait(false)).Trim()}\n{(await stderr.ConfigureAwait(false)).Trim()}".TrimEnd());
        }
        await File.WriteAllTextAsync(complete, hash, cancellationToken).ConfigureAwait(false);
        _options.OnMessage?.Invoke($"built {Path.GetFileName(project)} in {started.Elapsed.TotalSeconds:0.0} s");
        return dll;
    }

    /// <summary>
    /// A cheap fingerprint of a project's inputs for local builds: each file's relative path, size and last write time
    /// (reading every source file, as the deployment bundler's content hash does, would slow down each start).
    /// </summary>
    private static string Fingerprint(IReadOnlyList<ProjectInput> inputs)
    {
        var text = new System.Text.StringBuilder("lamina-local-build/1|").Append(Environment.Version).Append('|');
        foreach (var input in inputs)
        {
            var info = new FileInfo(input.FullPath);
            text.Append(input.RelativePath).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private LocalFunctionHandler InProcess(Type handlerType, string name)
    {
        var registry = _registries.GetOrAdd(handlerType.Assembly, Discover);
        if (registry.Contains(name))
        {
            return LocalFunctionHandler.FromRegistry(registry, name);
        }
        // Not registered: create it by type with reflection-based JSON (fine in a test process; the bootstrap needs registration).
        var contract = handlerType.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ILambdaHandler<,>))
            ?? throw new InvalidOperationException($"{handlerType.FullName} does not implement ILambdaHandler<TEvent, TResult>.");
        var make = typeof(LocalHandlers).GetMethod(nameof(MakeInProcess), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(contract.GetGenericArguments());
        return (LocalFunctionHandler)make.Invoke(null, [name, handlerType])!;
    }

    private static InProcessHandler MakeInProcess<TEvent, TResult>(string name, Type handlerType) =>
        LocalFunctionHandler.InProcess(
            name,
            _ => (ILambdaHandler<TEvent, TResult>)(Activator.CreateInstance(handlerType)
                ?? throw new InvalidOperationException($"{handlerType.FullName} could not be created.")),
            (JsonTypeInfo<TEvent>)ReflectionJson.GetTypeInfo(typeof(TEvent)),
            (JsonTypeInfo<TResult>)ReflectionJson.GetTypeInfo(typeof(TResult)));

    private LambdaHandlerRegistry Discover(Assembly assembly)
    {
        var registry = new LambdaHandlerRegistry();
        if (_options.Handlers is { } register)
        {
            register(registry);
            return registry;
        }
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                var parameters = method.GetParameters();
                if (parameters.Length == 1 && parameters[0].ParameterType == typeof(LambdaHandlerRegistry) && !method.IsGenericMethod
                    && (method.ReturnType == typeof(void) || method.ReturnType == typeof(LambdaHandlerRegistry)))
                {
                    try
                    {
                        method.Invoke(null, [registry]);
                    }
                    catch (TargetInvocationException)
                    {
                        // A registration method that does not fit (for example a duplicate name): the types fall back to reflection.
                    }
                }
            }
        }
        return registry;
    }
}
