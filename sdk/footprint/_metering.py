"""Signed meter readings, meter registrations and an inventory line's citation of them.

A meter (or the gateway in front of it, holding the meter's device key) signs each
reading it takes; an inventory's activity line may cite the first and the last signed
reading over the reference period with the allocation of the metered quantity to the
product, so a certifier can recompute the line's activity amount from the meter
(:mod:`sdk.footprint._metercheck`). Pure values; JSON forms below; decimals are strings,
times RFC 3339 UTC with ``Z``.

Reading (the signed payload)::

    {"type": "tanji.meter-reading", "version": 1, "deviceId": "CQ-EM-11",
     "keyId": "<32 hex: key id of the device's Ed25519 key>",
     "register": "dlt645:00010000", "counter": "123456.78", "unit": "kWh",
     "time": "2024-01-01T00:00:00Z"}

Signature: Ed25519 over ``b"tanji.meter-reading.v1\\0" + JCS(reading)`` (the protocol's
one canonicalizer, :func:`sdk.canonical_json`). Signed reading:
``{"reading": {...}, "signature": "<base64, 64 bytes>"}``. A batch of readings over a
period (``tanji.meter-readings``) has a digest under ``tanji.meter-readings.v1``; a
calibration certificate's digest is under ``tanji.calibration.v1`` and a registration's
under ``tanji.meter-registration.v1`` (what a registry contract binds).

Errors: :class:`~sdk.errors.MeteringError` (a :class:`~sdk.errors.FootprintError`) with
the JSON Pointer of the offending field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from nacl.signing import SigningKey

from sdk._canonical import b64decode, b64encode, canonical_json, tagged_digest
from sdk._ids import OrgId
from sdk._keys import key_id
from sdk.errors import FootprintError, InvalidOrgId, MeteringError
from sdk.footprint import _values as v
from sdk.footprint._units import unit

#: ``type`` of a reading's JSON form.
READING_TYPE = "tanji.meter-reading"
#: Domain-separation tag of a reading's signature input.
READING_TAG = "tanji.meter-reading.v1"
#: ``type`` of a batch's JSON form.
BATCH_TYPE = "tanji.meter-readings"
#: Domain-separation tag of a batch digest.
BATCH_TAG = "tanji.meter-readings.v1"
#: Domain-separation tag of a calibration certificate digest.
CALIBRATION_TAG = "tanji.calibration.v1"
#: Domain-separation tag of a meter registration digest.
REGISTRATION_TAG = "tanji.meter-registration.v1"
#: China Standard Time (UTC+8, no daylight saving): calibration certificates are dated in it.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

#: Measured quantities a meter may register, with the unit dimensions each may use.
QUANTITIES: dict[str, frozenset[str]] = {
    "electricity": frozenset({"energy"}),
    "natural-gas": frozenset({"gas volume (normal)", "volume", "energy"}),
    "steam": frozenset({"mass", "energy"}),
    "heat": frozenset({"energy"}),
    "fuel": frozenset({"mass", "volume"}),
    "water": frozenset({"volume", "mass"}),
}

_DEVICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_REGISTER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_ATTESTATION_ID = re.compile(r"[0-9a-f]{64}")
_SIGNING_PREFIX = READING_TAG.encode("ascii") + b"\0"
_ZERO = Decimal(0)
_ONE = Decimal(1)
_T = TypeVar("_T")


def _fail(pointer: str, message: str) -> MeteringError:
    return MeteringError(pointer, message)


def _check_device_id(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not _DEVICE_ID.fullmatch(value):
        raise _fail(pointer, f"must match {_DEVICE_ID.pattern}, got {value!r}")
    return value


def _check_register(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not _REGISTER.fullmatch(value):
        raise _fail(pointer, f"must match {_REGISTER.pattern} (e.g. dlt645:00010000)")
    return value


def _check_text(value: Any, pointer: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(pointer, "must be a non-empty string")
    return value


def _check_date(value: Any, pointer: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise _fail(pointer, "must be a datetime.date")
    return value


def _as_metering(call: Callable[[], _T]) -> _T:
    """Run a footprint helper, re-raising its FootprintError as a MeteringError."""
    try:
        return call()
    except MeteringError:
        raise
    except FootprintError as exc:
        raise MeteringError(exc.pointer, exc.reason) from None


def _construct(cls: Callable[..., _T], kwargs: dict[str, Any], pointer: str) -> _T:
    try:
        return cls(**kwargs)
    except FootprintError as exc:
        raise MeteringError(pointer + exc.pointer, exc.reason) from None


def _known(obj: dict[str, Any], keys: set[str], pointer: str) -> None:
    unknown = sorted(set(obj) - keys)
    if unknown:
        raise _fail(v.child(pointer, unknown[0]), "unknown field")


def _required(obj: dict[str, Any], key: str, pointer: str) -> Any:
    if obj.get(key) is None:
        raise _fail(v.child(pointer, key), "is required")
    return obj[key]


def _parse(obj: dict[str, Any], key: str, pointer: str, parse: Callable[[Any, str], _T]) -> _T:
    value = _required(obj, key, pointer)
    return _as_metering(lambda: parse(value, v.child(pointer, key)))


def _optional(
    obj: dict[str, Any], key: str, pointer: str, parse: Callable[[Any, str], _T]
) -> _T | None:
    if obj.get(key) is None:
        return None
    return _parse(obj, key, pointer, parse)


def _object(doc: Any, pointer: str) -> dict[str, Any]:
    return _as_metering(lambda: v.parse_object(doc, pointer))


# ---------------------------------------------------------------- readings


@dataclass(frozen=True)
class MeterReading:
    """One reading: register ``register`` of meter ``device_id`` showed ``counter`` ``unit``
    at ``time``; ``key_id`` names the device key that signs it (see module docstring).

    ``counter`` is the register's cumulative value as the meter shows it (before any
    instrument-transformer multiplier, which the registration states). Raises
    :class:`~sdk.errors.MeteringError` naming the field.
    """

    device_id: str
    key_id: str
    register: str
    counter: Decimal
    unit: str
    time: datetime

    def __post_init__(self) -> None:
        _check_device_id(self.device_id, "/deviceId")
        if not isinstance(self.key_id, str) or not _KEY_ID.fullmatch(self.key_id):
            raise _fail("/keyId", "must be a key id (32 lowercase hex)")
        _check_register(self.register, "/register")
        _as_metering(lambda: v.check_decimal(self.counter, "/counter", minimum=_ZERO))
        _as_metering(lambda: unit(self.unit, "/unit"))
        _as_metering(lambda: v.check_aware(self.time, "/time"))

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the exact object that is signed."""
        return {
            "type": READING_TYPE,
            "version": 1,
            "deviceId": self.device_id,
            "keyId": self.key_id,
            "register": self.register,
            "counter": v.format_decimal(self.counter),
            "unit": self.unit,
            "time": v.format_datetime(self.time),
        }

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> MeterReading:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(obj, {"type", "version", "deviceId", "keyId", "register", "counter", "unit", "time"},
               pointer)  # fmt: skip
        if obj.get("type") != READING_TYPE:
            raise _fail(v.child(pointer, "type"), f"must be {READING_TYPE!r}")
        if obj.get("version") != 1 or isinstance(obj.get("version"), bool):
            raise _fail(v.child(pointer, "version"), "must be 1")
        kwargs = {
            "device_id": _parse(obj, "deviceId", pointer, v.parse_str),
            "key_id": _parse(obj, "keyId", pointer, v.parse_str),
            "register": _parse(obj, "register", pointer, v.parse_str),
            "counter": _parse(obj, "counter", pointer, v.parse_decimal),
            "unit": _parse(obj, "unit", pointer, v.parse_str),
            "time": _parse(obj, "time", pointer, v.parse_datetime),
        }
        return _construct(cls, kwargs, pointer)

    @property
    def signing_input(self) -> bytes:
        """``b"tanji.meter-reading.v1\\0" + JCS(to_dict())``: the bytes the device signs."""
        return _SIGNING_PREFIX + canonical_json(self.to_dict())


