"""The printable carbon label: SVG structure, the QR code (decoded from the PNG, and
module for module against segno in the SVG), text that fits, and clear refusals."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import segno
import zxingcpp
from PIL import Image

from sdk.label_art import GREEN, LabelArtError, LabelInfo, render_label
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
LABEL_ID = "0x" + "5c" * 32
URL = f"https://tanji.example.cn/labels/{LABEL_ID}"
INFO = LabelInfo(
    value="312.5",
    unit="kgCO2e/台",
    label_number=LABEL_ID,
    certifier="中国质量认证中心",
    standard="GB/T 24067-2024",
    valid_until="2027-11-29",
)


@pytest.fixture(scope="module")
def images() -> tuple[bytes, bytes]:
    svg, png = render_label(INFO, URL)
    return svg, png


def _path_points(d: str) -> list[tuple[float, float]]:
    """Absolute points of an SVG path as fontTools' SVGPathPen and the QR writer emit it."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for cmd, args in re.findall(r"([MLCQHVZhvz])([^MLCQHVZhvz]*)", d):
        nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if cmd in "MLCQ":
            pairs = list(zip(nums[::2], nums[1::2], strict=True))
            points += pairs
            x, y = pairs[-1]
        elif cmd == "H":
            x = nums[0]
            points.append((x, y))
        elif cmd == "V":
            y = nums[0]
            points.append((x, y))
        elif cmd == "h":
            x += nums[0]
            points.append((x, y))
        elif cmd == "v":
            y += nums[0]
            points.append((x, y))
    return points


def test_svg_has_the_parts_of_a_label(images: tuple[bytes, bytes]) -> None:
    root = ET.fromstring(images[0])
    assert root.get("viewBox") == "0 0 640 400"
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "碳足迹 312.5 kgCO2e/台"
    assert (root.get("data-value"), root.get("data-unit")) == ("312.5", "kgCO2e/台")
    mark = root.find(f".//{SVG}g[@id='footprint-mark']")
    assert mark is not None
    assert mark.get("fill") == GREEN
    assert len(mark.findall(f"{SVG}path")) == 1
    assert len(mark.findall(f"{SVG}ellipse")) == 5
    texts = {p.get("aria-label"): p for p in root.iter(f"{SVG}path") if p.get("class") == "text"}
    assert set(texts) == {
        "碳足迹",
        "CFP",
        "产品碳足迹",
        "312.5",
        "kgCO2e/台",
        "扫码验证 Scan to verify",
        "依据 GB/T 24067-2024",
        "认证机构 中国质量认证中心　有效期至 2027-11-29",
        f"标识编号 {LABEL_ID}",
    }
    assert texts["碳足迹"].get("fill") == "#ffffff"
    assert texts["312.5"].get("fill") == GREEN
    for label, path in texts.items():  # every text is drawn, inside the card
        points = _path_points(path.get("d", ""))
        assert points, label
        assert all(4 <= x <= 636 and 4 <= y <= 396 for x, y in points), label
    qr = root.find(f".//{SVG}path[@id='qr']")
    assert qr is not None
    assert qr.get("data-url") == URL


def test_svg_qr_is_segnos_matrix(images: tuple[bytes, bytes]) -> None:
    root = ET.fromstring(images[0])
    zone = root.find(f".//{SVG}rect[@id='qr-zone']")
    qr = root.find(f".//{SVG}path[@id='qr']")
    assert zone is not None
    assert qr is not None
    expected = [[bool(v) for v in row] for row in segno.make(URL, error="m").matrix_iter(border=4)]
    size = len(expected)
    module = float(zone.get("width", "0")) / size
    x0, y0 = float(zone.get("x", "0")), float(zone.get("y", "0"))
    dark = [[False] * size for _ in range(size)]
    for m in re.finditer(r"M([\d.]+) ([\d.]+)h([\d.]+)", qr.get("d", "")):
        col = round((float(m.group(1)) - x0) / module)
        row = round((float(m.group(2)) - y0) / module)
        for c in range(col, col + round(float(m.group(3)) / module)):
            dark[row][c] = True
    assert dark == expected


