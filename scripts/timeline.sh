#!/usr/bin/env bash
# Draws the events of several nodes' ctdb logs on one time axis: an SVG with a numbered
# listing beside it (leader changes, elections, recoveries with their causes, bans,
# takeover runs, cluster lock events), and the listing on stdout.
#
#   scripts/timeline.sh [-o OUT.svg] [--listing OUT.txt] [--png OUT.png] [--title TEXT]
#                       [--from TIME] [--to TIME] LOG...
# LOG files are ctdb file logs (a local cluster's node.N/log.ctdb, or copies from real
# hosts; one file may hold several nodes). TIME as in the log (2026-11-26T02:59:07+00:00).
# --png renders the SVG with rsvg-convert.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src="$repo/scripts/timeline/timeline.cs"
build="${CTDBI_TIMELINE_BUILD:-/var/tmp/ctdbinterop/timeline-build}"

args=() png=""
while [ $# -gt 0 ]; do
    case "$1" in
        --png) png=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) args+=("$1"); shift ;;
    esac
done
[ ${#args[@]} -gt 0 ] || { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# Build once per source change (a .NET file-based app).
stamp="$build/source.sha256"
if [ ! -f "$build/timeline.dll" ] || ! sha256sum --status -c "$stamp" 2>/dev/null; then
    mkdir -p "$build"
    dotnet build "$src" -nologo -v quiet -clp:ErrorsOnly -o "$build" >&2
    sha256sum "$src" > "$stamp"
fi

dotnet "$build/timeline.dll" "${args[@]}"

if [ -n "$png" ]; then
    out=timeline.svg
    for ((i = 0; i < ${#args[@]}; i++)); do
        [ "${args[$i]}" = -o ] && out=${args[$((i + 1))]}
    done
    rsvg-convert -o "$png" "$out"
fi
