"""Import of records in the shape the national GHG emission factor database publishes.

China's national greenhouse gas emission factor database (MEE and NBS, first version
online January 2025) lists, per record: name, gas, value, unit, source category,
industry, region, year, source document and database version. This module reads such
records from CSV or JSON (docs/data-quality.md lists the columns, in English or in the
database's Chinese headings) and builds a versioned :class:`~sdk.footprint.FactorSet`
with provenance: each factor's ``source`` names the source document, database version,
source category, industry and gases; the set's :class:`~sdk.footprint.FactorProvenance`
holds the database version, retrieval date, SHA-256 of the input file and GWP values.

Conversions, all exact decimal arithmetic:

- gases other than CO2 become CO2e with a GWP table (:data:`AR5_GWP100` by default);
  a record already in CO2e is taken as is;
- basis units the footprint units do not know are rescaled: ``TJ`` → ``GJ`` (÷ 1000),
  ``万Nm3`` / ``万m3`` / ``万kWh`` / ``万t`` (10⁴) → ``Nm3`` / ``m3`` / ``kWh`` / ``t``;
- with ``combine_gases`` (the default) the records of one emission source (same name,
  category, industry, region, year and basis) are summed into one CO2e factor, since an
  inventory line applies one factor.

Errors: :class:`~sdk.errors.FactorError` naming the record (row) and field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sdk.errors import FactorError, FootprintError
from sdk.footprint import _values as v
from sdk.footprint._factors import CATEGORIES, Factor, FactorProvenance, FactorSet
from sdk.footprint._units import CALC_CONTEXT, unit

#: Name of the database, as the provenance records it.
NATIONAL_DATABASE = "National greenhouse gas emission factor database (MEE/NBS, China)"
#: Fields of a record: JSON key, CSV column, and the database's Chinese heading.
NATIONAL_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "name", "名称"),
    ("gas", "gas", "温室气体"),
    ("value", "value", "数值"),
    ("unit", "unit", "单位"),
    ("sourceCategory", "source_category", "排放源类别"),
    ("industry", "industry", "所属行业"),
    ("region", "region", "地区"),
    ("year", "year", "年份"),
    ("sourceDocument", "source_document", "数据来源"),
    ("databaseVersion", "database_version", "数据库版本"),
)
#: Optional fields: a stable factor id, and a category overriding the mapping below.
NATIONAL_OPTIONAL_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("id", "id", "编号"),
    ("category", "category", "类别"),
)
#: IPCC AR5 100-year GWPs (WG1, Ch. 8, Table 8.A.1, without climate-carbon feedbacks).
AR5_GWP100: Mapping[str, Decimal] = {
    "CO2": Decimal(1),
    "CH4": Decimal(28),
    "N2O": Decimal(265),
    "SF6": Decimal(23500),
    "NF3": Decimal(16100),
    "CF4": Decimal(6630),
    "C2F6": Decimal(11100),
    "HFC-23": Decimal(12400),
    "HFC-32": Decimal(677),
    "HFC-125": Decimal(3170),
    "HFC-134a": Decimal(1300),
    "HFC-143a": Decimal(4800),
    "HFC-152a": Decimal(138),
}
#: How the database's source categories map to factor categories (English or Chinese).
SOURCE_CATEGORIES: Mapping[str, str] = {
    "purchased electricity": "electricity",
    "electricity": "electricity",
    "电力": "electricity",
    "购入电力": "electricity",
    "净购入电力": "electricity",
    "purchased heat": "heat",
    "heat": "heat",
    "热力": "heat",
    "购入热力": "heat",
    "fuel combustion": "fuel",
    "fossil fuel combustion": "fuel",
    "燃料燃烧": "fuel",
    "化石燃料燃烧": "fuel",
    "carbonates": "process",
    "碳酸盐": "process",
    "碳酸盐使用": "process",
    "clinker": "process",
    "熟料": "process",
    "energy as raw material": "process",
    "能源作为原材料": "process",
    "industrial processes": "process",
    "工业生产过程": "process",
    "coal production": "process",
    "煤炭生产": "process",
    "wastewater": "process",
    "废水处理": "process",
    "solid waste": "process",
    "固体废弃物": "process",
    "agriculture": "process",
    "农业": "process",
    "materials": "material",
    "原材料": "material",
    "transport": "transport",
    "交通运输": "transport",
}
_BASIS_SCALE: Mapping[str, tuple[str, Decimal]] = {
    "TJ": ("GJ", Decimal(1000)),
    "万Nm3": ("Nm3", Decimal(10000)),
    "万m3": ("m3", Decimal(10000)),
    "万kWh": ("kWh", Decimal(10000)),
    "万t": ("t", Decimal(10000)),
}
_MASS_PREFIX = {"g": "gCO2e", "kg": "kgCO2e", "t": "tCO2e"}
_TOP = re.compile(r"^(g|kg|t)\s*([A-Za-z0-9\-]+)$")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class NationalFactorRecord:
    """One record of the national database, as published (value as a Decimal).

    ``row`` is where it came from (1-based data row of a CSV, index of a JSON array), for
    error messages. ``factor_id`` and ``category`` are optional overrides.
    """

    name: str
    gas: str
    value: Decimal
    unit: str
    source_category: str
    industry: str
    region: str
    year: int
    source_document: str
    database_version: str
    row: str = ""
    factor_id: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        where = self.row or "record"
        for name in ("name", "gas", "unit", "source_category", "industry", "region",
                     "source_document", "database_version"):  # fmt: skip
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise FactorError(f"{where}: {name} must be a non-empty string")
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value < 0:
            raise FactorError(f"{where}: value must be a finite non-negative decimal")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise FactorError(f"{where}: year must be an integer")
        if self.factor_id is not None and not _ID.match(self.factor_id):
            raise FactorError(f"{where}: id must match {_ID.pattern}")
        if self.category is not None and self.category not in CATEGORIES:
            raise FactorError(f"{where}: category must be one of {', '.join(CATEGORIES)}")

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the keys of :data:`NATIONAL_FIELDS`)."""
        out: dict[str, Any] = {
            "name": self.name,
            "gas": self.gas,
            "value": v.format_decimal(self.value),
            "unit": self.unit,
            "sourceCategory": self.source_category,
            "industry": self.industry,
            "region": self.region,
            "year": self.year,
            "sourceDocument": self.source_document,
            "databaseVersion": self.database_version,
        }
        if self.factor_id is not None:
            out["id"] = self.factor_id
        if self.category is not None:
            out["category"] = self.category
        return out


