using Hello.Stack;
using Lamina;

// `synth` prints the Pulumi YAML program on stdout; the .NET handler project is published on the way
// (progress on stderr), or not at all with --no-bundle.
return LaminaApp.Run(args, HelloApp.Define);
