"""An inventory may cite the public attestation that published its factor set."""

from __future__ import annotations

import dataclasses

import pytest

from sdk.errors import FootprintError
from sdk.footprint import Inventory
from tests.sdk.footprint.footprint_laptop import laptop_inventory

CITED = "ab" * 32


def test_citation_round_trips_and_is_omitted_when_absent() -> None:
    plain = laptop_inventory()
    assert plain.factor_set_attestation is None
    assert "attestation" not in plain.to_dict()["factorSet"]
    cited = dataclasses.replace(plain, factor_set_attestation=CITED)
    doc = cited.to_dict()
    assert doc["factorSet"] == {
        "id": plain.factor_set_id,
        "digest": plain.factor_set_digest,
        "attestation": CITED,
    }
    assert Inventory.from_dict(doc) == cited


@pytest.mark.parametrize("bad", ["AB" * 32, "ab" * 31, 7])
def test_a_malformed_citation_is_refused_by_pointer(bad: object) -> None:
    doc = laptop_inventory().to_dict()
    doc["factorSet"]["attestation"] = bad
    with pytest.raises(FootprintError) as info:
        Inventory.from_dict(doc)
    assert info.value.pointer == "/factorSet/attestation"
