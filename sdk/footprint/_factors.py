"""Emission factors and versioned factor sets.

A factor set is data: name, version, publisher and factors, each with its value
(:class:`Decimal`), unit, source citation, year, geography and quality. The SDK ships
one (:func:`default_factor_set`); others are loaded from JSON. A set's identity is
``name@version`` and its :meth:`FactorSet.digest` over the canonical JSON form, so an
industry association can publish a set as a public attestation and footprints can name
the exact set they used.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

from sdk._canonical import tagged_digest
from sdk.errors import FactorError, FootprintError
from sdk.footprint import _values as v
from sdk.footprint._units import split_factor_unit

#: Domain-separation tag of a factor set digest.
FACTOR_SET_TAG = "tanji.factorset.v1"
#: Factor categories; ``electricity`` factors are reported as grid factors.
CATEGORIES = ("electricity", "heat", "fuel", "material", "transport", "packaging", "process")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Factor:
    """One emission factor: ``value`` ``unit`` (e.g. 0.5306 kgCO2/kWh).

    ``quality`` is a DQR-style rating 1 (best) to 3, or None with a ``quality_note``;
    ``illustrative`` marks literature/placeholder values that are not official figures.
    Raises FactorError naming the field on construction.
    """

    id: str
    name: str
    category: str
    value: Decimal
    unit: str
    source: str
    year: int
    geography: str
    quality: int | None = None
    quality_note: str | None = None
    illustrative: bool = False

    def __post_init__(self) -> None:
        where = f"factor {self.id!r}" if isinstance(self.id, str) else "factor"
        if not isinstance(self.id, str) or not _ID_RE.match(self.id):
            raise FactorError(f"{where}: id must match {_ID_RE.pattern}")
        for name in ("name", "source", "geography"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise FactorError(f"{where}: {name} must be a non-empty string")
        if self.category not in CATEGORIES:
            raise FactorError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
        if isinstance(self.value, bool) or not isinstance(self.value, Decimal):
            raise FactorError(f"{where}: value must be a decimal.Decimal")
        if not self.value.is_finite() or self.value < 0:
            raise FactorError(f"{where}: value must be a finite non-negative decimal")
        try:
            split_factor_unit(self.unit)
        except FootprintError as exc:
            raise FactorError(f"{where}: unit: {exc.reason}") from None
        if (
            isinstance(self.year, bool)
            or not isinstance(self.year, int)
            or not 1990 <= self.year <= 2100
        ):
            raise FactorError(f"{where}: year must be an integer between 1990 and 2100")
        if self.quality is not None and (
            isinstance(self.quality, bool) or self.quality not in (1, 2, 3)
        ):
            raise FactorError(f"{where}: quality must be 1, 2 or 3")
        if self.quality_note is not None and (
            not isinstance(self.quality_note, str) or not self.quality_note.strip()
        ):
            raise FactorError(f"{where}: qualityNote must be a non-empty string")
        if self.quality is None and self.quality_note is None:
            raise FactorError(f"{where}: needs a quality rating (1-3) or a qualityNote")
        if not isinstance(self.illustrative, bool):
            raise FactorError(f"{where}: illustrative must be a boolean")

    def to_dict(self) -> dict[str, Any]:
        """JSON form (value as a decimal string)."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "value": v.format_decimal(self.value),
            "unit": self.unit,
            "source": self.source,
            "year": self.year,
            "geography": self.geography,
            "illustrative": self.illustrative,
        }
        if self.quality is not None:
            out["quality"] = self.quality
        if self.quality_note is not None:
            out["qualityNote"] = self.quality_note
        return out

    @classmethod
    def from_dict(cls, doc: Any, where: str = "factor") -> Factor:
        """Parse the JSON form; raises FactorError naming the factor and field."""
        if not isinstance(doc, dict):
            raise FactorError(f"{where}: must be an object")
        known = {
            "id",
            "name",
            "category",
            "value",
            "unit",
            "source",
            "year",
            "geography",
            "quality",
            "qualityNote",
            "illustrative",
        }
        unknown = sorted(set(doc) - known)
        if unknown:
            raise FactorError(f"{where}: unknown field {unknown[0]!r}")
        for name in ("id", "name", "category", "value", "unit", "source", "year", "geography"):
            if name not in doc:
                raise FactorError(f"{where}: {name} is required")
        value = doc["value"]
        if not isinstance(value, str):
            raise FactorError(f"{where}: value must be a decimal string, got {value!r}")
        try:
            decimal_value = v.parse_decimal(value, "/value")
        except FootprintError as exc:
            raise FactorError(f"{where}: value: {exc.reason}") from None
        return cls(
            id=doc["id"],
            name=doc["name"],
            category=doc["category"],
            value=decimal_value,
            unit=doc["unit"],
            source=doc["source"],
            year=doc["year"],
            geography=doc["geography"],
            quality=doc.get("quality"),
            quality_note=doc.get("qualityNote"),
            illustrative=doc.get("illustrative", False),
        )


