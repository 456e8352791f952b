"""Privacy beyond the values (docs/privacy.md): what the public log and a label's public
disclosure let an outsider learn, attacked the way the independent audit did."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime

from sdk import (
    MIN_CLAIM_BUCKET,
    SUBJECT_POINTER,
    Attestation,
    JsonValue,
    OrgKeys,
    create_attestation,
    product_id_digest,
    subject_commitment,
)

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ISSUERS = [
    OrgKeys.from_seed("91350100M000100Y43", hashlib.sha256(b"privacy supplier").digest()),
    OrgKeys.from_seed("91110000802100433B", hashlib.sha256(b"privacy leader").digest()),
]
# The product ids in the log, and the attacker's dictionary: every one of them and more.
PRODUCTS = [
    f"urn:pact:product:tanji-demo:{name}"
    for name in (
        "panel-14",
        "cell-18650",
        "pack-4s",
        "board-b760",
        "ssd-512",
        "chassis-al",
        "adapter-65w",
        "notebook-14",
        "glass-0.5",
        "keyboard-cn",
    )
]
DICTIONARY = [*PRODUCTS, *(f"urn:pact:product:tanji-demo:part-{i}" for i in range(200))]
LABEL_POINTERS = [
    SUBJECT_POINTER,
    "/pcf/pcfExcludingBiogenicUptake",
    "/pcf/declaredUnitOfMeasurement",
    "/pcf/declaredUnitAmount",
]


def seeded(tag: str) -> Callable[[int], bytes]:
    counter = [0]

    def rng(n: int) -> bytes:
        counter[0] += 1
        return hashlib.sha256(f"{tag}:{counter[0]}".encode()).digest()[:n]

    return rng


def footprint(product: str, value: str = "75.0") -> dict[str, JsonValue]:
    return {
        "productIds": [product],
        "pcf": {
            "declaredUnitOfMeasurement": "piece",
            "declaredUnitAmount": "1",
            "pcfExcludingBiogenicUptake": value,
            "referencePeriodStart": "2025-01-01T00:00:00Z",
            "referencePeriodEnd": "2026-01-01T00:00:00Z",
        },
    }


def publish(product: str, upstream: int = 0, lines: int = 2, issuer: int = 0) -> Attestation:
    supplier = create_attestation(
        ISSUERS[0], footprint=footprint(product + "-part"), inventory={}, now=NOW, rng=os.urandom
    )
    return create_attestation(
        ISSUERS[issuer],
        footprint=footprint(product),
        inventory={"bom": [{"line": i, "quantity": "1"} for i in range(lines)]},
        now=NOW,
        upstream_disclosures=[supplier.disclose(LABEL_POINTERS)] * upstream,
        rng=seeded(f"{product}:{upstream}:{lines}"),
    )


def test_a_dictionary_attack_on_the_log_and_a_label_links_no_entry() -> None:
    log = [publish(p, upstream=i % 4, issuer=i % 2) for i, p in enumerate(PRODUCTS)]
    public = [a.signed_statement.to_dict()["statement"] for a in log]
    labelled = log[3]
    disclosure = labelled.disclose(LABEL_POINTERS).to_dict()  # public, with the label
    label_digest = product_id_digest(PRODUCTS[3])  # on chain, with the label
    disclosed = {c["pointer"]: c for c in disclosure["claims"]}
    opened_salt = base64.b64decode(disclosed[SUBJECT_POINTER]["salt"])
    links = set()
    for entry, statement in enumerate(public):
        subject = bytes.fromhex(statement["subjectDigest"])
        for word in DICTIONARY:
            guesses = {
                hashlib.sha256(word.encode()).digest(),  # statement version 1's subject
                subject_commitment(word, opened_salt),  # the label's salt, tried on all
                label_digest,  # the label's public product digest
            }
            if subject in guesses:
                links.add(entry)
    # The labelled entry opens to its own product with its own (published) salt; the
    # product is public by the label's design. Nothing else is linked.
    links.discard(3)
    assert links == set()
    assert subject_commitment(PRODUCTS[3], opened_salt).hex() == public[3]["subjectDigest"]


def test_claim_count_and_envelope_size_reveal_only_their_buckets() -> None:
    shapes = [(upstream, lines) for upstream in range(0, 12, 3) for lines in (1, 5, 20)]
    made = [publish("urn:pact:product:tanji-demo:notebook-14", u, n) for u, n in shapes]
    counts = {a.signed_statement.statement.claim_count for a in made}
    sizes = {len(a.envelope.ciphertext) for a in made}  # ciphertext = bucket + 16-byte tag
    # The public statement (what an outsider sees): 0 to 9 upstream references and 1 to
    # 20 BOM lines, one claim count.
    assert counts == {MIN_CLAIM_BUCKET}
    # The envelope (what the node operator sees): its size bucket, a power of two. The
    # inventory's size shows only to within a factor of two: these BOM lines stay inside
    # one bucket, while each upstream disclosure carried inside weighs about a kilobyte,
    # so the operator can tell "a few suppliers" from "a dozen" (docs/privacy.md).
    assert all((size - 16) & (size - 17) == 0 and size - 16 >= 4096 for size in sizes)
    for upstream in range(0, 12, 3):
        by_lines = {
            len(a.envelope.ciphertext)
            for (u, _), a in zip(shapes, made, strict=True)
            if u == upstream
        }
        assert len(by_lines) == 1, by_lines
    # A label's disclosure of any of them: the same count, proofs of the same length, and
    # the product's index is a position among the bucket's leaves, not a pointer rank.
    disclosures = [a.disclose(LABEL_POINTERS) for a in made]
    assert {d.claim_count for d in disclosures} == counts
    assert {len(c.proof) for d in disclosures for c in d.claims} == {
        (next(iter(counts)) - 1).bit_length()
    }
    positions = {
        next(c.index for c in d.claims if c.pointer == SUBJECT_POINTER) for d in disclosures
    }
    assert len(positions) > 1  # salted leaf-hash order: the same pointer moves
