using System.Runtime.InteropServices;
using System.Text;

namespace CtdbInterop.Bindings.Generator.Clang;

/// <summary>One parsed C file (given as in-memory text) with the cursor helpers the generator uses.</summary>
internal sealed unsafe class TranslationUnit : IDisposable
{
    private readonly IntPtr index;
    private IntPtr handle;

    private TranslationUnit(IntPtr index, IntPtr handle)
    {
        this.index = index;
        this.handle = handle;
    }

    public IntPtr Handle => handle;

    public CXCursor Root => LibClang.GetTranslationUnitCursor(handle);

    /// <summary>Parses <paramref name="contents"/> as if it were the file <paramref name="mainFileName"/>.</summary>
    public static TranslationUnit Parse(string mainFileName, string contents, IReadOnlyList<string> arguments,
                                        CXTranslationUnitFlags flags)
    {
        var index = LibClang.CreateIndex(0, 0);
        var allocations = new List<IntPtr>();
        try
        {
            byte* Utf8(string s)
            {
                var p = Marshal.StringToCoTaskMemUTF8(s);
                allocations.Add(p);
                return (byte*)p;
            }

            var argv = stackalloc byte*[arguments.Count];
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i] = Utf8(arguments[i]);
            }

            var unsaved = new CXUnsavedFile
            {
                Filename = (IntPtr)Utf8(mainFileName),
                Contents = (IntPtr)Utf8(contents),
                Length = (nuint)Encoding.UTF8.GetByteCount(contents),
            };
            var error = LibClang.ParseTranslationUnit2(
                index, (byte*)unsaved.Filename, argv, arguments.Count, &unsaved, 1, flags, out var tu);
            if (error != 0 || tu == IntPtr.Zero)
            {
                throw new InvalidOperationException($"libclang could not parse {mainFileName} (CXErrorCode {error})");
            }

            return new TranslationUnit(index, tu);
        }
        catch
        {
            LibClang.DisposeIndex(index);
            throw;
        }
        finally
        {
            foreach (var p in allocations)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    /// <summary>Errors and fatal errors, formatted with file, line and column.</summary>
    public IReadOnlyList<(string File, uint Line, string Text)> Errors()
    {
        var result = new List<(string, uint, string)>();
        var count = LibClang.GetNumDiagnostics(handle);
        for (uint i = 0; i < count; i++)
        {
            var diagnostic = LibClang.GetDiagnostic(handle, i);
            try
            {
                if (LibClang.GetDiagnosticSeverity(diagnostic) < CXDiagnosticSeverity.Error)
                {
                    continue;
                }

                var (file, line) = SpellingLocation(LibClang.GetDiagnosticLocation(diagnostic));
                // 0x1 | 0x2 | 0x4: source location, column, option name.
                result.Add((file, line, LibClang.TakeString(LibClang.FormatDiagnostic(diagnostic, 0x7))));
            }
            finally
            {
                LibClang.DisposeDiagnostic(diagnostic);
            }
        }

        return result;
    }

    public static List<CXCursor> Children(CXCursor parent)
    {
        var children = new List<CXCursor>();
        var gc = GCHandle.Alloc(children);
        try
        {
            // Non-zero only when a visitor returns Break, which CollectChild never does.
            _ = LibClang.VisitChildren(parent, &CollectChild, GCHandle.ToIntPtr(gc));
        }
        finally
        {
            gc.Free();
        }

        return children;
    }

    [UnmanagedCallersOnly]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, IntPtr clientData)
    {
        var children = (List<CXCursor>)GCHandle.FromIntPtr(clientData).Target!;
        children.Add(cursor);
        return CXChildVisitResult.Continue;
    }

    public static string Spelling(CXCursor cursor) => LibClang.TakeString(LibClang.GetCursorSpelling(cursor));

    public static (string File, uint Line) Location(CXCursor cursor) =>
        SpellingLocation(LibClang.GetCursorLocation(cursor));

    private static (string File, uint Line) SpellingLocation(CXSourceLocation location)
    {
        LibClang.GetSpellingLocation(location, out var file, out var line, out _, out _);
        return (file == IntPtr.Zero ? string.Empty : LibClang.TakeString(LibClang.GetFileName(file)), line);
    }

    /// <summary>The spelling and kind of every token of a cursor's extent (e.g. a macro's name and body).</summary>
    public List<(CXTokenKind Kind, string Text)> Tokens(CXCursor cursor)
    {
        LibClang.Tokenize(handle, LibClang.GetCursorExtent(cursor), out var tokens, out var count);
        try
        {
            var result = new List<(CXTokenKind, string)>((int)count);
            for (var i = 0; i < count; i++)
            {
                result.Add((LibClang.GetTokenKind(tokens[i]),
                            LibClang.TakeString(LibClang.GetTokenSpelling(handle, tokens[i]))));
            }

            return result;
        }
        finally
        {
            if (tokens != null)
            {
                LibClang.DisposeTokens(handle, tokens, count);
            }
        }
    }

    public void Dispose()
    {
        if (handle != IntPtr.Zero)
        {
            LibClang.DisposeTranslationUnit(handle);
            LibClang.DisposeIndex(index);
            handle = IntPtr.Zero;
        }
    }
}
