"""The documents people hand to ``tanji``: PACT footprints, Tanji inventories, BOMs.

Every refusal names the file and the JSON Pointer of the field, as the SDK's parsers do.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tanji._app import EXIT_INVALID, CliError, read_json

if TYPE_CHECKING:
    from sdk.footprint import Inventory, ProductFootprint
    from sdk.roles import SupplierFootprint
    from sdk.wallet import ReceivedRecord

BOM_SCHEMA = "urn:tanji:bom:1"


def invalid(path: Path, exc: Exception) -> CliError:
    """A refusal naming the file and the pointer (exit 1)."""
    pointer = getattr(exc, "pointer", None)
    reason = getattr(exc, "reason", None) or str(exc)
    where = f"{path}: {pointer or '/'}: " if pointer is not None else f"{path}: "
    return CliError(where + str(reason), EXIT_INVALID)


@dataclass(frozen=True)
class Publishable:
    """One footprint to publish: the PACT footprint and, if given, its inventory."""

    path: Path
    footprint: ProductFootprint
    inventory: Inventory | None
    kind: str

    @property
    def product_id(self) -> str:
        """The footprint's first product id."""
        return str(self.footprint.product_ids[0])


def load_publishable(path: Path) -> list[Publishable]:
    """A PACT v3.0/v2.3 footprint (or a PACT ``{"data": [...]}`` list of them), or a
    Tanji inventory (rolled up here into its footprint)."""
    from sdk.errors import FactorError, FootprintError
    from sdk.footprint import INVENTORY_SCHEMA, Inventory, from_pact, roll_up

    doc = read_json(path, "footprint")
    if isinstance(doc, dict) and doc.get("schema") == INVENTORY_SCHEMA:
        try:
            inventory = Inventory.from_dict(doc)
            return [Publishable(path, roll_up(inventory).footprint, inventory, "inventory")]
        except (FootprintError, FactorError) as exc:
            raise invalid(path, exc) from exc
    items: list[tuple[str, Any]]
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        items = [(f"/data/{i}", d) for i, d in enumerate(doc["data"])]
    elif isinstance(doc, dict) and "specVersion" in doc:
        items = [("", doc)]
    else:
        raise CliError(
            f"{path}: neither a PACT footprint (with specVersion) nor a Tanji inventory "
            f'(with "schema": "{INVENTORY_SCHEMA}")',
            EXIT_INVALID,
        )
    out = []
    for prefix, item in items:
        try:
            fp = from_pact(item)
        except FootprintError as exc:
            raise CliError(
                f"{path}: {prefix}{exc.pointer or '/'}: {exc.reason}", EXIT_INVALID
            ) from exc
        out.append(Publishable(path, fp, None, f"PACT {item.get('specVersion', '?')}"))
    return out


def bom_requests(path: Path) -> dict[str, list[str]]:
    """The products to request from each supplier a BOM file names (components without a
    ``supplier`` cannot be requested: refused, naming the pointer)."""
    doc = read_json(path, "bill of materials")
    if not isinstance(doc, dict) or doc.get("schema") != BOM_SCHEMA:
        raise CliError(f'{path}: /schema: must be "{BOM_SCHEMA}"', EXIT_INVALID)
    components = doc.get("components")
    if not isinstance(components, list) or not components:
        raise CliError(f"{path}: /components: must be a non-empty array", EXIT_INVALID)
    out: dict[str, list[str]] = {}
    for i, comp in enumerate(components):
        if not isinstance(comp, dict):
            raise CliError(f"{path}: /components/{i}: must be an object", EXIT_INVALID)
        for key in ("supplier", "productId"):
            if not isinstance(comp.get(key), str):
                raise CliError(f"{path}: /components/{i}/{key}: is required", EXIT_INVALID)
        ids = out.setdefault(comp["supplier"], [])
        if comp["productId"] not in ids:
            ids.append(comp["productId"])
    return out


