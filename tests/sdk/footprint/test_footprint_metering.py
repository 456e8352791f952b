"""Signed meter readings: format, signatures, registration, calibration, monotonicity,
the activity amount they give, and an inventory line citing them."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from nacl.signing import VerifyKey

from sdk import canonical_json
from sdk._canonical import STATEMENT_TAG
from sdk.errors import FootprintError, MeteringError, UnitError, VerificationError
from sdk.footprint import (
    READING_TAG,
    ActivityLine,
    CalibrationCertificate,
    Dqr,
    Inventory,
    MeterAllocation,
    MeterCitation,
    MeterReading,
    MeterRegistration,
    ReadingBatch,
    SignedReading,
    metered_activity,
    roll_up,
    sign_reading,
    verify_metered_inventory,
    verify_metered_line,
    verify_readings,
)
from tests.sdk.footprint.metering_fixtures import (
    ALLOCATION,
    CERT_2022,
    CERT_2024,
    DEVICE_KEY,
    FIRST,
    LAST,
    OTHER_KEY,
    PANEL_ORG,
    PERIOD_END,
    PERIOD_START,
    VECTORS,
    fgas_line,
    metered_line,
    monthly_batch,
    panel_inventory,
    reading,
    registration,
    vectors,
)

D = Decimal


def _step(call: object) -> str:
    with pytest.raises(VerificationError) as info:
        call()  # type: ignore[operator]
    return info.value.step


# ---------------------------------------------------------------- format and signature


def test_signing_input_is_the_tagged_canonical_reading() -> None:
    body = FIRST.reading.to_dict()
    assert FIRST.reading.signing_input == READING_TAG.encode() + b"\0" + canonical_json(body)
    VerifyKey(bytes(DEVICE_KEY.verify_key)).verify(FIRST.reading.signing_input, FIRST.signature)
    assert body["counter"] == "12345.67"
    assert body["time"] == "2022-12-31T16:00:00Z"


def test_json_round_trips() -> None:
    assert SignedReading.from_dict(json.loads(json.dumps(FIRST.to_dict()))) == FIRST
    reg = registration()
    assert MeterRegistration.from_dict(json.loads(json.dumps(reg.to_dict()))) == reg
    batch = monthly_batch()
    assert ReadingBatch.from_dict(json.loads(json.dumps(batch.to_dict()))) == batch
    assert ReadingBatch.from_dict(batch.to_dict()).digest() == batch.digest()
    citation = metered_line().meter_readings
    assert citation is not None
    assert MeterCitation.from_dict(json.loads(json.dumps(citation.to_dict()))) == citation


def test_domain_separation_a_reading_signature_is_not_a_statement_signature() -> None:
    # the same canonical bytes signed under the statement tag do not verify as a reading,
    # and a reading's signature does not verify over the bytes without its tag
    body = canonical_json(FIRST.reading.to_dict())
    statement_sig = DEVICE_KEY.sign(STATEMENT_TAG.encode() + b"\0" + body).signature
    forged = SignedReading(FIRST.reading, statement_sig)
    assert _step(lambda: verify_readings([forged], registration())) == "meter.signature"
    verify_key = VerifyKey(bytes(DEVICE_KEY.verify_key))
    with pytest.raises(Exception, match="Signature was forged"):
        verify_key.verify(body, FIRST.signature)


def test_sign_reading_refuses_a_key_the_reading_does_not_name() -> None:
    with pytest.raises(ValueError, match="names key"):
        sign_reading(FIRST.reading, OTHER_KEY)


@pytest.mark.parametrize("index", range(64))
def test_every_signature_byte_flip_is_caught(index: int) -> None:
    signature = bytearray(LAST.signature)
    signature[index] ^= 0x01
    tampered = SignedReading(LAST.reading, bytes(signature))
    assert _step(lambda: verify_readings([FIRST, tampered], registration())) == "meter.signature"


@pytest.mark.parametrize(
    ("field", "value", "step"),
    [
        ("counter", D("72345.68"), "meter.signature"),
        ("time", PERIOD_END + timedelta(seconds=1), "meter.signature"),
        ("unit", "MWh", "meter.registration"),
        ("register", "dlt645:00000000", "meter.registration"),
        ("device_id", "CQ-EM-12", "meter.registration"),
        ("key_id", "0" * 32, "meter.registration"),
    ],
)
def test_every_tampered_field_is_caught(field: str, value: Any, step: str) -> None:
    tampered = SignedReading(dataclasses.replace(LAST.reading, **{field: value}), LAST.signature)
    assert _step(lambda: verify_readings([FIRST, tampered], registration())) == step


def test_malformed_json_names_the_field() -> None:
    doc = FIRST.to_dict()
    doc["reading"]["counter"] = 12345.67
    with pytest.raises(MeteringError) as info:
        SignedReading.from_dict(doc)
    assert info.value.pointer == "/reading/counter"
    doc = FIRST.to_dict()
    doc["signature"] = "AAAA"
    with pytest.raises(MeteringError, match="signature"):
        SignedReading.from_dict(doc)
    doc = FIRST.to_dict()
    doc["reading"]["extra"] = 1
    with pytest.raises(MeteringError) as info:
        SignedReading.from_dict(doc)
    assert info.value.pointer == "/reading/extra"
    with pytest.raises(MeteringError) as info:
        MeterReading.from_dict({**FIRST.reading.to_dict(), "time": "2023-01-01T00:00:00"})
    assert info.value.pointer == "/time"


def test_registration_validation() -> None:
    with pytest.raises(MeteringError, match="check character"):
        registration(owner="91500112MA5UDP0020")
    with pytest.raises(MeteringError, match="cannot measure electricity"):
        registration(unit="kg")
    with pytest.raises(MeteringError, match="at least one calibration"):
        registration(calibrations=())
    with pytest.raises(MeteringError, match="duplicate certificate"):
        registration(calibrations=(CERT_2022, CERT_2022))
    with pytest.raises(MeteringError, match="later than registeredAt"):
        registration(retired_at=datetime(2022, 1, 1, tzinfo=UTC))
    with pytest.raises(MeteringError, match="validFrom"):
        CalibrationCertificate("x", "n", date(2024, 1, 2), date(2024, 1, 1))


# ---------------------------------------------------------------- registration, calibration


def test_registration_binds_owner_and_life() -> None:
    assert _step(
        lambda: verify_readings([FIRST, LAST], registration(), owner="91350902MA31CE003B")
    ) == ("meter.registration")
    early = registration(registered_at=PERIOD_START + timedelta(seconds=1))
    assert _step(lambda: verify_readings([FIRST, LAST], early)) == "meter.registration"
    retired = registration().retire(PERIOD_END)  # retirement is exclusive
    assert _step(lambda: verify_readings([FIRST, LAST], retired)) == "meter.registration"
    ok = registration().retire(PERIOD_END + timedelta(seconds=1))
    assert verify_readings([FIRST, LAST], ok).consumption == D("360000000.00")


def test_calibration_dates_are_china_standard_time() -> None:
    only_2022 = registration(calibrations=(CERT_2022,))
    # 2023-12-31 23:59:59 CST is the certificate's last day; 00:00 CST on 1 January is not
    inside = reading("72000.00", datetime(2023, 12, 31, 15, 59, 59, tzinfo=UTC))
    assert verify_readings([FIRST, inside], only_2022).calibrations == (
        CERT_2022.number,
        CERT_2022.number,
    )
    with pytest.raises(VerificationError) as info:
        verify_readings([FIRST, LAST], only_2022)
    assert info.value.step == "meter.calibration"
    assert "2024-01-01 China Standard Time" in info.value.reason
    # the renewal covers the last reading
    assert verify_readings([FIRST, LAST], registration()).calibrations == (
        CERT_2022.number,
        CERT_2024.number,
    )


def test_renewal_and_retirement_of_a_registration() -> None:
    reg = registration(calibrations=(CERT_2022,))
    renewed = reg.renew(CERT_2024)
    assert renewed.calibrations == (CERT_2022, CERT_2024)
    with pytest.raises(MeteringError, match="before the current certificate"):
        renewed.renew(CERT_2022.__class__("i", "n2", date(2023, 1, 1), date(2026, 1, 1)))
    with pytest.raises(MeteringError, match="duplicate"):
        reg.renew(dataclasses.replace(CERT_2024, number=CERT_2022.number))
    retired = renewed.retire(datetime(2024, 6, 1, tzinfo=UTC))
    with pytest.raises(MeteringError, match="retired"):
        retired.renew(CERT_2024)
    with pytest.raises(MeteringError, match="already retired"):
        retired.retire(datetime(2024, 7, 1, tzinfo=UTC))
    assert registration().calibration_at(datetime(2022, 5, 31, 15, 59, tzinfo=UTC)) is None


def test_gap_between_certificates_is_caught() -> None:
    gap = dataclasses.replace(CERT_2024, valid_from=date(2024, 1, 2))
    reg = registration(calibrations=(CERT_2022, gap))
    assert _step(lambda: verify_readings([FIRST, LAST], reg)) == "meter.calibration"


def test_monotonic_counters_and_times() -> None:
    reg = registration()
    same_time = reading("20000.00", PERIOD_START)
    assert _step(lambda: verify_readings([FIRST, same_time], reg)) == "meter.monotonic"
    lower = reading("12000.00", PERIOD_END)
    assert _step(lambda: verify_readings([FIRST, lower], reg)) == "meter.monotonic"
    flat = reading("12345.67", PERIOD_END)
    assert verify_readings([FIRST, flat], reg).consumption == 0


# ---------------------------------------------------------------- activity amount


@pytest.mark.parametrize(
    ("declared", "matches"),
    [
        ("180", True),  # exact
        ("180.00", True),
        ("180.0000001", False),  # more digits must be right
        ("181", False),
        ("150.0", False),
    ],
)
def test_activity_rounding_rule_exact(declared: str, matches: bool) -> None:
    amount = metered_activity(
        D("360000000.00"),
        "kWh",
        ALLOCATION,
        declared=D(declared),
        line_unit="kWh",
        declared_unit="piece",
        declared_unit_amount=D(1),
    )
    assert amount.matches is matches
    assert amount.computed == D("180")


def test_activity_rounding_rule_inexact() -> None:
    third = MeterAllocation(D(1), D(3), "piece", "three panels")
    kwargs: dict[str, Any] = {
        "line_unit": "kWh",
        "declared_unit": "piece",
        "declared_unit_amount": D(1),
    }
    # 1000 / 3 = 333.333…: any declaration rounding half-even to it with >= 4 digits passes
    assert metered_activity(D(1000), "kWh", third, declared=D("333.3"), **kwargs).matches
    assert metered_activity(D(1000), "kWh", third, declared=D("333.33333"), **kwargs).matches
    assert not metered_activity(D(1000), "kWh", third, declared=D("333.4"), **kwargs).matches
    coarse = metered_activity(D(1000), "kWh", third, declared=D("333"), **kwargs)
    assert not coarse.matches
    assert "significant digits" in coarse.reason
    # unit conversion, share and declared amount
    half = MeterAllocation(D("0.5"), D(10), "piece", "half the line")
    mwh = metered_activity(
        D(1000),
        "kWh",
        half,
        declared=D("0.1000"),
        line_unit="MWh",
        declared_unit="piece",
        declared_unit_amount=D(2),
    )
    assert mwh.matches
    assert mwh.computed == D("0.1")
    with pytest.raises(UnitError):
        metered_activity(
            D(1),
            "kWh",
            ALLOCATION,
            declared=D(1),
            line_unit="kg",
            declared_unit="piece",
            declared_unit_amount=D(1),
        )


# ---------------------------------------------------------------- inventory lines


def test_metered_line_verifies_and_reports_figures() -> None:
    check = verify_metered_line(panel_inventory(), "elec", registration(), owner=PANEL_ORG)
    doc = check.to_dict()
    assert doc["amount"]["computed"] == "180.00"
    assert doc["amount"]["declared"] == "180.0"
    assert doc["multiplier"] == "6000"
    assert doc["calibrations"] == [CERT_2022.number, CERT_2024.number]
    assert doc["readingsChecked"] == 2


def test_whole_batch_is_checked() -> None:
    batch = monthly_batch()
    check = verify_metered_line(
        panel_inventory(), "elec", registration(), owner=PANEL_ORG, batch=batch
    )
    assert len(check.verified.readings) == 13
    # one bad signature in the middle of the batch is caught
    readings = list(batch.readings)
    readings[6] = SignedReading(readings[6].reading, OTHER_KEY.sign(b"x").signature)
    bad = dataclasses.replace(batch, readings=tuple(readings))
    assert (
        _step(
            lambda: verify_metered_line(
                panel_inventory(), "elec", registration(), owner=PANEL_ORG, batch=bad
            )
        )
        == "meter.signature"
    )
    # a batch without the cited last reading
    partial = dataclasses.replace(batch, readings=batch.readings[:-1])
    assert (
        _step(
            lambda: verify_metered_line(
                panel_inventory(), "elec", registration(), owner=PANEL_ORG, batch=partial
            )
        )
        == "meter.batch"
    )


def test_period_must_be_bracketed() -> None:
    late_first = reading("12400.00", PERIOD_START + timedelta(days=2))
    inventory = panel_inventory(metered_line(first=late_first), fgas_line())
    with pytest.raises(VerificationError) as info:
        verify_metered_line(inventory, "elec", registration(), owner=PANEL_ORG)
    assert info.value.step == "meter.period"
    # within a configurable tolerance
    with pytest.raises(VerificationError) as info:
        verify_metered_line(
            inventory, "elec", registration(), owner=PANEL_ORG, tolerance=timedelta(days=3)
        )
    assert info.value.step == "meter.activity"  # 59945.67 x 6000 / 2e6 is not 180.0


def test_traceability_record_must_name_a_registered_certificate() -> None:
    inventory = panel_inventory(metered_line(certificate="CERT-ELSEWHERE"), fgas_line())
    assert (
        _step(lambda: verify_metered_line(inventory, "elec", registration(), owner=PANEL_ORG))
        == "meter.calibration"
    )


def test_whole_inventory() -> None:
    inventory = panel_inventory()
    checks = verify_metered_inventory(inventory, {"CQ-EM-11": registration()}, owner=PANEL_ORG)
    assert [c.line_id for c in checks] == ["elec"]
    assert _step(lambda: verify_metered_inventory(inventory, {}, owner=PANEL_ORG)) == (
        "meter.registration"
    )
    assert _step(
        lambda: verify_metered_line(inventory, "fgas", registration(), owner=PANEL_ORG)
    ) == ("meter.citation")


def test_inventory_line_citing_readings_round_trips() -> None:
    inventory = panel_inventory()
    doc = json.loads(json.dumps(inventory.to_dict()))
    assert "meterReadings" in doc["activities"][0]
    assert Inventory.from_dict(doc) == inventory
    doc["activities"][0]["meterReadings"]["last"]["reading"]["counter"] = "x"
    with pytest.raises(FootprintError) as info:
        Inventory.from_dict(doc)
    assert info.value.pointer == "/activities/0/meterReadings/last/reading/counter"


def test_a_metered_line_is_measured_primary_data() -> None:
    line = metered_line()
    with pytest.raises(FootprintError) as info:
        dataclasses.replace(line, primary=False)
    assert info.value.pointer == "/primary"
    with pytest.raises(FootprintError) as info:
        dataclasses.replace(line, dqr=Dqr(D(1), D(1), D(1), D(1), D(2)))
    assert info.value.pointer == "/dqr/reliability"
    with pytest.raises(FootprintError) as info:
        dataclasses.replace(line, metering=dataclasses.replace(line.metering, instrument_id="X"))
    assert info.value.pointer == "/metering/instrumentId"
    with pytest.raises(UnitError):
        ActivityLine(
            "m",
            "material",
            "glass",
            D(1),
            "kg",
            "display-glass",
            True,
            Dqr.uniform(1),
            dataclasses.replace(line.metering, line_id="m"),
            line.meter_readings,
        )


def test_roll_up_counts_metered_lines() -> None:
    result = roll_up(panel_inventory())
    # 180 kWh x 0.2472 = 44.496 metered of 62.600 own activity emissions
    assert result.pcf == D("62.600")
    assert result.metered_activity_share == D("71.1")
    assert result.metered_total_share == D("71.1")
    assert [line.metered for line in result.lines] == [True, False]
    assert result.to_dict()["meteredActivityShare"] == "71.1"
    unmetered = roll_up(
        panel_inventory(dataclasses.replace(metered_line(), meter_readings=None), fgas_line())
    )
    assert unmetered.metered_activity_share == D(0)
    # The citation changes no PACT figure; the Tanji extension states the metered share.
    assert unmetered.footprint.pcf == result.footprint.pcf
    assert unmetered.footprint.tanji is not None
    assert result.footprint.tanji is not None
    assert unmetered.footprint.tanji.metered_activity_share is None
    assert result.footprint.tanji.metered_activity_share == D("71.1")
    assert dataclasses.replace(result.footprint.tanji, metered_activity_share=None) == (
        unmetered.footprint.tanji
    )


def test_citation_form_checks() -> None:
    other_device = SignedReading(
        dataclasses.replace(LAST.reading, device_id="CQ-EM-12"), LAST.signature
    )
    with pytest.raises(MeteringError) as info:
        MeterCitation("CQ-EM-11", FIRST, other_device, ALLOCATION)
    assert info.value.pointer == "/last/reading/deviceId"
    with pytest.raises(MeteringError, match="share"):
        MeterAllocation(D("1.5"), D(1), "piece", "too much")
    with pytest.raises(MeteringError, match="batch"):
        MeterCitation("CQ-EM-11", FIRST, LAST, ALLOCATION, batch="not-an-id")
    with pytest.raises(MeteringError, match="time order"):
        ReadingBatch("CQ-EM-11", PERIOD_START, PERIOD_END, (LAST, FIRST))


# ---------------------------------------------------------------- named vectors


def test_vectors_are_fresh() -> None:
    for name, content in vectors().items():
        on_disk = json.loads((VECTORS / name).read_text())
        assert on_disk == json.loads(json.dumps(content)), f"{name}: run make vectors"
    assert sorted(p.name for p in VECTORS.glob("*.json")) == sorted(vectors())


@pytest.mark.parametrize("name", sorted(vectors()))
def test_vector(name: str) -> None:
    vector = json.loads((VECTORS / name).read_text())
    inventory = Inventory.from_dict(vector["inventory"])
    reg = MeterRegistration.from_dict(vector["registration"])
    expected = vector["expected"]
    if expected["ok"]:
        check = verify_metered_line(inventory, vector["lineId"], reg, owner=vector["owner"])
        doc = check.to_dict()
        assert doc["amount"]["computed"] == expected["computed"]
        assert doc["calibrations"] == expected["calibrations"]
    else:
        with pytest.raises(VerificationError) as info:
            verify_metered_line(inventory, vector["lineId"], reg, owner=vector["owner"])
        assert info.value.step == expected["step"]
