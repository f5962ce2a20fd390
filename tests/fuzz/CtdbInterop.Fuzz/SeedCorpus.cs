using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using CtdbInterop.Bindings.Generated;

namespace CtdbInterop.Fuzz;

/// <summary>
/// Seed inputs from the golden captures of a real ctdbd (tests/CtdbInterop.Bindings.Tests/GoldenData):
/// every packet for the framing target and for its own packet target, its payload for the payload
/// target, and each capture's ctdbd-to-client byte stream for the stream target. Offsets are read
/// here directly (not through the codec under test) so a codec bug cannot shape the seeds.
/// </summary>
internal static class SeedCorpus
{
    // (where datalen is, where the data starts) in each packet kind.
    private static readonly (int Length, int Data) ControlReplyData = (36, 44);
    private static readonly (int Length, int Data) ControlRequestData = (56, 60);
    private static readonly (int Length, int Data) MessageData = (40, 44);

    public static int Write(string goldenDir, string outputDir)
    {
        Directory.CreateDirectory(outputDir);
        var seeds = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var captures = Directory.GetFiles(goldenDir, "*.capture").Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < captures.Count; i++)
        {
            var stream = new List<byte> { (byte)FuzzTarget.Stream, (byte)(i * 7 % 64) };
            foreach (var line in File.ReadLines(captures[i]))
            {
                if (!line.StartsWith("c2s ", StringComparison.Ordinal) && !line.StartsWith("s2c ", StringComparison.Ordinal))
                {
                    continue;
                }

                var packet = Convert.FromHexString(line.AsSpan(4));
                foreach (var seed in SeedsOf(packet))
                {
                    seeds.TryAdd(Convert.ToHexString(SHA256.HashData(seed)), seed);
                }

                if (line.StartsWith("s2c ", StringComparison.Ordinal))
                {
                    stream.AddRange(packet);
                }
            }

            var streamSeed = stream.ToArray();
            seeds.TryAdd(Convert.ToHexString(SHA256.HashData(streamSeed)), streamSeed);
        }

        var n = 0;
        foreach (var (_, seed) in seeds.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            File.WriteAllBytes(Path.Combine(outputDir, $"seed-{n++.ToString("D3", CultureInfo.InvariantCulture)}"), seed);
        }

        return n;
    }

    private static IEnumerable<byte[]> SeedsOf(byte[] packet)
    {
        yield return [(byte)FuzzTarget.Framing, .. packet];
        var operation = (CtdbOperation)BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(16));
        var (target, offsets) = operation switch
        {
            CtdbOperation.ReplyControl => (FuzzTarget.ControlReply, ControlReplyData),
            CtdbOperation.ReqControl => (FuzzTarget.ControlRequest, ControlRequestData),
            CtdbOperation.ReqMessage => (FuzzTarget.Message, MessageData),
            _ => (FuzzTarget.Framing, (Length: 0, Data: 0)),
        };
        if (target == FuzzTarget.Framing)
        {
            yield break;
        }

        yield return [(byte)target, .. packet];
        var dataLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(packet.AsSpan(offsets.Length));
        if (dataLength > 0 && offsets.Data + dataLength <= packet.Length)
        {
            yield return [(byte)FuzzTarget.Payload, .. packet.AsSpan(offsets.Data, dataLength)];
        }
    }
}