@dataclass(frozen=True)
class SignedReading:
    """A reading and the device's Ed25519 signature over its :attr:`~MeterReading.signing_input`.

    Construction checks the form only (64-byte signature); whether the signature verifies
    under the registered key is :func:`~sdk.footprint.verify_readings`' step
    ``meter.signature``.
    """

    reading: MeterReading
    signature: bytes

    def __post_init__(self) -> None:
        if not isinstance(self.reading, MeterReading):
            raise _fail("/reading", "must be a MeterReading")
        if not isinstance(self.signature, bytes) or len(self.signature) != 64:
            raise _fail("/signature", "must be a 64-byte Ed25519 signature")

    def to_dict(self) -> dict[str, Any]:
        """JSON form ``{"reading": {...}, "signature": "<base64>"}``."""
        return {"reading": self.reading.to_dict(), "signature": b64encode(self.signature)}

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> SignedReading:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(obj, {"reading", "signature"}, pointer)
        reading = MeterReading.from_dict(_required(obj, "reading", pointer), f"{pointer}/reading")
        try:
            signature = b64decode(_required(obj, "signature", pointer), "signature", size=64)
        except ValueError as exc:
            raise _fail(f"{pointer}/signature", str(exc)) from None
        return cls(reading, signature)


def sign_reading(reading: MeterReading, signing_key: SigningKey) -> SignedReading:
    """Sign ``reading`` with the device's Ed25519 key.

    Raises :class:`ValueError` if the reading's ``keyId`` does not name ``signing_key``
    (a reading must say which key signed it).
    """
    public = bytes(signing_key.verify_key)
    if key_id("ed25519", public) != reading.key_id:
        raise ValueError(f"reading names key {reading.key_id}, the signing key is another")
    return SignedReading(reading, signing_key.sign(reading.signing_input).signature)


