"""Cross-checks with carbon-market data (与全国碳排放权交易市场相关数据相互校验).

A facility's verified annual data from its ETS verification report (核查报告) —
emissions, purchased electricity and the grid factor used, output by product — is
imported from a documented JSON or CSV form (docs/data-quality.md) into a
:class:`FacilityYear`. :func:`cross_check_ets` then compares a product's footprint
inventory with it: pure functions that return figures and a verdict per check, never
raise for an implausible value. A flagged check blocks issuing a label unless the
certifier overrides it with a recorded reason (:class:`CheckOverride`,
:func:`decide_issuance`).

Checks (``CrossCheck.check``):

``ets.facility``      the facility's organisation is the inventory's company
``ets.year``          the reference period lies in the ETS year (China Standard Time)
``ets.consistency``   the report adds up: total = direct + electricity + heat, and
                      electricity emissions = purchased MWh × grid factor
``ets.electricity``   electricity per declared unit vs the facility's for the product
``ets.emissions``     gate-to-gate emissions per declared unit vs the facility's intensity
                      (recomputed with the footprint's own grid factor)
``ets.grid_factor``   the report's grid factor is in the factor set for its year
``ets.factor_year``   the footprint's grid factors are from the ETS year or at most
                      ``max_factor_lag`` years before it

Errors: :class:`~sdk.errors.EtsDataError` (``where`` names the row/field) for malformed
input; :class:`~sdk.errors.VerificationError` (step = the check) from
:func:`require_issuable`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sdk._canonical import tagged_digest
from sdk._ids import OrgId
from sdk.errors import EtsDataError, FootprintError, InvalidOrgId, VerificationError
from sdk.footprint import _values as v
from sdk.footprint._factors import FactorSet
from sdk.footprint._inventory import Inventory
from sdk.footprint._metering import CHINA_STANDARD_TIME
from sdk.footprint._rollup import roll_up
from sdk.footprint._units import CALC_CONTEXT, convert, split_factor_unit, unit

#: ``schema`` of the JSON form of a facility's verified year.
ETS_SCHEMA = "urn:tanji:ets-facility-year:1"
#: Columns of the CSV form, in order (one row per product; facility columns repeat).
ETS_CSV_COLUMNS = (
    "org_id",
    "facility",
    "year",
    "scheme",
    "sector",
    "region",
    "verifier",
    "report_number",
    "report_date",
    "direct_emissions_tco2",
    "electricity_emissions_tco2",
    "heat_emissions_tco2",
    "total_emissions_tco2",
    "purchased_electricity_mwh",
    "grid_factor_tco2_per_mwh",
    "grid_factor_year",
    "product_name",
    "product_output",
    "product_unit",
)
#: Default plausibility band: a per-unit figure passes within ±20 % of the facility's.
DEFAULT_BAND = Decimal("0.20")
#: Default largest age, in years, of a footprint's grid factor relative to the ETS year
#: (official factors are published one to two years after the year they describe).
DEFAULT_MAX_FACTOR_LAG = 2
#: Activity kinds inside the facility's gate (what the ETS boundary covers).
GATE_TO_GATE_KINDS = ("electricity", "heat", "fuel", "process")
#: Domain-separation tag of an override record's digest.
OVERRIDE_TAG = "tanji.check-override.v1"
#: ``CrossCheck.status`` values.
PASS = "pass"  # noqa: S105 (a status, not a password)
FLAG = "flag"

_T = TypeVar("_T")
_THOUSAND = Decimal(1000)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_FIGURE_QUANTUM = Decimal("0.0001")
_CONSISTENCY_RELATIVE = Decimal("0.001")


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class EtsProduct:
    """One product line of the report: ``output`` ``unit`` made in the year."""

    name: str
    output: Decimal
    unit: str

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {"name": self.name, "output": v.format_decimal(self.output), "unit": self.unit}


@dataclass(frozen=True)
class FacilityYear:
    """A facility's verified year as its ETS verification report states it.

    Emissions are tCO2: ``direct`` (fuel combustion and process), ``electricity`` and
    ``heat`` (indirect, purchased), ``total``; ``purchased_electricity`` is MWh and
    ``grid_factor`` the tCO2/MWh the report applied, of year ``grid_factor_year``.
    ``scheme`` is the market (``CN-ETS`` for the national market, or a pilot such as
    ``CQ-ETS``); ``region`` an ISO 3166-2 code. Construction validates types and ranges
    and raises :class:`~sdk.errors.EtsDataError` naming the field; whether the figures
    add up is the ``ets.consistency`` check.
    """

    org_id: str
    facility: str
    year: int
    scheme: str
    sector: str
    region: str
    verifier: str
    report_number: str
    report_date: date
    direct_emissions: Decimal
    electricity_emissions: Decimal
    heat_emissions: Decimal
    total_emissions: Decimal
    purchased_electricity: Decimal
    grid_factor: Decimal
    grid_factor_year: int
    products: tuple[EtsProduct, ...]

    def __post_init__(self) -> None:
        try:
            canonical = str(OrgId.parse(self.org_id))
        except InvalidOrgId as exc:
            raise EtsDataError("/orgId", str(exc)) from None
        if canonical != self.org_id:
            raise EtsDataError("/orgId", f"write it as {canonical!r}")
        for name, pointer in (
            ("facility", "/facility"),
            ("scheme", "/scheme"),
            ("sector", "/sector"),
            ("verifier", "/verifier"),
            ("report_number", "/reportNumber"),
        ):
            _call(v.check_str, getattr(self, name), pointer, nonempty=True)
        _call(v.check_subdivision, self.region, "/region")
        for name, pointer in (("year", "/year"), ("grid_factor_year", "/gridFactor/year")):
            year = getattr(self, name)
            if isinstance(year, bool) or not isinstance(year, int) or not 2005 <= year <= 2100:
                raise EtsDataError(pointer, "must be a year between 2005 and 2100")
        if not isinstance(self.report_date, date) or isinstance(self.report_date, datetime):
            raise EtsDataError("/reportDate", "must be a datetime.date")
        for name, pointer in (
            ("direct_emissions", "/emissions/direct"),
            ("electricity_emissions", "/emissions/purchasedElectricity"),
            ("heat_emissions", "/emissions/purchasedHeat"),
            ("total_emissions", "/emissions/total"),
            ("purchased_electricity", "/purchasedElectricityMWh"),
            ("grid_factor", "/gridFactor/value"),
        ):
            _call(v.check_decimal, getattr(self, name), pointer, minimum=_ZERO)
        if not isinstance(self.products, tuple) or not self.products:
            raise EtsDataError("/products", "the report lists at least one product")
        names: set[str] = set()
        for i, product in enumerate(self.products):
            if not isinstance(product, EtsProduct):
                raise EtsDataError(f"/products/{i}", "must be an EtsProduct")
            _call(v.check_str, product.name, f"/products/{i}/name", nonempty=True)
            _call(v.check_decimal, product.output, f"/products/{i}/output", positive=True)
            _call(unit, product.unit, f"/products/{i}/unit")
            if product.name in names:
                raise EtsDataError(f"/products/{i}/name", f"duplicate product {product.name!r}")
            names.add(product.name)

    def product(self, name: str) -> EtsProduct:
        """The product line ``name``; raises EtsDataError if the report has none."""
        for product in self.products:
            if product.name == name:
                return product
        listed = ", ".join(repr(p.name) for p in self.products)
        raise EtsDataError("/products", f"no product {name!r} in the report (it lists {listed})")

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see docs/data-quality.md)."""
        return {
            "schema": ETS_SCHEMA,
            "orgId": self.org_id,
            "facility": self.facility,
            "year": self.year,
            "scheme": self.scheme,
            "sector": self.sector,
            "region": self.region,
            "verifier": self.verifier,
            "reportNumber": self.report_number,
            "reportDate": self.report_date.isoformat(),
            "emissions": {
                "direct": v.format_decimal(self.direct_emissions),
                "purchasedElectricity": v.format_decimal(self.electricity_emissions),
                "purchasedHeat": v.format_decimal(self.heat_emissions),
                "total": v.format_decimal(self.total_emissions),
                "unit": "tCO2",
            },
            "purchasedElectricityMWh": v.format_decimal(self.purchased_electricity),
            "gridFactor": {
                "value": v.format_decimal(self.grid_factor),
                "unit": "tCO2/MWh",
                "year": self.grid_factor_year,
            },
            "products": [p.to_dict() for p in self.products],
        }

    @classmethod
    def from_dict(cls, doc: Any) -> FacilityYear:
        """Parse the JSON form; raises EtsDataError naming the field."""
        obj = _wrap(lambda: v.parse_object(doc, ""))
        if obj.get("schema") != ETS_SCHEMA:
            raise EtsDataError("/schema", f"must be {ETS_SCHEMA!r}")
        _known(obj, _JSON_KEYS, "")
        emissions = _wrap(lambda: v.parse_object(_req(obj, "emissions", ""), "/emissions"))
        _known(
            emissions,
            {"direct", "purchasedElectricity", "purchasedHeat", "total", "unit"},
            "/emissions",
        )
        if emissions.get("unit", "tCO2") != "tCO2":
            raise EtsDataError("/emissions/unit", "must be 'tCO2'")
        grid = _wrap(lambda: v.parse_object(_req(obj, "gridFactor", ""), "/gridFactor"))
        _known(grid, {"value", "unit", "year"}, "/gridFactor")
        if grid.get("unit", "tCO2/MWh") != "tCO2/MWh":
            raise EtsDataError("/gridFactor/unit", "must be 'tCO2/MWh'")
        products = _wrap(lambda: v.parse_array(_req(obj, "products", ""), "/products"))
        parsed: list[EtsProduct] = []
        for i, item in enumerate(products):
            where = f"/products/{i}"
            p = _call(v.parse_object, item, where)
            _known(p, {"name", "output", "unit"}, where)
            parsed.append(
                EtsProduct(
                    name=_field(p, "name", where, v.parse_str),
                    output=_field(p, "output", where, v.parse_decimal),
                    unit=_field(p, "unit", where, v.parse_str),
                )
            )
        return cls(
            org_id=_field(obj, "orgId", "", v.parse_str),
            facility=_field(obj, "facility", "", v.parse_str),
            year=_field(obj, "year", "", v.parse_int),
            scheme=_field(obj, "scheme", "", v.parse_str),
            sector=_field(obj, "sector", "", v.parse_str),
            region=_field(obj, "region", "", v.parse_str),
            verifier=_field(obj, "verifier", "", v.parse_str),
            report_number=_field(obj, "reportNumber", "", v.parse_str),
            report_date=_field(obj, "reportDate", "", v.parse_date),
            direct_emissions=_field(emissions, "direct", "/emissions", v.parse_decimal),
            electricity_emissions=_field(
                emissions, "purchasedElectricity", "/emissions", v.parse_decimal
            ),
            heat_emissions=_field(emissions, "purchasedHeat", "/emissions", v.parse_decimal),
            total_emissions=_field(emissions, "total", "/emissions", v.parse_decimal),
            purchased_electricity=_field(obj, "purchasedElectricityMWh", "", v.parse_decimal),
            grid_factor=_field(grid, "value", "/gridFactor", v.parse_decimal),
            grid_factor_year=_field(grid, "year", "/gridFactor", v.parse_int),
            products=tuple(parsed),
        )


