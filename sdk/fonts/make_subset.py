"""Regenerate the label fonts: Noto Sans CJK SC subset to GB 2312 + ASCII (see README.md).

Usage: ``python sdk/fonts/make_subset.py [path to Debian's noto folder]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
EXTRA = "·—–×≤≥°µ€™®©"
SC_FACE = 2  # "Noto Sans CJK SC" in Debian's NotoSansCJK-*.ttc


def charset() -> set[str]:
    """Every GB 2312 character, printable ASCII and a few symbols labels use."""
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(EXTRA)
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def main(noto: Path) -> None:
    unicodes = sorted(ord(c) for c in charset())
    for weight in ("Regular", "Bold"):
        font = TTFont(noto / f"NotoSansCJK-{weight}.ttc", fontNumber=SC_FACE)
        options = subset.Options()
        options.layout_features = ["kern", "palt"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        out = HERE / f"NotoSansCJKsc-{weight}-GB2312.otf"
        font.save(out)
        print(out, out.stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/fonts/opentype/noto"))
