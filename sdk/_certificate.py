"""Product carbon footprint certificates (CNCA-CFP-00:2025) and their status.

A certification body that certifies a product's carbon footprint under the CNCA general
rule CNCA-CFP-00:2025 issues a certificate. Its fields follow the nearest published
template (低碳产品认证管理暂行办法, 2014, art. 24–26): certificate number; applicant
(认证委托人), producer (生产者) and commissioned manufacturer (被委托生产企业) with
name and address; product name, series and models; certification basis (GB/T
24067-2024, the product category rule, the scheme); certification mode; conclusion;
the certified footprint; issue date and validity (two years by default); the
certification body; a query URL for its surveillance status.

JSON form (``to_dict``; decimals as strings, dates ``YYYY-MM-DD``)::

    {"type": "tanji.certificate", "version": 1, "number": "…",
     "applicant": {"name", "address"?, "orgId"?}, "producer": {…}, "manufacturer"?: {…},
     "product": {"name", "series"?, "models": [...]},
     "basis": {"standard": "GB/T 24067-2024", "productRule": "…", "scheme": "CNCA-CFP-00:2025"},
     "mode": "…", "conclusion": "…",
     "footprint": {"value": "241.997", "unit": "kgCO2e/piece", "boundary": "partial"},
     "issued": "2025-03-17", "validUntil": "2027-03-16",
     "certifier": {"name", "address"?, "orgId"}, "attestation"?: "<64 hex>",
     "statusUrl"?: "https://…"}

Digest: SHA-256 over ``tanji.certificate.v1\\0`` + JCS(to_dict()) — what a label on chain
binds beside the number (phase 2). Status is not part of the certificate: it is the
history of :class:`StatusChange` records (suspend, restore, revoke, each with a reason),
and :func:`certificate_status` derives the status at a time (not yet valid, active,
suspended, revoked, expired). Errors: :class:`~sdk.errors.CertificateError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sdk._canonical import tagged_digest
from sdk._ids import OrgId
from sdk.errors import CertificateError, FootprintError, InvalidOrgId
from sdk.footprint import _values as v
from sdk.footprint._model import BOUNDARIES

#: ``type`` of a certificate's JSON form.
CERTIFICATE_TYPE = "tanji.certificate"
#: Domain-separation tag of a certificate digest.
CERTIFICATE_TAG = "tanji.certificate.v1"
#: Domain-separation tag of a status change record's digest.
STATUS_CHANGE_TAG = "tanji.certificate-status.v1"
#: The CNCA general rule for product carbon footprint label certification.
CFP_SCHEME = "CNCA-CFP-00:2025"
#: The quantification standard.
CFP_STANDARD = "GB/T 24067-2024"
#: Default validity of a certificate, in years (CNCA-CFP-00:2025: two years, with
#: post-certification surveillance).
VALIDITY_YEARS = 2
#: Certificates are dated in China Standard Time.
_CST = timezone(timedelta(hours=8), "CST")
#: Field names with the headings a label page shows (Chinese, English).
CERTIFICATE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("number", "证书编号", "Certificate number"),
    ("applicant", "认证委托人", "Applicant"),
    ("producer", "生产者", "Producer"),
    ("manufacturer", "被委托生产企业", "Commissioned manufacturer"),
    ("product", "产品名称、系列、型号", "Product name, series, models"),
    ("basis", "认证依据", "Certification basis"),
    ("mode", "认证模式", "Certification mode"),
    ("conclusion", "认证结论", "Conclusion"),
    ("footprint", "产品碳足迹", "Product carbon footprint"),
    ("issued", "发证日期", "Issue date"),
    ("validUntil", "有效期至", "Valid until"),
    ("certifier", "认证机构", "Certification body"),
    ("status", "证书状态", "Status"),
)

_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/()-]{0,63}")
_ATTESTATION_ID = re.compile(r"[0-9a-f]{64}")
_URL = re.compile(r"https?://\S+")


def _text(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CertificateError(pointer, "must be a non-empty string")
    if value != value.strip():
        raise CertificateError(pointer, "must not start or end with white space")
    return value


def _date(value: Any, pointer: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise CertificateError(pointer, "must be a datetime.date")
    return value


def _obj(doc: Any, pointer: str, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise CertificateError(pointer, "must be an object")
    unknown = sorted(set(doc) - required - optional)
    if unknown:
        raise CertificateError(f"{pointer}/{unknown[0]}", "unknown field")
    missing = sorted(k for k in required if doc.get(k) is None)
    if missing:
        raise CertificateError(f"{pointer}/{missing[0]}", "is required")
    return doc


def _parse_date(value: Any, pointer: str) -> date:
    try:
        return v.parse_date(value, pointer)
    except FootprintError as exc:
        raise CertificateError(exc.pointer, exc.reason) from None


def default_valid_until(issued: date) -> date:
    """The last day of a default validity: two calendar years after ``issued``, less a
    day (issued 2025-03-17 → valid until 2027-03-16; issued 29 Feb → 27 Feb, the day
    before the 28 Feb anniversary)."""
    try:
        anniversary = issued.replace(year=issued.year + VALIDITY_YEARS)
    except ValueError:  # 29 February in a year without one
        anniversary = issued.replace(year=issued.year + VALIDITY_YEARS, day=28)
    return anniversary - timedelta(days=1)


@dataclass(frozen=True)
class CertificateParty:
    """An organisation named on a certificate: its name, address and (optionally, and
    required for the certifier) organisation id (unified social credit code or URN)."""

    name: str
    address: str | None = None
    org_id: str | None = None

    def check(self, pointer: str, *, org_required: bool = False) -> None:
        """Validate, naming fields under ``pointer``; raises CertificateError."""
        _text(self.name, f"{pointer}/name")
        if self.address is not None:
            _text(self.address, f"{pointer}/address")
        if self.org_id is None:
            if org_required:
                raise CertificateError(f"{pointer}/orgId", "is required")
            return
        try:
            canonical = str(OrgId.parse(self.org_id))
        except InvalidOrgId as exc:
            raise CertificateError(f"{pointer}/orgId", str(exc)) from None
        if canonical != self.org_id:
            raise CertificateError(f"{pointer}/orgId", f"write it as {canonical!r}")

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        out = {"name": self.name}
        if self.address is not None:
            out["address"] = self.address
        if self.org_id is not None:
            out["orgId"] = self.org_id
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str) -> CertificateParty:
        """Parse the JSON form (validated by the certificate)."""
        obj = _obj(doc, pointer, {"name"}, {"address", "orgId"})
        return cls(obj["name"], obj.get("address"), obj.get("orgId"))


@dataclass(frozen=True)
class CertificationBasis:
    """What the certification follows: the quantification standard, the product
    category rule, and the certification scheme."""

    product_rule: str
    standard: str = CFP_STANDARD
    scheme: str = CFP_SCHEME

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {"standard": self.standard, "productRule": self.product_rule, "scheme": self.scheme}


@dataclass(frozen=True)
class FootprintCertificate:
    """A product carbon footprint certificate (module docstring). Immutable; validated on
    construction, raising :class:`~sdk.errors.CertificateError` naming the field."""

    number: str
    applicant: CertificateParty
    producer: CertificateParty
    product_name: str
    models: tuple[str, ...]
    basis: CertificationBasis
    mode: str
    conclusion: str
    pcf_value: Decimal
    pcf_unit: str
    boundary: str
    issued: date
    valid_until: date
    certifier: CertificateParty
    manufacturer: CertificateParty | None = None
    series: str | None = None
    attestation_id: str | None = None
    status_url: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.number, str) or not _NUMBER.fullmatch(self.number):
            raise CertificateError("/number", f"must match {_NUMBER.pattern}")
        for name, pointer in (("applicant", "/applicant"), ("producer", "/producer")):
            party = getattr(self, name)
            if not isinstance(party, CertificateParty):
                raise CertificateError(pointer, "must be a CertificateParty")
            party.check(pointer)
        if self.manufacturer is not None:
            if not isinstance(self.manufacturer, CertificateParty):
                raise CertificateError("/manufacturer", "must be a CertificateParty")
            self.manufacturer.check("/manufacturer")
        if not isinstance(self.certifier, CertificateParty):
            raise CertificateError("/certifier", "must be a CertificateParty")
        self.certifier.check("/certifier", org_required=True)
        _text(self.product_name, "/product/name")
        if self.series is not None:
            _text(self.series, "/product/series")
        if not isinstance(self.models, tuple) or not self.models:
            raise CertificateError("/product/models", "name at least one model")
        for i, model in enumerate(self.models):
            _text(model, f"/product/models/{i}")
        if len(set(self.models)) != len(self.models):
            raise CertificateError("/product/models", "models must be unique")
        if not isinstance(self.basis, CertificationBasis):
            raise CertificateError("/basis", "must be a CertificationBasis")
        _text(self.basis.standard, "/basis/standard")
        _text(self.basis.product_rule, "/basis/productRule")
        _text(self.basis.scheme, "/basis/scheme")
        _text(self.mode, "/mode")
        _text(self.conclusion, "/conclusion")
        if (
            isinstance(self.pcf_value, bool)
            or not isinstance(self.pcf_value, Decimal)
            or not self.pcf_value.is_finite()
            or self.pcf_value < 0
        ):
            raise CertificateError("/footprint/value", "must be a finite non-negative Decimal")
        _text(self.pcf_unit, "/footprint/unit")
        if self.boundary not in BOUNDARIES:
            raise CertificateError("/footprint/boundary", "must be 'partial' or 'full'")
        _date(self.issued, "/issued")
        _date(self.valid_until, "/validUntil")
        if self.valid_until < self.issued:
            raise CertificateError("/validUntil", "must not be before the issue date")
        if self.attestation_id is not None and not (
            isinstance(self.attestation_id, str) and _ATTESTATION_ID.fullmatch(self.attestation_id)
        ):
            raise CertificateError("/attestation", "must be an attestation id (64 lowercase hex)")
        if self.status_url is not None and not (
            isinstance(self.status_url, str) and _URL.fullmatch(self.status_url)
        ):
            raise CertificateError("/statusUrl", "must be an http(s) URL")

    @property
    def valid_from_time(self) -> datetime:
        """Start of validity: 00:00 China Standard Time on the issue date (aware)."""
        return datetime.combine(self.issued, time(0), _CST)

    @property
    def valid_until_time(self) -> datetime:
        """End of validity, exclusive: 00:00 CST the day after ``valid_until`` — what a
        label's ``validUntil`` on chain is set to."""
        return datetime.combine(self.valid_until + timedelta(days=1), time(0), _CST)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (module docstring); the object the digest covers."""
        product: dict[str, Any] = {"name": self.product_name, "models": list(self.models)}
        if self.series is not None:
            product["series"] = self.series
        out: dict[str, Any] = {
            "type": CERTIFICATE_TYPE,
            "version": 1,
            "number": self.number,
            "applicant": self.applicant.to_dict(),
            "producer": self.producer.to_dict(),
            "product": product,
            "basis": self.basis.to_dict(),
            "mode": self.mode,
            "conclusion": self.conclusion,
            "footprint": {
                "value": v.format_decimal(self.pcf_value),
                "unit": self.pcf_unit,
                "boundary": self.boundary,
            },
            "issued": self.issued.isoformat(),
            "validUntil": self.valid_until.isoformat(),
            "certifier": self.certifier.to_dict(),
        }
        if self.manufacturer is not None:
            out["manufacturer"] = self.manufacturer.to_dict()
        if self.attestation_id is not None:
            out["attestation"] = self.attestation_id
        if self.status_url is not None:
            out["statusUrl"] = self.status_url
        return out

    @classmethod
    def from_dict(cls, doc: Any) -> FootprintCertificate:
        """Parse and validate the JSON form; raises CertificateError naming the field."""
        obj = _obj(
            doc,
            "",
            {"type", "version", "number", "applicant", "producer", "product", "basis", "mode",
             "conclusion", "footprint", "issued", "validUntil", "certifier"},
            {"manufacturer", "attestation", "statusUrl"},
        )  # fmt: skip
        if obj["type"] != CERTIFICATE_TYPE:
            raise CertificateError("/type", f"must be {CERTIFICATE_TYPE!r}")
        if obj["version"] != 1 or isinstance(obj["version"], bool):
            raise CertificateError("/version", "must be 1")
        product = _obj(obj["product"], "/product", {"name", "models"}, {"series"})
        if not isinstance(product["models"], list):
            raise CertificateError("/product/models", "must be an array")
        basis = _obj(obj["basis"], "/basis", {"standard", "productRule", "scheme"}, set())
        footprint = _obj(obj["footprint"], "/footprint", {"value", "unit", "boundary"}, set())
        try:
            value = v.parse_decimal(footprint["value"], "/footprint/value")
        except FootprintError as exc:
            raise CertificateError(exc.pointer, exc.reason) from None
        manufacturer = obj.get("manufacturer")
        return cls(
            number=obj["number"],
            applicant=CertificateParty.from_dict(obj["applicant"], "/applicant"),
            producer=CertificateParty.from_dict(obj["producer"], "/producer"),
            manufacturer=None
            if manufacturer is None
            else CertificateParty.from_dict(manufacturer, "/manufacturer"),
            product_name=product["name"],
            series=product.get("series"),
            models=tuple(product["models"]),
            basis=CertificationBasis(
                product_rule=basis["productRule"],
                standard=basis["standard"],
                scheme=basis["scheme"],
            ),
            mode=obj["mode"],
            conclusion=obj["conclusion"],
            pcf_value=value,
            pcf_unit=footprint["unit"],
            boundary=footprint["boundary"],
            issued=_parse_date(obj["issued"], "/issued"),
            valid_until=_parse_date(obj["validUntil"], "/validUntil"),
            certifier=CertificateParty.from_dict(obj["certifier"], "/certifier"),
            attestation_id=obj.get("attestation"),
            status_url=obj.get("statusUrl"),
        )

    def digest(self) -> bytes:
        """SHA-256 over ``tanji.certificate.v1\\0`` + JCS(:meth:`to_dict`): 32 bytes, as a
        label on chain binds it."""
        return tagged_digest(CERTIFICATE_TAG, self.to_dict())


# ---------------------------------------------------------------- status


class CertificateStatus(StrEnum):
    """A certificate's status at a time."""

    NOT_YET_VALID = "not_yet_valid"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


