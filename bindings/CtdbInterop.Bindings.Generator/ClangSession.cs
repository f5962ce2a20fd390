using CtdbInterop.Bindings.Generator.Clang;

namespace CtdbInterop.Bindings.Generator;

/// <summary>Parses synthetic C files against ctdb's headers with the right include paths.</summary>
internal sealed class ClangSession(CtdbSources sources)
{
    // A name under the ctdb tree, so "" includes and diagnostics resolve as for a real file.
    private const string MainFileName = "ctdbgen_main.c";

    private readonly string resourceDirectory = ClangResourceDirectory.Find();

    public CtdbSources Sources => sources;

    public string MainFilePath => Path.Combine(sources.CtdbDir, MainFileName);

    public TranslationUnit Parse(string contents, CXTranslationUnitFlags flags)
    {
        string[] arguments =
        [
            "-x", "c", "-std=gnu11", "--target=x86_64-pc-linux-gnu",
            "-resource-dir", resourceDirectory,
            .. sources.IncludeArguments,
        ];
        return TranslationUnit.Parse(MainFilePath, contents, arguments, flags);
    }

    public static void ThrowOnErrors(TranslationUnit unit, string what)
    {
        var errors = unit.Errors();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"clang reported errors while parsing {what}:\n" + string.Join('\n', errors.Select(e => e.Text)));
        }
    }
}
