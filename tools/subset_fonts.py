#!/usr/bin/env python3
"""Build assets/fonts/ for the PDF notices (see assets/fonts/README.md).

- FandolFang-Regular.otf (body, 仿宋) and FandolSong-Bold.otf (titles, 宋 bold) are copied
  unmodified: they cover GB 2312 and a little more.
- NotoSerifCJKsc-Regular-Subset.otf is the fallback (a Song face). It is face 2 (SC) of Debian's
  NotoSerifCJK-Regular.ttc, cut to what the Fandol faces lack among GBK, CJK Extension A and the
  common symbol blocks, plus ASCII and punctuation so that it also serves as a plain Song face
  (page numbers, footers). Hinting is dropped: it only matters on screens at small sizes.

Needs fontTools (PyPI `fonttools`, tested with 4.68.0). Usage:
    python3 tools/subset_fonts.py FANDOL_DIR NOTO_SERIF_TTC OUT_DIR
"""
import os
import shutil
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

FANDOL_FACES = ["FandolFang-Regular.otf", "FandolSong-Bold.otf"]
NOTO_SC_FACE_INDEX = 2  # NotoSerifCJK-Regular.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
NOTO_OUT = "NotoSerifCJKsc-Regular-Subset.otf"

# Blocks kept whole in the fallback, even where Fandol has them.
ALWAYS = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (·, ×, ÷, °)
    (0x2000, 0x206F),  # general punctuation (—, …, ‘’, “”)
    (0x2100, 0x214F),  # letterlike (℃, №)
    (0x2150, 0x218F),  # number forms (Ⅰ, Ⅱ)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〔〕「」)
    (0xFF00, 0xFFEF),  # half- and full-width forms
]
# Ideographs the fallback must have unless both Fandol faces do.
EXTENSION_A = (0x3400, 0x4DBF)


def gbk_codepoints():
    """Every character of GBK (two-byte code points decoded by Python's gbk codec)."""
    out = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                out.add(ord(bytes([lead, trail]).decode("gbk")))
            except UnicodeDecodeError:
                pass
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    fandol_dir, noto_ttc, out_dir = sys.argv[1:]
    os.makedirs(out_dir, exist_ok=True)

    covered = None
    for name in FANDOL_FACES:
        src = os.path.join(fandol_dir, name)
        shutil.copyfile(src, os.path.join(out_dir, name))
        cmap = set(TTFont(src).getBestCmap())
        covered = cmap if covered is None else covered & cmap

    always = set()
    for lo, hi in ALWAYS:
        always.update(range(lo, hi + 1))
    wanted = (gbk_codepoints() | set(range(EXTENSION_A[0], EXTENSION_A[1] + 1))) - covered
    wanted |= always

    opts = subset.Options()
    opts.font_number = NOTO_SC_FACE_INDEX
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.layout_features = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    font = subset.load_font(noto_ttc, opts)
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=sorted(wanted))
    subsetter.subset(font)
    out = os.path.join(out_dir, NOTO_OUT)
    subset.save_font(font, out, opts)
    kept = len(TTFont(out).getBestCmap())
    print(f"{NOTO_OUT}: {kept} code points, {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
