"""The demo's supply chain as the files a person hands to ``tanji``: a PACT v3 footprint
per part bought as is, and a bill of materials (``urn:tanji:bom:1``) per assembled product
(display panel, battery pack, notebook). docs/roles.md walks through them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from demo_chain._data import LEADER_PRODUCT, ORG_BY_KEY, ORGS, PRODUCT_BY_KEY, OrgSpec
from demo_chain._scenario import build_inventory
from sdk.footprint import INVENTORY_PRODUCT_KEYS, roll_up, to_pact

BOM_SCHEMA = "urn:tanji:bom:1"
ASSEMBLED = ("display_panel", "battery_pack", LEADER_PRODUCT)
BOUGHT = ("glass_substrate", "cell", "mainboard", "ssd", "chassis", "adapter")
_CREATED = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DemoFiles:
    """Where :func:`write_demo_files` put each product's file, by product key."""

    pact: dict[str, Path]
    bom: dict[str, Path]


def pact_document(product: str) -> dict[str, Any]:
    """The PACT v3 footprint a maker of a bought part publishes."""
    spec = PRODUCT_BY_KEY[product]
    inventory = build_inventory(spec, ORG_BY_KEY[spec.maker], [], _CREATED)
    return to_pact(roll_up(inventory).footprint, "3.0")


def bom_document(product: str) -> dict[str, Any]:
    """The bill of materials of an assembled product: its header, the parts it buys (by
    product id, from the supplier that makes them) and its own activity lines."""
    spec = PRODUCT_BY_KEY[product]
    inventory = build_inventory(spec, ORG_BY_KEY[spec.maker], [], _CREATED).to_dict()
    return {
        "schema": BOM_SCHEMA,
        "product": {
            k: inventory[k] for k in INVENTORY_PRODUCT_KEYS if inventory.get(k) is not None
        },
        "components": [
            {
                "lineId": c.line_id,
                "productId": PRODUCT_BY_KEY[c.product].product_id,
                "supplier": ORG_BY_KEY[c.supplier].org_id,
                "quantity": str(c.quantity),
            }
            for c in spec.components
        ],
        "activities": inventory["activities"],
    }


def write_demo_files(out: Path) -> DemoFiles:
    """Write every PACT file and BOM of the demo under ``out`` (``pact/``, ``bom/``)."""
    pact, bom = {}, {}
    for product in BOUGHT:
        path = out / "pact" / f"{product}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(pact_document(product), indent=2, ensure_ascii=False) + "\n")
        pact[product] = path
    for product in ASSEMBLED:
        path = out / "bom" / f"{product}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(bom_document(product), indent=2, ensure_ascii=False) + "\n")
        bom[product] = path
    return DemoFiles(pact, bom)


def roles_of(spec: OrgSpec) -> str:
    """The roles an organisation asks for at ``tanji init`` (comma-separated)."""
    return ",".join(r.lower() for r in spec.roles)


__all__ = [
    "ASSEMBLED",
    "BOUGHT",
    "ORGS",
    "DemoFiles",
    "bom_document",
    "pact_document",
    "roles_of",
    "write_demo_files",
]
