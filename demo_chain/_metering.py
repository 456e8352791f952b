"""Metered electricity in the demo: the display-panel and battery-pack makers register
their main meters on chain, read them through the DL/T 645 reader from a simulated meter
on 127.0.0.1, sign the readings with the meters' device keys and cite them; the panel
maker also grants the certifier its plant's verified ETS year (docs/metering.md §4).

Everything here is fictional but consistent: the panel line's meter behind a 6000:1
instrument transformer counts 60,000.00 kWh over 2025 for 2,000,000 panels (180 kWh a
panel, the figure of the demo's inventory); the pack line's 100:1 meter counts
30,000.00 kWh for 1,200,000 packs (2.5 kWh a pack).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from nacl.signing import SigningKey

from demo_chain._data import ORG_BY_KEY, PRODUCT_BY_KEY, REFERENCE_PERIOD
from demo_chain._story import Story
from demo_chain._world import World
from gateway.meters import (
    MeterAddress,
    MeterPoint,
    SimulatedMeter,
    read_signed_once,
    simulate_in_thread,
)
from sdk import (
    CertificateParty,
    CertificationBasis,
    FootprintCertificate,
    default_valid_until,
    parse_time,
)
from sdk.footprint import (
    CHINA_STANDARD_TIME,
    CalibrationCertificate,
    CheckOverride,
    EtsProduct,
    FacilityYear,
    MeterAllocation,
    MeterCitation,
    MeterRegistration,
    ReadingBatch,
    SignedReading,
)
from sdk.roles import (
    CertificationCheck,
    EtsReview,
    Supplier,
    ets_document,
    meter_readings_document,
)

PERIOD_START = parse_time(REFERENCE_PERIOD[0], "start")
PERIOD_END = parse_time(REFERENCE_PERIOD[1], "end")
#: The calibration body the demo's inventories name for every instrument.
INSTITUTE = "provincial institute of metrology"
REGISTER = "dlt645:00010000"


@dataclass(frozen=True)
class MeterPlan:
    """One metered line: the product, its electricity line, the meter and its counters."""

    product: str
    line_id: str
    device_id: str
    address: str
    multiplier: Decimal
    output: Decimal
    first: Decimal
    last: Decimal
    method: str
    certificate: CalibrationCertificate

    @property
    def maker(self) -> str:
        """The key of the organisation that owns the meter."""
        return PRODUCT_BY_KEY[self.product].maker

    @property
    def key(self) -> SigningKey:
        """The device key (derived from the device id: the demo is reproducible)."""
        return device_key(self.device_id)

    def registration(
        self, *, certificate: CalibrationCertificate | None = None
    ) -> MeterRegistration:
        """The meter as its owner registers it on chain."""
        key = self.key
        return MeterRegistration(
            device_id=self.device_id,
            owner=ORG_BY_KEY[self.maker].org_id,
            public_key=bytes(key.verify_key),
            quantity="electricity",
            unit="kWh",
            register=REGISTER,
            calibrations=(certificate or self.certificate,),
            registered_at=datetime(2024, 12, 1, tzinfo=PERIOD_START.tzinfo),
            multiplier=self.multiplier,
        )


def device_key(device_id: str) -> SigningKey:
    """The demo's device key of ``device_id`` (a real meter generates its own)."""
    return SigningKey(hashlib.sha256(f"tanji-demo-meter:{device_id}".encode()).digest())


def _certificate(device_id: str, valid_from: date, valid_until: date) -> CalibrationCertificate:
    return CalibrationCertificate(
        institute=INSTITUTE,
        number=f"JJG596-{device_id}-2025",
        valid_from=valid_from,
        valid_until=valid_until,
        accuracy_class="0.5S",
    )


PLANS: tuple[MeterPlan, ...] = (
    MeterPlan(
        "display_panel",
        "elec",
        "CQ-EM-11",
        "000000000011",
        Decimal(6000),
        Decimal(2000000),
        Decimal("12345.67"),
        Decimal("72345.67"),
        "the meter serves only the 14-inch line; 2,000,000 panels made in 2025",
        _certificate("CQ-EM-11", date(2024, 12, 1), date(2026, 12, 31)),
    ),
    MeterPlan(
        "battery_pack",
        "elec",
        "SZ-EM-21",
        "000000000021",
        Decimal(100),
        Decimal(1200000),
        Decimal("20000.00"),
        Decimal("50000.00"),
        "the meter serves only the pack line; 1,200,000 packs made in 2025",
        _certificate("SZ-EM-21", date(2024, 12, 1), date(2026, 12, 31)),
    ),
)
PLAN_BY_PRODUCT = {p.product: p for p in PLANS}

#: A second pack-line meter whose calibration ran out mid-year and was never renewed.
EXPIRED_PLAN = MeterPlan(
    "battery_pack",
    "elec",
    "SZ-EM-22",
    "000000000022",
    Decimal(100),
    Decimal(1200000),
    Decimal("1000.00"),
    Decimal("31000.00"),
    "the spare meter of the pack line; 1,200,000 packs made in 2025",
    _certificate("SZ-EM-22", date(2024, 6, 1), date(2025, 6, 30)),
)

