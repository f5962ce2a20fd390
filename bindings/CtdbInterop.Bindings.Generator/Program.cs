using CtdbInterop.Bindings.Generator;

// Usage: CtdbInterop.Bindings.Generator --samba-dir DIR --out DIR [--samba-version X.Y.Z] [--probe FILE.c]
var options = GeneratorOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(GeneratorOptions.Usage).ConfigureAwait(false);
    return 2;
}

var sources = new CtdbSources(options.SambaDir, options.SambaVersion ?? CtdbSources.VersionFromDirectoryName(options.SambaDir));
var result = BindingGenerator.Generate(sources);
BindingGenerator.Write(result.Files, options.OutputDirectory);
Console.WriteLine($"wrote {result.Files.Count} files to {Path.GetFullPath(options.OutputDirectory)}");
if (options.ProbeFile is not null)
{
    await File.WriteAllTextAsync(options.ProbeFile, result.LayoutProbeSource).ConfigureAwait(false);
}

return 0;
