"""Checks every page test uses, in a real browser: fits a phone and a laptop without
horizontal scrolling, declares its language, gives images alternative text, meets WCAG
AA contrast, and leaves a screenshot (under docs/screenshots/ when
``TANJI_SCREENSHOTS=1``, as ``make screenshots`` sets, else in the test's temporary
directory, so a plain test run leaves the committed pictures alone).

Each ``*_problems`` function returns a list of findings (empty when the page passes) so
a test can assert on it and print what is wrong; ``check_page`` runs them all at both
viewport sizes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

PHONE = (390, 844)
LAPTOP = (1280, 800)
SCREENSHOTS = ROOT / "docs" / "screenshots"

_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5) {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`
        + `${typeof el.className === 'string' && el.className
              ? '.' + el.className.split(' ')[0] : ''}`
        + ` right=${Math.round(r.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          wide: wide.slice(0, 8)};
}"""

_ALT_JS = """() => {
  const missing = [];
  for (const img of document.querySelectorAll('img, input[type=image], area')) {
    const alt = img.getAttribute('alt');
    if (alt === null || (alt.trim() === '' && img.getAttribute('role') !== 'presentation')) {
      missing.push(img.outerHTML.slice(0, 120));
    }
  }
  for (const svg of document.querySelectorAll('svg[role=img], [role=img]')) {
    const label = svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby')
      || (svg.querySelector && svg.querySelector('title')?.textContent);
    if (!label || !label.trim()) missing.push(svg.outerHTML.slice(0, 120));
  }
  return missing;
}"""

# WCAG 2.x contrast of every element that holds text of its own, against the background
# it is painted on (the nearest ancestor with an opaque-enough background, alpha-blended
# over white). Large text (>= 24 px, or >= 18.66 px bold) needs 3:1, other text 4.5:1.
_CONTRAST_JS = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const blend = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = blend(layer, color);
    return color;
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const hidden = style.visibility === 'hidden' || style.display === 'none';
    if (hidden || el.getClientRects().length === 0) continue;
    const bg = background(el);
    const fg = blend(parse(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) {
      failures.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" `
        + `${ratio.toFixed(2)}:1 < ${need}:1 `
        + `(${style.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
    }
  }
  return failures;
}"""


def overflow_problems(page: Any) -> list[str]:
    """Why the page scrolls sideways at its current viewport (empty if it does not)."""
    found = page.evaluate(_OVERFLOW_JS)
    if found["scrollWidth"] <= found["innerWidth"]:
        return []
    return [
        f"scrollWidth {found['scrollWidth']} > innerWidth {found['innerWidth']}: {found['wide']}"
    ]


def lang_problems(page: Any, expected: str | None = None) -> list[str]:
    """The root element must declare a language (and ``expected``, if given)."""
    lang = page.evaluate("document.documentElement.getAttribute('lang')")
    if not lang:
        return ["<html> has no lang attribute"]
    if expected is not None and lang != expected:
        return [f"<html lang={lang!r}>, expected {expected!r}"]
    return []


def alt_problems(page: Any) -> list[str]:
    """Images (and role=img graphics) without alternative text."""
    return list(page.evaluate(_ALT_JS))


def contrast_problems(page: Any) -> list[str]:
    """Text below the WCAG AA contrast ratio against its computed background."""
    return list(page.evaluate(_CONTRAST_JS))


def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots/ when ``TANJI_SCREENSHOTS=1``, else ``tmp_path``."""
    return SCREENSHOTS if os.environ.get("TANJI_SCREENSHOTS") == "1" else tmp_path


def screenshot(page: Any, directory: Path, name: str) -> Path:
    """Save a full-page PNG as ``<directory>/<name>.png``; returns the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page: Any, directory: Path, name: str, *, lang: str | None = None) -> list[str]:
    """Every check at 390x844 and 1280x800 with a screenshot at each (``<name>-390.png``,
    ``<name>-1280.png`` in ``directory``); returns the findings."""
    problems = lang_problems(page, lang) + alt_problems(page)
    for width, height in (PHONE, LAPTOP):
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{width}x{height}: {p}" for p in overflow_problems(page)]
        problems += [f"{width}x{height}: {p}" for p in contrast_problems(page)]
        screenshot(page, directory, f"{name}-{width}")
    return problems
