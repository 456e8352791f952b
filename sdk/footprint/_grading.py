"""Grading (分级) of a footprint against a category benchmark.

No official grade scale exists yet in China; a :class:`Benchmark` is configuration,
and the one shipped for the demo is marked illustrative. Bands are upper bounds,
inclusive: a value equal to a band's ``max_value`` gets that band's grade; a value above
every band gets ``worst_grade``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from sdk.errors import FootprintError
from sdk.footprint import _values as v
from sdk.footprint._model import BOUNDARIES, LabelGrade, ProductFootprint

_KEYS = {
    "id",
    "version",
    "name",
    "category",
    "productClassification",
    "declaredUnitOfMeasurement",
    "declaredUnitAmount",
    "boundary",
    "illustrative",
    "source",
    "bands",
    "worstGrade",
}


@dataclass(frozen=True)
class GradeBand:
    """Values up to and including ``max_value`` (kgCO2e per declared unit) get ``grade``."""

    grade: str
    max_value: Decimal


@dataclass(frozen=True)
class Benchmark:
    """A category benchmark: bands in increasing order of ``max_value``, each with a
    distinct grade, for footprints declared per ``declared_unit_amount``
    ``declared_unit`` under ``boundary``. Raises FootprintError naming the field
    (pointer into the JSON form) on construction."""

    id: str
    version: str
    name: str
    category: str
    declared_unit: str
    declared_unit_amount: Decimal
    boundary: str
    bands: tuple[GradeBand, ...]
    worst_grade: str
    illustrative: bool
    source: str
    product_classification: str | None = None

    def __post_init__(self) -> None:
        for name, pointer in (
            ("id", "/id"),
            ("version", "/version"),
            ("name", "/name"),
            ("category", "/category"),
            ("source", "/source"),
            ("worst_grade", "/worstGrade"),
        ):
            v.check_str(getattr(self, name), pointer, nonempty=True)
        v.check_declared_unit(self.declared_unit, "/declaredUnitOfMeasurement")
        v.check_decimal(self.declared_unit_amount, "/declaredUnitAmount", positive=True)
        if self.boundary not in BOUNDARIES:
            raise FootprintError("/boundary", f"must be 'full' or 'partial', got {self.boundary!r}")
        if not isinstance(self.illustrative, bool):
            raise FootprintError("/illustrative", "must be a boolean")
        if self.product_classification is not None:
            v.check_urn(self.product_classification, "/productClassification")
        if not isinstance(self.bands, tuple) or not self.bands:
            raise FootprintError("/bands", "must contain at least one band")
        grades = {self.worst_grade}
        previous: Decimal | None = None
        for i, band in enumerate(self.bands):
            if not isinstance(band, GradeBand):
                raise FootprintError(f"/bands/{i}", "must be a GradeBand")
            v.check_str(band.grade, f"/bands/{i}/grade", nonempty=True)
            v.check_decimal(band.max_value, f"/bands/{i}/maxValue", minimum=Decimal(0))
            if previous is not None and band.max_value <= previous:
                raise FootprintError(f"/bands/{i}/maxValue", "bands must increase strictly")
            if band.grade in grades:
                raise FootprintError(f"/bands/{i}/grade", f"grade {band.grade!r} used twice")
            grades.add(band.grade)
            previous = band.max_value

    @property
    def benchmark_id(self) -> str:
        """``id@version``, as recorded in a :class:`LabelGrade`."""
        return f"{self.id}@{self.version}"

    def grade_for(self, value: Decimal) -> str:
        """The grade of ``value`` kgCO2e per declared unit amount (bounds inclusive)."""
        v.check_decimal(value, "/value")
        for band in self.bands:
            if value <= band.max_value:
                return band.grade
        return self.worst_grade

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "category": self.category,
            "declaredUnitOfMeasurement": self.declared_unit,
            "declaredUnitAmount": v.format_decimal(self.declared_unit_amount),
            "boundary": self.boundary,
            "illustrative": self.illustrative,
            "source": self.source,
            "bands": [
                {"grade": b.grade, "maxValue": v.format_decimal(b.max_value)} for b in self.bands
            ],
            "worstGrade": self.worst_grade,
        }
        if self.product_classification is not None:
            out["productClassification"] = self.product_classification
        return out

    @classmethod
    def from_dict(cls, doc: Any) -> Benchmark:
        """Parse and validate; raises FootprintError naming the field."""
        obj = v.parse_object(doc, "")
        unknown = sorted(set(obj) - _KEYS)
        if unknown:
            raise FootprintError(v.child("", unknown[0]), "unknown field")

        def req(key: str) -> Any:
            if obj.get(key) is None:
                raise FootprintError(f"/{key}", "is required")
            return obj[key]

        bands = []
        for i, raw in enumerate(v.parse_array(req("bands"), "/bands")):
            band = v.parse_object(raw, f"/bands/{i}")
            bands.append(
                GradeBand(
                    grade=v.parse_str(band.get("grade"), f"/bands/{i}/grade"),
                    max_value=v.parse_decimal(band.get("maxValue"), f"/bands/{i}/maxValue"),
                )
            )
        classification = obj.get("productClassification")
        return cls(
            id=v.parse_str(req("id"), "/id"),
            version=v.parse_str(req("version"), "/version"),
            name=v.parse_str(req("name"), "/name"),
            category=v.parse_str(req("category"), "/category"),
            declared_unit=v.parse_str(
                req("declaredUnitOfMeasurement"), "/declaredUnitOfMeasurement"
            ),
            declared_unit_amount=v.parse_decimal(req("declaredUnitAmount"), "/declaredUnitAmount"),
            boundary=v.parse_str(req("boundary"), "/boundary"),
            bands=tuple(bands),
            worst_grade=v.parse_str(req("worstGrade"), "/worstGrade"),
            illustrative=v.parse_bool(req("illustrative"), "/illustrative"),
            source=v.parse_str(req("source"), "/source"),
            product_classification=None
            if classification is None
            else v.parse_str(classification, "/productClassification"),
        )


def grade(footprint: ProductFootprint, benchmark: Benchmark) -> LabelGrade:
    """Grade ``footprint``'s ``pcfExcludingBiogenicUptake`` against ``benchmark``.

    Raises FootprintError when the footprint is not comparable: a different declared
    unit or amount (``/pcf/declaredUnitOfMeasurement``, ``/pcf/declaredUnitAmount``), or
    no Tanji extension / a different GB/T 24067 boundary (``/extensions``).
    """
    pcf = footprint.pcf
    if pcf.declared_unit != benchmark.declared_unit:
        raise FootprintError(
            "/pcf/declaredUnitOfMeasurement",
            f"is {pcf.declared_unit!r}; benchmark {benchmark.benchmark_id} is per "
            f"{benchmark.declared_unit!r}",
        )
    if pcf.declared_unit_amount != benchmark.declared_unit_amount:
        raise FootprintError(
            "/pcf/declaredUnitAmount",
            f"is {pcf.declared_unit_amount}; benchmark {benchmark.benchmark_id} is per "
            f"{benchmark.declared_unit_amount}",
        )
    if footprint.tanji is None or footprint.tanji.boundary != benchmark.boundary:
        found = "no boundary" if footprint.tanji is None else repr(footprint.tanji.boundary)
        raise FootprintError(
            "/extensions",
            f"benchmark {benchmark.benchmark_id} grades {benchmark.boundary!r} footprints, "
            f"this one has {found}",
        )
    return LabelGrade(
        grade=benchmark.grade_for(pcf.pcf_excluding_biogenic_uptake),
        benchmark_id=benchmark.benchmark_id,
        illustrative=benchmark.illustrative,
    )


@functools.cache
def notebook_benchmark() -> Benchmark:
    """The illustrative notebook-computer benchmark shipped for the demo (cradle-to-gate,
    kgCO2e per piece; A ≤ 200 < B ≤ 240 < C ≤ 280 < D ≤ 320 < E). Not an official scale."""
    text = (
        resources.files("sdk.footprint")
        .joinpath("data/benchmark-notebook-computer-illustrative.json")
        .read_text("utf-8")
    )
    return Benchmark.from_dict(json.loads(text))
