using Lamina.Aws.Resources.Generator;

// usage: dotnet run --project src/Lamina.Aws.Resources.Generator [-- SCHEMA OUTPUT_DIR]
var schema = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "Schema", "pulumi-aws-7.48.0.json");
var output = args.Length > 1 ? args[1] : Path.Combine(ResourceGenerator.FindRepositoryRoot(), "src", "Lamina.Aws.Resources", "Generated");
var files = ResourceGenerator.Generate(File.ReadAllText(schema));
ResourceGenerator.WriteAll(files, output);
Console.Error.WriteLine($"generated {files.Count} files into {output}");
return 0;
