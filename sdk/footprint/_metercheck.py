"""Checking signed meter readings against a meter's registration, and an activity line
against the readings it cites. Pure: the registration (phase 2: read from the meter
registry contract) and the readings are passed in.

Steps, in the order they run (each failure raises :class:`~sdk.errors.VerificationError`
with the step name):

1. ``meter.citation`` — the inventory has the line and it cites readings.
2. ``meter.batch`` — when the owner's batch is given: it is the cited meter's, and it
   contains the cited first and last readings (then every reading in it is checked).
3. ``meter.registration`` — the readings are from the registered device, name its key,
   read its registered register in its unit, the meter belongs to the expected owner,
   and every reading lies within [registered, retired).
4. ``meter.signature`` — each reading's Ed25519 signature verifies under the device key
   over ``tanji.meter-reading.v1`` + JCS(reading).
5. ``meter.calibration`` — at each reading's time a calibration certificate of the
   meter was valid (its China Standard Time date within the certificate's dates), and
   the line's traceability record names one of the meter's certificates.
6. ``meter.monotonic`` — reading times strictly increase and counters never decrease
   (a decrease is a rollover, a reset or a swapped meter: register a new meter).
7. ``meter.period`` — the first and the last reading bracket the reference period, each
   within ``tolerance`` (default one day) of its start and end.
8. ``meter.activity`` — ``(last − first) × multiplier × share × declared amount ÷
   output``, converted to the line's unit, gives the line's declared quantity under the
   rounding rule of :func:`metered_activity`.

:func:`verify_readings` alone runs steps 3–6 (for a batch, without an inventory).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import nacl.exceptions
from nacl.signing import VerifyKey

from sdk.errors import FootprintError, VerificationError
from sdk.footprint import _values as v
from sdk.footprint._inventory import ActivityLine, Inventory
from sdk.footprint._metering import (
    CHINA_STANDARD_TIME,
    MeterAllocation,
    MeterRegistration,
    ReadingBatch,
    SignedReading,
)
from sdk.footprint._units import CALC_CONTEXT, convert

#: Default distance allowed between the first (last) reading and the start (end) of the
#: reference period: meters are commonly read once a day.
DEFAULT_PERIOD_TOLERANCE = timedelta(days=1)
#: Least number of significant digits a declared metered quantity must carry unless it
#: equals the metered amount exactly (so a coarse declaration cannot hide a difference).
MIN_SIGNIFICANT_DIGITS = 4


def _fail(step: str, reason: str) -> VerificationError:
    return VerificationError(step, reason)


@dataclass(frozen=True)
class VerifiedReadings:
    """Readings that passed steps 3–6 against ``registration``, in time order.

    ``calibrations`` holds, for each reading, the number of the certificate valid at its
    time. ``consumption`` is ``(last − first) × multiplier`` in ``registration.unit``.
    """

    registration: MeterRegistration
    readings: tuple[SignedReading, ...]
    calibrations: tuple[str, ...]

    @property
    def first(self) -> SignedReading:
        """The earliest reading."""
        return self.readings[0]

    @property
    def last(self) -> SignedReading:
        """The latest reading."""
        return self.readings[-1]

    @property
    def consumption(self) -> Decimal:
        """Metered quantity between the first and the last reading, multiplier applied."""
        ctx = CALC_CONTEXT
        delta = ctx.subtract(self.last.reading.counter, self.first.reading.counter)
        return ctx.multiply(delta, self.registration.multiplier)


def verify_readings(
    readings: Sequence[SignedReading],
    registration: MeterRegistration,
    *,
    owner: str | None = None,
) -> VerifiedReadings:
    """Check ``readings`` (steps 3–6 of the module docstring) against ``registration``.

    ``owner``, when given, must be the registration's owning organisation (the issuer of
    the attestation whose inventory cites the meter). Returns the verified readings;
    raises :class:`~sdk.errors.VerificationError` at ``meter.registration``,
    ``meter.signature``, ``meter.calibration`` or ``meter.monotonic``.
    """
    if not readings:
        raise _fail("meter.registration", "no readings to check")
    device = registration.device_id
    # 3. registration: device, key, register, unit, owner, registered life
    if owner is not None and owner != registration.owner:
        raise _fail(
            "meter.registration",
            f"meter {device} is registered to {registration.owner}, not {owner}",
        )
    for i, signed in enumerate(readings):
        reading = signed.reading
        where = f"reading {i} ({v.format_datetime(reading.time)})"
        if reading.device_id != device:
            raise _fail(
                "meter.registration", f"{where} is from {reading.device_id}, not meter {device}"
            )
        if not hmac.compare_digest(reading.key_id, registration.key_id):
            raise _fail(
                "meter.registration",
                f"{where} names key {reading.key_id}; meter {device} has key {registration.key_id}",
            )
        for field in ("register", "unit"):
            if getattr(reading, field) != getattr(registration, field):
                raise _fail(
                    "meter.registration",
                    f"{where} is {field} {getattr(reading, field)!r}; meter {device} is "
                    f"registered for {getattr(registration, field)!r}",
                )
        if reading.time < registration.registered_at:
            raise _fail(
                "meter.registration",
                f"{where} predates the meter's registration at "
                f"{v.format_datetime(registration.registered_at)}",
            )
        if registration.retired_at is not None and reading.time >= registration.retired_at:
            raise _fail(
                "meter.registration",
                f"{where} is after the meter was retired at "
                f"{v.format_datetime(registration.retired_at)}",
            )
    # 4. signatures
    verify_key = VerifyKey(registration.public_key)
    for i, signed in enumerate(readings):
        try:
            verify_key.verify(signed.reading.signing_input, signed.signature)
        except nacl.exceptions.BadSignatureError:
            raise _fail(
                "meter.signature",
                f"reading {i} ({v.format_datetime(signed.reading.time)}) does not verify "
                f"under the key of meter {device}",
            ) from None
    # 5. calibration at each reading's time
    numbers: list[str] = []
    for i, signed in enumerate(readings):
        cert = registration.calibration_at(signed.reading.time)
        if cert is None:
            history = ", ".join(
                f"{c.number} {c.valid_from.isoformat()}..{c.valid_until.isoformat()}"
                for c in registration.calibrations
            )
            day = signed.reading.time.astimezone(CHINA_STANDARD_TIME).date().isoformat()
            raise _fail(
                "meter.calibration",
                f"reading {i} ({v.format_datetime(signed.reading.time)}, {day} China Standard "
                f"Time): meter {device} had no valid calibration then (certificates: {history})",
            )
        numbers.append(cert.number)
    # 6. monotonic
    for i in range(1, len(readings)):
        before, after = readings[i - 1].reading, readings[i].reading
        if after.time <= before.time:
            raise _fail(
                "meter.monotonic",
                f"reading {i} ({v.format_datetime(after.time)}) is not later than reading "
                f"{i - 1} ({v.format_datetime(before.time)})",
            )
        if after.counter < before.counter:
            raise _fail(
                "meter.monotonic",
                f"counter fell from {v.format_decimal(before.counter)} to "
                f"{v.format_decimal(after.counter)} {after.unit} at reading {i}: a rollover, "
                "reset or replaced meter needs a new registration",
            )
    return VerifiedReadings(registration, tuple(readings), tuple(numbers))


@dataclass(frozen=True)
class MeteredAmount:
    """The activity amount a meter gives, every figure of the computation.

    ``computed`` is the exact (34-digit) amount per declared unit in ``line_unit``;
    ``rounded`` is it rounded half-even to the declared quantity's decimal places;
    ``matches`` says whether the declaration passes the rule of :func:`metered_activity`.
    """

    consumption: Decimal
    meter_unit: str
    allocation: MeterAllocation
    output: Decimal
    declared_unit: str
    declared_unit_amount: Decimal
    computed: Decimal
    line_unit: str
    declared: Decimal
    rounded: Decimal
    matches: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form (decimal strings), for a certifier's report."""
        return {
            "consumption": v.format_decimal(self.consumption),
            "meterUnit": self.meter_unit,
            "allocation": self.allocation.to_dict(),
            "outputInDeclaredUnit": v.format_decimal(self.output),
            "declaredUnit": self.declared_unit,
            "declaredUnitAmount": v.format_decimal(self.declared_unit_amount),
            "computed": v.format_decimal(self.computed),
            "rounded": v.format_decimal(self.rounded),
            "declared": v.format_decimal(self.declared),
            "lineUnit": self.line_unit,
            "matches": self.matches,
        }


