"""Factor sets as public attestations: an industry association publishes, anyone fetches
and verifies, a leader cites the set, and the certifier checks the leader's factors
against the anchored original (real chain, node over HTTP, SQLite)."""

from __future__ import annotations

import copy
import dataclasses
import os
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from demo_chain._data import ASSOCIATION
from demo_chain._scenario import Stage
from sdk import OrgKeys, create_attestation
from sdk.client import NodeClient
from sdk.errors import VerificationError
from sdk.footprint import FactorSet, default_factor_set, roll_up
from sdk.roles import (
    FactorPublisher,
    PublishedFactorSet,
    factor_set_document,
    factor_set_from_claims,
    factor_set_subject,
    fetch_public_factor_set,
)

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def _altered(factor_set: FactorSet, factor_id: str, value: str) -> FactorSet:
    factors = tuple(
        dataclasses.replace(f, value=Decimal(value)) if f.id == factor_id else f
        for f in factor_set.factors
    )
    return dataclasses.replace(factor_set, factors=factors)


def _association(stage: Stage) -> str:
    return stage.world.orgs[ASSOCIATION].org_id


def test_anyone_fetches_and_verifies_the_published_set(stage: Stage) -> None:
    world = stage.world
    published = stage.factor_set
    assert isinstance(published, PublishedFactorSet)
    fetched = fetch_public_factor_set(
        world.public_node(),
        published.attestation_id,
        anchors=world.anchors,
        participants=world.participants,
        expected_id="tanji-cn-default@2025.1",
        publishers={_association(stage)},
    )
    assert fetched == default_factor_set()
    assert factor_set_subject(fetched) == "urn:tanji:factorset:tanji-cn-default@2025.1"
    statement = published.attestation.signed_statement.statement
    assert published.disclosure.claim_count == statement.claim_count
    assert len(published.disclosure.claims) == statement.claim_count


def test_the_leader_cites_the_set_and_the_certifier_checks_it(stage: Stage) -> None:
    assert stage.rolled.inventory.factor_set_attestation == stage.factor_set.attestation_id
    check = stage.cast.certifier.check(stage.certificate.disclosure.attestation_id)
    assert check.factor_set_attestation == stage.factor_set.attestation_id
    assert check.factor_set_id == "tanji-cn-default@2025.1"


def _publish_and_anchor(stage: Stage, inventory: Any) -> str:
    oem = stage.cast.leader("oem")
    rolled = oem.roll_up(inventory, list(stage.supplied.values()))
    pub = oem.publish_rollup(rolled, [stage.world.orgs["certifier"].org_id])
    stage.world.anchor_now()
    return pub.attestation_id


def test_a_leader_that_altered_a_factor_value_is_caught(stage: Stage) -> None:
    inventory = stage.rolled.inventory
    grid = next(f for f in inventory.factors if f.category == "electricity")
    lowered = dataclasses.replace(grid, value=grid.value / 2)
    factors = tuple(lowered if f.id == grid.id else f for f in inventory.factors)
    tampered = dataclasses.replace(inventory, factors=factors)
    # The leader's own numbers are consistent: only the factor differs from the set.
    assert roll_up(tampered).pcf < roll_up(inventory).pcf
    attestation_id = _publish_and_anchor(stage, tampered)
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(attestation_id)
    assert info.value.step == "rollup.factors"
    assert grid.id in info.value.reason


def test_a_set_published_by_the_leader_itself_is_refused(stage: Stage) -> None:
    """The leader publishes its own "factor set" with a lower grid factor and cites it."""
    world = stage.world
    inventory = stage.rolled.inventory
    grid = next(f for f in inventory.factors if f.category == "electricity")
    own_set = _altered(default_factor_set(), grid.id, str(grid.value / 2))
    oem = world.orgs["oem"]
    publisher = FactorPublisher(
        oem.keys, node=oem.node, participants=world.participants, clock=world.clock
    )
    own = publisher.publish_factor_set(own_set)
    snapshot = tuple(own_set.get(f.id) for f in inventory.factors)
    tampered = dataclasses.replace(
        inventory,
        factors=snapshot,
        factor_set_digest=own_set.digest(),
        factor_set_attestation=own.attestation_id,
    )
    attestation_id = _publish_and_anchor(stage, tampered)
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(attestation_id)
    assert info.value.step == "rollup.factors"
    assert "factorset.issuer" in info.value.reason


