using CtdbInterop.Fuzz;
using SharpFuzz;

// Without arguments: the afl-fuzz target (SharpFuzz's in-process persistent loop; run once
// on stdin when not under afl-fuzz). "replay PATH..." runs inputs (files or folders) once each
// and reports every one that crashes (use an uninstrumented build: instrumented code needs
// afl-fuzz's shared memory); "seed GOLDEN_DIR OUT_DIR" writes the seed corpus; "instrument DLL"
// adds the afl-fuzz instrumentation to a copy of CtdbInterop.Bindings.dll in place.
switch (args)
{
    case []:
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzInput.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    case ["replay", .. var paths]:
        return Replay.Run(paths, Console.Out);
    case ["seed", var golden, var output]:
        Console.WriteLine($"{SeedCorpus.Write(golden, output)} seed inputs written to {output}");
        return 0;
    case ["instrument", var assembly]:
        // The client's async plumbing runs on pool threads with timing-dependent paths (how a
        // read splits, which thread continues): instrumented, it makes every run look new and
        // floods the queue. The codec it calls stays instrumented and steers the stream target.
        var types = Fuzzer.Instrument(assembly, static type => !type.StartsWith("CtdbInterop.Bindings.Client.", StringComparison.Ordinal), Options.Value);
        Console.WriteLine($"instrumented {types.Count()} types in {assembly}");
        return 0;
    default:
        Console.Error.WriteLine("usage: CtdbInterop.Fuzz [replay PATH... | seed GOLDEN_DIR OUT_DIR | instrument DLL]");
        return 2;
}
