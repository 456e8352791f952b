"""A metered display-panel line: fixed device key, registration, signed readings and an
inventory citing them; and the named metering vectors built from them.

The organisations are the demo's (fictional); the meter, its certificates and the
metrology institute are fictional too. ``python tests/sdk/footprint/metering_fixtures.py``
rewrites the vectors in ``tests/sdk/footprint/vectors/metering``; a test regenerates
them and compares.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from sdk.footprint import (
    ActivityLine,
    CalibrationCertificate,
    Dqr,
    Inventory,
    MeterAllocation,
    MeterCitation,
    MeteringRecord,
    MeterReading,
    MeterRegistration,
    ReadingBatch,
    SignedReading,
    default_factor_set,
    device_key_id,
    sign_reading,
)

D = Decimal
VECTORS = Path(__file__).resolve().parent / "vectors" / "metering"

PANEL_ORG = "91500112MA5UDP002F"
OTHER_ORG = "91350902MA31CE003B"
DEVICE_ID = "CQ-EM-11"
DEVICE_KEY = SigningKey(bytes(range(1, 33)))
OTHER_KEY = SigningKey(bytes(range(101, 133)))
REGISTER = "dlt645:00010000"
#: Reference period 2023 in China Standard Time.
PERIOD_START = datetime(2022, 12, 31, 16, 0, tzinfo=UTC)
PERIOD_END = datetime(2023, 12, 31, 16, 0, tzinfo=UTC)

CERT_2022 = CalibrationCertificate(
    institute="Chongqing Example Metrology Institute (fictional)",
    number="JJG596-CQ-2022-0311",
    valid_from=date(2022, 6, 1),
    valid_until=date(2023, 12, 31),
    accuracy_class="0.5S",
)
CERT_2024 = CalibrationCertificate(
    institute="Chongqing Example Metrology Institute (fictional)",
    number="JJG596-CQ-2024-0007",
    valid_from=date(2024, 1, 1),
    valid_until=date(2025, 12, 31),
    accuracy_class="0.5S",
)


def registration(**changes: Any) -> MeterRegistration:
    """The panel line's main meter: CT/PT multiplier 6000, calibrated 2022-06..2023 and
    renewed from 1 January 2024 (the period's last reading, 00:00 CST on that day, falls
    under the renewal)."""
    base = MeterRegistration(
        device_id=DEVICE_ID,
        owner=PANEL_ORG,
        public_key=bytes(DEVICE_KEY.verify_key),
        quantity="electricity",
        unit="kWh",
        register=REGISTER,
        calibrations=(CERT_2022, CERT_2024),
        registered_at=datetime(2022, 6, 1, tzinfo=UTC),
        multiplier=D(6000),
    )
    return dataclasses.replace(base, **changes)


def reading(
    counter: str, at: datetime, *, key: SigningKey = DEVICE_KEY, **changes: Any
) -> SignedReading:
    """A reading of the panel meter signed with ``key``."""
    base = MeterReading(
        device_id=DEVICE_ID,
        key_id=device_key_id(bytes(key.verify_key)),
        register=REGISTER,
        counter=D(counter),
        unit="kWh",
        time=at,
    )
    return sign_reading(dataclasses.replace(base, **changes), key)


FIRST = reading("12345.67", PERIOD_START)
LAST = reading("72345.67", PERIOD_END)


def monthly_batch() -> ReadingBatch:
    """Twelve months of readings, 5,000 kWh (register) a month, first and last as cited."""
    readings = [FIRST]
    for month in range(1, 12):
        at = datetime(2023, month + 1, 1, tzinfo=UTC) - timedelta(hours=8)
        readings.append(reading(f"{12345.67 + 5000 * month:.2f}", at))
    readings.append(LAST)
    return ReadingBatch(DEVICE_ID, PERIOD_START, PERIOD_END, tuple(readings))


ALLOCATION = MeterAllocation(
    share=D(1),
    output=D(2000000),
    output_unit="piece",
    method="the meter serves only the 14-inch line; 2,000,000 panels made in 2023",
)


def metered_line(
    quantity: str = "180.0",
    *,
    first: SignedReading = FIRST,
    last: SignedReading = LAST,
    certificate: str = CERT_2022.number,
    allocation: MeterAllocation = ALLOCATION,
) -> ActivityLine:
    """The electricity line: 180 kWh per panel, from the signed readings."""
    return ActivityLine(
        "elec",
        "electricity",
        "purchased electricity, Southwest China grid (2023)",
        D(quantity),
        "kWh",
        "cn-grid-2023-southwest",
        True,
        Dqr(D(1), D(1), D(1), D(1), D(1)),
        MeteringRecord("elec", DEVICE_ID, certificate, CERT_2022.institute, CERT_2022.valid_until),
        MeterCitation(DEVICE_ID, first, last, allocation),
    )


def fgas_line() -> ActivityLine:
    """Chamber-cleaning gases after abatement, direct emissions (not metered)."""
    return ActivityLine(
        "fgas",
        "process",
        "array/CVD chamber cleaning gases (NF3, SF6) after abatement",
        D("18.104"),
        "kgCO2e",
        None,
        True,
        Dqr.uniform(1),
        MeteringRecord("fgas", "CQ-FG-03", "REC-CQ-FG-03"),
    )


def panel_inventory(*activities: ActivityLine) -> Inventory:
    """The panel maker's own inventory per panel (metered electricity + f-gases)."""
    return Inventory.create(
        factor_set=default_factor_set(),
        bom=[],
        activities=activities or (metered_line(), fgas_line()),
        footprint_id="3b8e3c1e-8d5f-4f7e-9d2a-6c1f0a6b7e21",
        created=datetime(2024, 2, 1, tzinfo=UTC),
        company_name="Chongqing Clearview Display Co., Ltd.",
        company_ids=(f"urn:uscc:{PANEL_ORG}",),
        product_ids=("urn:tanji:product:91500112:lcd-14-fhd",),
        product_name_company="14-inch FHD display panel",
        product_description="14-inch IPS LCD module with backlight",
        declared_unit="piece",
        declared_unit_amount=D(1),
        product_mass_per_declared_unit=D("0.32"),  # kg per panel, as in the demo
        fossil_carbon_content=D("0.03"),  # kgC per panel, as in the demo (demo_chain/_data.py)
        reference_period_start=PERIOD_START,
        reference_period_end=PERIOD_END,
        geography_country_subdivision="CN-CQ",
    )


