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
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sdk._ids import uscc_check_char


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


@dataclass(frozen=True)
class Line:
    """One line of an organisation's own activity inventory for one declared unit.

    ``kind`` is ``electricity`` (``factor`` names a grid factor), ``process`` (direct
    emissions already in kg CO2e), ``material`` (a purchased material × ``factor``) or
    ``transport`` (t·km × ``factor``). ``primary`` marks measured (primary) data and
    ``traceability`` records how the quantity was measured (计量溯源性).
    """

    kind: str
    description: str
    quantity: Decimal
    unit: str
    factor: str | None
    factor_value: Decimal
    primary: bool
    traceability: str


@dataclass(frozen=True)
class Component:
    """A purchased part the product contains, bought from another Tanji participant."""

    supplier: str
    product: str
    quantity: Decimal


@dataclass(frozen=True)
class ProductSpec:
    """A product one organisation makes, its bill of materials and own activity lines."""

    key: str
    maker: str
    product_id: str
    name: str
    description: str
    unit: str
    components: tuple[Component, ...] = ()
    lines: tuple[Line, ...] = ()
    expected_pcf: Decimal = Decimal(0)

    @property
    def own_emissions(self) -> Decimal:
        """Σ quantity × factor over the maker's own lines (kg CO2e per declared unit)."""
        return sum((ln.quantity * ln.factor_value for ln in self.lines), Decimal(0))


# 2023 regional grid factors, MEE/NBS, kg CO2/kWh (REFERENCE.md).
GRID_FACTORS: dict[str, tuple[str, Decimal]] = {
    "cn-grid-north-2023": ("North China grid (Beijing, Tianjin, Hebei, …), 2023", Decimal("0.6361")),
    "cn-grid-east-2023": ("East China grid, 2023", Decimal("0.5500")),
    "cn-grid-central-2023": ("Central China grid, 2023", Decimal("0.5271")),
    "cn-grid-south-2023": ("South China grid, 2023", Decimal("0.4042")),
    "cn-grid-southwest-2023": ("Southwest China grid (Sichuan, Chongqing, Tibet), 2023", Decimal("0.2472")),
}
GRID_SOURCE = (
    "MEE/NBS, 2023 electricity CO2 emission factors (national and regional grids), "
    "published 2025; values as in REFERENCE.md"
)

ORGS: tuple[OrgSpec, ...] = (
    OrgSpec("glass", "Hefei Lumen Glass Substrate Co., Ltd.", "合肥流明玻璃基板有限公司",
            _uscc("91340100MA2XGL001"), ("SUPPLIER",), "Hefei"),
    OrgSpec("panel", "Chongqing Clearview Display Co., Ltd.", "重庆清视显示科技有限公司",
            _uscc("91500112MA5UDP002"), ("SUPPLIER",), "Chongqing"),
    OrgSpec("cells", "Ningde Brightcell Energy Co., Ltd.", "宁德明芯能源有限公司",
            _uscc("91350902MA31CE003"), ("SUPPLIER",), "Ningde"),
    OrgSpec("pack", "Shenzhen Packwell Battery Co., Ltd.", "深圳佰威电池有限公司",
            _uscc("91440300MA5GBP004"), ("SUPPLIER",), "Shenzhen"),
    OrgSpec("board", "Kunshan Circuitry Mainboard Co., Ltd.", "昆山芯路主板有限公司",
            _uscc("91320583MA1MBD005"), ("SUPPLIER",), "Kunshan"),
    OrgSpec("ssd", "Wuhan Deepstore Memory Co., Ltd.", "武汉深存存储有限公司",
            _uscc("91420100MA4KDT006"), ("SUPPLIER",), "Wuhan"),
    OrgSpec("chassis", "Dongguan Alloyform Chassis Co., Ltd.", "东莞合铸机壳有限公司",
            _uscc("91441900MA4WCH007"), ("SUPPLIER",), "Dongguan"),
    OrgSpec("adapter", "Shenzhen Voltline Power Co., Ltd.", "深圳伏线电源有限公司",
            _uscc("91440306MA5PWA008"), ("SUPPLIER",), "Shenzhen"),
    OrgSpec("oem", "Beijing Zhiben Computer Co., Ltd.", "北京智本电脑有限公司",
            _uscc("91110108MA01NB009"), ("LEADER", "SUPPLIER"), "Beijing (Haidian)"),
    OrgSpec("certifier", "Huaxia Carbon Certification Center", "华夏碳认证中心",
            _uscc("12100000MA0CER010"), ("CERTIFIER",), "Beijing"),
    OrgSpec("auditor", "Beijing Market Regulation Spot-Check Team", "北京市场监管抽查组",
            _uscc("11110000MB0AUD011"), ("AUDITOR",), "Beijing"),
    OrgSpec("operator", "Tanji Log Operator (platform)", "碳迹日志运营方",
            _uscc("91110108MA01LGP12"), ("LOG_OPERATOR",), "Beijing"),
)
ORG_BY_KEY: dict[str, OrgSpec] = {o.key: o for o in ORGS}


