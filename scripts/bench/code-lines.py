#!/usr/bin/env python3
"""Distinct code cache lines a process runs a second, from two callgrind runs (issue 7).

    code-lines.py SHORT_FILE LONG_FILE SECONDS

SHORT_FILE and LONG_FILE are callgrind outputs written with --dump-instr=yes by two runs of
the same daemon that differ only in how long they ran, SECONDS apart (idle-instructions.sh
--lines). Per 64-byte line of code, the runs' difference says how often it ran in those
SECONDS, k. A line run at least once a second in the steady state counts 1, one run less often
counts k / SECONDS: the expected number of distinct lines a second, which is what a process
that sleeps between wake-ups fetches again from memory (scripts/bench/cold-code-cost.sh).
A line run many times in one burst (a garbage collection) counts as if run every second, so
the figure is an upper bound where such bursts fall between the two runs.

Prints the lines a second, then the same split by the object the code belongs to.
"""
import collections
import re
import sys

_NAME = re.compile(r"\((\d+)\)(?: (.*))?")


def line_counts(path: str) -> dict[tuple[str, int], int]:
    """Per (object, 64-byte line): the most times any instruction on it ran."""
    counts: dict[tuple[str, int], int] = collections.defaultdict(int)
    objects: dict[str, str] = {}
    positions: list[str] = []
    last = [0, 0, 0]
    current = "?"
    call_cost_next = False
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line:
                continue
            if line.startswith("positions:"):
                positions = line.split()[1:]
                last = [0] * len(positions)
                continue
            if line.startswith(("ob=", "cob=")):
                key, _, value = line.partition("=")
                m = _NAME.match(value)
                name = value
                if m:
                    if m.group(2):
                        objects[m.group(1)] = m.group(2)
                    name = objects.get(m.group(1), value)
                if key == "ob":
                    current = name
                continue
            if line.startswith("calls="):
                # The cost line after a call is the callee's inclusive cost, not this line's.
                call_cost_next = True
                continue
            first = line[0]
            if not (first.isdigit() or first in "+-*"):
                continue
            fields = line.split()
            for i in range(len(positions)):
                token = fields[i]
                if token == "*":
                    continue
                if token[0] == "+":
                    last[i] += int(token[1:], 0)
                elif token[0] == "-":
                    last[i] -= int(token[1:], 0)
                else:
                    last[i] = int(token, 0)
            if call_cost_next:
                call_cost_next = False
                continue
            if len(fields) > len(positions):
                runs = int(fields[len(positions)])
                key = (current, last[0] >> 6)
                if runs > counts[key]:
                    counts[key] = runs
    if not positions or positions[0] != "instr":
        raise SystemExit(f"code-lines.py: {path} has no instruction addresses (callgrind --dump-instr=yes)")
    return counts


def main() -> int:
    if len(sys.argv) != 4:
        print("usage: code-lines.py SHORT_FILE LONG_FILE SECONDS", file=sys.stderr)
        return 2
    short, long, seconds = line_counts(sys.argv[1]), line_counts(sys.argv[2]), float(sys.argv[3])
    if seconds <= 0:
        print("code-lines.py: SECONDS must be positive", file=sys.stderr)
        return 2
    total = 0.0
    by_object: collections.Counter[str] = collections.Counter()
    for key, runs in long.items():
        ran = runs - short.get(key, 0)
        if ran > 0:
            share = min(1.0, ran / seconds)
            total += share
            by_object[key[0]] += share
    print(f"{total:.0f}")
    for name, share in by_object.most_common():
        if share >= 0.5:
            print(f"{share:.0f}\t{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
