"""The bundled browser verifier agrees with the Python verifier on every protocol vector,
every commitment, range-proof and roll-up vector, and on field and byte mutations of the
valid attestation, the valid label's evidence and a label's committed roll-up (run under
Node.js; the same bundle runs in Chromium in test_web_browser.py)."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from sdk import Step
from sdk._statement import parse_time
from tests.conftest import ROOT
from tests.vectors.commitments.generate import expected_outcome as zk_outcome
from tests.vectors.generate import expected_outcome, reason_cause
from tests.web.conftest import RunJs

VECTORS = sorted((ROOT / "tests" / "vectors").glob("*.json"))
BROWSER_OPERATIONS = {"verify_attestation", "audit_label"}
ZK_VECTORS = sorted((ROOT / "tests" / "vectors" / "commitments").glob("*.json"))
# Checking an envelope's value opening needs the envelope, which only a grantee opens.
ZK_GRANTEE_OPERATIONS = {"check_value_opening"}


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
    assert checked >= 25  # every verify_attestation and audit_label vector, none skipped
    rollups = [n for n in texts if n.startswith("label_rollup_")]
    assert len(rollups) >= 7  # check 9 over committed roll-ups, valid and attacked


def test_every_commitment_vector_agrees(run_js: RunJs) -> None:
    """Commitments, range proofs (valid, largest, truncated, a scalar out of range,
    non-canonical and foreign points, replayed transcripts, another commitment…), the
    roll-up proof and the statement's published proof: zk.js accepts what sdk.zk accepts
    and refuses the rest at the same sdk.Step."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in ZK_VECTORS}
    got = run_js({"job": "vectors", "items": texts})
    checked = 0
    for name, text in texts.items():
        vector = json.loads(text)
        if vector["operation"] in ZK_GRANTEE_OPERATIONS:
            assert got[name] == {"result": "unsupported", "operation": vector["operation"]}
            continue
        assert got[name] == zk_outcome(vector) == vector["expect"], name
        checked += 1
    assert checked >= 35
    steps = {v["step"] for v in got.values() if v["result"] == "reject"}
    assert steps >= {
        "commitment.point",
        "rangeproof.schema",
        "rangeproof.point",
        "rangeproof.scalar",
        "rangeproof.transcript",
        "rangeproof.sum",
        "rangeproof.bit",
        "rangeproof.digest",
        "rollup.scalar",
        "rollup.lines",
        "rollup.quantity",
        "rollup.upstream",
        "rollup.total",
        "rollup.sum",
    }


def test_step_vocabulary_is_the_sdks(run_js: RunJs) -> None:
    """The browser names its steps with sdk.Step, name for name (web/src/steps.js)."""
    assert run_js({"job": "steps"}) == {step.name: step.value for step in Step}


def _long_rollup(lines: int) -> dict[str, Any]:
    """A verify_rollup vector over ``lines`` upstream lines (seeded: reproducible)."""
    from sdk.zk import RollupLine, UpstreamOpening, commit_random, prove_rollup
    from tests.vectors.commitments.generate import seeded

    rng = seeded(f"long roll-up {lines}")
    ups = []
    for i in range(lines):
        commitment, opening = commit_random(1000 + i, rng)
        ups.append(UpstreamOpening(RollupLine(f"att-{i}", 1_000_000 + i, commitment), opening))
    weighted = sum(u.line.quantity * u.opening.value for u in ups)
    context = b"tanji.tests.web/long-rollup"
    proof = prove_rollup(ups, declared_total=weighted + 7, context=context, rng=rng)
    return {
        "name": f"rollup_{lines}_lines",
        "operation": "verify_rollup",
        "input": {
            "rollup": proof.to_json(),
            "upstream": {u.line.ref: u.line.commitment.to_json() for u in ups},
            "declaredTotal": str(weighted + 7),
            "context": context.hex(),
        },
    }