_JSON_KEYS = {
    "schema",
    "orgId",
    "facility",
    "year",
    "scheme",
    "sector",
    "region",
    "verifier",
    "reportNumber",
    "reportDate",
    "emissions",
    "purchasedElectricityMWh",
    "gridFactor",
    "products",
}


def load_ets_json(text: str | bytes) -> tuple[FacilityYear, ...]:
    """Facility years from JSON text: one object of the JSON form or an array of them.

    Numbers where decimal strings belong are refused. Raises EtsDataError naming the
    entry and field.
    """
    try:
        doc = json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise EtsDataError("/", f"not valid JSON: {exc}") from exc
    items = doc if isinstance(doc, list) else [doc]
    out: list[FacilityYear] = []
    for i, item in enumerate(items):
        try:
            out.append(FacilityYear.from_dict(item))
        except EtsDataError as exc:
            if not isinstance(doc, list):
                raise
            raise EtsDataError(f"/{i}{exc.where}", exc.reason) from None
    return tuple(out)


def load_ets_csv(text: str) -> tuple[FacilityYear, ...]:
    """Facility years from the CSV form (header row = :data:`ETS_CSV_COLUMNS`, in any
    order; one row per product; the facility columns repeat and must agree for rows of
    the same org id, facility and year). Raises EtsDataError naming row and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in ETS_CSV_COLUMNS if c not in header]
    if missing:
        raise EtsDataError("header", f"missing column(s) {', '.join(missing)}")
    extra = [c for c in header if c not in ETS_CSV_COLUMNS]
    if extra:
        raise EtsDataError("header", f"unknown column(s) {', '.join(extra)}")
    groups: dict[tuple[str, str, str], tuple[dict[str, str], list[int], list[EtsProduct]]] = {}
    facility_columns = ETS_CSV_COLUMNS[:16]
    for row_number, row in enumerate(reader, start=2):
        if None in row or any(row[c] is None for c in ETS_CSV_COLUMNS):
            raise EtsDataError(f"row {row_number}", "wrong number of fields")
        cells = {c: row[c].strip() for c in ETS_CSV_COLUMNS}
        product = EtsProduct(
            name=cells["product_name"],
            output=_csv_decimal(cells, "product_output", row_number),
            unit=cells["product_unit"],
        )
        key = (cells["org_id"], cells["facility"], cells["year"])
        if key not in groups:
            groups[key] = (cells, [row_number], [product])
            continue
        first, rows, products = groups[key]
        for column in facility_columns:
            if cells[column] != first[column]:
                raise EtsDataError(
                    f"row {row_number}, column {column}",
                    f"is {cells[column]!r}, row {rows[0]} of the same facility-year has "
                    f"{first[column]!r}",
                )
        rows.append(row_number)
        products.append(product)
    if not groups:
        raise EtsDataError("row 2", "the file has no data rows")
    out: list[FacilityYear] = []
    for cells, rows, products in groups.values():
        try:
            out.append(_facility_from_cells(cells, products, rows[0]))
        except EtsDataError as exc:
            if exc.where.startswith("row "):
                raise
            raise EtsDataError(_csv_where(exc.where, rows), exc.reason) from None
    return tuple(out)


def _csv_where(pointer: str, rows: list[int]) -> str:
    """Row and column of the CSV form for a JSON Pointer into the JSON form."""
    parts = pointer.split("/")
    if len(parts) == 4 and parts[1] == "products" and parts[2].isdigit():
        return f"row {rows[int(parts[2])]}, column product_{parts[3]}"
    return f"row {rows[0]}, column {_CSV_COLUMN_OF.get(pointer, pointer)}"


_CSV_COLUMN_OF = {
    "/orgId": "org_id",
    "/facility": "facility",
    "/scheme": "scheme",
    "/sector": "sector",
    "/region": "region",
    "/verifier": "verifier",
    "/reportNumber": "report_number",
    "/year": "year",
    "/gridFactor/year": "grid_factor_year",
    "/reportDate": "report_date",
    "/emissions/direct": "direct_emissions_tco2",
    "/emissions/purchasedElectricity": "electricity_emissions_tco2",
    "/emissions/purchasedHeat": "heat_emissions_tco2",
    "/emissions/total": "total_emissions_tco2",
    "/purchasedElectricityMWh": "purchased_electricity_mwh",
    "/gridFactor/value": "grid_factor_tco2_per_mwh",
    "/products": "product_name",
}


def _facility_from_cells(
    cells: dict[str, str], products: list[EtsProduct], row: int
) -> FacilityYear:
    def dec(column: str) -> Decimal:
        return _csv_decimal(cells, column, row)

    def year(column: str) -> int:
        text = cells[column]
        if not text.isdigit():
            raise EtsDataError(f"row {row}, column {column}", f"must be a year, got {text!r}")
        return int(text)

    try:
        report_date = date.fromisoformat(cells["report_date"])
    except ValueError:
        raise EtsDataError(
            f"row {row}, column report_date", f"must be YYYY-MM-DD, got {cells['report_date']!r}"
        ) from None
    return FacilityYear(
        org_id=cells["org_id"],
        facility=cells["facility"],
        year=year("year"),
        scheme=cells["scheme"],
        sector=cells["sector"],
        region=cells["region"],
        verifier=cells["verifier"],
        report_number=cells["report_number"],
        report_date=report_date,
        direct_emissions=dec("direct_emissions_tco2"),
        electricity_emissions=dec("electricity_emissions_tco2"),
        heat_emissions=dec("heat_emissions_tco2"),
        total_emissions=dec("total_emissions_tco2"),
        purchased_electricity=dec("purchased_electricity_mwh"),
        grid_factor=dec("grid_factor_tco2_per_mwh"),
        grid_factor_year=year("grid_factor_year"),
        products=tuple(products),
    )


def _csv_decimal(cells: dict[str, str], column: str, row: int) -> Decimal:
    try:
        return v.parse_decimal(cells[column], column)
    except FootprintError as exc:
        raise EtsDataError(f"row {row}, column {column}", exc.reason) from None


def _wrap(call: Callable[[], _T]) -> _T:
    try:
        return call()
    except FootprintError as exc:
        raise EtsDataError(exc.pointer, exc.reason) from None


def _call(check: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """``check(*args, **kwargs)`` with its FootprintError as an EtsDataError."""
    try:
        return check(*args, **kwargs)
    except FootprintError as exc:
        raise EtsDataError(exc.pointer, exc.reason) from None


def _req(obj: dict[str, Any], key: str, pointer: str) -> Any:
    if obj.get(key) is None:
        raise EtsDataError(v.child(pointer, key), "is required")
    return obj[key]


def _field(obj: dict[str, Any], key: str, pointer: str, parse: Callable[[Any, str], _T]) -> _T:
    value = _req(obj, key, pointer)
    return _wrap(lambda: parse(value, v.child(pointer, key)))


def _known(obj: dict[str, Any], keys: set[str], pointer: str) -> None:
    unknown = sorted(set(obj) - keys)
    if unknown:
        raise EtsDataError(v.child(pointer, unknown[0]), "unknown field")


# ---------------------------------------------------------------- checks


@dataclass(frozen=True)
class CrossCheck:
    """One plausibility check: its name, ``pass`` or ``flag``, the figures it compared
    (decimal strings) and, for a flag, the reason in words."""

    check: str
    status: str
    figures: dict[str, str] = field(default_factory=dict)
    reason: str = ""

    @property
    def flagged(self) -> bool:
        """True when the check did not pass."""
        return self.status == FLAG

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "check": self.check,
            "status": self.status,
            "figures": dict(self.figures),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class CrossCheckReport:
    """Every cross-check of one product against one facility year, in a fixed order."""

    facility: FacilityYear
    product: str
    band: Decimal
    checks: tuple[CrossCheck, ...]

    @property
    def flagged(self) -> tuple[CrossCheck, ...]:
        """The checks that did not pass."""
        return tuple(c for c in self.checks if c.flagged)

    def check(self, name: str) -> CrossCheck:
        """The check ``name``; raises KeyError if the report has none."""
        for item in self.checks:
            if item.check == name:
                return item
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """JSON form for a certifier's report."""
        return {
            "facility": {
                "orgId": self.facility.org_id,
                "facility": self.facility.facility,
                "year": self.facility.year,
                "scheme": self.facility.scheme,
                "reportNumber": self.facility.report_number,
                "verifier": self.facility.verifier,
            },
            "product": self.product,
            "band": v.format_decimal(self.band),
            "checks": [c.to_dict() for c in self.checks],
        }


