"""Client of the LabelRegistry contract: carbon labels (碳标识) issued by certifiers.

A label's claimed value is kept as the exact decimal string stored on chain (what a
verifier compares with the disclosed claim); :attr:`Label.value_decimal` gives it as a
:class:`decimal.Decimal`. Log ids cross to the chain as ``sha256(utf8(log_id))``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from web3 import Web3

from sdk._records import Label, LabelStatus, Suspension, log_id_digest, to_timestamp
from sdk._registry import ContractClient, bytes32
from sdk.errors import RegistryError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eth_account.signers.local import LocalAccount
    from eth_typing import ChecksumAddress
    from web3.types import TxReceipt

__all__ = ["Label", "LabelRegistryClient", "LabelStatus", "Suspension", "log_id_digest"]

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_LIMITS = {"unit": (32, True), "grade": (32, False), "standard": (64, True)}
_MAX_VALUE_LENGTH = 40
_MAX_REASON_LENGTH = 256
_MAX_CERTIFICATE_NUMBER_LENGTH = 64


def _reason(reason: str, what: str) -> str:
    if not isinstance(reason, str) or not reason:
        raise RegistryError(f"a {what} needs a reason")
    if len(reason.encode("utf-8")) > _MAX_REASON_LENGTH:
        raise RegistryError(f"reason is longer than {_MAX_REASON_LENGTH} bytes")
    return reason


def _decimal_text(value: str | Decimal) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise RegistryError(f"value must be a finite decimal: {value}")
        text = format(value, "f")
    elif isinstance(value, str):
        text = value
    else:
        raise RegistryError("value must be a decimal string or decimal.Decimal, never a float")
    if not _DECIMAL.fullmatch(text):
        raise RegistryError(f"value is not a plain decimal like '213.67': {text!r}")
    if len(text) > _MAX_VALUE_LENGTH:
        raise RegistryError(f"value is longer than {_MAX_VALUE_LENGTH} characters")
    return text


def _text(name: str, value: str) -> str:
    limit, required = _LIMITS[name]
    if not isinstance(value, str):
        raise RegistryError(f"{name} must be a string")
    size = len(value.encode("utf-8"))
    if required and size == 0:
        raise RegistryError(f"{name} must not be empty")
    if size > limit:
        raise RegistryError(f"{name} is {size} bytes, at most {limit}")
    return value


class LabelRegistryClient(ContractClient):
    """Typed access to a deployed LabelRegistry.

    Writes raise :class:`sdk.errors.RegistryRefused` (``reason`` = the contract's error
    name, e.g. ``"NotCertifier"``) when the contract refuses, :class:`RegistryError` for bad
    input (checked before anything is sent) or a failing chain.
    """

    contract_name = "LabelRegistry"

    def issue(
        self,
        *,
        label_id: bytes,
        product_id_digest: bytes,
        log_id: str,
        leaf_index: int,
        leaf_hash: bytes,
        value: str | Decimal,
        unit: str,
        grade: str,
        standard: str,
        disclosure_digest: bytes,
        sender: LocalAccount,
        valid_from: datetime | int | None = None,
        valid_until: datetime | int | None = None,
        certificate: tuple[str, bytes] | None = None,
    ) -> Label:
        """Issue a label from ``sender``, whose organisation must hold CERTIFIER.

        ``valid_from`` defaults to the block time, ``valid_until`` to two calendar years
        after ``valid_from`` (CNCA certificate term). ``certificate`` = (number, digest)
        binds a certificate (:meth:`sdk.FootprintCertificate.digest`) to the label for
        good. Returns the label as stored.

        Raises:
            RegistryRefused: ``NotCertifier``, ``LabelExists``, ``InvalidValidity``, …
            RegistryError: malformed input, or the chain failed.
        """
        lid = bytes32(label_id, "label_id")
        if isinstance(leaf_index, bool) or not isinstance(leaf_index, int):
            raise RegistryError("leaf_index must be an int")
        if not 0 <= leaf_index < 2**64:
            raise RegistryError(f"leaf_index out of range: {leaf_index}")
        start = 0 if valid_from is None else to_timestamp(valid_from, "valid_from")
        end = 0 if valid_until is None else to_timestamp(valid_until, "valid_until")
        if valid_from is not None and start == 0:
            raise RegistryError("valid_from must be after 1970-01-01T00:00:00Z")
        if valid_until is not None and end <= start:
            raise RegistryError("valid_until must be after valid_from")
        label_input = (
            lid,
            bytes32(product_id_digest, "product_id_digest"),
            log_id_digest(log_id),
            leaf_index,
            bytes32(leaf_hash, "leaf_hash"),
            _decimal_text(value),
            _text("unit", unit),
            _text("grade", grade),
            _text("standard", standard),
            start,
            end,
            bytes32(disclosure_digest, "disclosure_digest"),
        )
        if certificate is None:
            fn = self.contract.functions.issueLabel(label_input)
        else:
            number, cert_digest = certificate
            if not isinstance(number, str) or not number:
                raise RegistryError("certificate number must be a non-empty string")
            if len(number.encode("utf-8")) > _MAX_CERTIFICATE_NUMBER_LENGTH:
                raise RegistryError(
                    f"certificate number is longer than {_MAX_CERTIFICATE_NUMBER_LENGTH} bytes"
                )
            fn = self.contract.functions.issueCertifiedLabel(
                label_input, number, bytes32(cert_digest, "certificate digest")
            )
        self._transact(f"issue label 0x{lid.hex()}", fn, sender)
        found = self.label(lid)
        assert found is not None
        return found

    def revoke(self, label_id: bytes, reason: str, *, sender: LocalAccount) -> TxReceipt:
        """Revoke a label from now on (the issuing organisation's accounts or the registrar).

        Raises:
            RegistryRefused: ``UnknownLabel``, ``NotLabelIssuer``, ``LabelAlreadyRevoked``.
            RegistryError: empty or over-long reason, or the chain failed.
        """
        _reason(reason, "revocation")
        lid = bytes32(label_id, "label_id")
        fn = self.contract.functions.revokeLabel(lid, reason)
        return self._transact(f"revoke label 0x{lid.hex()}", fn, sender)

    def suspend(self, label_id: bytes, reason: str, *, sender: LocalAccount) -> TxReceipt:
        """Suspend a label from now until restored (the issuing organisation's accounts or
        the registrar).

        Raises:
            RegistryRefused: ``UnknownLabel``, ``NotLabelIssuer``, ``LabelAlreadyRevoked``,
                ``LabelAlreadySuspended``, ``LabelExpired``.
            RegistryError: empty or over-long reason, or the chain failed.
        """
        _reason(reason, "suspension")
        lid = bytes32(label_id, "label_id")
        fn = self.contract.functions.suspendLabel(lid, reason)
        return self._transact(f"suspend label 0x{lid.hex()}", fn, sender)

    def restore(self, label_id: bytes, reason: str, *, sender: LocalAccount) -> TxReceipt:
        """End a label's current suspension from now on (same callers as :meth:`suspend`).

        Raises:
            RegistryRefused: ``UnknownLabel``, ``NotLabelIssuer``, ``LabelAlreadyRevoked``,
                ``LabelNotSuspended``.
            RegistryError: empty or over-long reason, or the chain failed.
        """
        _reason(reason, "restoration")
        lid = bytes32(label_id, "label_id")
        fn = self.contract.functions.restoreLabel(lid, reason)
        return self._transact(f"restore label 0x{lid.hex()}", fn, sender)

    def label(self, label_id: bytes) -> Label | None:
        """The label as stored with its status at the latest block, or None if unknown."""
        digest = bytes32(label_id, "label_id")
        status_fn = self.contract.functions.statusAt(digest, 0)
        if LabelStatus(self._call("label status", status_fn)) is LabelStatus.UNKNOWN:
            return None
        raw, status = self._call("label", self.contract.functions.label(digest))
        number, cert_digest = self._call(
            "certificate", self.contract.functions.certificateOf(digest)
        )
        periods = self._call("suspensions", self.contract.functions.suspensionsOf(digest))
        label = _label(raw, LabelStatus(status))
        return replace(
            label,
            certificate_number=str(number) or None,
            certificate_digest=bytes(cert_digest) if number else None,
            suspensions=tuple(
                Suspension(
                    suspended_at=int(p[0]),
                    restored_at=int(p[1]) or None,
                    reason=str(p[2]),
                    restore_reason=str(p[3]) if int(p[1]) else None,
                )
                for p in periods
            ),
        )

    def status_at(self, label_id: bytes, at: datetime | int) -> LabelStatus:
        """The label's status at ``at`` (aware datetime or Unix seconds)."""
        fn = self.contract.functions.statusAt(bytes32(label_id, "label_id"), to_timestamp(at, "at"))
        return LabelStatus(self._call("status_at", fn))

    def is_valid(self, label_id: bytes, at: datetime | int) -> bool:
        """Whether the label existed, was unrevoked, unsuspended and within its window at
        ``at``."""
        fn = self.contract.functions.isValid(bytes32(label_id, "label_id"), to_timestamp(at, "at"))
        return bool(self._call("is_valid", fn))

    def participant_registry(self) -> ChecksumAddress:
        """Address of the ParticipantRegistry this registry takes its certifiers from."""
        fn = self.contract.functions.participants()
        return Web3.to_checksum_address(self._call("participants", fn))

    def two_years_after(self, t: datetime | int) -> int:
        """The default ``valid_until`` for a label valid from ``t``, as the contract computes it."""
        fn = self.contract.functions.twoYearsAfter(to_timestamp(t, "t"))
        return int(self._call("two_years_after", fn))


def _label(raw: Sequence[Any], status: LabelStatus) -> Label:
    revoked_at = int(raw[15])
    return Label(
        label_id=bytes(raw[0]),
        product_id_digest=bytes(raw[1]),
        log_id_digest=bytes(raw[2]),
        leaf_index=int(raw[3]),
        leaf_hash=bytes(raw[4]),
        value=str(raw[5]),
        unit=str(raw[6]),
        grade=str(raw[7]),
        standard=str(raw[8]),
        valid_from=int(raw[9]),
        valid_until=int(raw[10]),
        disclosure_digest=bytes(raw[11]),
        issuer_org_digest=bytes(raw[12]),
        issuer=Web3.to_checksum_address(raw[13]),
        issued_at=int(raw[14]),
        revoked_at=revoked_at or None,
        revocation_reason=str(raw[16]) if revoked_at else None,
        status=status,
    )