def test_long_rollups_agree(run_js: RunJs) -> None:
    """The roll-up equation is one multi-scalar product over every line (web/src/zk.js):
    short and long roll-ups agree with Python, valid and with a quantity edited."""
    cases = {}
    for lines in (3, 30, 64):
        vector = _long_rollup(lines)
        cases[vector["name"]] = vector
        edited = copy.deepcopy(vector)
        edited["input"]["rollup"]["lines"][-1]["quantity"] = "1"
        cases[f"{vector['name']}, last quantity edited"] = edited
    got = run_js({"job": "vectors", "items": {k: json.dumps(v) for k, v in cases.items()}})
    for name, vector in cases.items():
        assert got[name] == zk_outcome(vector), name
    assert [v["result"] for v in got.values()] == ["accept", "reject"] * 3
    assert {v.get("step") for v in got.values()} == {None, "rollup.sum"}


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
    statuses = {k: [r[:2] for r in v] for k, v in got.items()}
    disagree = {k: (python[k], statuses[k]) for k in python if statuses[k] != python[k]}
    assert not disagree, json.dumps(disagree, indent=1)[:4000]
    verdicts = {tuple(map(tuple, v)) for v in python.values()}
    assert len(verdicts) > 8  # the mutations reach many different verdicts


# --- the committed roll-up (check 9) over mutated evidence ------------------------------

ROLLUP_VECTOR = ROOT / "tests" / "vectors" / "label_rollup_valid.json"
# Bits flipped in a 7,232-byte range proof: the context digest, the challenge e, bit 0's
# C_0, e0, s0 and s1, bit 27's C_j and s1's last byte; 0x80 in a last byte sets bit 255
# (a point's second encoding, a scalar above ℓ).
PROOF_FLIPS = (
    (0, 0x01),
    (32, 0x01),
    (63, 0x80),
    (64, 0x01),
    (95, 0x80),
    (96, 0x01),
    (159, 0x80),
    (160, 0x01),
    (192, 0x01),
    (3521, 0x01),
    (7231, 0x01),
)
# Each change to the leader's proof costs the browser both upstream range proofs first:
# the proof's leaves get the changes that reach distinct checks, not every variant.
PROOF_REPLACEMENTS = {"null", "int", "empty", "first char bumped", "last char dropped", "+1", "-1"}


def _flip_b64(text: str, at: int, mask: int) -> str:
    data = bytearray(base64.b64decode(text))
    data[at] ^= mask
    return base64.b64encode(bytes(data)).decode()


def _flip_hex(text: str, at: int, mask: int) -> str:
    data = bytearray(bytes.fromhex(text))
    data[at] ^= mask
    return data.hex()