def cross_check_ets(
    inventory: Inventory,
    facility: FacilityYear,
    *,
    product: str,
    factor_set: FactorSet,
    band: Decimal = DEFAULT_BAND,
    share: Decimal | None = None,
    max_factor_lag: int = DEFAULT_MAX_FACTOR_LAG,
    exclude_lines: Collection[str] = (),
) -> CrossCheckReport:
    """Run every ETS cross-check (module docstring) of ``inventory`` against the report
    line ``product`` of ``facility``.

    ``band`` (0 < band < 1): a per-unit figure passes when footprint ÷ facility lies in
    [1 − band, 1 + band]. ``share``: the part of the facility's emissions and electricity
    attributed to ``product`` (0 < share ≤ 1); by default the product's share of output
    when every product line's unit converts to the inventory's declared unit (physical
    allocation), 1 when there is one product. ``exclude_lines``: ids of gate-to-gate
    lines the market's scope does not cover (e.g. fluorinated gases: China's markets
    account CO2), left out of ``ets.emissions`` and listed in its figures. Per-unit
    figures are per one declared unit.
    Pure; returns the report whatever the figures say. Raises EtsDataError when the
    product is not in the report or no default share exists, ValueError for a band or
    share out of range or an excluded line the inventory does not have.
    """
    if not (isinstance(band, Decimal) and _ZERO < band < _ONE):
        raise ValueError("band must be a Decimal between 0 and 1")
    ctx = CALC_CONTEXT
    line = facility.product(product)
    declared = inventory.declared_unit
    try:
        output = convert(line.output, line.unit, declared)
    except FootprintError as exc:
        raise EtsDataError(
            "/products", f"product {product!r} is counted in {line.unit!r}: {exc.reason}"
        ) from None
    if share is None:
        share = _default_share(facility, line, declared)
    elif not (isinstance(share, Decimal) and _ZERO < share <= _ONE):
        raise ValueError("share must be a Decimal in (0, 1]")

    result = roll_up(inventory)
    per = ctx.divide(_ONE, inventory.declared_unit_amount)
    excluded = set(exclude_lines)
    unknown = excluded - {line.line_id for line in inventory.activities}
    if unknown:
        raise ValueError(f"exclude_lines: no activity line {sorted(unknown)[0]!r}")
    gate = _ZERO
    for result_line in result.lines:
        if result_line.kind in GATE_TO_GATE_KINDS and result_line.line_id not in excluded:
            gate = ctx.add(gate, result_line.emissions)
    kwh = elec_emissions = _ZERO
    factor_years: list[tuple[str, int]] = []
    for activity in inventory.activities:
        if activity.kind != "electricity":
            continue
        kwh = ctx.add(kwh, convert(activity.quantity, activity.unit, "kWh"))
        if activity.factor_id is not None:
            factor = inventory.factor(activity.factor_id)
            factor_years.append((factor.id, factor.year))
    for result_line in result.lines:
        if result_line.kind == "electricity":
            elec_emissions = ctx.add(elec_emissions, result_line.emissions)
    gate_per_unit = ctx.multiply(gate, per)
    kwh_per_unit = ctx.multiply(kwh, per)

    def facility_per_unit(amount: Decimal) -> Decimal:
        return ctx.divide(ctx.multiply(ctx.multiply(amount, _THOUSAND), share), output)

    checks = (
        _check_facility(inventory, facility),
        _check_year(inventory, facility),
        _check_consistency(facility),
        _compare(
            "ets.electricity",
            "electricity",
            "kWh",
            kwh_per_unit,
            facility_per_unit(facility.purchased_electricity),
            band,
            declared,
        ),
        _check_emissions(
            facility,
            gate_per_unit,
            kwh,
            elec_emissions,
            share,
            output,
            band,
            declared,
            sorted(excluded),
        ),
        _check_grid_factor(facility, factor_set),
        _check_factor_year(facility, factor_years, max_factor_lag),
    )
    return CrossCheckReport(facility=facility, product=product, band=band, checks=checks)


