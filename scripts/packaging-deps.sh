#!/usr/bin/env bash
# Installs the Debian packages that scripts/package.sh and tests/packaging need
# (kept out of scripts/bootstrap.sh so that bootstrap stays fast):
#   lintian, rpm (rpmbuild), rpmlint  - building and checking the packages
#   scdoc                             - the man pages are written in scdoc
#   man-db, binutils, dpkg-dev, cpio  - man pages, strip, dpkg-shlibdeps, rpm2cpio
# Idempotent: a second run only checks and takes well under a second.
set -euo pipefail

PACKAGES=(lintian rpm rpmlint scdoc man-db binutils dpkg-dev cpio)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" = 0 ] || { echo "packaging-deps: must run as root to install: ${missing[*]}" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
echo "packaging-deps: installing ${missing[*]}" >&2
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
