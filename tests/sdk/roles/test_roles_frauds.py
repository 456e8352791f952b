"""Every fraud of issue 5, attempted for real against the chain and the node, and caught
with the failing step named. Tests share one honest run (``stage``); the rewritten
history gets a run of its own (``private_stage``), because it leaves the node's log
inconsistent with the chain on purpose."""

from __future__ import annotations

import copy
import dataclasses
import os
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from anchors.errors import TransactionReverted
from demo_chain import publish_understated
from demo_chain._data import LEADER_PRODUCT, ORG_BY_KEY, PRODUCT_BY_KEY, hand_calculation
from demo_chain._history import restore_leaf, rewrite_leaf
from demo_chain._scenario import Stage, build_inventory
from sdk import Disclosure, create_attestation, product_id_digest
from sdk.errors import VerificationError
from sdk.footprint import roll_up
from sdk.registry import RevocationReason, Role
from sdk.roles import (
    LABEL_POINTERS,
    PUBLIC_POINTERS,
    UPSTREAM_POINTERS,
    AuditCheck,
    Auditor,
    AuditReport,
    CheckStatus,
    LabelEvidence,
    Leader,
    Published,
    audit_label,
    label_unit,
)
from sdk.zk import ZkInputError, prove_rollup, scale_total
from tests.sdk.roles._forge import with_subject

VALUE = "/pcf/pcfExcludingBiogenicUptake"


def leader_published(stage: Stage) -> Published:
    return stage.cast.leader("oem").published[stage.certificate.disclosure.attestation_id]


def certifier_refusal(
    stage: Stage,
    *,
    subject: str | None = None,
    footprint: dict[str, Any] | None = None,
    extra_upstream: tuple[Disclosure, ...] = (),
) -> VerificationError:
    """Publish (below the role API) the leader's labelled attestation rebuilt with the
    given footprint and extra upstream disclosures (and, with ``subject``, a statement
    whose subject commits to that product id instead), grant it to the certifier, anchor
    it, and return the certifier's refusal."""
    oem = stage.cast.leader("oem")
    opened = leader_published(stage).attestation
    certifier_org = stage.world.orgs["certifier"].org_id
    attestation = create_attestation(
        oem.keys,
        footprint=opened.content.footprint if footprint is None else footprint,
        inventory=opened.content.inventory,
        now=stage.world.clock(),
        upstream_disclosures=[*(s.disclosure for s in stage.supplied.values()), *extra_upstream],
    )
    if subject is not None:
        attestation = with_subject(attestation, oem.keys, subject)
    grant = attestation.grant(certifier_org, oem.encryption_key_of(certifier_org))
    oem.node.publish(
        attestation.signed_statement.to_dict(), attestation.envelope.to_dict(), [grant.to_dict()]
    )
    stage.world.anchor_now()
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(attestation.attestation_id)
    return info.value


def rogue_label(stage: Stage, pub: Published, value: str) -> str:
    """A label issued straight on chain by the certifier's account, skipping its checks,
    with a genuine public disclosure of the attestation published on the node."""
    certifier = stage.cast.certifier
    disclosure = pub.attestation.disclose(LABEL_POINTERS)
    label_id = os.urandom(32)
    stage.world.labels.issue(
        label_id=label_id,
        product_id_digest=product_id_digest(pub.product_id),
        log_id=pub.log_id,
        leaf_index=pub.index,
        leaf_hash=pub.attestation.signed_statement.leaf_hash,
        value=value,
        unit=label_unit("piece", "1"),
        grade="",
        standard="GB/T 24067-2024",
        disclosure_digest=disclosure.digest,
        sender=certifier.account,
    )
    hex_id = "0x" + label_id.hex()
    certifier.node.put_label_disclosure(hex_id, disclosure.to_dict())
    return hex_id


def republish(stage: Stage, *, panel_value: Decimal | None = None, **kwargs: object) -> Published:
    """The OEM publishes its notebook footprint again, granted to the certifier."""
    oem = stage.cast.leader("oem")
    spec = PRODUCT_BY_KEY[LEADER_PRODUCT]
    bom = []
    for c in spec.components:
        line = Leader.bom_line(stage.supplied[c.product], line_id=c.line_id, quantity=c.quantity)
        if panel_value is not None and c.product == "display_panel":
            line = dataclasses.replace(line, supplier_pcf=panel_value)
        bom.append(line)
    inventory = build_inventory(spec, ORG_BY_KEY["oem"], bom, stage.world.clock())
    return oem.publish(
        roll_up(inventory).footprint,
        inventory,
        [stage.world.orgs["certifier"].org_id],
        upstream=[s.disclosure for s in stage.supplied.values()],
        **kwargs,  # type: ignore[arg-type]
    )