def _record(cells: Mapping[str, Any], where: str) -> NationalFactorRecord:
    """A record from a mapping keyed by JSON key; values as JSON or CSV text."""
    value = cells["value"]
    if not isinstance(value, str):
        raise FactorError(f"{where}: value must be a decimal string, got {value!r}")
    try:
        decimal_value = v.parse_decimal(value.strip(), "/value")
    except FootprintError as exc:
        raise FactorError(f"{where}: value: {exc.reason}") from None
    year = cells["year"]
    if isinstance(year, str):
        if not year.strip().isdigit():
            raise FactorError(f"{where}: year must be an integer, got {year!r}")
        year = int(year)
    text = {
        k: (cells[k].strip() if isinstance(cells[k], str) else cells[k])
        for k in ("name", "gas", "unit", "sourceCategory", "industry", "region",
                  "sourceDocument", "databaseVersion")
    }  # fmt: skip
    optional = {
        k: (cells[k].strip() or None if isinstance(cells.get(k), str) else cells.get(k))
        for k in ("id", "category")
    }
    return NationalFactorRecord(
        name=text["name"],
        gas=text["gas"],
        value=decimal_value,
        unit=text["unit"],
        source_category=text["sourceCategory"],
        industry=text["industry"],
        region=text["region"],
        year=year,
        source_document=text["sourceDocument"],
        database_version=text["databaseVersion"],
        row=where,
        factor_id=optional["id"],
        category=optional["category"],
    )


