using System.Globalization;
using System.Text;

namespace CtdbInterop.Recoverd.Daemon;

/// <summary>
/// The text answer to <c>ctdb rddumpmemory</c>, shaped like a talloc report (a header line,
/// then one indented "name contains N bytes in M blocks (ref 0) 0xADDR" line per category)
/// because administrators' tools and Samba's debug.003 test parse that shape.
/// </summary>
internal static class MemoryReport
{
    public static string Build(IReadOnlyDictionary<string, long> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var total = categories.Values.Sum();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"full talloc report on 'ctdb-recoverd' (total {total,6} bytes in {categories.Count + 1} blocks)\n");
        text.Append(CultureInfo.InvariantCulture, $"    {"recovery daemon",-30} contains {total,6} bytes in {categories.Count,3} blocks (ref 0) 0x{0x1000:x}\n");
        var address = 0x2000;
        foreach (var (name, bytes) in categories)
        {
            text.Append(CultureInfo.InvariantCulture, $"        {name,-30} contains {bytes,6} bytes in {1,3} blocks (ref 0) 0x{address:x}\n");
            address += 0x100;
        }

        return text.ToString();
    }
}
