"""A factor-set document (``tanji`` imports and ships them) is refused with the factor
and the field at fault, provenance included."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sdk.errors import FactorError
from sdk.footprint import FactorSet, default_factor_set

PROVENANCE: dict[str, Any] = {
    "database": "national GHG emission factor database",
    "databaseVersion": "2025.1",
    "retrieved": "2025-03-01",
    "inputSha256": "ab" * 32,
    "records": 7,
    "gwp": "IPCC AR5 GWP100",
}


def _doc() -> dict[str, Any]:
    doc = default_factor_set().to_dict()
    doc["provenance"] = dict(PROVENANCE)
    return doc


def _factor(**changes: Any) -> dict[str, Any]:
    doc = _doc()
    doc["factors"][0].update(changes)
    return doc


def _without_factor_field(name: str) -> dict[str, Any]:
    doc = _doc()
    del doc["factors"][0][name]
    return doc


def _provenance(**changes: Any) -> dict[str, Any]:
    doc = _doc()
    doc["provenance"].update(changes)
    return doc


FIRST = "factors/0 ('cn-grid-2021-national')"

CASES: dict[str, tuple[Any, str]] = {
    "not an object": ([], "factor set must be a JSON object"),
    "unknown field": ({**_doc(), "colour": "green"}, "factor set: unknown field 'colour'"),
    "no publisher": (
        {k: v for k, v in _doc().items() if k != "publisher"},
        "factor set: publisher is required",
    ),
    "factors not an array": ({**_doc(), "factors": {}}, "factor set: factors must be an array"),
    "no factors": ({**_doc(), "factors": []}, "non-empty tuple of factors"),
    "bad set name": ({**_doc(), "name": "Not An Id!"}, "factor set name must match"),
    "bad version": ({**_doc(), "version": "  "}, "factor set version must match"),
    "blank publisher": ({**_doc(), "publisher": " "}, "factor set publisher must be a non-empty"),
    "factor not an object": ({**_doc(), "factors": ["x"]}, "factors/0: must be an object"),
    "factor unknown field": (_factor(colour="red"), f"{FIRST}: unknown field 'colour'"),
    "factor without unit": (_without_factor_field("unit"), f"{FIRST}: unit is required"),
    "factor value a number": (_factor(value=0.5), "value must be a decimal string"),
    "factor value not decimal": (_factor(value="half"), f"{FIRST}: value:"),
    "factor id": (_factor(id="Bad Id"), "id must match"),
    "factor blank source": (_factor(source=" "), "source must be a non-empty string"),
    "factor year": (_factor(year=1900), "year must be an integer between 1990 and 2100"),
    "factor year a bool": (_factor(year=True), "year must be an integer"),
    "factor blank quality note": (_factor(qualityNote=" "), "qualityNote must be a non-empty"),
    "factor illustrative not bool": (_factor(illustrative="no"), "illustrative must be a boolean"),
    "provenance missing a key": (
        {**_doc(), "provenance": {"database": "x"}},
        "provenance must be an object with database, databaseVersion",
    ),
    "provenance date": (_provenance(retrieved="1 March"), "retrieved must be YYYY-MM-DD"),
    "provenance digest": (_provenance(inputSha256="AB" * 32), "inputSha256 must be 64 lowercase"),
    "provenance records": (_provenance(records=0), "records must be a positive integer"),
    "provenance blank gwp": (_provenance(gwp=""), "gwp must be a non-empty string"),
}


def test_the_document_round_trips_with_its_provenance() -> None:
    parsed = FactorSet.from_dict(copy.deepcopy(_doc()))
    assert parsed.provenance is not None
    assert parsed.to_dict()["provenance"] == PROVENANCE
    assert FactorSet.from_dict(parsed.to_dict()) == parsed


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_factor_set_names_the_factor_and_field(case: str) -> None:
    doc, fragment = CASES[case]
    with pytest.raises(FactorError) as err:
        FactorSet.from_dict(copy.deepcopy(doc))
    assert fragment in str(err.value)