def device_key_id(public_key: bytes) -> str:
    """The key id of a device's Ed25519 public key (as for organisation keys)."""
    return key_id("ed25519", public_key)


@dataclass(frozen=True)
class ReadingBatch:
    """The readings of one meter over a period, in time order: what the meter's owner
    publishes (phase 2: as an attestation) and what a certifier checks in full.

    Construction checks the form: one device, strictly increasing times. Signatures,
    registration and calibration are checked by :func:`~sdk.footprint.verify_readings`.
    """

    device_id: str
    period_start: datetime
    period_end: datetime
    readings: tuple[SignedReading, ...]

    def __post_init__(self) -> None:
        _check_device_id(self.device_id, "/deviceId")
        _as_metering(lambda: v.check_aware(self.period_start, "/periodStart"))
        _as_metering(lambda: v.check_aware(self.period_end, "/periodEnd"))
        if self.period_end <= self.period_start:
            raise _fail("/periodEnd", "must be later than periodStart")
        if not isinstance(self.readings, tuple) or not self.readings:
            raise _fail("/readings", "must be a non-empty tuple of SignedReading")
        previous: datetime | None = None
        for i, signed in enumerate(self.readings):
            if not isinstance(signed, SignedReading):
                raise _fail(f"/readings/{i}", "must be a SignedReading")
            if signed.reading.device_id != self.device_id:
                raise _fail(
                    f"/readings/{i}/reading/deviceId",
                    f"is {signed.reading.device_id!r}, the batch is {self.device_id!r}",
                )
            if previous is not None and signed.reading.time <= previous:
                raise _fail(f"/readings/{i}/reading/time", "readings must be in time order")
            previous = signed.reading.time

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "type": BATCH_TYPE,
            "version": 1,
            "deviceId": self.device_id,
            "periodStart": v.format_datetime(self.period_start),
            "periodEnd": v.format_datetime(self.period_end),
            "readings": [r.to_dict() for r in self.readings],
        }

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> ReadingBatch:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(obj, {"type", "version", "deviceId", "periodStart", "periodEnd", "readings"},
               pointer)  # fmt: skip
        if obj.get("type") != BATCH_TYPE:
            raise _fail(v.child(pointer, "type"), f"must be {BATCH_TYPE!r}")
        if obj.get("version") != 1 or isinstance(obj.get("version"), bool):
            raise _fail(v.child(pointer, "version"), "must be 1")
        items = _parse(obj, "readings", pointer, v.parse_array)
        kwargs = {
            "device_id": _parse(obj, "deviceId", pointer, v.parse_str),
            "period_start": _parse(obj, "periodStart", pointer, v.parse_datetime),
            "period_end": _parse(obj, "periodEnd", pointer, v.parse_datetime),
            "readings": tuple(
                SignedReading.from_dict(item, f"{pointer}/readings/{i}")
                for i, item in enumerate(items)
            ),
        }
        return _construct(cls, kwargs, pointer)

    def digest(self) -> str:
        """Hex SHA-256 over ``tanji.meter-readings.v1`` + JCS of :meth:`to_dict`."""
        return tagged_digest(BATCH_TAG, self.to_dict()).hex()


# ---------------------------------------------------------------- registration


