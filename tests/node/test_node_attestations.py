"""Publishing and reading attestations: validation, idempotence, all-or-nothing, grants."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from node._tables import attestations, grants
from sdk import OrgId
from sdk.client import NodeClient
from sdk.errors import NodeClientError
from sdk.hazmat import make_grant, open_grant
from sdk.registry import RevocationReason
from tests.node.conftest import Clock, NodeHarness, World, build, make_harness


def _post(harness: NodeHarness, client: NodeClient, path: str, body: Any) -> httpx.Response:
    with harness.http() as http:
        return http.post(path, json=body, headers={"Authorization": f"Bearer {client.token()}"})


def _count(harness: NodeHarness) -> tuple[int, int, int]:
    with harness.node.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(attestations)).scalar_one()
        gr = conn.execute(select(func.count()).select_from(grants)).scalar_one()
    return rows, gr, harness.node.log.size()


def test_publish_then_read_public_statement_and_grantee_envelope(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    supplier = harness.client("supplier")
    built = build(world, "supplier", recipients=("leader",), created=clock())
    r = _post(harness, supplier, "/v1/attestations", built.body)
    assert r.status_code == 201
    assert r.json() == {
        "id": built.attestation_id,
        "logId": "main",
        "index": 0,
        "status": "created",
    }

    public = harness.client()
    assert public.statement(built.attestation_id) == built.body["signedStatement"]

    leader = harness.client("leader")
    got = leader.envelope(built.attestation_id)
    assert got["envelope"] == built.body["envelope"]
    assert got["grant"] == built.body["grants"][0]
    from sdk import Grant

    key = open_grant(Grant.from_dict(got["grant"]), world.org("leader").keys, built.attestation_id)
    assert key == built.data_key

    issuer_view = supplier.envelope(built.attestation_id)
    assert issuer_view["grants"] == built.body["grants"]

    with pytest.raises(NodeClientError) as caught:
        harness.client("supplier2").envelope(built.attestation_id)
    assert (caught.value.status, caught.value.code) == (403, "no_grant")
    with harness.http() as http:
        anonymous = http.get(f"/v1/attestations/{built.attestation_id}/envelope")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")


def test_republishing_returns_the_same_result(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    supplier = harness.client("supplier")
    built = build(world, "supplier", created=clock())
    first = _post(harness, supplier, "/v1/attestations", built.body)
    second = _post(harness, supplier, "/v1/attestations", built.body)
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json() == {**first.json(), "status": "existing"}
    assert _count(harness) == (1, 0, 1)


def test_batch_is_all_or_nothing(harness: NodeHarness, world: World, clock: Clock) -> None:
    supplier = harness.client("supplier")
    good = [build(world, "supplier", created=clock(), tag=str(i)) for i in range(3)]
    bad = copy.deepcopy(build(world, "supplier", created=clock(), tag="bad").body)
    sig = bad["signedStatement"]["signature"]
    bad["signedStatement"]["signature"] = ("A" if sig[0] != "A" else "B") + sig[1:]
    r = _post(
        harness,
        supplier,
        "/v1/attestations/batch",
        {"attestations": [g.body for g in good] + [bad]},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "bad_signature"
    assert "attestations[3]" in r.json()["message"]
    assert _count(harness) == (0, 0, 0)

    results = supplier.publish_batch([g.body for g in good] + [good[0].body])
    assert [x["index"] for x in results] == [0, 1, 2, 0]
    assert [x["status"] for x in results] == ["created"] * 3 + ["existing"]
    again = supplier.publish_batch([g.body for g in good])
    assert [x["status"] for x in again] == ["existing"] * 3
    assert _count(harness) == (3, 0, 3)


def _mutated(body: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (lambda b: _mutated(b, ["envelope", "nonce"], "A" * 32), 422, "digest_mismatch"),
        (
            lambda b: _mutated(b, ["signedStatement", "statement", "claimCount"], 0),
            422,
            "invalid_statement",
        ),
        (
            lambda b: _mutated(
                {**b, "grants": []}, ["signedStatement", "statement", "keyId"], "ab" * 16
            ),
            403,
            "unknown_key",
        ),
        (lambda b: _mutated(b, ["envelope", "alg"], "rot13"), 422, "invalid_envelope"),
        (lambda b: _mutated(b, ["grants"], [{"type": "tanji.grant"}]), 422, "invalid_grant"),
        (lambda b: {**b, "extra": 1}, 422, "invalid_input"),
        (lambda b: {k: v for k, v in b.items() if k != "envelope"}, 422, "invalid_envelope"),
        (
            lambda b: {k: v for k, v in b.items() if k != "signedStatement"},
            422,
            "invalid_statement",
        ),
        (lambda b: [b], 422, "invalid_input"),
    ],
)
def test_publish_refusals_write_nothing(
    harness: NodeHarness, world: World, clock: Clock, mutate: Any, status: int, code: str
) -> None:
    supplier = harness.client("supplier")
    built = build(world, "supplier", recipients=("leader",), created=clock())
    r = _post(harness, supplier, "/v1/attestations", mutate(built.body))
    assert (r.status_code, r.json()["code"]) == (status, code), r.json()
    assert _count(harness) == (0, 0, 0)


def test_only_the_issuer_publishes_and_only_publishing_roles(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = build(world, "supplier", created=clock())
    r = _post(harness, harness.client("leader"), "/v1/attestations", built.body)
    assert (r.status_code, r.json()["code"]) == (403, "not_issuer")
    auditor_made = build(world, "auditor", created=clock())
    r = _post(harness, harness.client("auditor"), "/v1/attestations", auditor_made.body)
    assert (r.status_code, r.json()["code"]) == (403, "role_missing")
    assert _count(harness) == (0, 0, 0)


def test_revoked_key_cannot_publish(harness: NodeHarness, world: World, clock: Clock) -> None:
    supplier = harness.client("supplier")
    supplier.token()  # a token obtained before the revocation still authenticates
    org = world.org("supplier")
    world.deployment.participants.revoke_key(
        org.org_id, bytes(org.keys.verify_key), RevocationReason.SUPERSEDED, sender=world.registrar
    )
    clock.advance(30)
    built = build(world, "supplier", created=clock())
    r = _post(harness, supplier, "/v1/attestations", built.body)
    assert (r.status_code, r.json()["code"]) == (403, "key_revoked")


def test_superseding_another_issuers_attestation_is_refused(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    first = build(world, "supplier", created=clock())
    harness.client("supplier").publish_batch([first.body])
    hijack = build(world, "supplier2", created=clock(), supersedes=first.attestation_id)
    r = _post(harness, harness.client("supplier2"), "/v1/attestations", hijack.body)
    assert (r.status_code, r.json()["code"]) == (403, "not_issuer")
    own = build(world, "supplier", created=clock(), supersedes=first.attestation_id, tag="v2")
    assert harness.client("supplier").publish_batch([own.body])[0]["index"] == 1


def test_size_limits_answer_413(world: World, clock: Clock, tmp_path: Path) -> None:
    h = make_harness(
        world,
        clock,
        f"sqlite:///{tmp_path / 'small.db'}",
        max_envelope_bytes=64,
        max_batch=2,
        max_body_bytes=20_000,
        max_grants=1,
    )
    try:
        supplier = h.client("supplier")
        built = build(world, "supplier", created=clock(), recipients=("leader", "certifier"))
        r = _post(h, supplier, "/v1/attestations", built.body)
        assert (r.status_code, r.json()["code"]) == (413, "payload_too_large")
        assert "envelope" in r.json()["message"]
        many = [build(world, "supplier", created=clock(), tag=str(i)).body for i in range(3)]
        r = _post(h, supplier, "/v1/attestations/batch", {"attestations": many})
        assert r.status_code == 413
        huge = {"attestations": [built.body] * 40}
        r = _post(h, supplier, "/v1/attestations/batch", huge)
        assert r.status_code == 413
        assert "request body" in r.json()["message"]
        assert h.node.log.size() == 0
    finally:
        h.node.stop()
        assert h.transport is not None
        h.transport.shutdown()
        h.node.engine.dispose()


def test_malformed_requests(harness: NodeHarness, world: World, clock: Clock) -> None:
    token = harness.client("supplier").token()
    with harness.http() as http:
        r = http.post(
            "/v1/attestations",
            content=b"{not json",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert (r.status_code, r.json()["code"]) == (400, "malformed_request")
        r = http.post(
            "/v1/attestations/batch",
            content=b'{"attestations": [NaN]}',
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert (r.status_code, r.json()["code"]) == (400, "malformed_request")
        r = http.get("/v1/attestations/xyz")
        assert (r.status_code, r.json()["code"]) == (400, "malformed_request")
        r = http.get("/v1/attestations/" + "0" * 64)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        r = http.get("/v1/nothing-here")
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        r = http.delete("/v1/attestations/" + "0" * 64)
        assert (r.status_code, r.json()["code"]) == (405, "method_not_allowed")


def test_grants_added_by_the_issuer_only(harness: NodeHarness, world: World, clock: Clock) -> None:
    supplier = harness.client("supplier")
    built = build(world, "supplier", created=clock(), recipients=("leader",))
    supplier.publish_batch([built.body])
    certifier = world.org("certifier")
    grant = make_grant(
        built.attestation_id,
        built.data_key,
        OrgId.parse(certifier.org_id),
        certifier.keys.public_key,
        rng=lambda n: b"\x07" * n,
    ).to_dict()

    with pytest.raises(NodeClientError) as caught:
        harness.client("leader").add_grant(built.attestation_id, grant)
    assert (caught.value.status, caught.value.code) == (403, "not_issuer")

    other = build(world, "supplier", created=clock(), tag="other")
    supplier.publish_batch([other.body])
    with pytest.raises(NodeClientError) as caught:
        supplier.add_grant(other.attestation_id, grant)
    assert (caught.value.status, caught.value.code) == (422, "invalid_grant")

    assert supplier.add_grant(built.attestation_id, grant)["recipient"] == certifier.org_id
    assert supplier.add_grant(built.attestation_id, grant)["recipient"] == certifier.org_id
    got = harness.client("certifier").envelope(built.attestation_id)
    assert got["grant"] == grant
    different = make_grant(
        built.attestation_id,
        built.data_key,
        OrgId.parse(certifier.org_id),
        certifier.keys.public_key,
        rng=lambda n: b"\x08" * n,
    ).to_dict()
    with pytest.raises(NodeClientError) as caught:
        supplier.add_grant(built.attestation_id, different)
    assert (caught.value.status, caught.value.code) == (409, "grant_exists")


def test_openapi_is_published(harness: NodeHarness) -> None:
    with harness.http() as http:
        spec = http.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/v1/auth/token",
        "/v1/attestations",
        "/v1/attestations/batch",
        "/v1/attestations/{attestation_id}/envelope",
        "/v1/requests",
        "/v1/log/proofs/inclusion",
        "/v1/verify",
    ):
        assert path in paths


def test_grants_must_target_a_registered_encryption_key(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    from nacl.public import PrivateKey

    supplier = harness.client("supplier")
    built = build(world, "supplier", created=clock())
    stranger_key = PrivateKey(b"\x05" * 32).public_key
    wrong_key = make_grant(
        built.attestation_id,
        built.data_key,
        OrgId.parse(world.org("leader").org_id),
        stranger_key,
        rng=lambda n: b"\x01" * n,
    ).to_dict()
    unregistered = make_grant(
        built.attestation_id,
        built.data_key,
        OrgId.parse("urn:tanji:org:nobody"),
        stranger_key,
        rng=lambda n: b"\x02" * n,
    ).to_dict()
    for grant, code in ((wrong_key, "unknown_recipient_key"), (unregistered, "unknown_recipient")):
        r = _post(harness, supplier, "/v1/attestations", {**built.body, "grants": [grant]})
        assert (r.status_code, r.json()["code"]) == (422, code)
    assert _count(harness) == (0, 0, 0)
    supplier.publish_batch([built.body])
    with pytest.raises(NodeClientError) as caught:
        supplier.add_grant(built.attestation_id, wrong_key)
    assert caught.value.code == "unknown_recipient_key"


def test_an_error_quoting_a_lone_surrogate_is_still_a_json_error(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = build(world, "supplier", created=clock(), recipients=("leader",))
    supplier = harness.client("supplier")
    supplier.publish_batch([built.body])
    grant = {**built.body["grants"][0], "x\ud800": 1}
    disclosure = {**built.disclosure("/pcf/pcfExcludingBiogenicUptake"), "x\ud800": 1}
    aid = built.attestation_id
    cases = [
        ("POST", f"/v1/attestations/{aid}/grants", {"grant": grant}),
        ("PUT", f"/v1/attestations/{aid}/public", {"disclosure": disclosure}),
        ("PUT", "/v1/labels/0x" + "ab" * 32 + "/disclosure", {"disclosure": disclosure}),
    ]
    headers = {"Authorization": f"Bearer {supplier.token()}", "Content-Type": "application/json"}
    with harness.http() as http:
        for method, path, body in cases:
            # ASCII JSON, so the lone surrogate arrives as its escape "\ud800"
            r = http.request(method, path, content=json.dumps(body).encode(), headers=headers)
            assert r.status_code == 422, (path, r.text)
            assert "x\\ud800" in r.json()["message"]


def test_value_range_proof_checked_before_logging_and_served(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    """A statement committing to its value is logged only with its range proof, the one
    its digest signs, verifying under its context; the proof is then served publicly."""
    from sdk import create_attestation

    org = world.org("supplier")

    def committed(value: str) -> Any:
        return create_attestation(
            org.keys,
            footprint={
                "productIds": ["urn:tanji:product:panel-16"],
                "pcf": {"pcfExcludingBiogenicUptake": value},
            },
            inventory=None,
            now=clock(),
            commit_value=True,
        )

    att, other = committed("12.5"), committed("13.5")
    body = {
        "signedStatement": att.signed_statement.to_dict(),
        "envelope": att.envelope.to_dict(),
        "grants": [],
    }
    supplier = harness.client("supplier")
    proof = att.value_range_proof.to_json()
    flipped = copy.deepcopy(proof)
    raw = bytearray(__import__("base64").b64decode(flipped["proof"]))
    raw[100] ^= 1
    flipped["proof"] = __import__("base64").b64encode(bytes(raw)).decode()
    before = _count(harness)
    for bad, code in [
        (None, "rangeproof.schema"),
        (other.value_range_proof.to_json(), "rangeproof.digest"),
        (flipped, "rangeproof.digest"),
    ]:
        item = dict(body) if bad is None else {**body, "valueRangeProof": bad}
        r = _post(harness, supplier, "/v1/attestations", item)
        assert (r.status_code, r.json()["code"]) == (422, code), r.text
        assert "valueRangeProof" in r.json()["message"]
    r = _post(
        harness,
        supplier,
        "/v1/attestations",
        {**body, "valueRangeProof": att.value_range_proof.to_json(), "rollupProof": {"type": 1}},
    )
    assert (r.status_code, r.json()["code"]) == (422, "rollup.schema"), r.text
    assert _count(harness) == before  # nothing half-written
    result = supplier.publish(body["signedStatement"], body["envelope"], value_range_proof=proof)
    assert result["status"] == "created"
    public = harness.client()
    assert public.value_range_proof(att.attestation_id) == proof
    # a statement without a value commitment has none to serve, and takes none
    plain = build(world, "supplier", created=clock())
    _post(harness, supplier, "/v1/attestations", plain.body)
    with pytest.raises(NodeClientError) as caught:
        public.value_range_proof(plain.attestation_id)
    assert (caught.value.status, caught.value.code) == (404, "no_value_proof")
    r = _post(harness, supplier, "/v1/attestations", {**plain.body, "valueRangeProof": proof})
    assert r.json()["code"] in {"rangeproof.schema"}, r.text
