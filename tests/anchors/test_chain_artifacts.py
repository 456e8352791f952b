"""The committed contract artifacts and their loader (``contracts``), as the chain uses them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import contracts
from contracts import ARTIFACTS_DIR, ArtifactError, ArtifactNotFound, available, load_artifact

ROOT = Path(__file__).resolve().parents[2]


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
        assert artifact.provenance["evmVersion"] == "cancun"
        assert artifact.bytecode.startswith("0x60")
        assert len(artifact.deployed_bytecode) > 2


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
