using System.Runtime.InteropServices;

namespace CtdbInterop.Bindings.Generator.Clang;

// Mirrors of libclang 14's by-value C structs (clang-c/Index.h); layouts are part of its stable ABI.

[StructLayout(LayoutKind.Sequential)]
internal struct CXCursor
{
    public CXCursorKind Kind;
    public int Xdata;
    public IntPtr Data0;
    public IntPtr Data1;
    public IntPtr Data2;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXType
{
    public CXTypeKind Kind;
    public IntPtr Data0;
    public IntPtr Data1;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXString
{
    public IntPtr Data;
    public uint PrivateFlags;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceLocation
{
    public IntPtr PtrData0;
    public IntPtr PtrData1;
    public uint IntData;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceRange
{
    public IntPtr PtrData0;
    public IntPtr PtrData1;
    public uint BeginIntData;
    public uint EndIntData;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXToken
{
    public uint IntData0;
    public uint IntData1;
    public uint IntData2;
    public uint IntData3;
    public IntPtr PtrData;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CXUnsavedFile
{
    public IntPtr Filename;
    public IntPtr Contents;
    public nuint Length;
}
