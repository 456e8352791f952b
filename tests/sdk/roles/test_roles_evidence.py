"""The label evidence bundle (docs/evidence.md) and the pure audit over it: no chain, no
node; the bundles come from the vector generator's fixed world."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from sdk.errors import EvidenceError
from sdk.roles import (
    AnchorEvidence,
    AuditCheck,
    CheckStatus,
    Fetched,
    LabelEvidence,
    SupersedingEvidence,
    audit_label,
)
from tests.vectors.generate import (
    AT,
    attest,
    committed_suppliers,
    label_evidence,
    leader_attestation,
    rollup_evidence,
)

EVIDENCE = label_evidence(attest("target"))


def test_json_round_trip_is_exact() -> None:
    text = EVIDENCE.to_json()
    again = LabelEvidence.from_json(text)
    assert again == EVIDENCE
    assert again.to_json() == text
    assert json.loads(text)["type"] == "tanji.label-evidence"
    assert audit_label(again, AT).verdict == "valid"


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d.update(version=3), "version"),
        (lambda d: d.update(version=2), "missing rollup"),
        (
            lambda d: d.update(version=2, rollup={"proof": None, "lines": [{}], "error": None}),
            "rollup.lines[0]",
        ),
        (lambda d: d.pop("anchor"), "anchor"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d["source"].update(block=-1), "source.block"),
        (lambda d: d["label"]["record"].update(leafHash="AB" * 32), "leafHash"),
        (lambda d: d["issuer"]["roles"][0].update(role="OWNER"), "roles[0].role"),
        (lambda d: d["issuer"]["signingKeys"][0].update(publicKey="AAAA"), "publicKey"),
        (lambda d: d["anchor"]["inclusionProof"].append("x"), "inclusionProof"),
        (lambda d: d["disclosure"].update(given="yes"), "given"),
        (lambda d: d.update(labelId="0x1234"), "label id"),
    ],
)
def test_malformed_bundles_name_the_field(edit: Any, field: str) -> None:
    doc = EVIDENCE.to_dict()
    edit(doc)
    with pytest.raises(EvidenceError, match=re.escape(field)):
        LabelEvidence.from_dict(doc)


def test_not_json_is_an_evidence_error() -> None:
    with pytest.raises(EvidenceError, match=r"not a tanji\.label-evidence file"):
        LabelEvidence.from_json('{"type": 1.5}')
    with pytest.raises(EvidenceError):
        LabelEvidence.from_json("[]")


def test_protocol_objects_stay_as_served_and_fail_their_check() -> None:
    # A bundle is parsed strictly, but the statement and disclosure inside are kept as the
    # node served them: a malformed one fails the check that reads it, not the parse.
    doc = EVIDENCE.to_dict()
    doc["leaf"]["signedStatement"] = {"statement": "garbage"}
    report = audit_label(LabelEvidence.from_dict(doc), AT)
    assert report.failed is not None
    assert report.failed.check is AuditCheck.LEAF
    doc = copy.deepcopy(EVIDENCE.to_dict())
    doc["disclosure"]["disclosure"]["claims"][0]["value"] = "999.9"
    assert audit_label(LabelEvidence.from_dict(doc), AT).verdict == "invalid (disclosure)"


def statuses(evidence: LabelEvidence) -> dict[str, CheckStatus]:
    return {r.check.step: r.status for r in audit_label(evidence, AT).results}


def test_missing_parts_fail_their_check_and_skip_what_depends_on_them() -> None:
    no_label = LabelEvidence(EVIDENCE.label_id, EVIDENCE.source, None, label_error="gone")
    assert set(statuses(no_label).values()) == {CheckStatus.FAILED, CheckStatus.SKIPPED}
    assert audit_label(no_label, AT).failed.reason == "gone"  # type: ignore[union-attr]

    no_leaf = replace(EVIDENCE, leaf=Fetched(None, "the node has no entry 3"))
    got = statuses(no_leaf)
    assert got["leaf"] is CheckStatus.FAILED
    assert got["anchor"] is got["signature"] is CheckStatus.SKIPPED

    no_anchor = replace(EVIDENCE, anchor=AnchorEvidence(None, None, "never anchored"))
    got = statuses(no_anchor)
    assert got["anchor"] is CheckStatus.FAILED
    assert got["signature"] is CheckStatus.SKIPPED
    assert got["match"] is CheckStatus.PASSED

    unscanned = replace(EVIDENCE, superseding=SupersedingEvidence(None, error="node down"))
    assert audit_label(unscanned, AT).verdict == "valid with warnings"


def test_the_audit_is_a_function_of_the_bundle_and_the_time() -> None:
    label = EVIDENCE.label
    assert label is not None
    assert audit_label(EVIDENCE, AT).to_dict() == audit_label(EVIDENCE, AT).to_dict()
    later = AT + timedelta(days=800)
    assert audit_label(EVIDENCE, later).verdict == "invalid (label)"
    with pytest.raises(ValueError, match="naive"):
        audit_label(EVIDENCE, AT.replace(tzinfo=None))


# ------------------------------------------------------------------ check 9 over a bundle


def _rollup_doc() -> dict[str, Any]:
    suppliers = committed_suppliers()
    return rollup_evidence(leader_attestation(suppliers), suppliers).to_dict()


def _check_9(doc: dict[str, Any]) -> tuple[CheckStatus, str]:
    result = audit_label(LabelEvidence.from_dict(doc), AT).result(AuditCheck.ROLLUP_COMMITMENTS)
    return result.status, result.reason


@pytest.mark.parametrize("value", ["", "95.5 ", "７5.5", "95e0", "NaN"])
def test_check_9_reads_the_label_value_as_check_7_does(value: str) -> None:
    """A label value that is not a plain ASCII decimal fails check 9 (it used to reach
    Decimal(), which read "７5.5" and "95e0" and raised on the rest, stopping the audit)."""
    doc = _rollup_doc()
    doc["label"]["record"]["value"] = value
    status, reason = _check_9(doc)
    assert status is CheckStatus.FAILED
    assert reason == f"label value is not a decimal: {value!r}"


def test_check_9_fails_an_upstream_anchor_without_its_inclusion_proof() -> None:
    doc = _rollup_doc()
    assert _check_9(doc)[0] is CheckStatus.PASSED
    doc["rollup"]["lines"][1]["anchor"]["inclusionProof"] = None
    status, reason = _check_9(doc)
    assert status is CheckStatus.FAILED
    assert re.fullmatch(r"upstream [0-9a-f]{16}…: anchor: the evidence holds no .*", reason)
