"""The documents people hand to ``tanji`` (footprints, inventories, bills of materials):
each refusal names the file and the JSON Pointer of what is wrong, and the exit code."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from demo_chain._data import ORG_BY_KEY, PRODUCT_BY_KEY
from demo_chain._files import bom_document, pact_document
from demo_chain._scenario import build_inventory
from sdk import OrgKeys, create_attestation, open_attestation
from sdk.footprint import Inventory
from sdk.roles import SupplierFootprint
from sdk.roles._labelling import UNIT_AMOUNT_POINTER, UNIT_POINTER, VALUE_POINTER
from sdk.roles._leader import UPSTREAM_POINTERS
from tanji._app import EXIT_INVALID, CliError
from tanji._docs import bom_requests, build_rollup_inventory, load_publishable

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
CELL = PRODUCT_BY_KEY["cell"]
CELLS_ORG = ORG_BY_KEY[CELL.maker].org_id
PACK_ORG = ORG_BY_KEY[PRODUCT_BY_KEY["battery_pack"].maker].org_id


def _write(tmp_path: Path, doc: Any, name: str = "doc.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _refusal(call: Any, *args: Any) -> str:
    with pytest.raises(CliError) as err:
        call(*args)
    assert err.value.code == EXIT_INVALID, str(err.value)
    return str(err.value)


@pytest.fixture(scope="module")
def cell_footprint() -> SupplierFootprint:
    """The cell maker's footprint as the pack maker collected it: a real attestation,
    granted to the pack maker, opened and its PCF claims disclosed."""
    supplier = OrgKeys.from_seed(CELLS_ORG, bytes([5]) * 32)
    leader = OrgKeys.from_seed(PACK_ORG, bytes([6]) * 32)
    doc = pact_document("cell")
    rng = random.Random(13).randbytes
    att = create_attestation(supplier, footprint=doc, inventory={}, now=NOW, rng=rng)
    grant = att.grant(PACK_ORG, leader.public_key, rng=rng)
    opened = open_attestation(att.signed_statement, att.envelope, grant, leader)
    disclosure = att.disclose(UPSTREAM_POINTERS)
    values = {c.pointer: c.value for c in disclosure.claims}
    return SupplierFootprint(
        request_id="req-1",
        supplier=supplier.org_id,
        product_id=CELL.product_id,
        attestation_id=att.attestation_id,
        value=Decimal(str(values[VALUE_POINTER])),
        declared_unit=str(values[UNIT_POINTER]),
        declared_amount=Decimal(str(values[UNIT_AMOUNT_POINTER])),
        disclosure=disclosure,
        opened=opened,
    )


def test_load_publishable_reads_a_pact_list_and_names_the_item_at_fault(tmp_path: Path) -> None:
    good = pact_document("cell")
    listed = load_publishable(_write(tmp_path, {"data": [good, pact_document("mainboard")]}))
    assert [p.kind for p in listed] == ["PACT 3.0.0", "PACT 3.0.0"]
    assert listed[0].product_id == CELL.product_id
    assert listed[0].inventory is None

    bad = copy.deepcopy(good)
    bad["pcf"]["declaredUnitOfMeasurement"] = "bushel"
    path = _write(tmp_path, {"data": [good, bad]})
    message = _refusal(load_publishable, path)
    assert message.startswith(f"{path}: /data/1/pcf/declaredUnitOfMeasurement: ")


def test_load_publishable_refuses_a_broken_inventory_naming_the_pointer(tmp_path: Path) -> None:
    doc = build_inventory(CELL, ORG_BY_KEY[CELL.maker], [], NOW).to_dict()
    loaded = load_publishable(_write(tmp_path, doc))
    assert [(p.kind, p.product_id) for p in loaded] == [("inventory", CELL.product_id)]
    assert isinstance(loaded[0].inventory, Inventory)

    doc["activities"][0]["amount"] = "lots"
    path = _write(tmp_path, doc)
    message = _refusal(load_publishable, path)
    assert message.startswith(f"{path}: /activities/0/amount: ")


def test_bom_requests_group_products_by_supplier_and_name_each_fault(tmp_path: Path) -> None:
    bom = bom_document("battery_pack")
    twice = copy.deepcopy(bom)
    twice["components"].append(dict(bom["components"][0], lineId="again"))
    asked = bom_requests(_write(tmp_path, twice))
    assert asked == {CELLS_ORG: [CELL.product_id]}

    cases: list[tuple[Any, str]] = [
        ([], '/schema: must be "urn:tanji:bom:1"'),
        ({**bom, "schema": "urn:tanji:bom:0"}, "/schema: must be"),
        ({**bom, "components": []}, "/components: must be a non-empty array"),
        ({**bom, "components": ["cell"]}, "/components/0: must be an object"),
        ({**bom, "components": [{"productId": CELL.product_id}]}, "/components/0/supplier"),
        ({**bom, "components": [{"supplier": CELLS_ORG}]}, "/components/0/productId"),
    ]
    for doc, fragment in cases:
        path = _write(tmp_path, doc)
        message = _refusal(bom_requests, path)
        assert message.startswith(f"{path}: "), message
        assert fragment in message


def test_rollup_inventory_from_a_bom_and_the_collected_footprints(
    tmp_path: Path, cell_footprint: SupplierFootprint
) -> None:
    bom = bom_document("battery_pack")
    inventory, used = build_rollup_inventory(_write(tmp_path, bom), [cell_footprint], NOW)
    assert used == [cell_footprint]
    assert [line.supplier_attestation_id for line in inventory.bom] == [
        cell_footprint.attestation_id
    ]
    assert inventory.bom[0].supplier_pcf == cell_footprint.value


def _component(bom: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(bom)
    out["components"][0].update(changes)
    return out


def test_rollup_inventory_refusals_name_the_bom_pointer(
    tmp_path: Path, cell_footprint: SupplierFootprint
) -> None:
    bom = bom_document("battery_pack")
    no_product = {k: v for k, v in bom.items() if k != "product"}
    unknown_activity = copy.deepcopy(bom)
    unknown_activity["activities"][0]["factorId"] = "no-such-factor"
    bad_amount = copy.deepcopy(bom)
    bad_amount["activities"][0]["amount"] = "-1"
    bad_unit = copy.deepcopy(bom)
    bad_unit["product"]["declaredUnit"] = "bushel"
    cases: list[tuple[Any, str]] = [
        ({**bom, "schema": "x"}, "/schema: must be"),
        (no_product, "/product: must be an object"),
        ({**bom, "product": {**bom["product"], "colour": "red"}}, "/product/colour: unknown"),
        ({**bom, "components": {}}, "/components and /activities must be arrays"),
        ({**bom, "components": [7]}, "/components/0/productId: is required"),
        (
            _component(bom, productId="urn:tanji:product:nobody-sent-this"),
            "no collected footprint for urn:tanji:product:nobody-sent-this",
        ),
        (_component(bom, supplier="urn:tanji:org:someone-else"), "/components/0/supplier:"),
        (_component(bom, quantity="four"), "/components/0/quantity: must be a decimal"),
        (_component(bom, quantity="-4"), "/components/0/quantity"),
        (unknown_activity, "/activities/0/factorId:"),
        (bad_amount, "/activities/0/amount"),
        (bad_unit, "/product/declaredUnit"),
    ]
    for doc, fragment in cases:
        path = _write(tmp_path, doc)
        message = _refusal(build_rollup_inventory, path, [cell_footprint], NOW)
        assert message.startswith(f"{path}: "), message
        assert fragment in message, message
    missing = tmp_path / "absent.json"
    with pytest.raises(CliError, match="no such bill of materials file") as err:
        build_rollup_inventory(missing, [cell_footprint], NOW)
    assert err.value.code != EXIT_INVALID