#: The panel plant's verified 2025 ETS year (fictional; the shape of
#: sdk/footprint/data/examples/ets-facility-year.json).
PANEL_ETS = FacilityYear(
    org_id=ORG_BY_KEY["panel"].org_id,
    facility="Chongqing Clearview Display Co., Ltd., Liangjiang panel plant",
    year=2025,
    scheme="CQ-ETS",
    sector="display devices (GB/T 4754 C3974)",
    region="CN-CQ",
    verifier="Chongqing Example Carbon Verification Co., Ltd. (fictional)",
    report_number="CQ-ETS-2025-V-0088",
    report_date=date(2026, 4, 28),
    direct_emissions=Decimal("1300.00"),
    electricity_emissions=Decimal("201628.00"),
    heat_emissions=Decimal("0"),
    total_emissions=Decimal("202928.00"),
    purchased_electricity=Decimal("380000.000"),
    grid_factor=Decimal("0.5306"),
    grid_factor_year=2023,
    products=(EtsProduct("14-inch FHD display panel", Decimal(2000000), "piece"),),
)
PANEL_ETS_PRODUCT = "14-inch FHD display panel"
#: Why the certifier accepts the one flag the honest panel footprint raises.
YEAR_OVERRIDE = (
    "the reference period is calendar 2025 in UTC, 8 hours into 2026 in China Standard "
    "Time; immaterial for annual plant data"
)


@dataclass(frozen=True)
class ReadMeter:
    """What the owner read from one meter over the period, and where it published it."""

    plan: MeterPlan
    batch: ReadingBatch
    batch_attestation: str

    @property
    def first(self) -> SignedReading:
        """The reading at the period's start."""
        return self.batch.readings[0]

    @property
    def last(self) -> SignedReading:
        """The reading at the period's end."""
        return self.batch.readings[-1]

    def citation(self, *, output: Decimal | None = None) -> MeterCitation:
        """The inventory line's citation (``output`` overrides the stated allocation)."""
        return cite(self.plan, self.first, self.last, output=output, batch=self.batch_attestation)


def cite(
    plan: MeterPlan,
    first: SignedReading,
    last: SignedReading,
    *,
    output: Decimal | None = None,
    batch: str | None = None,
) -> MeterCitation:
    """A citation of ``first`` and ``last`` with the plan's allocation (or ``output``)."""
    allocation = MeterAllocation(
        share=Decimal(1),
        output=plan.output if output is None else output,
        output_unit="piece",
        method=plan.method,
    )
    return MeterCitation(plan.device_id, first, last, allocation, batch=batch)


@contextmanager
def meter_bus(*plans: MeterPlan) -> Iterator[tuple[dict[str, SimulatedMeter], int]]:
    """A simulated RS-485 bus behind a TCP serial server on 127.0.0.1 with ``plans``'
    meters: yields them by device id, and the server's port."""
    meters = {p.device_id: SimulatedMeter(MeterAddress.parse(p.address), p.first) for p in plans}
    with simulate_in_thread(meters.values()) as simulator:
        yield meters, simulator.port


def read_period(*plans: MeterPlan) -> dict[str, tuple[SignedReading, ...]]:
    """Read each plan's meter through DL/T 645 at the period's start, middle and end (the
    simulated meters count the period's energy in between), each reading signed with the
    meter's device key and timed at that moment."""
    # The synchronous reader runs its own event loop: on a worker thread, so a caller
    # already inside one (a Playwright test building the demo) can read too.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_read_period, plans).result()


def _read_period(plans: tuple[MeterPlan, ...]) -> dict[str, tuple[SignedReading, ...]]:
    middle = PERIOD_START + (PERIOD_END - PERIOD_START) / 2
    readings: dict[str, list[SignedReading]] = {p.device_id: [] for p in plans}
    with meter_bus(*plans) as (meters, port):
        for moment, half in ((PERIOD_START, 0), (middle, 1), (PERIOD_END, 2)):
            for plan in plans:
                meters[plan.device_id].set_energy(plan.first + (plan.last - plan.first) * half / 2)
                point = MeterPoint(plan.device_id, MeterAddress.parse(plan.address))
                readings[plan.device_id].append(
                    read_signed_once("127.0.0.1", port, point, plan.key, clock=_at(moment))
                )
    return {k: tuple(v) for k, v in readings.items()}


def _at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def register_meters(world: World, *plans: MeterPlan) -> None:
    """Each owner registers its meters on the MeterRegistry from its own account."""
    for plan in plans:
        org = world.orgs[plan.maker]
        world.deployment.meters.register(plan.registration(), sender=org.account)