@dataclass(frozen=True)
class CalibrationCertificate:
    """A verification/calibration certificate (检定/校准证书) of a meter: the issuing
    metrology institute, its number, and the dates it is valid from and until, both
    inclusive, in China Standard Time (UTC+8) as certificates are dated.
    ``accuracy_class`` is the meter's class as certified (e.g. ``"1"``, ``"0.5S"``).
    """

    institute: str
    number: str
    valid_from: date
    valid_until: date
    accuracy_class: str | None = None

    def __post_init__(self) -> None:
        _check_text(self.institute, "/institute")
        _check_text(self.number, "/number")
        _check_date(self.valid_from, "/validFrom")
        _check_date(self.valid_until, "/validUntil")
        if self.valid_until < self.valid_from:
            raise _fail("/validUntil", "must not be before validFrom")
        if self.accuracy_class is not None:
            _check_text(self.accuracy_class, "/accuracyClass")

    def covers(self, at: datetime) -> bool:
        """True if the certificate is valid at ``at``: its China Standard Time date lies
        within [valid_from, valid_until]. Raises ValueError for a naive ``at``."""
        if at.utcoffset() is None:
            raise ValueError("naive datetime refused; pass a timezone-aware time")
        day = at.astimezone(CHINA_STANDARD_TIME).date()
        return self.valid_from <= day <= self.valid_until

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "institute": self.institute,
            "number": self.number,
            "validFrom": self.valid_from.isoformat(),
            "validUntil": self.valid_until.isoformat(),
        }
        if self.accuracy_class is not None:
            out["accuracyClass"] = self.accuracy_class
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> CalibrationCertificate:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(obj, {"institute", "number", "validFrom", "validUntil", "accuracyClass"}, pointer)
        kwargs = {
            "institute": _parse(obj, "institute", pointer, v.parse_str),
            "number": _parse(obj, "number", pointer, v.parse_str),
            "valid_from": _parse(obj, "validFrom", pointer, v.parse_date),
            "valid_until": _parse(obj, "validUntil", pointer, v.parse_date),
            "accuracy_class": _optional(obj, "accuracyClass", pointer, v.parse_str),
        }
        return _construct(cls, kwargs, pointer)

    def digest(self) -> str:
        """Hex SHA-256 over ``tanji.calibration.v1`` + JCS of :meth:`to_dict`."""
        return tagged_digest(CALIBRATION_TAG, self.to_dict()).hex()


