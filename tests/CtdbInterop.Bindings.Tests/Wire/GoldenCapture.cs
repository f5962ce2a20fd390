using System.Globalization;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bindings.Tests.Wire;

/// <summary>One packet from a capture file: direction, bytes and line number.</summary>
public sealed record CapturedPacket(bool FromClient, byte[] Bytes, int Line)
{
    public PacketHeader Header => PacketFraming.ReadHeader(Bytes);
}

/// <summary>A control request from a capture with the reply ctdbd sent for it.</summary>
public sealed record ControlExchange(PacketHeader RequestHeader, ControlRequest Request, byte[] RequestBytes, PacketHeader ReplyHeader, ControlReply Reply);

/// <summary>
/// A GoldenData/*.capture file (see GoldenData/README.md): "c2s HEX" / "s2c HEX" lines, comments,
/// and the recorded tool's output as "# | " lines.
/// </summary>
public sealed class GoldenCapture
{
    private GoldenCapture(string name, IReadOnlyList<CapturedPacket> packets, IReadOnlyList<string> comments)
    {
        Name = name;
        Packets = packets;
        Comments = comments;
    }

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "GoldenData");

    public string Name { get; }

    public IReadOnlyList<CapturedPacket> Packets { get; }

    public IReadOnlyList<string> Comments { get; }

    /// <summary>The recorded tool's output lines.</summary>
    public IEnumerable<string> ToolOutput => Comments.Where(c => c.StartsWith("| ", StringComparison.Ordinal)).Select(c => c[2..]);

    /// <summary>When the capture was recorded (its "# recorded" line).</summary>
    public DateTimeOffset Recorded => DateTimeOffset.Parse(
        Comments.Single(c => c.StartsWith("recorded ", StringComparison.Ordinal))["recorded ".Length..], CultureInfo.InvariantCulture);

    public static IEnumerable<string> AllNames() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.capture").Select(Path.GetFileNameWithoutExtension).Order().Cast<string>();

    public static GoldenCapture Load(string name)
    {
        var packets = new List<CapturedPacket>();
        var comments = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(Path.Combine(Directory, name + ".capture")))
        {
            lineNumber++;
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                comments.Add(line[2..]);
            }
            else if (line.StartsWith("c2s ", StringComparison.Ordinal) || line.StartsWith("s2c ", StringComparison.Ordinal))
            {
                packets.Add(new CapturedPacket(line[0] == 'c', Convert.FromHexString(line.AsSpan(4)), lineNumber));
            }
            else if (line.Length > 0)
            {
                throw new FormatException($"{name}.capture line {lineNumber}: unexpected '{line}'");
            }
        }

        return new GoldenCapture(name, packets, comments);
    }

    /// <summary>The value after "<paramref name="prefix"/>" on the tool's output line that starts with it.</summary>
    public string Output(string prefix) =>
        ToolOutput.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    /// <summary>Every control request sent to ctdbd with its reply (matched by reqid).</summary>
    public IReadOnlyList<ControlExchange> Controls()
    {
        var exchanges = new List<ControlExchange>();
        foreach (var (packet, index) in Packets.Select((p, i) => (p, i)))
        {
            if (!packet.FromClient || packet.Header.Operation != CtdbOperation.ReqControl)
            {
                continue;
            }

            var (header, request) = ControlRequest.Decode(packet.Bytes);
            var reply = Packets.Skip(index + 1).First(p => !p.FromClient && p.Header.Operation == CtdbOperation.ReplyControl && p.Header.ReqId == header.ReqId);
            var (replyHeader, decoded) = ControlReply.Decode(reply.Bytes);
            exchanges.Add(new ControlExchange(header, request, packet.Bytes, replyHeader, decoded));
        }

        return exchanges;
    }

    /// <summary>The only exchange of a control in this capture.</summary>
    public ControlExchange Control(CtdbControl opcode) => Controls().Single(c => c.Request.Opcode == opcode);

    /// <summary>Messages in one direction, with headers.</summary>
    public IReadOnlyList<(PacketHeader Header, MessagePacket Message)> Messages(bool fromClient) =>
        Packets.Where(p => p.FromClient == fromClient && p.Header.Operation == CtdbOperation.ReqMessage)
            .Select(p => MessagePacket.Decode(p.Bytes)).ToList();

    public override string ToString() => Name;
}