def _default_share(facility: FacilityYear, line: EtsProduct, declared: str) -> Decimal:
    if len(facility.products) == 1:
        return _ONE
    total = _ZERO
    for product in facility.products:
        try:
            total = CALC_CONTEXT.add(total, convert(product.output, product.unit, declared))
        except FootprintError:
            raise EtsDataError(
                "/products",
                f"product {product.name!r} is counted in {product.unit!r}, not comparable with "
                f"{declared!r}: pass the share of the facility attributed to {line.name!r}",
            ) from None
    return CALC_CONTEXT.divide(convert(line.output, line.unit, declared), total)


def _fig(value: Decimal) -> str:
    """A figure for a report: four decimal places."""
    return v.format_decimal(value.quantize(_FIGURE_QUANTUM, context=CALC_CONTEXT))


def _pct(value: Decimal) -> str:
    return v.format_decimal(
        CALC_CONTEXT.multiply(value, Decimal(100)).quantize(Decimal("0.1"), context=CALC_CONTEXT)
    )


def _check_facility(inventory: Inventory, facility: FacilityYear) -> CrossCheck:
    ids = inventory.company_ids
    matched = any(cid == facility.org_id or cid.endswith(":" + facility.org_id) for cid in ids)
    figures = {"facilityOrgId": facility.org_id, "companyIds": ", ".join(ids)}
    if matched:
        return CrossCheck("ets.facility", PASS, figures)
    return CrossCheck(
        "ets.facility",
        FLAG,
        figures,
        f"the ETS data is {facility.org_id}'s; the inventory's company is {', '.join(ids)}",
    )


