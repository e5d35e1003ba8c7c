using Lamina;
using Lamina.Examples;

// Runs one reference architecture alone: `<example> <command> [options]`, e.g. `api synth --no-bundle`.
// Commands and options are LaminaApp's (synth, validate, ls). Run it from the repository root, so the handler
// project is found and stacks/Pulumi.dev.yaml configures the region.
if (args.Length == 0 || !ReferenceExamples.All.ContainsKey(args[0]))
{
    Console.Error.WriteLine($"usage: <{string.Join("|", ReferenceExamples.All.Keys)}> <synth|validate|ls> [--no-bundle] [--out FILE]");
    return 2;
}
var name = args[0];
return LaminaApp.Run(args[1..], app => ReferenceExamples.Define(app, name));