def publish_readings(
    supplier: Supplier, plan: MeterPlan, readings: tuple[SignedReading, ...], certifier: str
) -> ReadMeter:
    """The owner publishes the period's readings as an attestation granted to the certifier."""
    batch = ReadingBatch(plan.device_id, PERIOD_START, PERIOD_END, readings)
    document = meter_readings_document(str(supplier.org_id), batch)
    pub = supplier.publish(document, None, [certifier])
    return ReadMeter(plan, batch, pub.attestation_id)


def panel_ets_review(attestation_id: str, certifier: str, now: datetime) -> EtsReview:
    """The certifier's ETS review of the panel footprint: the panel line, fluorinated
    gases outside the market's scope, and the one flag it accepts with its reason."""
    return EtsReview(
        attestation_id,
        PANEL_ETS_PRODUCT,
        exclude_lines=("fgas",),
        overrides=(CheckOverride("ets.year", YEAR_OVERRIDE, certifier, now),),
    )


def publish_ets(supplier: Supplier, certifier: str) -> str:
    """The panel maker publishes its verified ETS year, granted to the certifier."""
    return supplier.publish(ets_document(PANEL_ETS), None, [certifier]).attestation_id


@dataclass(frozen=True)
class Metering:
    """The metered suppliers' side of the honest path: each metered product's readings
    (by product key) and the panel plant's ETS attestation."""

    read: dict[str, ReadMeter]
    ets_attestation: str

    def citations(self, product: str) -> dict[str, MeterCitation]:
        """The line citations of ``product``'s inventory (empty when it is not metered)."""
        found = self.read.get(product)
        return {} if found is None else {found.plan.line_id: found.citation()}


def meter_suppliers(
    world: World, suppliers: Mapping[str, Supplier], certifier: str, story: Story
) -> Metering:
    """Register the meters, read them through DL/T 645, publish the signed readings and
    the panel plant's ETS year (both granted to the certifier), telling the story."""
    register_meters(world, *PLANS)
    for plan in PLANS:
        cert = plan.certificate
        story.say(
            _who(plan.maker),
            f"registered meter {plan.device_id} on the MeterRegistry: device key "
            f"{plan.registration().key_id[:12]}…, electricity (kWh) × {plan.multiplier}, "
            f"calibration {cert.number} ({cert.institute}, valid {cert.valid_from} to "
            f"{cert.valid_until})",
        )
    readings = read_period(*PLANS)
    read: dict[str, ReadMeter] = {}
    for plan in PLANS:
        done = publish_readings(suppliers[plan.maker], plan, readings[plan.device_id], certifier)
        read[plan.product] = done
        counters = " → ".join(str(r.reading.counter) for r in done.batch.readings)
        story.say(
            _who(plan.maker),
            f"read {plan.device_id} at DL/T 645 address {plan.address} through the serial "
            f"gateway (simulated on 127.0.0.1): {counters} kWh, each reading signed by the "
            f"meter's device key; published as {done.batch_attestation[:12]}…, granted to the "
            "certifier",
        )
    ets = publish_ets(suppliers["panel"], certifier)
    story.say(
        _who("panel"),
        f"granted the certifier its plant's verified ETS year {PANEL_ETS.year} "
        f"({PANEL_ETS.scheme} report {PANEL_ETS.report_number}: "
        f"{PANEL_ETS.purchased_electricity} MWh, {PANEL_ETS.total_emissions} tCO2) as "
        f"attestation {ets[:12]}…",
    )
    return Metering(read, ets)


def _who(org_key: str) -> str:
    return ORG_BY_KEY[org_key].name.split(" ")[1]


#: Why the certifier suspends the panel label in the demo.
SUSPENSION_REASON = "surveillance audit: the 2025 meter data of line 2 is being re-verified"


def panel_certificate(check: CertificationCheck, world: World) -> FootprintCertificate:
    """The CNCA-CFP-00:2025 certificate of the checked panel footprint, issued today (CST)."""
    panel = ORG_BY_KEY["panel"]
    certifier = ORG_BY_KEY["certifier"]
    issued = world.clock().astimezone(CHINA_STANDARD_TIME).date()
    return FootprintCertificate(
        number=f"CFP-{issued.year}-CQ-0042",
        applicant=CertificateParty(panel.name, "Liangjiang New Area, Chongqing", panel.org_id),
        producer=CertificateParty(panel.name, "Liangjiang New Area, Chongqing", panel.org_id),
        product_name=PRODUCT_BY_KEY["display_panel"].name,
        models=("LCD-14-FHD",),
        basis=CertificationBasis("illustrative PCR for notebook computers and their parts"),
        mode="initial factory inspection + product carbon footprint verification",
        conclusion="conforms",
        pcf_value=check.claimed,
        pcf_unit=check.unit,
        boundary="partial",
        issued=issued,
        valid_until=default_valid_until(issued),
        certifier=CertificateParty(certifier.name, None, certifier.org_id),
        attestation_id=check.attestation_id,
    )
