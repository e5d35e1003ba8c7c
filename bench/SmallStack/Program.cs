// A small Lamina app (see SmallStackApp.cs). bench/Lamina.Bench `whole-process` runs
// `dotnet bin/Release/net10.0/SmallStack.dll synth` from this folder and measures wall time and peak memory.
using Lamina;
using Lamina.Bench.SmallStack;

return LaminaApp.Run(args, SmallStackApp.Define);
