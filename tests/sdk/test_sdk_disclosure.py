"""Selective disclosure: reveal chosen claims, verify them against the commitment."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from sdk import (
    Attestation,
    DisclosedClaim,
    Disclosure,
    JsonValue,
    OrgKeys,
    SignedStatement,
    canonical_json,
    create_attestation,
    sign_statement,
    subject_commitment,
    verify_disclosure,
)
from sdk.errors import VerificationError

SUPPLIER = OrgKeys.from_seed("91350100M000100Y43", b"\1" * 32)
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
FOOTPRINT: dict[str, JsonValue] = {
    "productIds": ["urn:pact:product:panel-14"],
    "pcf": {
        "declaredUnitOfMeasurement": "piece",
        "declaredUnitAmount": "1",
        "pcfExcludingBiogenicUptake": "75.0",
        "pcfIncludingBiogenicUptake": "74.2",
        "referencePeriodStart": "2025-01-01T00:00:00Z",
        "referencePeriodEnd": "2026-01-01T00:00:00Z",
        "boundaryProcessesDescription": "cradle-to-gate",
        "secret": {"supplierMargin": "0.31"},
    },
}
PUBLIC = [
    "/pcf/declaredUnitOfMeasurement",
    "/pcf/declaredUnitAmount",
    "/pcf/pcfExcludingBiogenicUptake",
    "/pcf/referencePeriodStart",
    "/pcf/referencePeriodEnd",
    "/productIds/0",
]


def attest(seed: bytes = b"x") -> Attestation:
    counter = [0]

    def rng(n: int) -> bytes:
        counter[0] += 1
        return hashlib.sha256(seed + bytes([counter[0]])).digest()[:n]

    return create_attestation(
        SUPPLIER,
        footprint=FOOTPRINT,
        inventory={"lines": []},
        now=NOW,
        rng=rng,
    )


def test_disclose_and_verify_six_claims() -> None:
    att = attest()
    disclosure = att.disclose(PUBLIC)
    wire = canonical_json(disclosure.to_dict())
    assert b"supplierMargin" not in wire
    assert b"0.31" not in wire
    assert Disclosure.from_dict(disclosure.to_dict()) == disclosure
    values = verify_disclosure(disclosure, att.signed_statement, required=PUBLIC[:2])
    assert values["/pcf/pcfExcludingBiogenicUptake"] == "75.0"
    assert len(values) == 6
    assert disclosure.digest == hashlib.sha256(b"tanji.disclosure.v1\0" + wire).digest()


def test_disclose_unknown_pointer() -> None:
    with pytest.raises(KeyError, match="/pcf/nope"):
        attest().disclose(["/pcf/nope"])


def _one(disclosure: Disclosure, i: int = 0, **changes: object) -> Disclosure:
    claims = list(disclosure.claims)
    claims[i] = replace(claims[i], **changes)  # type: ignore[arg-type]
    return replace(disclosure, claims=tuple(claims))


def _step(disclosure: Disclosure, signed: SignedStatement, required: tuple[str, ...] = ()) -> str:
    with pytest.raises(VerificationError) as err:
        verify_disclosure(disclosure, signed, required=required)
    return err.value.step


def test_each_check_names_its_step() -> None:
    att = attest()
    other = attest(b"y")
    signed = att.signed_statement
    good = att.disclose(PUBLIC)
    pcf = good.claims[[c.pointer for c in good.claims].index("/pcf/pcfExcludingBiogenicUptake")]
    i = good.claims.index(pcf)
    assert (
        _step(replace(good, attestation_id=other.attestation_id), signed)
        == "disclosure.attestation"
    )
    assert _step(replace(good, claim_count=good.claim_count + 1), signed) == "disclosure.count"
    assert _step(_one(good, i, value="7.5"), signed) == "disclosure.commitment"
    assert _step(_one(good, i, salt=bytes(16)), signed) == "disclosure.commitment"
    assert _step(_one(good, i, proof=pcf.proof[:-1]), signed) == "disclosure.proof"
    assert _step(_one(good, i, index=good.claim_count), signed) == "disclosure.pointer"
    assert _step(_one(good, i, pointer="pcf"), signed) == "disclosure.pointer"
    assert _step(good, signed, required=("/pcf/secret/supplierMargin",)) == "disclosure.pointer"
    # the same claim from another attestation (same pointer, own salt and proof)
    foreign = other.disclose(["/pcf/pcfExcludingBiogenicUptake"]).claims[0]
    assert _step(_one(good, i, salt=foreign.salt, proof=foreign.proof), signed) == (
        "disclosure.commitment"
    )
    # duplicates: the same pointer twice with two values
    twice = replace(good, claims=(*good.claims, replace(pcf, value="7.5", index=pcf.index)))
    assert _step(twice, signed) == "claims.duplicate"
    # a claim moved onto another claim's index no longer walks to the commitment
    a, b = good.claims[0], good.claims[1]
    swapped = replace(good, claims=(replace(a, index=b.index), replace(b, index=a.index)))
    assert _step(swapped, signed) == "disclosure.commitment"
    # a statement whose subject commits to another product than its /productIds/0 claim
    elsewhere = subject_commitment("urn:pact:product:other", bytes(16))
    lying = sign_statement(replace(signed.statement, subject_digest=elsewhere), SUPPLIER)
    moved = replace(good, attestation_id=lying.attestation_id)
    assert _step(moved, lying) == "disclosure.subject"
    # without /productIds/0 nothing opens the subject, and nothing is claimed about it
    partial = att.disclose(PUBLIC[:3])
    values = verify_disclosure(replace(partial, attestation_id=lying.attestation_id), lying)
    assert "/productIds/0" not in values


def test_claims_are_listed_in_tree_order_and_indices_hide_the_pointer_order() -> None:
    att = attest()
    disclosure = att.disclose(PUBLIC)
    indices = [c.index for c in disclosure.claims]
    assert indices == sorted(indices)
    leaves = [att.claims.claim(c.pointer).leaf_hash for c in disclosure.claims]
    assert leaves == sorted(leaves)
    assert disclosure.claim_count == 32


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: d.update(claims=[]), "non-empty"),
        (lambda d: d.update(version=True), "version 1"),
        (lambda d: d.update(version=1.0), "version 1"),
        (lambda d: d.update(claimCount=0), "claimCount"),
        (lambda d: d.update(claimCount=48), "claim bucket"),
        (lambda d: d.update(attestationId="AB" * 32), "attestationId"),
        (lambda d: d["claims"][0].update(salt="AAAA"), "salt"),
        (lambda d: d["claims"][0].update(index=-1), "index"),
        (lambda d: d["claims"][0].update(proof="x"), "proof"),
        (lambda d: d["claims"][0].pop("value"), "missing value"),
    ],
)
def test_schema(edit: Callable[[dict[str, Any]], object], reason: str) -> None:
    doc = attest().disclose(PUBLIC).to_dict()
    edit(doc)
    with pytest.raises(VerificationError, match=reason) as err:
        Disclosure.from_dict(doc)
    assert err.value.step == "disclosure.schema"


def test_float_value_in_a_disclosure_is_a_schema_error() -> None:
    att = attest()
    good = att.disclose(PUBLIC)
    bad = _one(good, 0, value=1.5)
    assert isinstance(bad.claims[0], DisclosedClaim)
    assert _step(bad, att.signed_statement) == "disclosure.schema"