def test_not_public_and_not_anchored_are_refused(stage: Stage) -> None:
    world = stage.world
    public = world.public_node()
    leader_attestation = stage.certificate.disclosure.attestation_id
    with pytest.raises(VerificationError) as not_public:
        fetch_public_factor_set(public, leader_attestation)
    assert not_public.value.step == "factorset.fetch"

    newer = stage.cast.association.publish_factor_set(
        dataclasses.replace(default_factor_set(), version="2026.1"),
        supersedes=stage.factor_set.attestation_id,
    )
    # Readable and verifiable at once; but not yet anchored on chain.
    fetched = fetch_public_factor_set(public, newer.attestation_id)
    assert fetched.id == "tanji-cn-default@2026.1"
    with pytest.raises(VerificationError) as unanchored:
        fetch_public_factor_set(public, newer.attestation_id, anchors=world.anchors)
    assert unanchored.value.step == "factorset.anchor"


class RogueNode:
    """A node that serves an edited public disclosure (everything else is the real node's)."""

    def __init__(self, inner: NodeClient, edit: Any) -> None:
        self._inner = inner
        self._edit = edit

    def statement(self, attestation_id: str) -> dict[str, Any]:
        return self._inner.statement(attestation_id)

    def receipt(self, attestation_id: str) -> dict[str, Any]:
        return self._inner.receipt(attestation_id)

    def inclusion_proof(self, index: int, size: int) -> dict[str, Any]:
        return self._inner.inclusion_proof(index, size)

    def public_disclosure(self, attestation_id: str) -> dict[str, Any]:
        doc = copy.deepcopy(self._inner.public_disclosure(attestation_id))
        self._edit(doc)
        return doc


def _edit_value(doc: dict[str, Any]) -> None:
    claim = next(c for c in doc["claims"] if c["pointer"].endswith("/value"))
    claim["value"] = "0.1"


def _drop_last_factor(doc: dict[str, Any]) -> None:
    doc["claims"] = [
        c for c in doc["claims"] if not c["pointer"].startswith("/factorSet/factors/30")
    ]


@pytest.mark.parametrize("edit", [_edit_value, _drop_last_factor], ids=["value", "dropped"])
def test_an_edited_public_disclosure_is_caught(stage: Stage, edit: Any) -> None:
    rogue = RogueNode(stage.world.public_node(), edit)
    with pytest.raises(VerificationError) as info:
        fetch_public_factor_set(rogue, stage.factor_set.attestation_id)
    assert info.value.step == "factorset.disclosure"


def _claims(document: dict[str, Any]) -> dict[str, Any]:
    org = OrgKeys.from_seed("urn:tanji:org:test-association", bytes(range(32)))
    attestation = create_attestation(
        org, footprint=document, inventory=None, now=NOW, rng=os.urandom
    )
    return attestation.claims.values()


def test_document_checks_are_pure_and_named() -> None:
    factor_set = default_factor_set()
    good = factor_set_document(factor_set)
    assert factor_set_from_claims(_claims(good)) == factor_set

    wrong_digest = {**good, "factorSetDigest": "00" * 32}
    with pytest.raises(VerificationError) as digest:
        factor_set_from_claims(_claims(wrong_digest))
    assert digest.value.step == "factorset.document"
    assert "digest" in digest.value.reason

    other_urn = {**good, "productIds": ["urn:tanji:factorset:other@1"]}
    with pytest.raises(VerificationError) as subject:
        factor_set_from_claims(_claims(other_urn))
    assert subject.value.step == "factorset.document"

    with pytest.raises(VerificationError) as other:
        factor_set_from_claims(_claims({"productIds": ["x"], "pcf": {"a": "1"}}))
    assert other.value.step == "factorset.document"


def test_naive_time_is_refused(stage: Stage) -> None:
    with pytest.raises(ValueError, match="naive"):
        stage.cast.association.publish_factor_set(default_factor_set(), now=datetime(2026, 1, 1))


def test_a_footprint_pulled_over_pact_is_an_unverified_secondary_line(stage: Stage) -> None:
    from sdk.roles import Leader

    inventory = stage.rolled.inventory
    index, cited = next((i, b) for i, b in enumerate(inventory.bom) if b.supplier_attestation_id)
    supplied = next(
        s for s in stage.supplied.values() if s.attestation_id == cited.supplier_attestation_id
    )
    # the same supplier document, as if pulled from its PACT server: no attestation
    line = Leader.unverified_bom_line(
        supplied.footprint, str(supplied.supplier), line_id=cited.line_id,
        quantity=cited.quantity, unit=cited.unit,
    )  # fmt: skip
    assert line.supplier_attestation_id is None
    assert not line.primary
    assert line.description.startswith("UNVERIFIED")
    bom = tuple(line if i == index else b for i, b in enumerate(inventory.bom))
    mixed = dataclasses.replace(inventory, bom=bom)
    assert roll_up(mixed).pcf == roll_up(inventory).pcf
    assert roll_up(mixed).primary_data_share < roll_up(inventory).primary_data_share
    check = stage.cast.certifier.check(_publish_and_anchor(stage, mixed))
    assert [u["lineId"] for u in check.unverified] == [cited.line_id]
    assert check.unverified[0]["supplierProductId"] == supplied.product_id
