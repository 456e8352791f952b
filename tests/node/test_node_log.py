"""The log resource and the anchoring worker: schedules, proofs, receipts, reconciliation."""

from __future__ import annotations

import base64
import copy
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from eth_account import Account
from nacl.signing import VerifyKey
from sqlalchemy import insert, select

from anchors import (
    Checkpoint,
    sign_checkpoint,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)
from anchors.chain import AnchorRegistryClient, start_anvil
from anchors.errors import ChainError
from node._anchoring import Anchorer
from node._tables import checkpoints
from sdk.deploy import deploy_tanji
from sdk.errors import NodeClientError
from sdk.registry import RevocationReason, Role
from tests.conftest import anvil_binary, missing_service
from tests.node.conftest import Clock, NodeHarness, World, build, make_harness


def _publish(harness: NodeHarness, world: World, clock: Clock, n: int, tag: str = "") -> list[str]:
    built = [build(world, "supplier", created=clock(), tag=f"{tag}{i}") for i in range(n)]
    harness.client("supplier").publish_batch([b.body for b in built])
    return [b.attestation_id for b in built]


def _b(text: str) -> bytes:
    return base64.b64decode(text)


def test_anchoring_schedule_by_count_and_by_time(
    world: World, clock: Clock, tmp_path: Path
) -> None:
    h = make_harness(
        world,
        clock,
        f"sqlite:///{tmp_path / 'sched.db'}",
        anchor_every_entries=3,
        anchor_every_seconds=60.0,
    )
    try:
        anchorer = h.node.anchorer
        assert anchorer is not None
        _publish(h, world, clock, 2, "a")
        first = clock()
        assert anchorer.run_once(first) == 2  # nothing anchored yet: first head is due
        _publish(h, world, clock, 2, "b")
        # Times relative to the recorded anchor time, never clock() again: the test clock
        # follows the chain's block time, and the anchoring transaction mines a block
        # stamped with the wall clock, which can be minutes after the module's chain
        # last mined one (a slow full run), so clock() could jump past the 60 s.
        assert anchorer.run_once(first + timedelta(seconds=30)) is None  # 2 < 3, 30 s < 60 s
        _publish(h, world, clock, 1, "c")
        anchored_at = clock()
        assert anchorer.run_once(anchored_at) == 5  # backlog reached 3
        _publish(h, world, clock, 1, "d")
        assert anchorer.run_once(anchored_at + timedelta(seconds=59)) is None
        assert anchorer.run_once(anchored_at + timedelta(seconds=61)) == 6  # 60 s passed
        assert [hd.size for hd in world.deployment.anchors.heads("main")] == [2, 5, 6]
        health = h.client().health()
        assert health["anchoring"]["backlog"] == 0
        assert health["logSize"] == 6
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()