def _check_year(inventory: Inventory, facility: FacilityYear) -> CrossCheck:
    start = inventory.reference_period_start.astimezone(CHINA_STANDARD_TIME)
    last = (inventory.reference_period_end - timedelta(microseconds=1)).astimezone(
        CHINA_STANDARD_TIME
    )
    figures = {
        "etsYear": str(facility.year),
        "referencePeriodStart": v.format_datetime(inventory.reference_period_start),
        "referencePeriodEnd": v.format_datetime(inventory.reference_period_end),
    }
    if start.year == last.year == facility.year:
        return CrossCheck("ets.year", PASS, figures)
    return CrossCheck(
        "ets.year",
        FLAG,
        figures,
        f"the reference period ({start.date().isoformat()} to {last.date().isoformat()}, China "
        f"Standard Time) is not within the ETS year {facility.year}",
    )


def _close(computed: Decimal, reported: Decimal) -> bool:
    """Equal up to rounding: within half a unit in the reported figure's last place, or
    0.1 % of it (reports round intermediate figures)."""
    exponent = reported.as_tuple().exponent
    assert isinstance(exponent, int)
    half_ulp = Decimal(5).scaleb(exponent - 1)
    tolerance = max(half_ulp, CALC_CONTEXT.multiply(reported, _CONSISTENCY_RELATIVE))
    return abs(CALC_CONTEXT.subtract(computed, reported)) <= tolerance