def metered_activity(
    consumption: Decimal,
    meter_unit: str,
    allocation: MeterAllocation,
    *,
    declared: Decimal,
    line_unit: str,
    declared_unit: str,
    declared_unit_amount: Decimal,
) -> MeteredAmount:
    """Compute the activity amount per declared unit from a metered ``consumption`` and
    compare it with the ``declared`` quantity.

    Arithmetic in :data:`~sdk.footprint.CALC_CONTEXT` (34 digits, half-even), in this
    order: ``consumption × share × declared_unit_amount ÷ output`` (output converted to
    the declared unit), then converted from ``meter_unit`` to ``line_unit``. Rounding rule:
    the declaration matches when the computed amount rounded half-even to the declared
    quantity's decimal places equals it, and the declaration carries at least
    :data:`MIN_SIGNIFICANT_DIGITS` significant digits unless it equals the computed
    amount exactly. Pure; never raises for a mismatch (see ``matches``), raises
    :class:`~sdk.errors.UnitError` when units do not convert.
    """
    ctx = CALC_CONTEXT
    output = convert(allocation.output, allocation.output_unit, declared_unit, "/outputUnit")
    per_unit = ctx.divide(
        ctx.multiply(ctx.multiply(consumption, allocation.share), declared_unit_amount), output
    )
    computed = convert(per_unit, meter_unit, line_unit, "/unit")
    exponent = declared.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite decimal, checked on the line
    rounded = computed.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_EVEN, context=ctx)
    digits = len(declared.as_tuple().digits) if declared != 0 else 0
    exact = computed == declared
    if exact:
        matches, reason = True, "equal"
    elif rounded != declared:
        matches = False
        reason = (
            f"the meter gives {v.format_decimal(rounded)} {line_unit} (exactly "
            f"{v.format_decimal(computed)}), the line declares {v.format_decimal(declared)}"
        )
    elif digits < MIN_SIGNIFICANT_DIGITS:
        matches = False
        reason = (
            f"the line declares {v.format_decimal(declared)} {line_unit} with "
            f"{digits} significant digit(s); the meter gives {v.format_decimal(computed)}: "
            f"declare at least {MIN_SIGNIFICANT_DIGITS} significant digits"
        )
    else:
        matches, reason = True, f"equal when rounded to {v.format_decimal(rounded)}"
    return MeteredAmount(
        consumption=consumption,
        meter_unit=meter_unit,
        allocation=allocation,
        output=output,
        declared_unit=declared_unit,
        declared_unit_amount=declared_unit_amount,
        computed=computed,
        line_unit=line_unit,
        declared=declared,
        rounded=rounded,
        matches=matches,
        reason=reason,
    )


