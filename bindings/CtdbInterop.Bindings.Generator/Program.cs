using CtdbInterop.Bindings.Generator;

// Usage: CtdbInterop.Bindings.Generator --samba-dir DIR --out DIR [--samba-version X.Y.Z] [--probe FILE]
var options = GeneratorOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(GeneratorOptions.Usage).ConfigureAwait(false);
    return 2;
}

var sources = new CtdbSources(options.SambaDir, options.SambaVersion ?? CtdbSources.VersionFromDirectoryName(options.SambaDir));
var files = BindingGenerator.Generate(sources);
BindingGenerator.Write(files, options.OutputDirectory);
Console.WriteLine($"wrote {files.Count} files to {Path.GetFullPath(options.OutputDirectory)}");
return 0;
