"""Metering documents (signed readings, monthly batches, meter registrations) from a
gateway or a file: each malformed one is refused as MeteringError with the pointer."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from sdk.errors import MeteringError
from sdk.footprint import MeterRegistration, ReadingBatch, SignedReading
from tests.sdk.footprint.metering_fixtures import FIRST, monthly_batch, registration

Parse = Callable[[Any], object]


def _reading(**changes: Any) -> dict[str, Any]:
    doc = FIRST.to_dict()
    doc["reading"].update(changes)
    return doc


def _batch(**changes: Any) -> dict[str, Any]:
    doc = monthly_batch().to_dict()
    doc.update(changes)
    return doc


def _registration(**changes: Any) -> dict[str, Any]:
    doc = registration().to_dict()
    doc.update(changes)
    return doc


def _other_device_reading() -> dict[str, Any]:
    doc = monthly_batch().to_dict()
    doc["readings"][3]["reading"]["deviceId"] = "CQ-EM-12"
    return doc


CASES: dict[str, tuple[Parse, Any, str]] = {
    "reading of another type": (
        SignedReading.from_dict,
        _reading(type="tanji.meter-readings"),
        "/reading/type",
    ),
    "reading version 2": (SignedReading.from_dict, _reading(version=2), "/reading/version"),
    "reading version true": (SignedReading.from_dict, _reading(version=True), "/reading/version"),
    "reading device id": (
        SignedReading.from_dict,
        _reading(deviceId="meter #1"),
        "/reading/deviceId",
    ),
    "reading register": (
        SignedReading.from_dict,
        _reading(register="dlt645 0001"),
        "/reading/register",
    ),
    "reading key id": (SignedReading.from_dict, _reading(keyId="KEY"), "/reading/keyId"),
    "reading without counter": (
        SignedReading.from_dict,
        {"reading": {k: v for k, v in FIRST.to_dict()["reading"].items() if k != "counter"}},
        "/reading/counter",
    ),
    "batch of another type": (ReadingBatch.from_dict, _batch(type="x"), "/type"),
    "batch version": (ReadingBatch.from_dict, _batch(version="1"), "/version"),
    "batch period reversed": (
        ReadingBatch.from_dict,
        _batch(periodEnd="2022-01-01T00:00:00Z"),
        "/periodEnd",
    ),
    "batch without readings": (ReadingBatch.from_dict, _batch(readings=[]), "/readings"),
    "batch reading of another meter": (
        ReadingBatch.from_dict,
        _other_device_reading(),
        "/readings/3",
    ),
    "registration owner not canonical": (
        MeterRegistration.from_dict,
        _registration(owner=registration().owner.lower()),
        "/owner",
    ),
    "registration short key": (
        MeterRegistration.from_dict,
        _registration(publicKey="AAAA"),
        "/publicKey",
    ),
    "registration quantity": (
        MeterRegistration.from_dict,
        _registration(quantity="sunshine"),
        "/quantity",
    ),
    "registration blank institute": (
        MeterRegistration.from_dict,
        _registration(
            calibrations=[{**registration().to_dict()["calibrations"][0], "institute": ""}]
        ),
        "/calibrations/0/institute",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_metering_document_names_the_field(case: str) -> None:
    parse, doc, pointer = CASES[case]
    with pytest.raises(MeteringError) as err:
        parse(copy.deepcopy(doc))
    assert err.value.pointer is not None
    assert err.value.pointer.startswith(pointer), str(err.value)


def test_the_untouched_documents_parse_back_equal() -> None:
    assert SignedReading.from_dict(FIRST.to_dict()) == FIRST
    batch = monthly_batch()
    assert ReadingBatch.from_dict(batch.to_dict()) == batch
    reg = registration()
    assert MeterRegistration.from_dict(reg.to_dict()) == reg
    assert reg.digest() == MeterRegistration.from_dict(reg.to_dict()).digest()
    assert len(reg.calibrations[0].digest()) == 64
