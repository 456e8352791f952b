"""The demo notebook computer of REFERENCE.md as an inventory (shared by the tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sdk.footprint import (
    ActivityLine,
    BomLine,
    Dqr,
    Inventory,
    MeteringRecord,
    default_factor_set,
    tkm,
)

D = Decimal


def meter(line_id: str, instrument: str) -> MeteringRecord:
    return MeteringRecord(
        line_id, instrument, f"CERT-{instrument}", "Beijing Institute of Metrology"
    )


def bom_line(
    line_id: str,
    quantity: str,
    unit: str,
    pcf: str,
    declared_unit: str,
    dqr: Dqr,
    *,
    primary: bool,
    pds: str | None = None,
) -> BomLine:
    return BomLine(
        line_id=line_id,
        description=line_id,
        quantity=D(quantity),
        unit=unit,
        supplier_pcf=D(pcf),
        supplier_declared_unit=declared_unit,
        dqr=dqr,
        primary=primary,
        supplier_attestation_id=f"{line_id}-attestation",
        supplier_primary_data_share=None if pds is None else D(pds),
    )


def laptop_inventory(*, display_pcf: str = "75") -> Inventory:
    bom = [
        bom_line(
            "mainboard",
            "1",
            "piece",
            "55",
            "piece",
            Dqr(D("1.5"), D("1"), D("1.5"), D("1.5"), D("1.5")),
            primary=True,
            pds="60",
        ),
        bom_line("display", "1", "piece", display_pcf, "piece", Dqr.uniform(2), primary=True),
        bom_line("ssd", "1", "piece", "55", "piece", Dqr.uniform(1), primary=False),
        # 350 g of a battery pack whose supplier declares 20 kgCO2e per kilogram.
        bom_line("battery", "350", "g", "20", "kilogram", Dqr.uniform(3), primary=True, pds="50"),
        bom_line("chassis", "1", "piece", "14", "piece", Dqr.uniform(3), primary=True),
        # 1 "unit" of an adapter declared per piece (same dimension: count).
        bom_line("adapter", "1", "unit", "20", "piece", Dqr(*[D("2.5")] * 5), primary=False),
    ]
    activities = [
        ActivityLine(
            "assembly-electricity",
            "electricity",
            "final assembly line, Beijing",
            D("0.011"),
            "MWh",
            "cn-grid-2023-north",
            True,
            Dqr.uniform(1),
            meter("assembly-electricity", "EM-0042"),
        ),
        ActivityLine(
            "packaging",
            "packaging",
            "corrugated box and inserts",
            D("2500"),
            "g",
            "corrugated-cardboard",
            True,
            Dqr.uniform(3),
            meter("packaging", "SCALE-7"),
        ),
        ActivityLine(
            "inbound-air",
            "transport",
            "inbound air freight of components, 3.5 kg over 2500 km",
            tkm(D("3.5"), "kg", D("2500"), "km"),
            "t·km",
            "transport-air-freight",
            False,
            Dqr.uniform(3),
            meter("inbound-air", "WAYBILL-SCALE-3"),
        ),
    ]
    return Inventory.create(
        factor_set=default_factor_set(),
        bom=bom,
        activities=activities,
        footprint_id="6f0d3f7a-3c55-4d0e-9b55-8f3e1c2a7b90",
        created=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        company_name="Example Notebook Co.",
        company_ids=("urn:pact:notebook.example:company-id:91110108MA01ABCD1X",),
        product_ids=("urn:gtin:06901234567892",),
        product_name_company="Notebook X14",
        product_description="14-inch notebook computer, 16 GB RAM, 512 GB SSD",
        product_classifications=("urn:pact:productclassification:un-cpc:45230",),
        declared_unit="piece",
        declared_unit_amount=D(1),
        product_mass_per_declared_unit=D("1.62"),
        fossil_carbon_content=D("0.26"),
        reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
        reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
        geography_country="CN",
        product_category_rule="Notebook computers PCR (illustrative)",
    )