def failed(report: AuditReport) -> tuple[str, str]:
    assert report.failed is not None, report.to_text()
    return report.failed.check.step, report.failed.reason


# ------------------------------------------------------------------ honest path


def test_honest_label_verifies_and_shows_only_the_disclosed_claims(stage: Stage) -> None:
    report = stage.report
    assert report.ok, report.to_text()
    assert [r.status for r in report.results] == [CheckStatus.PASSED] * 9
    rollup = report.result(AuditCheck.ROLLUP_COMMITMENTS).reason
    assert "6 line(s) from 6 anchored supplier attestation(s)" in rollup
    assert set(report.disclosed) == set(PUBLIC_POINTERS)
    assert report.disclosed[VALUE] == "241.997"
    assert report.disclosed["/productIds/0"] == PRODUCT_BY_KEY[LEADER_PRODUCT].product_id
    assert report.attestation_id == stage.certificate.disclosure.attestation_id


def test_roll_up_checked_against_the_hand_calculation(stage: Stage) -> None:
    hand = hand_calculation()
    assert stage.rolled.result.total == hand[LEADER_PRODUCT] == Decimal("241.9971")
    assert stage.rolled.result.pcf == Decimal("241.997")
    assert stage.certificate.label.value == "241.997"
    for key, value in stage.pcf.items():
        assert value == hand[key].quantize(Decimal("0.001")), key
    assert len(stage.rolled.upstream) == 6


def test_unknown_label_fails_at_the_first_step(stage: Stage) -> None:
    report = stage.cast.auditor.verify_label("0x" + "11" * 32)
    assert failed(report)[0] == "label"
    assert all(r.status is CheckStatus.SKIPPED for r in report.results[1:])


def test_naive_time_is_refused(stage: Stage) -> None:
    with pytest.raises(ValueError, match="naive"):
        stage.cast.auditor.verify_label_at(
            stage.certificate.label_id, at=stage.world.clock().replace(tzinfo=None)
        )


# ------------------------------------------------------------------ the frauds


def test_label_value_lower_than_attested(stage: Stage) -> None:
    label_id = rogue_label(stage, leader_published(stage), "199.000")
    step, reason = failed(stage.cast.auditor.verify_label(label_id))
    assert step == "match"
    assert "199.000" in reason
    assert "241.997" in reason


def test_public_disclosure_altered(stage: Stage) -> None:
    doc = stage.certificate.disclosure.to_dict()
    for claim in doc["claims"]:
        if claim["pointer"] == VALUE:
            claim["value"] = "180.000"
    report = stage.cast.auditor.verify_label(stage.certificate.label_id, disclosure=doc)
    step, reason = failed(report)
    assert step == "disclosure"
    assert "altered" in reason
    assert report.disclosed == {}


def test_label_expired(stage: Stage) -> None:
    label = stage.certificate.label
    expiry = stage.world.clock() + timedelta(days=731)
    assert expiry.timestamp() > label.valid_until
    step, reason = failed(stage.cast.auditor.verify_label(stage.certificate.label_id, at=expiry))
    assert step == "label"
    assert reason.startswith("expired")


def test_label_revoked(stage: Stage) -> None:
    label_id = rogue_label(stage, leader_published(stage), "241.997")
    before = stage.world.clock()
    assert stage.cast.auditor.verify_label(label_id, at=before).ok
    stage.cast.certifier.revoke(bytes.fromhex(label_id[2:]), "surveillance audit failed")
    step, reason = failed(stage.cast.auditor.verify_label(label_id))
    assert step == "label"
    assert "revoked" in reason
    assert "surveillance audit failed" in reason


def test_leader_used_an_upstream_value_other_than_attested(stage: Stage) -> None:
    tampered = republish(stage, panel_value=Decimal(60))
    stage.world.anchor_now()
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(tampered.attestation_id)
    assert info.value.step == "rollup.lineage"
    assert "bom-display" in info.value.reason
    assert "uses 60" in info.value.reason
    assert "attested 75.000" in info.value.reason


