"""The bundle in Debian's Chromium: the vectors page agrees with Python on every protocol,
commitment (range proof, roll-up) and RFC 9162 vector and passes the page checks (no
sideways scrolling at 390 and 1280 px, lang, alt text, WCAG AA contrast); the browser
reads a label from anvil over JSON-RPC."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.vectors.commitments.generate import expected_outcome as zk_outcome
from tests.web.browser import check_page, screenshot_dir
from tests.web.conftest import ChainWorld
from tests.web.test_web_primitives import RFC9162, python_merkle
from tests.web.test_web_vectors import (
    BROWSER_OPERATIONS,
    VECTORS,
    ZK_GRANTEE_OPERATIONS,
    ZK_VECTORS,
    python_outcome,
)

pytestmark = pytest.mark.integration


def _payload() -> dict[str, Any]:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in VECTORS}
    expected = {}
    for name, text in texts.items():
        vector = json.loads(text)
        if vector["operation"] in BROWSER_OPERATIONS:
            expected[name] = python_outcome(vector)
    for path in ZK_VECTORS:
        vector = json.loads(path.read_text(encoding="utf-8"))
        if vector["operation"] not in ZK_GRANTEE_OPERATIONS:
            texts[path.stem] = path.read_text(encoding="utf-8")
            expected[path.stem] = zk_outcome(vector)
    merkle = {
        f"{kind}/{name}": python_merkle(kind, v)
        for kind in ("inclusion", "consistency")
        for name, v in RFC9162[kind].items()
    }
    return {"vectors": texts, "expected": expected, "rfc9162": RFC9162, "expectedMerkle": merkle}


def test_vectors_page_agrees_in_chromium(page: Any, web_server: str, tmp_path: Path) -> None:
    page.goto(f"{web_server}/web/test/vectors.html")
    page.wait_for_selector("html[data-ready='1']", state="attached")
    payload = _payload()
    got = page.evaluate("(payload) => window.runVectors(payload)", payload)
    assert len(payload["expected"]) >= 60  # protocol, label (check 9 too) and commitment vectors
    for name, python in payload["expected"].items():
        assert got["vectors"][name] == python, name
    assert got["merkle"] == payload["expectedMerkle"]
    assert "summary ok" in page.get_attribute("#summary", "class")
    assert page.locator("td.disagree").count() == 0
    problems = check_page(page, screenshot_dir(tmp_path), "web-vectors", lang="zh-CN")
    assert not problems, "\n".join(problems)


@pytest.mark.anvil
def test_chromium_reads_a_label_from_the_chain(
    page: Any, web_server: str, chain_world: ChainWorld
) -> None:
    page.goto(f"{web_server}/web/test/vectors.html")
    page.wait_for_selector("html[data-ready='1']", state="attached")
    d = chain_world.deployment
    label = d.labels.label(chain_world.active_label)
    assert label is not None
    got = page.evaluate(
        """async ([rpcUrl, labels, anchors, labelId]) => {
            const T = await import('/web/dist/tanji-verify.js');
            const rpc = new T.JsonRpc(rpcUrl);
            const label = await new T.LabelRegistryReader(rpc, labels).label(labelId);
            const head = await new T.AnchorRegistryReader(rpc, anchors)
                .firstAtOrAbove('main', label.leafIndex + 1);
            return {value: label.value, unit: label.unit, issuer: label.issuer,
                    leafHash: T.toHex(label.leafHash), headSize: head.size,
                    chainId: await rpc.chainId()};
        }""",
        [chain_world.rpc_url, d.label_registry, d.anchor_registry, "0x" + label.label_id.hex()],
    )
    head = d.anchors.first_at_or_above("main", label.leaf_index + 1)
    assert head is not None
    assert got == {
        "value": label.value,
        "unit": label.unit,
        "issuer": label.issuer,
        "leafHash": label.leaf_hash.hex(),
        "headSize": head.size,
        "chainId": chain_world.chain_id,
    }


def test_bundle_is_self_contained() -> None:
    # No CDN, no import the page cannot serve itself: the bundle imports nothing.
    bundle = (ROOT / "web" / "dist" / "tanji-verify.js").read_text(encoding="utf-8")
    assert "\nimport " not in bundle
    assert "require(" not in bundle
    # No URL as a value in the code (a fetch, a script or font address); the vendored
    # libraries' comments cite papers and RFCs by URL, which loads nothing.
    assert re.search(r"[\"'`]\s*(https?:)?//[a-z0-9]", bundle, re.IGNORECASE) is None
