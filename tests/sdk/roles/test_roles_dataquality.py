"""Data quality at the source in the certifier (issue 14, phase 2), on the shared honest
run: the meter and market report of the metered suppliers, the refusals the demo does
not show (no meter registry, ETS data from someone else, an override of a passed check,
a certificate for another value), and a suspended label in a saved evidence bundle."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from demo_chain._metering import (
    PANEL_ETS,
    YEAR_OVERRIDE,
    Metering,
    panel_certificate,
    panel_ets_review,
)
from demo_chain._scenario import Stage
from sdk.errors import VerificationError
from sdk.footprint import CheckOverride
from sdk.roles import AuditCheck, CheckStatus, LabelEvidence, audit_label, ets_document


def _metering(stage: Stage) -> Metering:
    assert stage.metering is not None
    return stage.metering


def test_the_metered_suppliers_report_meters_and_market(stage: Stage) -> None:
    panel = stage.supplier_checks["display_panel"].data_quality
    (meter,) = panel.meters
    assert (meter.device_id, meter.line_id, len(meter.verified.readings)) == ("CQ-EM-11", "elec", 3)
    assert meter.amount.declared == Decimal(180)
    assert panel.metered_activity_share == Decimal("71.1")
    assert panel.ets is not None
    assert panel.decision is not None
    assert [c.check for c in panel.ets.flagged] == ["ets.year"]
    assert panel.decision.issuable
    doc = json.loads(json.dumps(panel.to_dict()))
    assert doc["meters"][0]["batch"] == _metering(stage).read["display_panel"].batch_attestation
    assert doc["decision"]["overridden"][0]["override"]["reason"] == YEAR_OVERRIDE
    assert doc["ets"]["publisher"] == PANEL_ETS.org_id
    pack = stage.supplier_checks["battery_pack"].data_quality
    assert pack.ets is None
    assert pack.meters[0].device_id == "SZ-EM-21"
    # The footprint states the share; the label's disclosure would reveal it.
    claims = stage.supplier_checks["display_panel"].opened.claims
    assert any(c.pointer.endswith("/data/meteredActivityShare") for c in claims.claims)


def test_a_certifier_without_the_meter_registry_refuses_a_metered_line(stage: Stage) -> None:
    certifier = stage.cast.certifier
    meters, certifier.meters = certifier.meters, None
    try:
        with pytest.raises(VerificationError) as caught:
            certifier.check(stage.published["display_panel"].attestation_id)
    finally:
        certifier.meters = meters
    assert caught.value.step == "meter.registration"
    assert "reads no meter registry" in caught.value.reason


def test_ets_data_of_the_plant_published_by_another_organisation_is_refused(stage: Stage) -> None:
    certifier = stage.cast.certifier
    forged = stage.cast.leader("oem").publish(
        ets_document(PANEL_ETS), None, [stage.world.orgs["certifier"].org_id]
    )
    stage.world.anchor_now()
    review = panel_ets_review(forged.attestation_id, str(certifier.org_id), certifier.now())
    with pytest.raises(VerificationError) as caught:
        certifier.check(stage.published["display_panel"].attestation_id, ets=review)
    assert caught.value.step == "ets.data"
    assert "neither the reporting organisation" in caught.value.reason


def test_an_override_of_a_check_that_passed_is_refused(stage: Stage) -> None:
    certifier = stage.cast.certifier
    review = panel_ets_review(
        _metering(stage).ets_attestation, str(certifier.org_id), certifier.now()
    )
    wrong = CheckOverride("ets.electricity", "accepted without a flag", str(certifier.org_id),
                          certifier.now())  # fmt: skip
    review = dataclasses.replace(review, overrides=(*review.overrides, wrong))
    with pytest.raises(VerificationError) as caught:
        certifier.check(stage.published["display_panel"].attestation_id, ets=review)
    assert caught.value.step == "ets.data"
    assert "not a flagged check" in caught.value.reason
    # An override must be this certifier's own record.
    (year,) = panel_ets_review(
        _metering(stage).ets_attestation, str(certifier.org_id), certifier.now()
    ).overrides
    foreign = dataclasses.replace(year, by=PANEL_ETS.org_id)
    review = dataclasses.replace(review, overrides=(foreign,))
    with pytest.raises(VerificationError) as caught:
        certifier.check(stage.published["display_panel"].attestation_id, ets=review)
    assert caught.value.step == "ets.data"
    assert "not by this certifier" in caught.value.reason


def test_a_suspended_label_is_suspended_in_its_saved_evidence(stage: Stage) -> None:
    certifier = stage.cast.certifier
    check = stage.supplier_checks["display_panel"]
    certificate = panel_certificate(check, stage.world)
    with pytest.raises(ValueError, match="states"):
        certifier.certify(check, certificate=dataclasses.replace(certificate, pcf_value=Decimal(1)))
    issued = certifier.certify(check, certificate=certificate)
    assert issued.label.certificate_number == certificate.number
    assert issued.label.certificate_digest == certificate.digest()
    assert issued.label.valid_from == int(certificate.valid_from_time.timestamp())
    # The public disclosure reveals the share of activity data from calibrated meters.
    disclosed = {c["pointer"]: c["value"] for c in issued.disclosure.to_dict()["claims"]}
    assert [v for p, v in disclosed.items() if p.endswith("/meteredActivityShare")] == ["71.1"]
    label_id = bytes.fromhex(issued.label_id[2:])
    certifier.suspend(label_id, "surveillance audit pending")
    view = stage.world.public_node().label(issued.label_id)
    assert view["status"] == "suspended"
    assert view["certificateNumber"] == certificate.number
    assert view["suspension"]["reason"] == "surveillance audit pending"
    evidence = stage.cast.auditor.collect_evidence(issued.label_id)
    saved = LabelEvidence.from_json(evidence.to_json())
    assert saved.label == evidence.label
    assert saved.label is not None
    assert saved.label.suspension is not None
    now = datetime.fromtimestamp(saved.source.block_time, UTC)
    report = audit_label(saved, now)
    label_check = report.result(AuditCheck.LABEL)
    assert label_check.status is CheckStatus.FAILED
    assert "suspended at" in label_check.reason
    assert "surveillance audit pending" in label_check.reason
    assert report.to_dict()["label"]["certificate"] == certificate.number
    suspended_at = saved.label.suspensions[0].suspended_at
    before = audit_label(saved, datetime.fromtimestamp(suspended_at, UTC) - timedelta(seconds=1))
    assert before.result(AuditCheck.LABEL).status is CheckStatus.PASSED
    certifier.restore(label_id, "audit closed")
    restored = stage.cast.auditor.verify_label(issued.label_id)
    assert restored.ok, restored.to_text()
    assert "restored at" in restored.result(AuditCheck.LABEL).reason
