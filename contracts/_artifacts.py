"""Loading the committed contract artifacts (``contracts/artifacts/<Name>.json``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEX = re.compile(r"0x(?:[0-9a-f]{2})*")


class ArtifactError(Exception):
    """A contract artifact is missing or malformed."""


class ArtifactNotFound(ArtifactError, KeyError):
    """No artifact exists under the requested contract name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "artifact not found"


@dataclass(frozen=True)
class Artifact:
    """A compiled contract: ABI, creation bytecode and where it came from.

    ``bytecode`` and ``deployed_bytecode`` are ``0x``-prefixed hex strings; ``provenance``
    names the source file, its SHA-256, the compiler version and the settings used.
    """

    name: str
    abi: tuple[dict[str, Any], ...]
    bytecode: str
    deployed_bytecode: str
    provenance: MappingProxyType[str, Any]


def available() -> list[str]:
    """Names of every committed artifact, sorted."""
    return sorted(p.stem for p in ARTIFACTS_DIR.glob("*.json"))


@cache
def load_artifact(name: str) -> Artifact:
    """Load the artifact of contract ``name`` (e.g. ``"AnchorRegistry"``).

    Guarantees a well-formed artifact whose ``contractName`` equals ``name``.
    Raises :class:`ArtifactNotFound` for an unknown name and :class:`ArtifactError` when
    the file is not a valid artifact.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ArtifactNotFound(f"{name!r} is not a contract name")
    path = ARTIFACTS_DIR / f"{name}.json"
    if not path.is_file():
        raise ArtifactNotFound(
            f"no artifact for contract {name!r} in {ARTIFACTS_DIR} (known: {available()}); "
            "run 'make contracts'"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"artifact {path} is unreadable: {exc}") from exc
    if not isinstance(data, dict):
        raise ArtifactError(f"artifact {path} is not a JSON object")
    if data.get("contractName") != name:
        raise ArtifactError(f"artifact {path} names contract {data.get('contractName')!r}")
    abi = data.get("abi")
    bytecode = data.get("bytecode")
    deployed = data.get("deployedBytecode", "0x")
    provenance = data.get("provenance")
    if not isinstance(abi, list) or not all(isinstance(e, dict) for e in abi):
        raise ArtifactError(f"artifact {path}: 'abi' is not a list of objects")
    bytecode = _hex_field(path, "bytecode", bytecode)
    deployed = _hex_field(path, "deployedBytecode", deployed)
    if not isinstance(provenance, dict):
        raise ArtifactError(f"artifact {path}: 'provenance' is missing")
    return Artifact(
        name=name,
        abi=tuple(abi),
        bytecode=bytecode,
        deployed_bytecode=deployed,
        provenance=MappingProxyType(provenance),
    )


def _hex_field(path: Path, field: str, value: object) -> str:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise ArtifactError(f"artifact {path}: {field!r} is not 0x-prefixed hex")
    return value
