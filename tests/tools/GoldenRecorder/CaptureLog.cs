using System.Globalization;

namespace CtdbInterop.GoldenRecorder;

/// <summary>
/// Appends packets to a capture file, one per line: "c2s HEX" (client to ctdbd) or "s2c HEX"
/// (ctdbd to client). Lines starting with '#' are comments.
/// </summary>
internal sealed class CaptureLog : IDisposable
{
    private readonly StreamWriter writer;
    private readonly Lock gate = new();

    public CaptureLog(string path, string description)
    {
        writer = new StreamWriter(path, append: false) { AutoFlush = true };
        writer.WriteLine($"# {description}");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# recorded {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}"));
    }

    public void ClientToServer(byte[] packet) => Write("c2s", packet);

    public void ServerToClient(byte[] packet) => Write("s2c", packet);

    public void Dispose() => writer.Dispose();

    private void Write(string direction, byte[] packet)
    {
        lock (gate)
        {
            writer.WriteLine($"{direction} {Convert.ToHexStringLower(packet)}");
        }
    }
}
