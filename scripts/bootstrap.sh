#!/usr/bin/env bash
# Idempotent set-up of a Debian 12 machine for CtdbInterop:
#  - Debian's ctdb 4.22.6 from bookworm-backports (+ libtdb-dev from the same suite),
#  - libclang 14 (the binding generator P/Invokes it), a C toolchain, netns tools,
#  - afl++ (tests/fuzz, scripts/fuzz.sh drive the SharpFuzz harness with afl-fuzz),
#  - Samba's 4.22.6 source (ctdb/ only) unpacked into a cache outside the repository.
# The backports apt source is derived from the machine's own debian.sources, so no
# archive host name is written anywhere. A second run only checks and takes seconds.
set -euo pipefail

SAMBA_VERSION=4.22.6
CACHE_DIR=${CTDBINTEROP_CACHE:-/var/cache/ctdbinterop}
SAMBA_DIR="$CACHE_DIR/samba-$SAMBA_VERSION"
BACKPORTS_LIST=/etc/apt/sources.list.d/ctdbinterop-backports.sources
STAMP="$CACHE_DIR/bootstrap.done"
PACKAGES=(ctdb libtdb-dev libclang1-14 libclang-common-14-dev gcc make iproute2 procps
          psmisc xz-utils dpkg-dev tdb-tools afl++ prometheus-node-exporter prometheus librsvg2-bin curl
          gnuplot-nox python3)

log() { printf 'bootstrap: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || { log "must run as root (apt, network namespaces)"; exit 1; }

all_present() {
    [ -f "$STAMP" ] || return 1
    [ -x /usr/sbin/ctdbd ] || return 1
    dpkg-query -W -f='${Version}' ctdb 2>/dev/null | grep -q ":$SAMBA_VERSION" || return 1
    [ -f "$SAMBA_DIR/ctdb/protocol/protocol.h" ] || return 1
    [ -f /usr/include/tdb.h ] || return 1
    [ -L "$SAMBA_DIR/ctdb/bin/ctdbd" ] || return 1
    ls /usr/lib/x86_64-linux-gnu/libclang-14.so.1 >/dev/null 2>&1 || return 1
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
}

if all_present; then
    echo "$SAMBA_DIR"
    exit 0
fi

mkdir -p "$CACHE_DIR"

# 1. bookworm-backports, derived from the first stanza of the machine's own sources.
if [ ! -f "$BACKPORTS_LIST" ]; then
    src=/etc/apt/sources.list.d/debian.sources
    [ -f "$src" ] || { log "$src not found: cannot derive the backports source"; exit 1; }
    awk '
        BEGIN { RS=""; FS="\n" }
        NR==1 {
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^Types:/)      { print "Types: deb deb-src"; continue }
                if ($i ~ /^Suites:/)     { print "Suites: bookworm-backports"; continue }
                if ($i ~ /^#/)           { continue }
                print $i
            }
        }' "$src" > "$BACKPORTS_LIST.tmp"
    grep -q '^URIs:' "$BACKPORTS_LIST.tmp" || { log "no URIs line in $src"; exit 1; }
    mv "$BACKPORTS_LIST.tmp" "$BACKPORTS_LIST"
    log "added bookworm-backports (derived from $src)"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq -t bookworm-backports ctdb libtdb-dev >/dev/null
apt-get -o DPkg::Lock::Timeout=600 install -y -qq libclang1-14 libclang-common-14-dev gcc make iproute2 procps psmisc \
    xz-utils dpkg-dev tdb-tools afl++ gnuplot-nox python3 valgrind >/dev/null
# Metrics: node_exporter (textfile collector), promtool (prometheus), rsvg-convert (timeline PNG).
apt-get -o DPkg::Lock::Timeout=600 install -y -qq prometheus-node-exporter prometheus librsvg2-bin curl >/dev/null
# Install never starts a cluster or a scraper here: the packaged services stay stopped.
systemctl disable --now ctdb.service >/dev/null 2>&1 || true
systemctl disable --now prometheus.service prometheus-node-exporter.service >/dev/null 2>&1 || true

# 2. Samba's source tarball (the .dsc of the backport may 404; the tarball is what we need).
if [ ! -f "$SAMBA_DIR/ctdb/protocol/protocol.h" ]; then
    ver=$(dpkg-query -W -f='${Version}' ctdb)
    dl="$CACHE_DIR/download"
    mkdir -p "$dl"
    tarball=$(ls "$dl"/samba_"$SAMBA_VERSION"*.orig.tar.xz 2>/dev/null | head -1 || true)
    if [ -z "$tarball" ]; then
        (cd "$dl" && apt-get source --download-only -qq "samba=$ver" >/dev/null 2>&1) || true
        tarball=$(ls "$dl"/samba_"$SAMBA_VERSION"*.orig.tar.xz 2>/dev/null | head -1 || true)
    fi
    [ -n "$tarball" ] || { log "could not fetch the samba $SAMBA_VERSION source tarball"; exit 1; }
    rm -rf "$SAMBA_DIR.tmp"
    mkdir -p "$SAMBA_DIR.tmp"
    tar -C "$SAMBA_DIR.tmp" --strip-components=1 -xJf "$tarball" "samba-$SAMBA_VERSION/ctdb"
    rm -rf "$SAMBA_DIR"
    mv "$SAMBA_DIR.tmp" "$SAMBA_DIR"
    log "unpacked ctdb/ of samba $SAMBA_VERSION into $SAMBA_DIR"
fi

# 3. bin/ of symlinks to the installed programs, where Samba's test scripts look for them.
bindir="$SAMBA_DIR/ctdb/bin"
mkdir -p "$bindir"
for f in /usr/libexec/ctdb/* /usr/sbin/ctdbd /usr/bin/ctdb /usr/bin/ltdbtool /usr/bin/ping_pong; do
    [ -e "$f" ] && ln -sfn "$f" "$bindir/$(basename "$f")"
done

touch "$STAMP"
echo "$SAMBA_DIR"