@dataclass(frozen=True)
class MeterRegistration:
    """A meter as registered for its owning organisation (phase 2: read from the meter
    registry contract; here a value the caller passes in).

    ``public_key`` is the device's Ed25519 key; ``quantity`` one of :data:`QUANTITIES` and
    ``unit`` a unit of a dimension it allows; ``register`` the register its readings come
    from; ``multiplier`` the instrument-transformer ratio (CT × PT, 倍率) that turns a
    register difference into the metered quantity (1 for a direct-connected meter);
    ``calibrations`` the certificate history in the order issued (renewals appended);
    ``registered_at`` / ``retired_at`` bound the readings it may sign, end exclusive.
    Raises MeteringError naming the field.
    """

    device_id: str
    owner: str
    public_key: bytes
    quantity: str
    unit: str
    register: str
    calibrations: tuple[CalibrationCertificate, ...]
    registered_at: datetime
    multiplier: Decimal = _ONE
    retired_at: datetime | None = None

    def __post_init__(self) -> None:
        _check_device_id(self.device_id, "/deviceId")
        try:
            canonical_owner = str(OrgId.parse(self.owner))
        except InvalidOrgId as exc:
            raise _fail("/owner", str(exc)) from None
        if canonical_owner != self.owner:
            raise _fail("/owner", f"write the organisation id as {canonical_owner!r}")
        if not isinstance(self.public_key, bytes) or len(self.public_key) != 32:
            raise _fail("/publicKey", "must be a 32-byte Ed25519 public key")
        if self.quantity not in QUANTITIES:
            raise _fail("/quantity", f"must be one of {', '.join(QUANTITIES)}")
        found = _as_metering(lambda: unit(self.unit, "/unit"))
        if found.dimension not in QUANTITIES[self.quantity]:
            raise _fail(
                "/unit", f"{self.unit!r} ({found.dimension}) cannot measure {self.quantity}"
            )
        _check_register(self.register, "/register")
        _as_metering(lambda: v.check_decimal(self.multiplier, "/multiplier", positive=True))
        if not isinstance(self.calibrations, tuple) or not self.calibrations:
            raise _fail("/calibrations", "a meter needs at least one calibration certificate")
        numbers: set[str] = set()
        for i, cert in enumerate(self.calibrations):
            if not isinstance(cert, CalibrationCertificate):
                raise _fail(f"/calibrations/{i}", "must be a CalibrationCertificate")
            if cert.number in numbers:
                raise _fail(f"/calibrations/{i}/number", f"duplicate certificate {cert.number!r}")
            numbers.add(cert.number)
        _as_metering(lambda: v.check_aware(self.registered_at, "/registeredAt"))
        if self.retired_at is not None:
            _as_metering(lambda: v.check_aware(self.retired_at, "/retiredAt"))
            if self.retired_at <= self.registered_at:
                raise _fail("/retiredAt", "must be later than registeredAt")

    @property
    def key_id(self) -> str:
        """Key id of the device key, as readings name it."""
        return device_key_id(self.public_key)

    def calibration_at(self, at: datetime) -> CalibrationCertificate | None:
        """The newest certificate valid at ``at`` (see :meth:`CalibrationCertificate.covers`),
        or None when the meter was not calibrated then."""
        for cert in reversed(self.calibrations):
            if cert.covers(at):
                return cert
        return None

    def renew(self, certificate: CalibrationCertificate) -> MeterRegistration:
        """The registration with ``certificate`` appended to its calibration history.

        Raises MeteringError if the meter is retired, the number is already in the
        history, or the new certificate starts before the current newest one.
        """
        if self.retired_at is not None:
            raise _fail("/calibrations", f"meter {self.device_id} is retired")
        if certificate.valid_from < self.calibrations[-1].valid_from:
            raise _fail(
                f"/calibrations/{len(self.calibrations)}/validFrom",
                "a renewal cannot start before the current certificate",
            )
        return replace(self, calibrations=(*self.calibrations, certificate))

    def retire(self, at: datetime) -> MeterRegistration:
        """The registration retired at ``at``; readings from then on are refused.
        Raises MeteringError if already retired or ``at`` is not after registration."""
        if self.retired_at is not None:
            raise _fail("/retiredAt", f"meter {self.device_id} is already retired")
        return replace(self, retired_at=at)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (public key base64)."""
        out: dict[str, Any] = {
            "deviceId": self.device_id,
            "owner": self.owner,
            "publicKey": b64encode(self.public_key),
            "quantity": self.quantity,
            "unit": self.unit,
            "register": self.register,
            "multiplier": v.format_decimal(self.multiplier),
            "calibrations": [c.to_dict() for c in self.calibrations],
            "registeredAt": v.format_datetime(self.registered_at),
        }
        if self.retired_at is not None:
            out["retiredAt"] = v.format_datetime(self.retired_at)
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> MeterRegistration:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(
            obj,
            {"deviceId", "owner", "publicKey", "quantity", "unit", "register", "multiplier",
             "calibrations", "registeredAt", "retiredAt"},
            pointer,
        )  # fmt: skip
        try:
            public_key = b64decode(_required(obj, "publicKey", pointer), "publicKey", size=32)
        except ValueError as exc:
            raise _fail(f"{pointer}/publicKey", str(exc)) from None
        certs = _parse(obj, "calibrations", pointer, v.parse_array)
        kwargs: dict[str, Any] = {
            "device_id": _parse(obj, "deviceId", pointer, v.parse_str),
            "owner": _parse(obj, "owner", pointer, v.parse_str),
            "public_key": public_key,
            "quantity": _parse(obj, "quantity", pointer, v.parse_str),
            "unit": _parse(obj, "unit", pointer, v.parse_str),
            "register": _parse(obj, "register", pointer, v.parse_str),
            "calibrations": tuple(
                CalibrationCertificate.from_dict(c, f"{pointer}/calibrations/{i}")
                for i, c in enumerate(certs)
            ),
            "registered_at": _parse(obj, "registeredAt", pointer, v.parse_datetime),
            "retired_at": _optional(obj, "retiredAt", pointer, v.parse_datetime),
        }
        multiplier = _optional(obj, "multiplier", pointer, v.parse_decimal)
        if multiplier is not None:
            kwargs["multiplier"] = multiplier
        return _construct(cls, kwargs, pointer)

    def digest(self) -> str:
        """Hex SHA-256 over ``tanji.meter-registration.v1`` + JCS of :meth:`to_dict`."""
        return tagged_digest(REGISTRATION_TAG, self.to_dict()).hex()


# ---------------------------------------------------------------- inventory citation


@dataclass(frozen=True)
class MeterAllocation:
    """How much of a meter's quantity over the period goes to one declared unit.

    The product's activity amount per ``declared_unit_amount`` declared unit is
    ``(last − first) × multiplier × share × declared_unit_amount ÷ output``, with
    ``output`` (in ``output_unit``, converted to the declared unit) the product made
    while the meter counted, and ``share`` (0 < share ≤ 1) the part of the metered
    quantity attributed to that product (1 when the meter serves only its line).
    ``method`` says how the share was chosen (GB/T 24067 allocation: physical, by
    machine hours, …).
    """

    share: Decimal
    output: Decimal
    output_unit: str
    method: str

    def __post_init__(self) -> None:
        _as_metering(lambda: v.check_decimal(self.share, "/share", positive=True, maximum=_ONE))
        _as_metering(lambda: v.check_decimal(self.output, "/output", positive=True))
        _as_metering(lambda: unit(self.output_unit, "/outputUnit"))
        _check_text(self.method, "/method")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "share": v.format_decimal(self.share),
            "output": v.format_decimal(self.output),
            "outputUnit": self.output_unit,
            "method": self.method,
        }

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> MeterAllocation:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(obj, {"share", "output", "outputUnit", "method"}, pointer)
        kwargs = {
            "share": _parse(obj, "share", pointer, v.parse_decimal),
            "output": _parse(obj, "output", pointer, v.parse_decimal),
            "output_unit": _parse(obj, "outputUnit", pointer, v.parse_str),
            "method": _parse(obj, "method", pointer, v.parse_str),
        }
        return _construct(cls, kwargs, pointer)


@dataclass(frozen=True)
class MeterCitation:
    """An activity line's evidence from a meter: the first and the last signed reading
    over the reference period and the allocation of the difference to the product.

    ``batch`` optionally names the attestation in which the meter's owner published all
    readings of the period (checked in full when the certifier has it). Construction
    checks the form (both readings from ``device_id``, same register and unit); the
    signatures, registration, calibration and amounts are checked by
    :func:`~sdk.footprint.verify_metered_line`.
    """

    device_id: str
    first: SignedReading
    last: SignedReading
    allocation: MeterAllocation
    batch: str | None = None

    def __post_init__(self) -> None:
        _check_device_id(self.device_id, "/deviceId")
        for name in ("first", "last"):
            signed = getattr(self, name)
            if not isinstance(signed, SignedReading):
                raise _fail(f"/{name}", "must be a SignedReading")
            if signed.reading.device_id != self.device_id:
                raise _fail(
                    f"/{name}/reading/deviceId",
                    f"is {signed.reading.device_id!r}, the citation is {self.device_id!r}",
                )
        for field in ("register", "unit"):
            if getattr(self.first.reading, field) != getattr(self.last.reading, field):
                raise _fail(f"/last/reading/{field}", f"differs from the first reading's {field}")
        if not isinstance(self.allocation, MeterAllocation):
            raise _fail("/allocation", "must be a MeterAllocation")
        if self.batch is not None and not (
            isinstance(self.batch, str) and _ATTESTATION_ID.fullmatch(self.batch)
        ):
            raise _fail("/batch", "must be an attestation id (64 lowercase hex)")

    @property
    def unit(self) -> str:
        """The meter's unit, as its readings state it."""
        return self.first.reading.unit

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``meterReadings`` of an activity line)."""
        out: dict[str, Any] = {
            "deviceId": self.device_id,
            "first": self.first.to_dict(),
            "last": self.last.to_dict(),
            "allocation": self.allocation.to_dict(),
        }
        if self.batch is not None:
            out["batch"] = self.batch
        return out

    @classmethod
    def from_dict(cls, doc: Any, pointer: str = "") -> MeterCitation:
        """Parse the JSON form; raises MeteringError naming the field."""
        obj = _object(doc, pointer)
        _known(obj, {"deviceId", "first", "last", "allocation", "batch"}, pointer)
        kwargs = {
            "device_id": _parse(obj, "deviceId", pointer, v.parse_str),
            "first": SignedReading.from_dict(_required(obj, "first", pointer), f"{pointer}/first"),
            "last": SignedReading.from_dict(_required(obj, "last", pointer), f"{pointer}/last"),
            "allocation": MeterAllocation.from_dict(
                _required(obj, "allocation", pointer), f"{pointer}/allocation"
            ),
            "batch": _optional(obj, "batch", pointer, v.parse_str),
        }
        return _construct(cls, kwargs, pointer)