def test_leader_edited_an_upstream_disclosure(stage: Stage) -> None:
    # Editing the carried disclosure itself cannot help: it no longer verifies against the
    # supplier's signed commitment.
    oem = stage.cast.leader("oem")
    edited = []
    for s in stage.supplied.values():
        doc = s.disclosure.to_dict()
        if s.product_id == PRODUCT_BY_KEY["display_panel"].product_id:
            for claim in doc["claims"]:
                if claim["pointer"] == VALUE:
                    claim["value"] = "60.000"
        edited.append(doc)
    spec = PRODUCT_BY_KEY[LEADER_PRODUCT]
    inventory = build_inventory(
        spec, ORG_BY_KEY["oem"], stage.rolled.inventory.bom, stage.world.clock()
    )
    pub = oem.publish(
        roll_up(inventory).footprint,
        inventory,
        [stage.world.orgs["certifier"].org_id],
        upstream=[Disclosure.from_dict(d) for d in edited],
    )
    stage.world.anchor_now()
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(pub.attestation_id)
    assert info.value.step == "upstream.disclosure"
    assert "commitment" in info.value.reason


def test_attestation_never_anchored(stage: Stage) -> None:
    fresh = republish(stage)
    label_id = rogue_label(stage, fresh, "241.997")
    report = stage.cast.auditor.verify_label(label_id)
    step, reason = failed(report)
    assert step == "anchor"
    assert "never anchored" in reason
    assert report.result(AuditCheck.SIGNATURE).status is CheckStatus.SKIPPED
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(fresh.attestation_id)
    assert info.value.step == "anchor"
    stage.world.anchor_now()
    assert stage.cast.auditor.verify_label(label_id).ok


def test_key_revoked_before_the_attestation_was_anchored(stage: Stage) -> None:
    org = stage.world.orgs["cells"]
    cells = stage.cast.suppliers["cells"]
    spec = PRODUCT_BY_KEY["cell"]
    inventory = build_inventory(spec, ORG_BY_KEY["cells"], [], stage.world.clock())
    pub = cells.publish(roll_up(inventory).footprint, inventory)
    stage.world.participants.revoke_key(
        org.org_id,
        bytes(org.keys.verify_key),
        RevocationReason.KEY_COMPROMISE,
        sender=org.account,
    )
    stage.world.anchor_now()
    label_id = rogue_label(stage, pub, "1.300")
    step, reason = failed(stage.cast.auditor.verify_label(label_id))
    assert step == "signature"
    assert reason.startswith("key.validity: ")
    assert "was revoked at" in reason
    assert "the trusted (anchoring) time" in reason


def test_issuer_no_longer_a_certifier(stage: Stage) -> None:
    world = stage.world
    certifier = world.orgs["certifier"].org_id
    world.participants.revoke_role(certifier, Role.CERTIFIER, sender=world.registrar)
    try:
        step, reason = failed(stage.cast.auditor.verify_label(stage.certificate.label_id))
        assert step == "issuer"
        assert "CERTIFIER" in reason
    finally:
        world.participants.grant_role(certifier, Role.CERTIFIER, sender=world.registrar)


def test_superseded_attestation_is_a_warning(stage: Stage) -> None:
    newer = republish(stage, supersedes=leader_published(stage).attestation_id)
    stage.world.anchor_now()
    report = stage.cast.auditor.verify_label(stage.certificate.label_id)
    assert report.ok, report.to_text()
    assert report.verdict == "valid with warnings"
    warning = report.result(AuditCheck.SUPERSEDED)
    assert warning.status is CheckStatus.WARNED
    assert newer.attestation_id[:16] in warning.reason


def test_log_operator_rewrote_history(private_stage: Stage) -> None:
    stage = private_stage
    world = stage.world
    head = world.anchors.latest("tanji-demo")
    assert head is not None
    panel = stage.supplied["display_panel"].attestation_id
    index, true_leaf = rewrite_leaf(world, panel)
    glass = stage.cast.suppliers["glass"]
    spec = PRODUCT_BY_KEY["glass_substrate"]
    inventory = build_inventory(spec, ORG_BY_KEY["glass"], [], world.clock())
    glass.publish(roll_up(inventory).footprint, inventory)
    with pytest.raises(TransactionReverted, match="InconsistentHead"):
        world.anchor_now()
    assert world.anchors.latest("tanji-demo") == head
    step, reason = failed(stage.cast.auditor.verify_label(stage.certificate.label_id))
    assert step == "anchor"
    assert "inconsistent with the chain" in reason
    # The demo puts the true entry back before it leaves its node serving: the label
    # verifies again and the log anchors on.
    restore_leaf(world, panel, true_leaf)
    assert stage.cast.auditor.verify_label(stage.certificate.label_id).ok
    assert world.anchor_now() > head.size
    assert index < head.size


