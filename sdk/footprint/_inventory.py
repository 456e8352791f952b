"""The inventory: a leader's raw data behind a rolled-up footprint.

It goes inside the encrypted envelope, and it fully determines the footprint: product
header, bill of materials (supplier PCFs with their attestation ids), own activity lines
with metrology traceability, and a snapshot of every emission factor used (with the
factor set's id and digest). A certifier recomputes from it alone. JSON form: decimals
as strings, times RFC 3339 UTC; errors name the field by JSON Pointer into that form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from sdk.errors import FactorError, FootprintError, UnitError
from sdk.footprint import _values as v
from sdk.footprint._factors import Factor, FactorSet
from sdk.footprint._metering import MeterCitation
from sdk.footprint._model import BOUNDARIES, MeteringRecord
from sdk.footprint._units import split_factor_unit, unit

#: ``schema`` value of the inventory JSON form.
INVENTORY_SCHEMA = "urn:tanji:inventory:1"
#: Kinds of own activity lines. ``process`` lines are direct emissions in kgCO2e (or
#: gCO2e/tCO2e) and take no factor; the others multiply by a factor.
ACTIVITY_KINDS = ("electricity", "heat", "fuel", "transport", "process", "packaging", "material")

_T = TypeVar("_T")
_ATTESTATION_ID = re.compile(r"[0-9a-f]{64}")
_ONE = Decimal(1)
_THREE = Decimal(3)


@dataclass(frozen=True)
class Dqr:
    """The five PACT data quality ratings of one input, each 1 (best) to 3."""

    technological: Decimal
    temporal: Decimal
    geographical: Decimal
    completeness: Decimal
    reliability: Decimal

    NAMES = ("technological", "temporal", "geographical", "completeness", "reliability")

    def __post_init__(self) -> None:
        for name in self.NAMES:
            v.check_decimal(getattr(self, name), f"/{name}", minimum=_ONE, maximum=_THREE)

    @classmethod
    def uniform(cls, rating: Decimal | int) -> Dqr:
        """All five ratings equal to ``rating``."""
        value = Decimal(rating)
        return cls(value, value, value, value, value)

    def to_dict(self) -> dict[str, str]:
        """JSON form (decimal strings)."""
        return {name: v.format_decimal(getattr(self, name)) for name in self.NAMES}

    @classmethod
    def from_dict(cls, doc: Any, pointer: str) -> Dqr:
        """Parse; raises FootprintError naming the field."""
        obj = v.parse_object(doc, pointer)
        _no_unknown(obj, set(cls.NAMES), pointer)
        values = {n: v.parse_decimal(_req(obj, n, pointer), v.child(pointer, n)) for n in cls.NAMES}
        return _make(cls, values, pointer)


@dataclass(frozen=True)
class BomLine:
    """One bill-of-materials line: ``quantity`` ``unit`` of a supplier product whose PCF
    is ``supplier_pcf`` kgCO2e per ``supplier_declared_amount`` ``supplier_declared_unit``.

    ``primary``: the value is the supplier's own (primary) PCF rather than a secondary
    database value. Its share of primary data is ``supplier_primary_data_share`` (the
    supplier's declared ``primaryDataShare``) when given, else 100 %; non-primary lines
    count 0 %.
    """

    line_id: str
    description: str
    quantity: Decimal
    unit: str
    supplier_pcf: Decimal
    supplier_declared_unit: str
    dqr: Dqr
    primary: bool
    supplier_declared_amount: Decimal = _ONE
    supplier_attestation_id: str | None = None
    supplier_product_id: str | None = None
    supplier_primary_data_share: Decimal | None = None
    metering: MeteringRecord | None = None

    def __post_init__(self) -> None:
        _check_line_id(self.line_id)
        v.check_str(self.description, "/description")
        v.check_decimal(self.quantity, "/quantity", positive=True)
        unit(self.unit, "/unit")
        v.check_decimal(self.supplier_pcf, "/supplierPcf", minimum=Decimal(0))
        unit(self.supplier_declared_unit, "/supplierDeclaredUnit")
        v.check_decimal(self.supplier_declared_amount, "/supplierDeclaredAmount", positive=True)
        if not isinstance(self.dqr, Dqr):
            raise FootprintError("/dqr", "must be a Dqr")
        if not isinstance(self.primary, bool):
            raise FootprintError("/primary", "must be a boolean")
        if self.supplier_attestation_id is not None:
            v.check_str(self.supplier_attestation_id, "/supplierAttestationId", nonempty=True)
        if self.supplier_product_id is not None:
            v.check_urn(self.supplier_product_id, "/supplierProductId")
        if self.supplier_primary_data_share is not None:
            v.check_decimal(
                self.supplier_primary_data_share,
                "/supplierPrimaryDataShare",
                minimum=Decimal(0),
                maximum=Decimal(100),
            )
            if not self.primary:
                raise FootprintError(
                    "/supplierPrimaryDataShare", "only a primary (supplier-specific) line has one"
                )
        _check_metering(self.metering, self.line_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "lineId": self.line_id,
            "description": self.description,
            "quantity": v.format_decimal(self.quantity),
            "unit": self.unit,
            "supplierPcf": v.format_decimal(self.supplier_pcf),
            "supplierDeclaredUnit": self.supplier_declared_unit,
            "supplierDeclaredAmount": v.format_decimal(self.supplier_declared_amount),
            "primary": self.primary,
            "dqr": self.dqr.to_dict(),
        }
        if self.supplier_attestation_id is not None:
            out["supplierAttestationId"] = self.supplier_attestation_id
        if self.supplier_product_id is not None:
            out["supplierProductId"] = self.supplier_product_id
        if self.supplier_primary_data_share is not None:
            out["supplierPrimaryDataShare"] = v.format_decimal(self.supplier_primary_data_share)
        if self.metering is not None:
            out["metering"] = self.metering.to_dict()
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str) -> BomLine:
        """Parse; raises FootprintError naming the field."""
        obj = v.parse_object(doc, pointer)
        _no_unknown(
            obj,
            {
                "lineId",
                "description",
                "quantity",
                "unit",
                "supplierPcf",
                "supplierDeclaredUnit",
                "supplierDeclaredAmount",
                "primary",
                "dqr",
                "supplierAttestationId",
                "supplierProductId",
                "supplierPrimaryDataShare",
                "metering",
            },
            pointer,
        )

        kwargs: dict[str, Any] = {
            "line_id": _required(obj, "lineId", pointer, v.parse_str),
            "description": _required(obj, "description", pointer, v.parse_str),
            "quantity": _required(obj, "quantity", pointer, v.parse_decimal),
            "unit": _required(obj, "unit", pointer, v.parse_str),
            "supplier_pcf": _required(obj, "supplierPcf", pointer, v.parse_decimal),
            "supplier_declared_unit": _required(obj, "supplierDeclaredUnit", pointer, v.parse_str),
            "supplier_declared_amount": _required(
                obj, "supplierDeclaredAmount", pointer, v.parse_decimal
            ),
            "primary": _required(obj, "primary", pointer, v.parse_bool),
            "dqr": _required(obj, "dqr", pointer, Dqr.from_dict),
        }
        optional: tuple[tuple[str, str, Callable[[Any, str], object]], ...] = (
            ("supplierAttestationId", "supplier_attestation_id", v.parse_str),
            ("supplierProductId", "supplier_product_id", v.parse_str),
            ("supplierPrimaryDataShare", "supplier_primary_data_share", v.parse_decimal),
            ("metering", "metering", MeteringRecord.from_dict),
        )
        for key, name, parse in optional:
            value = v.parse_optional_field(obj, key, pointer, parse)
            if value is not None:
                kwargs[name] = value
        return _make(cls, kwargs, pointer)


@dataclass(frozen=True)
class ActivityLine:
    """One own activity: ``quantity`` ``unit`` × factor ``factor_id`` (converted to the
    factor's basis unit), or, for ``kind="process"``, direct emissions in an emission
    unit with no factor. ``metering`` is the metrology traceability record of the
    measured quantity (meter, weighbridge, …), required on every activity line.

    ``meter_readings`` (JSON ``meterReadings``) optionally cites the signed readings of a
    registered meter that give ``quantity`` (see :class:`MeterCitation`). Such a line is
    measured primary data: it must say ``primary=True`` and rate reliability 1 (measured
    and verified), its ``metering`` record must name the meter (``instrumentId`` = the
    device id), and the meter's unit must convert to the line's. The readings themselves
    are checked by :func:`~sdk.footprint.verify_metered_line`.
    """

    line_id: str
    kind: str
    description: str
    quantity: Decimal
    unit: str
    factor_id: str | None
    primary: bool
    dqr: Dqr
    metering: MeteringRecord
    meter_readings: MeterCitation | None = None

    def __post_init__(self) -> None:
        _check_line_id(self.line_id)
        if self.kind not in ACTIVITY_KINDS:
            raise FootprintError("/kind", f"must be one of {', '.join(ACTIVITY_KINDS)}")
        v.check_str(self.description, "/description")
        v.check_decimal(self.quantity, "/quantity", minimum=Decimal(0))
        line_unit = unit(self.unit, "/unit")
        if self.kind == "process":
            if self.factor_id is not None:
                raise FootprintError("/factorId", "a process line is direct emissions: no factor")
            if line_unit.dimension != "emissions":
                raise FootprintError("/unit", "a process line is in kgCO2e, gCO2e or tCO2e")
        elif self.factor_id is None:
            raise FootprintError("/factorId", f"a {self.kind} line needs a factor")
        else:
            v.check_str(self.factor_id, "/factorId", nonempty=True)
        if not isinstance(self.primary, bool):
            raise FootprintError("/primary", "must be a boolean")
        if not isinstance(self.dqr, Dqr):
            raise FootprintError("/dqr", "must be a Dqr")
        if self.metering is None:
            raise FootprintError("/metering", "an activity line needs its metrology traceability")
        _check_metering(self.metering, self.line_id)
        if self.meter_readings is not None:
            self._check_meter_readings(line_unit.dimension)

    def _check_meter_readings(self, dimension: str) -> None:
        citation = self.meter_readings
        if not isinstance(citation, MeterCitation):
            raise FootprintError("/meterReadings", "must be a MeterCitation")
        if not self.primary:
            raise FootprintError(
                "/primary", "a line citing signed meter readings is measured primary data: true"
            )
        if self.dqr.reliability != _ONE:
            raise FootprintError(
                "/dqr/reliability",
                "a line citing signed meter readings is measured and verified: rate it 1",
            )
        if self.metering.instrument_id != citation.device_id:
            raise FootprintError(
                "/metering/instrumentId",
                f"is {self.metering.instrument_id!r}, the cited meter is {citation.device_id!r}",
            )
        if unit(citation.unit).dimension != dimension:
            raise UnitError(
                "/meterReadings/first/reading/unit",
                f"the meter counts {citation.unit!r}, which does not convert to the line's "
                f"{self.unit!r}",
            )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "lineId": self.line_id,
            "kind": self.kind,
            "description": self.description,
            "quantity": v.format_decimal(self.quantity),
            "unit": self.unit,
            "primary": self.primary,
            "dqr": self.dqr.to_dict(),
            "metering": self.metering.to_dict(),
        }
        if self.factor_id is not None:
            out["factorId"] = self.factor_id
        if self.meter_readings is not None:
            out["meterReadings"] = self.meter_readings.to_dict()
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str) -> ActivityLine:
        """Parse; raises FootprintError naming the field."""
        obj = v.parse_object(doc, pointer)
        _no_unknown(
            obj,
            {"lineId", "kind", "description", "quantity", "unit", "factorId", "primary", "dqr",
             "metering", "meterReadings"},
            pointer,
        )  # fmt: skip

        kwargs: dict[str, Any] = {
            "line_id": _required(obj, "lineId", pointer, v.parse_str),
            "kind": _required(obj, "kind", pointer, v.parse_str),
            "description": _required(obj, "description", pointer, v.parse_str),
            "quantity": _required(obj, "quantity", pointer, v.parse_decimal),
            "unit": _required(obj, "unit", pointer, v.parse_str),
            "factor_id": v.parse_optional_field(obj, "factorId", pointer, v.parse_str),
            "primary": _required(obj, "primary", pointer, v.parse_bool),
            "dqr": _required(obj, "dqr", pointer, Dqr.from_dict),
            "metering": _required(obj, "metering", pointer, MeteringRecord.from_dict),
            "meter_readings": v.parse_optional_field(
                obj, "meterReadings", pointer, MeterCitation.from_dict
            ),
        }
        return _make(cls, kwargs, pointer)


@dataclass(frozen=True)
class Inventory:
    """Everything a roll-up needs, and nothing else (see module docstring).

    Quantities are per ``declared_unit_amount`` ``declared_unit`` of the product.
    ``factors`` is the snapshot of the factors used, from the set ``factor_set_id`` whose
    digest is ``factor_set_digest``; build it with :meth:`create` to take them from a
    :class:`FactorSet`. ``factor_set_attestation`` optionally names the public attestation
    that published the set (an industry association's, see
    :func:`sdk.roles.fetch_public_factor_set`), so a certifier can check the factors against
    the anchored original (JSON ``factorSet.attestation``). Raises FootprintError (pointer
    into the JSON form) or FactorError.
    """

    footprint_id: str
    created: datetime
    company_name: str
    company_ids: tuple[str, ...]
    product_ids: tuple[str, ...]
    product_name_company: str
    product_description: str
    declared_unit: str
    declared_unit_amount: Decimal
    reference_period_start: datetime
    reference_period_end: datetime
    factor_set_id: str
    factor_set_digest: str
    factors: tuple[Factor, ...]
    bom: tuple[BomLine, ...]
    activities: tuple[ActivityLine, ...]
    boundary: str = "partial"
    product_category_rule: str | None = None
    product_classifications: tuple[str, ...] | None = None
    product_mass_per_declared_unit: Decimal | None = None
    fossil_carbon_content: Decimal | None = None
    biogenic_carbon_content: Decimal | None = None
    geography_country: str | None = None
    geography_country_subdivision: str | None = None
    validity_period_start: datetime | None = None
    validity_period_end: datetime | None = None
    boundary_processes_description: str | None = None
    preceding_pf_ids: tuple[str, ...] | None = None
    comment: str | None = None
    factor_set_attestation: str | None = None

    def __post_init__(self) -> None:
        v.check_uuid(self.footprint_id, "/footprintId")
        v.check_aware(self.created, "/created")
        v.check_str(self.company_name, "/companyName", nonempty=True)
        v.check_tuple(self.company_ids, "/companyIds", v.check_urn, nonempty=True)
        v.check_tuple(self.product_ids, "/productIds", v.check_urn, nonempty=True)
        v.check_str(self.product_name_company, "/productNameCompany", nonempty=True)
        v.check_str(self.product_description, "/productDescription")
        v.check_declared_unit(self.declared_unit, "/declaredUnitOfMeasurement")
        v.check_decimal(self.declared_unit_amount, "/declaredUnitAmount", positive=True)
        v.check_aware(self.reference_period_start, "/referencePeriodStart")
        v.check_aware(self.reference_period_end, "/referencePeriodEnd")
        if self.reference_period_end <= self.reference_period_start:
            raise FootprintError("/referencePeriodEnd", "must be later than referencePeriodStart")
        if self.boundary not in BOUNDARIES:
            raise FootprintError("/boundary", f"must be 'full' or 'partial', got {self.boundary!r}")
        for name, pointer, nonempty in (
            ("product_category_rule", "/productCategoryRule", True),
            ("boundary_processes_description", "/boundaryProcessesDescription", False),
            ("comment", "/comment", False),
        ):
            if getattr(self, name) is not None:
                v.check_str(getattr(self, name), pointer, nonempty=nonempty)
        if self.product_classifications is not None:
            v.check_tuple(self.product_classifications, "/productClassifications", v.check_urn)
        if self.preceding_pf_ids is not None:
            v.check_tuple(self.preceding_pf_ids, "/precedingPfIds", v.check_uuid)
        for name, pointer in (
            ("product_mass_per_declared_unit", "/productMassPerDeclaredUnit"),
            ("fossil_carbon_content", "/fossilCarbonContent"),
            ("biogenic_carbon_content", "/biogenicCarbonContent"),
        ):
            if getattr(self, name) is not None:
                v.check_decimal(getattr(self, name), pointer, minimum=Decimal(0))
        if self.geography_country is not None:
            v.check_country(self.geography_country, "/geographyCountry")
        if self.geography_country_subdivision is not None:
            v.check_subdivision(self.geography_country_subdivision, "/geographyCountrySubdivision")
            if self.geography_country is not None:
                raise FootprintError(
                    "/geographyCountry", "give a country or a subdivision, not both"
                )
        for name, pointer in (
            ("validity_period_start", "/validityPeriodStart"),
            ("validity_period_end", "/validityPeriodEnd"),
        ):
            if getattr(self, name) is not None:
                v.check_aware(getattr(self, name), pointer)
        v.check_str(self.factor_set_id, "/factorSet/id", nonempty=True)
        v.check_str(self.factor_set_digest, "/factorSet/digest", nonempty=True)
        if self.factor_set_attestation is not None and not (
            isinstance(self.factor_set_attestation, str)
            and _ATTESTATION_ID.fullmatch(self.factor_set_attestation)
        ):
            raise FootprintError(
                "/factorSet/attestation", "must be an attestation id (64 lowercase hex)"
            )
        self._check_lines()

    def _check_lines(self) -> None:
        for name, cls in (("factors", Factor), ("bom", BomLine), ("activities", ActivityLine)):
            items = getattr(self, name)
            if not isinstance(items, tuple):
                raise FootprintError(f"/{name}", "must be a tuple")
            for i, item in enumerate(items):
                if not isinstance(item, cls):
                    raise FootprintError(f"/{name}/{i}", f"must be a {cls.__name__}")
        if not self.bom and not self.activities:
            raise FootprintError("/bom", "an inventory needs at least one BOM or activity line")
        factor_ids = [f.id for f in self.factors]
        if len(set(factor_ids)) != len(factor_ids):
            raise FactorError("inventory factors: duplicate factor id")
        seen: set[str] = set()
        lines: list[tuple[str, BomLine | ActivityLine]] = [
            *((f"/bom/{i}", line) for i, line in enumerate(self.bom)),
            *((f"/activities/{i}", line) for i, line in enumerate(self.activities)),
        ]
        for pointer, line in lines:
            if line.line_id in seen:
                raise FootprintError(f"{pointer}/lineId", f"duplicate line id {line.line_id!r}")
            seen.add(line.line_id)
        used = set()
        for i, activity in enumerate(self.activities):
            if activity.factor_id is None:
                continue
            if activity.factor_id not in factor_ids:
                raise FootprintError(
                    f"/activities/{i}/factorId",
                    f"factor {activity.factor_id!r} is not in the inventory's factors",
                )
            used.add(activity.factor_id)
            factor = self.factors[factor_ids.index(activity.factor_id)]
            if (activity.kind == "electricity") != (factor.category == "electricity"):
                raise FootprintError(
                    f"/activities/{i}/factorId",
                    f"a {activity.kind} line cannot use {factor.category} factor {factor.id!r}",
                )
            _emission, basis = split_factor_unit(factor.unit)
            line_unit = unit(activity.unit)
            if line_unit.dimension != basis.dimension:
                raise UnitError(
                    f"/activities/{i}/unit",
                    f"cannot apply factor {factor.id!r} in {factor.unit!r}: line unit "
                    f"{activity.unit!r} ({line_unit.dimension}) is not {basis.symbol!r} "
                    f"({basis.dimension})",
                )
        unused = sorted(set(factor_ids) - used)
        if unused:
            raise FactorError(f"inventory factors: {unused[0]!r} is not used by any line")

    @classmethod
    def create(
        cls,
        *,
        factor_set: FactorSet,
        bom: Iterable[BomLine],
        activities: Iterable[ActivityLine],
        **header: Any,
    ) -> Inventory:
        """Build an inventory, snapshotting from ``factor_set`` exactly the factors the
        activity lines use. Raises FactorError if a line names a factor not in the set."""
        activity_lines = tuple(activities)
        used: list[str] = []
        for line in activity_lines:
            if line.factor_id is not None and line.factor_id not in used:
                used.append(line.factor_id)
        factors = tuple(factor_set.get(fid) for fid in used)
        return cls(
            factor_set_id=factor_set.id,
            factor_set_digest=factor_set.digest(),
            factors=factors,
            bom=tuple(bom),
            activities=activity_lines,
            **header,
        )

    def factor(self, factor_id: str) -> Factor:
        """The snapshot factor ``factor_id``; raises FactorError if absent."""
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        raise FactorError(f"factor {factor_id!r} is not in the inventory")

    def check_factors(self, factor_set: FactorSet) -> None:
        """Check that the snapshot matches ``factor_set``: same id and digest, and every
        snapshot factor equal to the set's. Raises FactorError naming the first mismatch."""
        if factor_set.id != self.factor_set_id:
            raise FactorError(
                f"inventory uses factor set {self.factor_set_id}, not {factor_set.id}"
            )
        if factor_set.digest() != self.factor_set_digest:
            raise FactorError(f"factor set {factor_set.id}: digest differs from the inventory's")
        for factor in self.factors:
            if factor_set.get(factor.id) != factor:
                raise FactorError(f"factor {factor.id!r} differs from {factor_set.id}")

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the plaintext that goes into the envelope)."""
        out: dict[str, Any] = {
            "schema": INVENTORY_SCHEMA,
            "footprintId": self.footprint_id,
            "created": v.format_datetime(self.created),
            "companyName": self.company_name,
            "companyIds": list(self.company_ids),
            "productIds": list(self.product_ids),
            "productNameCompany": self.product_name_company,
            "productDescription": self.product_description,
            "declaredUnitOfMeasurement": self.declared_unit,
            "declaredUnitAmount": v.format_decimal(self.declared_unit_amount),
            "referencePeriodStart": v.format_datetime(self.reference_period_start),
            "referencePeriodEnd": v.format_datetime(self.reference_period_end),
            "boundary": self.boundary,
        }
        optional: dict[str, Any] = {
            "productCategoryRule": self.product_category_rule,
            "productClassifications": None
            if self.product_classifications is None
            else list(self.product_classifications),
            "productMassPerDeclaredUnit": None
            if self.product_mass_per_declared_unit is None
            else v.format_decimal(self.product_mass_per_declared_unit),
            "fossilCarbonContent": None
            if self.fossil_carbon_content is None
            else v.format_decimal(self.fossil_carbon_content),
            "biogenicCarbonContent": None
            if self.biogenic_carbon_content is None
            else v.format_decimal(self.biogenic_carbon_content),
            "geographyCountry": self.geography_country,
            "geographyCountrySubdivision": self.geography_country_subdivision,
            "validityPeriodStart": None
            if self.validity_period_start is None
            else v.format_datetime(self.validity_period_start),
            "validityPeriodEnd": None
            if self.validity_period_end is None
            else v.format_datetime(self.validity_period_end),
            "boundaryProcessesDescription": self.boundary_processes_description,
            "precedingPfIds": None
            if self.preceding_pf_ids is None
            else list(self.preceding_pf_ids),
            "comment": self.comment,
        }
        out.update({k: val for k, val in optional.items() if val is not None})
        out["factorSet"] = {"id": self.factor_set_id, "digest": self.factor_set_digest}
        if self.factor_set_attestation is not None:
            out["factorSet"]["attestation"] = self.factor_set_attestation
        out["factors"] = [f.to_dict() for f in self.factors]
        out["bom"] = [line.to_dict() for line in self.bom]
        out["activities"] = [line.to_dict() for line in self.activities]
        return out

    @classmethod
    def from_dict(cls, doc: Any) -> Inventory:
        """Parse the JSON form; raises FootprintError naming the field (FactorError for a
        bad factor snapshot)."""
        obj = v.parse_object(doc, "")
        if obj.get("schema") != INVENTORY_SCHEMA:
            raise FootprintError("/schema", f"must be {INVENTORY_SCHEMA!r}")
        _no_unknown(obj, _INVENTORY_KEYS, "")

        def s(key: str) -> str:
            return v.parse_str(_req(obj, key, ""), f"/{key}")

        def opt(key: str, parse: Any) -> Any:
            return None if obj.get(key) is None else parse(obj[key], f"/{key}")

        factor_set = v.parse_object(_req(obj, "factorSet", ""), "/factorSet")
        kwargs: dict[str, Any] = {
            "footprint_id": s("footprintId"),
            "created": v.parse_datetime(_req(obj, "created", ""), "/created"),
            "company_name": s("companyName"),
            "company_ids": v.parse_str_tuple(_req(obj, "companyIds", ""), "/companyIds"),
            "product_ids": v.parse_str_tuple(_req(obj, "productIds", ""), "/productIds"),
            "product_name_company": s("productNameCompany"),
            "product_description": s("productDescription"),
            "declared_unit": s("declaredUnitOfMeasurement"),
            "declared_unit_amount": v.parse_decimal(
                _req(obj, "declaredUnitAmount", ""), "/declaredUnitAmount"
            ),
            "reference_period_start": v.parse_datetime(
                _req(obj, "referencePeriodStart", ""), "/referencePeriodStart"
            ),
            "reference_period_end": v.parse_datetime(
                _req(obj, "referencePeriodEnd", ""), "/referencePeriodEnd"
            ),
            "boundary": s("boundary"),
            "product_category_rule": opt("productCategoryRule", v.parse_str),
            "product_classifications": opt("productClassifications", v.parse_str_tuple),
            "product_mass_per_declared_unit": opt("productMassPerDeclaredUnit", v.parse_decimal),
            "fossil_carbon_content": opt("fossilCarbonContent", v.parse_decimal),
            "biogenic_carbon_content": opt("biogenicCarbonContent", v.parse_decimal),
            "geography_country": opt("geographyCountry", v.parse_str),
            "geography_country_subdivision": opt("geographyCountrySubdivision", v.parse_str),
            "validity_period_start": opt("validityPeriodStart", v.parse_datetime),
            "validity_period_end": opt("validityPeriodEnd", v.parse_datetime),
            "boundary_processes_description": opt("boundaryProcessesDescription", v.parse_str),
            "preceding_pf_ids": opt("precedingPfIds", v.parse_str_tuple),
            "comment": opt("comment", v.parse_str),
            "factor_set_id": v.parse_str(_req(factor_set, "id", "/factorSet"), "/factorSet/id"),
            "factor_set_digest": v.parse_str(
                _req(factor_set, "digest", "/factorSet"), "/factorSet/digest"
            ),
            "factor_set_attestation": None
            if factor_set.get("attestation") is None
            else v.parse_str(factor_set["attestation"], "/factorSet/attestation"),
            "factors": tuple(
                Factor.from_dict(f, f"/factors/{i}")
                for i, f in enumerate(v.parse_array(_req(obj, "factors", ""), "/factors"))
            ),
            "bom": tuple(
                BomLine.from_dict(line, f"/bom/{i}")
                for i, line in enumerate(v.parse_array(_req(obj, "bom", ""), "/bom"))
            ),
            "activities": tuple(
                ActivityLine.from_dict(line, f"/activities/{i}")
                for i, line in enumerate(v.parse_array(_req(obj, "activities", ""), "/activities"))
            ),
        }
        return cls(**kwargs)


INVENTORY_PRODUCT_KEYS: tuple[str, ...] = (
    "productIds",
    "productNameCompany",
    "productDescription",
    "companyName",
    "companyIds",
    "declaredUnitOfMeasurement",
    "declaredUnitAmount",
    "referencePeriodStart",
    "referencePeriodEnd",
    "boundary",
    "productCategoryRule",
    "productClassifications",
    "productMassPerDeclaredUnit",
    "fossilCarbonContent",
    "biogenicCarbonContent",
    "geographyCountry",
    "geographyCountrySubdivision",
    "validityPeriodStart",
    "validityPeriodEnd",
    "boundaryProcessesDescription",
    "comment",
)
"""The keys of an inventory's JSON form that describe the product (not its accounting
lines, factors or identity): what a bill of materials' ``product`` header may carry."""

