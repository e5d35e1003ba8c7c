using System.Diagnostics;
using System.Globalization;

/// <summary>
/// `dev-start`: time from starting `lamina dev` on the Shop stack to the first request a function answered
/// (GET /orders/{unknown id} on the Orders API: the GetOrder function's 404, not the gateway's "Not Found").
/// The handler build is excluded: a warm-up run builds it once (content-hash cached under .lamina/local).
/// Variants: the stack program started directly (what Lamina does), the same with handlers in-process, and through
/// `dotnet run` as the project's compiler command does (adds dotnet's own up-to-date check).
/// </summary>
internal static class DevStartBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var root = FindRoot();
        Run("dotnet", $"build {Path.Combine(root, "stacks", "Shop")} -c Release -v q -nologo", root);
        // `lamina dev` runs the compiler command of Pulumi.yaml (a Debug `dotnet run`): build that output and the tool.
        Run("dotnet", $"build {Path.Combine(root, "stacks", "Shop")} -v q -nologo", root);
        Run("dotnet", $"build {Path.Combine(root, "src", "Lamina.Cli")} -c Release -v q -nologo", root);
        var lamina = Path.Combine(root, "src", "Lamina.Cli", "bin", "Release", "net10.0", "lamina.dll");
        var dll = Path.Combine(root, "stacks", "Shop", "bin", "Release", "net10.0", "Shop.dll");
        var variants = new (string Name, string File, string Arguments)[]
        {
            ("stack program, handlers out of process", "dotnet", $"{dll} dev --port 3900"),
            ("stack program, handlers in process", "dotnet", $"{dll} dev --port 3900 --in-process"),
            ("lamina dev (built app started directly)", "dotnet", $"{lamina} dev --port 3900"),
            ("lamina dev, LAMINA_NO_SHORTCUT=1 (dotnet run)", "dotnet", $"{lamina} dev --port 3900"),
        };
        Console.WriteLine($"rounds: {rounds} (+1 warm-up), cores: {Environment.ProcessorCount}, load average: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("variant                                        | median s | best s | worst s");
        foreach (var (name, file, arguments) in variants)
        {
            var times = new List<double>();
            for (var round = 0; round <= rounds; round++)
            {
                var seconds = await TimeToFirstResponseAsync(file, arguments, root, round == 0 ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(60), name.Contains("NO_SHORTCUT", StringComparison.Ordinal));
                if (round > 0)
                {
                    times.Add(seconds);
                }
            }
            times.Sort();
            Console.WriteLine($"{name,-46} | {times[times.Count / 2],8:0.000} | {times[0],6:0.000} | {times[^1],7:0.000}");
        }
        return 0;
    }

    private static async Task<double> TimeToFirstResponseAsync(string file, string arguments, string root, TimeSpan limit, bool noShortcut)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = root, RedirectStandardError = true, RedirectStandardOutput = true };
        if (noShortcut)
        {
            start.Environment["LAMINA_NO_SHORTCUT"] = "1";
        }
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            while (watch.Elapsed < limit)
            {
                try
                {
                    var response = await http.GetAsync("http://127.0.0.1:3900/orders/ord_0000000000000000");
                    var body = await response.Content.ReadAsStringAsync();
                    if (body.Contains("errors", StringComparison.Ordinal))
                    {
                        return watch.Elapsed.TotalSeconds;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                await Task.Delay(5);
            }
            throw new TimeoutException($"no response within {limit}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static void Run(string file, string arguments, string root)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = root })!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed");
        }
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Constructs.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("Constructs.sln not found");
    }
}