# ---------------------------------------------------------------- named vectors


def _line_vector(
    description: str, inventory: Inventory, reg: MeterRegistration, expected: dict[str, Any]
) -> dict[str, Any]:
    return {
        "description": description,
        "owner": PANEL_ORG,
        "lineId": "elec",
        "registration": reg.to_dict(),
        "inventory": inventory.to_dict(),
        "expected": expected,
    }


def vectors() -> dict[str, dict[str, Any]]:
    """Every named vector: file name → content."""
    return {
        "valid_metered_line.json": _line_vector(
            "180 kWh per panel: (72345.67 - 12345.67) x 6000 x 1 / 2000000",
            panel_inventory(),
            registration(),
            {
                "ok": True,
                "computed": "180.00",
                "calibrations": [CERT_2022.number, CERT_2024.number],
            },
        ),
        "declared_electricity_differs_from_meter.json": _line_vector(
            "the supplier declares 150 kWh per panel; its meter gives 180",
            panel_inventory(metered_line("150.0"), fgas_line()),
            registration(),
            {"ok": False, "step": "meter.activity"},
        ),
        "reading_after_calibration_expired.json": _line_vector(
            "the renewal was never registered: the last reading (00:00 CST on 1 January "
            "2024) falls after the only certificate's last day",
            panel_inventory(),
            registration(calibrations=(CERT_2022,)),
            {"ok": False, "step": "meter.calibration"},
        ),
        "reading_signed_by_another_key.json": _line_vector(
            "the last reading names the meter's key but is signed with another",
            panel_inventory(
                metered_line(
                    last=SignedReading(
                        LAST.reading, OTHER_KEY.sign(LAST.reading.signing_input).signature
                    )
                ),
                fgas_line(),
            ),
            registration(),
            {"ok": False, "step": "meter.signature"},
        ),
        "reading_with_tampered_counter.json": _line_vector(
            "the last reading's counter was raised after signing",
            panel_inventory(
                metered_line(
                    last=SignedReading(
                        dataclasses.replace(LAST.reading, counter=D("72345.68")), LAST.signature
                    )
                ),
                fgas_line(),
            ),
            registration(),
            {"ok": False, "step": "meter.signature"},
        ),
        "meter_of_another_owner.json": _line_vector(
            "the cited meter is registered to another organisation",
            panel_inventory(),
            registration(owner=OTHER_ORG),
            {"ok": False, "step": "meter.registration"},
        ),
        "reading_after_retirement.json": _line_vector(
            "the meter was retired before the last reading",
            panel_inventory(),
            registration(retired_at=datetime(2023, 12, 1, tzinfo=UTC)),
            {"ok": False, "step": "meter.registration"},
        ),
        "counter_decreased.json": _line_vector(
            "the last reading's counter is below the first (a rollover or a swapped meter)",
            panel_inventory(metered_line(last=reading("12000.00", PERIOD_END)), fgas_line()),
            registration(),
            {"ok": False, "step": "meter.monotonic"},
        ),
    }


def write() -> None:
    """Rewrite every vector file."""
    VECTORS.mkdir(parents=True, exist_ok=True)
    for name, content in vectors().items():
        (VECTORS / name).write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write()
