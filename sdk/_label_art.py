"""The printable carbon label (碳足迹标识): SVG and PNG from one layout, no I/O.

The label takes the form CNCA product carbon footprint labels take: a green
footprint-shaped mark titled 碳足迹, the footprint as a number with its unit per declared
unit, a QR code to the label's public verification page, the label number and the
certification body. Everything is laid out once in a 640 x 400 unit box; the SVG draws
it with exact curves and with text as glyph outlines (so it prints the same without the
font), the PNG draws the same geometry with Pillow at ``scale`` pixels per unit.

Text uses the vendored Noto Sans CJK SC subsets in ``sdk/fonts`` (GB 2312 + ASCII, SIL
OFL 1.1); text outside a font's coverage raises :class:`LabelArtError` naming the
characters, and a fuller font can be passed as ``fonts``. ``CO2`` in a unit is set as
CO₂ (a lowered small 2: the CJK font has no U+2082).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from xml.sax.saxutils import escape

import segno
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "GREEN",
    "LabelArtError",
    "LabelFonts",
    "LabelImages",
    "LabelInfo",
    "OnChainLabel",
    "render_label",
]

WIDTH, HEIGHT = 640, 400
GREEN = "#1a7f3c"
"""The mark's green (white text on it meets WCAG AA: 5.1:1)."""
INK = "#1d2521"
MUTED = "#4d5a53"
_FONT_DIR = Path(__file__).resolve().parent / "fonts"
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_BEIJING = timezone(timedelta(hours=8), "CST")
_CO2 = re.compile(r"CO2(?![0-9])")


class LabelArtError(ValueError):
    """A label cannot be drawn: a malformed field or a character the fonts lack."""


@dataclass(frozen=True)
class LabelFonts:
    """The two faces a label uses (OpenType/TrueType files)."""

    regular: Path = _FONT_DIR / "NotoSansCJKsc-Regular-GB2312.otf"
    bold: Path = _FONT_DIR / "NotoSansCJKsc-Bold-GB2312.otf"


@dataclass(frozen=True)
class LabelInfo:
    """What a printed label shows.

    ``value`` is the footprint as the decimal string on chain (e.g. ``"312.5"``), ``unit``
    the label unit (e.g. ``"kgCO2e/台"``), ``label_number`` the label's number (its
    on-chain id ``0x…`` or a certificate number), ``certifier`` the certification body's
    name; ``standard`` and ``valid_until`` (a date as text) are printed when given.
    """

    value: str
    unit: str
    label_number: str
    certifier: str
    standard: str | None = None
    valid_until: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _DECIMAL.fullmatch(self.value):
            raise LabelArtError(
                f"value must be a plain decimal string like '312.5': {self.value!r}"
            )
        for name in ("unit", "label_number", "certifier"):
            text = getattr(self, name)
            if not isinstance(text, str) or not text.strip():
                raise LabelArtError(f"{name} must be a non-empty string")
        for name in ("standard", "valid_until"):
            text = getattr(self, name)
            if text is not None and (not isinstance(text, str) or not text.strip()):
                raise LabelArtError(f"{name} must be None or a non-empty string")

    @classmethod
    def from_label(cls, label: OnChainLabel, certifier: str) -> LabelInfo:
        """What to print for a label read from the chain (``sdk.labels.Label``): its value,
        unit and standard as stored, ``0x`` + its id as the number, the last day of its
        validity in Beijing time, and ``certifier``, the certification body's name.

        Raises :class:`LabelArtError` for a value or name the label cannot show.
        """
        last = datetime.fromtimestamp(label.valid_until - 1, _BEIJING)
        return cls(
            value=label.value,
            unit=label.unit,
            label_number="0x" + label.label_id.hex(),
            certifier=certifier,
            standard=label.standard or None,
            valid_until=last.date().isoformat(),
        )