def test_checkpoints_proofs_entries_and_receipts(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    public = harness.client()
    ids = _publish(harness, world, clock, 5)
    with pytest.raises(NodeClientError) as caught:
        public.receipt(ids[0])
    assert (caught.value.status, caught.value.code) == (404, "not_anchored")
    with pytest.raises(NodeClientError):
        public.latest_checkpoint()
    assert harness.anchor() == 5
    ids += _publish(harness, world, clock, 3, "more")
    assert harness.anchor() == 8

    info = public.node_info()
    log_key = VerifyKey(_b(info["checkpointKey"]["publicKey"]))
    latest = public.latest_checkpoint()
    assert latest["size"] == 8
    assert latest["status"] == "anchored"
    anchor = latest["anchor"]
    assert anchor["chainId"] == world.chain.chain_id
    assert anchor["logId"] == "main"
    assert anchor["contract"] == world.deployment.anchor_registry
    tx = world.chain.w3.eth.get_transaction_receipt(anchor["txHash"])
    assert tx["blockNumber"] == anchor["blockNumber"]
    checked = verify_checkpoint(latest["checkpoint"], info["checkpointKey"]["name"], log_key)
    assert checked.size == 8
    assert bytes(checked.root) == _b(latest["root"])
    listed = public.checkpoints()
    assert [c["size"] for c in listed] == [8, 5]
    assert [c["size"] for c in public.checkpoints(before=8)] == [5]
    assert public._request("GET", "/v1/log/checkpoints/5")["size"] == 5

    root5 = _b(listed[1]["root"])
    root8 = _b(latest["root"])
    cons = public.consistency_proof(5, 8)
    verify_consistency(5, 8, root5, root8, [_b(x) for x in cons["proof"]])

    entries = public.entries(0, 8)
    assert [e["id"] for e in entries] == ids
    for i, _entry in enumerate(entries):
        proof = public.inclusion_proof(i, 8)
        verify_inclusion(_b(proof["leafHash"]), i, 8, [_b(x) for x in proof["proof"]], root8)

    receipt = public.receipt(ids[2])
    assert receipt["leafIndex"] == 2
    assert receipt["checkpoint"] == listed[1]["checkpoint"]  # the first covering head
    assert receipt["version"] == 2
    assert receipt["anchor"] == {"chainId": world.chain.chain_id, "logId": "main"}
    receipt7 = public.receipt(ids[7])
    assert receipt7["checkpoint"] == latest["checkpoint"]

    for params, code in (
        ({"index": 8, "size": 8}, "out_of_range"),
        ({"index": 0, "size": 99}, "out_of_range"),
    ):
        with pytest.raises(NodeClientError) as caught:
            public.inclusion_proof(**params)
        assert (caught.value.status, caught.value.code) == (422, code)
    with pytest.raises(NodeClientError) as caught:
        public.entries(0, 9)
    assert caught.value.status == 422
    with pytest.raises(NodeClientError) as caught:
        public.inclusion_proof(-1, 3)
    assert caught.value.status == 400


def test_verification_report_names_the_failed_step(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = build(world, "supplier", created=clock(), recipients=("leader",))
    harness.client("supplier").publish_batch([built.body])
    _publish(harness, world, clock, 2, "pad")
    harness.anchor()
    public = harness.client()
    receipt = public.receipt(built.attestation_id)
    pointer = "/pcf/pcfExcludingBiogenicUptake"
    report = public.verify(receipt, built.disclosure(pointer))
    assert report["ok"]
    assert report["values"] == {pointer: "75.0"}
    assert all(s["status"] == "passed" for s in report["steps"])

    moved = {**receipt, "leafIndex": 1}
    report = public.verify(moved)
    assert not report["ok"]
    assert report["failedStep"] == "receipt.inclusion"
    statuses = {s["step"]: s["status"] for s in report["steps"]}
    assert statuses["receipt.checkpoint"] == "passed"
    assert statuses["receipt.inclusion"] == "failed"
    assert statuses["statement.signature"] == "skipped"

    lying = built.disclosure(pointer)
    lying = copy.deepcopy(lying)
    lying["claims"][0]["value"] = "7.5"
    report = public.verify(receipt, lying)
    assert report["failedStep"] == "disclosure.commitment", report

    forged = copy.deepcopy(receipt)
    forged["checkpoint"] = forged["checkpoint"].replace("\n\n", "\n\n", 1)[:-10] + "AAAAAAAAA\n"
    report = public.verify(forged)
    assert report["failedStep"] in ("receipt.checkpoint", "receipt.schema"), report

    report = public.verify({"type": "tanji.receipt"})
    assert report["failedStep"] == "receipt.schema"


def test_verification_of_out_of_range_or_non_unicode_input_is_a_report(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = build(world, "supplier", created=clock())
    harness.client("supplier").publish_batch([built.body])
    harness.anchor()
    receipt = harness.client().receipt(built.attestation_id)
    pointer = "/pcf/pcfExcludingBiogenicUptake"
    odd = copy.deepcopy(built.disclosure(pointer))
    odd["claims"][0]["pointer"] = "/pcf/\ud800"
    note = receipt["checkpoint"].split("\n")
    note[1] = str(10**26)
    cases = [
        ({"receipt": {**receipt, "leafIndex": 2**70}}, "receipt.anchor"),
        ({"receipt": {**receipt, "checkpoint": "\n".join(note)}}, "receipt.checkpoint"),
        ({"receipt": receipt, "disclosure": odd}, "disclosure.schema"),
    ]
    with harness.http() as http:
        for body, step in cases:
            r = http.post(
                "/v1/verify",
                content=json.dumps(body).encode(),  # ASCII JSON: "\ud800" stays an escape
                headers={"Content-Type": "application/json"},
            )
            assert r.status_code == 200, r.text
            report = r.json()
            assert (report["ok"], report["failedStep"]) == (False, step), report


def test_restart_records_a_landed_anchor_instead_of_resending(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    _publish(harness, world, clock, 4)
    node = harness.node
    registry = world.deployment.anchors
    op = world.org("operator")
    # The crash: the pending checkpoint was written and the transaction landed, but the
    # process died before recording it.
    root = node.log.root(4)
    note = sign_checkpoint(Checkpoint(node.origin, 4, root), op.keys.signing_key, node.origin)
    with node.engine.begin() as conn:
        conn.execute(
            insert(checkpoints).values(
                log_id="main", size=4, root=root, note=note, status="pending", created_at=clock()
            )
        )
    landed = registry.anchor("main", 4, root, [], sender=op.account)
    fresh = Anchorer(
        node.engine,
        node.settings,
        node.log,
        registry,
        op.account,
        op.keys.signing_key,
        key_name=node.origin,
        origin=node.origin,
        clock=clock,
    )
    assert fresh.run_once(clock()) is None  # reconciled, nothing new to anchor
    assert registry.head_count("main") == 1  # not sent twice
    with node.engine.connect() as conn:
        row = conn.execute(select(checkpoints).where(checkpoints.c.size == 4)).one()
    assert row.status == "anchored"
    assert row.tx_hash == landed.tx_hash
    assert harness.client().receipt(harness.client().entries(0, 1)[0]["id"])["leafIndex"] == 0

    # A head on chain the database never heard of (e.g. restored from an old backup).
    _publish(harness, world, clock, 2, "x")
    registry.anchor(
        "main", 6, node.log.root(6), node.log.consistency_proof(4, 6), sender=op.account
    )
    assert fresh.run_once(clock(), force=True) is None
    assert [c["size"] for c in harness.client().checkpoints()] == [6, 4]
    assert registry.head_count("main") == 2


@pytest.mark.anvil
def test_unreachable_chain_backs_off_and_health_reports_backlog(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    if anvil_binary() is None:
        missing_service("anvil binary not installed (npm ci)")
    _publish(harness, world, clock, 3)
    node = harness.node
    # A real chain that goes away: anvil with Tanji deployed, then stopped.
    anvil = start_anvil(binary=anvil_binary())
    try:
        rpc = anvil.chain(timeout=0.5)
        deployment = deploy_tanji(rpc, rpc.new_account())
        registry = AnchorRegistryClient(rpc, deployment.anchor_registry)
    finally:
        anvil.stop()
    with pytest.raises(ChainError):
        registry.latest("main")
    node.anchorer = Anchorer(
        node.engine,
        node.settings.replace(anchor_poll_seconds=0.05, anchor_retry_max_seconds=0.2),
        node.log,
        registry,
        Account.create(),
        world.org("operator").keys.signing_key,
        key_name=node.origin,
        origin=node.origin,
        clock=clock,
    )
    node.anchorer.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            health = harness.client().health()
            if health["anchoring"]["consecutiveFailures"] >= 2:
                break
            time.sleep(0.05)
        assert health["status"] == "degraded"
        assert health["anchoring"]["backlog"] == 3
        assert "Chain" in health["anchoring"]["lastError"]
        assert health["anchoring"]["nextAttemptAt"] is not None
        # Publishing is not blocked by the failing anchorer.
        _publish(harness, world, clock, 1, "more")
        assert harness.client().health()["logSize"] == 4
    finally:
        node.anchorer.stop()


def test_checkpoint_sizes_past_int64_are_a_400_not_a_500(harness: NodeHarness) -> None:
    big = 2**63
    with harness.http() as http:
        for path in (f"/v1/log/checkpoints/{big}", f"/v1/log/checkpoints?before={big}"):
            r = http.get(path)
            assert (r.status_code, r.json()["code"]) == (400, "malformed_request"), path
        assert http.get(f"/v1/log/checkpoints/{big - 1}").status_code == 404


def test_a_checkpoint_signed_with_a_revoked_operator_key_does_not_verify(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    # Issue 11, hole 2: the checkpoint key must be one the log operator held when the
    # checkpoint was anchored, not any key in its history.
    early = build(world, "supplier", created=clock(), tag="early")
    harness.client("supplier").publish_batch([early.body])
    harness.anchor()
    public = harness.client()
    early_receipt = public.receipt(early.attestation_id)
    operator = world.org("operator")
    world.deployment.participants.revoke_key(
        operator.org_id,
        bytes(operator.keys.verify_key),
        RevocationReason.KEY_COMPROMISE,
        sender=world.registrar,
    )
    # The node still holds the leaked key and signs the next checkpoint with it.
    later = build(world, "supplier", created=clock(), tag="later")
    harness.client("supplier").publish_batch([later.body])
    harness.anchor()
    report = public.verify(public.receipt(later.attestation_id))
    assert (report["ok"], report["failedStep"]) == (False, "receipt.checkpoint"), report
    failed = next(s for s in report["steps"] if s["status"] == "failed")
    assert "was revoked at" in failed["reason"]
    # what was anchored while the key was valid still verifies
    assert public.verify(early_receipt)["ok"]


def test_an_issuer_whose_role_was_revoked_before_anchoring_does_not_verify(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    # Issue 11, hole 5: keys count for an organisation *and role* at the anchoring time.
    built = build(world, "supplier", created=clock(), tag="suspended")
    harness.client("supplier").publish_batch([built.body])
    supplier = world.org("supplier")
    world.deployment.participants.revoke_role(
        supplier.org_id, Role.SUPPLIER, sender=world.registrar
    )
    harness.anchor()
    public = harness.client()
    report = public.verify(public.receipt(built.attestation_id))
    assert (report["ok"], report["failedStep"]) == (False, "issuer.role"), report
