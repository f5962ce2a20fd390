using System.Runtime.InteropServices;

namespace CtdbInterop.Bindings.Generator.Clang;

/// <summary>The few libclang 14 entry points the generator needs, bound directly.</summary>
internal static unsafe partial class LibClang
{
    // Debian 12's libclang1-14 package installs exactly this soname.
    private const string Library = "libclang-14.so.1";

    [LibraryImport(Library, EntryPoint = "clang_createIndex")]
    public static partial IntPtr CreateIndex(int excludeDeclarationsFromPch, int displayDiagnostics);

    [LibraryImport(Library, EntryPoint = "clang_disposeIndex")]
    public static partial void DisposeIndex(IntPtr index);

    [LibraryImport(Library, EntryPoint = "clang_parseTranslationUnit2")]
    public static partial int ParseTranslationUnit2(
        IntPtr index, byte* sourceFilename, byte** commandLineArgs, int numCommandLineArgs,
        CXUnsavedFile* unsavedFiles, uint numUnsavedFiles, CXTranslationUnitFlags options, out IntPtr translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_disposeTranslationUnit")]
    public static partial void DisposeTranslationUnit(IntPtr translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_getNumDiagnostics")]
    public static partial uint GetNumDiagnostics(IntPtr translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnostic")]
    public static partial IntPtr GetDiagnostic(IntPtr translationUnit, uint index);

    [LibraryImport(Library, EntryPoint = "clang_disposeDiagnostic")]
    public static partial void DisposeDiagnostic(IntPtr diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnosticSeverity")]
    public static partial CXDiagnosticSeverity GetDiagnosticSeverity(IntPtr diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_formatDiagnostic")]
    public static partial CXString FormatDiagnostic(IntPtr diagnostic, uint options);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnosticLocation")]
    public static partial CXSourceLocation GetDiagnosticLocation(IntPtr diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getTranslationUnitCursor")]
    public static partial CXCursor GetTranslationUnitCursor(IntPtr translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_visitChildren")]
    public static partial uint VisitChildren(
        CXCursor parent, delegate* unmanaged<CXCursor, CXCursor, IntPtr, CXChildVisitResult> visitor, IntPtr clientData);

    [LibraryImport(Library, EntryPoint = "clang_getCursorKind")]
    public static partial CXCursorKind GetCursorKind(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getCursorSpelling")]
    public static partial CXString GetCursorSpelling(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getCursorLocation")]
    public static partial CXSourceLocation GetCursorLocation(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getCursorExtent")]
    public static partial CXSourceRange GetCursorExtent(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getSpellingLocation")]
    public static partial void GetSpellingLocation(
        CXSourceLocation location, out IntPtr file, out uint line, out uint column, out uint offset);

    [LibraryImport(Library, EntryPoint = "clang_getFileName")]
    public static partial CXString GetFileName(IntPtr file);

    [LibraryImport(Library, EntryPoint = "clang_getCursorType")]
    public static partial CXType GetCursorType(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getCanonicalType")]
    public static partial CXType GetCanonicalType(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_getTypeSpelling")]
    public static partial CXString GetTypeSpelling(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_getTypedefName")]
    public static partial CXString GetTypedefName(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_getTypeDeclaration")]
    public static partial CXCursor GetTypeDeclaration(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_getTypedefDeclUnderlyingType")]
    public static partial CXType GetTypedefDeclUnderlyingType(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getArrayElementType")]
    public static partial CXType GetArrayElementType(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_getArraySize")]
    public static partial long GetArraySize(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_Type_getSizeOf")]
    public static partial long TypeGetSizeOf(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_Type_getAlignOf")]
    public static partial long TypeGetAlignOf(CXType type);

    [LibraryImport(Library, EntryPoint = "clang_Type_getOffsetOf", StringMarshalling = StringMarshalling.Utf8)]
    public static partial long TypeGetOffsetOf(CXType type, string fieldName);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_getOffsetOfField")]
    public static partial long CursorGetOffsetOfField(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_isBitField")]
    public static partial uint CursorIsBitField(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_isAnonymous")]
    public static partial uint CursorIsAnonymous(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_isAnonymousRecordDecl")]
    public static partial uint CursorIsAnonymousRecordDecl(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_isCursorDefinition")]
    public static partial uint IsCursorDefinition(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getEnumDeclIntegerType")]
    public static partial CXType GetEnumDeclIntegerType(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getEnumConstantDeclValue")]
    public static partial long GetEnumConstantDeclValue(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_getEnumConstantDeclUnsignedValue")]
    public static partial ulong GetEnumConstantDeclUnsignedValue(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_isMacroFunctionLike")]
    public static partial uint CursorIsMacroFunctionLike(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_isMacroBuiltin")]
    public static partial uint CursorIsMacroBuiltin(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_tokenize")]
    public static partial void Tokenize(IntPtr translationUnit, CXSourceRange range, out CXToken* tokens, out uint numTokens);

    [LibraryImport(Library, EntryPoint = "clang_disposeTokens")]
    public static partial void DisposeTokens(IntPtr translationUnit, CXToken* tokens, uint numTokens);

    [LibraryImport(Library, EntryPoint = "clang_getTokenKind")]
    public static partial CXTokenKind GetTokenKind(CXToken token);

    [LibraryImport(Library, EntryPoint = "clang_getTokenSpelling")]
    public static partial CXString GetTokenSpelling(IntPtr translationUnit, CXToken token);

    [LibraryImport(Library, EntryPoint = "clang_Cursor_Evaluate")]
    public static partial IntPtr CursorEvaluate(CXCursor cursor);

    [LibraryImport(Library, EntryPoint = "clang_EvalResult_getKind")]
    public static partial CXEvalResultKind EvalResultGetKind(IntPtr result);

    [LibraryImport(Library, EntryPoint = "clang_EvalResult_isUnsignedInt")]
    public static partial uint EvalResultIsUnsignedInt(IntPtr result);

    [LibraryImport(Library, EntryPoint = "clang_EvalResult_getAsUnsigned")]
    public static partial ulong EvalResultGetAsUnsigned(IntPtr result);

    [LibraryImport(Library, EntryPoint = "clang_EvalResult_getAsLongLong")]
    public static partial long EvalResultGetAsLongLong(IntPtr result);

    [LibraryImport(Library, EntryPoint = "clang_EvalResult_getAsStr")]
    public static partial byte* EvalResultGetAsStr(IntPtr result);

    [LibraryImport(Library, EntryPoint = "clang_EvalResult_dispose")]
    public static partial void EvalResultDispose(IntPtr result);

    [LibraryImport(Library, EntryPoint = "clang_getCString")]
    public static partial byte* GetCString(CXString text);

    [LibraryImport(Library, EntryPoint = "clang_disposeString")]
    public static partial void DisposeString(CXString text);

    /// <summary>Copies a libclang string into a managed one and releases it.</summary>
    public static string TakeString(CXString text)
    {
        try
        {
            var chars = GetCString(text);
            return chars == null ? string.Empty : Marshal.PtrToStringUTF8((IntPtr)chars) ?? string.Empty;
        }
        finally
        {
            DisposeString(text);
        }
    }
}