class StatusAction(StrEnum):
    """What a certification body may do to a certificate it issued (暂停 / 恢复 / 撤销)."""

    SUSPEND = "suspend"
    RESTORE = "restore"
    REVOKE = "revoke"


@dataclass(frozen=True)
class StatusChange:
    """One status change: ``action`` at ``at`` by the certification body ``by``, with the
    ``reason`` that is published with it (every action carries one)."""

    action: StatusAction
    at: datetime
    reason: str
    by: str

    def __post_init__(self) -> None:
        if not isinstance(self.action, StatusAction):
            raise CertificateError("/action", "must be suspend, restore or revoke")
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise CertificateError("/at", "must be a timezone-aware datetime")
        _text(self.reason, "/reason")
        try:
            OrgId.parse(self.by)
        except InvalidOrgId as exc:
            raise CertificateError("/by", str(exc)) from None

    def to_dict(self) -> dict[str, str]:
        """JSON form."""
        return {
            "action": self.action.value,
            "at": v.format_datetime(self.at),
            "reason": self.reason,
            "by": self.by,
        }

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> StatusChange:
        """Parse the JSON form; raises CertificateError naming the field."""
        obj = _obj(doc, pointer, {"action", "at", "reason", "by"}, set())
        try:
            action = StatusAction(obj["action"])
        except ValueError:
            raise CertificateError(
                f"{pointer}/action", "must be suspend, restore or revoke"
            ) from None
        try:
            at = v.parse_datetime(obj["at"], f"{pointer}/at")
        except FootprintError as exc:
            raise CertificateError(exc.pointer, exc.reason) from None
        return cls(action, at, obj["reason"], obj["by"])

    def digest(self) -> bytes:
        """SHA-256 over ``tanji.certificate-status.v1\\0`` + JCS(:meth:`to_dict`)."""
        return tagged_digest(STATUS_CHANGE_TAG, self.to_dict())