def mutations_of_rollup(vector: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Named single changes to the committed roll-up of a label's evidence: every leaf of
    the leader's proof and of the first upstream line replaced, every part of them nulled,
    keys dropped, lists cut or repeated; bits flipped in both range proofs' binary forms
    (own term, first upstream), in every commitment and the blinding; lines reordered; the
    label's value moved."""
    evidence: dict[str, Any] = vector["input"]["evidence"]

    def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
        out = copy.deepcopy(evidence)
        _set(out, path, value)
        return out

    def name(path: tuple[Any, ...]) -> str:
        return "/".join(map(str, path))

    rollup = evidence["rollup"]
    parts = [(("rollup", "proof"), rollup["proof"]), (("rollup", "lines", 0), rollup["lines"][0])]
    for base, node in parts:
        for path, value in _leaves(node, base):
            for label, new in _replacements(value):
                if base[1] != "proof" or label in PROOF_REPLACEMENTS:
                    yield f"{name(path)}={label}", changed(path, new)
        for path, sub in _containers(node, base):
            if path != base:
                yield f"{name(path)}=null", changed(path, None)
            if isinstance(sub, dict):
                for key in sub:
                    smaller = {k: v for k, v in sub.items() if k != key}
                    yield f"{name(path)}-{key}", changed(path, smaller)
            elif sub:
                yield f"{name(path)}=[]", changed(path, [])
                yield f"{name(path)}=drop last", changed(path, sub[:-1])
                yield f"{name(path)}=repeat last", changed(path, [*sub, sub[-1]])
    yield "rollup/error=text", changed(("rollup", "error"), "the node could not serve the proof")
    proofs = {
        "own": ("rollup", "proof", "own", "rangeProof", "proof"),
        "line 0": ("rollup", "lines", 0, "valueRangeProof", "proof"),
    }
    for which, path in proofs.items():
        text = _get(evidence, path)
        for at, mask in PROOF_FLIPS:
            yield f"{which} proof byte {at}^{mask:#x}", changed(path, _flip_b64(text, at, mask))
        data = base64.b64decode(text)
        swapped = base64.b64encode(data[:64] + data[192:320] + data[64:192] + data[320:])
        yield f"{which} proof bits 0 and 1 swapped", changed(path, swapped.decode())
    commitments = {
        "line 0": ("rollup", "proof", "lines", 0, "commitment"),
        "line 1": ("rollup", "proof", "lines", 1, "commitment"),
        "own": ("rollup", "proof", "own", "commitment"),
        "blinding": ("rollup", "proof", "blinding"),
    }
    for which, path in commitments.items():
        text = _get(evidence, path)
        for at, mask in ((0, 0x02), (1, 0x01), (31, 0x80)):
            yield f"{which} byte {at}^{mask:#x}", changed(path, _flip_hex(text, at, mask))
    lines = rollup["proof"]["lines"]
    yield "proof lines swapped", changed(("rollup", "proof", "lines"), lines[::-1])
    yield "evidence lines swapped", changed(("rollup", "lines"), rollup["lines"][::-1])
    total = int(rollup["proof"]["total"])
    for delta in (-1, 1):
        yield f"total{delta:+d}", changed(("rollup", "proof", "total"), str(total + delta))
    for value in ("95.50", "95.499999999", "95.6", "-95.5", "1e2"):
        yield f"label value {value}", changed(("label", "record", "value"), value)


def _outcome(report: list[list[str]]) -> list[tuple[str, str, str | None]]:
    """Each check's status and the protocol step its reason names (check 9's inner step)."""
    return [(check, status, reason_cause(reason)) for check, status, reason in report]


def test_rollup_check_agrees_on_mutated_evidence(run_js: RunJs) -> None:
    """Check 9 in the browser against Python's on several hundred changes to a committed
    roll-up: every check's status, and where a check fails, the same protocol step named
    first in its reason (``rangeproof.bit``, ``rollup.sum``, ``upstream …: anchor``…)."""
    from sdk.errors import SdkError
    from sdk.roles import LabelEvidence, audit_label

    vector = json.loads(ROLLUP_VECTOR.read_text(encoding="utf-8"))
    at = parse_time(vector["trust"]["at"], "at")
    cases = dict(mutations_of_rollup(vector))
    python = {}
    for label, doc in cases.items():
        try:
            evidence = LabelEvidence.from_dict(doc)
        except (SdkError, ValueError):
            continue  # a bundle Python refuses to read: not compared
        results = audit_label(evidence, at).results
        python[label] = _outcome([[r.check.step.value, r.status.value, r.reason] for r in results])
    assert len(python) > 300
    got = run_js(
        {
            "job": "audit",
            "at": int(at.timestamp()),
            "items": {k: json.dumps(cases[k]) for k in python},
        }
    )
    browser = {k: _outcome(v) for k, v in got.items()}
    disagree = {k: (python[k], browser[k]) for k in python if browser[k] != python[k]}
    assert not disagree, json.dumps(disagree, indent=1)[:4000]
    rollup = [v[-1] for v in python.values()]
    assert rollup.count(("rollup.commitments", "passed", None)) >= 3  # harmless changes exist
    causes = {cause for _, status, cause in rollup if status == "failed"}
    assert causes >= {
        "leaf",
        "anchor",
        "signature",
        "rangeproof.schema",
        "rangeproof.point",
        "rangeproof.scalar",
        "rangeproof.transcript",
        "rangeproof.sum",
        "rangeproof.bit",
        "rangeproof.digest",
        "commitment.point",
        "rollup.schema",
        "rollup.scalar",
        "rollup.upstream",
        "rollup.total",
        "rollup.sum",
    }
