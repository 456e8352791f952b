"""Meter commands (the meter's owner): ``meter register|calibrate|retire|show|read``.

A meter is registered on the MeterRegistry for this wallet's organisation, from its EVM
account; the device key is the one ``python -m gateway.meters keygen`` wrote (its public
half goes on chain; ``meter read`` signs with it). Calibration certificates are JSON
files in :meth:`sdk.footprint.CalibrationCertificate.to_dict` form (docs/metering.md).
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tanji._app import EXIT_INVALID, EXIT_OK, CliError, Options, Session, emit, table

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount

    from sdk.footprint import CalibrationCertificate, MeterRegistration
    from sdk.meters import MeterRegistryClient


def _certificate(path: Path) -> CalibrationCertificate:
    from sdk.errors import MeteringError
    from sdk.footprint import CalibrationCertificate

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return CalibrationCertificate.from_dict(doc)
    except FileNotFoundError:
        raise CliError(f"no such calibration certificate file: {path}") from None
    except (OSError, ValueError, MeteringError) as exc:
        raise CliError(
            f"{path} is not a calibration certificate (institute, number, validFrom, "
            f"validUntil[, accuracyClass]): {exc}"
        ) from None


def _device_key_public(path: Path) -> bytes:
    from gateway.meters import read_device_key

    try:
        return bytes(read_device_key(path).verify_key)
    except ValueError as exc:
        raise CliError(f"{exc} (write one with 'python -m gateway.meters keygen')") from None


def _owner_session(session: Session) -> tuple[str, LocalAccount, MeterRegistryClient]:
    account = session.wallet.account()
    if account is None:
        raise CliError("the wallet holds no EVM account to register meters with", EXIT_INVALID)
    return str(session.keys.org_id), account, session.network.deployment().meters


def _registration_doc(reg: MeterRegistration) -> dict[str, Any]:
    return {**reg.to_dict(), "keyId": reg.key_id, "digest": reg.digest()}


def _render(reg: MeterRegistration, title: str) -> Any:
    def render(con: Any) -> None:
        con.print(
            f"{title} meter {reg.device_id} of {reg.owner}: {reg.quantity} in {reg.unit}, "
            f"register {reg.register} × {reg.multiplier}, device key {reg.key_id}, in "
            f"service since {reg.registered_at.isoformat()}"
            + (f", retired {reg.retired_at.isoformat()}" if reg.retired_at else "")
        )
        rows = [
            (c.number, c.institute, c.valid_from, c.valid_until, c.accuracy_class or "")
            for c in reg.calibrations
        ]
        con.print(
            table(
                "calibration certificates",
                ["number", "institute", "valid from", "valid until", "class"],
                rows,
            )
        )

    return render


def register(
    opts: Options,
    device_id: str,
    key: Path,
    calibration: Path,
    quantity: str,
    unit: str,
    register_name: str,
    multiplier: str,
    in_service: str | None,
    as_json: bool,
) -> int:
    """Register a meter of this organisation on chain with its first certificate."""
    from sdk import parse_time
    from sdk.errors import MeteringError
    from sdk.footprint import MeterRegistration

    cert = _certificate(calibration)
    public_key = _device_key_public(key)
    try:
        factor = Decimal(multiplier)
    except InvalidOperation:
        raise CliError(f"--multiplier {multiplier!r} is not a decimal (e.g. 6000)") from None
    with Session(opts) as session:
        owner, account, meters = _owner_session(session)
        try:
            since = session.clock() if in_service is None else parse_time(in_service, "in-service")
        except ValueError as exc:
            raise CliError(f"--in-service: {exc} (e.g. 2024-12-01T00:00:00Z)") from None
        try:
            reg = MeterRegistration(
                device_id=device_id,
                owner=owner,
                public_key=public_key,
                quantity=quantity,
                unit=unit,
                register=register_name,
                calibrations=(cert,),
                registered_at=since.replace(microsecond=0),
                multiplier=factor,
            )
        except MeteringError as exc:
            raise CliError(f"the meter is not valid: {exc}") from None
        found = meters.register(reg, sender=account)
    emit(_registration_doc(found), as_json, _render(found, "registered"))
    return EXIT_OK


def calibrate(opts: Options, device_id: str, calibration: Path, as_json: bool) -> int:
    """Append a calibration certificate (a renewal) to a meter of this organisation."""
    cert = _certificate(calibration)
    with Session(opts) as session:
        owner, account, meters = _owner_session(session)
        meters.renew(owner, device_id, cert, sender=account)
        found = meters.registration(owner, device_id)
    assert found is not None
    emit(_registration_doc(found), as_json, _render(found, "renewed the calibration of"))
    return EXIT_OK


def retire(opts: Options, device_id: str, as_json: bool) -> int:
    """Retire a meter of this organisation from the block's time on."""
    with Session(opts) as session:
        owner, account, meters = _owner_session(session)
        at = meters.retire(owner, device_id, sender=account)
    doc = {"deviceId": device_id, "owner": owner, "retiredAt": at.isoformat()}
    emit(doc, as_json, lambda con: con.print(f"retired meter {device_id} from {at.isoformat()}"))
    return EXIT_OK


