"""The demo's world: a notebook computer and its supply chain, all organisations fictional.

Figures follow ``REFERENCE.md`` (public PCF sheets of Dell Precision 3520, HP ProBook 445
G9 and Acer Chromebook Spin 512, and the demo split inside their ranges): mainboard 55,
display panel 75, SSD 55, battery pack 7, chassis 14, power adapter 20, assembly ≈11 kWh ×
grid factor, packaging 2 and inbound transport 7 kg CO2e per notebook. Grid factors are
the 2023 regional factors published by the Ministry of Ecology and Environment (MEE) and
the National Bureau of Statistics (NBS) in kg CO2/kWh: North China 0.6361 (the OEM's
Beijing plant), East 0.5500, Central 0.5271, South 0.4042, Southwest 0.2472.

Two supplier tiers: the glass substrate maker supplies the display panel maker, the cell
maker supplies the battery pack maker; both tier-1 makers roll up their supplier's attested
footprint exactly as the OEM does. Organisation ids are unified social credit codes whose
check character (GB 32100-2015, mod 31) is computed with the SDK's own helper, so every id
here is valid in format; none belongs to a real company.

Identifiers take the forms PACT recommends (docs/pact.md): each organisation has a
fictional domain under the reserved ``.example`` top-level domain (RFC 2606); its company
id is ``urn:pact:<domain>:company-id:<unified social credit code>`` and its products'
own codes ``urn:pact:<domain>:supplier-id:<code>``. The notebook also carries a GTIN
(GS1 prefix 690–699 is China's; the company number is fictional, the check digit right)
and an industrial-internet identifier (工业互联网标识, prefix 88.<industry>.<enterprise>),
both mapped to PACT URNs by :mod:`sdk.footprint`. Product masses (kg per piece, without
packaging) and fossil carbon contents (kgC per piece: the carbon in plastics, laminates,
films and graphite) are illustrative estimates, not measured values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sdk import uscc_check_char
from sdk.footprint import company_id_urn, gtin_check_digit, industrial_id_urn, pact_urn


def _uscc(first17: str) -> str:
    """A unified social credit code from its first 17 characters plus the check character."""
    return first17 + uscc_check_char(first17)


@dataclass(frozen=True)
class OrgSpec:
    """One organisation of the demo: who it is and which on-chain roles it holds."""

    key: str
    name: str
    name_zh: str
    org_id: str
    roles: tuple[str, ...]
    city: str
    subdivision: str
    domain: str

    @property
    def company_id(self) -> str:
        """PACT company id: ``urn:pact:<domain>:company-id:<unified social credit code>``."""
        return company_id_urn(self.domain, self.org_id)


@dataclass(frozen=True)
class Line:
    """One line of an organisation's own activity inventory for one declared unit.

    ``kind`` is an inventory activity kind (``electricity``, ``material``, ``packaging``,
    ``transport``, or ``process`` for direct emissions already in kgCO2e, which takes no
    factor). ``factor_value`` repeats the factor's published value so the hand
    calculation does not depend on the SDK's factor database (a test checks they agree).
    ``primary`` marks measured (primary) data; ``instrument``/``certificate`` record how
    the quantity was measured (计量溯源性), ``dqr`` its PACT data quality rating (1-3).
    """

    line_id: str
    kind: str
    description: str
    quantity: Decimal
    unit: str
    factor: str | None
    factor_value: Decimal
    primary: bool
    dqr: int
    instrument: str
    certificate: str


@dataclass(frozen=True)
class Component:
    """A purchased part the product contains, bought from another Tanji participant."""

    line_id: str
    supplier: str
    product: str
    quantity: Decimal


@dataclass(frozen=True)
class ProductSpec:
    """A product one organisation makes, its bill of materials and own activity lines."""

    key: str
    maker: str
    code: str
    name: str
    description: str
    unit: str
    mass_kg: Decimal
    fossil_carbon_kg: Decimal
    components: tuple[Component, ...] = ()
    lines: tuple[Line, ...] = ()
    expected_pcf: Decimal = Decimal(0)
    other_ids: tuple[str, ...] = ()
    classifications: tuple[str, ...] | None = None

    @property
    def product_id(self) -> str:
        """The maker's own code as a PACT URN, ``urn:pact:<maker's domain>:supplier-id:…``:
        the id requests and the log's subject digest use (``productIds[0]``)."""
        return pact_urn(ORG_BY_KEY[self.maker].domain, "supplier-id", self.code)

    @property
    def product_ids(self) -> tuple[str, ...]:
        """Every PACT ``productIds`` entry: the maker's code first, then GTIN and
        industrial-internet ids as URNs."""
        return (self.product_id, *self.other_ids)

    @property
    def own_emissions(self) -> Decimal:
        """Σ quantity × factor over the maker's own lines (kg CO2e per declared unit)."""
        return sum((ln.quantity * ln.factor_value for ln in self.lines), Decimal(0))


