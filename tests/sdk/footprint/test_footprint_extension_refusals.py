"""The Tanji extension entry of a PACT footprint: every malformed entry is refused with
the pointer of the key at fault."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sdk.errors import FootprintError
from sdk.footprint import TanjiExtension, from_pact, to_pact
from tests.sdk.footprint.test_footprint_pact import tanji_footprint


def _entry() -> dict[str, Any]:
    tanji = tanji_footprint().tanji
    assert tanji is not None
    return tanji.to_extension()


def _data(**changes: Any) -> dict[str, Any]:
    entry = _entry()
    entry["data"].update(changes)
    return entry


CASES: dict[str, tuple[Any, str]] = {
    "unknown entry key": ({**_entry(), "colour": "red"}, "/colour"),
    "another schema": ({**_entry(), "dataSchema": "https://example.com/other.json"}, "/dataSchema"),
    "factor set without digest": (_data(factorSet={"id": "tanji-cn-default@2025.1"}), "/data/"),
    "uscc not an org id": (_data(uscc="not-a-code"), "/data/uscc"),
    "uscc an urn": (_data(uscc="urn:tanji:org:example"), "/data/uscc"),
}


def test_the_entry_parses_back_equal() -> None:
    tanji = tanji_footprint().tanji
    assert TanjiExtension.from_extension(copy.deepcopy(_entry())) == tanji


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_extension_entry_names_the_key(case: str) -> None:
    entry, pointer = CASES[case]
    with pytest.raises(FootprintError) as err:
        TanjiExtension.from_extension(copy.deepcopy(entry))
    assert (err.value.pointer or "").startswith(pointer), str(err.value)


def test_footprint_level_refusals() -> None:
    doc = to_pact(tanji_footprint())
    reversed_validity = copy.deepcopy(doc)
    reversed_validity["validityPeriodStart"] = "2026-01-01T00:00:00Z"
    reversed_validity["validityPeriodEnd"] = "2025-01-01T00:00:00Z"
    with pytest.raises(FootprintError) as err:
        from_pact(reversed_validity)
    assert err.value.pointer == "/validityPeriodEnd"
    assert "later than validityPeriodStart" in err.value.reason
