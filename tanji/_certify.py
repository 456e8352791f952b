"""Certifier commands: ``certify``, ``label revoke|qr|list``."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tanji._app import (
    EXIT_INVALID,
    EXIT_OK,
    CliError,
    Options,
    Session,
    emit,
    load_network,
    passphrase,
    progress,
    say,
    short,
    table,
)

if TYPE_CHECKING:
    from sdk import FootprintCertificate
    from sdk.roles import CheckStep, EtsReview


@dataclass(frozen=True)
class EtsOptions:
    """``certify --ets …``: the ETS review the certifier asks for."""

    attestation: str | None
    product: str | None
    band: str
    exclude: list[str]
    overrides: list[str]

    def review(self, certifier: str, session: Session) -> EtsReview | None:
        """The review, or None without ``--ets``; CliError (exit 2) for bad options."""
        from sdk.footprint import CheckOverride
        from sdk.roles import EtsReview

        if self.attestation is None:
            if self.product or self.exclude or self.overrides:
                raise CliError("--ets-product, --ets-exclude and --override need --ets")
            return None
        if not self.product:
            raise CliError("--ets needs --ets-product: the product line of the ETS report")
        try:
            band = Decimal(self.band)
        except InvalidOperation:
            raise CliError(f"--ets-band {self.band!r} is not a decimal (e.g. 0.20)") from None
        overrides = []
        for text in self.overrides:
            check, sep, reason = text.partition("=")
            if not sep:
                raise CliError(f"--override {text!r}: write CHECK=REASON, e.g. ets.year=…")
            try:
                overrides.append(CheckOverride(check, reason, certifier, session.clock()))
            except ValueError as exc:
                raise CliError(f"--override {check}: {exc}") from None
        return EtsReview(
            self.attestation, self.product, band, None, tuple(self.exclude), tuple(overrides)
        )


def _footprint_certificate(path: Path) -> FootprintCertificate:
    from sdk import FootprintCertificate
    from sdk.errors import CertificateError

    try:
        return FootprintCertificate.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise CliError(f"no such certificate file: {path}") from None
    except (OSError, ValueError, CertificateError) as exc:
        raise CliError(
            f"{path} is not a footprint certificate (docs/data-quality.md): {exc}"
        ) from None


def _steps(statuses: list[tuple[CheckStep, str]]) -> list[dict[str, str]]:
    return [{"step": s.name, "status": status, "what": s.what} for s, status in statuses]


def _wait_anchored(session: Session, attestation: str, wait: float) -> None:
    from sdk.errors import NodeClientError

    node = session.public_node()
    deadline = time.monotonic() + wait
    announced = False
    while True:
        try:
            node.receipt(attestation)
            return
        except NodeClientError as exc:
            if exc.status != 404 or time.monotonic() >= deadline:
                return  # the check reports it at its step
            if not announced:
                say(f"waiting up to {wait:.0f} s for {short(attestation)} to be anchored")
                announced = True
            time.sleep(0.5)


def certify(
    opts: Options,
    attestation: str,
    issue: bool,
    grade: str,
    standard: str,
    qr: Path | None,
    wait: float,
    factor_publishers: list[str],
    as_json: bool,
    ets_options: EtsOptions | None = None,
    certificate_file: Path | None = None,
) -> int:
    """Run the certifier's checks; with ``issue`` issue the label (binding the
    certificate of ``certificate_file`` when given)."""
    from sdk.errors import VerificationError
    from sdk.roles import check_step_statuses

    certificate = None if certificate_file is None else _footprint_certificate(certificate_file)
    if certificate is not None and not issue:
        raise CliError("--certificate binds a certificate to the label: it needs --issue")

    with Session(opts) as session:
        certifier = session.certifier(factor_publishers)
        review = None if ets_options is None else ets_options.review(str(certifier.org_id), session)
        _wait_anchored(session, attestation, wait)
        try:
            with progress("checking", 1) as advance:
                check = certifier.check(attestation, ets=review)
                advance(1)
        except VerificationError as exc:
            refused = {
                "ok": False,
                "attestationId": attestation,
                "failedStep": exc.step,
                "reason": exc.reason,
                "steps": _steps(check_step_statuses(failed=exc.step)),
            }
            line = f"[bold red]REFUSED[/] at step {exc.step}: {exc.reason}"
            emit(refused, as_json, lambda con: con.print(line))
            return EXIT_INVALID
        data: dict[str, Any] = {
            "ok": True,
            "attestationId": attestation,
            "leader": check.leader,
            "productId": check.product_id,
            "claimed": str(check.claimed),
            "recomputed": str(check.recomputed),
            "unit": check.unit,
            "factorSet": check.factor_set_id,
            "anchoredAt": check.anchored.anchored_at.isoformat(),
            "upstream": [
                {
                    "supplier": u.supplier,
                    "productId": u.product_id,
                    "value": str(u.value),
                    "unit": u.declared_unit,
                    "attestationId": u.attestation_id,
                }
                for u in check.upstream
            ],
            "steps": _steps(check_step_statuses(check)),
            "dataQuality": check.data_quality.to_dict(),
            "unverifiedLines": list(check.unverified),
        }
        quality = check.data_quality.to_lines()
        if issue:
            label_path = qr
            try:
                cert = certifier.certify(
                    check, grade=grade, standard=standard, qr_path=None, certificate=certificate
                )
            except ValueError as exc:
                raise CliError(f"--certificate does not match the check: {exc}") from None
            if label_path is None:
                label_path = opts.home / "labels" / f"{cert.label_id}.png"
            from sdk.roles import write_qr

            write_qr(cert.url, label_path)
            data["label"] = {
                "labelId": cert.label_id,
                "value": cert.label.value,
                "unit": cert.label.unit,
                "grade": cert.label.grade,
                "validUntil": cert.label.valid_until,
                "certificate": cert.label.certificate_number,
                "url": cert.url,
                "qr": str(label_path),
            }

    def render(con: Any) -> None:
        rows = [(s["step"], s["status"], s["what"]) for s in data["steps"]]
        con.print(
            table(
                f"certification checks of {short(attestation)} by {data['leader']}",
                ["step", "result", "what"],
                rows,
            )
        )
        up = [
            (u["supplier"], u["productId"], f"{u['value']} kgCO2e/{u['unit']}")
            for u in data["upstream"]
        ]
        if up:
            con.print(table("upstream values verified", ["supplier", "product", "value"], up))
        if data["unverifiedLines"]:
            con.print(
                table(
                    "UNVERIFIED lines (no attestation: secondary data, primary share 0 %)",
                    ["line", "product", "value"],
                    [
                        (u["lineId"], u["supplierProductId"],
                         f"{u['supplierPcf']} kgCO2e/{u['supplierDeclaredUnit']}")
                        for u in data["unverifiedLines"]
                    ],
                )
            )  # fmt: skip
        con.print(f"recomputed {data['recomputed']} = claimed {data['claimed']} {data['unit']}")
        for line in quality:
            con.print(line, markup=False)
        if "label" in data:
            label = data["label"]
            con.print(
                f"[bold green]label issued[/] {label['labelId']}: {label['value']} "
                f"{label['unit']}; QR code {label['qr']} → {label['url']}"
            )

    emit(data, as_json, render)
    return EXIT_OK


def revoke(opts: Options, label_id: str, reason: str, as_json: bool) -> int:
    """Revoke a label this certifier issued."""
    from sdk.roles import label_id_bytes

    try:
        raw = label_id_bytes(label_id)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    with Session(opts) as session:
        session.certifier().revoke(raw, reason)
    doc = {"labelId": "0x" + raw.hex(), "revoked": True, "reason": reason}
    emit(doc, as_json, lambda con: con.print(f"revoked {doc['labelId']}: {reason}"))
    return EXIT_OK


def suspend(opts: Options, label_id: str, reason: str, as_json: bool) -> int:
    """Suspend a label this certifier issued."""
    return _status_change(opts, label_id, reason, as_json, "suspended")


def restore(opts: Options, label_id: str, reason: str, as_json: bool) -> int:
    """Restore a label this certifier suspended."""
    return _status_change(opts, label_id, reason, as_json, "restored")


def _status_change(opts: Options, label_id: str, reason: str, as_json: bool, what: str) -> int:
    from sdk.roles import label_id_bytes

    try:
        raw = label_id_bytes(label_id)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    with Session(opts) as session:
        certifier = session.certifier()
        (certifier.suspend if what == "suspended" else certifier.restore)(raw, reason)
    doc = {"labelId": "0x" + raw.hex(), "status": what, "reason": reason}
    emit(doc, as_json, lambda con: con.print(f"{what} {doc['labelId']}: {reason}"))
    return EXIT_OK


def qr(
    opts: Options, label_id: str, out: Path | None, as_json: bool, label: Path | None = None
) -> int:
    """The label's QR code: in the terminal, or written to a file; with ``label``, the
    printable carbon label (SVG or PNG by its suffix) drawn from the label on chain."""
    from sdk.roles import label_id_bytes, qr_text, verification_url, write_qr

    try:
        raw = label_id_bytes(label_id)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if label is not None and label.suffix.lower() not in (".svg", ".png"):
        raise CliError(f"--label {label}: give a .svg or .png file name")
    network = load_network(opts)
    url = verification_url(network.node_url, raw)
    if out is not None:
        write_qr(url, out)
    if label is not None:
        _write_label_art(network, raw, url, label)
    doc = {
        "labelId": "0x" + raw.hex(),
        "url": url,
        "file": None if out is None else str(out),
        "label": None if label is None else str(label),
    }

    def render(con: Any) -> None:
        if out is None and label is None:
            con.print(qr_text(url), markup=False, highlight=False)
        con.print(url if out is None else f"wrote {out} → {url}")
        if label is not None:
            con.print(f"wrote the printable label {label} → {url}")

    emit(doc, as_json, render)
    return EXIT_OK


def _write_label_art(network: Any, raw: bytes, url: str, path: Path) -> None:
    """Draw the printable label of ``raw`` as read from the chain. The certifier is named
    by its registered id: the registry records no display names (docs/label-page.md)."""
    from sdk.errors import RegistryError
    from sdk.label_art import LabelArtError, LabelInfo, render_label

    deployment = network.deployment()
    try:
        found = deployment.labels.label(raw)
        if found is None:
            raise CliError(f"no label 0x{raw.hex()} on chain")
        certifier = deployment.participants.org_id_of_account(found.issuer) or found.issuer
        art = render_label(LabelInfo.from_label(found, certifier), url)
    except (RegistryError, LabelArtError) as exc:
        raise CliError(str(exc)) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(art.svg if path.suffix.lower() == ".svg" else art.png)


def labels(opts: Options, as_json: bool) -> int:
    """Labels in the wallet."""
    from sdk.wallet import Wallet

    with Wallet.open(opts.wallet_location, passphrase(opts)) as wallet:
        data: list[dict[str, Any]] = [
            {
                "labelId": r.label_id,
                "role": r.role.value,
                "productId": r.product_id,
                "value": r.value,
                "unit": r.unit,
                "grade": r.grade,
                "validUntil": r.valid_until.isoformat(),
                "revoked": r.revoked,
                "reason": r.reason,
                "url": r.url,
            }
            for r in wallet.labels()
        ]

    def render(con: Any) -> None:
        rows = [
            (
                d["labelId"],
                d["productId"],
                f"{d['value']} {d['unit']}",
                d["validUntil"][:10],
                "revoked" if d["revoked"] else "active",
            )
            for d in data
        ]
        con.print(table("labels", ["label", "product", "value", "valid until", "state"], rows))

    emit(data, as_json, render)
    return EXIT_OK
