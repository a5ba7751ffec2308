#!/bin/sh
# Put FandolFang (a free simplified 仿宋, GPL with font exception, from CTAN's fandol) next to
# fonts.conf, which then maps 仿宋_GB2312 to it for PDF rendering. Debian ships it only inside
# texlive-lang-chinese (≈ 49 MB), so the .deb is downloaded and just this file extracted.
# Needs apt-get (no root: `apt-get download` writes to the current directory) and dpkg-deb.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$here/FandolFang-Regular.otf" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q texlive-lang-chinese >/dev/null)
dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb \
  | tar -x -C "$tmp" --wildcards '*/FandolFang-Regular.otf'
find "$tmp" -name FandolFang-Regular.otf -exec cp {} "$here/" \;
echo "FandolFang-Regular.otf installed in $here"
