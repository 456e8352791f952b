"""``GET /v1/grants``: the attestations granted to the caller, newest first, paged with
``before``; only the caller's own grants; refusals named."""

from __future__ import annotations

from typing import Any

import pytest

from sdk.client import NodeClient
from sdk.errors import NodeClientError
from tests.node.conftest import Clock, NodeHarness, World, build


def test_grants_to_the_caller_newest_first_paged_with_before(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    supplier, leader = harness.client("supplier"), harness.client("leader")
    certifier = harness.client("certifier")
    assert certifier.grants() == {"grants": [], "next": None}
    first = build(world, "supplier", created=clock(), recipients=("certifier",), tag="1")
    _publish(supplier, first.body)
    clock.advance(5)
    both = build(world, "supplier", created=clock(), recipients=("leader", "certifier"), tag="2")
    _publish(supplier, both.body)
    clock.advance(5)
    # one batch: two grants added at the same instant, ordered by attestation id
    batch = [
        build(world, "leader", created=clock(), recipients=("certifier",), tag=f"b{i}")
        for i in range(2)
    ]
    leader.publish_batch([b.body for b in batch])
    clock.advance(5)
    never = build(world, "supplier", created=clock(), recipients=("leader",), tag="3")
    _publish(supplier, never.body)

    newest_batch = sorted((b.attestation_id for b in batch), reverse=True)
    expected = [*newest_batch, both.attestation_id, first.attestation_id]
    everything = certifier.grants()
    assert [g["attestationId"] for g in everything["grants"]] == expected
    assert everything["next"] is None
    issuers = {g["attestationId"]: g["issuer"] for g in everything["grants"]}
    assert issuers[first.attestation_id] == world.org("supplier").org_id
    assert issuers[batch[0].attestation_id] == world.org("leader").org_id
    added = [g["addedAt"] for g in everything["grants"]]
    assert added == sorted(added, reverse=True)
    assert all(a.endswith("Z") for a in added)

    page1 = certifier.grants(limit=3)
    assert [g["attestationId"] for g in page1["grants"]] == expected[:3]
    assert page1["next"] == expected[2]
    page2 = certifier.grants(limit=3, before=page1["next"])
    assert [g["attestationId"] for g in page2["grants"]] == expected[3:]
    assert page2["next"] is None
    exact = certifier.grants(limit=2, before=expected[1])
    assert [g["attestationId"] for g in exact["grants"]] == expected[2:]
    assert exact["next"] is None  # no empty last page
    assert [g["attestationId"] for g in certifier.all_grants(page=1)] == expected

    # the leader sees only its own grants; the issuer's grants to others are not listed
    assert [g["attestationId"] for g in leader.grants()["grants"]] == [
        never.attestation_id,
        both.attestation_id,
    ]
    assert supplier.grants()["grants"] == []


def test_grants_refusals(harness: NodeHarness, world: World, clock: Clock) -> None:
    certifier = harness.client("certifier")
    mine = build(world, "supplier", created=clock(), recipients=("leader",))
    _publish(harness.client("supplier"), mine.body)
    with pytest.raises(NodeClientError) as caught:
        certifier.grants(before=mine.attestation_id)  # granted to the leader, not to it
    assert (caught.value.status, caught.value.code) == (400, "unknown_cursor")
    assert "pass the `next` of the previous page" in caught.value.message
    with harness.http() as http:
        anonymous = http.get("/v1/grants")
        assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
        token = {"Authorization": f"Bearer {certifier.token()}"}
        for query, named in (
            ("limt=5", "limt"),
            ("limit=0", "limit"),
            ("limit=1001", "limit"),
            ("before=XYZ", "before"),
        ):
            bad = http.get(f"/v1/grants?{query}", headers=token)
            assert bad.status_code == 400, (query, bad.text)
            assert named in bad.json()["message"]
        spec = http.get("/openapi.json").json()
    operation = spec["paths"]["/v1/grants"]["get"]
    assert set(operation["responses"]) == {"200", "400", "401", "503"}
    assert {p["name"] for p in operation["parameters"]} == {"limit", "before"}


def _publish(client: NodeClient, body: dict[str, Any]) -> None:
    client.publish(body["signedStatement"], body["envelope"], body["grants"])
