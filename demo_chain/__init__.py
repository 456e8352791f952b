"""The end-to-end demo (``python -m demo_chain``): the notebook computer's supply chain.

The pieces the benchmarks reuse are public here: :func:`build_world` (chain, contracts,
registry, node and organisations), :func:`build_inventory` (one demo product's
inventory), :func:`honest_path` (the scenario without the frauds), :class:`Story` (the
narration), the organisations and products of the scenario (:data:`ORG_BY_KEY`,
:data:`PRODUCT_BY_KEY`), and the cheating provers of the understating leader
(:func:`forge_range_proof`, :func:`forge_understated_rollup`, :func:`publish_understated`;
the commitment test vectors use them too).
"""

from __future__ import annotations

from demo_chain._data import ORG_BY_KEY, PRODUCT_BY_KEY
from demo_chain._forgery import forge_range_proof, forge_understated_rollup, publish_understated
from demo_chain._scenario import build_inventory, honest_path, run
from demo_chain._story import Story
from demo_chain._world import World, build_world

__all__ = [
    "ORG_BY_KEY",
    "PRODUCT_BY_KEY",
    "Story",
    "World",
    "build_inventory",
    "build_world",
    "forge_range_proof",
    "forge_understated_rollup",
    "honest_path",
    "publish_understated",
    "run",
]