def load_national_csv(text: str) -> tuple[NationalFactorRecord, ...]:
    """Records from CSV whose header names the fields in English (``source_category``)
    or with the database's Chinese headings (``排放源类别``); optional ``id`` and
    ``category`` columns. Raises FactorError naming the row and field."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    columns: dict[str, str] = {}
    for key, english, chinese in (*NATIONAL_FIELDS, *NATIONAL_OPTIONAL_FIELDS):
        for heading in (english, chinese):
            if heading in header:
                columns[key] = heading
    missing = [english for key, english, _ in NATIONAL_FIELDS if key not in columns]
    if missing:
        raise FactorError(f"national factors CSV header: missing column(s) {', '.join(missing)}")
    known = set(columns.values())
    extra = [h for h in header if h not in known]
    if extra:
        raise FactorError(f"national factors CSV header: unknown column(s) {', '.join(extra)}")
    reader.fieldnames = header
    records = []
    for number, row in enumerate(reader, start=2):
        where = f"row {number}"
        if None in row or any(row.get(c) is None for c in columns.values()):
            raise FactorError(f"{where}: wrong number of fields")
        records.append(_record({key: row[col] for key, col in columns.items()}, where))
    if not records:
        raise FactorError("national factors CSV: no data rows")
    return tuple(records)


def load_national_json(text: str | bytes) -> tuple[NationalFactorRecord, ...]:
    """Records from a JSON array of objects with the keys of :data:`NATIONAL_FIELDS`
    (plus optional ``id`` and ``category``); values as decimal strings. Raises
    FactorError naming the array index and field."""
    try:
        doc = json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FactorError(f"national factors JSON is not valid JSON: {exc}") from exc
    if not isinstance(doc, list) or not doc:
        raise FactorError("national factors JSON must be a non-empty array of records")
    keys = {k for k, _, _ in NATIONAL_FIELDS}
    optional = {k for k, _, _ in NATIONAL_OPTIONAL_FIELDS}
    records = []
    for i, item in enumerate(doc):
        where = f"record {i}"
        if not isinstance(item, dict):
            raise FactorError(f"{where}: must be an object")
        missing = sorted(keys - set(item))
        if missing:
            raise FactorError(f"{where}: {missing[0]} is required")
        unknown = sorted(set(item) - keys - optional)
        if unknown:
            raise FactorError(f"{where}: unknown field {unknown[0]!r}")
        records.append(_record(item, where))
    return tuple(records)


@dataclass(frozen=True)
class _Converted:
    """A record's value as CO2e per ``basis``, in ``prefix`` (g, kg, t) of emissions."""

    record: NationalFactorRecord
    category: str
    co2e: Decimal
    prefix: str
    basis: str
    gwp_applied: bool

    @property
    def emission_unit(self) -> str:
        # CO2 stays "tCO2" (what the source says); anything converted is "tCO2e".
        if self.record.gas.upper() == "CO2" and not self.gwp_applied:
            return f"{self.prefix}CO2"
        return _MASS_PREFIX[self.prefix]


def _convert(record: NationalFactorRecord, gwp: Mapping[str, Decimal]) -> _Converted:
    where = record.row or "record"
    if record.unit.count("/") != 1:
        raise FactorError(f"{where}: unit must look like 'tCO2/MWh', got {record.unit!r}")
    top, bottom = (part.strip() for part in record.unit.split("/"))
    match = _TOP.match(top)
    if match is None:
        raise FactorError(f"{where}: unit {record.unit!r}: expected a mass of a gas on top")
    prefix, gas_in_unit = match.groups()
    gas = record.gas.strip()
    ctx = CALC_CONTEXT
    gwp_applied = False
    if gas_in_unit in ("CO2e", "CO2eq"):
        value = record.value
    else:
        if gas_in_unit.upper() != gas.upper():
            raise FactorError(f"{where}: unit {record.unit!r} is not in {gas} (the record's gas)")
        canonical = next((g for g in gwp if g.upper() == gas.upper()), None)
        if canonical is None:
            raise FactorError(
                f"{where}: no GWP for gas {gas!r} (known: {', '.join(gwp)}); give the "
                "record in CO2e or pass a GWP table that has it"
            )
        gwp_applied = canonical.upper() != "CO2"
        value = ctx.multiply(record.value, gwp[canonical])
    basis = bottom
    if basis in _BASIS_SCALE:
        basis, scale = _BASIS_SCALE[basis]
        value = ctx.divide(value, scale)
    try:
        unit(basis)
    except FootprintError:
        raise FactorError(
            f"{where}: unit {record.unit!r}: basis {bottom!r} is not a known unit"
        ) from None
    category = record.category or SOURCE_CATEGORIES.get(
        record.source_category.strip().lower(), SOURCE_CATEGORIES.get(record.source_category)
    )
    if category is None:
        raise FactorError(
            f"{where}: source category {record.source_category!r} has no factor category; "
            "give a 'category' column (one of " + ", ".join(CATEGORIES) + ")"
        )
    return _Converted(record, category, value, prefix, basis, gwp_applied)


