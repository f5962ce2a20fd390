namespace CtdbInterop.Bindings.Generator;

/// <summary>Command line of the generator.</summary>
internal sealed record GeneratorOptions(string SambaDir, string OutputDirectory, string? SambaVersion, string? ProbeFile)
{
    public const string Usage =
        "usage: CtdbInterop.Bindings.Generator --samba-dir <samba source dir containing ctdb/> --out <Generated dir>"
        + " [--samba-version <x.y.z>] [--probe <layout probe .c file to write>]";

    public static GeneratorOptions? Parse(IReadOnlyList<string> args)
    {
        string? samba = null, output = null, version = null, probe = null;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--samba-dir": samba = args[i + 1]; break;
                case "--out": output = args[i + 1]; break;
                case "--samba-version": version = args[i + 1]; break;
                case "--probe": probe = args[i + 1]; break;
                default: return null;
            }
        }

        return args.Count % 2 == 0 && samba is not null && output is not null ? new(samba, output, version, probe) : null;
    }
}