@dataclass(frozen=True)
class MeteredLineCheck:
    """A metered activity line that passed every step: the meter, the readings used,
    the certificate numbers that covered them and the amount computation."""

    line_id: str
    device_id: str
    owner: str
    verified: VerifiedReadings
    first: SignedReading
    last: SignedReading
    amount: MeteredAmount

    def to_dict(self) -> dict[str, Any]:
        """JSON form for a certifier's report."""
        return {
            "lineId": self.line_id,
            "deviceId": self.device_id,
            "owner": self.owner,
            "readingsChecked": len(self.verified.readings),
            "calibrations": sorted(set(self.verified.calibrations)),
            "first": {
                "counter": v.format_decimal(self.first.reading.counter),
                "time": v.format_datetime(self.first.reading.time),
            },
            "last": {
                "counter": v.format_decimal(self.last.reading.counter),
                "time": v.format_datetime(self.last.reading.time),
            },
            "multiplier": v.format_decimal(self.verified.registration.multiplier),
            "amount": self.amount.to_dict(),
        }


def verify_metered_line(
    inventory: Inventory,
    line_id: str,
    registration: MeterRegistration,
    *,
    owner: str,
    batch: ReadingBatch | None = None,
    tolerance: timedelta = DEFAULT_PERIOD_TOLERANCE,
) -> MeteredLineCheck:
    """Check the activity line ``line_id`` of ``inventory`` against the signed readings
    it cites and the meter's ``registration`` (all steps of the module docstring).

    ``owner`` is the organisation whose inventory it is (the attestation's issuer); the
    meter must be registered to it. With ``batch`` (the owner's published readings of
    the period) every reading in it is checked, else the cited first and last. Returns
    the figures; raises :class:`~sdk.errors.VerificationError` at ``meter.citation``
    (no such line, or it cites no readings), ``meter.registration``, ``meter.signature``,
    ``meter.calibration``, ``meter.monotonic``, ``meter.batch``, ``meter.period`` or
    ``meter.activity``.
    """
    line = _line(inventory, line_id)
    citation = line.meter_readings
    if citation is None:
        raise _fail("meter.citation", f"line {line_id!r} cites no meter readings")
    if citation.device_id != registration.device_id:
        raise _fail(
            "meter.registration",
            f"line {line_id!r} cites meter {citation.device_id}, the registration is "
            f"{registration.device_id}",
        )
    cited = (citation.first, citation.last)
    if batch is None:
        readings: tuple[SignedReading, ...] = cited
    else:
        # 2. the batch is the cited meter's and contains both cited readings
        if batch.device_id != citation.device_id:
            raise _fail(
                "meter.batch", f"the batch is meter {batch.device_id}'s, not {citation.device_id}'s"
            )
        for name, signed in (("first", citation.first), ("last", citation.last)):
            if signed not in batch.readings:
                raise _fail(
                    "meter.batch",
                    f"the cited {name} reading ({v.format_datetime(signed.reading.time)}) is "
                    "not in the owner's batch",
                )
        readings = batch.readings
    verified = verify_readings(readings, registration, owner=owner)
    if batch is not None:
        # the cited pair on its own (order, counters); steps 3-6 covered each reading
        verify_readings(cited, registration, owner=owner)
    # 5b. the traceability record names one of the meter's certificates
    numbers = {c.number for c in registration.calibrations}
    if line.metering.certificate_id not in numbers:
        raise _fail(
            "meter.calibration",
            f"line {line_id!r} names certificate {line.metering.certificate_id!r}, not one of "
            f"meter {registration.device_id}'s ({', '.join(sorted(numbers))})",
        )
    # 7. the readings bracket the reference period
    start, end = inventory.reference_period_start, inventory.reference_period_end
    first_time, last_time = citation.first.reading.time, citation.last.reading.time
    for what, at, bound in (("first", first_time, start), ("last", last_time, end)):
        if abs(at - bound) > tolerance:
            raise _fail(
                "meter.period",
                f"the {what} reading ({v.format_datetime(at)}) is more than {tolerance} from "
                f"the reference period's {'start' if what == 'first' else 'end'} "
                f"({v.format_datetime(bound)})",
            )
    # 8. the readings give the declared quantity
    ctx = CALC_CONTEXT
    consumption = ctx.multiply(
        ctx.subtract(citation.last.reading.counter, citation.first.reading.counter),
        registration.multiplier,
    )
    try:
        amount = metered_activity(
            consumption,
            citation.unit,
            citation.allocation,
            declared=line.quantity,
            line_unit=line.unit,
            declared_unit=inventory.declared_unit,
            declared_unit_amount=inventory.declared_unit_amount,
        )
    except FootprintError as exc:
        raise _fail("meter.activity", f"line {line_id!r}: {exc}") from None
    if not amount.matches:
        raise _fail("meter.activity", f"line {line_id!r}: {amount.reason}")
    return MeteredLineCheck(
        line_id=line_id,
        device_id=registration.device_id,
        owner=owner,
        verified=verified,
        first=citation.first,
        last=citation.last,
        amount=amount,
    )