def _factor_id(parts: Iterable[str], year: int) -> str:
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"ncf-{year}-{digest}"


def _source(items: Sequence[_Converted], gwp_name: str) -> str:
    first = items[0].record
    gases = ", ".join(
        f"{c.record.gas} (x {gwp_name} GWP100)" if c.gwp_applied else c.record.gas for c in items
    )
    documents = sorted({c.record.source_document for c in items})
    return (
        f"{'; '.join(documents)} (national GHG emission factor database "
        f"{first.database_version}; {first.source_category} / {first.industry}; gases: {gases})"
    )


def national_factor_set(
    records: Sequence[NationalFactorRecord],
    *,
    name: str,
    version: str,
    publisher: str,
    description: str,
    retrieved: date,
    input_bytes: bytes,
    gwp: Mapping[str, Decimal] = AR5_GWP100,
    gwp_name: str = "IPCC AR5",
    combine_gases: bool = True,
) -> FactorSet:
    """Build a factor set from national database ``records`` (module docstring).

    ``input_bytes`` is the file the records were read from (its SHA-256 goes into the
    provenance); ``retrieved`` the date it was downloaded. All records must come from
    one database version. Factor ids are the records' ``id`` when given, else
    ``ncf-<year>-<12 hex>`` derived from name, category, industry, region and basis (so
    a rebuild gives the same ids). Values are quality 1, not illustrative. Raises
    FactorError naming the record for a unit, gas or category it cannot convert, for
    records of several database versions, and for duplicates.
    """
    if not records:
        raise FactorError("no national factor records")
    versions = sorted({r.database_version for r in records})
    if len(versions) != 1:
        raise FactorError(f"records come from several database versions: {', '.join(versions)}")
    converted = [_convert(r, gwp) for r in records]
    groups: dict[tuple[str, ...], list[_Converted]] = {}
    for item in converted:
        r = item.record
        key: tuple[str, ...] = (
            r.name,
            item.category,
            r.industry,
            r.region,
            str(r.year),
            item.basis,
        )
        if not combine_gases:
            key = (*key, r.gas)
        groups.setdefault(key, []).append(item)
    factors: list[Factor] = []
    for key, items in groups.items():
        gases = [c.record.gas.upper() for c in items]
        if len(set(gases)) != len(gases):
            raise FactorError(
                f"{items[1].record.row or 'record'}: duplicate {items[1].record.gas} record for "
                f"{items[0].record.name!r} ({items[0].record.region}, {items[0].record.year})"
            )
        ids = {c.record.factor_id for c in items if c.record.factor_id is not None}
        if len(ids) > 1:
            raise FactorError(f"{items[0].record.row}: one emission source has ids {sorted(ids)}")
        factor_id = ids.pop() if ids else _factor_id(key, items[0].record.year)
        factors.append(_combine(factor_id, items, gwp_name))
    return FactorSet(
        name=name,
        version=version,
        publisher=publisher,
        description=description,
        factors=tuple(factors),
        provenance=FactorProvenance(
            database=NATIONAL_DATABASE,
            database_version=versions[0],
            retrieved=retrieved,
            input_sha256=hashlib.sha256(input_bytes).hexdigest(),
            records=len(records),
            gwp=f"{gwp_name} GWP100",
        ),
    )


def _combine(factor_id: str, items: Sequence[_Converted], gwp_name: str) -> Factor:
    ctx = CALC_CONTEXT
    first = items[0]
    value, emission_unit = first.co2e, first.emission_unit
    if len(items) > 1:
        # the gases of one source, summed as CO2e in the first record's mass unit
        emission_unit = _MASS_PREFIX[first.prefix]
        target = unit(emission_unit).size
        value = Decimal(0)
        for item in items:
            size = unit(_MASS_PREFIX[item.prefix]).size
            value = ctx.add(value, ctx.divide(ctx.multiply(item.co2e, size), target))
    return Factor(
        id=factor_id,
        name=first.record.name,
        category=first.category,
        value=value,
        unit=f"{emission_unit}/{first.basis}",
        source=_source(items, gwp_name),
        year=first.record.year,
        geography=first.record.region,
        quality=1,
        illustrative=False,
    )