def _check_consistency(facility: FacilityYear) -> CrossCheck:
    ctx = CALC_CONTEXT
    parts = ctx.add(
        ctx.add(facility.direct_emissions, facility.electricity_emissions),
        facility.heat_emissions,
    )
    electricity = ctx.multiply(facility.purchased_electricity, facility.grid_factor)
    figures = {
        "totalReported": v.format_decimal(facility.total_emissions),
        "totalOfParts": v.format_decimal(parts),
        "electricityEmissionsReported": v.format_decimal(facility.electricity_emissions),
        "electricityEmissionsComputed": v.format_decimal(electricity),
    }
    reasons = []
    if not _close(parts, facility.total_emissions):
        reasons.append(
            f"total {v.format_decimal(facility.total_emissions)} tCO2 is not direct + "
            f"electricity + heat = {v.format_decimal(parts)} tCO2"
        )
    if not _close(electricity, facility.electricity_emissions):
        reasons.append(
            f"electricity emissions {v.format_decimal(facility.electricity_emissions)} tCO2 "
            f"are not {v.format_decimal(facility.purchased_electricity)} MWh × "
            f"{v.format_decimal(facility.grid_factor)} tCO2/MWh = {v.format_decimal(electricity)}"
        )
    if reasons:
        return CrossCheck("ets.consistency", FLAG, figures, "; ".join(reasons))
    return CrossCheck("ets.consistency", PASS, figures)


