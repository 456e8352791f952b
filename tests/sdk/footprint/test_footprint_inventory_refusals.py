"""Every way an inventory document can be wrong is refused with the JSON Pointer of the
field and what it must be; factor bookkeeping errors name the factor."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from demo_chain._data import ORG_BY_KEY, PRODUCT_BY_KEY
from demo_chain._scenario import build_inventory
from sdk.errors import FactorError, FootprintError
from sdk.footprint import Inventory, default_factor_set

NOW = datetime(2026, 3, 1, tzinfo=UTC)
Edit = Callable[[dict[str, Any]], object]


def _doc() -> dict[str, Any]:
    spec = PRODUCT_BY_KEY["cell"]
    return build_inventory(spec, ORG_BY_KEY[spec.maker], [], NOW).to_dict()


def _set(path: str, value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return edit


CASES: dict[str, tuple[Edit, str, str]] = {
    "another schema": (_set("schema", "urn:tanji:inventory:0"), "/schema", "must be"),
    "period ends before it starts": (
        _set("referencePeriodEnd", "2024-01-01T00:00:00Z"),
        "/referencePeriodEnd",
        "later than referencePeriodStart",
    ),
    "unknown boundary": (_set("boundary", "galactic"), "/boundary", "'full' or 'partial'"),
    "preceding id not a uuid": (
        _set("precedingPfIds", ["not-a-uuid"]),
        "/precedingPfIds/0",
        "",
    ),
    "country and subdivision": (_set("geographyCountry", "CN"), "/geographyCountry", "not both"),
    "unknown activity kind": (_set("activities/0/kind", "magic"), "/activities/0/kind", "one of"),
    "process line in kWh": (
        _set("activities/1/unit", "kWh"),
        "/activities/1/unit",
        "kgCO2e, gCO2e or tCO2e",
    ),
    "electricity line without a factor": (
        _drop("activities/0/factorId"),
        "/activities/0/factorId",
        "needs a factor",
    ),
    "activity line without metering": (
        _drop("activities/0/metering"),
        "/activities/0/metering",
        "is required",
    ),
    "no line at all": (_set("activities", []), "/bom", "at least one BOM or activity line"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_inventory_names_the_field(case: str) -> None:
    edit, pointer, fragment = CASES[case]
    doc = _doc()
    Inventory.from_dict(copy.deepcopy(doc))  # the untouched document is valid
    edit(doc)
    with pytest.raises(FootprintError) as err:
        Inventory.from_dict(doc)
    assert err.value.pointer == pointer, str(err.value)
    assert fragment in err.value.reason


def test_factor_bookkeeping_errors_name_the_factor() -> None:
    doc = _doc()
    twice = copy.deepcopy(doc)
    twice["factors"].append(copy.deepcopy(doc["factors"][0]))
    with pytest.raises(FactorError, match="duplicate factor id"):
        Inventory.from_dict(twice)

    unused = copy.deepcopy(doc)
    spare = copy.deepcopy(doc["factors"][0])
    spare["id"] = "spare-factor"
    unused["factors"].append(spare)
    with pytest.raises(FactorError, match="'spare-factor' is not used by any line"):
        Inventory.from_dict(unused)

    inventory = Inventory.from_dict(doc)
    with pytest.raises(FactorError, match="'no-such-factor' is not in the inventory"):
        inventory.factor("no-such-factor")
    other = copy.deepcopy(doc)
    other["factorSet"]["digest"] = "00" * 32
    with pytest.raises(FactorError, match="digest differs from the inventory's"):
        Inventory.from_dict(other).check_factors(default_factor_set())