@dataclass(frozen=True)
class CertificateState:
    """A certificate's status at ``at``; ``change`` is the change in force (the last one
    at or before ``at``): for ``suspended`` / ``revoked`` it carries the reason, for an
    ``active`` certificate that was restored, the restoring."""

    status: CertificateStatus
    at: datetime
    change: StatusChange | None

    @property
    def reason(self) -> str | None:
        """The reason of the change in force, if any."""
        return None if self.change is None else self.change.reason

    @property
    def restored(self) -> bool:
        """True for an active certificate whose last change restored it."""
        return (
            self.status is CertificateStatus.ACTIVE
            and self.change is not None
            and self.change.action is StatusAction.RESTORE
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "status": self.status.value,
            "at": v.format_datetime(self.at),
            "restored": self.restored,
            "change": None if self.change is None else self.change.to_dict(),
        }


_ALLOWED_FROM: dict[StatusAction, frozenset[CertificateStatus]] = {
    StatusAction.SUSPEND: frozenset({CertificateStatus.ACTIVE}),
    StatusAction.RESTORE: frozenset({CertificateStatus.SUSPENDED}),
    StatusAction.REVOKE: frozenset({CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED}),
}


def _replay(
    certificate: FootprintCertificate, changes: Sequence[StatusChange], until: datetime | None
) -> tuple[CertificateStatus, StatusChange | None]:
    """Status after the changes at or before ``until`` (all when None), ignoring expiry;
    checks the whole history for allowed transitions."""
    status = CertificateStatus.ACTIVE  # after every change: what transitions check
    at_until, in_force = CertificateStatus.ACTIVE, None  # after the changes up to ``until``
    previous: datetime | None = None
    for i, change in enumerate(changes):
        if not isinstance(change, StatusChange):
            raise CertificateError(f"/changes/{i}", "must be a StatusChange")
        if change.by != certificate.certifier.org_id:
            raise CertificateError(
                f"/changes/{i}/by",
                f"only the issuing body {certificate.certifier.org_id} changes the status",
            )
        if previous is not None and change.at < previous:
            raise CertificateError(f"/changes/{i}/at", "changes must be in time order")
        if change.at < certificate.valid_from_time:
            raise CertificateError(f"/changes/{i}/at", "before the certificate was issued")
        if change.at >= certificate.valid_until_time:
            raise CertificateError(
                f"/changes/{i}/at", "after the certificate expired: issue a new certificate"
            )
        if status not in _ALLOWED_FROM[change.action]:
            raise CertificateError(
                f"/changes/{i}/action",
                f"cannot {change.action.value} a certificate that is {status.value}",
            )
        previous = change.at
        status = _RESULT[change.action]
        if until is None or change.at <= until:
            at_until, in_force = status, change
    return at_until, in_force


