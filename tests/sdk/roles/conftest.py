"""One honest run of the notebook supply chain (acts 1-7 of the demo), shared by the role
tests: a real embedded chain, the node over HTTP on a loopback port, SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_chain._scenario import Stage
from tests._demo import honest_stage


@pytest.fixture(scope="session")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    out = tmp_path_factory.mktemp("roles")
    with honest_stage(out) as stage:
        yield stage


@pytest.fixture
def private_stage(tmp_path: Path) -> Iterator[Stage]:
    """A stage of its own, for a test that leaves the world unusable for others."""
    with honest_stage(tmp_path) as stage:
        yield stage
