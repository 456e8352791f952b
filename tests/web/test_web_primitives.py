"""The browser verifier's primitives against the Python ones and the published vectors:
RFC 9162 proofs (transparency-dev vectors and generated trees), RFC 8785 (the reference
test data and generated values through sdk's canonical_json), Ed25519 edge cases
(libsodium's rules, as PyNaCl applies them) and signed checkpoints."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from pathlib import Path
from typing import Any

import nacl.bindings as sodium
import pytest
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from anchors import (
    Checkpoint,
    checkpoint_origin,
    consistency_proof_from_leaf_hashes,
    inclusion_proof_from_leaf_hashes,
    leaf_hash,
    root_from_leaf_hashes,
    sign_checkpoint,
    verify_checkpoint,
    verify_consistency,
    verify_inclusion,
)
from anchors.errors import CheckpointFormatError, CheckpointSignatureError, ProofError
from sdk._canonical import canonical_json
from sdk.errors import CanonicalizationError
from tests.web.conftest import RunJs

HERE = Path(__file__).resolve().parent
RFC9162 = json.loads((HERE / "vectors" / "rfc9162.json").read_text())
RFC8785 = HERE / "vectors" / "rfc8785"
# The Go reference accepts this one with 12-byte placeholder roots; both Tanji verifiers
# require 32-byte hashes (see tests/anchors/test_anchors_merkle.py).
STRICTER_THAN_GO = {"consistency/additional/sizes-are-equal-one-and-proof-is-empty"}


def _b64(text: str) -> bytes:
    return base64.b64decode(text)


def python_merkle(kind: str, v: dict[str, Any]) -> dict[str, Any]:
    """The Python verifier's outcome in the runner's shape: {ok} or {ok, error: "step N (…)"}."""
    proof = [_b64(p) for p in v.get("proof") or []]
    try:
        if kind == "inclusion":
            verify_inclusion(
                _b64(v["leafHash"]), v["leafIdx"], v["treeSize"], proof, _b64(v["root"])
            )
        else:
            verify_consistency(v["size1"], v["size2"], _b64(v["root1"]), _b64(v["root2"]), proof)
    except ProofError as exc:
        step = re.match(r"step \d+ \([^)]*\)", str(exc))
        return {"ok": False, "error": step.group(0) if step else str(exc)}
    return {"ok": True}


@pytest.mark.parametrize("kind", ["inclusion", "consistency"])
def test_rfc9162_vectors_agree(kind: str, run_js: RunJs) -> None:
    vectors = RFC9162[kind]
    assert len(vectors) == 98
    got = run_js({"job": "merkle", "kind": kind, "items": vectors})
    for name, v in vectors.items():
        assert got[name] == python_merkle(kind, v), name
        if f"{kind}/{name}" not in STRICTER_THAN_GO:
            assert got[name]["ok"] is not v["wantErr"], name


def test_generated_proofs_agree(run_js: RunJs) -> None:
    rng = random.Random(9162)
    hashes = [leaf_hash(f"leaf {i}".encode()) for i in range(70)]

    def b64(b: bytes) -> str:
        return base64.b64encode(b).decode()

    inclusion: dict[str, Any] = {}
    consistency: dict[str, Any] = {}
    for size in range(1, 70, 3):
        root = root_from_leaf_hashes(hashes[:size])
        for index in {0, size - 1, rng.randrange(size)}:
            proof = inclusion_proof_from_leaf_hashes(hashes[:size], index)
            base = {"leafIdx": index, "treeSize": size, "root": b64(root)}
            inclusion[f"{index}-{size}"] = {
                **base,
                "leafHash": b64(hashes[index]),
                "proof": [b64(p) for p in proof],
            }
            if proof:  # the sibling order matters: a swapped proof must fail at the root
                inclusion[f"{index}-{size}-reversed"] = {
                    **base,
                    "leafHash": b64(hashes[index]),
                    "proof": [b64(p) for p in reversed(proof)],
                }
            inclusion[f"{index}-{size}-node-as-leaf"] = {
                **base,
                "leafHash": b64(hashlib.sha256(b"\x01" + hashes[index] * 2).digest()),
                "proof": [b64(p) for p in proof],
            }
        for size1 in {1, size // 2 or 1, size - 1 or 1}:
            proof = consistency_proof_from_leaf_hashes(hashes[:size], size1)
            consistency[f"{size1}-{size}"] = {
                "size1": size1,
                "size2": size,
                "root1": b64(root_from_leaf_hashes(hashes[:size1])),
                "root2": b64(root),
                "proof": [b64(p) for p in proof],
            }
    for kind, items in (("inclusion", inclusion), ("consistency", consistency)):
        got = run_js({"job": "merkle", "kind": kind, "items": items})
        for name, v in items.items():
            assert got[name] == python_merkle(kind, v), f"{kind} {name}"
            assert got[name]["ok"] is not name.endswith(("reversed", "node-as-leaf")), name


def test_rfc8785_reference_data(run_js: RunJs) -> None:
    inputs = sorted((RFC8785 / "input").glob("*.json"))
    assert len(inputs) == 5
    got = run_js({"job": "jcs", "items": [p.read_text(encoding="utf-8") for p in inputs]})
    for path, out in zip(inputs, got, strict=True):
        # output/structures.json ends with a newline in the reference data; the others do not.
        expected = (RFC8785 / "output" / path.name).read_bytes().decode("utf-8").removesuffix("\n")
        assert out == {"text": expected}, path.name


def _random_json(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(10 if depth < 4 else 6)
    chars = 'aZ~/\\"\n\t\x00\x1f\x7f é€\u2028\ufeff😀\U0001f600'

    def text() -> str:
        return "".join(rng.choice(chars) for _ in range(rng.randrange(6)))

    if pick == 0:
        return None
    if pick == 1:
        return rng.choice([True, False])
    if pick == 2:
        return rng.choice([0, -1, 7, 2**53 - 1, -(2**53) + 1, 2**53, -(2**53), 10**20])
    if pick in (3, 4):
        return text()
    if pick == 5:
        return rng.choice([1.5, 0.0, -2.0, 1e30])
    if pick in (6, 7):
        return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {text(): _random_json(rng, depth + 1) for _ in range(rng.randrange(4))}


def python_canonical(text: str) -> dict[str, Any]:
    try:
        return {"hex": canonical_json(json.loads(text)).hex()}
    except CanonicalizationError:
        return {"error": "CanonicalizationError"}


def test_canonical_json_agrees_with_sdk(run_js: RunJs) -> None:
    rng = random.Random(8785)
    values = [_random_json(rng) for _ in range(400)]
    texts = [json.dumps(v, ensure_ascii=rng.random() < 0.5) for v in values]

    def nested(n: int) -> str:
        return "[" * n + "]" * n

    texts += [
        nested(64),
        nested(65),
        nested(66),
        '{"\\ud800": 1}',
        '["\\ud83d\\ude00", "\\udc00"]',
        '{"é": 1, "e": 2, "\\ud83d\\ude00": 3, "\\uffff": 4}',
        "-0",
        "1.0",
        "1e2",
    ]
    got = run_js({"job": "canonical", "items": texts})
    results = {"ok": 0, "refused": 0}
    for text, out in zip(texts, got, strict=True):
        python = python_canonical(text)
        if "error" in python:
            results["refused"] += 1
            assert out.get("error") == "CanonicalizationError", (text, out)
        else:
            results["ok"] += 1
            assert out == python, text
    assert results["ok"] > 100
    assert results["refused"] > 100


# --- Ed25519: libsodium's rules -----------------------------------------------------------

L = 2**252 + 27742317777372353535851937790883648493
TORSION8 = bytes.fromhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")
IDENTITY = bytes.fromhex("01" + "00" * 31)


def _scalar(n: int) -> bytes:
    return (n % L).to_bytes(32, "little")


def _h(r: bytes, a: bytes, m: bytes) -> int:
    return int.from_bytes(hashlib.sha512(r + a + m).digest(), "little") % L


def _sign_raw(a: int, pub: bytes, r: int, big_r: bytes, m: bytes) -> bytes:
    return big_r + _scalar(r + _h(big_r, pub, m) * a)


def ed25519_cases() -> list[tuple[str, bytes, bytes, bytes]]:
    """(name, signature, message, public key): honest, tampered and crafted signatures."""
    rng = random.Random(25519)
    cases = []
    for i in range(12):
        key = SigningKey(rng.randbytes(32))
        msg = rng.randbytes(rng.randrange(0, 80))
        sig = key.sign(msg).signature
        pub = bytes(key.verify_key)
        cases.append((f"honest {i}", sig, msg, pub))
        bad = bytearray(sig)
        bad[rng.randrange(64)] ^= 1 << rng.randrange(8)
        cases.append((f"bit flip {i}", bytes(bad), msg, pub))
        s = int.from_bytes(sig[32:], "little")
        cases.append((f"S + L {i}", sig[:32] + (s + L).to_bytes(32, "little"), msg, pub))
    # A secret scalar a, public A = aB; a nonce r.
    a, r = 0x1234567 * 2**200 + 99, 0x7654321 * 2**190 + 7
    pub = sodium.crypto_scalarmult_ed25519_base_noclamp(_scalar(a))
    big_r = sodium.crypto_scalarmult_ed25519_base_noclamp(_scalar(r))
    msg = b"tanji edge case"
    cases.append(("raw honest", _sign_raw(a, pub, r, big_r, msg), msg, pub))
    # R + T (a torsion component): the cofactored equation (ZIP-215) accepts, libsodium not.
    mixed_r = sodium.crypto_core_ed25519_add(big_r, TORSION8)
    cases.append(("mixed-order R", _sign_raw(a, pub, r, mixed_r, msg), msg, pub))
    # A + T: verifies only when 8 divides h, as libsodium's cofactorless check says.
    mixed_a = sodium.crypto_core_ed25519_add(pub, TORSION8)
    for i in range(24):
        m = b"mixed A %d" % i
        cases.append((f"mixed-order A {i}", _sign_raw(a, mixed_a, r, big_r, m), m, mixed_a))
    # Small-order keys and R: refused whatever the signature.
    for name, point in (("identity", IDENTITY), ("order 8", TORSION8)):
        cases.append((f"{name} key", IDENTITY + bytes(32), msg, point))
        cases.append((f"{name} R", point + _scalar(r), msg, pub))
    # Non-canonical key encodings (y >= p) and garbage lengths.
    high = bytes.fromhex("ed" + "ff" * 30 + "7f")
    cases.append(("key y = p", IDENTITY + bytes(32), msg, high))
    cases.append(("key not on curve", IDENTITY + bytes(32), msg, bytes([2]) + bytes(31)))
    cases.append(("short signature", b"\x01" * 63, msg, pub))
    cases.append(("short key", _sign_raw(a, pub, r, big_r, msg), msg, pub[:31]))
    return cases


def python_ed25519(sig: bytes, msg: bytes, pub: bytes) -> bool:
    if len(pub) != 32 or len(sig) != 64:
        return False
    try:
        VerifyKey(pub).verify(msg, sig)
    except BadSignatureError:
        return False
    return True


def test_ed25519_follows_libsodium(run_js: RunJs) -> None:
    cases = ed25519_cases()
    items = [{"sig": s.hex(), "msg": m.hex(), "key": k.hex()} for _, s, m, k in cases]
    got = run_js({"job": "ed25519", "items": items})
    verdicts = {}
    for (name, sig, msg, pub), browser in zip(cases, got, strict=True):
        assert browser is python_ed25519(sig, msg, pub), name
        verdicts[name] = browser
    assert verdicts["raw honest"]
    assert not verdicts["mixed-order R"]
    mixed_a = [v for n, v in verdicts.items() if n.startswith("mixed-order A")]
    assert 0 < sum(mixed_a) < len(mixed_a)  # some h divisible by 8, most not


# --- checkpoints ----------------------------------------------------------------------------


def test_checkpoints_agree(run_js: RunJs) -> None:
    key = SigningKey(hashlib.sha256(b"web checkpoint key").digest())
    other = SigningKey(hashlib.sha256(b"web other key").digest())
    root = hashlib.sha256(b"root").digest()
    good = sign_checkpoint(Checkpoint(checkpoint_origin(31337, "main"), 12, root), key, "tanji-log")
    cosigned = (
        good
        + sign_checkpoint(
            Checkpoint(checkpoint_origin(31337, "main"), 12, root), other, "witness"
        ).split("\n\n")[1]
    )
    texts = {
        "good": good,
        "cosigned": cosigned,
        "extension": sign_checkpoint(
            Checkpoint("tanji/1/main", 0, root, ("ext line",)), key, "tanji-log"
        ),
        "other key": sign_checkpoint(Checkpoint("tanji/1/main", 3, root), other, "tanji-log"),
        "no newline": good[:-1],
        "leading zero": good.replace("\n12\n", "\n012\n"),
        "size 2**64": good.replace("\n12\n", f"\n{2**64}\n"),
        "crlf": good.replace("\n", "\r\n"),
        "nbsp in name": good.replace("— tanji-log", "— tanji\u00a0log"),
        "bom in name": good.replace("— tanji-log", "— tanji\ufefflog"),
        "plus in name": good.replace("— tanji-log", "— tanji+log"),
        "duplicate": good + good.split("\n\n")[1],
        "blank extension": good.replace("\n\n", "\n\n\n", 1),
    }
    for at in range(0, len(good), 5):
        texts[f"flip {at}"] = good[:at] + chr(ord(good[at]) ^ 0x02) + good[at + 1 :]
    pub = bytes(key.verify_key)
    items = [{"text": t, "keyName": "tanji-log", "key": pub.hex()} for t in texts.values()]
    got = run_js({"job": "checkpoint", "items": items})
    for (name, text), browser in zip(texts.items(), got, strict=True):
        try:
            c = verify_checkpoint(text, "tanji-log", key.verify_key)
            python: dict[str, Any] = {"origin": c.origin, "size": str(c.size), "root": c.root.hex()}
        except (CheckpointFormatError, CheckpointSignatureError) as exc:
            python = {"error": type(exc).__name__}
        assert {k: v for k, v in browser.items() if k != "message"} == python, name
    assert "error" not in got[0]
    assert "error" not in got[1]


def test_strict_parsing_agrees_with_loads_strict(run_js: RunJs) -> None:
    from sdk._canonical import loads_strict

    texts = [
        '{"a": 1, "b": [true, null, "x"]}',
        '{"a": 1, "a": 2}',
        '{"a": {"b": 1, "b": 1}}',
        "[1.0]",
        "[1e3]",
        "[NaN]",
        "[-Infinity]",
        '{"__proto__": {"x": 1}}',
        '"\\ud800"',
        "[01]",
        '{"a" 1}',
        " [1, 2] ",
        "[1, 2] x",
        '"tab\there"',
        f"[{2**64}]",
    ]
    got = run_js({"job": "strict", "items": texts})
    for text, answer in zip(texts, got, strict=True):
        try:
            python: dict[str, Any] = {"hex": canonical_json(loads_strict(text, "x")).hex()}
        except (ValueError, CanonicalizationError):
            python = {"error": True}
        if "error" in python:
            assert answer.get("error") in {"JsonParseError", "CanonicalizationError"}, text
        else:
            assert answer == python, text