# 2023 regional grid factors, MEE/NBS, kg CO2/kWh (REFERENCE.md), by factor id of the
# SDK's default factor set.
GRID_FACTORS: dict[str, Decimal] = {
    "cn-grid-2023-north": Decimal("0.6361"),
    "cn-grid-2023-east": Decimal("0.5500"),
    "cn-grid-2023-central": Decimal("0.5271"),
    "cn-grid-2023-south": Decimal("0.4042"),
    "cn-grid-2023-southwest": Decimal("0.2472"),
}
GRID_NAMES = {
    "cn-grid-2023-north": "North China grid",
    "cn-grid-2023-east": "East China grid",
    "cn-grid-2023-central": "Central China grid",
    "cn-grid-2023-south": "South China grid",
    "cn-grid-2023-southwest": "Southwest China grid",
}

ORGS: tuple[OrgSpec, ...] = (
    OrgSpec(
        "glass",
        "Hefei Lumen Glass Substrate Co., Ltd.",
        "合肥流明玻璃基板有限公司",
        _uscc("91340100MA2XGL001"),
        ("SUPPLIER",),
        "Hefei",
        "CN-AH",
        "lumen-glass.example",
    ),
    OrgSpec(
        "panel",
        "Chongqing Clearview Display Co., Ltd.",
        "重庆清视显示科技有限公司",
        _uscc("91500112MA5UDP002"),
        ("SUPPLIER", "LEADER"),
        "Chongqing",
        "CN-CQ",
        "clearview-display.example",
    ),
    OrgSpec(
        "cells",
        "Ningde Brightcell Energy Co., Ltd.",
        "宁德明芯能源有限公司",
        _uscc("91350902MA31CE003"),
        ("SUPPLIER",),
        "Ningde",
        "CN-FJ",
        "brightcell-energy.example",
    ),
    OrgSpec(
        "pack",
        "Shenzhen Packwell Battery Co., Ltd.",
        "深圳佰威电池有限公司",
        _uscc("91440300MA5GBP004"),
        ("SUPPLIER", "LEADER"),
        "Shenzhen",
        "CN-GD",
        "packwell-battery.example",
    ),
    OrgSpec(
        "board",
        "Kunshan Circuitry Mainboard Co., Ltd.",
        "昆山芯路主板有限公司",
        _uscc("91320583MA1MBD005"),
        ("SUPPLIER",),
        "Kunshan",
        "CN-JS",
        "circuitry-mainboard.example",
    ),
    OrgSpec(
        "ssd",
        "Wuhan Deepstore Memory Co., Ltd.",
        "武汉深存存储有限公司",
        _uscc("91420100MA4KDT006"),
        ("SUPPLIER",),
        "Wuhan",
        "CN-HB",
        "deepstore-memory.example",
    ),
    OrgSpec(
        "chassis",
        "Dongguan Alloyform Chassis Co., Ltd.",
        "东莞合铸机壳有限公司",
        _uscc("91441900MA4WCH007"),
        ("SUPPLIER",),
        "Dongguan",
        "CN-GD",
        "alloyform-chassis.example",
    ),
    OrgSpec(
        "adapter",
        "Shenzhen Voltline Power Co., Ltd.",
        "深圳伏线电源有限公司",
        _uscc("91440306MA5PWA008"),
        ("SUPPLIER",),
        "Shenzhen",
        "CN-GD",
        "voltline-power.example",
    ),
    OrgSpec(
        "oem",
        "Beijing Zhiben Computer Co., Ltd.",
        "北京智本电脑有限公司",
        _uscc("91110108MA01NB009"),
        ("LEADER", "SUPPLIER"),
        "Beijing (Haidian)",
        "CN-BJ",
        "zhiben-computer.example",
    ),
    OrgSpec(
        "certifier",
        "Huaxia Carbon Certification Center",
        "华夏碳认证中心",
        _uscc("12100000MA0CER010"),
        ("CERTIFIER",),
        "Beijing",
        "CN-BJ",
        "huaxia-carbon-cert.example",
    ),
    OrgSpec(
        "auditor",
        "Beijing Market Regulation Spot-Check Team",
        "北京市场监管抽查组",
        _uscc("11110000MB0AUD011"),
        ("AUDITOR",),
        "Beijing",
        "CN-BJ",
        "bj-market-spotcheck.example",
    ),
    OrgSpec(
        "operator",
        "Tanji Log Operator (platform)",
        "碳迹日志运营方",
        _uscc("91110108MA01LGP12"),
        ("LOG_OPERATOR",),
        "Beijing",
        "CN-BJ",
        "tanji-log-operator.example",
    ),
    OrgSpec(
        "association",
        "China Notebook Industry Low-Carbon Alliance",
        "中国笔记本电脑产业低碳联盟",
        _uscc("51100000MJ0FAC013"),
        ("SUPPLIER",),
        "Beijing",
        "CN-BJ",
        "notebook-lowcarbon-alliance.example",
    ),
)
ORG_BY_KEY: dict[str, OrgSpec] = {o.key: o for o in ORGS}


