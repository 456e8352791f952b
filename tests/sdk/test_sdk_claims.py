"""Claims: flattening, salts, leaves and the commitment."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anchors import leaf_hash, root_from_leaf_hashes, verify_inclusion
from sdk import (
    INVENTORY_POINTER,
    MIN_CLAIM_BUCKET,
    PADDING_PREFIX,
    Claim,
    ClaimSet,
    JsonValue,
    canonical_json,
    claim_bucket,
    claim_leaf_bytes,
    flatten,
    inventory_digest,
    is_pointer,
    subject_commitment,
)
from sdk.errors import CanonicalizationError, FootprintError, VerificationError
from sdk.hazmat import claim_salt

MASTER = bytes(range(32))
DOC = {
    "productIds": ["urn:pact:product:nb-14"],
    "pcf": {"declaredUnitOfMeasurement": "kilogram", "pcfExcludingBiogenicUptake": "12.5"},
    "a/b": {"m~n": True, "": None},
    "empty": {},
    "none": [],
    "count": 3,
}


def test_flatten_pointers_with_rfc6901_escaping() -> None:
    assert flatten(DOC) == [
        ("/productIds/0", "urn:pact:product:nb-14"),
        ("/pcf/declaredUnitOfMeasurement", "kilogram"),
        ("/pcf/pcfExcludingBiogenicUptake", "12.5"),
        ("/a~1b/m~0n", True),
        ("/a~1b/", None),
        ("/empty", {}),
        ("/none", []),
        ("/count", 3),
    ]
    assert all(is_pointer(p) for p, _ in flatten(DOC))


def test_flatten_refuses_floats_and_non_objects() -> None:
    with pytest.raises(CanonicalizationError, match="/pcf/value: float"):
        flatten({"pcf": {"value": 12.5}})
    with pytest.raises(FootprintError):
        flatten(["not", "an", "object"])  # type: ignore[arg-type]


def test_salt_is_hmac_of_pointer() -> None:
    salt = claim_salt(MASTER, "/pcf/x")
    assert salt == hmac.new(MASTER, b"/pcf/x", hashlib.sha256).digest()[:16]
    assert claim_salt(MASTER, "/pcf/y") != salt


def test_leaf_is_tagged_jcs_array() -> None:
    salt = bytes(16)
    assert claim_leaf_bytes("/a", "1.0", salt) == (
        b'["tanji.claim.v1","/a","1.0","AAAAAAAAAAAAAAAAAAAAAA=="]'
    )


def test_claim_set_is_padded_sorted_by_leaf_hash_and_commits_to_every_claim() -> None:
    inventory: JsonValue = {"lines": [{"activity": "electricity", "amount": "11", "unit": "kWh"}]}
    cs = ClaimSet.build(DOC, MASTER, inventory=inventory, upstream=["ab" * 32, "cd" * 32])
    hashes = [c.leaf_hash for c in cs.claims]
    assert hashes == sorted(hashes)
    assert cs.claim(INVENTORY_POINTER).value == inventory_digest(inventory)
    assert cs.claim("/tanji/upstream/1").value == "cd" * 32
    real = len(flatten(DOC)) + 3
    assert len(cs) == MIN_CLAIM_BUCKET
    padding = [c for c in cs.claims if c.pointer.startswith(PADDING_PREFIX)]
    assert len(padding) == MIN_CLAIM_BUCKET - real
    assert all(c.value is None for c in padding)
    expected = root_from_leaf_hashes(
        sorted(
            leaf_hash(claim_leaf_bytes(p, v, claim_salt(MASTER, p))) for p, v in cs.values().items()
        )
    )
    assert cs.commitment == expected
    assert cs.subject == subject_commitment(
        "urn:pact:product:nb-14", claim_salt(MASTER, "/productIds/0")
    )
    for claim in cs.claims:
        verify_inclusion(
            claim.leaf_hash,
            cs.index(claim.pointer),
            len(cs),
            cs.proof(claim.pointer),
            cs.commitment,
        )


def test_commitment_changes_with_any_value_salt_or_order_free_input() -> None:
    base = ClaimSet.build(DOC, MASTER, inventory={})
    reordered = dict(reversed(list(DOC.items())))
    assert ClaimSet.build(reordered, MASTER, inventory={}).commitment == base.commitment
    changed = {**DOC, "count": 4}
    assert ClaimSet.build(changed, MASTER, inventory={}).commitment != base.commitment
    assert ClaimSet.build(DOC, bytes(32), inventory={}).commitment != base.commitment
    assert ClaimSet.build(DOC, MASTER, inventory={"x": "1"}).commitment != base.commitment


@pytest.mark.parametrize(
    ("count", "bucket"),
    [(0, 32), (1, 32), (32, 32), (33, 64), (64, 64), (65, 128), (1000, 1024)],
)
def test_claim_buckets_are_powers_of_two_from_32(count: int, bucket: int) -> None:
    assert claim_bucket(count) == bucket


def test_bucket_hides_how_many_upstream_references_there_are() -> None:
    counts = {
        len(ClaimSet.build(DOC, MASTER, inventory={}, upstream=["ab" * 32] * n))
        for n in range(0, 20)
    }
    assert counts == {MIN_CLAIM_BUCKET}


def test_duplicate_pointers_refused() -> None:
    with pytest.raises(VerificationError) as err:
        ClaimSet([Claim("/a", "1", bytes(16)), Claim("/a", "2", bytes(16))])
    assert err.value.step == "claims.duplicate"
    # a footprint that tries to set the reserved inventory pointer itself
    with pytest.raises(VerificationError) as err:
        ClaimSet.build({"tanji": {"inventoryDigest": "00"}}, MASTER, inventory={})
    assert err.value.step == "claims.duplicate"


def test_bad_claims() -> None:
    with pytest.raises(ValueError, match="JSON Pointer"):
        Claim("a", "1", bytes(16))
    with pytest.raises(ValueError, match="salt"):
        Claim("/a", "1", bytes(15))
    with pytest.raises(ValueError, match="master salt"):
        ClaimSet.build(DOC, bytes(16), inventory={})
    with pytest.raises(VerificationError, match="at least one"):
        ClaimSet([])


@pytest.mark.parametrize("text", ["", "/", "/a/~0/~1", "/a~01"])
def test_valid_pointers(text: str) -> None:
    assert is_pointer(text)


@pytest.mark.parametrize("text", ["a", "/~2", "/a~", 7])
def test_invalid_pointers(text: object) -> None:
    assert not is_pointer(text)


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-(2**53) + 1, 2**53 - 1), st.text())
json_doc = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=12,
)


def _unflatten_get(doc: object, pointer: str) -> object:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        doc = doc[int(token)] if isinstance(doc, list) else doc[token]  # type: ignore[index]
    return doc


@settings(max_examples=80)
@given(st.dictionaries(st.text(max_size=4), json_doc, min_size=1, max_size=4))
def test_every_flattened_pointer_resolves_to_its_value(doc: dict[str, object]) -> None:
    pairs = flatten(doc)
    assert len({p for p, _ in pairs}) == len(pairs)
    for pointer, value in pairs:
        assert canonical_json(_unflatten_get(doc, pointer)) == canonical_json(value)


def test_upstream_entries_must_be_attestation_ids() -> None:
    with pytest.raises(ValueError, match=r"upstream\[1\]"):
        ClaimSet.build(DOC, MASTER, inventory={}, upstream=["ab" * 32, "AB" * 32])
