"""The bundled browser verifier agrees with the Python verifier on every protocol vector
and on every field and byte mutation of the valid one (run under Node.js; the same bundle
runs in Chromium in test_web_browser.py)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from sdk import Step
from sdk._statement import parse_time
from tests.conftest import ROOT
from tests.vectors.generate import expected_outcome
from tests.web.conftest import RunJs

VECTORS = sorted((ROOT / "tests" / "vectors").glob("*.json"))
BROWSER_OPERATIONS = {"verify_attestation", "audit_label"}


def python_outcome(vector: dict[str, Any]) -> dict[str, Any]:
    """What the Python verifier makes of a vector, in the shape of its ``expect``."""
    return expected_outcome(vector)


def test_every_protocol_vector_agrees(run_js: RunJs) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in VECTORS}
    got = run_js({"job": "vectors", "items": texts})
    checked = 0
    for name, text in texts.items():
        vector = json.loads(text)
        if vector["operation"] in BROWSER_OPERATIONS:
            assert got[name] == vector["expect"], name
            checked += 1
        else:  # opening an envelope takes the recipient's private key: never in a browser
            assert got[name] == {"result": "unsupported", "operation": vector["operation"]}
    assert checked >= 18  # every verify_attestation and audit_label vector, none skipped


def test_step_vocabulary_is_the_sdks(run_js: RunJs) -> None:
    """The browser names its steps with sdk.Step, name for name (web/src/steps.js)."""
    assert run_js({"job": "steps"}) == {step.name: step.value for step in Step}


# --- mutations --------------------------------------------------------------------------


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path, node


def _containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict | list):
        yield path, node
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            yield from _containers(value, (*path, key))


def _replacements(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, bool):
        yield from [("not", not value), ("int", int(value)), ("null", None)]
    elif isinstance(value, int):
        yield from [
            ("+1", value + 1),
            ("-1", value - 1),
            *([("*2", value * 2)] if value else []),  # a bucket stays one: disclosure.count
            ("2**53", 2**53),
            ("2**64", 2**64),
            ("float", float(value)),
            ("true", True),
            ("string", str(value)),
            ("null", None),
        ]
    elif isinstance(value, str):
        yield from [("empty", ""), ("trailing space", value + " "), ("null", None), ("int", 1)]
        if value:
            yield "last char dropped", value[:-1]
            yield "first char bumped", chr(ord(value[0]) + 1) + value[1:]
            yield "lone surrogate", value + "\ud800"
            if value.upper() != value:
                yield "upper", value.upper()
        digit = next((i for i, c in enumerate(value) if c.isdigit() and c.isascii()), None)
        if digit is not None:
            fullwidth = chr(ord(value[digit]) - ord("0") + 0xFF10)
            yield "fullwidth digit", value[:digit] + fullwidth + value[digit + 1 :]
    elif value is None:
        yield from [("empty string", ""), ("zero", 0), ("false", False)]
    else:
        yield from [("null", None)]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def mutations(vector: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Named single changes to a vector's input: every leaf replaced, every key dropped or
    an unknown one added, every list emptied, shortened or extended, and bytes of the
    checkpoint note flipped."""
    inp = vector["input"]

    def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
        out = copy.deepcopy(vector)
        _set(out["input"], path, value)
        return out

    def name(path: tuple[Any, ...]) -> str:
        return "/".join(map(str, path))

    for path, value in _leaves(inp):
        for label, new in _replacements(value):
            yield f"{name(path)}={label}", changed(path, new)
    for path, node in _containers(inp):
        if not path:
            continue
        if isinstance(node, dict):
            for key in node:
                smaller = {k: v for k, v in node.items() if k != key}
                yield f"{name(path)}-{key}", changed(path, smaller)
            yield f"{name(path)}+extra", changed(path, {**node, "extra": 1})
        else:
            yield f"{name(path)}=[]", changed(path, [])
            if node:
                yield f"{name(path)}=drop last", changed(path, node[:-1])
                yield f"{name(path)}=repeat last", changed(path, [*node, node[-1]])
    text = inp["receipt"]["checkpoint"]
    for at in range(0, len(text), 7):
        flipped = text[:at] + chr(ord(text[at]) ^ 0x01) + text[at + 1 :]
        yield f"checkpoint byte {at}", changed(("receipt", "checkpoint"), flipped)