@dataclass(frozen=True)
class FactorProvenance:
    """Where a factor set's figures come from, when it was derived from a published
    database (e.g. the national GHG emission factor database): the database and its
    version, the date the records were retrieved, the SHA-256 of the exact input file
    the set was built from (so anyone can rebuild and compare), how many records it
    held, and the GWP values used to express other gases as CO2e."""

    database: str
    database_version: str
    retrieved: date
    input_sha256: str
    records: int
    gwp: str

    def __post_init__(self) -> None:
        for name in ("database", "database_version", "gwp"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise FactorError(f"factor set provenance: {name} must be a non-empty string")
        if not isinstance(self.retrieved, date) or isinstance(self.retrieved, datetime):
            raise FactorError("factor set provenance: retrieved must be a datetime.date")
        if not isinstance(self.input_sha256, str) or not _SHA256_RE.match(self.input_sha256):
            raise FactorError("factor set provenance: inputSha256 must be 64 lowercase hex")
        if isinstance(self.records, bool) or not isinstance(self.records, int) or self.records < 1:
            raise FactorError("factor set provenance: records must be a positive integer")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "database": self.database,
            "databaseVersion": self.database_version,
            "retrieved": self.retrieved.isoformat(),
            "inputSha256": self.input_sha256,
            "records": self.records,
            "gwp": self.gwp,
        }

    @classmethod
    def from_dict(cls, doc: Any) -> FactorProvenance:
        """Parse the JSON form; raises FactorError naming the field."""
        keys = ("database", "databaseVersion", "retrieved", "inputSha256", "records", "gwp")
        if not isinstance(doc, dict) or set(doc) != set(keys):
            raise FactorError(f"factor set provenance must be an object with {', '.join(keys)}")
        try:
            retrieved = date.fromisoformat(doc["retrieved"])
        except (TypeError, ValueError):
            raise FactorError("factor set provenance: retrieved must be YYYY-MM-DD") from None
        return cls(
            database=doc["database"],
            database_version=doc["databaseVersion"],
            retrieved=retrieved,
            input_sha256=doc["inputSha256"],
            records=doc["records"],
            gwp=doc["gwp"],
        )


@dataclass(frozen=True)
class FactorSet:
    """A versioned, citable set of emission factors with unique ids; ``provenance``
    (optional, JSON ``provenance``) records the database a derived set was built from."""

    name: str
    version: str
    publisher: str
    description: str
    factors: tuple[Factor, ...]
    provenance: FactorProvenance | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _ID_RE.match(self.name):
            raise FactorError(f"factor set name must match {_ID_RE.pattern}")
        if not isinstance(self.version, str) or not _VERSION_RE.match(self.version):
            raise FactorError(f"factor set version must match {_VERSION_RE.pattern}")
        for name in ("publisher", "description"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name).strip():
                raise FactorError(f"factor set {name} must be a non-empty string")
        if not isinstance(self.factors, tuple) or not self.factors:
            raise FactorError("factor set needs a non-empty tuple of factors")
        seen: set[str] = set()
        for factor in self.factors:
            if not isinstance(factor, Factor):
                raise FactorError("factor set entries must be Factor objects")
            if factor.id in seen:
                raise FactorError(f"factor {factor.id!r}: duplicate id in the factor set")
            seen.add(factor.id)
        if self.provenance is not None and not isinstance(self.provenance, FactorProvenance):
            raise FactorError("factor set provenance must be a FactorProvenance")

    @property
    def id(self) -> str:
        """``name@version``: how footprints and inventories refer to this set."""
        return f"{self.name}@{self.version}"

    def get(self, factor_id: str) -> Factor:
        """The factor with ``factor_id``; raises FactorError if the set has none."""
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        raise FactorError(f"factor {factor_id!r} is not in factor set {self.id}")

    def to_dict(self) -> dict[str, Any]:
        """JSON form; the payload an association publishes as a public attestation.
        ``provenance`` appears only when set, so sets without it keep their digest."""
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "publisher": self.publisher,
            "description": self.description,
            "factors": [f.to_dict() for f in self.factors],
        }
        if self.provenance is not None:
            out["provenance"] = self.provenance.to_dict()
        return out

    def digest(self) -> str:
        """Hex SHA-256 over ``tanji.factorset.v1`` + RFC 8785 JSON of :meth:`to_dict`."""
        return tagged_digest(FACTOR_SET_TAG, self.to_dict()).hex()

    @classmethod
    def from_dict(cls, doc: Any) -> FactorSet:
        """Parse and validate the JSON form; raises FactorError naming the problem."""
        if not isinstance(doc, dict):
            raise FactorError("factor set must be a JSON object")
        known = {"name", "version", "publisher", "description", "factors", "provenance"}
        unknown = sorted(set(doc) - known)
        if unknown:
            raise FactorError(f"factor set: unknown field {unknown[0]!r}")
        for name in ("name", "version", "publisher", "description", "factors"):
            if name not in doc:
                raise FactorError(f"factor set: {name} is required")
        if not isinstance(doc["factors"], list):
            raise FactorError("factor set: factors must be an array")
        factors = tuple(
            Factor.from_dict(
                f, f"factors/{i}" + (f" ({f.get('id')!r})" if isinstance(f, dict) else "")
            )
            for i, f in enumerate(doc["factors"])
        )
        return cls(
            name=doc["name"],
            version=doc["version"],
            publisher=doc["publisher"],
            description=doc["description"],
            factors=factors,
            provenance=None
            if doc.get("provenance") is None
            else FactorProvenance.from_dict(doc["provenance"]),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> FactorSet:
        """Parse a factor set from JSON text (numbers in ``value`` are refused: use
        decimal strings). Raises FactorError for bad JSON or a bad set."""
        try:
            doc = json.loads(text, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError) as exc:
            raise FactorError(f"factor set is not valid JSON: {exc}") from exc
        return cls.from_dict(doc)


@functools.cache
def default_factor_set() -> FactorSet:
    """The factor set shipped with the SDK (``sdk/footprint/data/factors-cn-default.json``):
    China's MEE/NBS grid factors 2021–2023 and illustrative demo material, transport and
    packaging factors."""
    text = (
        resources.files("sdk.footprint").joinpath("data/factors-cn-default.json").read_text("utf-8")
    )
    return FactorSet.from_json(text)
