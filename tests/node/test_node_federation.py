"""Two nodes, two logs, one AnchorRegistry: a receipt from either verifies (SDK and node)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sdk import Receipt, verify_receipt
from sdk.errors import VerificationError
from tests.node.conftest import SECOND_LOG_ID, Clock, NodeHarness, World, build, make_harness


def _sdk_verify(world: World, receipt_dict: dict[str, Any], at: datetime) -> str:
    """What an auditor does with the SDK alone: chain reads, then offline verification."""
    receipt = Receipt.from_dict(receipt_dict)
    anchors = world.deployment.anchors
    participants = world.deployment.participants
    log_id = receipt.anchor.log_id
    head = anchors.first_at_or_above(log_id, receipt.leaf_index + 1)
    assert head is not None
    owner_digest = anchors.log_owner(log_id)
    operator = next(o for o in world.orgs.values() if _digest(o.org_id) == owner_digest)
    issuer = str(receipt.signed_statement.statement.issuer)
    statement = verify_receipt(
        receipt,
        log_keys=participants.signing_key_history(operator.org_id),
        issuer_keys=participants.signing_key_history(issuer),
        issuer_roles=participants.role_history(issuer),
        anchored_head=(head.size, head.root),
        anchored_at=head.anchored_at,
        at=at,
    )
    return str(statement.issuer)


def _digest(org_id: str) -> bytes:
    import hashlib

    return hashlib.sha256(org_id.encode()).digest()


def test_two_nodes_two_logs_one_registry(
    harness: NodeHarness, world: World, clock: Clock, tmp_path: Path
) -> None:
    second = make_harness(
        world,
        clock,
        f"sqlite:///{tmp_path / 'second.db'}",
        log_id=SECOND_LOG_ID,
        operator="operator2",
    )
    try:
        a = build(world, "supplier", created=clock(), tag="on-a")
        b = build(world, "supplier2", created=clock(), tag="on-b")
        harness.client("supplier").publish_batch([a.body])
        second.client("supplier2").publish_batch([b.body])
        # The same attestation may be logged on both nodes: same id, own index each.
        second.client("supplier").publish_batch([a.body])
        harness.anchor()
        second.anchor()
        assert [h.size for h in world.deployment.anchors.heads("main")] == [1]
        assert [h.size for h in world.deployment.anchors.heads(SECOND_LOG_ID)] == [2]

        receipt_a = harness.client().receipt(a.attestation_id)
        receipt_b = second.client().receipt(b.attestation_id)
        receipt_a2 = second.client().receipt(a.attestation_id)
        assert receipt_a2["anchor"]["logId"] == SECOND_LOG_ID
        assert receipt_a2["leafIndex"] == 1

        at = clock()
        assert _sdk_verify(world, receipt_a, at) == world.org("supplier").org_id
        assert _sdk_verify(world, receipt_b, at) == world.org("supplier2").org_id
        assert _sdk_verify(world, receipt_a2, at) == world.org("supplier").org_id

        # Each node verifies the other's receipts against the shared registry.
        assert harness.client().verify(receipt_b)["ok"]
        assert second.client().verify(receipt_a)["ok"]
        # A receipt claiming the other log is refused at the checkpoint (wrong origin/key).
        swapped = {**receipt_a, "anchor": {**receipt_a["anchor"], "logId": SECOND_LOG_ID}}
        report = harness.client().verify(swapped)
        assert not report["ok"]
        with pytest.raises(VerificationError):
            _sdk_verify(world, swapped, at)
    finally:
        second.node.stop()
        assert second.transport is not None
        second.transport.shutdown()
        second.node.engine.dispose()
