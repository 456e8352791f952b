"""The committed contract artifacts and their loader (``contracts``), as the chain uses them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import contracts
from contracts import ARTIFACTS_DIR, ArtifactError, ArtifactNotFound, available, load_artifact

ROOT = Path(__file__).resolve().parents[2]
MINIMUM_FORK = "paris"
"""The compile target of the committed artifacts (docs/chains.md, contracts/build.mjs)."""

# Opcodes newer than Constantinople, by the fork that introduced them. The Paris build
# uses none of them, so it runs on every EVM from Constantinople on (a Besu network with
# a Berlin genesis, FISCO BCOS at London or Paris, ganache 7) as well as on the latest.
NEWER_OPCODES = {
    0x46: "CHAINID (Istanbul)",
    0x47: "SELFBALANCE (Istanbul)",
    0x48: "BASEFEE (London)",
    0x5F: "PUSH0 (Shanghai)",
    0x5C: "TLOAD (Cancun)",
    0x5D: "TSTORE (Cancun)",
    0x5E: "MCOPY (Cancun)",
    0x49: "BLOBHASH (Cancun)",
    0x4A: "BLOBBASEFEE (Cancun)",
}


def opcodes(code: bytes) -> set[int]:
    """Every opcode of ``code``, push data skipped."""
    found: set[int] = set()
    i = 0
    while i < len(code):
        op = code[i]
        found.add(op)
        i += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)
    return found


def without_metadata(code: bytes) -> bytes:
    """``code`` without solc's trailing CBOR metadata (its length is the last two bytes)."""
    return code[: len(code) - 2 - int.from_bytes(code[-2:], "big")]


def test_every_artifact_is_fresh_and_well_formed() -> None:
    names = available()
    assert {"AnchorRegistry", "StaticOperatorRegistry"} <= set(names)
    for name in names:
        artifact = load_artifact(name)
        source = ROOT / artifact.provenance["source"]
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        assert artifact.provenance["sourceSha256"] == digest, f"{name}: run 'make contracts'"
        assert artifact.provenance["compiler"].startswith("solc-js 0.8.29+commit.")
        assert artifact.provenance["optimizer"] == {"enabled": True, "runs": 200}
        assert artifact.provenance["evmVersion"] == MINIMUM_FORK
        assert artifact.bytecode.startswith("0x60")
        assert len(artifact.deployed_bytecode) > 2


def test_artifacts_use_no_opcode_newer_than_constantinople() -> None:
    for name in available():
        artifact = load_artifact(name)
        runtime = bytes.fromhex(artifact.deployed_bytecode[2:])
        creation = bytes.fromhex(artifact.bytecode[2:])
        # Constructor code runs up to where the runtime code (copied out as data) begins.
        constructor = creation[: creation.index(runtime[:32])]
        for part, code in (("runtime", without_metadata(runtime)), ("constructor", constructor)):
            newer = sorted(NEWER_OPCODES[op] for op in opcodes(code) & NEWER_OPCODES.keys())
            assert newer == [], f"{name} {part} code uses {newer}"


def test_the_opcode_scan_sees_push0_in_a_shanghai_build() -> None:
    assert 0x5F in opcodes(bytes.fromhex("5f5f52"))  # PUSH0 PUSH0 MSTORE
    assert opcodes(bytes.fromhex("605f00")) == {0x60, 0x00}  # 0x5f as push data is skipped


def test_artifact_files_are_canonical_json() -> None:
    for path in sorted(ARTIFACTS_DIR.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
        assert text == json.dumps(data, indent=2, ensure_ascii=False) + "\n", path.name
        assert list(data) == ["contractName", "abi", "bytecode", "deployedBytecode", "provenance"]


def test_anchor_registry_abi_has_the_agreed_surface() -> None:
    abi = load_artifact("AnchorRegistry").abi
    functions = {e["name"] for e in abi if e["type"] == "function"}
    assert {
        "createLog",
        "anchor",
        "headCount",
        "headAt",
        "latest",
        "firstAtOrAbove",
        "logOwner",
        "operators",
    } <= functions
    errors = {e["name"] for e in abi if e["type"] == "error"}
    assert {
        "NotLogOperator",
        "SizeNotIncreasing",
        "InconsistentHead",
        "UnexpectedProof",
        "ZeroSize",
    } <= errors


@pytest.mark.parametrize("name", ["NoSuchContract", "../pyproject", "", "IOperatorRegistry"])
def test_unknown_names_raise_artifact_not_found(name: str) -> None:
    with pytest.raises(ArtifactNotFound) as caught:
        load_artifact(name)
    assert isinstance(caught.value, KeyError)
    assert repr(name) in str(caught.value)


def test_malformed_artifact_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Broken.json").write_text('{"contractName": "Broken", "abi": []}\n')
    (tmp_path / "Misnamed.json").write_text('{"contractName": "Other"}\n')
    (tmp_path / "NotJson.json").write_text("{")
    monkeypatch.setattr(contracts._artifacts, "ARTIFACTS_DIR", tmp_path)
    load_artifact.cache_clear()
    try:
        with pytest.raises(ArtifactError, match="bytecode"):
            load_artifact("Broken")
        with pytest.raises(ArtifactError, match="names contract 'Other'"):
            load_artifact("Misnamed")
        with pytest.raises(ArtifactError, match="unreadable"):
            load_artifact("NotJson")
    finally:
        load_artifact.cache_clear()