_INVENTORY_KEYS = {
    "schema",
    "footprintId",
    "created",
    "precedingPfIds",
    *INVENTORY_PRODUCT_KEYS,
    "factorSet",
    "factors",
    "bom",
    "activities",
}


def _check_line_id(line_id: Any) -> None:
    v.check_str(line_id, "/lineId", nonempty=True)


def _check_metering(metering: Any, line_id: str) -> None:
    if metering is None:
        return
    if not isinstance(metering, MeteringRecord):
        raise FootprintError("/metering", "must be a MeteringRecord")
    if metering.line_id != line_id:
        raise FootprintError(
            "/metering/lineId", f"is {metering.line_id!r}, the line is {line_id!r}"
        )


def _req(obj: dict[str, Any], key: str, pointer: str) -> Any:
    if obj.get(key) is None:
        raise FootprintError(v.child(pointer, key), "is required")
    return obj[key]


def _required(obj: dict[str, Any], key: str, pointer: str, parse: Callable[[Any, str], _T]) -> _T:
    """``parse`` of ``obj[key]``, which must be present and not null (else "is required")."""
    return parse(_req(obj, key, pointer), v.child(pointer, key))


def _no_unknown(obj: dict[str, Any], known: set[str], pointer: str) -> None:
    unknown = sorted(set(obj) - known)
    if unknown:
        raise FootprintError(v.child(pointer, unknown[0]), "unknown field")


def _make(cls: type[_T], kwargs: dict[str, Any], pointer: str) -> _T:
    try:
        return cls(**kwargs)
    except FootprintError as exc:
        raise type(exc)(pointer + exc.pointer, exc.reason) from None
