"""Tanji's Solidity contracts: sources in ``contracts/src``, compiled artifacts and a loader.

``make contracts`` (``node contracts/build.mjs``) compiles the sources with the pinned
solc-js into ``contracts/artifacts/<Name>.json``; the artifacts are committed so the
Python package needs no Node. This package depends on nothing else in Tanji.
"""

from __future__ import annotations

from contracts._artifacts import (
    ARTIFACTS_DIR,
    Artifact,
    ArtifactError,
    ArtifactNotFound,
    available,
    load_artifact,
)

__all__ = [
    "ARTIFACTS_DIR",
    "Artifact",
    "ArtifactError",
    "ArtifactNotFound",
    "available",
    "load_artifact",
]
