#!/usr/bin/env bash
# The Debian packages shegong uses outside Python: Debian's chromium for the browser tests,
# LibreOffice for the PDF of official documents, poppler and zbar to read PDFs and QR codes
# back in tests, CJK fonts for documents and posters, gettext for the catalogs, wrk for the
# benchmarks, nginx for the test and benchmark of deploy/nginx. `make demo` (runtime packages only), `make test` and `.ci/run` (everything) call
# this, so a fresh Debian machine needs nothing installed by hand. It installs what is missing when it can (root or passwordless
# sudo, apt-get present) and otherwise says plainly what is missing; it never fails the caller.
set -uo pipefail
cd "$(dirname "$0")/.."

runtime=(libreoffice-writer-nogui fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-ukai)
testing=(chromium zbar-tools poppler-utils gettext wrk nginx-light)
packages=("${runtime[@]}")
[ "${1:-}" = "--runtime" ] || packages+=("${testing[@]}")

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    echo "== installing Debian packages: ${missing[*]} (once; a few minutes)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq &&
      $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
      echo "NOTE: apt-get could not install ${missing[*]}; the tests that need them will say so."
  else
    echo "NOTE: missing Debian packages: ${missing[*]} (apt-get install them as root);" \
      "the tests that need them will say so."
  fi
fi

# A free simplified 仿宋 for the PDF of official documents (FandolFang; without it the body
# falls back to Noto Serif CJK, a 宋体-like face). Fetched here for `make install`, `make demo`,
# `make test` and CI alike.
if ! shegong/campaigns/fonts/fetch_fandol.sh; then
  echo "NOTE: FandolFang not fetched; the PDF's 仿宋 falls back to Noto Serif CJK."
fi
exit 0