def _grid(line_id: str, kwh: str, factor: str, meter: str) -> Line:
    return Line(
        line_id,
        "electricity",
        f"purchased electricity, {GRID_NAMES[factor]} (2023)",
        Decimal(kwh),
        "kWh",
        factor,
        GRID_FACTORS[factor],
        True,
        1,
        meter,
        f"JJG596-{meter}-2025",
    )


def _process(line_id: str, description: str, kg: str, primary: bool, instrument: str) -> Line:
    return Line(
        line_id,
        "process",
        description,
        Decimal(kg),
        "kgCO2e",
        None,
        Decimal(1),
        primary,
        1 if primary else 2,
        instrument,
        f"REC-{instrument}",
    )


def _factored(
    line_id: str,
    kind: str,
    description: str,
    qty: str,
    unit: str,
    factor: str,
    value: str,
    instrument: str,
) -> Line:
    return Line(
        line_id,
        kind,
        description,
        Decimal(qty),
        unit,
        factor,
        Decimal(value),
        True,
        2,
        instrument,
        f"CAL-{instrument}",
    )


PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "glass_substrate",
        "glass",
        "GS-G8-14IN",
        "Glass substrate for a 14-inch panel",
        "alkali-free glass substrate, 14-inch cut",
        "piece",
        Decimal("0.12"),
        Decimal("0"),
        lines=(
            _grid("elec", "14", "cn-grid-2023-east", "HF-EM-01"),
            _process(
                "melt",
                "melting: carbonate decomposition and natural gas firing",
                "4.70",
                True,
                "HF-GAS-02",
            ),
        ),
        expected_pcf=Decimal("12.40"),
    ),
    ProductSpec(
        "display_panel",
        "panel",
        "LCD-14-FHD",
        "14-inch FHD display panel",
        "14-inch IPS LCD module with backlight",
        "piece",
        Decimal("0.32"),
        Decimal("0.03"),
        components=(Component("bom-glass", "glass", "glass_substrate", Decimal(1)),),
        lines=(
            _grid("elec", "180", "cn-grid-2023-southwest", "CQ-EM-11"),
            _process(
                "fgas",
                "array/CVD chamber cleaning gases (NF3, SF6) after abatement",
                "18.104",
                True,
                "CQ-FG-03",
            ),
        ),
        expected_pcf=Decimal("75.000"),
    ),
    ProductSpec(
        "cell",
        "cells",
        "LI-ION-CELL-4000",
        "Li-ion pouch cell 4,000 mAh",
        "lithium-ion pouch cell",
        "piece",
        Decimal("0.045"),
        Decimal("0.008"),
        lines=(
            _grid("elec", "1.6", "cn-grid-2023-east", "ND-EM-07"),
            _process(
                "materials",
                "cathode and electrolyte materials (supplier declarations)",
                "0.42",
                False,
                "ND-PUR-01",
            ),
        ),
        expected_pcf=Decimal("1.300"),
    ),
    ProductSpec(
        "battery_pack",
        "pack",
        "BP-4S-56WH",
        "Notebook battery pack 56 Wh",
        "4-cell battery pack with BMS board",
        "piece",
        Decimal("0.23"),
        Decimal("0.042"),
        components=(Component("bom-cells", "cells", "cell", Decimal(4)),),
        lines=(
            _grid("elec", "2.5", "cn-grid-2023-south", "SZ-EM-21"),
            _process(
                "bms", "BMS board and housing (supplier declarations)", "0.7895", False, "SZ-PUR-04"
            ),
        ),
        expected_pcf=Decimal("7.0000"),
    ),
    ProductSpec(
        "mainboard",
        "board",
        "MB-16G",
        "Mainboard, 16 GB",
        "mainboard with CPU and 16 GB memory",
        "piece",
        Decimal("0.15"),
        Decimal("0.02"),
        lines=(
            _grid("elec", "40", "cn-grid-2023-east", "KS-EM-05"),
            _factored(
                "pcb",
                "material",
                "bare multilayer PCB",
                "0.06",
                "m2",
                "pcb-bare-multilayer",
                "100",
                "KS-AREA-02",
            ),
            _process(
                "ics",
                "integrated circuits and memory (vendor PCF sheets)",
                "27.0",
                False,
                "KS-PUR-09",
            ),
        ),
        expected_pcf=Decimal("55.00"),
    ),
    ProductSpec(
        "ssd",
        "ssd",
        "SSD-512",
        "SSD 512 GB",
        "NVMe M.2 solid-state drive, 512 GB",
        "piece",
        Decimal("0.008"),
        Decimal("0.001"),
        lines=(
            _grid("elec", "20", "cn-grid-2023-central", "WH-EM-03"),
            _process(
                "nand", "NAND wafer fabrication (foundry declaration)", "44.458", False, "WH-PUR-02"
            ),
        ),
        expected_pcf=Decimal("55.000"),
    ),
    ProductSpec(
        "chassis",
        "chassis",
        "CH-14-AL",
        "Aluminium chassis, 14-inch",
        "CNC-machined aluminium top and bottom covers",
        "piece",
        Decimal("0.55"),
        Decimal("0"),
        lines=(
            _factored(
                "al",
                "material",
                "primary aluminium ingot",
                "0.55",
                "kg",
                "aluminium-primary-ingot",
                "16.0",
                "DG-WB-01",
            ),
            _grid("elec", "10", "cn-grid-2023-south", "DG-EM-06"),
            _process("anodise", "anodising bath and compressed air", "1.158", True, "DG-AN-02"),
        ),
        expected_pcf=Decimal("14.000"),
    ),
    ProductSpec(
        "adapter",
        "adapter",
        "PA-65W",
        "65 W USB-C power adapter",
        "GaN power adapter with cable",
        "piece",
        Decimal("0.30"),
        Decimal("0.13"),
        lines=(
            _grid("elec", "5", "cn-grid-2023-south", "SZ-EM-33"),
            _factored(
                "housing",
                "material",
                "polycarbonate housing",
                "0.15",
                "kg",
                "plastic-pc",
                "5.0",
                "SZ-WB-08",
            ),
            _factored(
                "copper",
                "material",
                "copper windings and cable",
                "0.1",
                "kg",
                "copper-cathode",
                "4.1",
                "SZ-WB-09",
            ),
            _process(
                "semis",
                "GaN semiconductors and magnetics (supplier declarations)",
                "16.819",
                False,
                "SZ-PUR-12",
            ),
        ),
        expected_pcf=Decimal("20.000"),
    ),
    ProductSpec(
        "notebook",
        "oem",
        "ZB-14-2025",
        "Zhiben 14 notebook computer",
        "14-inch notebook computer, 16 GB / 512 GB",
        "piece",
        Decimal("1.62"),
        Decimal("0.26"),
        components=(
            Component("bom-mainboard", "board", "mainboard", Decimal(1)),
            Component("bom-display", "panel", "display_panel", Decimal(1)),
            Component("bom-ssd", "ssd", "ssd", Decimal(1)),
            Component("bom-battery", "pack", "battery_pack", Decimal(1)),
            Component("bom-chassis", "chassis", "chassis", Decimal(1)),
            Component("bom-adapter", "adapter", "adapter", Decimal(1)),
        ),
        lines=(
            _grid("assembly", "11", "cn-grid-2023-north", "BJ-EM-LINE3"),
            _factored(
                "packaging",
                "packaging",
                "corrugated board box and trays",
                "2.5",
                "kg",
                "corrugated-cardboard",
                "0.8",
                "BJ-WB-02",
            ),
            _factored(
                "inbound-air",
                "transport",
                "inbound parts by air freight",
                "8",
                "t·km",
                "transport-air-freight",
                "0.8",
                "BJ-FWD-AIR",
            ),
            _factored(
                "inbound-road",
                "transport",
                "inbound parts by road",
                "8",
                "t·km",
                "transport-road-truck",
                "0.075",
                "BJ-FWD-ROAD",
            ),
        ),
        expected_pcf=Decimal("241.9971"),
        other_ids=(
            # GTIN-13: China's GS1 prefix 690, a fictional company number, the check digit.
            "urn:gtin:690123456789" + gtin_check_digit("690123456789"),
            # Industrial-internet identifier: prefix 88 (China) . industry . enterprise,
            # suffix SJ/T 11144 class . model . production date . serial (fictional).
            industrial_id_urn("88.118.8866/4521.ZB14.20250301.000001"),
        ),
        # UN CPC class for portable automatic data-processing machines (illustrative).
        classifications=("urn:pact:productclassification:un-cpc:45230",),
    ),
)
PRODUCT_BY_KEY: dict[str, ProductSpec] = {p.key: p for p in PRODUCTS}

