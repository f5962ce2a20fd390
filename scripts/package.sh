#!/usr/bin/env bash
# Builds the installable packages of CtdbInterop from this checkout:
#   out/packages/<name>_<version>-<rev>_amd64.deb   (dpkg-deb)
#   out/packages/<name>-<version>-<rev>.x86_64.rpm  (rpmbuild)
# Both are made from one staged tree (out/packaging/stage), so they carry the
# same files. Layout and names: packaging/layout.sh; version: Directory.Build.props.
#
#   scripts/package.sh [--no-build] [--no-lint]
#
# It installs its tools (scripts/packaging-deps.sh), builds the shim and the
# NativeAOT daemon (scripts/build.sh), then runs lintian and rpmlint and fails
# on any error from either. The last lines name the two package files.
# --no-build packages what out/bin and out/lib already hold (development only).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=packaging/layout.sh
. "$repo/packaging/layout.sh"

lint=true build=true
for arg in "$@"; do
    case "$arg" in
        --no-lint) lint=false ;;
        --no-build) build=false ;;
        *) echo "usage: scripts/package.sh [--no-build] [--no-lint]" >&2; exit 2 ;;
    esac
done

log() { printf 'package: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (installs its tools with apt, files owned by root)"
[ "$(dpkg --print-architecture)" = amd64 ] || die "only amd64 is packaged"
umask 022

"$repo/scripts/packaging-deps.sh"
if $build; then
    log "building (scripts/build.sh)"
    "$repo/scripts/build.sh" >&2
fi

built_daemon=$repo/out/bin/ctdb-recoverd
[ -x "$built_daemon" ] || die "$built_daemon was not built (is recoverd/CtdbInterop.Recoverd in this checkout?)"

version=$(pkg_version "$repo")
deb_version="$version-$PKG_REVISION"
# Reproducible builds: every timestamp is the last commit's.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || stat -c %Y "$repo/Directory.Build.props")
fi
export SOURCE_DATE_EPOCH
commit=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

work=$repo/out/packaging
stage=$work/stage

packages=$repo/out/packages
rm -rf "$work"
mkdir -p "$stage" "$packages"
rm -f "$packages/${PKG_NAME}_"*.deb "$packages/$PKG_NAME-"*.rpm

# fill <template> <output>: replaces every @NAME@ with $FILL_NAME; an unknown
# name is an error. (perl: the values hold newlines, quotes and slashes.)
fill() {
    perl -pe 's{\@([A-Z_]+)\@}{exists $ENV{"FILL_$1"} ? $ENV{"FILL_$1"}
        : die "unknown placeholder \@$1\@ in $ARGV\n"}ge' "$1" >"$2"
}
export FILL_PKG_NAME=$PKG_NAME FILL_VERSION=$version FILL_DAEMON=$PATH_DAEMON FILL_SHIM=$PATH_SHIM \
    FILL_SHIM_DIR=${PATH_SHIM%/*} FILL_SWITCH=$PATH_SWITCH FILL_TEMPLATE=$PATH_DROPIN_TEMPLATE \
    FILL_DROPIN=$PATH_DROPIN FILL_DROPIN_DIR=${PATH_DROPIN%/*}

# strip_elf <file>: what dh_strip does, for files that still carry symbols.
strip_elf() {
    if readelf -S -W "$1" | grep -qE '\.(symtab|debug_|comment)'; then
        strip --strip-unneeded --remove-section=.comment --remove-section=.note "$1"
    fi
}

# The packaged shim: the same native/ sources as out/lib's, compiled with the
# distribution's hardening flags (fortify, stack protector, relro) as dpkg-buildflags gives them.
log "building the shim with dpkg-buildflags"
make -s -C native OUT="$work/native" CFLAGS="$(dpkg-buildflags --get CFLAGS)" \
    CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" >&2
built_shim=$work/native/lib/libctdb_recoverd_shim.so

# --- the staged tree: exactly the files both packages install ---------------
log "staging $PKG_NAME $version"
install -D -m 0755 "$built_daemon" "$stage$PATH_DAEMON"
install -D -m 0644 "$built_shim" "$stage$PATH_SHIM"
strip_elf "$stage$PATH_DAEMON"
strip_elf "$stage$PATH_SHIM"

mkdir -p "$stage$(dirname "$PATH_SWITCH")"
fill packaging/switch/ctdb-recoverd-switch.in "$stage$PATH_SWITCH"
chmod 0755 "$stage$PATH_SWITCH"
sh -n "$stage$PATH_SWITCH" || die "the switch script does not parse"

mkdir -p "$stage$(dirname "$PATH_DROPIN_TEMPLATE")"
fill packaging/systemd/ctdb-recoverd.conf.in "$stage$PATH_DROPIN_TEMPLATE"

mkdir -p "$stage$PATH_MANDIR"
for scd in packaging/man/*.8.scd; do
    page=$(basename "$scd" .scd)
    fill "$scd" "$work/$page.scd"
    scdoc <"$work/$page.scd" >"$work/$page"
    gzip -9n <"$work/$page" >"$stage$PATH_MANDIR/$page.gz"
done

mkdir -p "$stage$PATH_DOCDIR"
install -m 0644 packaging/debian/copyright "$stage$PATH_DOCDIR/copyright"
gzip -9n <README.md >"$stage$PATH_DOCDIR/README.md.gz"
changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
cat >"$work/changelog" <<EOF
$PKG_NAME ($deb_version) unstable; urgency=medium

  * Packaged from CtdbInterop $version (git $commit).

 -- $PKG_MAINTAINER  $changelog_date
EOF
gzip -9n <"$work/changelog" >"$stage$PATH_DOCDIR/changelog.Debian.gz"

chmod -R u=rwX,go=rX "$stage"
chmod 0755 "$stage$PATH_DAEMON" "$stage$PATH_SWITCH"
chown -R root:root "$stage"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# --- .deb -----------------------------------------------------------------
debroot=$work/deb
cp -a "$stage" "$debroot"
mkdir -m 0755 "$debroot/DEBIAN"

# Shared-library dependencies of the ELF files, as dpkg-shlibdeps computes them.
shlibs=$work/shlibdeps
mkdir -p "$shlibs/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$PKG_NAME" "$PKG_NAME" >"$shlibs/debian/control"
lib_depends=$(cd "$shlibs" && dpkg-shlibdeps -O -e"$debroot$PATH_DAEMON" -e"$debroot$PATH_SHIM" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
[ -n "$lib_depends" ] || die "dpkg-shlibdeps found no dependencies"

# Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up, 1 per other entry.
installed_size=$(cd "$stage" && find . -mindepth 1 -printf '%y %s\n' |
    awk '$1 == "f" { kib += int(($2 + 1023) / 1024); next } { kib += 1 } END { print kib }')

FILL_DEB_VERSION=$deb_version FILL_MAINTAINER=$PKG_MAINTAINER FILL_INSTALLED_SIZE=$installed_size \
    FILL_DEPENDS="$PKG_DEB_DEPENDS_EXTRA, $lib_depends" FILL_SUMMARY=$PKG_SUMMARY \
    FILL_DESCRIPTION=$(sed -e 's/^$/./' -e 's/^/ /' packaging/description.txt) \
    fill packaging/debian/control.in "$debroot/DEBIAN/control"
for script in postinst prerm postrm; do
    fill "packaging/debian/$script" "$debroot/DEBIAN/$script"
    chmod 0755 "$debroot/DEBIAN/$script"
    sh -n "$debroot/DEBIAN/$script" || die "DEBIAN/$script does not parse"
done
(cd "$debroot" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
    xargs -0 md5sum) >"$debroot/DEBIAN/md5sums"
chmod 0644 "$debroot/DEBIAN/control" "$debroot/DEBIAN/md5sums"
find "$debroot/DEBIAN" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

deb=$packages/${PKG_NAME}_${deb_version}_amd64.deb
dpkg-deb --root-owner-group -Zxz -z9 --build "$debroot" "$deb" >&2

# --- .rpm -----------------------------------------------------------------
rpmtop=$work/rpmbuild
mkdir -p "$rpmtop"/{BUILD,BUILDROOT,RPMS,SOURCES,SPECS,SRPMS}

# %files from the staged tree: our own directories, then every file.
files=$work/rpm-files
{
    echo '%defattr(-,root,root,-)'
    for dir in "$(dirname "$PATH_DAEMON")" "$(dirname "$PATH_SHIM")" \
        "$(dirname "$PATH_DROPIN_TEMPLATE")" "$PATH_DOCDIR"; do
        echo "%dir $dir"
    done | sort -u
    (cd "$stage" && find . \( -type f -o -type l \) -printf '/%P\n' | LC_ALL=C sort) |
        while read -r f; do
            case "$f" in
                "$PATH_DOCDIR/copyright") echo "%license $f" ;;
                "$PATH_DOCDIR"/*) echo "%doc $f" ;;
                *) echo "$f" ;;
            esac
        done
} >"$files"

changelog_rpm_date=$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH" '+%a %b %d %Y')
spec=$rpmtop/SPECS/$PKG_NAME.spec
FILL_STAGE=$stage FILL_MAINTAINER=$PKG_MAINTAINER FILL_REVISION=$PKG_REVISION FILL_REQUIRES=$PKG_RPM_REQUIRES \
    FILL_DESCRIPTION=$(cat packaging/description.txt) FILL_FILES=$(cat "$files") \
    FILL_CHANGELOG="* $changelog_rpm_date $PKG_MAINTAINER - $version-$PKG_REVISION
- Packaged from CtdbInterop $version (git $commit)." \
    fill packaging/rpm/ctdbinterop.spec.in "$spec"

rpmbuild -bb --quiet --target x86_64 \
    --define "_topdir $rpmtop" \
    --define "_rpmdir $rpmtop/RPMS" \
    --define "_build_id_links none" \
    --define "_buildhost reproducible" \
    --define "use_source_date_epoch_as_buildtime 1" \
    --define "clamp_mtime_to_source_date_epoch 1" \
    --define "_binary_payload w9.xzdio" \
    "$spec" >&2
rpm_built=$(find "$rpmtop/RPMS" -name "$PKG_NAME-$version-$PKG_REVISION.*.rpm" | head -n 1)
[ -n "$rpm_built" ] || die "rpmbuild produced no package"
rpm=$packages/$(basename "$rpm_built")
mv "$rpm_built" "$rpm"

# --- checks ---------------------------------------------------------------
if $lint; then
    log "lintian $deb"
    lintian_out=$work/lintian.txt
    lintian --no-tag-display-limit --display-info --pedantic "$deb" >"$lintian_out" 2>&1 || true
    sed 's/^/  /' "$lintian_out" >&2
    grep -q '^E: ' "$lintian_out" && die "lintian reports errors"
    log "rpmlint $rpm"
    rpmlint_out=$work/rpmlint.txt
    rpmlint -c packaging/rpm/rpmlint.toml "$rpm" >"$rpmlint_out" 2>&1 || true
    sed 's/^/  /' "$rpmlint_out" >&2
    grep -qE ' 0 errors' "$rpmlint_out" || die "rpmlint reports errors"
fi

log "sizes: $(du -b "$deb" | cut -f1) bytes (.deb), $(du -b "$rpm" | cut -f1) bytes (.rpm), installed $installed_size KiB"
echo "$deb"
echo "$rpm"
