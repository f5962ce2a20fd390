using System.Diagnostics;
using System.Net.Sockets;
using CtdbInterop.Bindings.Generated;
using CtdbInterop.Bindings.Wire;

namespace CtdbInterop.Bench.IdleProbe;

/// <summary>
/// Sends, once a second, the controls an idle recovery daemon sends and reads their replies —
/// on one thread, with blocking socket calls and no async machinery, timers or thread pool.
/// Its CPU time is what a NativeAOT process pays for the round trips alone. Two shapes:
/// <c>rounds</c> sends them in the rounds of session 4's daemon, one write per control;
/// <c>burst</c> as today's daemon does (its local round and the reads sent ahead, issue 7):
/// every control in one write, the replies read as they come, several to a read.
/// Usage: idle-probe SOCKET PNN NODES leader|other SECONDS [rounds|burst]
/// </summary>
internal static class Program
{
    private const uint Local = CtdbConstants.CurrentNode;

    public static int Main(string[] args)
    {
        if (args.Length is not (5 or 6) || !uint.TryParse(args[1], out var pnn) || !uint.TryParse(args[2], out var nodes) ||
            args[3] is not ("leader" or "other") || !int.TryParse(args[4], out var seconds) ||
            (args.Length == 6 && args[5] is not ("rounds" or "burst")))
        {
            Console.Error.WriteLine("usage: idle-probe SOCKET PNN NODES leader|other SECONDS [rounds|burst]");
            return 2;
        }

        var rounds = Rounds(pnn, nodes, args[3] == "leader");
        var burst = args.Length == 6 && args[5] == "burst";
        if (burst)
        {
            rounds = [[.. rounds.SelectMany(round => round)]];
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = 5000,
            SendTimeout = 5000,
        };
        socket.Connect(new UnixDomainSocketEndPoint(args[0]));

        var buffer = new byte[64 * 1024];
        uint reqId = 0;
        var controls = 0;
        var clock = Stopwatch.StartNew();
        for (var second = 0; second < seconds; second++)
        {
            foreach (var round in rounds)
            {
                if (burst)
                {
                    socket.Send(round.SelectMany(request => request.Encode(++reqId)).ToArray());
                    controls += ReadReplies(socket, buffer, round.Length);
                    continue;
                }

                foreach (var request in round)
                {
                    socket.Send(request.Encode(++reqId));
                }

                for (var i = 0; i < round.Length; i++)
                {
                    ReadPacket(socket, buffer);
                    controls++;
                }
            }

            // Like the daemon: the rest of the second asleep.
            var next = TimeSpan.FromSeconds(second + 1) - clock.Elapsed;
            if (next > TimeSpan.Zero)
            {
                Thread.Sleep(next);
            }
        }

        Console.WriteLine($"controls={controls} seconds={seconds}");
        return 0;
    }

    /// <summary>The idle loop's rounds (RecoveryDaemon.MainLoop): each inner array goes out at once.</summary>
    private static ControlRequest[][] Rounds(uint pnn, uint nodes, bool leader)
    {
        var all = Enumerable.Range(0, (int)nodes).Select(n => (uint)n).ToArray();
        var others = all.Where(n => n != pnn).ToArray();
        var rounds = new List<ControlRequest[]>
        {
            new[] { Controls.RecdPing(Local) },
            new[] { Controls.GetRecmode(Local), Controls.GetDebug(Local), Controls.GetAllTunables(Local), Controls.GetRunstate(Local), Controls.GetNodemap(pnn) },
            all.Select(Controls.GetCapabilities).ToArray(),
            new[] { Controls.GetIfaces(Local) },
            new[] { Controls.GetPublicIps(Local, availableOnly: true) },
        };
        if (leader)
        {
            rounds.Add([.. others.Select(Controls.GetNodemap), Controls.GetVnnmap(pnn), .. all.Select(Controls.GetRecmode), .. others.Select(Controls.GetVnnmap)]);
        }

        return [.. rounds];
    }

    /// <summary>Reads until <paramref name="count"/> whole packets have come, as many per read as are there.</summary>
    private static int ReadReplies(Socket socket, byte[] buffer, int count)
    {
        var filled = 0;
        var packets = 0;
        while (packets < count)
        {
            if (filled == buffer.Length)
            {
                throw new IOException($"a reply longer than the probe's {buffer.Length}-byte buffer");
            }

            var n = socket.Receive(buffer.AsSpan(filled));
            if (n == 0)
            {
                throw new IOException("ctdbd closed the connection");
            }

            filled += n;
            var start = 0;
            while (filled - start >= 4 && PacketFraming.ReadLength(buffer.AsSpan(start, 4)) is var length && filled - start >= length)
            {
                start += length;
                packets++;
            }

            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
        }

        return packets;
    }

    private static void ReadPacket(Socket socket, byte[] buffer)
    {
        ReadExactly(socket, buffer.AsSpan(0, 4));
        var length = PacketFraming.ReadLength(buffer.AsSpan(0, 4));
        var packet = length <= buffer.Length ? buffer : new byte[length];
        ReadExactly(socket, packet.AsSpan(4, length - 4));
    }

    private static void ReadExactly(Socket socket, Span<byte> target)
    {
        while (target.Length > 0)
        {
            var n = socket.Receive(target);
            if (n == 0)
            {
                throw new IOException("ctdbd closed the connection");
            }

            target = target[n..];
        }
    }
}
