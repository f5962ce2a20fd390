#!/usr/bin/env python3
"""Writes the C source of cold-code-cost.sh's probe (issue 7, idle CPU).

The probe wakes once a second and runs a chain of LINES functions, each on a 64-byte code line
of its own, visited in a fixed shuffled order, so that every line is a separate cache line the
processor cannot guess from the previous one (no sequential prefetch). Each function ends by
tail-calling the next one, so the chain uses no stack and touches no data: what one wake-up
costs above an empty chain is the cost of fetching that many code lines cold.

    generate.py FUNCTIONS > probe.c
"""
import random
import sys


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        print("usage: generate.py FUNCTIONS", file=sys.stderr)
        return 2
    count = int(sys.argv[1])
    order = list(range(count))
    random.Random(16).shuffle(order)
    following = {order[i]: order[(i + 1) % count] for i in range(count)}
    out = ["#include <stdlib.h>", "#include <unistd.h>"]
    out += [f"int f{i}(int x, int left);" for i in range(count)]
    for i in range(count):
        out.append(
            f"__attribute__((noinline, aligned(64))) int f{i}(int x, int left) "
            f"{{ if (!left) return x; return f{following[i]}(x * {i % 7 + 3} + {i}, left - 1); }}")
    out.append(f"""
/* probe LINES SECONDS: runs the chain's first LINES functions once a second for SECONDS seconds. */
int main(int argc, char **argv)
{{
    if (argc != 3) return 2;
    int lines = atoi(argv[1]), seconds = atoi(argv[2]);
    if (lines < 0 || lines > {count} || seconds < 1) return 2;
    volatile int acc = 0;
    for (int s = 0; s < seconds; s++) {{
        acc = f{order[0]}(acc, lines);
        usleep(1000000);
    }}
    return acc == 42;
}}""")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