@pytest.mark.parametrize("scale", [1, 3])
def test_png_decodes_and_its_qr_reads_back_the_url(scale: int) -> None:
    png = render_label(INFO, URL, scale=scale).png
    image = Image.open(io.BytesIO(png))  # in memory: nothing to close
    assert image.format == "PNG"
    assert image.size == (640 * scale, 400 * scale)
    found = zxingcpp.read_barcodes(image)
    assert [(r.format, r.text) for r in found] == [(zxingcpp.BarcodeFormat.QRCode, URL)]
    # The mark is green where the sole is, the card white outside it.
    rgb = image.convert("RGB")
    assert rgb.getpixel((124 * scale, 250 * scale)) == (0x1A, 0x7F, 0x3C)
    assert rgb.getpixel((230 * scale, 280 * scale)) == (255, 255, 255)


def test_rendering_is_deterministic_and_long_text_shrinks_to_fit() -> None:
    assert render_label(INFO, URL) == render_label(INFO, URL)
    long = LabelInfo(
        value="123456789.123456",
        unit="kgCO2e/1000 kWh 电能",
        label_number=LABEL_ID,
        certifier="北京某某产品碳足迹认证与核查技术服务有限公司第二分公司" * 2,
    )
    root = ET.fromstring(render_label(long, URL, scale=1).svg)
    for path in root.iter(f"{SVG}path"):
        if path.get("class") == "text":
            assert all(x <= 636 for x, _ in _path_points(path.get("d", ""))), path.get("aria-label")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": "3.1e2"}, "plain decimal"),
        ({"value": "75,0"}, "plain decimal"),
        ({"certifier": " "}, "certifier must be a non-empty string"),
        ({"certifier": "喆䶮认证"}, "U+5586"),
        ({"unit": "kgCO2e/𠀀"}, "U+20000"),
        ({"standard": ""}, "standard must be None"),
    ],
)
def test_bad_fields_are_refused_with_the_reason(change: dict[str, str], message: str) -> None:
    with pytest.raises(LabelArtError, match=re.escape(message)):
        render_label(LabelInfo(**{**INFO.__dict__, **change}), URL)


@pytest.mark.parametrize(
    ("url", "scale", "message"),
    [
        ("ftp://x/labels/1", 3, "http(s) URL"),
        ("https://x/a b", 3, "http(s) URL"),
        (URL, 0, "scale"),
        (URL, 11, "scale"),
        ("https://x/" + "a" * 3000, 3, "QR code"),
    ],
)
def test_bad_url_or_scale_is_refused(url: str, scale: int, message: str) -> None:
    with pytest.raises(LabelArtError, match=re.escape(message)):
        render_label(INFO, url, scale=scale)


def test_label_info_from_an_on_chain_label() -> None:
    from datetime import UTC, datetime

    from sdk.labels import Label, LabelStatus

    until = int(datetime(2027, 11, 29, 16, 0, tzinfo=UTC).timestamp())  # 00:00 on the 30th, Beijing
    label = Label(
        label_id=bytes.fromhex("5c" * 32),
        product_id_digest=bytes(32),
        log_id_digest=bytes(32),
        leaf_index=4,
        leaf_hash=bytes(32),
        value="312.5",
        unit="kgCO2e/台",
        grade="",
        standard="GB/T 24067-2024",
        valid_from=until - 2 * 365 * 86400,
        valid_until=until,
        disclosure_digest=bytes(32),
        issuer_org_digest=bytes(32),
        issuer="0x0000000000000000000000000000000000000001",
        issued_at=until - 2 * 365 * 86400,
        revoked_at=None,
        revocation_reason=None,
        status=LabelStatus.ACTIVE,
    )
    assert LabelInfo.from_label(label, "中国质量认证中心") == INFO


def test_example_label_files(tmp_path: Path) -> None:
    # The example in the README: docs/screenshots/label-example.{svg,png} with
    # TANJI_SCREENSHOTS=1 (make screenshots), else a temporary directory.
    out = ROOT / "docs" / "screenshots" if os.environ.get("TANJI_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    svg, png = render_label(INFO, URL, scale=2)
    (out / "label-example.svg").write_bytes(svg)
    (out / "label-example.png").write_bytes(png)
    with Image.open(out / "label-example.png") as image:
        assert image.size == (1280, 800)
