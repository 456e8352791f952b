"""The demo's honest notebook run (acts 1-7), as the tests that need a whole supply chain
on a chain and a node use it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from demo_chain._scenario import Stage, honest_path
from demo_chain._story import Story
from demo_chain._world import build_world


@contextmanager
def honest_stage(out: Path, *, anvil: bool = False) -> Iterator[Stage]:
    """The honest run in ``out`` (embedded chain, or anvil), its story discarded; the
    world is closed on exit."""
    world = build_world(out, anvil=anvil)
    try:
        yield honest_path(world, out, Story(io.StringIO()))
    finally:
        world.close()
