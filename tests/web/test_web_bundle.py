"""The committed bundle is what web/src builds: its header names the digest of the
sources manifest, and every file in the manifest that this checkout holds has the listed
digest (CI also rebuilds it with `make web` and diffs)."""

from __future__ import annotations

import hashlib
import re

from tests.conftest import ROOT

DIST = ROOT / "web" / "dist"


def test_bundle_header_matches_its_sources() -> None:
    bundle = (DIST / "tanji-verify.js").read_text(encoding="utf-8")
    manifest = (DIST / "tanji-verify.sources.txt").read_bytes()
    header = re.search(r"esbuild (\S+); sources sha256 ([0-9a-f]{64}) over (\d+) files", bundle)
    assert header is not None
    assert header.group(2) == hashlib.sha256(manifest).hexdigest()
    lines = manifest.decode().splitlines()
    assert int(header.group(3)) == len(lines)
    listed = {}
    for line in lines:
        digest, path = line.split("  ", 1)
        listed[path] = digest
    sources = {f"web/src/{p.name}" for p in (ROOT / "web" / "src").glob("*.js")}
    assert sources <= set(listed), "a source file is not in the bundle: run 'make web'"
    checked = 0
    for path, digest in listed.items():
        file = ROOT / path
        if path.startswith("web/node_modules/") and not file.exists():
            continue  # the pinned packages are checked where `make web` installed them
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, (
            f"{path} changed since the bundle was built: run 'make web' and commit web/dist"
        )
        checked += 1
    assert checked >= len(sources) + 3  # the sources and the three contract artifacts


def test_label_page_script_is_built_from_its_source() -> None:
    built = (DIST / "label-page.js").read_text(encoding="utf-8")
    source = (ROOT / "web" / "page" / "label-page.js").read_bytes()
    assert f"sha256 {hashlib.sha256(source).hexdigest()}" in built, (
        "web/page/label-page.js changed since web/dist was built: run 'make web' and commit"
    )
    assert 'from "./tanji-verify.js"' in built  # the verifier is loaded once, beside it