def test_statement_about_another_product_than_the_footprint(stage: Stage) -> None:
    # Built below the role API: the statement's subject commits to another product id
    # than the footprint's, so a label would name a product the attestation is not about.
    refusal = certifier_refusal(stage, subject="urn:tanji:product:91110108:zb-14-other")
    assert refusal.step == "claims.subject"


def test_leader_divided_an_upstream_value_by_a_declared_amount_not_attested(stage: Stage) -> None:
    # The panel maker attests its value per 1 piece; the leader's BOM line claims the value
    # is per 10 pieces, dividing the panel's emissions by ten with value and unit unchanged.
    oem = stage.cast.leader("oem")
    spec = PRODUCT_BY_KEY[LEADER_PRODUCT]
    bom = []
    for c in spec.components:
        line = Leader.bom_line(stage.supplied[c.product], line_id=c.line_id, quantity=c.quantity)
        if c.product == "display_panel":
            assert line.supplier_declared_amount == 1
            line = dataclasses.replace(line, supplier_declared_amount=Decimal(10))
        bom.append(line)
    inventory = build_inventory(spec, ORG_BY_KEY["oem"], bom, stage.world.clock())
    pub = oem.publish(
        roll_up(inventory).footprint,
        inventory,
        [stage.world.orgs["certifier"].org_id],
        upstream=[s.disclosure for s in stage.supplied.values()],
    )
    stage.world.anchor_now()
    with pytest.raises(VerificationError) as info:
        stage.cast.certifier.check(pub.attestation_id)
    assert info.value.step == "rollup.lineage"
    assert "bom-display" in info.value.reason


@pytest.mark.parametrize(
    ("field", "bad"), [("declaredUnitAmount", "one"), ("pcfExcludingBiogenicUptake", "sNaN")]
)
def test_label_over_a_disclosed_number_that_is_not_a_decimal_fails_at_match(
    stage: Stage, field: str, bad: str
) -> None:
    # A label issued straight on chain for an attestation (built below the role API) whose
    # declared unit amount or value is not a decimal number: the audit reports the match
    # check failing instead of raising.
    oem = stage.cast.leader("oem")
    opened = leader_published(stage).attestation
    footprint = copy.deepcopy(opened.content.footprint)
    pcf = footprint["pcf"]
    assert isinstance(pcf, dict)
    pcf[field] = bad
    product_id = PRODUCT_BY_KEY[LEADER_PRODUCT].product_id
    attestation = create_attestation(
        oem.keys,
        product_id=product_id,
        footprint=footprint,
        inventory=opened.content.inventory,
        now=stage.world.clock(),
    )
    result = oem.node.publish(
        attestation.signed_statement.to_dict(), attestation.envelope.to_dict(), []
    )
    stage.world.anchor_now()
    pub = Published(attestation, str(result["logId"]), int(result["index"]), product_id)
    report = stage.cast.auditor.verify_label(rogue_label(stage, pub, "241.997"))
    step, reason = failed(report)
    assert step == "match"
    assert bad in reason


def test_leader_footprint_value_that_is_not_a_decimal_is_a_named_step(stage: Stage) -> None:
    # Built below the role API: the footprint's PCF value is not a number. The certifier
    # refuses it at a named step instead of raising decimal.InvalidOperation.
    footprint = copy.deepcopy(leader_published(stage).attestation.content.footprint)
    pcf = footprint["pcf"]
    assert isinstance(pcf, dict)
    pcf["pcfExcludingBiogenicUptake"] = "lots"
    refusal = certifier_refusal(stage, footprint=footprint)
    assert refusal.step == "rollup.inventory"
    assert "pcfExcludingBiogenicUptake" in refusal.reason


def test_upstream_value_that_is_not_a_decimal_is_a_named_step(stage: Stage) -> None:
    # Built below the role API: a supplier attests a PCF value that is not a number and
    # the leader carries its disclosure. The certifier refuses it at upstream.disclosure
    # instead of raising decimal.InvalidOperation.
    glass = stage.cast.suppliers["glass"]
    spec = PRODUCT_BY_KEY["glass_substrate"]
    inventory = build_inventory(spec, ORG_BY_KEY["glass"], [], stage.world.clock())
    footprint = roll_up(inventory).footprint.to_dict()
    footprint["pcf"]["pcfExcludingBiogenicUptake"] = "lots"
    odd = create_attestation(
        glass.keys,
        product_id=spec.product_id,
        footprint=footprint,
        inventory=inventory.to_dict(),
        now=stage.world.clock(),
    )
    glass.node.publish(odd.signed_statement.to_dict(), odd.envelope.to_dict(), [])
    refusal = certifier_refusal(stage, extra_upstream=(odd.disclose(UPSTREAM_POINTERS),))
    assert refusal.step == "upstream.disclosure"
    assert "lots" in refusal.reason


