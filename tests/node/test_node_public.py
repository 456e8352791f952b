"""``PUT/GET /v1/attestations/{id}/public``: full disclosures of public attestations,
through the app over HTTP (ASGI), on the embedded chain and SQLite."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from node._public import public_disclosures
from sdk.errors import NodeClientError
from tests.node.conftest import Built, Clock, NodeHarness, World, build


def _published(harness: NodeHarness, world: World, clock: Clock, issuer: str) -> Built:
    built = build(world, issuer, created=clock(), product_id="urn:tanji:factorset:demo@1")
    harness.client(issuer).publish(
        built.body["signedStatement"], built.body["envelope"], built.body["grants"]
    )
    return built


def _full(built: Built) -> dict[str, object]:
    return built.disclosure(*built.claims.values())


def _rows(harness: NodeHarness) -> int:
    with harness.node.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(public_disclosures)).scalar_one())


def test_issuer_publishes_full_disclosure_and_anyone_reads_it(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = _published(harness, world, clock, "supplier")
    issuer = harness.client("supplier")
    first = issuer.put_public_disclosure(built.attestation_id, _full(built))
    assert first == {
        "attestationId": built.attestation_id,
        "status": "created",
        "claimCount": len(built.claims),
    }
    again = issuer.put_public_disclosure(built.attestation_id, _full(built))
    assert again["status"] == "existing"
    anonymous = harness.client()
    assert anonymous.public_disclosure(built.attestation_id) == _full(built)
    assert _rows(harness) == 1


def test_refusals_name_the_problem_and_store_nothing(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = _published(harness, world, clock, "supplier")
    issuer = harness.client("supplier")
    pointers = list(built.claims.values())

    with pytest.raises(NodeClientError) as partial:
        issuer.put_public_disclosure(built.attestation_id, built.disclosure(*pointers[:2]))
    assert (partial.value.status, partial.value.code) == (422, "incomplete_disclosure")

    tampered = copy.deepcopy(_full(built))
    claims = tampered["claims"]
    assert isinstance(claims, list)
    value_claim = next(c for c in claims if c["pointer"] == "/pcf/pcfExcludingBiogenicUptake")
    value_claim["value"] = "7.5"
    with pytest.raises(NodeClientError) as altered:
        issuer.put_public_disclosure(built.attestation_id, tampered)
    assert (altered.value.status, altered.value.code) == (422, "disclosure_mismatch")

    with pytest.raises(NodeClientError) as other:
        harness.client("supplier2").put_public_disclosure(built.attestation_id, _full(built))
    assert other.value.status == 403

    with pytest.raises(NodeClientError) as unknown:
        issuer.put_public_disclosure("ab" * 32, _full(built))
    assert unknown.value.status == 404

    with harness.http() as http:
        unauthenticated = http.put(
            f"/v1/attestations/{built.attestation_id}/public", json={"disclosure": _full(built)}
        )
    assert unauthenticated.status_code == 401

    with pytest.raises(NodeClientError) as not_public:
        harness.client().public_disclosure(built.attestation_id)
    assert (not_public.value.status, not_public.value.code) == (404, "not_public")
    assert _rows(harness) == 0


def test_plain_http_read_needs_no_token(harness: NodeHarness, world: World, clock: Clock) -> None:
    built = _published(harness, world, clock, "supplier")
    harness.client("supplier").put_public_disclosure(built.attestation_id, _full(built))
    with harness.http() as http:
        response = http.get(f"/v1/attestations/{built.attestation_id}/public")
        malformed = http.get("/v1/attestations/not-an-id/public")
    assert response.status_code == 200
    assert response.json()["attestationId"] == built.attestation_id
    assert malformed.status_code == 400


def test_label_disclosure_with_a_float_value_is_refused_not_a_crash(
    harness: NodeHarness, world: World, clock: Clock
) -> None:
    built = build(world, "certifier", created=clock())
    disclosure = built.disclosure(*[c.pointer for c in built.claims.claims][:1])
    disclosure["claims"][0]["value"] = 1.5
    token = harness.client("certifier").token()
    with harness.http() as http:
        r = http.put(
            "/v1/labels/0x" + "ab" * 32 + "/disclosure",
            json={"disclosure": disclosure},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert (r.status_code, r.json()["code"]) == (422, "invalid_input")
    assert "float" in r.json()["message"]