_RESULT: dict[StatusAction, CertificateStatus] = {
    StatusAction.SUSPEND: CertificateStatus.SUSPENDED,
    StatusAction.RESTORE: CertificateStatus.ACTIVE,
    StatusAction.REVOKE: CertificateStatus.REVOKED,
}


def check_status_change(
    certificate: FootprintCertificate, changes: Sequence[StatusChange], change: StatusChange
) -> tuple[StatusChange, ...]:
    """The history with ``change`` appended, after checking it is allowed: suspend an
    active certificate, restore a suspended one, revoke an active or suspended one; by
    the issuing body; not before the last change; within the validity. Raises
    CertificateError naming the refused change."""
    history = (*changes, change)
    _replay(certificate, history, None)
    return history


def certificate_status(
    certificate: FootprintCertificate, changes: Sequence[StatusChange], *, at: datetime
) -> CertificateState:
    """The status of ``certificate`` at ``at`` given its change history: ``revoked`` once
    revoked; else ``not_yet_valid`` before the issue date and ``expired`` from the day
    after ``valid_until`` (China Standard Time); else ``suspended`` or ``active`` as the
    last change at or before ``at`` left it. Raises CertificateError for a history with a
    forbidden transition, ValueError for a naive ``at``."""
    if at.utcoffset() is None:
        raise ValueError("naive datetime refused; pass a timezone-aware time")
    status, in_force = _replay(certificate, changes, at)
    if status is CertificateStatus.REVOKED:
        return CertificateState(status, at, in_force)
    if at < certificate.valid_from_time:
        return CertificateState(CertificateStatus.NOT_YET_VALID, at, None)
    if at >= certificate.valid_until_time:
        return CertificateState(CertificateStatus.EXPIRED, at, in_force)
    return CertificateState(status, at, in_force)
