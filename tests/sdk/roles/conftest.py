"""One honest run of the notebook supply chain (acts 1-7 of the demo), shared by the role
tests: a real embedded chain, the node over HTTP on a loopback port, SQLite."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_chain._scenario import Stage, honest_path
from demo_chain._story import Story
from demo_chain._world import build_world


@pytest.fixture(scope="session")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    out = tmp_path_factory.mktemp("roles")
    world = build_world(out)
    try:
        yield honest_path(world, out, Story(io.StringIO()))
    finally:
        world.close()


@pytest.fixture
def private_stage(tmp_path: Path) -> Iterator[Stage]:
    """A stage of its own, for a test that leaves the world unusable for others."""
    world = build_world(tmp_path)
    try:
        yield honest_path(world, tmp_path, Story(io.StringIO()))
    finally:
        world.close()