def verify_metered_inventory(
    inventory: Inventory,
    registrations: Mapping[str, MeterRegistration],
    *,
    owner: str,
    batches: Mapping[str, ReadingBatch] | None = None,
    tolerance: timedelta = DEFAULT_PERIOD_TOLERANCE,
) -> tuple[MeteredLineCheck, ...]:
    """:func:`verify_metered_line` for every activity line that cites readings.

    ``registrations`` maps device id to registration, ``batches`` (optional) device id to
    the owner's batch. Returns one check per metered line in inventory order (empty when
    no line cites readings); raises VerificationError at the first failure, with
    ``meter.registration`` for a cited meter that has no registration.
    """
    checks: list[MeteredLineCheck] = []
    for line in inventory.activities:
        citation = line.meter_readings
        if citation is None:
            continue
        registration = registrations.get(citation.device_id)
        if registration is None:
            raise _fail(
                "meter.registration",
                f"line {line.line_id!r} cites meter {citation.device_id}, which is not registered",
            )
        batch = None if batches is None else batches.get(citation.device_id)
        checks.append(
            verify_metered_line(
                inventory,
                line.line_id,
                registration,
                owner=owner,
                batch=batch,
                tolerance=tolerance,
            )
        )
    return tuple(checks)


def _line(inventory: Inventory, line_id: str) -> ActivityLine:
    for line in inventory.activities:
        if line.line_id == line_id:
            return line
    raise _fail("meter.citation", f"the inventory has no activity line {line_id!r}")
