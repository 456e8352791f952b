"""One vocabulary of verification steps: every step any code raises is an ``sdk.Step``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sdk import DISCLOSURE_STEPS, ISSUER_STEPS, RECEIPT_STEPS, Step
from sdk.errors import VerificationError

ROOT = Path(__file__).resolve().parents[2]


def _raised_step_literals() -> list[tuple[str, str]]:
    """(where, text) for each ``VerificationError("<literal>", …)`` in the packages."""
    out = []
    for top in ("anchors", "sdk", "node", "demo_chain"):
        for path in sorted((ROOT / top).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "VerificationError"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    out.append((f"{path.relative_to(ROOT)}:{node.lineno}", str(node.args[0].value)))
    return out


def test_every_literal_step_in_the_code_is_in_the_vocabulary() -> None:
    found = _raised_step_literals()
    assert len(found) > 50  # the scan sees the code
    unknown = [(where, text) for where, text in found if text not in set(Step)]
    assert unknown == []


def test_step_orders_used_by_reports() -> None:
    assert RECEIPT_STEPS[:2] == (Step.RECEIPT_SCHEMA, Step.STATEMENT_SCHEMA)
    assert set(ISSUER_STEPS) <= set(RECEIPT_STEPS)
    assert RECEIPT_STEPS[-len(ISSUER_STEPS) :] == ISSUER_STEPS
    assert DISCLOSURE_STEPS[-1] is Step.DISCLOSURE_SUBJECT
    assert len({*RECEIPT_STEPS, *DISCLOSURE_STEPS}) == len(RECEIPT_STEPS) + len(DISCLOSURE_STEPS)


def test_an_error_carries_a_step_and_refuses_an_unknown_one() -> None:
    err = VerificationError("receipt.anchor", "why")
    assert err.step is Step.RECEIPT_ANCHOR
    # a Step is a str: it equals its text (mypy sees two unrelated literals)
    assert err.step == "receipt.anchor"  # type: ignore[comparison-overlap]
    assert str(err) == "receipt.anchor: why"
    with pytest.raises(ValueError, match=r"add it to sdk\.Step"):
        VerificationError("reciept.anchor", "a typo")


def test_the_certifiers_listed_steps_are_steps_of_the_vocabulary() -> None:
    from sdk.roles import CHECK_STEPS

    for listed in CHECK_STEPS:
        for part in listed.name.split(" / "):
            if part.endswith(".*"):
                assert any(s.startswith(part[:-1]) for s in Step), part
            else:
                assert part in set(Step), part
    # every step the certifier's own code raises is covered by one listed step
    raised = {text for where, text in _raised_step_literals() if "_certifier.py" in where}
    raised |= {"rollup.factors", "rollup.lineage", "rollup.recompute", "meter.batch", "ets.data"}
    uncovered = [s for s in raised if not any(c.covers(s) for c in CHECK_STEPS)]
    assert uncovered == []


def test_certifier_step_statuses_after_a_pass_and_a_failure() -> None:
    from sdk.roles import CHECK_STEPS, check_step_statuses

    passed = check_step_statuses()
    assert [status for _, status in passed].count("passed") == len(CHECK_STEPS) - 1
    assert dict((s.name, status) for s, status in passed)["rollup.commitments"] == (
        "not applicable"
    )
    failed = dict((s.name, status) for s, status in check_step_statuses(failed="upstream.anchor"))
    assert failed["leaf"] == failed["signature"] == "passed"
    assert failed["upstream.*"] == "failed"
    assert failed["rollup.lineage"] == failed["meter.* / ets.*"] == "not run"
    assert check_step_statuses(failed="claims.subject")[4][1] == "failed"
    assert {status for _, status in check_step_statuses(failed="arguments")} == {"not run"}