class OnChainLabel(Protocol):
    """What :meth:`LabelInfo.from_label` reads: an ``sdk.labels.Label`` has it all."""

    @property
    def label_id(self) -> bytes: ...
    @property
    def value(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def standard(self) -> str: ...
    @property
    def valid_until(self) -> int: ...


class LabelImages(NamedTuple):
    """The rendered label: SVG (UTF-8 XML) and PNG bytes."""

    svg: bytes
    png: bytes


# --- fonts and text runs -------------------------------------------------------------


class _Face:
    """One font file: glyph outlines for the SVG, metrics for layout, Pillow for the PNG."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # From bytes, not the path: a lazy TTFont on a path keeps the file open for the
        # life of the process (a ResourceWarning at exit for every cached face).
        self.font = TTFont(io.BytesIO(path.read_bytes()), lazy=True)
        self.cmap: dict[int, str] = self.font.getBestCmap()
        self.glyphs: Any = self.font.getGlyphSet()
        self.upem: int = self.font["head"].unitsPerEm

    def check(self, text: str, what: str) -> None:
        missing = sorted({c for c in text if ord(c) not in self.cmap})
        if missing:
            raise LabelArtError(
                f"{what}: the label font {self.path.name} has no glyph for "
                f"{' '.join(missing)} ({', '.join(f'U+{ord(c):04X}' for c in missing)}); "
                "pass fonts= with a font that covers them"
            )

    def advance(self, text: str, size: float) -> float:
        hmtx = self.font["hmtx"]
        return float(sum(hmtx[self.cmap[ord(c)]][0] for c in text)) * size / self.upem

    @functools.lru_cache(maxsize=16)  # noqa: B019 - a handful of faces live for the process
    def pil(self, pixels: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.path), pixels)


@functools.lru_cache(maxsize=4)
def _faces(fonts: LabelFonts) -> tuple[_Face, _Face]:
    return _Face(fonts.regular), _Face(fonts.bold)


@dataclass(frozen=True)
class _Run:
    """Text in one face and size, its baseline shifted by ``dy`` (for CO₂)."""

    text: str
    face: _Face
    size: float
    dy: float = 0.0


@dataclass(frozen=True)
class _Line:
    """Runs set left to right from (x, baseline y), filled with ``color``."""

    runs: tuple[_Run, ...]
    x: float
    y: float
    color: str
    label: str

    @property
    def width(self) -> float:
        return sum(r.face.advance(r.text, r.size) for r in self.runs)


def _runs(text: str, face: _Face, size: float) -> tuple[_Run, ...]:
    """``text`` in one face, with every CO2 set as CO + a lowered, smaller 2."""
    out: list[_Run] = []
    pos = 0
    for m in _CO2.finditer(text):
        out.append(_Run(text[pos : m.start()] + "CO", face, size))
        out.append(_Run("2", face, size * 0.62, dy=size * 0.18))
        pos = m.end()
    out.append(_Run(text[pos:], face, size))
    return tuple(r for r in out if r.text)


def _fit(text: str, face: _Face, size: float, max_width: float, what: str) -> tuple[_Run, ...]:
    """Runs of ``text`` at ``size``, shrunk until they fit ``max_width``."""
    face.check(text, what)
    runs = _runs(text, face, size)
    width = sum(r.face.advance(r.text, r.size) for r in runs)
    if width > max_width:
        return _runs(text, face, size * max_width / width)
    return runs


def _line(
    text: str,
    face: _Face,
    size: float,
    *,
    x: float,
    y: float,
    color: str,
    max_width: float,
    what: str,
    align: str = "left",
) -> _Line:
    runs = _fit(text, face, size, max_width, what)
    line = _Line(runs, x, y, color, text)
    if align == "center":
        return _Line(runs, x - line.width / 2, y, color, text)
    return line


# --- the footprint mark ----------------------------------------------------------------

# The sole: a closed path of cubic Bézier segments (x0 y0 then (c1, c2, end) triples).
_SOLE_START = (118.0, 84.0)
_SOLE: tuple[tuple[tuple[float, float], tuple[float, float], tuple[float, float]], ...] = (
    ((164.0, 84.0), (194.0, 114.0), (192.0, 160.0)),
    ((190.0, 196.0), (171.0, 216.0), (173.0, 246.0)),
    ((175.0, 275.0), (152.0, 290.0), (126.0, 288.0)),
    ((96.0, 286.0), (77.0, 267.0), (79.0, 236.0)),
    ((81.0, 205.0), (58.0, 186.0), (56.0, 150.0)),
    ((54.0, 109.0), (79.0, 84.0), (118.0, 84.0)),
)
# The toes: (centre x, centre y, radius x, radius y), big toe first.
_TOES = (
    (86.0, 58.0, 18.0, 22.0),
    (121.0, 43.0, 12.5, 15.5),
    (148.0, 46.0, 10.5, 13.0),
    (169.0, 57.0, 9.0, 11.0),
    (185.0, 74.0, 8.0, 9.5),
)


def _sole_path() -> str:
    parts = [f"M{_SOLE_START[0]:g} {_SOLE_START[1]:g}"]
    for (ax, ay), (bx, by), (cx, cy) in _SOLE:
        parts.append(f"C{ax:g} {ay:g} {bx:g} {by:g} {cx:g} {cy:g}")
    return "".join(parts) + "Z"


def _sole_polygon(steps: int = 24) -> list[tuple[float, float]]:
    """The sole flattened for Pillow: each Bézier sampled at ``steps`` points."""
    points = [_SOLE_START]
    x0, y0 = _SOLE_START
    for (ax, ay), (bx, by), (cx, cy) in _SOLE:
        for i in range(1, steps + 1):
            t = i / steps
            u = 1 - t
            points.append(
                (
                    u**3 * x0 + 3 * u * u * t * ax + 3 * u * t * t * bx + t**3 * cx,
                    u**3 * y0 + 3 * u * u * t * ay + 3 * u * t * t * by + t**3 * cy,
                )
            )
        x0, y0 = cx, cy
    return points


# --- layout -----------------------------------------------------------------------------

_QR_BOX = (452.0, 28.0, 164.0)  # x, y, side


@dataclass(frozen=True)
class _Layout:
    lines: tuple[_Line, ...]
    qr: Any  # segno.QRCode
    url: str
    info: LabelInfo


def _layout(info: LabelInfo, url: str, fonts: LabelFonts) -> _Layout:
    regular, bold = _faces(fonts)
    lines = [
        _line(
            "碳足迹",
            bold,
            34,
            x=124,
            y=174,
            color="#ffffff",
            max_width=110,
            what="title",
            align="center",
        ),
        _line(
            "CFP",
            bold,
            17,
            x=124,
            y=204,
            color="#ffffff",
            max_width=80,
            what="title",
            align="center",
        ),
        _line("产品碳足迹", regular, 17, x=228, y=76, color=MUTED, max_width=210, what="heading"),
        _line(info.value, bold, 76, x=226, y=170, color=GREEN, max_width=214, what="value"),
        _line(info.unit, regular, 24, x=228, y=208, color=INK, max_width=210, what="unit"),
        _line(
            "扫码验证 Scan to verify",
            regular,
            13,
            x=_QR_BOX[0] + _QR_BOX[2] / 2,
            y=212,
            color=MUTED,
            max_width=_QR_BOX[2],
            what="caption",
            align="center",
        ),
    ]
    if info.standard:
        lines.append(
            _line(
                f"依据 {info.standard}",
                regular,
                15,
                x=228,
                y=246,
                color=MUTED,
                max_width=390,
                what="standard",
            )
        )
    bottom = [f"认证机构 {info.certifier}"]
    if info.valid_until:
        bottom.append(f"有效期至 {info.valid_until}")
    lines.append(
        _line(
            "　".join(bottom), regular, 17, x=28, y=338, color=INK, max_width=584, what="certifier"
        )
    )
    lines.append(
        _line(
            f"标识编号 {info.label_number}",
            regular,
            12,
            x=28,
            y=370,
            color=MUTED,
            max_width=584,
            what="label number",
        )
    )
    try:
        qr = segno.make(url, error="m", micro=False)
    except (segno.DataOverflowError, ValueError) as exc:
        raise LabelArtError(f"url does not fit a QR code: {exc}") from exc
    return _Layout(tuple(lines), qr, url, info)


def _qr_geometry(qr: Any) -> tuple[list[list[bool]], float, float, float]:
    """The matrix (with a 4-module quiet zone), module size and origin in units."""
    matrix = [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=4)]
    x, y, side = _QR_BOX
    module = side / len(matrix)
    return matrix, module, x, y


def _row_runs(row: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    start = None
    for i, dark in enumerate([*row, False]):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            yield start, i - start
            start = None


# --- SVG --------------------------------------------------------------------------------


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _glyph_path(line: _Line) -> str:
    d: list[str] = []
    x = line.x
    for run in line.runs:
        face = run.face
        scale = run.size / face.upem
        for ch in run.text:
            name = face.cmap[ord(ch)]
            pen = SVGPathPen(face.glyphs, ntos=_num)
            face.glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, line.y + run.dy)))
            d.append(pen.getCommands())
            x += face.font["hmtx"][name][0] * scale
    return "".join(d)


def _svg(layout: _Layout) -> bytes:
    info = layout.info
    title = f"碳足迹 {info.value} {info.unit}"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="label-title" '
        f'data-value="{escape(info.value)}" data-unit="{escape(info.unit)}" '
        f'data-label-number="{escape(info.label_number)}">',
        f'<title id="label-title">{escape(title)}</title>',
        f"<desc>{escape(f'认证机构 {info.certifier}；标识编号 {info.label_number}；{layout.url}')}"
        "</desc>",
        f'<rect x="4" y="4" width="{WIDTH - 8}" height="{HEIGHT - 8}" rx="20" fill="#ffffff" '
        f'stroke="{GREEN}" stroke-width="4"/>',
        f'<g id="footprint-mark" fill="{GREEN}"><path d="{_sole_path()}"/>',
        *(
            f'<ellipse cx="{cx:g}" cy="{cy:g}" rx="{rx:g}" ry="{ry:g}"/>'
            for cx, cy, rx, ry in _TOES
        ),
        "</g>",
        f'<line x1="24" y1="300" x2="{WIDTH - 24}" y2="300" stroke="{GREEN}" stroke-width="2"/>',
    ]
    for line in layout.lines:
        out.append(
            f'<path class="text" aria-label="{escape(line.label)}" fill="{line.color}" '
            f'd="{_glyph_path(line)}"/>'
        )
    matrix, module, x0, y0 = _qr_geometry(layout.qr)
    d = []
    for r, row in enumerate(matrix):
        for start, length in _row_runs(row):
            d.append(
                f"M{_num(x0 + start * module)} {_num(y0 + r * module)}"
                f"h{_num(length * module)}v{_num(module)}h{_num(-length * module)}z"
            )
    out.append(
        f'<rect id="qr-zone" x="{_num(x0)}" y="{_num(y0)}" width="{_num(len(matrix) * module)}" '
        f'height="{_num(len(matrix) * module)}" fill="#ffffff"/>'
    )
    out.append(f'<path id="qr" data-url="{escape(layout.url)}" fill="#000000" d="{"".join(d)}"/>')
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


# --- PNG --------------------------------------------------------------------------------


def _png(layout: _Layout, scale: int) -> bytes:
    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "#ffffff")
    draw = ImageDraw.Draw(image)
    s = float(scale)
    draw.rounded_rectangle(
        (4 * s, 4 * s, (WIDTH - 4) * s, (HEIGHT - 4) * s),
        radius=20 * s,
        fill="#ffffff",
        outline=GREEN,
        width=round(4 * s),
    )
    draw.polygon([(x * s, y * s) for x, y in _sole_polygon()], fill=GREEN)
    for cx, cy, rx, ry in _TOES:
        draw.ellipse(((cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s), fill=GREEN)
    draw.line((24 * s, 300 * s, (WIDTH - 24) * s, 300 * s), fill=GREEN, width=round(2 * s))
    for line in layout.lines:
        x = line.x * s
        for run in line.runs:
            font = run.face.pil(round(run.size * s))
            draw.text((x, (line.y + run.dy) * s), run.text, font=font, fill=line.color, anchor="ls")
            x += run.face.advance(run.text, run.size) * s
    # QR modules on whole pixels, so every module is equally sharp for a scanner.
    matrix, module, x0, y0 = _qr_geometry(layout.qr)
    px = max(1, int(module * s))
    side = px * len(matrix)
    left = round(x0 * s + (len(matrix) * module * s - side) / 2)
    top = round(y0 * s + (len(matrix) * module * s - side) / 2)
    for r, row in enumerate(matrix):
        for start, length in _row_runs(row):
            draw.rectangle(
                (
                    left + start * px,
                    top + r * px,
                    left + (start + length) * px - 1,
                    top + (r + 1) * px - 1,
                ),
                fill="#000000",
            )
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def render_label(
    info: LabelInfo, url: str, *, scale: int = 3, fonts: LabelFonts | None = None
) -> LabelImages:
    """Draw the printable label for ``info`` with a QR code to ``url``.

    Returns :class:`LabelImages` ``(svg, png)``: the SVG (640 x 400 units, text as glyph
    outlines, the QR as one path) and a PNG of ``scale`` pixels per unit (1920 x 1200 by
    default). Deterministic: the same input gives the same bytes. Raises
    :class:`LabelArtError` for an empty or non-http(s) URL, a scale outside 1..10, a URL
    too long for a QR code, or text the fonts cannot draw.
    """
    if not isinstance(url, str) or not re.fullmatch(r"https?://\S+", url):
        raise LabelArtError(f"url must be an http(s) URL without spaces: {url!r}")
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= 10:
        raise LabelArtError(f"scale must be an integer from 1 to 10, got {scale!r}")
    layout = _layout(info, url, fonts or LabelFonts())
    return LabelImages(svg=_svg(layout), png=_png(layout, scale))
