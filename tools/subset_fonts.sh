#!/usr/bin/env bash
# Rebuild assets/fonts/ from Debian's font packages (see assets/fonts/README.md).
# Needs apt-get (Debian), dpkg-deb and python3 with pip. Run from anywhere.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
# texlive-lang-chinese carries the Fandol fonts; fonts-noto-cjk the Noto Serif CJK collection.
apt-get download texlive-lang-chinese fonts-noto-cjk
for deb in ./*.deb; do dpkg-deb -x "$deb" root; done

python3 -m pip install --quiet 'fonttools==4.68.0'
python3 "$repo/tools/subset_fonts.py" \
    root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol \
    root/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
    "$repo/assets/fonts"
# The body face on a grid of 4 units, without hints (a notice under 200 KB; see the script).
python3 "$repo/tools/lighten_fang.py" \
    root/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf \
    "$repo/assets/fonts/FandolFang-Regular.otf" 4
ls -l "$repo/assets/fonts"
