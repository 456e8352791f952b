"""Smoke: publish through the SDK client, anchor, fetch a receipt, verify it."""

from __future__ import annotations

from typing import Any

from tests.node.conftest import Clock, NodeHarness, World, build


def test_publish_anchor_receipt_verify(harness: NodeHarness, world: World, clock: Clock) -> None:
    supplier = harness.client("supplier")
    built = build(world, "supplier", recipients=("leader",), created=clock())
    result = supplier.publish(**_kw(built.body))
    assert result["status"] == "created"
    assert result["index"] == 0
    again = supplier.publish(**_kw(built.body))
    assert again == {**result, "status": "existing"}
    assert harness.anchor() == 1
    receipt = harness.client().receipt(built.attestation_id)
    report = harness.client().verify(receipt, built.disclosure("/pcf/pcfExcludingBiogenicUptake"))
    assert report["ok"], report


def _kw(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "signed_statement": body["signedStatement"],
        "envelope": body["envelope"],
        "grants": body["grants"],
    }
