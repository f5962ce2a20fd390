#!/usr/bin/env bash
# Builds native/ (the LD_PRELOAD shim that runs the replacement recovery
# daemon under a stock ctdbd) and prints the path of the library.
# OUT=<dir> puts it in <dir>/lib instead of <repo>/out/lib.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$repo/out}

# make's own output goes to stderr: stdout carries only the path.
make -s -C "$repo/native" OUT="$out" >&2
echo "$out/lib/libctdb_recoverd_shim.so"