@pytest.fixture(scope="module")
def mutated(run_js: RunJs) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The mutations of valid_attestation and the browser verifier's outcome of each."""
    valid = json.loads((ROOT / "tests" / "vectors" / "valid_attestation.json").read_text())
    cases = dict(mutations(valid))
    got = run_js({"job": "vectors", "items": {k: json.dumps(v) for k, v in cases.items()}})
    return cases, got


def test_mutations_of_the_valid_vector_agree(
    mutated: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    cases, got = mutated
    assert len(cases) > 600
    disagree = {}
    for label, vector in cases.items():
        python = python_outcome(vector)
        browser = got[label]
        if browser != python:
            disagree[label] = (python, browser)
    assert not disagree, json.dumps(disagree, indent=1, default=str)[:4000]
    accepted = sorted(k for k, v in got.items() if v["result"] == "accept")
    # The one harmless change: a claim the verifier does not require left out. (Receipt
    # version 2 dropped the anchor fields no verifier checked, so every byte of the
    # receipt now counts.)
    assert accepted == ["disclosure/claims=drop last"]


def test_mutations_reach_every_step(
    mutated: tuple[dict[str, dict[str, Any]], dict[str, Any]],
) -> None:
    steps = {v.get("step") for v in mutated[1].values()}
    assert steps >= {
        "statement.schema",
        "receipt.schema",
        "disclosure.schema",
        "receipt.leaf",
        "receipt.checkpoint",
        "receipt.inclusion",
        "claims.duplicate",
        "disclosure.count",
        "disclosure.pointer",
        "disclosure.proof",
        "disclosure.commitment",
    }


# --- the label audit over mutated evidence ---------------------------------------------


def mutations_of_evidence(vector: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Named single changes to an audit_label vector's evidence bundle: every leaf
    replaced, every key dropped, every list emptied or cut."""
    evidence = vector["input"]["evidence"]

    def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
        out = copy.deepcopy(vector)
        _set(out["input"]["evidence"], path, value)
        return out

    for path, value in _leaves(evidence):
        for label, new in _replacements(value):
            yield f"{'/'.join(map(str, path))}={label}", changed(path, new)
    for path, node in _containers(evidence):
        if not path:
            continue
        name = "/".join(map(str, path))
        if isinstance(node, dict):
            for key in node:
                yield f"{name}-{key}", changed(path, {k: v for k, v in node.items() if k != key})
        elif node:
            yield f"{name}=[]", changed(path, [])
            yield f"{name}=drop last", changed(path, node[:-1])


def test_label_audit_agrees_on_mutated_evidence(run_js: RunJs) -> None:
    """Every leaf of the valid label's evidence bundle replaced, keys dropped, lists cut:
    wherever Python reads the bundle, the browser's auditLabel gives every check the same
    status (the chain facts and the protocol objects alike)."""
    from sdk.errors import SdkError
    from sdk.roles import LabelEvidence, audit_label

    vector = json.loads((ROOT / "tests" / "vectors" / "label_valid.json").read_text())
    at = parse_time(vector["trust"]["at"], "at")
    cases = {
        label: mutated["input"]["evidence"] for label, mutated in mutations_of_evidence(vector)
    }
    python = {}
    for label, doc in cases.items():
        try:
            evidence = LabelEvidence.from_dict(doc)
        except (SdkError, ValueError):
            continue  # a bundle Python refuses to read: not compared
        report = audit_label(evidence, at)
        python[label] = [[r.check.step.value, r.status.value] for r in report.results]
    assert len(python) > 150
    got = run_js(
        {
            "job": "audit",
            "at": int(at.timestamp()),
            "items": {k: json.dumps(cases[k]) for k in python},
        }
    )
    disagree = {k: (python[k], got[k]) for k in python if got[k] != python[k]}
    assert not disagree, json.dumps(disagree, indent=1)[:4000]
    statuses = {tuple(map(tuple, v)) for v in python.values()}
    assert len(statuses) > 8  # the mutations reach many different verdicts