def _compare(
    check: str,
    what: str,
    unit_text: str,
    mine: Decimal,
    theirs: Decimal,
    band: Decimal,
    declared: str,
    extra: dict[str, str] | None = None,
) -> CrossCheck:
    figures = {
        "footprintPerUnit": _fig(mine),
        "facilityPerUnit": _fig(theirs),
        "unit": f"{unit_text}/{declared}",
        "band": v.format_decimal(band),
        **(extra or {}),
    }
    if theirs == 0:
        if mine == 0:
            return CrossCheck(check, PASS, figures)
        return CrossCheck(
            check,
            FLAG,
            figures,
            f"{what} {_fig(mine)} {unit_text}/{declared}, but the facility reports none",
        )
    ratio = CALC_CONTEXT.divide(mine, theirs)
    figures["ratio"] = _fig(ratio)
    if abs(CALC_CONTEXT.subtract(ratio, _ONE)) <= band:
        return CrossCheck(check, PASS, figures)
    direction = "below" if ratio < 1 else "above"
    return CrossCheck(
        check,
        FLAG,
        figures,
        f"{what} {_fig(mine)} {unit_text}/{declared} is {_pct(abs(ratio - 1))} % {direction} "
        f"the facility's {_fig(theirs)} (band ±{_pct(band)} %)",
    )


def _check_emissions(
    facility: FacilityYear,
    gate_per_unit: Decimal,
    kwh: Decimal,
    elec_emissions: Decimal,
    share: Decimal,
    output: Decimal,
    band: Decimal,
    declared: str,
    excluded: Sequence[str],
) -> CrossCheck:
    ctx = CALC_CONTEXT
    # The footprint and the report may apply different grid factors (a regional factor
    # vs the market's compliance factor): compare like with like by recomputing the
    # facility's electricity emissions with the footprint's own effective factor.
    # kgCO2e/kWh is numerically tCO2/MWh
    factor = ctx.divide(elec_emissions, kwh) if kwh > 0 else facility.grid_factor
    electricity = ctx.multiply(facility.purchased_electricity, factor)
    normalised = ctx.add(ctx.add(facility.direct_emissions, facility.heat_emissions), electricity)
    as_verified = ctx.divide(
        ctx.multiply(ctx.multiply(facility.total_emissions, _THOUSAND), share), output
    )
    theirs = ctx.divide(ctx.multiply(ctx.multiply(normalised, _THOUSAND), share), output)
    return _compare(
        "ets.emissions",
        "gate-to-gate emissions",
        "kgCO2e",
        gate_per_unit,
        theirs,
        band,
        declared,
        {
            "facilityPerUnitAsVerified": _fig(as_verified),
            "gridFactorApplied": _fig(factor),
            "share": _fig(share),
            "excludedLines": ", ".join(excluded),
        },
    )


def _check_grid_factor(facility: FacilityYear, factor_set: FactorSet) -> CrossCheck:
    figures = {
        "etsGridFactor": v.format_decimal(facility.grid_factor),
        "etsGridFactorYear": str(facility.grid_factor_year),
        "factorSet": factor_set.id,
    }
    if facility.purchased_electricity == 0:
        return CrossCheck("ets.grid_factor", PASS, figures, "no purchased electricity")
    same_year = []
    for factor in factor_set.factors:
        if factor.category != "electricity" or factor.year != facility.grid_factor_year:
            continue
        value = _tco2_per_mwh(factor.value, factor.unit)
        same_year.append(f"{factor.id} {v.format_decimal(value.normalize())}")
        if value == facility.grid_factor:
            figures["factorId"] = factor.id
            return CrossCheck("ets.grid_factor", PASS, figures)
    listed = ", ".join(same_year) if same_year else "none"
    return CrossCheck(
        "ets.grid_factor",
        FLAG,
        figures,
        f"the report applies {v.format_decimal(facility.grid_factor)} tCO2/MWh "
        f"({facility.grid_factor_year}); the factor set {factor_set.id} has for that year: "
        f"{listed}",
    )


