// State transitions per second of Lamina's Amazon States Language interpreter
// (src/Lamina.Aws.Semantics/StepFunctions) on Pass, Choice and Map workloads, with and without history recording.
//
//   dotnet run -c Release --project bench/Lamina.Local.Bench -- sfn [ROUNDS] [SECONDS_PER_ROUND]
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Lamina.Aws.Semantics.StepFunctions;

internal static class StepFunctionsBench
{
    private sealed record Workload(string Name, string Definition, string Input);

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
        var secondsPerRound = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        Console.WriteLine($"ASL interpreter: rounds: {rounds} (+1 warm-up) of ~{secondsPerRound:0.#} s, cores: {Environment.ProcessorCount}, load average: {LoadAverage()}");
        Console.WriteLine("workload                                         | history | median transitions/s | best transitions/s | alloc/transition");
        foreach (var workload in Workloads())
        {
            foreach (var history in new[] { false, true })
            {
                var executor = new StateMachineExecutor(StateMachineDefinition.Parse(workload.Definition), new NoTasks(), new StateMachineExecutorOptions
                {
                    TimeProvider = TimeProvider.System,
                    Random = new Random(1),
                    RecordHistory = history,
                });
                var input = JsonNode.Parse(workload.Input);
                var rates = new List<double>();
                long allocated = 0;
                long transitions = 0;
                for (var round = 0; round <= rounds; round++)
                {
                    var (rate, bytes, count) = await MeasureAsync(executor, input, secondsPerRound);
                    if (round > 0)
                    {
                        rates.Add(rate);
                        allocated += bytes;
                        transitions += count;
                    }
                }

                rates.Sort();
                Console.WriteLine($"{workload.Name,-48} | {(history ? "on" : "off"),-7} | {rates[rates.Count / 2],20:N0} | {rates[^1],18:N0} | {allocated / Math.Max(1, transitions),12:N0} B");
            }
        }

        return 0;
    }

    private static async Task<(double Rate, long Bytes, long Transitions)> MeasureAsync(StateMachineExecutor executor, JsonNode? input, double seconds)
    {
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        long transitions = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            var result = await executor.ExecuteAsync(input, "bench");
            if (result.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"The execution failed: {result.Error} {result.Cause}");
            }

            transitions += result.StateTransitions;
        }

        watch.Stop();
        return (transitions / watch.Elapsed.TotalSeconds, GC.GetAllocatedBytesForCurrentThread() - before, transitions);
    }

    private static IEnumerable<Workload> Workloads()
    {
        // 1. 100 Pass states in a row, each with a Result placed by ResultPath (the common "set a field" step).
        var chain = new StringBuilder("""{ "StartAt": "S0", "States": {""");
        for (var i = 0; i < 100; i++)
        {
            var next = i == 99 ? "\"End\": true" : $"\"Next\": \"S{i + 1}\"";
            chain.Append($$"""{{(i == 0 ? "" : ",")}} "S{{i}}": { "Type": "Pass", "Result": {{i}}, "ResultPath": "$.step", {{next}} }""");
        }

        chain.Append("} }");
        yield return new Workload("Pass chain (100 states, Result + ResultPath)", chain.ToString(), """{ "order": { "id": "o-1", "total": 42.5, "items": ["a", "b", "c"] } }""");

        // 2. A counter loop: Pass with an intrinsic, then a Choice with three rules.
        yield return new Workload("Pass/Choice loop (MathAdd + 3-rule Choice, 1000x)", """
        {
          "StartAt": "Inc",
          "States": {
            "Inc": { "Type": "Pass", "Parameters": { "i.$": "States.MathAdd($.i, 1)", "kind.$": "$.kind" }, "Next": "Check" },
            "Check": {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.kind", "StringEquals": "never", "Next": "Done" },
                { "And": [ { "Variable": "$.i", "IsNumeric": true }, { "Variable": "$.i", "NumericLessThan": 1000 } ], "Next": "Inc" }
              ],
              "Default": "Done"
            },
            "Done": { "Type": "Succeed" }
          }
        }
        """, """{ "i": 0, "kind": "loop" }""");

        // 3. A Choice-heavy router: InputPath, a Choice with String/Numeric/Timestamp/StringMatches rules, then Pass.
        var router = new StringBuilder("""{ "StartAt": "R0", "States": {""");
        for (var i = 0; i < 50; i++)
        {
            var next = i == 49 ? "\"End\": true" : $"\"Next\": \"R{i + 1}\"";
            router.Append($$"""
            {{(i == 0 ? "" : ",")}} "R{{i}}": {
              "Type": "Choice",
              "Choices": [
                { "Variable": "$.order.status", "StringEquals": "cancelled", "Next": "Cancelled" },
                { "Variable": "$.order.total", "NumericGreaterThan": 1000, "Next": "Cancelled" },
                { "Variable": "$.order.placed", "TimestampLessThan": "2001-01-01T00:00:00Z", "Next": "Cancelled" },
                { "Variable": "$.order.sku", "StringMatches": "SKU-*-EU", "Next": "P{{i}}" }
              ],
              "Default": "Cancelled"
            },
            "P{{i}}": { "Type": "Pass", {{next}} }
            """);
        }

        router.Append(""", "Cancelled": { "Type": "Fail", "Error": "Cancelled" } } }""");
        yield return new Workload("Choice router (50 x Choice(4 rules) + Pass)", router.ToString(),
            """{ "order": { "status": "paid", "total": 42.5, "placed": "2026-11-27T10:00:00Z", "sku": "SKU-123-EU" } }""");

        // 4. An inline Map over 100 items; each iteration runs Pass -> Choice -> Pass; ItemSelector uses $$.Map.Item.
        yield return new Workload("Map (100 items x Pass/Choice/Pass, ItemSelector)", """
        {
          "StartAt": "Each",
          "States": {
            "Each": {
              "Type": "Map",
              "ItemsPath": "$.items",
              "ItemSelector": { "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value", "currency.$": "$.currency" },
              "ItemProcessor": {
                "StartAt": "Price",
                "States": {
                  "Price": { "Type": "Pass", "Parameters": { "sku.$": "$.item.sku", "qty.$": "$.item.qty", "index.$": "$.index" }, "Next": "Big?" },
                  "Big?": { "Type": "Choice", "Choices": [ { "Variable": "$.qty", "NumericGreaterThan": 10, "Next": "Bulk" } ], "Default": "Single" },
                  "Bulk": { "Type": "Pass", "Result": "bulk", "ResultPath": "$.kind", "End": true },
                  "Single": { "Type": "Pass", "Result": "single", "ResultPath": "$.kind", "End": true }
                }
              },
              "ResultPath": "$.priced",
              "End": true
            }
          }
        }
        """, MapInput());
    }

    private static string MapInput()
    {
        var items = new JsonArray();
        for (var i = 0; i < 100; i++)
        {
            items.Add(new JsonObject { ["sku"] = $"SKU-{i}", ["qty"] = i % 20 });
        }

        return new JsonObject { ["currency"] = "EUR", ["items"] = items }.ToJsonString();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class NoTasks : ITaskInvoker
    {
        public Task<JsonNode?> InvokeAsync(string resource, JsonNode? input, TaskContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The benchmark workloads have no Task states.");
    }
}