def _grid(kwh: str, region: str, trace: str) -> Line:
    label, value = GRID_FACTORS[region]
    return Line("electricity", f"purchased electricity, {label}", Decimal(kwh), "kWh",
                region, value, True, trace)


_METER = "revenue-grade electricity meter, calibrated annually (JJG 596)"

PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "glass_substrate", "glass", "urn:tanji:product:91340100:gs-g8-14in",
        "Glass substrate for a 14-inch panel", "alkali-free glass substrate, 14-inch cut",
        "item",
        lines=(
            _grid("14", "cn-grid-east-2023", _METER),
            Line("process", "melting: carbonate decomposition and natural gas firing",
                 Decimal("4.70"), "kg CO2e", None, Decimal(1), True,
                 "gas flow meter and batch weighing, plant records"),
        ),
        expected_pcf=Decimal("12.40"),
    ),
    ProductSpec(
        "display_panel", "panel", "urn:tanji:product:91500112:lcd-14-fhd",
        "14-inch FHD display panel", "14-inch IPS LCD module with backlight",
        "item",
        components=(Component("glass", "glass_substrate", Decimal(1)),),
        lines=(
            _grid("180", "cn-grid-southwest-2023", _METER),
            Line("process", "array/CVD chamber cleaning (NF3, SF6 abatement residue)",
                 Decimal("18.104"), "kg CO2e", None, Decimal(1), True,
                 "fluorinated-gas purchase records and abatement efficiency test"),
        ),
        expected_pcf=Decimal("75.000"),
    ),
    ProductSpec(
        "cell", "cells", "urn:tanji:product:91350902:li-ion-cell-4000",
        "Li-ion pouch cell 4,000 mAh", "lithium-ion pouch cell", "item",
        lines=(
            _grid("1.6", "cn-grid-east-2023", _METER),
            Line("process", "cathode and electrolyte materials (supplier-specific)",
                 Decimal("0.42"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: material supplier declarations"),
        ),
        expected_pcf=Decimal("1.300"),
    ),
    ProductSpec(
        "battery_pack", "pack", "urn:tanji:product:91440300:bp-4s-56wh",
        "Notebook battery pack 56 Wh", "4-cell battery pack with BMS board", "item",
        components=(Component("cells", "cell", Decimal(4)),),
        lines=(
            _grid("2.5", "cn-grid-south-2023", _METER),
            Line("process", "BMS board and housing materials",
                 Decimal("0.7895"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: component supplier declarations"),
        ),
        expected_pcf=Decimal("7.0000"),
    ),
    ProductSpec(
        "mainboard", "board", "urn:tanji:product:91320583:mb-16g",
        "Mainboard, 16 GB", "mainboard with CPU and 16 GB memory", "item",
        lines=(
            _grid("40", "cn-grid-east-2023", _METER),
            Line("process", "integrated circuits and PCB laminate (embodied)",
                 Decimal("33.0"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: IC vendor PCF sheets"),
        ),
        expected_pcf=Decimal("55.00"),
    ),
    ProductSpec(
        "ssd", "ssd", "urn:tanji:product:91420100:ssd-512",
        "SSD 512 GB", "NVMe M.2 solid-state drive, 512 GB", "item",
        lines=(
            _grid("20", "cn-grid-central-2023", _METER),
            Line("process", "NAND wafer fabrication (embodied)",
                 Decimal("44.458"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: wafer foundry declaration"),
        ),
        expected_pcf=Decimal("55.000"),
    ),
    ProductSpec(
        "chassis", "chassis", "urn:tanji:product:91441900:ch-14-al",
        "Aluminium chassis, 14-inch", "CNC-machined aluminium top and bottom covers", "item",
        lines=(
            _grid("10", "cn-grid-south-2023", _METER),
            Line("process", "aluminium alloy ingot (embodied) and anodising",
                 Decimal("9.958"), "kg CO2e", None, Decimal(1), True,
                 "ingot mill certificates and weighbridge records"),
        ),
        expected_pcf=Decimal("14.000"),
    ),
    ProductSpec(
        "adapter", "adapter", "urn:tanji:product:91440306:pa-65w",
        "65 W USB-C power adapter", "GaN power adapter with cable", "item",
        lines=(
            _grid("5", "cn-grid-south-2023", _METER),
            Line("process", "semiconductors, magnetics and cable (embodied)",
                 Decimal("17.979"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: component supplier declarations"),
        ),
        expected_pcf=Decimal("20.000"),
    ),
    ProductSpec(
        "notebook", "oem", "urn:tanji:product:91110108:zb-14-2025",
        "Zhiben 14 notebook computer", "14-inch notebook computer, 16 GB / 512 GB", "item",
        components=(
            Component("board", "mainboard", Decimal(1)),
            Component("panel", "display_panel", Decimal(1)),
            Component("ssd", "ssd", Decimal(1)),
            Component("pack", "battery_pack", Decimal(1)),
            Component("chassis", "chassis", Decimal(1)),
            Component("adapter", "adapter", Decimal(1)),
        ),
        lines=(
            _grid("11", "cn-grid-north-2023",
                  "sub-meter on the final-assembly line, calibrated 2025-03 (JJG 596)"),
            Line("process", "packaging: corrugated board, pulp tray, bags",
                 Decimal("2.0"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: packaging supplier declaration"),
            Line("process", "inbound transport of parts to Beijing (air and road)",
                 Decimal("7.0"), "kg CO2e", None, Decimal(1), False,
                 "secondary data: forwarder's GLEC-based shipment report"),
        ),
        expected_pcf=Decimal("241.9971"),
    ),
)
PRODUCT_BY_KEY: dict[str, ProductSpec] = {p.key: p for p in PRODUCTS}

# Publication order: tier 2 first, so tier-1 makers can roll up their suppliers' values.
TIER2 = ("glass_substrate", "cell")
TIER1 = ("display_panel", "battery_pack", "mainboard", "ssd", "chassis", "adapter")
LEADER_PRODUCT = "notebook"

REFERENCE_PERIOD = ("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
STANDARD = "GB/T 24067-2024"
BENCHMARK_NOTE = (
    "illustrative benchmark for notebook computers (no official 分级 scale exists yet)"
)


def hand_calculation() -> dict[str, Decimal]:
    """Each product's cradle-to-gate PCF by hand: components first, then own lines."""
    out: dict[str, Decimal] = {}
    for key in (*TIER2, *TIER1, LEADER_PRODUCT):
        spec = PRODUCT_BY_KEY[key]
        upstream = sum((c.quantity * out[c.product] for c in spec.components), Decimal(0))
        out[key] = upstream + spec.own_emissions
    return out
