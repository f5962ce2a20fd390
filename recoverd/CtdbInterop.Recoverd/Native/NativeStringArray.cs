using System.Runtime.InteropServices;
using System.Text;

namespace CtdbInterop.Recoverd.Native;

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings (argv, envp) in native memory.</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private readonly byte** _array;
    private readonly int _count;

    public NativeStringArray(IReadOnlyCollection<string> strings)
    {
        _count = strings.Count;
        _array = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        var i = 0;
        foreach (var text in strings)
        {
            var length = Encoding.UTF8.GetByteCount(text);
            var item = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(text, new Span<byte>(item, length));
            item[length] = 0;
            _array[i++] = item;
        }
    }

    public byte** Pointer => _array;

    public void Dispose()
    {
        for (var i = 0; i < _count; i++)
        {
            NativeMemory.Free(_array[i]);
        }

        NativeMemory.Free(_array);
    }
}
