#!/usr/bin/env python3
"""Lightens FandolFang-Regular.otf for embedding: every outline point rounded to a grid of
GRID font units (default 4, of 1000 to the em) and the hints dropped.

Why: the body face is most of every PDF (a publicity notice embeds about 450 of its glyphs,
193 KB deflated of a 236 KB file). Fandol's outlines are traced with many short segments, in
integers of all sizes; on a grid of 4 units the charstrings deflate to about 70 % (see
docs/documents.md). A point moves at most 2 units, 0.002 em: 0.011 mm at 3号 (16 pt), a
quarter of a 600 dpi dot. Segments that collapse to a point are dropped, a curve whose
control points collapse onto its ends becomes a line. Advance widths, cmap, CIDs and every
other table are unchanged, so layout and glyph ids are the same as with the original face.

    python3 tools/lighten_fang.py ORIGINAL.otf assets/fonts/FandolFang-Regular.otf [GRID]

Needs fontTools (4.68.0, as tools/subset_fonts.sh installs). The GPL with the font exception
allows modified versions; assets/fonts/README.md says what was changed.
"""
import sys

from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont


def main():
    src, dst = sys.argv[1], sys.argv[2]
    grid = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    # The original timestamp: the same input gives the same bytes.
    font = TTFont(src, recalcTimestamp=False)
    cff = font["CFF "].cff
    cff.remove_hints()
    charstrings = cff[0].CharStrings
    glyphs = font.getGlyphSet()

    def snap(p):
        return (round(p[0] / grid) * grid, round(p[1] / grid) * grid)

    worst = 0
    for name in font.getGlyphOrder():
        recorded = RecordingPen()
        glyphs[name].draw(recorded)
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        last = None
        for op, args in recorded.value:
            points = [snap(p) for p in args]
            for p, s in zip(args, points):
                worst = max(worst, abs(p[0] - s[0]), abs(p[1] - s[1]))
            if op == "moveTo":
                pen.moveTo(points[0])
                last = points[0]
            elif op == "lineTo":
                if points[0] != last:
                    pen.lineTo(points[0])
                    last = points[0]
            elif op == "curveTo":
                if points[-1] == last:
                    continue
                if all(p in (last, points[-1]) for p in points):
                    pen.lineTo(points[-1])
                else:
                    pen.curveTo(*points)
                last = points[-1]
            elif op == "closePath":
                pen.closePath()
            elif op == "endPath":
                pen.endPath()
            else:
                raise SystemExit(f"{name}: unexpected outline operator {op}")
        old = charstrings[name]
        charstrings[name] = pen.getCharString(
            private=old.private, globalSubrs=old.globalSubrs
        )
    font.save(dst)
    print(f"{dst}: {len(font.getGlyphOrder())} glyphs on a grid of {grid}, "
          f"largest move {worst} units")


if __name__ == "__main__":
    main()
