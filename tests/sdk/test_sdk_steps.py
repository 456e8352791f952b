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