# Publication order: tier 2 first, so tier-1 makers can roll up their suppliers' values.
TIER2 = ("glass_substrate", "cell")
TIER1 = ("display_panel", "battery_pack", "mainboard", "ssd", "chassis", "adapter")
LEADER_PRODUCT = "notebook"
#: The industry association that publishes the demo's factor set as a public attestation.
ASSOCIATION = "association"

REFERENCE_PERIOD = ("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
STANDARD = "GB/T 24067-2024"
BENCHMARK_NOTE = "illustrative benchmark for notebook computers (no official 分级 scale exists yet)"


def hand_calculation() -> dict[str, Decimal]:
    """Each product's cradle-to-gate PCF by hand: components first, then own lines."""
    out: dict[str, Decimal] = {}
    for key in (*TIER2, *TIER1, LEADER_PRODUCT):
        spec = PRODUCT_BY_KEY[key]
        upstream = sum((c.quantity * out[c.product] for c in spec.components), Decimal(0))
        out[key] = upstream + spec.own_emissions
    return out


def inventory_header(spec: ProductSpec) -> dict[str, Any]:
    """The PACT identity and product facts of ``spec`` as :class:`~sdk.footprint.Inventory`
    keyword arguments: company and product ids in PACT's URN forms, classifications,
    product mass, fossil and biogenic carbon content."""
    return {
        "company_ids": (ORG_BY_KEY[spec.maker].company_id,),
        "product_ids": spec.product_ids,
        "product_classifications": spec.classifications,
        "product_mass_per_declared_unit": spec.mass_kg,
        "fossil_carbon_content": spec.fossil_carbon_kg,
        # Electronic parts without packaging: no wood, paper or other biomass.
        "biogenic_carbon_content": Decimal(0),
    }