def _tco2_per_mwh(value: Decimal, unit_text: str) -> Decimal:
    """A factor value in tCO2/MWh (kgCO2e/kWh and tCO2/MWh are the same number)."""
    ctx = CALC_CONTEXT
    emission, basis = split_factor_unit(unit_text)
    per_basis_in_t = ctx.divide(ctx.multiply(value, emission.size), _THOUSAND)
    return ctx.divide(per_basis_in_t, convert(_ONE, basis.symbol, "MWh"))


def _check_factor_year(
    facility: FacilityYear, factor_years: Sequence[tuple[str, int]], lag: int
) -> CrossCheck:
    figures = {
        "etsYear": str(facility.year),
        "footprintGridFactors": ", ".join(f"{fid} ({year})" for fid, year in factor_years),
        "maxLag": str(lag),
    }
    if not factor_years:
        return CrossCheck("ets.factor_year", PASS, figures, "no electricity lines")
    stale = [
        f"{fid} ({year})"
        for fid, year in factor_years
        if not facility.year - lag <= year <= facility.year
    ]
    if not stale:
        return CrossCheck("ets.factor_year", PASS, figures)
    return CrossCheck(
        "ets.factor_year",
        FLAG,
        figures,
        f"grid factor(s) {', '.join(stale)} are not from {facility.year - lag}..{facility.year}",
    )


# ---------------------------------------------------------------- overrides


@dataclass(frozen=True)
class CheckOverride:
    """A certifier's decision to issue despite a flagged check, with its reason.

    ``by`` is the certifier's organisation id, ``at`` when it decided. The record is
    signed into the certifier's report (phase 2); :meth:`digest` identifies it.
    """

    check: str
    reason: str
    by: str
    at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.check, str) or not self.check:
            raise ValueError("an override names the check it overrides")
        if not isinstance(self.reason, str) or len(self.reason.strip()) < 10:
            raise ValueError("an override needs a recorded reason (at least 10 characters)")
        try:
            OrgId.parse(self.by)
        except InvalidOrgId as exc:
            raise ValueError(f"override by: {exc}") from None
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise ValueError("override time must be a timezone-aware datetime")

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {
            "check": self.check,
            "reason": self.reason,
            "by": self.by,
            "at": v.format_datetime(self.at),
        }

    def digest(self) -> str:
        """Hex SHA-256 over ``tanji.check-override.v1`` + JCS of :meth:`to_dict`."""
        return tagged_digest(OVERRIDE_TAG, self.to_dict()).hex()


@dataclass(frozen=True)
class IssuanceDecision:
    """Which flagged checks block issuing and which a recorded override lifts."""

    blocking: tuple[CrossCheck, ...]
    overridden: tuple[tuple[CrossCheck, CheckOverride], ...]

    @property
    def issuable(self) -> bool:
        """True when no flagged check is left without an override."""
        return not self.blocking

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the certifier's report."""
        return {
            "issuable": self.issuable,
            "blocking": [c.to_dict() for c in self.blocking],
            "overridden": [
                {"check": c.to_dict(), "override": o.to_dict()} for c, o in self.overridden
            ],
        }


def decide_issuance(
    checks: Iterable[CrossCheck], overrides: Sequence[CheckOverride] = ()
) -> IssuanceDecision:
    """Apply ``overrides`` to ``checks``: a flagged check blocks unless an override names
    it. Raises ValueError for an override of a check that is absent or passed (an override
    must answer a flag) and for two overrides of one check."""
    checks = tuple(checks)
    flagged = {c.check: c for c in checks if c.flagged}
    names = [o.check for o in overrides]
    for override in overrides:
        if names.count(override.check) > 1:
            raise ValueError(f"two overrides for {override.check}")
        if override.check not in flagged:
            raise ValueError(f"override for {override.check}, which is not a flagged check")
    by_check = {o.check: o for o in overrides}
    return IssuanceDecision(
        blocking=tuple(c for c in checks if c.flagged and c.check not in by_check),
        overridden=tuple((c, by_check[c.check]) for c in checks if c.check in by_check),
    )


def require_issuable(
    checks: Iterable[CrossCheck], overrides: Sequence[CheckOverride] = ()
) -> IssuanceDecision:
    """:func:`decide_issuance`, raising :class:`~sdk.errors.VerificationError` (step = the
    first blocking check's name, reason = its reason) when a flag is not overridden."""
    decision = decide_issuance(checks, overrides)
    if decision.blocking:
        first = decision.blocking[0]
        raise VerificationError(first.check, f"{first.reason} (override with a recorded reason)")
    return decision