def show(opts: Options, device_id: str, owner: str | None, as_json: bool) -> int:
    """A meter's registration as the chain records it (exit 1 when not registered)."""
    with Session(opts) as session:
        org = owner or str(session.keys.org_id)
        found = session.network.deployment().meters.registration(org, device_id)
    if found is None:
        raise CliError(f"meter {device_id} is not registered to {org}", EXIT_INVALID)
    emit(_registration_doc(found), as_json, _render(found, "on chain:"))
    return EXIT_OK


def read(
    opts: Options,
    device_id: str,
    key: Path,
    host: str,
    port: int,
    address: str,
    out: Path | None,
    as_json: bool,
) -> int:
    """Read this organisation's meter through DL/T 645, sign the reading with the device
    key, and check it against the registration on chain (key, register, unit, service
    life, calibration valid now); exit 1 when the check fails."""
    from gateway.meters import MeterAddress, MeterPoint, read_device_key, read_signed_once
    from gateway.meters.errors import MeterError
    from sdk.errors import MeteringError, VerificationError
    from sdk.footprint import verify_readings

    try:
        signing_key = read_device_key(key)
        point = MeterPoint(device_id, MeterAddress.parse(address))
    except (ValueError, MeterError, MeteringError) as exc:
        raise CliError(str(exc)) from None
    with Session(opts) as session:
        owner = str(session.keys.org_id)
        reg = session.network.deployment().meters.registration(owner, device_id)
        if reg is None:
            raise CliError(f"meter {device_id} is not registered to {owner}", EXIT_INVALID)
        try:
            signed = read_signed_once(host, port, point, signing_key, clock=session.clock)
        except MeterError as exc:
            raise CliError(f"the meter did not answer: {exc}", EXIT_INVALID) from None
    doc: dict[str, Any] = {"reading": signed.to_dict(), "ok": True}
    try:
        verify_readings([signed], reg, owner=owner)
    except VerificationError as exc:
        doc.update(ok=False, failedStep=str(exc.step), reason=exc.reason)
    if out is not None:
        out.write_text(json.dumps(signed.to_dict(), indent=2) + "\n", encoding="utf-8")

    def render(con: Any) -> None:
        r = signed.reading
        con.print(
            f"{r.device_id} {r.register}: {r.counter} {r.unit} at "
            f"{datetime.isoformat(r.time)}, signed by device key {r.key_id}"
            + (f"; written to {out}" if out else "")
        )
        if doc["ok"]:
            con.print("[green]matches the registration on chain, calibrated now[/]")
        else:
            con.print(f"[bold red]REFUSED[/] at step {doc['failedStep']}: {doc['reason']}")

    emit(doc, as_json, render)
    return EXIT_OK if doc["ok"] else EXIT_INVALID