def build_rollup_inventory(
    path: Path,
    collected: Sequence[SupplierFootprint],
    now: datetime,
    unverified: Sequence[ReceivedRecord] = (),
) -> tuple[Inventory, list[SupplierFootprint]]:
    """The inventory a BOM file describes, its BOM lines filled in from the supplier
    footprints collected (value, unit, attestation, DQR), and those footprints. A
    component with no collected attestation takes a footprint received without one
    (``unverified``: pulled over PACT) as an UNVERIFIED secondary line."""
    from sdk.errors import FactorError, FootprintError
    from sdk.footprint import (
        INVENTORY_PRODUCT_KEYS,
        INVENTORY_SCHEMA,
        Inventory,
        default_factor_set,
    )
    from sdk.roles import Leader

    doc = read_json(path, "bill of materials")
    if not isinstance(doc, dict) or doc.get("schema") != BOM_SCHEMA:
        raise CliError(f'{path}: /schema: must be "{BOM_SCHEMA}"', EXIT_INVALID)
    product = doc.get("product")
    if not isinstance(product, dict):
        raise CliError(f"{path}: /product: must be an object", EXIT_INVALID)
    unknown = sorted(set(product) - set(INVENTORY_PRODUCT_KEYS))
    if unknown:
        raise CliError(f"{path}: /product/{unknown[0]}: unknown field", EXIT_INVALID)
    components = doc.get("components", [])
    activities = doc.get("activities", [])
    if not isinstance(components, list) or not isinstance(activities, list):
        raise CliError(f"{path}: /components and /activities must be arrays", EXIT_INVALID)
    from decimal import Decimal

    pulled = {r.product_id: r for r in unverified if not r.attested}  # the newest wins
    by_product: dict[str, SupplierFootprint] = {}
    for s in collected:
        by_product[s.product_id] = s  # the newest collected wins
    used: list[SupplierFootprint] = []
    bom = []
    for i, comp in enumerate(components):
        if not isinstance(comp, dict) or not isinstance(comp.get("productId"), str):
            raise CliError(f"{path}: /components/{i}/productId: is required", EXIT_INVALID)
        supplied = by_product.get(comp["productId"])
        if supplied is None and comp["productId"] in pulled:
            record = pulled[comp["productId"]]
            if comp.get("supplier") not in (None, record.issuer):
                raise CliError(
                    f"{path}: /components/{i}/supplier: the footprint of {comp['productId']} "
                    f"came from {record.issuer}",
                    EXIT_INVALID,
                )
            try:
                unverified_line = Leader.unverified_bom_line(
                    record.footprint,
                    record.issuer,
                    line_id=str(comp.get("lineId") or f"bom-{i + 1}"),
                    quantity=Decimal(str(comp.get("quantity", ""))),
                    unit=comp.get("unit"),
                )
            except (FootprintError, ArithmeticError) as exc:
                raise CliError(f"{path}: /components/{i}: {exc}", EXIT_INVALID) from exc
            bom.append(unverified_line.to_dict())
            continue
        if supplied is None:
            raise CliError(
                f"{path}: /components/{i}/productId: no collected footprint for "
                f"{comp['productId']}: request it ('tanji request') and run 'tanji collect'",
                EXIT_INVALID,
            )
        if comp.get("supplier") not in (None, str(supplied.supplier)):
            raise CliError(
                f"{path}: /components/{i}/supplier: the footprint of {comp['productId']} came "
                f"from {supplied.supplier}",
                EXIT_INVALID,
            )
        try:
            from decimal import Decimal, InvalidOperation

            quantity = Decimal(str(comp.get("quantity", "")))
        except InvalidOperation as exc:
            raise CliError(
                f"{path}: /components/{i}/quantity: must be a decimal", EXIT_INVALID
            ) from exc
        try:
            line = Leader.bom_line(
                supplied,
                line_id=str(comp.get("lineId") or f"bom-{i + 1}"),
                quantity=quantity,
                unit=comp.get("unit"),
                description=comp.get("description"),
            )
        except FootprintError as exc:
            raise CliError(
                f"{path}: /components/{i}{exc.pointer}: {exc.reason}", EXIT_INVALID
            ) from exc
        bom.append(line.to_dict())
        used.append(supplied)
    factor_set = default_factor_set()
    factors: list[dict[str, Any]] = []
    for i, act in enumerate(activities):
        fid = act.get("factorId") if isinstance(act, dict) else None
        if isinstance(fid, str) and fid not in [f["id"] for f in factors]:
            try:
                factors.append(factor_set.get(fid).to_dict())
            except FactorError as exc:
                raise CliError(f"{path}: /activities/{i}/factorId: {exc}", EXIT_INVALID) from exc
    inventory_doc = {
        "schema": INVENTORY_SCHEMA,
        "footprintId": str(uuid.uuid4()),
        "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **product,
        "factorSet": {"id": factor_set.id, "digest": factor_set.digest()},
        "factors": factors,
        "bom": bom,
        "activities": activities,
    }
    try:
        return Inventory.from_dict(inventory_doc), used
    except (FootprintError, FactorError) as exc:
        pointer = getattr(exc, "pointer", "") or ""
        if pointer.startswith("/bom/"):
            pointer = "/components/" + pointer.removeprefix("/bom/")
        elif not pointer.startswith("/activities"):
            pointer = "/product" + pointer
        reason = getattr(exc, "reason", None) or str(exc)
        raise CliError(f"{path}: {pointer}: {reason}", EXIT_INVALID) from exc
