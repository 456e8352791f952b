"""The printable carbon label (碳足迹标识) as SVG and PNG: see :func:`render_label`."""

from sdk._label_art import (
    GREEN,
    LabelArtError,
    LabelFonts,
    LabelImages,
    LabelInfo,
    OnChainLabel,
    render_label,
)

__all__ = [
    "GREEN",
    "LabelArtError",
    "LabelFonts",
    "LabelImages",
    "LabelInfo",
    "OnChainLabel",
    "render_label",
]