class _MalformedAfter:
    """The public node, except that it serves a malformed entry after leaf ``index``."""

    def __init__(self, node: Any, index: int) -> None:
        self._node = node
        self._index = index

    def __getattr__(self, name: str) -> Any:
        return getattr(self._node, name)

    def entries(self, start: int, end: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = self._node.entries(start, end)
        for entry in out:
            if entry["index"] > self._index:
                entry["signedStatement"] = {"statement": "garbage"}
        return out


def test_a_scan_for_newer_attestations_that_fails_is_a_warning_not_a_failure(
    stage: Stage,
) -> None:
    # Check 8 is a warning (DESIGN.md §6.5): a log the auditor cannot scan for superseding
    # attestations leaves a valid label valid, with the warning saying why.
    republish(stage)  # one entry after the labelled leaf
    auditor = stage.cast.auditor
    node = _MalformedAfter(auditor.node, leader_published(stage).index)
    report = Auditor(
        node=node,
        participants=auditor.participants,
        labels=auditor.labels,
        anchors=auditor.anchors,
        clock=stage.world.clock,
    ).verify_label(stage.certificate.label_id)
    assert report.ok, report.to_text()
    warning = report.result(AuditCheck.SUPERSEDED)
    assert warning.status is CheckStatus.WARNED
    assert "could not scan" in warning.reason


# ------------------------------------------------------------------ committed roll-up


def test_certification_works_without_upstream_disclosures(stage: Stage) -> None:
    oem = stage.cast.leader("oem")
    certifier_id = stage.world.orgs["certifier"].org_id
    pub = oem.publish_rollup(stage.rolled, [certifier_id], disclose_upstream=False)
    assert pub.attestation.content.upstream_disclosures == ()
    assert pub.attestation.rollup_proof is not None
    stage.world.anchor_now()
    check = stage.cast.certifier.check(pub.attestation_id)
    assert check.rollup_commitments
    assert check.upstream == ()  # no supplier value was read from a disclosure
    assert check.recomputed == check.claimed == stage.rolled.result.pcf


def test_label_value_checked_against_six_hidden_supplier_values_offline(stage: Stage) -> None:
    """From the saved bundle alone: the public proof names six anchored supplier
    attestations; no supplier value appears in it. A line made lighter fails."""
    evidence = stage.cast.auditor.collect_evidence(stage.certificate.label_id)
    saved = LabelEvidence.from_json(evidence.to_json())
    assert saved.to_dict()["version"] == 2
    assert saved.rollup is not None
    assert len(saved.rollup.lines) == 6
    report = audit_label(saved, stage.report.checked_at)
    assert report.result(AuditCheck.ROLLUP_COMMITMENTS).status is CheckStatus.PASSED
    text = saved.to_json()
    for supplied in stage.supplied.values():
        assert f'"{supplied.value}"' not in text, supplied.value
    doc = saved.to_dict()
    line = doc["rollup"]["proof"]["lines"][0]
    line["quantity"] = str(int(line["quantity"]) - 1)
    step, reason = failed(audit_label(LabelEvidence.from_dict(doc), stage.report.checked_at))
    assert step == "rollup.commitments"
    assert reason.startswith("rollup.sum:"), reason


def test_understating_leader_is_caught_at_rollup_commitments(stage: Stage) -> None:
    """The role API refuses to prove a value below Σ q_i·v_i; a leader that forges the
    proof (own term negative) gets it logged, and a rogue label over it fails at
    rollup.commitments (rangeproof.bit); the certifier refuses it too."""
    oem = stage.cast.leader("oem")
    with pytest.raises(ZkInputError, match="below the weighted sum") as refused:
        prove_rollup(
            oem.committed_upstream(stage.rolled),
            declared_total=scale_total("221.997"),
            context=b"any",
            rng=os.urandom,
        )
    assert refused.value.step == "rollup.own"
    pub = publish_understated(oem, stage.rolled, by=Decimal(20), rng=os.urandom)
    stage.world.anchor_now()
    label_id = rogue_label(stage, pub, "221.997")
    step, reason = failed(stage.cast.auditor.verify_label(label_id))
    assert step == "rollup.commitments"
    assert reason.startswith("rangeproof.bit:"), reason
