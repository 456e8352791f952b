"""Client of the MeterRegistry contract: metering devices, device keys, calibrations.

A meter is named on chain by its owner's ``sha256(utf8(org id))`` and
``sha256(utf8(device id))``. Calibration dates cross as UNIX seconds of 00:00 China
Standard Time: ``validFrom`` of the first day, ``validUntil`` of the day after the last
(end exclusive), so :class:`~sdk.footprint.CalibrationCertificate` (dates inclusive, in
CST) round-trips exactly. :meth:`MeterRegistryClient.registration` rebuilds the
:class:`~sdk.footprint.MeterRegistration` the pure checks take
(:func:`~sdk.footprint.verify_metered_inventory`), checking each certificate against the
digest stored beside it.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from web3 import Web3

from sdk._records import org_id_digest, to_timestamp
from sdk._registry import ContractClient
from sdk.errors import MeteringError, RegistryError
from sdk.footprint._metering import (
    CHINA_STANDARD_TIME,
    CalibrationCertificate,
    MeterRegistration,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eth_account.signers.local import LocalAccount
    from eth_typing import ChecksumAddress
    from web3.types import TxReceipt

__all__ = ["MeterRegistryClient", "device_id_digest"]

_DAY = timedelta(days=1)


def device_id_digest(device_id: str) -> bytes:
    """The on-chain key of a device id: ``sha256(utf8(device_id))``.

    Raises:
        RegistryError: ``device_id`` is not a non-empty string.
    """
    if not isinstance(device_id, str) or not device_id:
        raise RegistryError("device_id must be a non-empty string")
    return hashlib.sha256(device_id.encode("utf-8")).digest()


def _cst_midnight(day: date) -> int:
    return int(datetime.combine(day, time(0), CHINA_STANDARD_TIME).timestamp())


def _cst_day(seconds: int, what: str) -> date:
    moment = datetime.fromtimestamp(seconds, UTC).astimezone(CHINA_STANDARD_TIME)
    if moment.time() != time(0):
        raise RegistryError(f"{what} on chain is not 00:00 China Standard Time: {seconds}")
    return moment.date()


def _calibration_input(cert: CalibrationCertificate) -> tuple[Any, ...]:
    return (
        cert.institute,
        cert.number,
        cert.accuracy_class or "",
        _cst_midnight(cert.valid_from),
        _cst_midnight(cert.valid_until + _DAY),
        bytes.fromhex(cert.digest()),
        0,
    )


def _calibration(raw: Sequence[Any], index: int) -> CalibrationCertificate:
    what = f"calibration {index}"
    try:
        cert = CalibrationCertificate(
            institute=str(raw[0]),
            number=str(raw[1]),
            valid_from=_cst_day(int(raw[3]), f"{what} validFrom"),
            valid_until=_cst_day(int(raw[4]), f"{what} validUntil") - _DAY,
            accuracy_class=str(raw[2]) or None,
        )
    except MeteringError as exc:
        raise RegistryError(f"{what} on chain is malformed: {exc}") from exc
    if not hmac.compare_digest(bytes.fromhex(cert.digest()), bytes(raw[5])):
        raise RegistryError(f"{what} ({cert.number}) does not hash to the digest stored beside it")
    return cert


class MeterRegistryClient(ContractClient):
    """Typed access to a deployed MeterRegistry.

    Writes raise :class:`sdk.errors.RegistryRefused` (``reason`` = the contract's error
    name, e.g. ``"KeyInUse"``) when the contract refuses, :class:`RegistryError` for bad
    input (checked before anything is sent) or a failing chain.
    """

    contract_name = "MeterRegistry"

    def _sender_org(self, sender: LocalAccount, owner: str) -> None:
        participants = self.chain.contract("ParticipantRegistry", self.participant_registry())
        org = self._call("orgOfAccount", participants.functions.orgOfAccount(sender.address))
        if bytes(org) != org_id_digest(owner):
            raise RegistryError(
                f"account {sender.address} is not an account of {owner}, the meter's owner"
            )

    def register(
        self, registration: MeterRegistration, *, sender: LocalAccount
    ) -> MeterRegistration:
        """Register ``registration`` for its owner from ``sender`` (an account of the owner),
        with every calibration certificate of its history; returns it as read back.

        ``registered_at`` must not be in the chain's future; a retired registration cannot
        be registered (retire it after).

        Raises:
            RegistryRefused: ``MeterExists``, ``KeyInUse``, ``RegisteredInFuture``, …
            RegistryError: ``sender`` is not the owner's account, bad input, or the chain
                failed.
        """
        if not isinstance(registration, MeterRegistration):
            raise RegistryError("registration must be a MeterRegistration")
        if registration.retired_at is not None:
            raise RegistryError("register the meter first, then retire it")
        self._sender_org(sender, registration.owner)
        meter_input = (
            registration.device_id,
            registration.public_key,
            registration.quantity,
            registration.unit,
            registration.register,
            format(registration.multiplier, "f"),
            to_timestamp(registration.registered_at, "registered_at"),
        )
        first, *renewals = registration.calibrations
        fn = self.contract.functions.registerMeter(meter_input, _calibration_input(first))
        self._transact(f"register meter {registration.device_id}", fn, sender)
        for cert in renewals:
            self.renew(registration.owner, registration.device_id, cert, sender=sender)
        found = self.registration(registration.owner, registration.device_id)
        assert found is not None
        return found

    def renew(
        self,
        owner: str,
        device_id: str,
        certificate: CalibrationCertificate,
        *,
        sender: LocalAccount,
    ) -> TxReceipt:
        """Append ``certificate`` to the meter's calibration history (owner's accounts).

        Raises:
            RegistryRefused: ``NotMeterOwner``, ``MeterAlreadyRetired``,
                ``DuplicateCertificate``, ``RenewalBeforeCurrent``.
            RegistryError: bad input or the chain failed.
        """
        if not isinstance(certificate, CalibrationCertificate):
            raise RegistryError("certificate must be a CalibrationCertificate")
        self._sender_org(sender, owner)
        fn = self.contract.functions.renewCalibration(
            device_id_digest(device_id), _calibration_input(certificate)
        )
        return self._transact(f"renew calibration of meter {device_id}", fn, sender)

    def retire(self, owner: str, device_id: str, *, sender: LocalAccount) -> datetime:
        """Retire the meter from the block's time on (owner's accounts or the registrar);
        returns the retirement time.

        Raises:
            RegistryRefused: ``UnknownMeter``, ``NotMeterOwner``, ``MeterAlreadyRetired``.
            RegistryError: the chain failed.
        """
        fn = self.contract.functions.retireMeter(org_id_digest(owner), device_id_digest(device_id))
        receipt = self._transact(f"retire meter {device_id}", fn, sender)
        events = self._events(receipt, "MeterRetired")
        return datetime.fromtimestamp(int(events[0]["at"]), UTC)

    def registration(self, owner: str, device_id: str) -> MeterRegistration | None:
        """The meter's registration as the pure checks take it, or None if not registered.

        Guarantees: every calibration certificate hashes to the digest stored beside it,
        and the stored device id is ``device_id``.

        Raises:
            RegistryError: the chain failed, or the record on chain is inconsistent.
        """
        owner_digest = org_id_digest(owner)
        device_digest = device_id_digest(device_id)
        known = self.contract.functions.isRegistered(owner_digest, device_digest)
        if not self._call("isRegistered", known):
            return None
        meter, calibrations = self._call(
            "meter", self.contract.functions.meter(owner_digest, device_digest)
        )
        if str(meter[1]) != device_id:
            raise RegistryError(f"meter on chain names device {meter[1]!r}, not {device_id!r}")
        try:
            multiplier = Decimal(str(meter[6]))
        except InvalidOperation as exc:
            raise RegistryError(f"meter {device_id}: multiplier {meter[6]!r}") from exc
        retired = int(meter[8])
        try:
            return MeterRegistration(
                device_id=device_id,
                owner=owner,
                public_key=bytes(meter[2]),
                quantity=str(meter[3]),
                unit=str(meter[4]),
                register=str(meter[5]),
                multiplier=multiplier,
                calibrations=tuple(_calibration(c, i) for i, c in enumerate(calibrations)),
                registered_at=datetime.fromtimestamp(int(meter[7]), UTC),
                retired_at=datetime.fromtimestamp(retired, UTC) if retired else None,
            )
        except MeteringError as exc:
            raise RegistryError(f"meter {device_id} on chain is malformed: {exc}") from exc

    def participant_registry(self) -> ChecksumAddress:
        """Address of the ParticipantRegistry this registry takes its organisations from."""
        fn = self.contract.functions.participants()
        return Web3.to_checksum_address(self._call("participants", fn))
