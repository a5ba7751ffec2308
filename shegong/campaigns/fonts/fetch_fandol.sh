#!/bin/sh
# Put FandolFang (a free simplified 仿宋, GPL with font exception, from CTAN's fandol) next to
# fonts.conf, which then maps 仿宋_GB2312 to it for the PDF of official documents. Without it the
# body falls back to Noto Serif CJK, a 宋体-like face.
#
# `make install`, `make demo`, `make test` and CI all get it through scripts/system-packages.sh.
# It takes the copy of an installed TeX Live if there is one; otherwise it downloads Debian's
# texlive-lang-chinese (≈ 49 MB, the only Debian package that ships it) with `apt-get download`
# (no root needed) and extracts just this file. A fresh machine has no package lists yet: then
# it runs `apt-get update` first when it may (root or passwordless sudo). Exits non-zero, saying
# why, when it cannot.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="$here/FandolFang-Regular.otf"
[ -f "$target" ] && exit 0

for found in \
  /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf \
  /usr/share/texmf/fonts/opentype/public/fandol/FandolFang-Regular.otf \
  "$(kpsewhich FandolFang-Regular.otf 2>/dev/null || true)"; do
  if [ -n "$found" ] && [ -f "$found" ]; then
    cp "$found" "$target"
    echo "FandolFang-Regular.otf copied from $found"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "FandolFang: apt-get and dpkg-deb are needed to fetch it (Debian/Ubuntu)." >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"  # apt's sandbox user writes the download there
download() { (cd "$tmp" && apt-get download -q texlive-lang-chinese >/dev/null 2>&1); }
if ! download; then
  # No package lists yet (a fresh machine): read them, then try again.
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq >/dev/null 2>&1 || true
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n apt-get update -qq >/dev/null 2>&1 || true
  fi
  if ! download; then
    echo "FandolFang: 'apt-get download texlive-lang-chinese' failed (no package lists? run" \
      "'apt-get update' as root)." >&2
    exit 1
  fi
fi
dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb |
  tar -x -C "$tmp" --wildcards '*/FandolFang-Regular.otf'
find "$tmp" -name FandolFang-Regular.otf -exec cp {} "$target" \;
[ -f "$target" ] || { echo "FandolFang: not found in texlive-lang-chinese." >&2; exit 1; }
echo "FandolFang-Regular.otf installed in $here"
